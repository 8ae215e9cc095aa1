using ScoreHub.Sdk;

namespace ScoreHub.TestPlugins.NoMarker;

/// <summary>A valid plugin type in an assembly without the [assembly: ScoreHubPlugin] marker: the host must not scan for it.</summary>
public sealed class NoMarkerSource : IScoreHubPlugin
{
    public PluginManifest Manifest { get; } = new()
    {
        Id = "test.no-marker",
        Name = "No marker",
        Version = "1.0.0",
        SdkVersion = ScoreHubSdk.Version,
        Kinds = PluginKinds.SignalSource,
    };

    public ValidationReport ValidateSettings(PluginSettings settings) => ValidationReport.Valid;
}
