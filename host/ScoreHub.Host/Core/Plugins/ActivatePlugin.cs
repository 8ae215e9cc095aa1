using System.Text.Json;
using Mediator;
using Microsoft.Extensions.Options;
using ScoreHub.Host.Core;
using ScoreHub.Host.Core.Plugins;
using ScoreHub.Host.Core.Workspaces;
using ScoreHub.Sdk;

namespace ScoreHub.Host.Core.Plugins;

/// <summary>Switches a plugin on for the caller's workspace after the plugin has validated the settings.</summary>
internal sealed record ActivatePlugin(Caller Caller, string PluginId, JsonElement Settings) : ICommand<PluginEntry>, IAuthorized
{
    public IReadOnlyCollection<KeyKind> AllowedKinds => [KeyKind.Secret];
}

internal sealed record DeactivatePlugin(Caller Caller, string PluginId) : ICommand<bool>, IAuthorized
{
    public IReadOnlyCollection<KeyKind> AllowedKinds => [KeyKind.Secret];
}

internal sealed class ActivatePluginHandler(PluginCatalog catalog, Activations activations, PluginInvoker invoker, TimeProvider clock)
    : ICommandHandler<ActivatePlugin, PluginEntry>, ICommandHandler<DeactivatePlugin, bool>
{
    public ValueTask<PluginEntry> Handle(ActivatePlugin command, CancellationToken ct)
    {
        var workspace = command.Caller.Workspace;
        var entry = catalog.Find(command.PluginId) ?? throw new NotFoundException($"No plugin '{command.PluginId}' is installed.");
        if (entry.Instance is null)
        {
            throw new ConflictException($"Plugin '{entry.Id}' cannot be activated: {entry.Status}: {entry.Reason}");
        }

        if (command.Settings.ValueKind != JsonValueKind.Object)
        {
            throw RequestValidationException.For("settings", "Settings must be a JSON object.");
        }

        var settings = new PluginSettings(command.Settings);
        invoker.Reset(workspace, entry.Id);
        var declared = settings.CheckAgainst(entry.Manifest!.Settings);
        var report = declared.IsValid
            ? invoker.Invoke(workspace, entry.Id, () => entry.Instance.ValidateSettings(settings))
            : PluginCall<ValidationReport>.Ok(declared);
        if (!report.Succeeded)
        {
            throw new ConflictException($"Plugin '{entry.Id}' failed to validate the settings: {report.Error}");
        }

        if (!report.Value!.IsValid)
        {
            throw new RequestValidationException(report.Value.Errors
                .GroupBy(e => "settings." + e.Field)
                .ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()), "The plugin rejected these settings.");
        }

        activations.Save(new Activation(workspace, entry.Id, settings, clock.GetUtcNow()));
        return ValueTask.FromResult(entry);
    }

    public ValueTask<bool> Handle(DeactivatePlugin command, CancellationToken ct)
    {
        invoker.Reset(command.Caller.Workspace, command.PluginId);
        return ValueTask.FromResult(activations.Remove(command.Caller.Workspace, command.PluginId));
    }
}
