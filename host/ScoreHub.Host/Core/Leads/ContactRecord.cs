using System.Collections.Concurrent;
using System.Numerics;
using ScoreHub.Sdk;


namespace ScoreHub.Host.Core.Leads;

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

        // A live event is allocated among everything else the host does. Packing again whenever the count reaches a
        // power of two (from four; fewer fit in a cache line or two anyway) keeps at least half of a contact's events
        // packed, for at most two copies of each event.
        Events = next.Length >= 4 && BitOperations.IsPow2(next.Length) ? Pack(next) : next;
    }

    /// <summary>Adds events in bulk (loading, merging): they become this contact's (<see cref="LeadEvent.ContactId"/>), packed.</summary>
    public void AddEvents(IEnumerable<LeadEvent> events) =>
        Events = Pack([.. Events.Concat(events).OrderBy(e => e.OccurredAt)]);

    public void ClearEvents() => Events = [];

    /// <summary>
    /// Copies of the events, allocated one after another in time order, each followed by its properties.
    /// </summary>
    /// <remarks>
    /// A publish scores every lead, reading each event's type, time and (for conditions) properties. Events allocated
    /// as they came (read from the ledger in time order across all contacts, or ingested live) lie far apart, and the
    /// CPU waits for memory at each one; packed, it streams them: the rules benchmark's evaluator runs about twice as
    /// fast over packed leads (docs/performance.md).
    /// </remarks>
    private LeadEvent[] Pack(LeadEvent[] events)
    {
        var packed = new LeadEvent[events.Length];
        for (var i = 0; i < events.Length; i++)
        {
            var e = events[i];
            packed[i] = new LeadEvent
            {
                Id = e.Id,
                Type = e.Type,
                OccurredAt = e.OccurredAt,
                ContactId = Id,
                Properties = EventProperties.Packed(e.Properties),
            };
        }

        return packed;
    }

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
