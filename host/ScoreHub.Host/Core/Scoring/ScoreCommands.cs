using System.Text.Json;
using Mediator;

namespace ScoreHub.Host.Core.Scoring;

/// <summary>Creates or replaces a score's draft model; the published version is untouched until <see cref="PublishScore"/>.</summary>
internal sealed record SaveScoreDraft(Caller Caller, string ScoreId, JsonElement Model) : ICommand<ScoreModelDto>, IAuthorized
{
    public IReadOnlyCollection<KeyKind> AllowedKinds => [KeyKind.Secret];
}

/// <summary>Publishes the draft as a new version and re-evaluates every record, waiting up to <see cref="Wait"/> for it.</summary>
internal sealed record PublishScore(Caller Caller, string ScoreId, TimeSpan Wait) : ICommand<PublishResult>, IAuthorized
{
    public IReadOnlyCollection<KeyKind> AllowedKinds => [KeyKind.Secret];
}

/// <summary>Deletes a score with its versions, states and history; false when there is no such score.</summary>
internal sealed record DeleteScore(Caller Caller, string ScoreId) : ICommand<bool>, IAuthorized
{
    public IReadOnlyCollection<KeyKind> AllowedKinds => [KeyKind.Secret];
}

internal sealed class ScoreCommandHandlers(ScoreModels models)
    : ICommandHandler<SaveScoreDraft, ScoreModelDto>, ICommandHandler<PublishScore, PublishResult>, ICommandHandler<DeleteScore, bool>
{
    public ValueTask<ScoreModelDto> Handle(SaveScoreDraft command, CancellationToken ct) =>
        ValueTask.FromResult(models.SaveDraft(command.Caller.Workspace, command.ScoreId, command.Model));

    public async ValueTask<PublishResult> Handle(PublishScore command, CancellationToken ct) =>
        await models.PublishAsync(command.Caller.Workspace, command.ScoreId, command.Wait, ct);

    public async ValueTask<bool> Handle(DeleteScore command, CancellationToken ct) =>
        await models.DeleteAsync(command.Caller.Workspace, command.ScoreId, ct);
}
