using System.Collections.Concurrent;


namespace ScoreHub.Host.Core.Leads;

/// <summary>
/// The in-memory projection of the ledger: one <see cref="WorkspaceData"/> per workspace, rebuilt from the
/// database at start. Only <see cref="LedgerWriter"/> changes it.
/// </summary>
internal sealed class Ledger(ILedgerStore store, ILogger<Ledger> logger)
{
    // Replaced whole by Load, so readers never see a half-loaded projection.
    private volatile ConcurrentDictionary<string, WorkspaceData> _workspaces = new(StringComparer.Ordinal);

    public WorkspaceData? Find(string workspaceId) => _workspaces.GetValueOrDefault(workspaceId);

    public WorkspaceData GetOrAdd(string workspaceId) => _workspaces.GetOrAdd(workspaceId, id => new WorkspaceData(id));

    public IEnumerable<WorkspaceData> All => _workspaces.Values;

    /// <summary>Reads contacts, companies and every event block into memory.</summary>
    public void Load()
    {
        var loaded = new ConcurrentDictionary<string, WorkspaceData>(StringComparer.Ordinal);
        WorkspaceData GetOrAdd(string workspaceId) => loaded.GetOrAdd(workspaceId, id => new WorkspaceData(id));
        foreach (var (workspaceId, contact) in store.ReadContacts())
        {
            GetOrAdd(workspaceId).Contacts[contact.Id] = contact;
        }

        foreach (var (workspaceId, company) in store.ReadCompanies())
        {
            GetOrAdd(workspaceId).Companies[company.Id] = company;
        }

        foreach (var data in loaded.Values)
        {
            foreach (var contact in data.Contacts.Values)
            {
                Index(data, contact);
            }
        }

        var events = 0L;
        var pending = new Dictionary<(WorkspaceData, ContactRecord), List<Sdk.LeadEvent>>();
        foreach (var (workspaceId, e, source) in store.ReadEvents())
        {
            var data = GetOrAdd(workspaceId);
            data.EventKeys[WorkspaceData.EventKey(source, e.Id)] = e.ContactId;
            data.EventCount++;
            events++;
            var contact = data.Find(e.ContactId);
            if (contact is null)
            {
                continue;
            }

            var key = (data, contact);
            if (!pending.TryGetValue(key, out var list))
            {
                pending[key] = list = [];
            }

            list.Add(e);
        }

        foreach (var ((_, contact), list) in pending)
        {
            contact.AddEvents(list);
        }

        _workspaces = loaded;
        logger.LogInformation(
            "Ledger loaded: {Workspaces} workspaces, {Contacts} contacts, {Events} events",
            loaded.Count, loaded.Values.Sum(w => w.Contacts.Count), events);
    }

    /// <summary>Registers a contact's identities (merged contacts keep theirs pointing at themselves; look-ups follow).</summary>
    public static void Index(WorkspaceData data, ContactRecord contact)
    {
        if (contact.Email is not null)
        {
            data.ByEmail.TryAdd(contact.Email, contact.Id);
        }

        if (contact.ExternalId is not null)
        {
            data.ByExternalId.TryAdd(contact.ExternalId, contact.Id);
        }

        foreach (var anon in contact.AnonymousIds)
        {
            data.ByAnonymousId[anon] = contact.Id;
        }

        if (contact.CompanyId is not null && contact.MergedInto is null &&
            data.Companies.TryGetValue(contact.CompanyId, out var company))
        {
            company.ContactIds.TryAdd(contact.Id, 0);
        }
    }
}
