using ScoreHub.Sdk;

namespace ScoreHub.Host.Core.Leads;

/// <summary>Which contacts and companies of one workspace a commit changed.</summary>
internal sealed class ChangeSet
{
    public HashSet<string> Contacts { get; } = new(StringComparer.Ordinal);
    public HashSet<string> Companies { get; } = new(StringComparer.Ordinal);
}

/// <summary>Collects the documents one commit writes, and which leads it touched.</summary>
internal sealed class UnitOfWork(Ledger ledger, DateTimeOffset now)
{
    private readonly Dictionary<string, List<(LeadEvent Event, string Source)>> _events = new(StringComparer.Ordinal);
    private readonly Dictionary<(string, string), ContactRecord> _dirtyContacts = [];
    private readonly Dictionary<(string, string), CompanyRecord> _dirtyCompanies = [];
    private readonly List<(string Workspace, IReadOnlySet<string> Contacts)> _erased = [];

    public Ledger Ledger => ledger;
    public DateTimeOffset Now => now;
    public Dictionary<string, ChangeSet> Changes { get; } = new(StringComparer.Ordinal);

    public void AddEvent(string workspaceId, LeadEvent e, string source)
    {
        if (!_events.TryGetValue(workspaceId, out var events))
        {
            _events[workspaceId] = events = [];
        }

        events.Add((e, source));
    }

    /// <summary>The contact's identities or properties changed: write its document and report it changed.</summary>
    public void Touch(string workspaceId, ContactRecord contact)
    {
        _dirtyContacts[(workspaceId, contact.Id)] = contact;
        Changed(workspaceId, contact);
    }

    /// <summary>Only the contact's events changed (they live in event blocks): report it, write nothing more.</summary>
    public void Changed(string workspaceId, ContactRecord contact)
    {
        // A merged-away contact is reported too, so scoring drops its records in favour of the survivor's.
        Set(workspaceId).Contacts.Add(contact.Id);
        if (contact.MergedInto is not null)
        {
            Set(workspaceId).Contacts.Add(contact.MergedInto);
        }

        if (contact.CompanyId is not null)
        {
            Set(workspaceId).Companies.Add(contact.CompanyId);
        }
    }

    /// <summary>
    /// The contacts are gone from memory: delete their documents and their events from the blocks at flush, and
    /// report them (scoring drops their records) and their companies (re-scored without them).
    /// </summary>
    public void Erase(string workspaceId, IReadOnlySet<string> contactIds, IEnumerable<string> companyIds)
    {
        _erased.Add((workspaceId, contactIds));
        foreach (var id in contactIds)
        {
            // Touched earlier in this commit: it must not be written back.
            _dirtyContacts.Remove((workspaceId, id));
            Set(workspaceId).Contacts.Add(id);
        }

        Set(workspaceId).Companies.UnionWith(companyIds);
    }

    public void Touch(string workspaceId, CompanyRecord company)
    {
        _dirtyCompanies[(workspaceId, company.Id)] = company;
        Set(workspaceId).Companies.Add(company.Id);
    }

    private ChangeSet Set(string workspaceId)
    {
        if (!Changes.TryGetValue(workspaceId, out var set))
        {
            Changes[workspaceId] = set = new ChangeSet();
        }

        return set;
    }

    /// <summary>The events appended, per workspace, in order: the store writes each workspace's as one block.</summary>
    public IReadOnlyDictionary<string, List<(LeadEvent Event, string Source)>> Events => _events;

    /// <summary>Contacts whose document must be written (identities, properties, company).</summary>
    public IEnumerable<(string WorkspaceId, ContactRecord Contact)> DirtyContacts => _dirtyContacts.Select(c => (c.Key.Item1, c.Value));

    /// <summary>Companies whose document must be written.</summary>
    public IEnumerable<(string WorkspaceId, CompanyRecord Company)> DirtyCompanies => _dirtyCompanies.Select(c => (c.Key.Item1, c.Value));

    /// <summary>Contacts erased in this commit: their documents and events go, after this commit's own writes.</summary>
    public IReadOnlyList<(string WorkspaceId, IReadOnlySet<string> ContactIds)> Erased => _erased;
}
