using ScoreHub.Plugins.Mailgun;
using ScoreHub.Sdk;

[assembly: ScoreHubPlugin(typeof(MailgunPlugin))]

namespace ScoreHub.Plugins.Mailgun;

/// <summary>
/// The entry type the host creates: Mailgun webhooks as email signals.
/// The work is in <see cref="MailgunSource"/>; this type exists because the host needs a public one.
/// </summary>
public sealed class MailgunPlugin : ISignalSource
{
    private readonly MailgunSource _source = new();

    /// <inheritdoc />
    public PluginManifest Manifest => _source.Manifest;

    /// <inheritdoc />
    public ValidationReport ValidateSettings(PluginSettings settings) => _source.ValidateSettings(settings);

    /// <inheritdoc />
    public ValueTask<SourceResponse> HandleAsync(SourceRequest request, SourceContext context, CancellationToken cancellationToken) =>
        _source.HandleAsync(request, context, cancellationToken);
}
