using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ScoreHub.Host.Tests.Support;

namespace ScoreHub.Host.Tests.Contacts;

public sealed class IdentityTests : WorkspaceTest
{
    [Fact]
    public async Task An_anonymous_visitor_who_gives_an_email_is_one_contact_with_all_events()
    {
        var client = App.Client(Ws.SecretKey);
        await client.PostEventsAsync(
            Api.Event("v-1", new { anonymousId = "anon-1" }, type: "web.visited", at: Api.Yesterday),
            Api.Event("v-2", new { anonymousId = "anon-1" }, type: "web.visited", at: Api.Yesterday.AddMinutes(1)));
        await client.PostEventsAsync(
            Api.Event("f-1", new { anonymousId = "anon-1", email = "Ann@Example.com" }, type: "form.submitted", at: Api.Yesterday.AddMinutes(2)));

        var contacts = await client.GetJsonAsync("/api/v1/contacts");
        var contact = Assert.Single(contacts.EnumerateArray());
        Assert.Equal("ann@example.com", contact.GetProperty("email").GetString());
        Assert.Equal(["anon-1"], contact.GetProperty("anonymousIds").EnumerateArray().Select(a => a.GetString()!).ToArray());
        Assert.Equal(3, contact.GetProperty("eventCount").GetInt32());
        var events = await client.GetJsonAsync($"/api/v1/contacts/{contact.GetProperty("id").GetString()}/events");
        Assert.Equal(["v-1", "v-2", "f-1"], events.EnumerateArray().Select(e => e.GetProperty("id").GetString()!).ToArray());
    }

    [Fact]
    public async Task An_anonymous_contact_merges_into_the_contact_already_known_by_that_email()
    {
        var client = App.Client(Ws.SecretKey);
        await client.PostEventsAsync(Api.Event("e-1", new { email = "ann@example.com" }, at: Api.Yesterday));
        await client.PostEventsAsync(Api.Event("v-1", new { anonymousId = "anon-1" }, type: "web.visited", at: Api.Yesterday.AddMinutes(1)));
        Assert.Equal(2, (await client.GetJsonAsync("/api/v1/contacts")).GetArrayLength());

        await client.PostEventsAsync(Api.Event("f-1", new { anonymousId = "anon-1", email = "ann@example.com" }, at: Api.Yesterday.AddMinutes(2)));

        var contact = Assert.Single((await client.GetJsonAsync("/api/v1/contacts")).EnumerateArray());
        Assert.Equal(["anon-1"], contact.GetProperty("anonymousIds").EnumerateArray().Select(a => a.GetString()!).ToArray());
        var events = await client.GetJsonAsync("/api/v1/contacts/email:ann@example.com/events");
        Assert.Equal(["e-1", "v-1", "f-1"], events.EnumerateArray().Select(e => e.GetProperty("id").GetString()!).ToArray());
    }

    [Fact]
    public async Task Putting_an_external_id_with_an_email_links_the_contact_first_seen_by_email()
    {
        var client = App.Client(Ws.SecretKey);
        var posted = await (await client.PostAsJsonAsync("/api/v1/events", new
        {
            events = new[]
            {
                new
                {
                    id = "e-1", type = "form.submitted", occurredAt = "2026-03-01T10:00:00Z",
                    contact = new { email = "ann@example.com" }, contactProperties = new { jobTitle = "CTO" },
                },
            },
        })).JsonAsync();
        var contactId = posted.GetProperty("results")[0].GetProperty("contactId").GetString()!;

        var put = await client.PutAsJsonAsync("/api/v1/contacts/crm-42", new { email = "ann@example.com", properties = new { plan = "pro" } });

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var contact = await put.JsonAsync();
        Assert.Equal(contactId, contact.GetProperty("id").GetString());
        Assert.Equal("crm-42", contact.GetProperty("externalId").GetString());
        Assert.Equal(1, contact.GetProperty("eventCount").GetInt32());
        Assert.Equal(contactId, (await client.GetJsonAsync("/api/v1/contacts/crm-42")).GetProperty("id").GetString());
        Assert.Single((await client.GetJsonAsync("/api/v1/contacts?email=ann@example.com")).EnumerateArray());
        Assert.Equal([("jobTitle", "CTO"), ("plan", "pro")], await HistoryAsync(client, "crm-42"));
    }

    [Fact]
    public async Task Putting_an_email_on_a_known_external_id_absorbs_the_contact_seen_by_that_email()
    {
        var client = App.Client(Ws.SecretKey);
        await client.PutAsJsonAsync("/api/v1/contacts/crm-42", new { properties = new { plan = "free" } });
        await client.PostAsJsonAsync("/api/v1/events", new
        {
            events = new[]
            {
                new
                {
                    id = "e-1", type = "form.submitted", occurredAt = "2026-03-01T10:00:00Z",
                    contact = new { email = "ann@example.com" }, contactProperties = new { jobTitle = "CTO" },
                },
            },
        });
        Assert.Equal(2, (await client.GetJsonAsync("/api/v1/contacts")).GetArrayLength());

        var put = await client.PutAsJsonAsync("/api/v1/contacts/crm-42", new { email = "ann@example.com" });

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var contact = Assert.Single((await client.GetJsonAsync("/api/v1/contacts")).EnumerateArray());
        Assert.Equal("crm-42", contact.GetProperty("externalId").GetString());
        Assert.Equal("ann@example.com", contact.GetProperty("email").GetString());
        Assert.Equal(1, contact.GetProperty("eventCount").GetInt32());
        Assert.Equal("CTO", contact.GetProperty("properties").GetProperty("jobTitle").GetString());
        Assert.Equal("free", contact.GetProperty("properties").GetProperty("plan").GetString());
        Assert.Equal(
            contact.GetProperty("id").GetString(),
            (await client.GetJsonAsync("/api/v1/contacts/email:ann@example.com")).GetProperty("id").GetString());
        Assert.Equal([("jobTitle", "CTO"), ("plan", "free")], (await HistoryAsync(client, "crm-42")).Order().ToArray());
    }

    [Fact]
    public async Task Putting_a_property_twice_shows_the_current_value_and_keeps_every_change()
    {
        var client = App.Client(Ws.SecretKey);
        await client.PutAsJsonAsync("/api/v1/contacts/crm-7", new { properties = new { plan = "free", region = "eu" } });
        App.Clock.Advance(TimeSpan.FromHours(1));
        var put = await client.PutAsJsonAsync("/api/v1/contacts/crm-7", new { properties = new { plan = "pro", region = "eu" } });

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var contact = await client.GetJsonAsync("/api/v1/contacts/crm-7");
        Assert.Equal("pro", contact.GetProperty("properties").GetProperty("plan").GetString());
        Assert.Equal("eu", contact.GetProperty("properties").GetProperty("region").GetString());

        var history = await client.GetJsonAsync("/api/v1/contacts/crm-7/properties/history");
        Assert.Equal(
            [
                ("plan", "free", "2026-03-02T09:00:00+00:00"),
                ("region", "eu", "2026-03-02T09:00:00+00:00"),
                ("plan", "pro", "2026-03-02T10:00:00+00:00"),
            ],
            history.EnumerateArray().Select(c => (
                c.GetProperty("name").GetString()!,
                c.GetProperty("value").GetString()!,
                c.GetProperty("at").GetString()!)).ToArray());
    }

    [Fact]
    public async Task Clearing_a_property_removes_it_and_records_a_null_change()
    {
        var client = App.Client(Ws.SecretKey);
        await client.PutAsJsonAsync("/api/v1/contacts/crm-7", new { properties = new { plan = "free" } });
        App.Clock.Advance(TimeSpan.FromMinutes(5));
        await client.PutAsJsonAsync("/api/v1/contacts/crm-7", new { properties = new Dictionary<string, string?> { ["plan"] = null } });

        var contact = await client.GetJsonAsync("/api/v1/contacts/crm-7");
        Assert.False(contact.GetProperty("properties").TryGetProperty("plan", out _));
        var history = await client.GetJsonAsync("/api/v1/contacts/crm-7/properties/history");
        Assert.Equal(2, history.GetArrayLength());
        Assert.Equal(JsonValueKind.Null, history[1].GetProperty("value").ValueKind);
    }

    [Fact]
    public async Task Property_history_of_an_unknown_contact_is_404()
    {
        var response = await App.Client(Ws.SecretKey).GetAsync("/api/v1/contacts/nobody/properties/history");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Merged_identities_and_property_history_survive_a_restart()
    {
        App.KeepDataDirectory = true;
        var client = App.Client(Ws.SecretKey);
        await client.PutAsJsonAsync("/api/v1/contacts/crm-42", new { properties = new { plan = "free" } });
        await client.PostEventsAsync(Api.Event("v-1", new { anonymousId = "anon-1" }, type: "web.visited", at: Api.Yesterday));
        await client.PostEventsAsync(Api.Event("e-1", new { email = "ann@example.com" }, at: Api.Yesterday.AddMinutes(1)));
        await client.PostEventsAsync(Api.Event("f-1", new { anonymousId = "anon-1", email = "ann@example.com" }, at: Api.Yesterday.AddMinutes(2)));
        await client.PutAsJsonAsync("/api/v1/contacts/crm-42", new { email = "ann@example.com", properties = new { plan = "pro" } });
        var before = await client.GetJsonAsync("/api/v1/contacts/crm-42");
        App.Dispose();

        using var restarted = new ScoreHubApp(dataDirectory: App.DataDirectory);
        var after = restarted.Client(Ws.SecretKey);

        var contact = Assert.Single((await after.GetJsonAsync("/api/v1/contacts")).EnumerateArray());
        Assert.Equal(before.GetProperty("id").GetString(), contact.GetProperty("id").GetString());
        Assert.Equal("crm-42", contact.GetProperty("externalId").GetString());
        Assert.Equal("ann@example.com", contact.GetProperty("email").GetString());
        Assert.Equal(["anon-1"], contact.GetProperty("anonymousIds").EnumerateArray().Select(a => a.GetString()!).ToArray());
        Assert.Equal("pro", contact.GetProperty("properties").GetProperty("plan").GetString());
        var events = await after.GetJsonAsync("/api/v1/contacts/email:ann@example.com/events");
        Assert.Equal(["v-1", "e-1", "f-1"], events.EnumerateArray().Select(e => e.GetProperty("id").GetString()!).ToArray());
        Assert.Equal([("plan", "free"), ("plan", "pro")], await HistoryAsync(after, "crm-42"));
    }

    private static async Task<(string, string)[]> HistoryAsync(HttpClient client, string contact)
    {
        var history = await client.GetJsonAsync($"/api/v1/contacts/{contact}/properties/history");
        return [.. history.EnumerateArray().Select(c => (c.GetProperty("name").GetString()!, c.GetProperty("value").GetString()!))];
    }
}
