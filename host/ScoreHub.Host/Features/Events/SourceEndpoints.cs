using Mediator;
using ScoreHub.Host.Core;
using ScoreHub.Host.Core.Events;
using ScoreHub.Host.Core.Plugins;
using ScoreHub.Host.Core.Workspaces;
using ScoreHub.Host.Features.Plugins;
using ScoreHub.Host.Features.Workspaces;
using ScoreHub.Host.Infrastructure;
using ScoreHub.Sdk;

namespace ScoreHub.Host.Features.Events;

/// <summary>The answer to a source request: the ingest result, and how many schedules were set and cancelled.</summary>
internal sealed record SourceResult(
    int Accepted, int Stored, int Duplicates, IReadOnlyList<IngestItemResult> Results, int Scheduled, int Cancelled);

/// <summary>
/// Routes <c>/api/v1/sources/{pluginId}/{**path}</c> to the signal-source plugin active in the caller's workspace,
/// then appends whatever it returns through the same validated, deduplicated, durable path as the canonical API.
/// </summary>
internal static class SourceEndpoints
{
    public const long MaxBodyBytes = 1_048_576;

    public static IEndpointRouteBuilder MapSources(this IEndpointRouteBuilder app)
    {
        app.Map("/api/v1/sources/{pluginId}/{**path}", HandleAsync)
            .RequireAuthorization(Policies.Ingest)
            .RequireRateLimiting(Overload.IngestPolicy)
            .WithTags("Sources");
        return app;
    }

    private static async Task<IResult> HandleAsync(string pluginId, string? path, HttpContext http, SourceDispatcher sources, CancellationToken ct)
    {
        var source = sources.Resolve(http, pluginId);
        var body = await RequestBody.ReadAsync(http, MaxBodyBytes, ct);
        return await sources.DispatchAsync(source, http, string.IsNullOrEmpty(path) ? "" : "/" + path, body, TypedResults.Ok, ct);
    }
}

/// <summary>A signal source active in the caller's workspace, resolved before the body is read.</summary>
internal sealed record ActiveSource(Caller Caller, string PluginId, ISignalSource Source, PluginSettings Settings);

/// <summary>
/// Hands one request to a source plugin through the invoker and appends the signals it returns: shared by the generic
/// sources route and the routes that emulate a provider's own API (Segment's <c>/v1/*</c>).
/// </summary>
internal sealed class SourceDispatcher(
    PluginCatalog catalog, Activations activations, PluginInvoker invoker, IMediator mediator, ScheduledSignals scheduled,
    TimeProvider clock, ILoggerFactory loggers)
{
    /// <summary>The source <paramref name="pluginId"/> active in the caller's workspace, or a 404.</summary>
    public ActiveSource Resolve(HttpContext http, string pluginId)
    {
        var caller = Caller.From(http.User);
        var entry = catalog.Find(pluginId);
        if (entry?.Instance is not ISignalSource source || activations.Find(caller.Workspace, pluginId) is not { } activation)
        {
            throw new NotFoundException($"No signal source '{pluginId}' is active in this workspace.");
        }

        if (!activation.Usable)
        {
            throw new ConflictException($"Signal source '{pluginId}' needs attention in this workspace: {activation.Attention}");
        }

        return new ActiveSource(caller, pluginId, source, activation.Settings);
    }

    /// <summary>
    /// Calls the plugin with the request and <paramref name="body"/> (already read and un-gzipped by the caller), then
    /// answers its rejection or reply, or stores its signals and answers <paramref name="accepted"/> of the result.
    /// </summary>
    public async Task<IResult> DispatchAsync(
        ActiveSource active, HttpContext http, string path, byte[] body, Func<SourceResult, IResult> accepted, CancellationToken ct)
    {
        var (caller, pluginId, source, settings) = active;
        var request = new SourceRequest
        {
            Method = http.Request.Method.ToUpperInvariant(),
            Path = path,
            Query = http.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal),
            Headers = http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            Body = body,
            ContentType = http.Request.ContentType ?? "",
        };
        var context = new SourceContext
        {
            WorkspaceId = caller.Workspace,
            Settings = settings,
            Clock = clock,
            Logger = loggers.CreateLogger("ScoreHub.Plugins." + pluginId),
        };

        var call = await invoker.InvokeAsync(caller.Workspace, pluginId, token => source.HandleAsync(request, context, token), ct, Malformed);
        if (!call.Succeeded)
        {
            return TypedResults.Problem(statusCode: 502, title: "Signal source failed", detail: $"Plugin '{pluginId}' failed: {call.Error}");
        }

        var response = call.Value!;
        if (response.ReplyBody is not null)
        {
            return Results.Text(response.ReplyBody, response.ReplyContentType, statusCode: response.StatusCode);
        }

        if (!response.IsAccepted)
        {
            var extensions = response.Field is null
                ? null
                : new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [response.Field] = [response.Detail ?? ""] } };
            return TypedResults.Problem(statusCode: response.StatusCode, title: response.Title, detail: response.Detail, extensions: extensions);
        }

        // Everything is validated before anything is stored; schedules are written after the signals and before
        // the answer, so a provider that saw no 200 retries, and dedupe absorbs what was already stored.
        var changes = new ScheduleChanges(response.Schedule, response.Cancel);
        scheduled.Validate(changes);
        var result = response.Signals.Count == 0
            ? new IngestResult(0, 0, 0, [])
            : await mediator.Send(new IngestEvents(caller, pluginId, response.Signals), ct);
        scheduled.Apply(caller.Workspace, pluginId, changes);
        return accepted(new SourceResult(result.Accepted, result.Stored, result.Duplicates, result.Results, changes.Schedule.Count, changes.Cancel.Count));
    }

    /// <summary>
    /// Nulls where the SDK's types promise values: a plugin bug, answered 502 and counted against its breaker. Values
    /// that are merely invalid (an empty type, a date too far ahead) are the validator's business: a 400 naming them.
    /// </summary>
    private static string? Malformed(SourceResponse response)
    {
        if (response.Signals is null || response.Schedule is null || response.Cancel is null)
        {
            return $"'{(response.Signals is null ? "signals" : response.Schedule is null ? "schedule" : "cancel")}' is null";
        }

        for (var i = 0; i < response.Signals.Count; i++)
        {
            if (NullMember(response.Signals[i]) is { } member)
            {
                return $"'signals[{i}]{member}' is null";
            }
        }

        for (var i = 0; i < response.Schedule.Count; i++)
        {
            var scheduled = response.Schedule[i];
            var member = scheduled is null ? "" : scheduled.Key is null ? ".key" : NullMember(scheduled.Signal) is { } m ? ".signal" + m : null;
            if (member is not null)
            {
                return $"'schedule[{i}]{member}' is null";
            }
        }

        return response.Cancel.Any(key => key is null) ? "'cancel' holds a null key" : null;
    }

    private static string? NullMember(Signal? signal) => signal switch
    {
        null => "",
        { Id: null } => ".id",
        { Type: null } => ".type",
        { Contact: null } => ".contact",
        { Properties: null } => ".properties",
        { ContactProperties: null } => ".contactProperties",
        _ => null,
    };
}
