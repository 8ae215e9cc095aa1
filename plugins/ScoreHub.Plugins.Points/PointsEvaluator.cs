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
    private readonly PointsModel _model;

    public PointsEvaluator(PointsModel model)
    {
        _model = model;
        EventTypes = model.Groups
            .SelectMany(g => g.Rules)
            .OfType<EventRule>()
            .Select(r => r.Event)
            .ToHashSet(StringComparer.Ordinal);
    }

    public IReadOnlySet<string>? EventTypes { get; }

    public ScoreEvaluation Evaluate(LeadView lead, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(lead);
        if (!IsIncluded(lead, asOf))
        {
            return new ScoreEvaluation { Value = 0, Included = false };
        }

        DateTimeOffset? next = null;
        var groups = new List<GroupBreakdown>(_model.Groups.Count);
        double total = 0, fit = 0, engagement = 0;
        foreach (var group in _model.Groups)
        {
            var rules = new List<RuleBreakdown>(group.Rules.Count);
            double raw = 0;
            foreach (var rule in group.Rules)
            {
                var breakdown = rule switch
                {
                    EventRule e => EvaluateEventRule(e, lead.Events, asOf, ref next),
                    PropertyRule p => EvaluatePropertyRule(p, lead, asOf),
                    _ => throw new InvalidOperationException($"Unknown rule type {rule.GetType().Name}."),
                };
                rules.Add(breakdown);
                raw += breakdown.Points;
            }

            raw = Round(raw);
            var value = group.Limit is { } limit ? Math.Min(raw, limit) : raw;
            groups.Add(new GroupBreakdown
            {
                Name = group.Name,
                Raw = raw,
                Value = value,
                Limit = group.Limit,
                Part = group.IsFit ? "fit" : "engagement",
                Rules = rules,
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

        var combined = _model.Kind == ScoreKind.Combined;
        var fitLabel = combined ? LabelFor(_model.FitThresholds, fit) : null;
        var engagementLabel = combined ? LabelFor(_model.EngagementThresholds, engagement) : null;
        var label = combined && fitLabel is not null && engagementLabel is not null
            ? fitLabel + engagementLabel
            : LabelFor(_model.Thresholds, total);

        return new ScoreEvaluation
        {
            Value = total,
            Label = label,
            Engagement = combined ? Round(engagement) : null,
            Fit = combined ? Round(fit) : null,
            EngagementLabel = engagementLabel,
            FitLabel = fitLabel,
            Groups = groups,
            NextChangeAt = next == DateTimeOffset.MaxValue ? null : next,
        };
    }

    // Adding 0.0 turns -0 (a fully decayed negative rule) into 0, so it never shows as "-0".
    internal static double Round(double value) => Math.Round(value, 4, MidpointRounding.AwayFromZero) + 0.0;

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

    private static RuleBreakdown EvaluateEventRule(EventRule rule, IReadOnlyList<LeadEvent> events, DateTimeOffset asOf, ref DateTimeOffset? next)
    {
        return rule.AtLeast is { } atLeast
            ? EvaluateAtLeast(rule, atLeast, events, asOf, ref next)
            : EvaluateEachOccurrence(rule, events, asOf, ref next);
    }

    private static RuleBreakdown EvaluateEachOccurrence(EventRule rule, IReadOnlyList<LeadEvent> events, DateTimeOffset asOf, ref DateTimeOffset? next)
    {
        var contributions = new List<EventContribution>();
        double sum = 0;
        foreach (var e in events)
        {
            if (!Counts(rule, e, asOf, out var leavesAt))
            {
                continue;
            }

            var current = Round(Decayed(rule.Points, rule.Decay, e.OccurredAt, asOf, out var decayStep));
            contributions.Add(new EventContribution(e.Id, e.OccurredAt, rule.Points, current));
            sum += current;
            next = Earliest(next, Earliest(decayStep, leavesAt));
        }

        return new RuleBreakdown
        {
            Index = rule.Index,
            Description = rule.Description,
            Points = Round(Cap(sum, rule.Max)),
            Events = contributions,
        };
    }

    // Awards the points once while at least N matching events fall in the window ending at asOf. The award is
    // attributed to the N-th newest of them: when it leaves the window the rule goes stale.
    private static RuleBreakdown EvaluateAtLeast(EventRule rule, int atLeast, IReadOnlyList<LeadEvent> events, DateTimeOffset asOf, ref DateTimeOffset? next)
    {
        var seen = 0;
        for (var i = events.Count - 1; i >= 0; i--)
        {
            var e = events[i];
            if (!Counts(rule, e, asOf, out var leavesAt))
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
                var points = Round(Cap(rule.Points, rule.Max));
                return new RuleBreakdown
                {
                    Index = rule.Index,
                    Description = rule.Description,
                    Points = points,
                    Events = [new EventContribution(e.Id, e.OccurredAt, rule.Points, rule.Points)],
                };
            }
        }

        return new RuleBreakdown { Index = rule.Index, Description = rule.Description, Points = 0 };
    }

    // Whether the event counts for the rule at asOf; leavesAt is when it drops out of the rule's timeframe.
    private static bool Counts(EventRule rule, LeadEvent e, DateTimeOffset asOf, out DateTimeOffset? leavesAt)
    {
        leavesAt = null;
        if (e.OccurredAt > asOf || !string.Equals(e.Type, rule.Event, StringComparison.Ordinal))
        {
            return false;
        }

        if (rule.Timeframe is { } timeframe)
        {
            var end = timeframe.After(e.OccurredAt, 1);
            if (Duration.IsOver(end, asOf))
            {
                return false;
            }

            leavesAt = end;
        }

        foreach (var condition in rule.Where)
        {
            if (!condition.Matches(e.Properties.TryGetValue(condition.Property, out var value) ? value : null))
            {
                return false;
            }
        }

        return true;
    }

    private static RuleBreakdown EvaluatePropertyRule(PropertyRule rule, LeadView lead, DateTimeOffset asOf) => new()
    {
        Index = rule.Index,
        Description = rule.Description,
        Points = rule.Condition.Matches(lead.Properties.ValueAt(rule.Condition.Property, asOf)) ? rule.Points : 0,
    };

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

    private static string? LabelFor(IReadOnlyList<Threshold> thresholds, double value)
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

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : a < b ? a : b;
}
