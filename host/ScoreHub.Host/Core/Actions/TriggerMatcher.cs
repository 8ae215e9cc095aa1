using System.Collections.Concurrent;
using ScoreHub.Host.Core.Leads;
using ScoreHub.Host.Core.Scoring;
using ScoreHub.Sdk;

namespace ScoreHub.Host.Core.Actions;

/// <summary>
/// Turns score transitions into recorded deliveries: edge-triggered, filtered on the lead's properties, cooled down per
/// record. Runs in the <c>CommitPipeline</c> on the scoring thread, before the write that caused the change is
/// acknowledged: it matches, records durably in the outbox and queues; it never calls a plugin.
/// </summary>
internal sealed class TriggerMatcher(Triggers triggers, Outbox outbox, Ledger ledger, DeliveryQueue queue, TimeProvider clock)
{
    private readonly ConcurrentDictionary<(string Workspace, string Trigger), long> _sequences = new();
    private readonly ConcurrentDictionary<(string Workspace, string Trigger, string Record), DateTimeOffset> _lastFired = new();

    /// <summary>At start: sequences and cool-downs from the outbox; pending deliveries queued again.</summary>
    public void Resume()
    {
        foreach (var d in outbox.All())
        {
            _sequences.AddOrUpdate((d.WorkspaceId, d.TriggerId), d.Sequence, (_, s) => Math.Max(s, d.Sequence));
            _lastFired.AddOrUpdate((d.WorkspaceId, d.TriggerId, d.RecordId), d.At, (_, at) => at > d.At ? at : d.At);
            if (d.Status == DeliveryStatus.Pending)
            {
                queue.Enqueue(d);
            }
        }
    }

    /// <summary>Records a delivery per action of every trigger the change fires, and queues them.</summary>
    public void Fire(ScoreChanged change)
    {
        var fired = new List<Delivery>();
        foreach (var trigger in triggers.ForScore(change.WorkspaceId, change.ScoreId))
        {
            if (!trigger.Fires(change) || !PassesFilters(trigger, change) || CoolingDown(trigger, change))
            {
                continue;
            }

            var sequence = _sequences.AddOrUpdate((trigger.WorkspaceId, trigger.Id), 1, (_, s) => s + 1);
            _lastFired[(trigger.WorkspaceId, trigger.Id, change.RecordId)] = change.At;
            for (var i = 0; i < trigger.Actions.Count; i++)
            {
                fired.Add(Delivery.For(change, trigger, i, sequence, clock.GetUtcNow()));
            }
        }

        if (fired.Count > 0)
        {
            foreach (var delivery in outbox.Record(fired))
            {
                queue.Enqueue(delivery);
            }
        }
    }

    /// <summary>Forgets the cool-downs of erased contacts.</summary>
    public void Forget(string workspaceId, IReadOnlySet<string> contactIds)
    {
        foreach (var key in _lastFired.Keys.Where(k => k.Workspace == workspaceId && contactIds.Contains(k.Record)))
        {
            _lastFired.TryRemove(key, out _);
        }
    }

    private bool PassesFilters(Trigger trigger, ScoreChanged change)
    {
        if (trigger.Filters.Count == 0)
        {
            return true;
        }

        var data = ledger.Find(change.WorkspaceId);
        Func<string, string?>? value = change.Kind == LeadKind.Company
            ? data?.Companies.GetValueOrDefault(change.RecordId) is { } company ? name => company.History.ValueAt(name, DateTimeOffset.MaxValue) : null
            : data?.Find(change.RecordId) is { } contact ? contact.CurrentValue : null;
        return value is not null && trigger.Filters.All(f => f.Matches(value(f.Property)));
    }

    private bool CoolingDown(Trigger trigger, ScoreChanged change) =>
        trigger.Cooldown is { } cooldown &&
        _lastFired.TryGetValue((trigger.WorkspaceId, trigger.Id, change.RecordId), out var last) &&
        change.At - last < cooldown;
}
