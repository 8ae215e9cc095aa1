using ScoreHub.Plugins.Social;
using ScoreHub.Sdk;

[assembly: ScoreHubPlugin(typeof(SocialPlugin))]

namespace ScoreHub.Plugins.Social;

/// <summary>
/// The entry type the host creates: a social tool's signed engagement webhook as social signals.
/// The work is in <see cref="SocialSource"/>; this type exists because the host needs a public one.
/// </summary>
public sealed class SocialPlugin : ISignalSource
{
    private readonly SocialSource _source = new();

    /// <inheritdoc />
    public PluginManifest Manifest => _source.Manifest;

    /// <inheritdoc />
    public ValidationReport ValidateSettings(PluginSettings settings) => _source.ValidateSettings(settings);

    /// <inheritdoc />
    public ValueTask<SourceResponse> HandleAsync(SourceRequest request, SourceContext context, CancellationToken cancellationToken) =>
        _source.HandleAsync(request, context, cancellationToken);
}
