using System.Globalization;

namespace ScoreHub.Sdk.Testing;

/// <summary>
/// Builds the <see cref="LeadView"/> a scoring strategy evaluates: events and property values over time. Event ids
/// are deterministic (<c>evt_1</c>, <c>evt_2</c>, ...) so two builds of the same lead are equal.
/// </summary>
/// <example><code>
/// var lead = LeadBuilder.Contact("lead_1")
///     .Property("jobTitle", "CTO", t0)
///     .Event("web.page_viewed", t0.AddHours(1), ("url", "https://example.com/pricing"))
///     .Event("meeting.booked", t0.AddDays(1))
///     .Build();
/// </code></example>
public sealed class LeadBuilder
{
    private readonly string _id;
    private readonly LeadKind _kind;
    private readonly List<LeadEvent> _events = [];
    private readonly List<PropertyChange> _properties = [];

    /// <summary>A lead of the given kind.</summary>
    public LeadBuilder(string id = "lead_1", LeadKind kind = LeadKind.Contact)
    {
        _id = id;
        _kind = kind;
    }

    /// <summary>A contact.</summary>
    public static LeadBuilder Contact(string id = "lead_1") => new(id, LeadKind.Contact);

    /// <summary>A company; give its events a <see cref="LeadEvent.ContactId"/> with <see cref="EventBy"/>.</summary>
    public static LeadBuilder Company(string id = "company_1") => new(id, LeadKind.Company);

    /// <summary>Adds an event of this lead.</summary>
    public LeadBuilder Event(string type, DateTimeOffset at, params (string Name, string Value)[] properties) =>
        Add(type, at, _kind == LeadKind.Contact ? _id : "", properties);

    /// <summary>Adds an event done by one contact (for company leads).</summary>
    public LeadBuilder EventBy(string contactId, string type, DateTimeOffset at, params (string Name, string Value)[] properties) =>
        Add(type, at, contactId, properties);

    /// <summary>Adds an event exactly as given.</summary>
    public LeadBuilder Event(LeadEvent leadEvent)
    {
        ArgumentNullException.ThrowIfNull(leadEvent);
        _events.Add(leadEvent);
        return this;
    }

    /// <summary>Records a property value from <paramref name="at"/> on; <c>null</c> clears it.</summary>
    public LeadBuilder Property(string name, string? value, DateTimeOffset at)
    {
        _properties.Add(new PropertyChange(name, value, at));
        return this;
    }

    /// <summary>The lead, events oldest first (ties keep the order they were added in).</summary>
    public LeadView Build() => new()
    {
        Id = _id,
        Kind = _kind,
        Events = [.. _events.OrderBy(e => e.OccurredAt)],
        Properties = new PropertyHistory(_properties),
    };

    /// <summary>The lead's identity and property values as of <paramref name="asOf"/>, as an action sees it.</summary>
    public LeadSnapshot Snapshot(DateTimeOffset asOf, string? email = null)
    {
        var history = new PropertyHistory(_properties);
        var current = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in history.Names)
        {
            if (history.ValueAt(name, asOf) is { } value)
            {
                current[name] = value;
            }
        }

        return new LeadSnapshot { Id = _id, Kind = _kind, Email = email, Properties = current };
    }

    private LeadBuilder Add(string type, DateTimeOffset at, string contactId, (string Name, string Value)[] properties)
    {
        _events.Add(new LeadEvent
        {
            Id = "evt_" + (_events.Count + 1).ToString(CultureInfo.InvariantCulture),
            Type = type,
            OccurredAt = at,
            ContactId = contactId,
            Properties = properties.ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal),
        });
        return this;
    }
}
