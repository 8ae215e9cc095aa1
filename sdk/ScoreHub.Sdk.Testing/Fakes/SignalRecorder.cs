namespace ScoreHub.Sdk.Testing;

/// <summary>
/// Calls a signal source and keeps what it returned the way the host's ledger would: accepted signals once per
/// <see cref="Signal.Id"/>, scheduled signals pending by key (cancellations applied first), and due schedules
/// emitted when the test's clock reaches them. A test can then assert on "what ended up stored".
/// </summary>
/// <example><code>
/// var clock = TestContexts.Clock();
/// var recorder = new SignalRecorder(new CartSource(), TestContexts.Source(settings, clock));
/// await recorder.HandleAsync(checkoutRequest);
/// clock.Advance(TimeSpan.FromHours(2));
/// var abandoned = Assert.Single(recorder.EmitDue());
/// </code></example>
public sealed class SignalRecorder
{
    private readonly ISignalSource _source;
    private readonly List<SourceResponse> _responses = [];
    private readonly List<Signal> _signals = [];
    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ScheduledSignal> _pending = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Records the calls of <paramref name="source"/> made with <paramref name="context"/>.</summary>
    public SignalRecorder(ISignalSource source, SourceContext context)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(context);
        _source = source;
        Context = context;
    }

    /// <summary>The context every call is made with.</summary>
    public SourceContext Context { get; }

    /// <summary>Every response, in call order.</summary>
    public IReadOnlyList<SourceResponse> Responses
    {
        get
        {
            lock (_lock)
            {
                return [.. _responses];
            }
        }
    }

    /// <summary>The signals "stored": accepted and emitted ones, in order, each <see cref="Signal.Id"/> once (the first wins).</summary>
    public IReadOnlyList<Signal> Signals
    {
        get
        {
            lock (_lock)
            {
                return [.. _signals];
            }
        }
    }

    /// <summary>Scheduled signals not yet emitted or cancelled, by due instant.</summary>
    public IReadOnlyList<ScheduledSignal> Pending
    {
        get
        {
            lock (_lock)
            {
                return [.. _pending.Values.OrderBy(s => s.DueAt)];
            }
        }
    }

    /// <summary>Calls the source once and records its response.</summary>
    public async Task<SourceResponse> HandleAsync(SourceRequest request, CancellationToken cancellationToken = default)
    {
        var response = await _source.HandleAsync(request, Context, cancellationToken);
        lock (_lock)
        {
            _responses.Add(response);
            if (response.IsAccepted)
            {
                foreach (var signal in response.Signals)
                {
                    Store(signal);
                }

                foreach (var key in response.Cancel)
                {
                    _pending.Remove(key);
                }

                foreach (var scheduled in response.Schedule)
                {
                    _pending[scheduled.Key] = scheduled;
                }
            }
        }

        return response;
    }

    /// <summary>
    /// Emits the pending signals due at the context's clock (or at <paramref name="now"/>), as the host would, and
    /// returns the newly stored ones.
    /// </summary>
    public IReadOnlyList<Signal> EmitDue(DateTimeOffset? now = null)
    {
        var at = now ?? Context.Clock.GetUtcNow();
        var emitted = new List<Signal>();
        lock (_lock)
        {
            foreach (var due in _pending.Values.Where(s => s.DueAt <= at).OrderBy(s => s.DueAt).ToList())
            {
                _pending.Remove(due.Key);
                if (Store(due.Signal))
                {
                    emitted.Add(due.Signal);
                }
            }
        }

        return emitted;
    }

    private bool Store(Signal signal)
    {
        if (!_ids.Add(signal.Id))
        {
            return false;
        }

        _signals.Add(signal);
        return true;
    }
}
