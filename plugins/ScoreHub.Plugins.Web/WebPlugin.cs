using ScoreHub.Plugins.Web;
using ScoreHub.Sdk;

[assembly: ScoreHubPlugin(typeof(WebPlugin))]

namespace ScoreHub.Plugins.Web;

/// <summary>
/// The entry type the host creates: receives the tracking snippet's hits (page views, form submissions,
/// downloads) and turns them into <c>web.*</c> and <c>social.clicked</c> signals. The work is in <see cref="WebSource"/>.
/// </summary>
public sealed class WebPlugin : ISignalSource
{
    private readonly WebSource _source = new();

    /// <inheritdoc />
    public PluginManifest Manifest => _source.Manifest;

    /// <inheritdoc />
    public ValidationReport ValidateSettings(PluginSettings settings) => _source.ValidateSettings(settings);

    /// <inheritdoc />
    public ValueTask<SourceResponse> HandleAsync(SourceRequest request, SourceContext context, CancellationToken cancellationToken) =>
        _source.HandleAsync(request, context, cancellationToken);
}
