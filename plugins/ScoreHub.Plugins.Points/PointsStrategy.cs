using System.Text.Json;
using ScoreHub.Sdk;

[assembly: ScoreHubPlugin(typeof(ScoreHub.Plugins.Points.PointsStrategy))]

namespace ScoreHub.Plugins.Points;

/// <summary>
/// Validates and compiles points models. Stateless: the compiled <see cref="PointsEvaluator"/> holds the parsed
/// model and nothing else, so both are safe to share across threads.
/// </summary>
internal sealed class PointsStrategy : IScoringStrategy
{
    public PluginManifest Manifest { get; } = new()
    {
        Id = "scorehub.points",
        Name = "Points scoring",
        Version = typeof(PointsStrategy).Assembly.GetName().Version?.ToString(3) ?? "1.0.0",
        SdkVersion = ScoreHubSdk.Version,
        Kinds = PluginKinds.ScoringStrategy,
        Description = "Scores leads with points per event and property rule, grouped with limits, decay and thresholds (engagement, fit or combined).",
        Settings = PointsOptions.Descriptors,
    };

    public ValidationReport ValidateSettings(PluginSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.CheckAgainst(PointsOptions.Descriptors);
    }

    public ValidationReport ValidateModel(JsonElement model)
    {
        var errors = new List<FieldError>();
        ModelReader.Read(model, errors);
        return errors.Count == 0 ? ValidationReport.Valid : new ValidationReport(errors);
    }

    /// <exception cref="ArgumentException">The model is invalid; the host validates before compiling.</exception>
    public IScoreEvaluator Compile(JsonElement model)
    {
        var errors = new List<FieldError>();
        var parsed = ModelReader.Read(model, errors);
        if (errors.Count > 0 || parsed is null)
        {
            var first = errors.Count > 0 ? $"{errors[0].Field}: {errors[0].Message}" : "The model is invalid.";
            throw new ArgumentException($"Cannot compile an invalid points model ({first})", nameof(model));
        }

        return new PointsEvaluator(parsed);
    }
}
