using ScoreHub.Sdk;
using ScoreHub.TestPlugins.Broken;

[assembly: ScoreHubPlugin(typeof(BrokenPlugin))]

namespace ScoreHub.TestPlugins.Broken;

/// <summary>Fails while being created: the host must report it and carry on.</summary>
public sealed class BrokenPlugin : IScoreHubPlugin
{
    public BrokenPlugin() => throw new InvalidOperationException("boom in ctor");

    public PluginManifest Manifest => throw new InvalidOperationException("unreachable");

    public ValidationReport ValidateSettings(PluginSettings settings) => ValidationReport.Valid;
}
