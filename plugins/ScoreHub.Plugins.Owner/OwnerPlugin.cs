using ScoreHub.Plugins.Owner;
using ScoreHub.Sdk;

[assembly: ScoreHubPlugin(typeof(OwnerPlugin))]

namespace ScoreHub.Plugins.Owner;

/// <summary>
/// The entry type the host creates: assigns an owner to unassigned leads and moves their lifecycle stage.
/// The work is in <see cref="OwnerAction"/>; this type exists because the host needs a public one.
/// </summary>
public sealed class OwnerPlugin : ILeadAction
{
    private readonly OwnerAction _action = new();

    /// <inheritdoc />
    public PluginManifest Manifest => _action.Manifest;

    /// <inheritdoc />
    public ValidationReport ValidateSettings(PluginSettings settings) => _action.ValidateSettings(settings);

    /// <inheritdoc />
    public ValueTask<ActionOutcome> ExecuteAsync(ActionRequest request, ActionContext context, CancellationToken cancellationToken) =>
        _action.ExecuteAsync(request, context, cancellationToken);
}
