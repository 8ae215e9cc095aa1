using System.Security.Cryptography;
using ScoreHub.Sdk;


namespace ScoreHub.Host.Core.Leads;

/// <summary>
/// Finds or creates the contact a signal belongs to, linking identities as they are learned:
/// an anonymous visitor who gives an email becomes that contact, and its history moves with it.
/// Runs only on the ledger writer's thread.
/// </summary>
internal static class Identities
{
    public static ContactRecord Resolve(
        UnitOfWork unit, WorkspaceData data, ContactRef who, DateTimeOffset at, ContactRecord? preferred = null)
    {
        var email = Normalize(who.Email);
        var byExternal = who.ExternalId is null ? null : data.FindByExternalId(who.ExternalId);
        var byEmail = email is null ? null : data.FindByEmail(email);
        var byAnonymous = who.AnonymousId is null ? null : data.FindByAnonymousId(who.AnonymousId);

        var target = preferred ?? byExternal ?? byEmail ?? byAnonymous;
        var changed = false;
        if (target is null)
        {
            target = new ContactRecord(NewId()) { CreatedAt = at };
            data.Contacts[target.Id] = target;
            changed = true;
        }

        // A known contact absorbs an anonymous one (same visitor, now identified), and a contact known only by
        // email absorbs into the one with the external id. Two contacts that are both fully known are never merged.
        if (byEmail is not null && byEmail != target && byEmail.ExternalId is null)
        {
            Merge(unit, data, byEmail, target);
            changed = true;
        }

        if (byAnonymous is not null && byAnonymous != target && byAnonymous.Email is null && byAnonymous.ExternalId is null)
        {
            Merge(unit, data, byAnonymous, target);
            changed = true;
        }

        if (email is not null && target.Email is null && data.FindByEmail(email) is null)
        {
            target.Email = email;
            data.ByEmail[email] = target.Id;
            changed = true;
        }

        if (who.ExternalId is not null && target.ExternalId is null && data.FindByExternalId(who.ExternalId) is null)
        {
            target.ExternalId = who.ExternalId;
            data.ByExternalId[who.ExternalId] = target.Id;
            changed = true;
        }

        if (who.AnonymousId is not null && data.FindByAnonymousId(who.AnonymousId) is null)
        {
            target.AnonymousIds = target.AnonymousIds.Add(who.AnonymousId);
            data.ByAnonymousId[who.AnonymousId] = target.Id;
            changed = true;
        }

        if (changed)
        {
            unit.Touch(data.Id, target);
        }

        return target;
    }

    public static string? Normalize(string? email) =>
        string.IsNullOrWhiteSpace(email) ? null : email.Trim().ToLowerInvariant();

    private static void Merge(UnitOfWork unit, WorkspaceData data, ContactRecord from, ContactRecord into)
    {
        into.AddEvents(from.Events);
        into.AddChanges(from.Changes);
        foreach (var anon in from.AnonymousIds)
        {
            into.AnonymousIds = into.AnonymousIds.Add(anon);
            data.ByAnonymousId[anon] = into.Id;
        }

        if (from.Email is not null && into.Email is null)
        {
            into.Email = from.Email;
            data.ByEmail[from.Email] = into.Id;
        }

        into.CompanyId ??= from.CompanyId;
        if (from.CompanyId is not null && data.Companies.TryGetValue(from.CompanyId, out var company))
        {
            company.ContactIds.TryRemove(from.Id, out _);
            company.ContactIds.TryAdd(into.Id, 0);
        }

        from.MergedInto = into.Id;
        from.AnonymousIds = from.AnonymousIds.Clear();
        from.ClearEvents();
        unit.Touch(data.Id, from);
    }

    private static string NewId() => "c_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
}
