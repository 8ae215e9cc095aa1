using System.Collections.Concurrent;
using ScoreHub.Sdk;

namespace ScoreHub.Host.Storage;

/// <summary>
/// The in-memory form of one contact. Only the ledger writer mutates it; readers take the immutable
/// <see cref="Events"/> and <see cref="History"/> references, which are replaced (copy on write), never changed.
/// </summary>
internal sealed class ContactRecord(string id)
{
    public string Id { get; } = id;
    public string? Email { get; set; }
    public string? ExternalId { get; set; }
    /// <summary>Immutable, replaced on change, so request threads can read it while the writer links identities.</summary>
    public System.Collections.Immutable.ImmutableHashSet<string> AnonymousIds { get; set; } =
        System.Collections.Immutable.ImmutableHashSet.Create<string>(StringComparer.Ordinal);
    public string? CompanyId { get; set; }

    /// <summary>Set when this contact was merged into another; lookups follow it.</summary>
    public string? MergedInto { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Oldest first.</summary>
    public LeadEvent[] Events { get; private set; } = [];

    /// <summary>Every property change, in arrival order.</summary>
    public PropertyChange[] Changes { get; private set; } = [];

    public PropertyHistory History { get; private set; } = PropertyHistory.Empty;

    public DateTimeOffset? LastTouch => Events.Length == 0 ? null : Events[^1].OccurredAt;

    public void AddEvent(LeadEvent e)
    {
        var events = Events;
        var index = events.Length;
        while (index > 0 && events[index - 1].OccurredAt > e.OccurredAt)
        {
            index--;
        }

        var next = new LeadEvent[events.Length + 1];
        Array.Copy(events, next, index);
        next[index] = e;
        Array.Copy(events, index, next, index + 1, events.Length - index);
        Events = next;
    }

    public void AddEvents(IEnumerable<LeadEvent> events) =>
        Events = [.. Events.Concat(events).OrderBy(e => e.OccurredAt)];

    public void ClearEvents() => Events = [];

    public void AddChanges(IReadOnlyCollection<PropertyChange> changes)
    {
        if (changes.Count == 0)
        {
            return;
        }

        Changes = [.. Changes, .. changes];
        History = new PropertyHistory(Changes);
    }

    /// <summary>Current value of each property.</summary>
    public Dictionary<string, string> CurrentProperties()
    {
        var current = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var change in Changes.OrderBy(c => c.At))
        {
            if (change.Value is null)
            {
                current.Remove(change.Name);
            }
            else
            {
                current[change.Name] = change.Value;
            }
        }

        return current;
    }

    public string? CurrentValue(string name) => History.ValueAt(name, DateTimeOffset.MaxValue);
}

/// <summary>A company: properties over time; its contacts point to it.</summary>
internal sealed class CompanyRecord(string id)
{
    public string Id { get; } = id;
    public PropertyChange[] Changes { get; private set; } = [];
    public PropertyHistory History { get; private set; } = PropertyHistory.Empty;
    public ConcurrentDictionary<string, byte> ContactIds { get; } = new(StringComparer.Ordinal);

    public void AddChanges(IReadOnlyCollection<PropertyChange> changes)
    {
        if (changes.Count == 0)
        {
            return;
        }

        Changes = [.. Changes, .. changes];
        History = new PropertyHistory(Changes);
    }

    /// <summary>Every property's current value (cleared ones left out).</summary>
    public Dictionary<string, string> CurrentProperties() =>
        History.Names.Select(n => (n, v: History.ValueAt(n, DateTimeOffset.MaxValue)))
            .Where(p => p.v is not null).ToDictionary(p => p.n, p => p.v!, StringComparer.Ordinal);
}
