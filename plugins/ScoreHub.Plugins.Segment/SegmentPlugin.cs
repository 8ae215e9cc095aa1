using ScoreHub.Plugins.Segment;
using ScoreHub.Sdk;

[assembly: ScoreHubPlugin(typeof(SegmentPlugin))]

namespace ScoreHub.Plugins.Segment;

/// <summary>
/// The entry type the host creates: a Segment-compatible source (HTTP Tracking API: batch, track, identify, page,
/// screen, group, alias). The work is in <see cref="SegmentSource"/>; this type exists because the host needs a public one.
/// </summary>
public sealed class SegmentPlugin : ISignalSource
{
    private readonly SegmentSource _source = new();

    /// <inheritdoc />
    public PluginManifest Manifest => _source.Manifest;

    /// <inheritdoc />
    public ValidationReport ValidateSettings(PluginSettings settings) => _source.ValidateSettings(settings);

    /// <inheritdoc />
    public ValueTask<SourceResponse> HandleAsync(SourceRequest request, SourceContext context, CancellationToken cancellationToken) =>
        _source.HandleAsync(request, context, cancellationToken);
}
