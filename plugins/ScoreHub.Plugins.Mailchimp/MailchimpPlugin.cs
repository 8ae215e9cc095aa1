using ScoreHub.Plugins.Mailchimp;
using ScoreHub.Sdk;

[assembly: ScoreHubPlugin(typeof(MailchimpPlugin))]

namespace ScoreHub.Plugins.Mailchimp;

/// <summary>
/// The entry type the host creates: Mailchimp audience webhooks as email signals and contact properties.
/// The work is in <see cref="MailchimpSource"/>; this type exists because the host needs a public one.
/// </summary>
public sealed class MailchimpPlugin : ISignalSource
{
    private readonly MailchimpSource _source = new();

    /// <inheritdoc />
    public PluginManifest Manifest => _source.Manifest;

    /// <inheritdoc />
    public ValidationReport ValidateSettings(PluginSettings settings) => _source.ValidateSettings(settings);

    /// <inheritdoc />
    public ValueTask<SourceResponse> HandleAsync(SourceRequest request, SourceContext context, CancellationToken cancellationToken) =>
        _source.HandleAsync(request, context, cancellationToken);
}
