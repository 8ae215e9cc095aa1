namespace ScoreHub.Host.Core.Leads;

/// <summary>The ledger writer's erasure of one person: the contact and every contact merged into it (ADR 0011).</summary>
internal sealed partial class LedgerWriter
{
    private sealed class EraseOperation(string workspaceId, string contactId, Action<ErasedContact> inTransaction)
        : Operation<ErasedContact?>
    {
        protected override ErasedContact? Run(UnitOfWork unit)
        {
            var data = unit.Ledger.Find(workspaceId);
            var survivor = data?.Find(contactId);
            if (data is null || survivor is null || survivor.Id != contactId)
            {
                return null; // erased or merged away by an earlier request
            }

            // The contact and every contact merged into it (directly or through others): one person's records.
            var members = data.Contacts.Values.Where(c => data.Find(c.Id) == survivor).ToList();
            var ids = members.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
            var erased = new ErasedContact(
                workspaceId,
                survivor.Id,
                ids,
                [.. members.Select(c => c.Email).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase)],
                [.. members.Select(c => c.ExternalId).OfType<string>().Distinct(StringComparer.Ordinal)],
                [.. members.SelectMany(c => c.AnonymousIds).Concat(data.ByAnonymousId.Where(a => ids.Contains(a.Value)).Select(a => a.Key))
                    .Distinct(StringComparer.Ordinal)],
                [.. members.Select(c => c.CompanyId).OfType<string>().Distinct(StringComparer.Ordinal)]);

            // First, while nothing in memory has changed: if it throws, the whole commit rolls back and memory is reloaded.
            inTransaction(erased);

            foreach (var id in ids)
            {
                data.Contacts.TryRemove(id, out _);
            }

            RemoveWhere(data.ByEmail, ids);
            RemoveWhere(data.ByExternalId, ids);
            RemoveWhere(data.ByAnonymousId, ids);
            foreach (var companyId in erased.CompanyIds)
            {
                if (data.Companies.TryGetValue(companyId, out var company))
                {
                    foreach (var id in ids)
                    {
                        company.ContactIds.TryRemove(id, out _);
                    }
                }
            }

            // The dedupe keys go too: an erased event id is forgotten, so a provider's late retry is stored afresh.
            foreach (var key in data.EventKeys.Where(k => ids.Contains(k.Value)).Select(k => k.Key).ToList())
            {
                data.EventKeys.Remove(key);
                data.EventCount--;
            }

            unit.Erase(workspaceId, ids, erased.CompanyIds);
            return erased;
        }

        private static void RemoveWhere(System.Collections.Concurrent.ConcurrentDictionary<string, string> index, HashSet<string> ids)
        {
            foreach (var entry in index.Where(e => ids.Contains(e.Value)).ToList())
            {
                index.TryRemove(entry);
            }
        }
    }
}

/// <summary>
/// What an erasure removed: the surviving contact's id, every contact id merged into it (<see cref="ContactIds"/>
/// includes the survivor), the identities they were known by, and the companies they belonged to.
/// </summary>
internal sealed record ErasedContact(
    string WorkspaceId,
    string ContactId,
    IReadOnlySet<string> ContactIds,
    IReadOnlyList<string> Emails,
    IReadOnlyList<string> ExternalIds,
    IReadOnlyList<string> AnonymousIds,
    IReadOnlyList<string> CompanyIds);
