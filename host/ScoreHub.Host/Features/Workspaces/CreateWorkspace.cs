using FluentValidation;
using LiteDB;
using Mediator;
using ScoreHub.Host.Infrastructure;
using ScoreHub.Host.Storage;

namespace ScoreHub.Host.Features.Workspaces;

internal sealed record CreateWorkspace(Caller Caller, string Name) : ICommand<CreatedWorkspace>, IAuthorized
{
    public IReadOnlyCollection<KeyKind> AllowedKinds => [KeyKind.Admin];
}

/// <summary>The one response that ever contains a workspace's raw keys.</summary>
internal sealed record CreatedWorkspace(string Id, string Name, DateTimeOffset CreatedAt, WorkspaceKeys Keys);

internal sealed record WorkspaceKeys(string Secret, string Ingest, string Feed);

internal sealed class CreateWorkspaceValidator : AbstractValidator<CreateWorkspace>
{
    public CreateWorkspaceValidator()
    {
        RuleFor(c => c.Name).NotEmpty().MaximumLength(200);
    }
}

internal sealed class CreateWorkspaceHandler(Database db, KeyStore keys, Ledger ledger, TimeProvider clock)
    : ICommandHandler<CreateWorkspace, CreatedWorkspace>
{
    public ValueTask<CreatedWorkspace> Handle(CreateWorkspace command, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var id = "ws_" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6));
        return ValueTask.FromResult(Create(db, keys, ledger, id, command.Name.Trim(), now));
    }

    internal static CreatedWorkspace Create(Database db, KeyStore keys, Ledger ledger, string id, string name, DateTimeOffset now)
    {
        db.Workspaces.Upsert(new BsonDocument { ["_id"] = id, ["name"] = name, ["created"] = Bson.Ticks(now) });
        ledger.GetOrAdd(id);
        var issued = new WorkspaceKeys(
            keys.Issue(KeyKind.Secret, id, now),
            keys.Issue(KeyKind.Ingest, id, now),
            keys.Issue(KeyKind.Feed, id, now));
        return new CreatedWorkspace(id, name, now, issued);
    }
}

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
