using ScoreHub.Plugins.Tags;
using ScoreHub.Sdk;

[assembly: ScoreHubPlugin(typeof(TagsPlugin))]

namespace ScoreHub.Plugins.Tags;

/// <summary>
/// The entry type the host creates: a CRM-style webhook source turning tag and goal events into signals.
/// The work is in <see cref="TagsSource"/>; this type exists because the host needs a public one.
/// </summary>
public sealed class TagsPlugin : ISignalSource
{
    private readonly TagsSource _source = new();

    /// <inheritdoc />
    public PluginManifest Manifest => _source.Manifest;

    /// <inheritdoc />
    public ValidationReport ValidateSettings(PluginSettings settings) => _source.ValidateSettings(settings);

    /// <inheritdoc />
    public ValueTask<SourceResponse> HandleAsync(SourceRequest request, SourceContext context, CancellationToken cancellationToken) =>
        _source.HandleAsync(request, context, cancellationToken);
}
