using System.Text.Json;

namespace ScoreHub.Sdk;

/// <summary>
/// Turns a score model (a JSON document the workspace publishes) and a lead's history into a score.
/// </summary>
/// <remarks>
/// <para><b>Purity.</b> Strategies never do I/O and never read the clock: the instant to evaluate at is an argument.
/// The same model, lead and instant must always give the same result, because the host replays history,
/// answers "as of" queries and re-scores every lead when a model is published.</para>
/// <para><b>Concurrency.</b> <see cref="Compile"/> and the evaluator it returns are called from many threads at once.</para>
/// <para><b>Exceptions.</b> Report model problems from <see cref="ValidateModel"/>; never throw from
/// <see cref="IScoreEvaluator.Evaluate"/>. An exception there is caught by the host, the lead keeps its previous
/// score and the failure counts against this plugin's circuit breaker.</para>
/// </remarks>
public interface IScoringStrategy : IScoreHubPlugin
{
    /// <summary>
    /// Checks a model before it is saved. Each <see cref="FieldError.Field"/> is a JSON path inside the model,
    /// e.g. <c>groups[1].rules[0].points</c>.
    /// </summary>
    ValidationReport ValidateModel(JsonElement model);

    /// <summary>
    /// Prepares a valid model for evaluation; called once per published model version, so do the parsing here.
    /// </summary>
    IScoreEvaluator Compile(JsonElement model);
}

/// <summary>A compiled score model.</summary>
public interface IScoreEvaluator
{
    /// <summary>
    /// Event types the model reads. The host skips re-evaluation when an event of another type arrives.
    /// <c>null</c> means every type matters.
    /// </summary>
    IReadOnlySet<string>? EventTypes { get; }

    /// <summary>
    /// The lead's score as of <paramref name="asOf"/>, counting only events and property values known at that instant.
    /// Fast and allocation-light: called once per lead on every publish.
    /// </summary>
    ScoreEvaluation Evaluate(LeadView lead, DateTimeOffset asOf);
}

/// <summary>Whether a lead is a contact or a company.</summary>
public enum LeadKind
{
    /// <summary>A person.</summary>
    Contact,

    /// <summary>A company; its events are those of its associated contacts.</summary>
    Company,
}

/// <summary>A read-only view of one lead (contact or company) for scoring.</summary>
public sealed class LeadView
{
    /// <summary>The lead's id within its workspace.</summary>
    public required string Id { get; init; }

    /// <summary>Contact or company.</summary>
    public LeadKind Kind { get; init; } = LeadKind.Contact;

    /// <summary>Every event of the lead, oldest first (for a company, of all its associated contacts).</summary>
    public required IReadOnlyList<LeadEvent> Events { get; init; }

    /// <summary>The lead's property values over time.</summary>
    public required PropertyHistory Properties { get; init; }
}

/// <summary>One stored event, as scoring strategies see it.</summary>
public sealed class LeadEvent
{
    /// <summary>The event's id (its dedupe key at the source).</summary>
    public required string Id { get; init; }

    /// <summary>
    /// The event type, e.g. <c>email.opened</c>. The host passes the runtime's interned instance of each type
    /// (<see cref="string.Intern"/>; not for unusually long types or past ten thousand distinct ones), so a strategy
    /// that interns the types it looks for can compare references first. It must still fall back to the text.
    /// </summary>
    public required string Type { get; init; }

    /// <summary>When it happened.</summary>
    public required DateTimeOffset OccurredAt { get; init; }

    /// <summary>The contact who did it (relevant for company scores).</summary>
    public string ContactId { get; init; } = "";

    /// <summary>
    /// Scalar event properties (names case-sensitive). As for <see cref="Type"/> (and with its limits), the host
    /// passes interned names, so a lookup by an interned name finds its entry without comparing text.
    /// </summary>
    public IReadOnlyDictionary<string, string> Properties { get; init; } = Signal.EmptyProperties;
}

/// <summary>
/// A lead's property values over time: every change, so fit scores can be evaluated as of any instant. Names are
/// case-insensitive; the host passes interned names (as for <see cref="LeadEvent.Type"/>), and a lookup by an
/// interned name is the fastest.
/// </summary>
public sealed class PropertyHistory
{
    // Scoring reads a few properties of every lead on each publish, so the names sit in one array, searched by
    // reference first (a host that shares its name instances and a strategy that interns its own find a name without
    // reading its text), then ignoring case; past MaxScan names a case-insensitive index answers instead of the scan.
    private const int MaxScan = 8;
    private readonly string[] _names;
    private readonly PropertyChange[][] _changes;
    private readonly Dictionary<string, int>? _index;

    /// <summary>Builds a history from changes in any order. A <c>null</c> value means the property was cleared.</summary>
    public PropertyHistory(IEnumerable<PropertyChange> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var byName = changes.GroupBy(c => c.Name, StringComparer.OrdinalIgnoreCase).ToArray();
        _names = [.. byName.Select(g => g.Key)];
        _changes = [.. byName.Select(g => g.OrderBy(c => c.At).ToArray())];
        if (_names.Length > MaxScan)
        {
            _index = _names.Select((name, i) => (name, i)).ToDictionary(x => x.name, x => x.i, StringComparer.OrdinalIgnoreCase);
        }
    }

    /// <summary>No properties.</summary>
    public static PropertyHistory Empty { get; } = new([]);

    /// <summary>The names of every property that ever had a value.</summary>
    public IEnumerable<string> Names => _names;

    /// <summary>The property's value at <paramref name="at"/> (the last change at or before it), or <c>null</c>.</summary>
    public string? ValueAt(string name, DateTimeOffset at)
    {
        var index = IndexOf(name);
        if (index < 0)
        {
            return null;
        }

        string? value = null;
        foreach (var change in _changes[index])
        {
            if (change.At > at)
            {
                break;
            }

            value = change.Value;
        }

        return value;
    }

    /// <summary>Every change of one property, oldest first.</summary>
    public IReadOnlyList<PropertyChange> ChangesOf(string name) => IndexOf(name) is var index and >= 0 ? _changes[index] : [];

    private int IndexOf(string name)
    {
        var names = _names;
        for (var i = 0; i < names.Length; i++)
        {
            if (ReferenceEquals(names[i], name))
            {
                return i;
            }
        }

        if (_index is not null)
        {
            return _index.TryGetValue(name, out var index) ? index : -1;
        }

        for (var i = 0; i < names.Length; i++)
        {
            if (string.Equals(names[i], name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }
}

/// <summary>One property change.</summary>
/// <param name="Name">The property name (case-insensitive).</param>
/// <param name="Value">The new value, or <c>null</c> when cleared.</param>
/// <param name="At">When the value changed.</param>
public sealed record PropertyChange(string Name, string? Value, DateTimeOffset At);

/// <summary>A lead's score at one instant, with everything needed to explain it.</summary>
public sealed class ScoreEvaluation
{
    /// <summary>The total score after group and score limits; a finite number.</summary>
    public required double Value { get; init; }

    /// <summary>The threshold label (e.g. <c>hot</c>, <c>High</c>, or a grid cell such as <c>A1</c>), if the model has thresholds.</summary>
    public string? Label { get; init; }

    /// <summary>False when the lead is outside the model's inclusion segment (or inside an exclusion); then it has no score.</summary>
    public bool Included { get; init; } = true;

    /// <summary>For combined scores: the engagement part.</summary>
    public double? Engagement { get; init; }

    /// <summary>For combined scores: the fit part.</summary>
    public double? Fit { get; init; }

    /// <summary>For combined scores: the engagement band's label.</summary>
    public string? EngagementLabel { get; init; }

    /// <summary>For combined scores: the fit band's label.</summary>
    public string? FitLabel { get; init; }

    /// <summary>Points per group and rule, with each contributing event.</summary>
    public IReadOnlyList<GroupBreakdown> Groups { get; init; } = [];

    /// <summary>
    /// The next instant at which the score or label would change with no new event or property change
    /// (a decay step, an expiry, a timeframe window closing), or <c>null</c> if it never would.
    /// The host re-evaluates the lead exactly then, so it must be later than the evaluated instant, and until it the
    /// score and label stay as they are.
    /// </summary>
    public DateTimeOffset? NextChangeAt { get; init; }
}

/// <summary>The points of one group of rules.</summary>
public sealed class GroupBreakdown
{
    /// <summary>The group's name.</summary>
    public required string Name { get; init; }

    /// <summary>The sum of the group's rules before its limit.</summary>
    public required double Raw { get; init; }

    /// <summary>The group's value after its limit.</summary>
    public required double Value { get; init; }

    /// <summary>The group's limit, if any.</summary>
    public double? Limit { get; init; }

    /// <summary>Whether the group counts toward fit (property rules) or engagement (event rules).</summary>
    public string Part { get; init; } = "engagement";

    /// <summary>Each rule's points.</summary>
    public IReadOnlyList<RuleBreakdown> Rules { get; init; } = [];
}

/// <summary>The points of one rule.</summary>
public sealed class RuleBreakdown
{
    /// <summary>The rule's position in its group.</summary>
    public required int Index { get; init; }

    /// <summary>A short description, e.g. <c>meeting.booked +10</c>.</summary>
    public required string Description { get; init; }

    /// <summary>The rule's points after its maximum, decay applied.</summary>
    public required double Points { get; init; }

    /// <summary>The events that contributed, with their original and decayed points.</summary>
    public IReadOnlyList<EventContribution> Events { get; init; } = [];
}

/// <summary>One event's part in a rule's points.</summary>
/// <param name="EventId">The event's id.</param>
/// <param name="OccurredAt">When it happened.</param>
/// <param name="Original">Its points when it happened.</param>
/// <param name="Current">Its points at the evaluated instant, after decay.</param>
public sealed record EventContribution(string EventId, DateTimeOffset OccurredAt, double Original, double Current);
