using LiteDB;
using ScoreHub.Host.Core.Leads;
using ScoreHub.Sdk;

namespace ScoreHub.Host.Storage;

/// <summary>
/// The ledger in the LiteDB file: one <c>event_blocks</c> document per workspace per commit (its events packed, see
/// <see cref="EventBlock"/>), one document per contact and per company (ADR 0003).
/// </summary>
internal sealed class LiteLedgerStore(Database db, ILogger<LiteLedgerStore> logger) : ILedgerStore
{
    public IEnumerable<(string WorkspaceId, ContactRecord Contact)> ReadContacts() =>
        db.Contacts.FindAll().Select(doc => (doc["ws"].AsString, Bson.ToContact(doc)));

    public IEnumerable<(string WorkspaceId, CompanyRecord Company)> ReadCompanies()
    {
        foreach (var doc in db.Companies.FindAll())
        {
            var company = new CompanyRecord(doc["co"].AsString);
            company.AddChanges(Bson.ToChanges(doc["h"]).ToList());
            yield return (doc["ws"].AsString, company);
        }
    }

    public IEnumerable<(string WorkspaceId, LeadEvent Event, string Source)> ReadEvents()
    {
        // _id ascending is commit order: blocks get increasing Int64 ids.
        foreach (var block in db.EventBlocks.Find(Query.All(Query.Ascending)))
        {
            var workspaceId = block["ws"].AsString;
            foreach (var (e, source) in EventBlock.Read(block["b"].AsBinary))
            {
                yield return (workspaceId, e, source);
            }
        }
    }

    public void Commit(Func<UnitOfWork> apply)
    {
        // No await between BeginTrans and Commit: LiteDB transactions belong to the thread.
        db.Lite.BeginTrans();
        try
        {
            Write(apply());
            db.Commit();
        }
        catch
        {
            Rollback();
            throw;
        }
    }

    public void WaitUntilDurable() => db.WaitUntilDurable();

    private void Write(UnitOfWork unit)
    {
        foreach (var (workspaceId, events) in unit.Events)
        {
            var block = new EventBlock.Writer();
            foreach (var (e, source) in events)
            {
                block.Add(e, source);
            }

            db.EventBlocks.Insert(new BsonDocument
            {
                ["ws"] = workspaceId,
                ["at"] = Bson.Ticks(unit.Now),
                ["n"] = block.Count,
                ["b"] = block.ToArray(),
            });
        }

        foreach (var (workspaceId, contact) in unit.DirtyContacts)
        {
            db.Contacts.Upsert(Bson.ToDocument(workspaceId, contact));
        }

        foreach (var (workspaceId, company) in unit.DirtyCompanies)
        {
            db.Companies.Upsert(Bson.ToDocument(workspaceId, company));
        }

        // After the inserts above, so events appended earlier in this same commit go too.
        foreach (var (workspaceId, contactIds) in unit.Erased)
        {
            foreach (var id in contactIds)
            {
                db.Contacts.Delete(workspaceId + "/" + id);
            }

            RewriteBlocksWithout(workspaceId, contactIds);
        }
    }

    /// <summary>
    /// Rewrites every block of the workspace that holds an event of the contacts, without those events; a block
    /// left empty is deleted. Other contacts' events keep their block, order and bytes.
    /// </summary>
    private void RewriteBlocksWithout(string workspaceId, IReadOnlySet<string> contactIds)
    {
        foreach (var block in db.EventBlocks.Find(Query.EQ("ws", workspaceId)).ToList())
        {
            var events = EventBlock.Read(block["b"].AsBinary).ToList();
            if (!events.Any(e => contactIds.Contains(e.Event.ContactId)))
            {
                continue;
            }

            var kept = new EventBlock.Writer();
            foreach (var (e, source) in events.Where(e => !contactIds.Contains(e.Event.ContactId)))
            {
                kept.Add(e, source);
            }

            if (kept.Count == 0)
            {
                db.EventBlocks.Delete(block["_id"]);
            }
            else
            {
                block["n"] = kept.Count;
                block["b"] = kept.ToArray();
                db.EventBlocks.Update(block);
            }
        }
    }

    private void Rollback()
    {
        try
        {
            db.Lite.Rollback();
        }
        catch (LiteException ex)
        {
            logger.LogError(ex, "Rollback failed");
        }
    }
}
