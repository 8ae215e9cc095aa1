using System.Text.Json;
using ScoreHub.Sdk;

[assembly: ScoreHubPlugin(typeof(ScoreHub.Plugin1.EngagementStrategy))]

namespace ScoreHub.Plugin1;

/// <summary>
/// Scores a lead by points per event type, each event counting for a number of days:
/// <c>{"points":{"webinar.attended":10,"email.opened":1},"days":30}</c>. The entry type the assembly marker names;
/// internal, as the host creates non-public entry types.
/// </summary>
internal sealed class EngagementStrategy : IScoringStrategy
{
    /// <inheritdoc />
    public PluginManifest Manifest { get; } = new()
    {
        Id = "PLUGIN_ID",
        Name = "ScoreHub.Plugin1",
        Version = "0.1.0",
        SdkVersion = ScoreHubSdk.Version,
        Kinds = PluginKinds.ScoringStrategy,
        Description = "Points per event type, each event counting for a number of days.",
    };

    /// <inheritdoc />
    public ValidationReport ValidateSettings(PluginSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.CheckAgainst(Manifest.Settings);
    }

    /// <inheritdoc />
    public ValidationReport ValidateModel(JsonElement model)
    {
        if (model.ValueKind != JsonValueKind.Object)
        {
            return ValidationReport.Invalid(new FieldError("", "The model must be a JSON object."));
        }

        var errors = new List<FieldError>();
        if (!model.TryGetProperty("points", out var points) || points.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new FieldError("points", "'points' must be an object from event type to points."));
        }
        else
        {
            foreach (var rule in points.EnumerateObject())
            {
                if (rule.Value.ValueKind != JsonValueKind.Number || !double.IsFinite(rule.Value.GetDouble()))
                {
                    errors.Add(new FieldError($"points.{rule.Name}", $"The points of '{rule.Name}' must be a number."));
                }
            }
        }

        if (model.TryGetProperty("days", out var days) &&
            (days.ValueKind != JsonValueKind.Number || !days.TryGetInt32(out var d) || d is < 1 or > 3650))
        {
            errors.Add(new FieldError("days", "'days' must be a whole number from 1 to 3650."));
        }

        return new ValidationReport(errors);
    }

    /// <inheritdoc />
    public IScoreEvaluator Compile(JsonElement model)
    {
        var points = model.GetProperty("points").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble(), StringComparer.Ordinal);
        var days = model.TryGetProperty("days", out var d) ? d.GetInt32() : 30;
        return new Evaluator(points, TimeSpan.FromDays(days));
    }

    private sealed class Evaluator(Dictionary<string, double> points, TimeSpan lifetime) : IScoreEvaluator
    {
        public IReadOnlySet<string>? EventTypes { get; } = points.Keys.ToHashSet(StringComparer.Ordinal);

        public ScoreEvaluation Evaluate(LeadView lead, DateTimeOffset asOf)
        {
            var total = 0.0;
            DateTimeOffset? next = null;
            var contributions = new List<EventContribution>();
            foreach (var e in lead.Events)
            {
                if (e.OccurredAt > asOf || !points.TryGetValue(e.Type, out var value))
                {
                    continue;
                }

                var expires = e.OccurredAt + lifetime;
                if (expires <= asOf)
                {
                    continue;
                }

                total += value;
                contributions.Add(new EventContribution(e.Id, e.OccurredAt, value, value));
                next = next is null || expires < next ? expires : next;
            }

            var rule = new RuleBreakdown { Index = 0, Description = "points per event", Points = total, Events = contributions };
            return new ScoreEvaluation
            {
                Value = total,
                NextChangeAt = next,
                Groups = [new GroupBreakdown { Name = "Engagement", Raw = total, Value = total, Rules = [rule] }],
            };
        }
    }
}
