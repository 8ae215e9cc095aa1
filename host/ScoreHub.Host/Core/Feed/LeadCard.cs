using ScoreHub.Host.Core.Leads;
using ScoreHub.Host.Storage;

namespace ScoreHub.Host.Core.Feed;

/// <summary>
/// What a rep needs to recognise a lead in a list: name (or email), company, owner and last touch, read from the
/// contact's current properties. Shared by the records endpoint and the live feed so both show the same thing.
/// </summary>
internal sealed record LeadCard(string? Name, string? Email, string? Company, string? Owner, DateTimeOffset? LastTouch)
{
    public static readonly LeadCard Unknown = new(null, null, null, null, null);

    public static LeadCard From(WorkspaceData? data, ContactRecord contact)
    {
        var name = contact.CurrentValue("name");
        if (string.IsNullOrWhiteSpace(name))
        {
            name = string.Join(' ', new[] { contact.CurrentValue("firstName"), contact.CurrentValue("lastName") }
                .Where(p => !string.IsNullOrWhiteSpace(p)));
        }

        // The company record's name wins; a plain "company" property is the fallback for sources that only send that.
        string? company = null;
        if (contact.CompanyId is { } companyId && data?.Companies.TryGetValue(companyId, out var record) == true)
        {
            company = record.History.ValueAt("name", DateTimeOffset.MaxValue);
        }

        company ??= contact.CurrentValue("company");
        return new LeadCard(name.Length == 0 ? null : name, contact.Email, company, contact.CurrentValue("owner"), contact.LastTouch);
    }

    public static LeadCard From(WorkspaceData? data, string contactId) =>
        data?.Find(contactId) is { } contact ? From(data, contact) : Unknown;
}
