using System.Text.Json;
using Mediator;
using Microsoft.Extensions.Options;
using ScoreHub.Host.Core;
using ScoreHub.Host.Core.Plugins;
using ScoreHub.Host.Core.Workspaces;
using ScoreHub.Host.Features.Workspaces;
using ScoreHub.Host.Infrastructure;
using ScoreHub.Sdk;

namespace ScoreHub.Host.Features.Plugins;

internal sealed record PluginDto(
    string Id,
    string? Name,
    string Version,
    string? SdkVersion,
    IReadOnlyList<string> Kinds,
    string Status,
    string? Reason,
    string? Description,
    IReadOnlyList<SettingDto> Settings,
    ActivationDto? Activation);

internal sealed record SettingDto(string Name, string Type, bool Required, bool Secret, string Description);

internal sealed record ActivationDto(bool Active, JsonElement Settings, DateTimeOffset UpdatedAt, string Health, string? LastError);

internal static class PluginEndpoints
{
    public static IEndpointRouteBuilder MapPlugins(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/plugins").WithTags("Plugins");

        // Admin sees every installed plugin; a workspace sees the same list with its own activation and health.
        group.MapGet("/", (HttpContext http, PluginCatalog catalog, Activations activations, PluginInvoker invoker) =>
        {
            var workspace = Caller.From(http.User).WorkspaceId;
            return TypedResults.Ok(catalog.All.Select(e => ToDto(e, workspace, activations, invoker)).ToList());
        }).RequireAuthorization(Policies.AdminOrSecret);

        group.MapGet("/{id}", (string id, HttpContext http, PluginCatalog catalog, Activations activations, PluginInvoker invoker) =>
        {
            var entry = catalog.Find(id) ?? throw new NotFoundException($"No plugin '{id}' is installed.");
            return TypedResults.Ok(ToDto(entry, Caller.From(http.User).WorkspaceId, activations, invoker));
        }).RequireAuthorization(Policies.AdminOrSecret);

        // Installs or upgrades a plugin from a .shplugin package, live: the next call goes to the new version.
        group.MapPost("/", async (HttpContext http, IMediator mediator, IOptions<ScoreHubOptions> options, CancellationToken ct) =>
        {
            var contentType = http.Request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
            if (contentType is not ("application/zip" or "application/octet-stream" or "application/x-zip-compressed"))
            {
                throw new BadHttpRequestException(
                    "Send the package bytes as the body with Content-Type application/zip or application/octet-stream.", StatusCodes.Status415UnsupportedMediaType);
            }

            var package = await RequestBody.ReadAsync(http, options.Value.MaxPluginPackageBytes, ct);
            var result = await mediator.Send(new InstallPlugin(Caller.From(http.User), package), ct);
            return result.Changed
                ? Results.Created($"/api/v1/plugins/{result.Id}", result)
                : Results.Ok(result);
        }).RequireAuthorization(Policies.Admin);

        group.MapPut("/{id}/activation", async (string id, HttpContext http, IMediator mediator, Activations activations, PluginInvoker invoker, CancellationToken ct) =>
        {
            using var body = await RequestBody.ReadJsonAsync(http, 64 * 1024, ct);
            var root = body.RootElement;
            // Accept either {"settings": {...}} or the settings object itself.
            var settings = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("settings", out var inner) && root.EnumerateObject().Count() == 1
                ? inner
                : root;
            var caller = Caller.From(http.User);
            var entry = await mediator.Send(new ActivatePlugin(caller, id, settings.Clone()), ct);
            return TypedResults.Ok(ToDto(entry, caller.Workspace, activations, invoker));
        }).RequireAuthorization(Policies.Secret);

        group.MapDelete("/{id}/activation", async (string id, HttpContext http, IMediator mediator, CancellationToken ct) =>
        {
            var removed = await mediator.Send(new DeactivatePlugin(Caller.From(http.User), id), ct);
            return removed ? Results.NoContent() : Results.Problem(statusCode: 404, title: "Not found", detail: $"Plugin '{id}' is not active in this workspace.");
        }).RequireAuthorization(Policies.Secret);

        return app;
    }

    internal static PluginDto ToDto(PluginEntry entry, string? workspaceId, Activations activations, PluginInvoker invoker)
    {
        var manifest = entry.Manifest;
        ActivationDto? activation = null;
        if (workspaceId is not null && activations.Find(workspaceId, entry.Id) is { } active)
        {
            var (open, failures, lastError) = invoker.State(workspaceId, entry.Id);
            var health = !active.Usable ? "needs-attention" : open ? "faulted" : failures > 0 ? "degraded" : "healthy";
            activation = new ActivationDto(true, Redact(active.Settings, manifest), active.UpdatedAt, health, active.Attention ?? lastError);
        }

        return new PluginDto(
            entry.Id,
            manifest?.Name,
            entry.Version,
            manifest?.SdkVersion,
            [.. Enum.GetValues<PluginKinds>().Where(k => k != PluginKinds.None && entry.Kinds.HasFlag(k)).Select(PluginKindNames.Of)],
            entry.Status switch
            {
                PluginStatus.Loaded => "loaded",
                PluginStatus.Incompatible => "incompatible",
                PluginStatus.NotAPlugin => "not-a-plugin",
                _ => "failed",
            },
            entry.Reason,
            manifest?.Description,
            manifest is null ? [] : [.. manifest.Settings.Select(s => new SettingDto(s.Name, s.Type.ToString().ToLowerInvariant(), s.Required, s.Secret, s.Description))],
            activation);
    }

    /// <summary>Secret settings are never returned: each is replaced by "***".</summary>
    private static JsonElement Redact(PluginSettings settings, PluginManifest? manifest)
    {
        var secrets = manifest?.Settings.Where(s => s.Secret).Select(s => s.Name).ToHashSet(StringComparer.Ordinal) ?? [];
        var copy = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in settings.Json.EnumerateObject())
        {
            copy[property.Name] = secrets.Contains(property.Name) ? JsonSerializer.SerializeToElement("***") : property.Value;
        }

        return JsonSerializer.SerializeToElement(copy);
    }
}
