using FluentValidation;
using LiteDB;
using Mediator;
using ScoreHub.Host.Core;
using ScoreHub.Host.Core.Leads;
using ScoreHub.Host.Core.Workspaces;
using ScoreHub.Host.Storage;

namespace ScoreHub.Host.Core.Workspaces;

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
