using System.Net;
using System.Net.Http.Json;
using ScoreHub.Host.Tests.Support;

namespace ScoreHub.Host.Tests.Contacts;

public sealed class CompanyAssociationTests : WorkspaceTest
{
    [Fact]
    public async Task An_event_naming_a_company_links_the_contact_to_it()
    {
        var client = App.Client(Ws.SecretKey);
        var response = await client.PostAsJsonAsync("/api/v1/events", new
        {
            events = new[]
            {
                new
                {
                    id = "g-1", type = "web.page_viewed", occurredAt = "2026-03-01T10:00:00Z",
                    contact = new { email = "ann@example.com" },
                    company = new { id = "acme", properties = new { name = "Acme", employees = 250 } },
                },
            },
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var contact = await client.GetJsonAsync("/api/v1/contacts/email:ann@example.com");
        Assert.Equal("acme", contact.GetProperty("companyId").GetString());
    }

    [Fact]
    public async Task A_company_without_an_id_is_refused_naming_the_field_and_nothing_is_stored()
    {
        var client = App.Client(Ws.SecretKey);
        var response = await client.PostAsJsonAsync("/api/v1/events", new
        {
            events = new[]
            {
                new
                {
                    id = "g-1", type = "web.page_viewed", occurredAt = "2026-03-01T10:00:00Z",
                    contact = new { email = "ann@example.com" }, company = new { name = "Acme" },
                },
            },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["events[0].company.id"], Api.ErrorNames(await response.JsonAsync()));
        Assert.Equal(0, (await client.GetJsonAsync("/api/v1/contacts")).GetArrayLength());
    }
}
