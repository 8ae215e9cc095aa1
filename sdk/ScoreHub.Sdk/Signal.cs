namespace ScoreHub.Sdk;

/// <summary>
/// A canonical signal: something a lead did (or that happened to a lead), in ScoreHub's event vocabulary
/// (<c>email.opened</c>, <c>web.page_viewed</c>, <c>cart.abandoned</c>, ... see <c>docs/events.md</c>).
/// </summary>
public sealed class Signal
{
    /// <summary>
    /// The dedupe key within the source: the provider's own event id (SendGrid's <c>sg_event_id</c>,
    /// Segment's <c>messageId</c>). The ledger stores a (workspace, source, id) once, whatever is retried.
    /// At most 200 characters.
    /// </summary>
    public required string Id { get; init; }

    /// <summary>
    /// The event type, lower-case <c>area.verb</c>, e.g. <c>email.clicked</c>: it must match
    /// <c>^[a-z0-9_]+(\.[a-z0-9_]+)+$</c>. At most 100 characters.
    /// </summary>
    public required string Type { get; init; }

    /// <summary>
    /// When it happened (not when it was received). Scoring, decay and timeframes use this instant. The host refuses
    /// instants before the year 2000 or more than a day ahead of its clock.
    /// </summary>
    public required DateTimeOffset OccurredAt { get; init; }

    /// <summary>Who did it.</summary>
    public required ContactRef Contact { get; init; }

    /// <summary>
    /// Scalar event properties (url, title, campaign, value, ...). Numbers and booleans are carried as
    /// invariant-culture strings; rules compare numerically where both sides parse as numbers. At most 100 properties;
    /// names of 1-100 characters and values of at most 8,192 (the same limits hold for contact and company properties).
    /// </summary>
    public IReadOnlyDictionary<string, string> Properties { get; init; } = EmptyProperties;

    /// <summary>
    /// Contact properties learned with this signal (e.g. a form's name and company fields, Segment
    /// <c>identify</c> traits). The host records them in the contact's property history at <see cref="OccurredAt"/>.
    /// </summary>
    public IReadOnlyDictionary<string, string> ContactProperties { get; init; } = EmptyProperties;

    /// <summary>
    /// The company (account) the contact belongs to, when the source knows it (a Segment <c>group</c> call, a CRM
    /// account id). The host associates the contact with it and records its properties at <see cref="OccurredAt"/>;
    /// company scores read them. Since SDK 1.1.
    /// </summary>
    public CompanyRef? Company { get; init; }

    internal static readonly IReadOnlyDictionary<string, string> EmptyProperties =
        new Dictionary<string, string>(0, StringComparer.Ordinal);
}

/// <summary>
/// Identifies a contact by whatever the source knows. At least one member must be set. When several are set,
/// the host links them: an anonymous visitor who submits a form with an email becomes that contact, with history.
/// </summary>
public sealed class ContactRef
{
    /// <summary>Email address; matched case-insensitively.</summary>
    public string? Email { get; init; }

    /// <summary>The contact's id in the customer's own system (CRM id, user id).</summary>
    public string? ExternalId { get; init; }

    /// <summary>A device or browser id for a visitor who is not yet known.</summary>
    public string? AnonymousId { get; init; }
}

/// <summary>A company (account) by its id in the customer's own system, with properties learned with a signal.</summary>
public sealed class CompanyRef
{
    /// <summary>The company's id in the customer's system (CRM account id, Segment <c>groupId</c>, domain). At most 200 characters.</summary>
    public required string Id { get; init; }

    /// <summary>Company properties learned with the signal (name, industry, employees, country, ...).</summary>
    public IReadOnlyDictionary<string, string> Properties { get; init; } = Signal.EmptyProperties;
}
