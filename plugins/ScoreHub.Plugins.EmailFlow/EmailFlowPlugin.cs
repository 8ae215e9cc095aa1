using ScoreHub.Plugins.EmailFlow;
using ScoreHub.Sdk;

[assembly: ScoreHubPlugin(typeof(EmailFlowPlugin))]

namespace ScoreHub.Plugins.EmailFlow;

/// <summary>
/// The entry type the host creates: enrols a lead in an email tool's nurture flow by a configurable HTTP call or
/// an ActiveCampaign / Mailchimp preset. The work is in <see cref="EmailFlowAction"/>.
/// </summary>
public sealed class EmailFlowPlugin : ILeadAction
{
    private readonly EmailFlowAction _action = new();

    /// <inheritdoc />
    public PluginManifest Manifest => _action.Manifest;

    /// <inheritdoc />
    public ValidationReport ValidateSettings(PluginSettings settings) => _action.ValidateSettings(settings);

    /// <inheritdoc />
    public ValueTask<ActionOutcome> ExecuteAsync(ActionRequest request, ActionContext context, CancellationToken cancellationToken) =>
        _action.ExecuteAsync(request, context, cancellationToken);
}
