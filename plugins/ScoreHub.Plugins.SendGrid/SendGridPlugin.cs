using ScoreHub.Plugins.SendGrid;
using ScoreHub.Sdk;

[assembly: ScoreHubPlugin(typeof(SendGridPlugin))]

namespace ScoreHub.Plugins.SendGrid;

/// <summary>
/// The entry type the host creates: SendGrid's signed Event Webhook as email signals.
/// The work is in <see cref="SendGridSource"/>; this type exists because the host needs a public one.
/// </summary>
public sealed class SendGridPlugin : ISignalSource
{
    private readonly SendGridSource _source = new();

    /// <inheritdoc />
    public PluginManifest Manifest => _source.Manifest;

    /// <inheritdoc />
    public ValidationReport ValidateSettings(PluginSettings settings) => _source.ValidateSettings(settings);

    /// <inheritdoc />
    public ValueTask<SourceResponse> HandleAsync(SourceRequest request, SourceContext context, CancellationToken cancellationToken) =>
        _source.HandleAsync(request, context, cancellationToken);
}
