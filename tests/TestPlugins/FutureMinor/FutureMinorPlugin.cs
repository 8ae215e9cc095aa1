using ScoreHub.Sdk;
using ScoreHub.TestPlugins.FutureMinor;

[assembly: ScoreHubPlugin(typeof(FutureMinorPlugin))]

namespace ScoreHub.TestPlugins.FutureMinor;

/// <summary>Claims an SDK minor newer than the host's: it may use members the host does not have.</summary>
public sealed class FutureMinorPlugin : ISignalSource
{
    public PluginManifest Manifest { get; } = new()
    {
        Id = "test.future-minor",
        Name = "Future minor",
        Version = "1.0.0",
        SdkVersion = "1.99.0",
        Kinds = PluginKinds.SignalSource,
    };

    public ValidationReport ValidateSettings(PluginSettings settings) => ValidationReport.Valid;

    public ValueTask<SourceResponse> HandleAsync(SourceRequest request, SourceContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(SourceResponse.Accept([]));
}
