using System.Runtime.InteropServices;
using ScoreHub.Sdk;

namespace ScoreHub.Plugins.Points;

/// <summary>
/// Evaluates one compiled model. Immutable after construction, so safe to call from many threads at once.
/// </summary>
/// <remarks>
/// Rule points are summed per group, each group is capped by its limit (limits cap positive totals; negative
/// totals pass), the groups are summed, capped by the score limit and raised to the floor. Every value is rounded
/// to 4 decimals. Events after <c>asOf</c> and property values set after it are invisible.
/// </remarks>
internal sealed class PointsEvaluator : IScoreEvaluator
{
    // Above this many rules the per-rule sums live on the heap instead of the stack.
    private const int MaxStackRules = 128;

    private readonly PointsModel _model;

    // Compiled once per model, because Evaluate runs for every lead on each publish: every rule gets a slot (its
    // position in the groups, flattened), and each event type maps to the rules that count each of its occurrences,
    // so an event visits only its own rules instead of every rule scanning every event.
    private readonly int _ruleCount;
    private readonly Dictionary<string, EventRuleSlot[]> _rulesByEventType;

    // The same map as two arrays, with the type names interned: the host interns stored event types (and string
    // literals are interned), so the usual event finds its rules by reference, without hashing its type.
    private readonly string[] _internedTypes;
    private readonly EventRuleSlot[][] _internedRules;
    private readonly EventRuleSlot[] _atLeastRules;

    // Half-life contributions change continuously, so a label can change between two scheduled instants.
    private readonly bool _continuous;

    // The model's lists as arrays: looping over the interfaces costs a call per item and an enumerator per loop.
    private readonly (Group Group, Rule[] Rules)[] _groups;
    private readonly Threshold[] _thresholds;
    private readonly Threshold[] _fitThresholds;
    private readonly Threshold[] _engagementThresholds;

    public PointsEvaluator(PointsModel model)
    {
        _model = model;
        var eachOccurrence = new List<EventRuleSlot>();
        var atLeast = new List<EventRuleSlot>();
        foreach (var rule in model.Groups.SelectMany(g => g.Rules))
        {
            if (rule is EventRule e)
            {
                (e.AtLeast is null ? eachOccurrence : atLeast).Add(new EventRuleSlot(_ruleCount, e));
            }

            _ruleCount++;
        }

        _rulesByEventType = eachOccurrence
            .GroupBy(r => r.Rule.Event, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        _internedTypes = [.. _rulesByEventType.Keys.Select(string.Intern)];
        _internedRules = [.. _rulesByEventType.Values];
        _atLeastRules = [.. atLeast];
        EventTypes = eachOccurrence.Concat(atLeast).Select(r => r.Rule.Event).ToHashSet(StringComparer.Ordinal);
        _continuous = eachOccurrence.Concat(atLeast).Any(r => r.Rule.Decay?.Type == DecayType.HalfLife);
        _groups = [.. model.Groups.Select(g => (g, g.Rules.ToArray()))];
        _thresholds = [.. model.Thresholds];
        _fitThresholds = [.. model.FitThresholds];
        _engagementThresholds = [.. model.EngagementThresholds];
    }

    public IReadOnlySet<string>? EventTypes { get; }

    /// <remarks>
    /// Computes the totals only; <see cref="ScoreEvaluation.Groups"/> is filled in by the same pass run again,
    /// recording, when it is first read. Publish and live updates read only the totals, so they allocate nothing per
    /// rule or event; the read endpoints that show the breakdown pay for it.
    /// </remarks>
    public ScoreEvaluation Evaluate(LeadView lead, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(lead);
        if (!IsIncluded(lead, asOf))
        {
            return new ScoreEvaluation { Value = 0, Included = false };
        }

        var totals = Score(lead, asOf, explanation: null);
        var combined = _model.Kind == ScoreKind.Combined;
        var (label, fitLabel, engagementLabel) = Labels(totals);
        var next = totals.NextChangeAt == DateTimeOffset.MaxValue ? null : totals.NextChangeAt;
        if (_continuous && next is { } boundary && label is not null)
        {
            next = LabelChange(lead, asOf, boundary, label) ?? boundary;
        }

        return new ScoreEvaluation
        {
            Value = totals.Total,
            Label = label,
            Engagement = combined ? Round(totals.Engagement) : null,
            Fit = combined ? Round(totals.Fit) : null,
            EngagementLabel = engagementLabel,
            FitLabel = fitLabel,
            Groups = new Explanation(this, lead, asOf),
            NextChangeAt = next,
        };
    }

    private (string? Label, string? Fit, string? Engagement) Labels(Totals totals)
    {
        if (_model.Kind != ScoreKind.Combined)
        {
            return (LabelFor(_thresholds, totals.Total), null, null);
        }

        var fit = LabelFor(_fitThresholds, totals.Fit);
        var engagement = LabelFor(_engagementThresholds, totals.Engagement);
        return (fit is not null && engagement is not null ? fit + engagement : LabelFor(_thresholds, totals.Total), fit, engagement);
    }

    /// <summary>
    /// With half-life decay the score moves continuously between the discrete instants <c>NextChangeAt</c> names, so a
    /// threshold can be crossed before <paramref name="boundary"/>. Returns the first second at which the label differs
    /// from <paramref name="label"/>, or null if it holds until then. Between two discrete changes every half-life
    /// contribution moves monotonically toward zero; the search assumes the label changes at most once there.
    /// </summary>
    private DateTimeOffset? LabelChange(LeadView lead, DateTimeOffset asOf, DateTimeOffset boundary, string label)
    {
        string? LabelAt(DateTimeOffset at) => Labels(Score(lead, at, explanation: null)).Label;

        var changed = boundary.AddTicks(-1);
        if (changed <= asOf || LabelAt(changed) == label)
        {
            return null;
        }

        var holds = asOf;
        while (changed - holds > TimeSpan.FromSeconds(1))
        {
            var middle = holds + ((changed - holds) / 2);
            if (LabelAt(middle) == label)
            {
                holds = middle;
            }
            else
            {
                changed = middle;
            }
        }

        return changed;
    }

    /// <summary>
    /// The one scoring pass. With <paramref name="explanation"/> it also records every group, rule and counted event;
    /// without, it allocates nothing.
    /// </summary>
    private Totals Score(LeadView lead, DateTimeOffset asOf, List<GroupBreakdown>? explanation)
    {
        // Each rule's points by slot: event sums first, then capped and rounded per rule.
        Span<double> points = _ruleCount <= MaxStackRules ? stackalloc double[_ruleCount] : new double[_ruleCount];
        var counted = explanation is null ? null : new List<EventContribution>?[_ruleCount];
        DateTimeOffset? next = null;

        var events = AsSpan(lead.Events);
        foreach (var e in events)
        {
            if (e.OccurredAt > asOf || RulesFor(e.Type) is not { } rules)
            {
                continue;
            }

            foreach (var (slot, rule, where, undecayed) in rules)
            {
                DateTimeOffset? leavesAt = null;
                if ((rule.Timeframe is not null || where.Length > 0) && !Counts(rule, where, e, asOf, out leavesAt))
                {
                    continue;
                }

                DateTimeOffset? decayStep = null;
                var current = rule.Decay is null ? undecayed : Round(Decayed(rule.Points, rule.Decay, e.OccurredAt, asOf, out decayStep));
                points[slot] += current;
                if (decayStep is not null || leavesAt is not null)
                {
                    next = Earliest(next, Earliest(decayStep, leavesAt));
                }

                if (counted is not null)
                {
                    (counted[slot] ??= []).Add(new EventContribution(e.Id, e.OccurredAt, rule.Points, current));
                }
            }
        }

        foreach (var (slot, rule, where, _) in _atLeastRules)
        {
            points[slot] = EvaluateAtLeast(rule, where, rule.AtLeast!.Value, events, asOf, ref next, out var award);
            if (counted is not null && award is not null)
            {
                counted[slot] = [award];
            }
        }

        double total = 0, fit = 0, engagement = 0;
        var groupStart = 0;
        foreach (var (group, groupRules) in _groups)
        {
            var rules = explanation is null ? null : new List<RuleBreakdown>(groupRules.Length);
            double raw = 0;
            for (var r = 0; r < groupRules.Length; r++)
            {
                var slot = groupStart + r;
                var rule = groupRules[r];
                var rulePoints = rule switch
                {
                    EventRule { AtLeast: not null } => points[slot],
                    EventRule e => Round(Cap(points[slot], e.Max)),
                    PropertyRule p => p.Condition.Matches(lead.Properties.ValueAt(p.Condition.Property, asOf)) ? p.Points : 0,
                    _ => throw new InvalidOperationException($"Unknown rule type {rule.GetType().Name}."),
                };
                raw += rulePoints;
                rules?.Add(new RuleBreakdown
                {
                    Index = rule.Index,
                    Description = rule.Description,
                    Points = rulePoints,
                    Events = counted?[slot] ?? (IReadOnlyList<EventContribution>)[],
                });
            }

            groupStart += groupRules.Length;
            raw = Round(raw);
            var value = group.Limit is { } limit ? Math.Min(raw, limit) : raw;
            explanation?.Add(new GroupBreakdown
            {
                Name = group.Name,
                Raw = raw,
                Value = value,
                Limit = group.Limit,
                Part = group.IsFit ? "fit" : "engagement",
                Rules = rules!,
            });
            total += value;
            if (group.IsFit)
            {
                fit += value;
            }
            else
            {
                engagement += value;
            }
        }

        total = Round(total);
        if (_model.Limit is { } scoreLimit)
        {
            total = Math.Min(total, scoreLimit);
        }

        if (_model.Floor is { } floor)
        {
            total = Math.Max(total, floor);
        }

        return new Totals(total, fit, engagement, next);
    }

    // By reference first; the dictionary answers the rest (a type no rule counts, or a type string nobody interned).
    private EventRuleSlot[]? RulesFor(string type)
    {
        var types = _internedTypes;
        for (var i = 0; i < types.Length; i++)
        {
            if (ReferenceEquals(types[i], type))
            {
                return _internedRules[i];
            }
        }

        return _rulesByEventType.TryGetValue(type, out var rules) ? rules : null;
    }

    private List<GroupBreakdown> Explain(LeadView lead, DateTimeOffset asOf)
    {
        var groups = new List<GroupBreakdown>(_model.Groups.Count);
        Score(lead, asOf, groups);
        return groups;
    }

    // Adding 0.0 turns -0 (a fully decayed negative rule) into 0, so it never shows as "-0". Whole numbers (most
    // points and sums) skip Math.Round's scaling and division: it runs for every rule and group of every lead.
    internal static double Round(double value) =>
        value == Math.Floor(value) ? value + 0.0 : Math.Round(value, 4, MidpointRounding.AwayFromZero) + 0.0;

    /// <summary>An event's points at <paramref name="asOf"/> after decay, and when they next change.</summary>
    internal static double Decayed(double original, Decay? decay, DateTimeOffset occurredAt, DateTimeOffset asOf, out DateTimeOffset? nextChange)
    {
        nextChange = null;
        if (decay is null || original == 0)
        {
            return original;
        }

        switch (decay.Type)
        {
            case DecayType.Expire:
                var end = decay.Every.After(occurredAt, 1);
                if (!Duration.IsOver(end, asOf))
                {
                    nextChange = end;
                    return original;
                }

                return 0;

            case DecayType.Linear:
                // Whole periods only: the value steps down on each anniversary of the event, never below zero.
                var periods = decay.Every.FullPeriods(occurredAt, asOf);
                var remainingPercent = 100 - (decay.Percent * periods);
                if (remainingPercent <= 1e-9)
                {
                    return 0;
                }

                nextChange = decay.Every.After(occurredAt, periods + 1);
                return original * remainingPercent / 100;

            case DecayType.HalfLife:
                // Continuous; re-evaluating at each period boundary keeps the host's schedule finite.
                var current = original * Math.Pow(0.5, decay.Every.Periods(occurredAt, asOf));
                if (Round(current) != 0)
                {
                    nextChange = decay.Every.After(occurredAt, decay.Every.FullPeriods(occurredAt, asOf) + 1);
                }

                return current;

            default:
                return original;
        }
    }

    // Awards the points once while at least N matching events fall in the window ending at asOf. The award is
    // attributed to the N-th newest of them: when it leaves the window the rule goes stale.
    private static double EvaluateAtLeast(
        EventRule rule, Condition[] where, int atLeast, ReadOnlySpan<LeadEvent> events, DateTimeOffset asOf, ref DateTimeOffset? next, out EventContribution? award)
    {
        award = null;
        var seen = 0;
        for (var i = events.Length - 1; i >= 0; i--)
        {
            var e = events[i];
            if (e.OccurredAt > asOf || !string.Equals(e.Type, rule.Event, StringComparison.Ordinal) || !Counts(rule, where, e, asOf, out var leavesAt))
            {
                continue;
            }

            if (rule.Within is { } within)
            {
                var windowEnd = within.After(e.OccurredAt, 1);
                if (Duration.IsOver(windowEnd, asOf))
                {
                    continue;
                }

                leavesAt = Earliest(leavesAt, windowEnd);
            }

            if (++seen == atLeast)
            {
                next = Earliest(next, leavesAt);
                award = new EventContribution(e.Id, e.OccurredAt, rule.Points, rule.Points);
                return Round(Cap(rule.Points, rule.Max));
            }
        }

        return 0;
    }

    // Whether an event of the rule's type, at or before asOf, counts for the rule; leavesAt is when it drops out of
    // the rule's timeframe.
    private static bool Counts(EventRule rule, Condition[] where, LeadEvent e, DateTimeOffset asOf, out DateTimeOffset? leavesAt)
    {
        leavesAt = null;
        if (rule.Timeframe is { } timeframe)
        {
            var end = timeframe.After(e.OccurredAt, 1);
            if (Duration.IsOver(end, asOf))
            {
                return false;
            }

            leavesAt = end;
        }

        foreach (var condition in where)
        {
            if (!condition.Matches(e.Properties.TryGetValue(condition.Property, out var value) ? value : null))
            {
                return false;
            }
        }

        return true;
    }

    // 'max' caps the size of the rule's total, in the direction of its points.
    private static double Cap(double total, double? max) => max is not { } m ? total : total >= 0 ? Math.Min(total, m) : Math.Max(total, -m);

    private bool IsIncluded(LeadView lead, DateTimeOffset asOf)
    {
        if (_model.Include is { } include && !include.Matches(lead.Properties.ValueAt(include.Property, asOf)))
        {
            return false;
        }

        return _model.Exclude is not { } exclude || !exclude.Matches(lead.Properties.ValueAt(exclude.Property, asOf));
    }

    private static string? LabelFor(Threshold[] thresholds, double value)
    {
        foreach (var threshold in thresholds)
        {
            if (threshold.Below is not { } below || value < below)
            {
                return threshold.Label;
            }
        }

        return null;
    }

    // The host passes arrays (a contact) and lists (a company); indexing through the interface costs a call per event.
    private static ReadOnlySpan<LeadEvent> AsSpan(IReadOnlyList<LeadEvent> events) => events switch
    {
        LeadEvent[] array => array,
        List<LeadEvent> list => CollectionsMarshal.AsSpan(list),
        _ => events.ToArray(),
    };

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : a < b ? a : b;

    /// <summary>
    /// An event rule with its slot in the flattened rule list, its conditions as an array (a loop over the interface
    /// would allocate an enumerator per event) and its points rounded once, for when it does not decay.
    /// </summary>
    private readonly record struct EventRuleSlot(int Slot, EventRule Rule, Condition[] Where, double Undecayed)
    {
        public EventRuleSlot(int slot, EventRule rule)
            : this(slot, rule, [.. rule.Where], Round(rule.Points))
        {
        }
    }

    private readonly record struct Totals(double Total, double Fit, double Engagement, DateTimeOffset? NextChangeAt);

    /// <summary>
    /// The breakdown of one evaluation, built on first read by running the scoring pass again with recording on.
    /// Scoring is pure and a <see cref="LeadView"/> is read-only, so the result is the one the totals came from.
    /// </summary>
    private sealed class Explanation(PointsEvaluator evaluator, LeadView lead, DateTimeOffset asOf) : IReadOnlyList<GroupBreakdown>
    {
        private List<GroupBreakdown>? _groups;

        public int Count => Groups.Count;

        private List<GroupBreakdown> Groups
        {
            get
            {
                if (Volatile.Read(ref _groups) is { } built)
                {
                    return built;
                }

                // Concurrent first reads may each build one; they are equal, and the first one stored is kept.
                Interlocked.CompareExchange(ref _groups, evaluator.Explain(lead, asOf), null);
                return _groups!;
            }
        }

        public GroupBreakdown this[int index] => Groups[index];

        public IEnumerator<GroupBreakdown> GetEnumerator() => Groups.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
