using System.Collections.Concurrent;
using System.Text.Json;
using ScoreHub.Host.Core.Leads;
using ScoreHub.Host.Core.Plugins;
using ScoreHub.Host.Core.Scheduling;
using ScoreHub.Sdk;

namespace ScoreHub.Host.Core.Scoring;

/// <summary>What the engine hands every score change to (the <c>CommitPipeline</c>'s fan-out, in the host).</summary>
internal interface IScoreChangeSink
{
    /// <summary>Called on the evaluating thread, under the score's lock: must not block or call back into the engine.</summary>
    void ScoreChanged(ScoreChanged change);
}

/// <summary>
/// Keeps every published score of every workspace evaluated: all records on publish (retroactive), the affected
/// records when the ledger changes (continuous), and each record again exactly at the instant its evaluator said
/// its score would change by time alone (decay, expiry, windows) - no periodic sweep.
/// A score is a pure function of the ledger, so after a restart everything is rebuilt by re-evaluating.
/// </summary>
internal sealed class ScoreEngine : IDisposable
{
    private const int PublishChunk = 2_000;
    private readonly ConcurrentDictionary<(string Workspace, string Score), PublishedScore> _published = new();
    private readonly DueTimeScheduler<(string Workspace, string Score, string Record)> _due;
    private readonly Ledger _ledger;
    private readonly PluginCatalog _catalog;
    private readonly PluginInvoker _invoker;
    private readonly IScoreChangeSink _changes;
    private readonly TimeProvider _clock;
    private readonly ILogger<ScoreEngine> _logger;
    private readonly CancellationTokenSource _stopping = new();
    private int _disposed;
    private readonly ConcurrentDictionary<Task, byte> _running = new();

    public ScoreEngine(Ledger ledger, PluginCatalog catalog, PluginInvoker invoker, IScoreChangeSink changes, TimeProvider clock, ILogger<ScoreEngine> logger)
    {
        _ledger = ledger;
        _catalog = catalog;
        _invoker = invoker;
        _changes = changes;
        _clock = clock;
        _logger = logger;
        _due = new DueTimeScheduler<(string, string, string)>(clock, OnDue);
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
    /// Makes a compiled model the live version and re-evaluates every record of the workspace against the whole
    /// ledger, in chunks so that events keep flowing meanwhile; <see cref="PublishedScore.Publication"/> reports
    /// progress. Records keep their previous state until re-evaluated, so only real changes are reported.
    /// <paramref name="baseline"/> (at start: the last persisted state) stands in for a previous version.
    /// </summary>
    public Publication Publish(PublishedScore score, string cause = "publish", IReadOnlyDictionary<string, ScoreState>? baseline = null)
    {
        var key = (score.WorkspaceId, score.Id);
        var previous = _published.GetValueOrDefault(key);
        var data = _ledger.Find(score.WorkspaceId);
        var publication = new Publication(score.Version, _clock.GetUtcNow());
        score.Publication = publication;
        if (previous is not null && previous != score)
        {
            // Under the previous version's lock: an evaluation of it waiting for the lock then finds it superseded
            // and this version live, and evaluates this one instead.
            lock (previous)
            {
                score.TakeOver(previous);
                _published[key] = score;
            }
        }
        else
        {
            if (baseline is not null)
            {
                score.StartFrom(baseline);
            }

            _published[key] = score;
        }

        // Listed once this version is live, so that a record created before is in the list and one created after
        // is evaluated by this version through its own event. Only records that still exist as themselves keep a
        // state: a contact merged away since is the survivor's now.
        var records = data is null ? [] : RecordIds(score, data);
        score.KeepOnly(id => data is not null && IsRecord(score, data, id));
        publication.Begin(records.Length);
        var run = Task.Run(() =>
        {
            try
            {
                // Slices of one array: Enumerable.Chunk would copy every id once more.
                for (var start = 0; start < records.Length; start += PublishChunk)
                {
                    if (Find(score.WorkspaceId, score.Id) != score || _stopping.IsCancellationRequested)
                    {
                        break; // superseded by a newer version, or deleted
                    }

                    var chunk = new ArraySegment<string>(records, start, Math.Min(PublishChunk, records.Length - start));
                    Evaluate(score, chunk, cause);
                    publication.Advance(chunk.Count);
                }
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "Re-evaluating score {Score} of {Workspace} failed", score.Id, score.WorkspaceId);
            }
            finally
            {
                publication.Finish(_clock.GetUtcNow());
            }
        });
        _running.TryAdd(run, 0);
        _ = run.ContinueWith(t => _running.TryRemove(t, out _), TaskScheduler.Default);
        return publication;
    }

    // Enumerates the dictionaries directly: their Keys and Values properties lock every bucket and copy first.
    private static string[] RecordIds(PublishedScore score, WorkspaceData data) => score.Kind == LeadKind.Company
        ? [.. data.Companies.Select(c => c.Key)]
        : [.. data.Contacts.Where(c => c.Value.MergedInto is null).Select(c => c.Value.Id)];

    private static bool IsRecord(PublishedScore score, WorkspaceData data, string id) => score.Kind == LeadKind.Company
        ? data.Companies.ContainsKey(id)
        : data.Contacts.TryGetValue(id, out var contact) && contact.MergedInto is null;

    public bool Remove(string workspaceId, string scoreId) => _published.TryRemove((workspaceId, scoreId), out _);

    /// <summary>The evaluation of one record at an instant, computed now (for "as of" reads).</summary>
    public ScoreEvaluation? EvaluateAt(PublishedScore score, LeadView lead, DateTimeOffset asOf)
    {
        var call = _invoker.Invoke(score.WorkspaceId, score.StrategyId, () => score.Evaluator.Evaluate(lead, asOf));
        return call.Succeeded ? call.Value : null;
    }

    /// <summary>A contact as scoring sees it.</summary>
    public static LeadView View(ContactRecord contact) =>
        new() { Id = contact.Id, Events = contact.Events, Properties = contact.History };

    /// <summary>A company as scoring sees it: its properties, and every event of its associated contacts in time order.</summary>
    public static LeadView View(WorkspaceData data, CompanyRecord company)
    {
        var events = new List<LeadEvent>();
        foreach (var contactId in company.ContactIds.Keys)
        {
            if (data.Contacts.TryGetValue(contactId, out var contact) && contact.MergedInto is null)
            {
                events.AddRange(contact.Events);
            }
        }

        events.Sort((a, b) => a.OccurredAt.CompareTo(b.OccurredAt));
        return new LeadView { Id = company.Id, Kind = LeadKind.Company, Events = events, Properties = company.History };
    }

    /// <summary>Re-evaluates the leads a ledger commit changed, in every published score of their workspace (cause <c>event</c>).</summary>
    public void Reevaluate(LedgerChanged change)
    {
        foreach (var score in ForWorkspace(change.WorkspaceId))
        {
            Evaluate(score, score.Kind == LeadKind.Company ? change.CompanyIds : change.ContactIds, "event");
        }
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
            if (!score.Superseded)
            {
                EvaluateLocked(score, data, contactIds, cause);
                return;
            }
        }

        // A newer version took over while this call waited: it evaluates these records instead.
        if (Find(score.WorkspaceId, score.Id) is { } current && current != score)
        {
            Evaluate(current, contactIds, cause);
        }
    }

    private void EvaluateLocked(PublishedScore score, WorkspaceData data, IEnumerable<string> recordIds, string cause)
    {
        var now = _clock.GetUtcNow();
        foreach (var id in recordIds)
        {
            LeadView lead;
            if (score.Kind == LeadKind.Company)
            {
                if (!data.Companies.TryGetValue(id, out var company))
                {
                    continue;
                }

                lead = View(data, company);
            }
            else
            {
                var contact = data.Find(id);
                if (contact is null)
                {
                    // Erased: its record and any re-evaluation scheduled for it go.
                    Forget(score, id);
                    continue;
                }

                if (contact.Id != id)
                {
                    // Merged away: its score now belongs to the survivor.
                    score.Current.TryRemove(id, out _);
                }

                lead = View(contact);
            }

            if (EvaluateAt(score, lead, now) is { } evaluation)
            {
                // An event dated ahead (allowed up to a day) starts counting at its instant.
                Apply(score, lead.Id, evaluation, now, cause, FirstEventAfter(lead.Events, now));
            }
        }
    }

    private void Forget(PublishedScore score, string recordId)
    {
        score.Current.TryRemove(recordId, out _);
        _due.Cancel((score.WorkspaceId, score.Id, recordId));
    }

    private static DateTimeOffset? FirstEventAfter(IReadOnlyList<LeadEvent> events, DateTimeOffset now)
    {
        DateTimeOffset? first = null;
        for (var i = events.Count - 1; i >= 0 && events[i].OccurredAt > now; i--)
        {
            first = events[i].OccurredAt;
        }

        return first;
    }

    private void Apply(PublishedScore score, string recordId, ScoreEvaluation next, DateTimeOffset now, string cause, DateTimeOffset? nextEvent)
    {
        var had = score.Current.TryGetValue(recordId, out var before);
        var state = new ScoreState(next.Value, next.Label, next.Included);
        if (!had || before != state)
        {
            // Writing only changes matters on re-publish, where most records keep their state: a write takes a lock.
            score.Current[recordId] = state;
        }
        var due = next.NextChangeAt is { } change && change > now ? change : (DateTimeOffset?)null;
        if (nextEvent is { } e && (due is null || e < due))
        {
            due = e;
        }

        if (due is { } at)
        {
            _due.Schedule((score.WorkspaceId, score.Id, recordId), at);
        }

        if (had ? before == state : !next.Included)
        {
            return;
        }

        _changes.ScoreChanged(new ScoreChanged(score.WorkspaceId, score.Id, score.Name, score.Kind, recordId,
            had ? before!.Value : null, next.Value, had ? before!.Label : null, next.Label, next.Included, now, cause));
    }

    private void OnDue(IReadOnlyList<(string Workspace, string Score, string Record)> ready)
    {
        foreach (var group in ready.GroupBy(r => (r.Workspace, r.Score)))
        {
            if (Find(group.Key.Workspace, group.Key.Score) is { } score)
            {
                Evaluate(score, group.Select(g => g.Record), "time");
            }
        }
    }

    /// <summary>
    /// Stops re-evaluations still running and waits for them, so nothing they cause (history, outbox writes) reaches
    /// the database after the host has stopped.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _due.Dispose();
        _stopping.Cancel();
        Task.WaitAll([.. _running.Keys], TimeSpan.FromSeconds(10));
        _stopping.Dispose();
    }
}
