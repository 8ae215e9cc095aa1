using LiteDB;
using Mediator;
using ScoreHub.Host.Core;
using ScoreHub.Host.Core.Actions;
using ScoreHub.Host.Core.Events;
using ScoreHub.Host.Core.Leads;
using ScoreHub.Host.Core.Scoring;
using ScoreHub.Host.Storage;

namespace ScoreHub.Host.Core.Contacts;

/// <summary>
/// Erases a contact (right to erasure): the contact, every contact merged into it, their identities, events,
/// property history, score history, pending scheduled signals and their outbox deliveries' data; the companies they
/// belonged to are re-scored without them. <c>Key</c> resolves as <c>GET /api/v1/contacts/{id}</c> does. False when
/// the workspace has no such contact.
/// </summary>
internal sealed record EraseContact(Caller Caller, string Key) : ICommand<bool>, IAuthorized
{
    public IReadOnlyCollection<KeyKind> AllowedKinds => [KeyKind.Secret];
}

internal sealed class EraseContactHandler(Ledger ledger, LedgerWriter writer, ContactErasure erasure) : ICommandHandler<EraseContact, bool>
{
    public async ValueTask<bool> Handle(EraseContact command, CancellationToken ct)
    {
        var workspace = command.Caller.Workspace;
        if (ledger.Find(workspace)?.Resolve(command.Key) is not { } contact)
        {
            return false;
        }

        // Not cancellable past this point: once queued, the erasure commits whether or not the caller still waits.
        var erased = await writer.EraseContactAsync(workspace, contact.Id, erasure.InLedgerTransaction, CancellationToken.None);
        if (erased is null)
        {
            return false; // erased or merged away by a concurrent request
        }

        await erasure.FinishAsync(erased, CancellationToken.None);
        return true;
    }
}

/// <summary>
/// The parts of an erasure outside the ledger's own records. Those in the ledger's file (scheduled signals, outbox
/// deliveries, a tombstone) commit in the ledger's transaction; score history lives in <c>scores.db</c>, another file,
/// so the tombstone lists the erased ids until that clean-up is done, and a start after a crash finishes it.
/// </summary>
internal sealed class ContactErasure(
    Database db, ScheduledSignals scheduled, Outbox outbox, TriggerMatcher triggers, ScoreHistoryStore history,
    ILogger<ContactErasure> logger)
{
    /// <summary>Runs on the ledger writer's thread, inside the erasure's transaction: no await, no other file.</summary>
    public void InLedgerTransaction(ErasedContact erased)
    {
        var schedules = scheduled.Erase(erased);
        var deliveries = outbox.Redact(erased.WorkspaceId, erased.ContactIds);
        db.Erasures.Upsert(new BsonDocument
        {
            ["_id"] = TombstoneId(erased),
            ["ws"] = erased.WorkspaceId,
            ["ids"] = new BsonArray(erased.ContactIds.Select(id => new BsonValue(id))),
        });
        // Counts and ScoreHub's random ids only: never an email or another identity.
        logger.LogInformation(
            "Erasing contact {Contact} of {Workspace}: {Merged} merged contacts, {Schedules} scheduled signals, {Deliveries} deliveries redacted",
            erased.ContactId, erased.WorkspaceId, erased.ContactIds.Count - 1, schedules, deliveries);
    }

    /// <summary>After the ledger committed: in-memory cool-downs and the score history; then the tombstone goes.</summary>
    public async Task FinishAsync(ErasedContact erased, CancellationToken ct)
    {
        triggers.Forget(erased.WorkspaceId, erased.ContactIds);
        await history.EraseAsync(erased.WorkspaceId, erased.ContactIds, ct);
        db.Erasures.Delete(TombstoneId(erased));
    }

    private static string TombstoneId(ErasedContact erased) => erased.WorkspaceId + "/" + erased.ContactId;

    /// <summary>At start, before scores are restored: finishes erasures a crash interrupted.</summary>
    public void ResumePending()
    {
        foreach (var tombstone in db.Erasures.FindAll().ToList())
        {
            var ids = tombstone["ids"].AsArray.Select(v => v.AsString).ToHashSet(StringComparer.Ordinal);
            history.Erase(tombstone["ws"].AsString, ids);
            db.Erasures.Delete(tombstone["_id"]);
            logger.LogInformation("Finished an interrupted erasure in {Workspace}", tombstone["ws"].AsString);
        }
    }
}
