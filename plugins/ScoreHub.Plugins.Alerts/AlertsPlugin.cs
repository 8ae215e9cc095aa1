using ScoreHub.Plugins.Alerts;
using ScoreHub.Sdk;

[assembly: ScoreHubPlugin(typeof(AlertsPlugin))]

namespace ScoreHub.Plugins.Alerts;

/// <summary>
/// The entry type the host creates: alerts on a score transition by signed webhook, email or live-feed toast.
/// The work is in <see cref="AlertsAction"/>; this type exists because the host needs a public one.
/// </summary>
public sealed class AlertsPlugin : ILeadAction
{
    private readonly AlertsAction _action = new();

    /// <inheritdoc />
    public PluginManifest Manifest => _action.Manifest;

    /// <inheritdoc />
    public ValidationReport ValidateSettings(PluginSettings settings) => _action.ValidateSettings(settings);

    /// <inheritdoc />
    public ValueTask<ActionOutcome> ExecuteAsync(ActionRequest request, ActionContext context, CancellationToken cancellationToken) =>
        _action.ExecuteAsync(request, context, cancellationToken);
}
