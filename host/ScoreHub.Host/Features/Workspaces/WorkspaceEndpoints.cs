using FluentValidation;
using LiteDB;
using Mediator;
using ScoreHub.Host.Core;
using ScoreHub.Host.Core.Leads;
using ScoreHub.Host.Core.Workspaces;
using ScoreHub.Host.Infrastructure;
using ScoreHub.Host.Storage;

namespace ScoreHub.Host.Features.Workspaces;

internal static class WorkspaceEndpoints
{
    internal sealed record CreateWorkspaceBody(string? Name);

    internal sealed record WorkspaceDto(string Id, string Name, DateTimeOffset CreatedAt, int Contacts, long Events);

    public static IEndpointRouteBuilder MapWorkspaces(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/workspaces").WithTags("Workspaces");

        group.MapPost("/", async (CreateWorkspaceBody body, HttpContext http, IMediator mediator, CancellationToken ct) =>
        {
            var created = await mediator.Send(new CreateWorkspace(Caller.From(http.User), body.Name ?? ""), ct);
            return TypedResults.Created($"/api/v1/workspaces/{created.Id}", created);
        }).RequireAuthorization(Policies.Admin);

        group.MapGet("/", (Database db, Ledger ledger) =>
            TypedResults.Ok(db.Workspaces.FindAll().Select(d => ToDto(d, ledger)).ToList()))
            .RequireAuthorization(Policies.Admin);

        // The caller's own workspace.
        group.MapGet("/current", (HttpContext http, Database db, Ledger ledger) =>
        {
            var doc = db.Workspaces.FindById(Caller.From(http.User).Workspace)
                ?? throw new NotFoundException("Workspace not found.");
            return TypedResults.Ok(ToDto(doc, ledger));
        }).RequireAuthorization(Policies.Secret);

        return app;
    }

    private static WorkspaceDto ToDto(BsonDocument doc, Ledger ledger)
    {
        var data = ledger.Find(doc["_id"].AsString);
        return new WorkspaceDto(doc["_id"].AsString, doc["name"].AsString, Bson.At(doc["created"]),
            data?.Contacts.Values.Count(c => c.MergedInto is null) ?? 0, data?.EventCount ?? 0);
    }
}
