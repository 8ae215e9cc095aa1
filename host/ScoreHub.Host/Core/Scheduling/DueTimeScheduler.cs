namespace ScoreHub.Host.Core.Scheduling;

/// <summary>
/// Keys that come due at instants of the injected <see cref="TimeProvider"/>: one timer armed for the earliest
/// instant, no periodic sweep. The one scheduler of the host: a record's next score change (decay, expiry, windows),
/// a source's scheduled signal, an action's next retry.
/// </summary>
/// <remarks>
/// A key has at most one instant: scheduling it again replaces the earlier one, and <see cref="Cancel"/> removes it
/// (the queue keeps the old entry and skips it when it comes up, so both are O(log n)). When instants pass,
/// <c>onDue</c> gets the keys that came due, earliest first, on the timer's thread and outside the scheduler's lock;
/// a key is no longer scheduled when <c>onDue</c> sees it, so the callback may schedule it again. With a fake clock
/// the callback runs inline in <c>Advance</c>. Thread-safe.
/// </remarks>
internal sealed class DueTimeScheduler<TKey> : IDisposable
    where TKey : notnull
{
    private readonly PriorityQueue<TKey, DateTimeOffset> _queue = new();
    private readonly Dictionary<TKey, DateTimeOffset> _due;
    private readonly Lock _lock = new();
    private readonly TimeProvider _clock;
    private readonly Action<IReadOnlyList<TKey>> _onDue;
    private readonly ITimer _timer;
    private DateTimeOffset? _armedFor;
    private bool _disposed;

    public DueTimeScheduler(TimeProvider clock, Action<IReadOnlyList<TKey>> onDue, IEqualityComparer<TKey>? comparer = null)
    {
        _clock = clock;
        _onDue = onDue;
        _due = new Dictionary<TKey, DateTimeOffset>(comparer);
        _timer = clock.CreateTimer(_ => OnTimer(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>How many keys are scheduled.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _due.Count;
            }
        }
    }

    /// <summary>The instant <paramref name="key"/> is due at, if it is scheduled.</summary>
    public bool TryGetDue(TKey key, out DateTimeOffset at)
    {
        lock (_lock)
        {
            return _due.TryGetValue(key, out at);
        }
    }

    /// <summary>Schedules <paramref name="key"/> at <paramref name="at"/>, replacing its earlier instant; a past instant is due at once.</summary>
    public void Schedule(TKey key, DateTimeOffset at)
    {
        lock (_lock)
        {
            if (_due.TryGetValue(key, out var existing) && existing == at)
            {
                return;
            }

            _due[key] = at;
            _queue.Enqueue(key, at);
            Arm();
        }
    }

    /// <summary>Unschedules <paramref name="key"/>; false when it was not scheduled.</summary>
    public bool Cancel(TKey key)
    {
        lock (_lock)
        {
            return _due.Remove(key);
        }
    }

    /// <summary>Unschedules every key that matches.</summary>
    public void CancelWhere(Func<TKey, bool> match)
    {
        lock (_lock)
        {
            foreach (var key in _due.Keys.Where(match).ToList())
            {
                _due.Remove(key);
            }
        }
    }

    /// <summary>Unschedules everything.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _due.Clear();
            _queue.Clear();
        }
    }

    private bool IsCurrent(TKey key, DateTimeOffset at) => _due.TryGetValue(key, out var current) && current == at;

    // Under the lock.
    private void Arm()
    {
        // Drop replaced or cancelled heads, so the timer is armed for an instant that is still wanted.
        while (_queue.TryPeek(out var head, out var at) && !IsCurrent(head, at))
        {
            _queue.Dequeue();
        }

        if (_disposed || !_queue.TryPeek(out _, out var next) || (_armedFor is { } armed && armed <= next))
        {
            return;
        }

        _armedFor = next;
        var delay = next - _clock.GetUtcNow();
        _timer.Change(delay > TimeSpan.Zero ? delay : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }

    private void OnTimer()
    {
        var ready = new List<TKey>();
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _armedFor = null;
            var now = _clock.GetUtcNow();
            while (_queue.TryPeek(out var key, out var at) && at <= now)
            {
                _queue.Dequeue();
                if (IsCurrent(key, at))
                {
                    _due.Remove(key);
                    ready.Add(key);
                }
            }

            Arm();
        }

        if (ready.Count > 0)
        {
            _onDue(ready);
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
        }

        _timer.Dispose();
    }
}
