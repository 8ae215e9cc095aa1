using System.Text.Json;
using ScoreHub.Plugins.Points;
using ScoreHub.Sdk;

[assembly: ScoreHubPlugin(typeof(PointsPlugin))]

namespace ScoreHub.Plugins.Points;

/// <summary>
/// The entry type the host creates: HubSpot-style points scoring (groups of event and property rules, limits,
/// decay, thresholds). The work is in <see cref="PointsStrategy"/>; this type exists because the host needs a public one.
/// </summary>
public sealed class PointsPlugin : IScoringStrategy
{
    private readonly PointsStrategy _strategy = new();

    /// <inheritdoc />
    public PluginManifest Manifest => _strategy.Manifest;

    /// <inheritdoc />
    public ValidationReport ValidateSettings(PluginSettings settings) => _strategy.ValidateSettings(settings);

    /// <inheritdoc />
    public ValidationReport ValidateModel(JsonElement model) => _strategy.ValidateModel(model);

    /// <inheritdoc />
    public IScoreEvaluator Compile(JsonElement model) => _strategy.Compile(model);
}
