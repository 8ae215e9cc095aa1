using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ScoreHub.Host.Core.Scoring;
using ScoreHub.Host.Features.Scoring;
using ScoreHub.Host.Tests.Support;

namespace ScoreHub.Host.Tests.Contacts;

/// <summary>
/// <c>DELETE /api/v1/contacts/{id}</c>: the right to erasure. Ann and Bob work at Acme; their events share event
/// blocks (posted in the same batches). Ann was first an anonymous visitor, merged into her contact by a form.
/// </summary>
public sealed class ErasureTests : IAsyncLifetime, IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 10, 9, 0, 0, TimeSpan.Zero);
    private const string AnnEmail = "ann.erasable@acme.example";
    private const string AnnName = "Annabel Erasmus-Quist";

    private static readonly object LeadModel = new
    {
        name = "Lead score",
        kind = "engagement",
        groups = new object[]
        {
            new
            {
                name = "Engagement",
                rules = new object[]
                {
                    new { @event = "web.page_viewed", points = 1 },
                    new { @event = "email.opened", points = 2 },
                    new { @event = "meeting.booked", points = 10 },
                },
            },
        },
        thresholds = new object[] { new { label = "cold", below = 10 }, new { label = "hot" } },
    };

    private static readonly object AccountModel = new
    {
        name = "Account score",
        kind = "engagement",
        @object = "company",
        groups = new object[]
        {
            new
            {
                name = "Engagement",
                rules = new object[]
                {
                    new { @event = "web.page_viewed", points = 5 },
                    new { @event = "email.opened", points = 3 },
                    new { @event = "meeting.booked", points = 20 },
                },
            },
        },
        thresholds = new object[] { new { label = "cold", below = 40 }, new { label = "hot" } },
    };

    private ScoreHubApp _app = new(pluginsDirectory: PluginDirectories.FirstParty);
    private TestWorkspace _a = null!;
    private string _ann = null!;
    private string _annAsVisitor = null!;
    private string _bob = null!;

    public async Task InitializeAsync()
    {
        _app.Clock.SetUtcNow(T0);
        _a = await _app.CreateWorkspaceAsync("A");
        var client = _app.Client(_a.SecretKey);
        await client.PutAsJsonAsync("/api/v1/scores/leads", LeadModel);
        await client.PostAsync("/api/v1/scores/leads/publish", null);
        await client.PutAsJsonAsync("/api/v1/scores/accounts", AccountModel);
        await client.PostAsync("/api/v1/scores/accounts/publish", null);

        // Ann browses anonymously, in the same batch as Bob's first events.
        var visit = await (await client.PostEventsAsync(
            Api.Event("v-1", new { anonymousId = "anon-ann" }, "web.page_viewed", T0.AddHours(-5)),
            Api.Event("b-1", new { email = "bob@acme.example" }, "email.opened", T0.AddHours(-5)),
            Api.Event("v-2", new { anonymousId = "anon-ann" }, "web.page_viewed", T0.AddHours(-4)))).JsonAsync();
        _annAsVisitor = visit.GetProperty("results")[0].GetProperty("contactId").GetString()!;

        await client.PutAsJsonAsync("/api/v1/contacts/crm-ann",
            new { email = AnnEmail, properties = new { name = AnnName, jobTitle = "CMO" }, company = new { id = "acme", properties = new { name = "Acme" } } });
        await client.PutAsJsonAsync("/api/v1/contacts/crm-bob",
            new { email = "bob@acme.example", properties = new { name = "Bob" }, company = new { id = "acme" } });

        // The form that identifies the visitor (merging her), and more shared blocks.
        var posted = await (await client.PostEventsAsync(
            Api.Event("f-1", new { anonymousId = "anon-ann", email = AnnEmail }, "web.page_viewed", T0.AddHours(-3)),
            Api.Event("b-2", new { email = "bob@acme.example" }, "meeting.booked", T0.AddHours(-3)),
            Api.Event("a-1", new { email = AnnEmail }, "meeting.booked", T0.AddHours(-2)),
            Api.Event("a-2", new { email = AnnEmail }, "email.opened", T0.AddHours(-1)),
            Api.Event("b-3", new { email = "bob@acme.example" }, "email.opened", T0.AddHours(-1)))).JsonAsync();
        _ann = posted.GetProperty("results")[0].GetProperty("contactId").GetString()!;
        _bob = posted.GetProperty("results")[1].GetProperty("contactId").GetString()!;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task The_setup_has_ann_merged_with_her_visits_and_sharing_blocks_with_bob()
    {
        var client = _app.Client(_a.SecretKey);

        Assert.NotEqual(_annAsVisitor, _ann);
        Assert.Equal(["v-1", "v-2", "f-1", "a-1", "a-2"], await EventIds(client, _ann));
        Assert.Equal(5 + 5 + 5 + 20 + 3 + 3 + 20 + 3, await CompanyScore(client)); // Ann 38, Bob 26
        Assert.Equal(15, await ContactScore(client, _ann)); // 1 + 1 + 1 + 10 + 2
    }

    [Fact]
    public async Task Erasing_a_contact_answers_204_and_every_read_of_it_404()
    {
        var client = _app.Client(_a.SecretKey);

        var response = await client.DeleteAsync($"/api/v1/contacts/{_ann}");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        foreach (var path in new[]
        {
            $"/api/v1/contacts/{_ann}", $"/api/v1/contacts/{_annAsVisitor}", $"/api/v1/contacts/email:{AnnEmail}", "/api/v1/contacts/crm-ann",
            $"/api/v1/contacts/{_ann}/events", $"/api/v1/contacts/{_ann}/properties/history", $"/api/v1/contacts/{_ann}/scores",
            $"/api/v1/contacts/{_ann}/scores/leads/history", $"/api/v1/contacts/{_annAsVisitor}/events",
        })
        {
            var read = await client.GetAsync(path);
            Assert.True(read.StatusCode == HttpStatusCode.NotFound, $"GET {path} answered {(int)read.StatusCode}");
            // The problem may echo the id asked for, never the contact's data.
            Assert.DoesNotContain(AnnName, await read.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync($"/api/v1/contacts/{_ann}")).StatusCode);
    }

    [Fact]
    public async Task An_erased_contact_is_absent_from_every_list_and_its_history_rows_are_gone()
    {
        var client = _app.Client(_a.SecretKey);

        await client.DeleteAsync($"/api/v1/contacts/crm-ann");

        var everything = string.Join('\n',
            (await client.GetJsonAsync("/api/v1/contacts")).GetRawText(),
            (await client.GetJsonAsync($"/api/v1/contacts?email={AnnEmail}")).GetRawText(),
            (await client.GetJsonAsync("/api/v1/scores/leads/records")).GetRawText(),
            (await client.GetJsonAsync("/api/v1/scores/accounts/records")).GetRawText(),
            (await client.GetJsonAsync("/api/v1/companies/acme")).GetRawText(),
            (await client.GetJsonAsync("/api/v1/companies/acme/scores")).GetRawText(),
            (await client.GetJsonAsync("/api/v1/actions/deliveries")).GetRawText());
        foreach (var trace in new[] { _ann, _annAsVisitor, AnnEmail, AnnName, "crm-ann", "anon-ann", "\"a-1\"", "\"v-1\"", "\"f-1\"" })
        {
            Assert.DoesNotContain(trace, everything, StringComparison.Ordinal);
        }

        Assert.Equal([_bob], (await client.GetJsonAsync("/api/v1/contacts")).EnumerateArray().Select(c => c.GetProperty("id").GetString()));
        Assert.Equal(3, (await client.GetJsonAsync("/api/v1/workspaces/current")).GetProperty("events").GetInt64());
        var history = _app.Services.GetRequiredService<ScoreHistoryStore>();
        Assert.Empty(await history.ReadAsync(_a.Id, "leads", _ann, CancellationToken.None));
        Assert.Empty(await history.ReadAsync(_a.Id, "leads", _annAsVisitor, CancellationToken.None));
    }

    [Fact]
    public async Task Erasing_ann_leaves_bobs_events_scores_and_history_exactly_as_they_were()
    {
        var client = _app.Client(_a.SecretKey);
        var events = (await client.GetJsonAsync($"/api/v1/contacts/{_bob}/events")).GetRawText();
        var scores = (await client.GetJsonAsync($"/api/v1/contacts/{_bob}/scores")).GetRawText();
        var history = (await client.GetJsonAsync($"/api/v1/contacts/{_bob}/scores/leads/history")).GetRawText();
        var contact = (await client.GetJsonAsync($"/api/v1/contacts/{_bob}")).GetRawText();

        await client.DeleteAsync($"/api/v1/contacts/{_ann}");

        Assert.Equal(events, (await client.GetJsonAsync($"/api/v1/contacts/{_bob}/events")).GetRawText());
        Assert.Equal(scores, (await client.GetJsonAsync($"/api/v1/contacts/{_bob}/scores")).GetRawText());
        Assert.Equal(history, (await client.GetJsonAsync($"/api/v1/contacts/{_bob}/scores/leads/history")).GetRawText());
        Assert.Equal(contact, (await client.GetJsonAsync($"/api/v1/contacts/{_bob}")).GetRawText());
        Assert.Equal(["b-1", "b-2", "b-3"], await EventIds(client, _bob));
    }

    [Fact]
    public async Task Erasing_a_contact_rescores_its_company_without_its_events_and_records_the_change()
    {
        var client = _app.Client(_a.SecretKey);

        await client.DeleteAsync($"/api/v1/contacts/{_ann}");

        Assert.Equal(3 + 20 + 3, await CompanyScore(client)); // Bob's events only
        Assert.Equal([_bob], (await client.GetJsonAsync("/api/v1/companies/acme")).GetProperty("contactIds").EnumerateArray().Select(c => c.GetString()));
        var record = Assert.Single((await client.GetJsonAsync("/api/v1/scores/accounts/records")).EnumerateArray());
        Assert.Equal(26, record.GetProperty("value").GetDouble());
        Assert.Equal(1, record.GetProperty("contacts").GetInt32());
        var last = (await client.GetJsonAsync("/api/v1/companies/acme/scores/accounts/history")).EnumerateArray().Last();
        Assert.Equal(64, last.GetProperty("oldValue").GetDouble());
        Assert.Equal(26, last.GetProperty("newValue").GetDouble());
    }

    [Fact]
    public async Task The_merged_visitors_events_and_anonymous_id_go_with_the_contact()
    {
        var client = _app.Client(_a.SecretKey);

        await client.DeleteAsync($"/api/v1/contacts/email:{AnnEmail}");
        // The same browser comes back: it is a stranger now, with only the new visit.
        var back = await (await client.PostEventsAsync(Api.Event("v-3", new { anonymousId = "anon-ann" }, "web.page_viewed", T0))).JsonAsync();

        var stranger = back.GetProperty("results")[0].GetProperty("contactId").GetString()!;
        Assert.NotEqual(_annAsVisitor, stranger);
        Assert.NotEqual(_ann, stranger);
        Assert.Equal(["v-3"], await EventIds(client, stranger));
        Assert.Equal(1, await ContactScore(client, stranger));
    }

    [Fact]
    public async Task An_erased_event_id_is_forgotten_so_a_late_redelivery_is_stored_afresh()
    {
        var client = _app.Client(_a.SecretKey);

        await client.DeleteAsync($"/api/v1/contacts/{_ann}");
        var again = await (await client.PostEventsAsync(Api.Event("a-1", new { email = AnnEmail }, "meeting.booked", T0.AddHours(-2)))).JsonAsync();

        Assert.Equal(["stored"], Api.Statuses(again));
        Assert.Equal(["a-1"], await EventIds(client, $"email:{AnnEmail}"));
    }

    [Fact]
    public async Task After_a_restart_the_erased_contact_stays_gone_and_scores_replay_to_the_same_values()
    {
        var client = _app.Client(_a.SecretKey);
        await client.DeleteAsync($"/api/v1/contacts/{_ann}");
        var before = await Snapshot(client);

        _app = await RestartAsync(_app);
        client = _app.Client(_a.SecretKey);

        Assert.Equal(before, await Snapshot(client));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/contacts/email:{AnnEmail}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/contacts/{_annAsVisitor}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/v1/contacts/crm-ann")).StatusCode);
        Assert.Equal(26, await CompanyScore(client));
        Assert.Equal(3, (await client.GetJsonAsync("/api/v1/workspaces/current")).GetProperty("events").GetInt64());
        // No restart difference was found for the company: the replay gives what erasure computed.
        Assert.DoesNotContain("restart", (await client.GetJsonAsync("/api/v1/companies/acme/scores/accounts/history")).GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_workspace_cannot_erase_another_workspaces_contact_even_with_the_same_ids()
    {
        var b = await _app.CreateWorkspaceAsync("B");
        var inB = _app.Client(b.SecretKey);
        await inB.PutAsJsonAsync("/api/v1/contacts/crm-ann", new { email = AnnEmail, properties = new { name = AnnName } });
        var bAnn = (await inB.GetJsonAsync("/api/v1/contacts/crm-ann")).GetProperty("id").GetString()!;
        await inB.PostEventsAsync(Api.Event("a-1", new { email = AnnEmail }, "meeting.booked", T0.AddHours(-2)));
        var client = _app.Client(_a.SecretKey);

        var cross = await client.DeleteAsync($"/api/v1/contacts/{bAnn}");
        Assert.Equal(HttpStatusCode.NotFound, cross.StatusCode);
        Assert.DoesNotContain(AnnEmail, await cross.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("/api/v1/contacts/crm-ann")).StatusCode);

        Assert.Equal(bAnn, (await inB.GetJsonAsync($"/api/v1/contacts/email:{AnnEmail}")).GetProperty("id").GetString());
        Assert.Equal(["a-1"], await EventIds(inB, bAnn));
        Assert.Equal(AnnName, (await inB.GetJsonAsync("/api/v1/contacts/crm-ann")).GetProperty("properties").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Only_a_secret_key_erases()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await _app.Client().DeleteAsync($"/api/v1/contacts/{_ann}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _app.Client("shk_secret_wrong").DeleteAsync($"/api/v1/contacts/{_ann}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _app.Client(_a.IngestKey).DeleteAsync($"/api/v1/contacts/{_ann}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _app.Client(_a.FeedKey).DeleteAsync($"/api/v1/contacts/{_ann}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _app.Client(ScoreHubApp.AdminKey).DeleteAsync($"/api/v1/contacts/{_ann}")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await _app.Client(_a.SecretKey).GetAsync($"/api/v1/contacts/{_ann}")).StatusCode);
    }

    [Fact]
    public async Task An_unknown_contact_is_404_problem_details()
    {
        var response = await _app.Client(_a.SecretKey).DeleteAsync("/api/v1/contacts/c_0000000000000000");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task No_database_file_holds_the_erased_email_or_name_once_the_host_has_closed_them()
    {
        var client = _app.Client(_a.SecretKey);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/contacts/{_ann}")).StatusCode);

        // A restart in between: the erasure must hold in a file that has been reopened and checkpointed again.
        _app = await RestartAsync(_app);
        _app.KeepDataDirectory = true;
        Assert.Equal(26, await CompanyScore(_app.Client(_a.SecretKey)));
        _app.Dispose();
        try
        {
            var files = Directory.GetFiles(_app.DataDirectory, "*.db", SearchOption.TopDirectoryOnly);
            Assert.Contains(Path.Combine(_app.DataDirectory, "scorehub.db"), files);
            Assert.Contains(Path.Combine(_app.DataDirectory, "scores.db"), files);
            foreach (var file in files)
            {
                var bytes = await File.ReadAllBytesAsync(file);
                foreach (var trace in new[] { AnnEmail, AnnName, "anon-ann", _ann, _annAsVisitor })
                {
                    Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(trace)) < 0, $"{Path.GetFileName(file)} still holds '{trace}'");
                }

                Assert.True(bytes.AsSpan().IndexOf("bob@acme.example"u8) >= 0 || !file.EndsWith("scorehub.db", StringComparison.Ordinal),
                    "Bob's email should still be there: the scan must be able to find what was not erased");
            }
        }
        finally
        {
            Directory.Delete(_app.DataDirectory, recursive: true);
        }
    }

    private static async Task<ScoreHubApp> RestartAsync(ScoreHubApp app)
    {
        app.KeepDataDirectory = true;
        var dataDirectory = app.DataDirectory;
        var now = app.Clock.GetUtcNow();
        app.Dispose();
        var restarted = new ScoreHubApp(pluginsDirectory: PluginDirectories.FirstParty, dataDirectory: dataDirectory);
        restarted.Clock.SetUtcNow(now);
        await restarted.Client().GetAsync("/healthz"); // starts the host
        return restarted;
    }

    private async Task<string> Snapshot(HttpClient client) => string.Join('\n',
        (await client.GetJsonAsync("/api/v1/contacts")).GetRawText(),
        (await client.GetJsonAsync($"/api/v1/contacts/{_bob}/events")).GetRawText(),
        (await client.GetJsonAsync($"/api/v1/contacts/{_bob}/scores")).GetRawText(),
        (await client.GetJsonAsync("/api/v1/scores/leads/records")).GetRawText(),
        (await client.GetJsonAsync("/api/v1/scores/accounts/records")).GetRawText(),
        (await client.GetJsonAsync("/api/v1/companies/acme/scores")).GetRawText());

    private static async Task<string[]> EventIds(HttpClient client, string contact) =>
        [.. (await client.GetJsonAsync($"/api/v1/contacts/{contact}/events")).EnumerateArray().Select(e => e.GetProperty("id").GetString()!)];

    private static async Task<double> ContactScore(HttpClient client, string contact) =>
        Assert.Single((await client.GetJsonAsync($"/api/v1/contacts/{contact}/scores")).EnumerateArray()).GetProperty("value").GetDouble();

    private static async Task<double> CompanyScore(HttpClient client) =>
        Assert.Single((await client.GetJsonAsync("/api/v1/companies/acme/scores")).EnumerateArray()).GetProperty("value").GetDouble();
}
