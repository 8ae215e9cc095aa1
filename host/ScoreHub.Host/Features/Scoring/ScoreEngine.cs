using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Text.Json;
using Mediator;
using ScoreHub.Host.Features.Plugins;
using ScoreHub.Host.Storage;
using ScoreHub.Sdk;

namespace ScoreHub.Host.Features.Scoring;

/// <summary>A lead's score changed (value or label), with the transition. Fanned out to history, feed and actions.</summary>
internal sealed record ScoreChanged(
    string WorkspaceId, string ScoreId, string ScoreName, string ContactId,
    double? FromValue, double ToValue, string? FromLabel, string? ToLabel, DateTimeOffset At, string Cause) : INotification;

/// <summary>One point in a record's score history.</summary>
internal sealed record ScoreHistoryEntry(DateTimeOffset At, double? OldValue, double NewValue, string? OldLabel, string? NewLabel, string Cause);

/// <summary>A published score model, compiled, with the current evaluation of every contact.</summary>
internal sealed class PublishedScore(string workspaceId, string id, string name, int version, string strategyId, IScoreEvaluator evaluator)
{
    public string WorkspaceId { get; } = workspaceId;
    public string Id { get; } = id;
    public string Name { get; } = name;
    public int Version { get; } = version;
    public string StrategyId { get; } = strategyId;
    public IScoreEvaluator Evaluator { get; } = evaluator;
    public ConcurrentDictionary<string, ScoreEvaluation> Current { get; } = new(StringComparer.Ordinal);
    public ConcurrentDictionary<string, ImmutableList<ScoreHistoryEntry>> History { get; } = new(StringComparer.Ordinal);
}

/// <summary>
/// Keeps every published score of every workspace evaluated: all records on publish (retroactive), the affected
/// records when the ledger changes (continuous), and each record again exactly at the instant its evaluator said
/// its score would change by time alone (decay, expiry, windows) - no periodic sweep.
/// A score is a pure function of the ledger, so after a restart everything is rebuilt by re-evaluating.
/// </summary>
internal sealed class ScoreEngine : INotificationHandler<LedgerChanged>, IDisposable
{
    private readonly ConcurrentDictionary<(string Workspace, string Score), PublishedScore> _published = new();
    private readonly PriorityQueue<(string Workspace, string Score, string Contact), DateTimeOffset> _due = new();

    // The one instant each record is scheduled for; queue entries that no longer match it are stale and skipped.
    private readonly Dictionary<(string Workspace, string Score, string Contact), DateTimeOffset> _scheduled = [];
    private readonly Lock _lock = new();
    private readonly Ledger _ledger;
    private readonly PluginCatalog _catalog;
    private readonly PluginInvoker _invoker;
    private readonly IPublisher _publisher;
    private readonly TimeProvider _clock;
    private readonly ILogger<ScoreEngine> _logger;
    private readonly ITimer _timer;
    private DateTimeOffset? _timerDue;

    public ScoreEngine(Ledger ledger, PluginCatalog catalog, PluginInvoker invoker, IPublisher publisher, TimeProvider clock, ILogger<ScoreEngine> logger)
    {
        _ledger = ledger;
        _catalog = catalog;
        _invoker = invoker;
        _publisher = publisher;
        _clock = clock;
        _logger = logger;
        _timer = clock.CreateTimer(_ => OnTimer(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public PublishedScore? Find(string workspaceId, string scoreId) => _published.GetValueOrDefault((workspaceId, scoreId));

    public IEnumerable<PublishedScore> ForWorkspace(string workspaceId) =>
        _published.Values.Where(p => p.WorkspaceId == workspaceId).OrderBy(p => p.Id, StringComparer.Ordinal);

    /// <summary>Compiles a model with its strategy plugin; null with the reason when that is not possible.</summary>
    public (IScoreEvaluator? Evaluator, string? Error) Compile(string workspaceId, string strategyId, JsonElement model)
    {
        if (_catalog.Find(strategyId)?.Instance is not IScoringStrategy strategy)
        {
            return (null, $"No scoring strategy '{strategyId}' is loaded.");
        }

        var call = _invoker.Invoke(workspaceId, strategyId, () => strategy.Compile(model));
        return call.Succeeded ? (call.Value, null) : (null, $"Strategy '{strategyId}' failed to compile the model: {call.Error}");
    }

    /// <summary>
    /// Makes a compiled model the live version and re-evaluates every contact of the workspace against the whole
    /// ledger. Transitions are reported with cause "publish"; history is kept.
    /// </summary>
    public int Publish(PublishedScore score)
    {
        var previous = _published.GetValueOrDefault((score.WorkspaceId, score.Id));
        if (previous is not null)
        {
            foreach (var (contact, history) in previous.History)
            {
                score.History[contact] = history;
            }

            foreach (var (contact, evaluation) in previous.Current)
            {
                score.Current[contact] = evaluation;
            }
        }

        _published[(score.WorkspaceId, score.Id)] = score;
        var data = _ledger.Find(score.WorkspaceId);
        if (data is null)
        {
            return 0;
        }

        var contacts = data.Contacts.Values.Where(c => c.MergedInto is null).Select(c => c.Id).ToList();
        Evaluate(score, contacts, "publish");
        return contacts.Count;
    }

    public bool Remove(string workspaceId, string scoreId) => _published.TryRemove((workspaceId, scoreId), out _);

    /// <summary>The evaluation of one contact at an instant, computed now (for "as of" reads).</summary>
    public ScoreEvaluation? EvaluateAt(PublishedScore score, ContactRecord contact, DateTimeOffset asOf)
    {
        var lead = new LeadView { Id = contact.Id, Events = contact.Events, Properties = contact.History };
        var call = _invoker.Invoke(score.WorkspaceId, score.StrategyId, () => score.Evaluator.Evaluate(lead, asOf));
        return call.Succeeded ? call.Value : null;
    }

    public ValueTask Handle(LedgerChanged notification, CancellationToken cancellationToken)
    {
        foreach (var score in ForWorkspace(notification.WorkspaceId))
        {
            Evaluate(score, notification.ContactIds, "event");
        }

        return ValueTask.CompletedTask;
    }

    private void Evaluate(PublishedScore score, IEnumerable<string> contactIds, string cause)
    {
        var data = _ledger.Find(score.WorkspaceId);
        if (data is null)
        {
            return;
        }

        // One evaluation pass per score at a time: events, timers and publishes may race for the same record.
        lock (score)
        {
            EvaluateLocked(score, data, contactIds, cause);
        }
    }

    private void EvaluateLocked(PublishedScore score, WorkspaceData data, IEnumerable<string> contactIds, string cause)
    {
        var now = _clock.GetUtcNow();
        foreach (var id in contactIds)
        {
            var contact = data.Find(id);
            if (contact is null)
            {
                continue;
            }

            if (contact.Id != id)
            {
                // Merged away: its score now belongs to the survivor.
                score.Current.TryRemove(id, out _);
            }

            var evaluation = EvaluateAt(score, contact, now);
            if (evaluation is null)
            {
                continue;
            }

            Apply(score, contact.Id, evaluation, now, cause);
        }
    }

    private void Apply(PublishedScore score, string contactId, ScoreEvaluation next, DateTimeOffset now, string cause)
    {
        var had = score.Current.TryGetValue(contactId, out var before);
        score.Current[contactId] = next;
        if (next.NextChangeAt is { } due && due > now)
        {
            Schedule(score, contactId, due);
        }

        var changed = !had ? next.Included : before!.Value != next.Value || before.Label != next.Label || before.Included != next.Included;
        if (!changed)
        {
            return;
        }

        var entry = new ScoreHistoryEntry(now, had ? before!.Value : null, next.Value, had ? before!.Label : null, next.Label, cause);
        score.History.AddOrUpdate(contactId, _ => [entry], (_, list) => list.Add(entry));
        var notification = new ScoreChanged(score.WorkspaceId, score.Id, score.Name, contactId,
            entry.OldValue, entry.NewValue, entry.OldLabel, entry.NewLabel, now, cause);
        try
        {
            // Handlers only enqueue (feed, actions); never let one fail scoring.
            _publisher.Publish(notification).AsTask().GetAwaiter().GetResult();
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "A ScoreChanged handler failed");
        }
    }

    private void Schedule(PublishedScore score, string contactId, DateTimeOffset due)
    {
        var key = (score.WorkspaceId, score.Id, contactId);
        lock (_lock)
        {
            if (_scheduled.TryGetValue(key, out var existing) && existing == due)
            {
                return;
            }

            _scheduled[key] = due;
            _due.Enqueue(key, due);
            if (_timerDue is null || due < _timerDue)
            {
                _timerDue = due;
                _timer.Change(Max(due - _clock.GetUtcNow(), TimeSpan.Zero), Timeout.InfiniteTimeSpan);
            }
        }
    }

    private void OnTimer()
    {
        var now = _clock.GetUtcNow();
        var ready = new List<(string Workspace, string Score, string Contact)>();
        lock (_lock)
        {
            _timerDue = null;
            while (_due.TryPeek(out var item, out var due) && due <= now)
            {
                _due.Dequeue();
                if (_scheduled.TryGetValue(item, out var current) && current == due)
                {
                    _scheduled.Remove(item);
                    ready.Add(item);
                }
            }

            if (_due.TryPeek(out _, out var next))
            {
                _timerDue = next;
                _timer.Change(Max(next - now, TimeSpan.Zero), Timeout.InfiniteTimeSpan);
            }
        }

        foreach (var group in ready.GroupBy(r => (r.Workspace, r.Score)))
        {
            if (Find(group.Key.Workspace, group.Key.Score) is { } score)
            {
                Evaluate(score, group.Select(g => g.Contact), "time");
            }
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    public void Dispose() => _timer.Dispose();
}
