using System.Collections.Concurrent;


namespace ScoreHub.Host.Core.Leads;

/// <summary>
/// Everything ScoreHub keeps in memory for one workspace: contacts, their identities, companies and the set of
/// event keys already stored. Rebuilt from the database at start; mutated only by the ledger writer.
/// </summary>
internal sealed class WorkspaceData(string id)
{
    public string Id { get; } = id;
    public ConcurrentDictionary<string, ContactRecord> Contacts { get; } = new(StringComparer.Ordinal);
    public ConcurrentDictionary<string, CompanyRecord> Companies { get; } = new(StringComparer.Ordinal);
    public ConcurrentDictionary<string, string> ByEmail { get; } = new(StringComparer.OrdinalIgnoreCase);
    public ConcurrentDictionary<string, string> ByExternalId { get; } = new(StringComparer.Ordinal);
    public ConcurrentDictionary<string, string> ByAnonymousId { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// "{source}\n{eventId}" of every stored event, to the contact it was stored for: the dedupe set. A duplicate
    /// is answered with the contact holding the original (follow merges with <see cref="Find"/>).
    /// </summary>
    public Dictionary<string, string> EventKeys { get; } = new(StringComparer.Ordinal);

    public long EventCount { get; set; }

    public static string EventKey(string source, string eventId) => string.Concat(source, "\n", eventId);

    /// <summary>Follows merges to the surviving contact.</summary>
    public ContactRecord? Find(string contactId)
    {
        var seen = 0;
        while (Contacts.TryGetValue(contactId, out var contact))
        {
            if (contact.MergedInto is null || ++seen > 32)
            {
                return contact;
            }

            contactId = contact.MergedInto;
        }

        return null;
    }

    public ContactRecord? FindByEmail(string email) => ByEmail.TryGetValue(email, out var id) ? Find(id) : null;

    public ContactRecord? FindByExternalId(string externalId) =>
        ByExternalId.TryGetValue(externalId, out var id) ? Find(id) : null;

    public ContactRecord? FindByAnonymousId(string anonymousId) =>
        ByAnonymousId.TryGetValue(anonymousId, out var id) ? Find(id) : null;

    /// <summary>Resolves a contact by its ScoreHub id, external id or <c>email:</c>-prefixed address.</summary>
    public ContactRecord? Resolve(string key)
    {
        if (key.StartsWith("email:", StringComparison.OrdinalIgnoreCase))
        {
            return FindByEmail(key[6..]);
        }

        return (Contacts.ContainsKey(key) ? Find(key) : null) ?? FindByExternalId(key);
    }
}
