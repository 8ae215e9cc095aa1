using Mediator;
using ScoreHub.Host.Core;
using ScoreHub.Host.Core.Actions;
using ScoreHub.Host.Core.Workspaces;
using ScoreHub.Host.Features.Workspaces;
using ScoreHub.Host.Infrastructure;

namespace ScoreHub.Host.Features.Actions;

internal sealed record DeliveryDto(
    string Id, string Trigger, int Action, string Plugin, string Kind, string RecordId, string ScoreId,
    double? FromValue, double ToValue, string? FromLabel, string? ToLabel, string Cause, DateTimeOffset At,
    long Sequence, string Status, int Attempts, string? LastError, DateTimeOffset CreatedAt, DateTimeOffset? CompletedAt)
{
    public static DeliveryDto From(Delivery d) => new(
        d.Id, d.TriggerId, d.ActionIndex, d.Plugin, d.Kind.ToString().ToLowerInvariant(), d.RecordId, d.ScoreId,
        d.FromValue, d.ToValue, d.FromLabel, d.ToLabel, d.Cause, d.At, d.Sequence, d.Status, d.Attempts, d.LastError, d.CreatedAt, d.CompletedAt);
}

/// <summary>Triggers (<c>/api/v1/triggers</c>) and the outbox's deliveries (<c>/api/v1/actions/deliveries</c>).</summary>
internal static class ActionEndpoints
{
    public static IEndpointRouteBuilder MapActions(this IEndpointRouteBuilder app)
    {
        var triggers = app.MapGroup("/api/v1/triggers").WithTags("Actions").RequireAuthorization(Policies.Secret);

        triggers.MapPut("/{id}", async (string id, HttpContext http, IMediator mediator, CancellationToken ct) =>
        {
            using var body = await RequestBody.ReadJsonAsync(http, 64 * 1024, ct);
            return TypedResults.Ok((await mediator.Send(new SaveTrigger(Caller.From(http.User), id, body.RootElement), ct)).Definition);
        });
        triggers.MapGet("/", (HttpContext http, Triggers store) =>
            TypedResults.Ok(store.List(Caller.From(http.User).Workspace).Select(t => new { id = t.Id, definition = t.Definition })));
        triggers.MapGet("/{id}", (string id, HttpContext http, Triggers store) =>
            TypedResults.Ok((store.Find(Caller.From(http.User).Workspace, id) ?? throw new NotFoundException($"No trigger '{id}'.")).Definition));
        triggers.MapDelete("/{id}", async (string id, HttpContext http, IMediator mediator, CancellationToken ct) =>
            await mediator.Send(new DeleteTrigger(Caller.From(http.User), id), ct) ? Results.NoContent() : throw new NotFoundException($"No trigger '{id}'."));

        var deliveries = app.MapGroup("/api/v1/actions/deliveries").WithTags("Actions").RequireAuthorization(Policies.Secret);

        deliveries.MapGet("/", (HttpContext http, Outbox outbox, string? status, string? trigger, int? limit, int? offset) =>
        {
            if (status is not (null or DeliveryStatus.Pending or DeliveryStatus.Delivered or DeliveryStatus.Failed))
            {
                throw RequestValidationException.For("status", "'status' must be 'pending', 'delivered' or 'failed'.");
            }

            return TypedResults.Ok(outbox.List(Caller.From(http.User).Workspace, status, trigger, Math.Clamp(limit ?? 100, 1, 1000), Math.Max(0, offset ?? 0))
                .Select(DeliveryDto.From));
        });
        deliveries.MapGet("/{id}", (string id, HttpContext http, Outbox outbox) =>
            TypedResults.Ok(DeliveryDto.From(outbox.Find(Caller.From(http.User).Workspace, id) ?? throw new NotFoundException($"No delivery '{id}'."))));
        deliveries.MapPost("/{id}/retry", async (string id, HttpContext http, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(DeliveryDto.From(await mediator.Send(new RetryDelivery(Caller.From(http.User), id), ct) ?? throw new NotFoundException($"No delivery '{id}'."))));
        return app;
    }
}
