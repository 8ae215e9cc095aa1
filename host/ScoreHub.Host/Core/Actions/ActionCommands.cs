using System.Text.Json;
using Mediator;

namespace ScoreHub.Host.Core.Actions;

/// <summary>Creates or replaces a trigger from its JSON definition (checked against the workspace's active action plugins).</summary>
internal sealed record SaveTrigger(Caller Caller, string TriggerId, JsonElement Definition) : ICommand<Trigger>, IAuthorized
{
    public IReadOnlyCollection<KeyKind> AllowedKinds => [KeyKind.Secret];
}

/// <summary>Deletes a trigger; its recorded deliveries stay. False when there is no such trigger.</summary>
internal sealed record DeleteTrigger(Caller Caller, string TriggerId) : ICommand<bool>, IAuthorized
{
    public IReadOnlyCollection<KeyKind> AllowedKinds => [KeyKind.Secret];
}

/// <summary>Sends a finished delivery (a dead letter, usually) round again from a fresh set of attempts; null when there is none.</summary>
internal sealed record RetryDelivery(Caller Caller, string DeliveryId) : ICommand<Delivery?>, IAuthorized
{
    public IReadOnlyCollection<KeyKind> AllowedKinds => [KeyKind.Secret];
}

internal sealed class ActionCommandHandlers(Triggers triggers, ActionDelivery delivery)
    : ICommandHandler<SaveTrigger, Trigger>, ICommandHandler<DeleteTrigger, bool>, ICommandHandler<RetryDelivery, Delivery?>
{
    public ValueTask<Trigger> Handle(SaveTrigger command, CancellationToken ct) =>
        ValueTask.FromResult(triggers.Save(command.Caller.Workspace, command.TriggerId, command.Definition));

    public ValueTask<bool> Handle(DeleteTrigger command, CancellationToken ct) =>
        ValueTask.FromResult(triggers.Delete(command.Caller.Workspace, command.TriggerId));

    public ValueTask<Delivery?> Handle(RetryDelivery command, CancellationToken ct) =>
        ValueTask.FromResult(delivery.Redrive(command.Caller.Workspace, command.DeliveryId));
}
