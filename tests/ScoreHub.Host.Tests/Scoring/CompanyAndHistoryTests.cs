using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ScoreHub.Host.Tests.Support;

namespace ScoreHub.Host.Tests.Scoring;

/// <summary>Company scores, publication progress and the persisted score history.</summary>
public sealed class CompanyAndHistoryTests : IAsyncLifetime, IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 10, 9, 0, 0, TimeSpan.Zero);

    private ScoreHubApp _app = new(pluginsDirectory: PluginDirectories.FirstParty);
    private TestWorkspace _ws = null!;

    private static readonly object AccountModel = new
    {
        name = "Account score",
        kind = "combined",
        @object = "company",
        groups = new object[]
        {
            new
            {
                name = "Engagement",
                rules = new object[] { new { @event = "web.page_viewed", points = 5 }, new { @event = "meeting.booked", points = 20 } },
            },
            new
            {
                name = "Fit",
                rules = new object[]
                {
                    new { property = "employees", op = "gte", value = 200, points = 30 },
                    new { property = "industry", op = "eq", value = "Software", points = 10 },
                },
            },
        },
        thresholds = new object[] { new { label = "cold", below = 40 }, new { label = "hot" } },
    };

    private static readonly object LeadModel = new
    {
        name = "Lead score",
        kind = "engagement",
        groups = new object[]
        {
            new
            {
                name = "Forms", decay = new { type = "expire", every = "7 days" },
                rules = new object[] { new { @event = "web.form_submitted", points = 40 } },
            },
        },
        thresholds = new object[] { new { label = "cold", below = 30 }, new { label = "hot" } },
    };

    public async Task InitializeAsync()
    {
        _app.Clock.SetUtcNow(T0);
        _ws = await _app.CreateWorkspaceAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task A_company_score_adds_fit_from_company_properties_to_the_events_of_all_its_contacts()
    {
        var client = _app.Client(_ws.SecretKey);
        Assert.Equal(HttpStatusCode.OK, (await client.PutAsJsonAsync("/api/v1/contacts/email:ann@acme.example",
            new { company = new { id = "acme", properties = new { name = "Acme", employees = "250", industry = "Software" } } })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PutAsJsonAsync("/api/v1/contacts/email:bob@acme.example",
            new { company = new { id = "acme" } })).StatusCode);
        await client.PutAsJsonAsync("/api/v1/scores/accounts", AccountModel);
        await client.PostAsync("/api/v1/scores/accounts/publish", null);

        await client.PostEventsAsync(
            Api.Event("p1", new { email = "ann@acme.example" }, "web.page_viewed", T0.AddMinutes(-3)),
            Api.Event("p2", new { email = "bob@acme.example" }, "web.page_viewed", T0.AddMinutes(-2)),
            Api.Event("m1", new { email = "bob@acme.example" }, "meeting.booked", T0.AddMinutes(-1)));

        var score = Assert.Single((await client.GetJsonAsync("/api/v1/companies/acme/scores")).EnumerateArray());
        Assert.Equal(70, score.GetProperty("value").GetDouble()); // 5 + 5 + 20 engagement, 30 + 10 fit
        Assert.Equal(30, score.GetProperty("engagement").GetDouble());
        Assert.Equal(40, score.GetProperty("fit").GetDouble());
        Assert.Equal("hot", score.GetProperty("label").GetString());

        var record = Assert.Single((await client.GetJsonAsync("/api/v1/scores/accounts/records")).EnumerateArray());
        Assert.Equal("acme", record.GetProperty("companyId").GetString());
        Assert.Equal("Acme", record.GetProperty("name").GetString());
        Assert.Equal(2, record.GetProperty("contacts").GetInt32());
        Assert.Equal(70, record.GetProperty("value").GetDouble());

        // A contact-level read lists only contact scores.
        Assert.Equal(0, (await client.GetJsonAsync("/api/v1/contacts/email:ann@acme.example/scores")).GetArrayLength());
    }

    [Fact]
    public async Task A_company_fit_change_rescores_the_company_and_is_in_its_history()
    {
        var client = _app.Client(_ws.SecretKey);
        await client.PutAsJsonAsync("/api/v1/contacts/email:ann@acme.example", new { company = new { id = "acme", properties = new { employees = "50" } } });
        await client.PutAsJsonAsync("/api/v1/scores/accounts", AccountModel);
        await client.PostAsync("/api/v1/scores/accounts/publish", null);
        Assert.Equal(0, Assert.Single((await client.GetJsonAsync("/api/v1/companies/acme/scores")).EnumerateArray()).GetProperty("value").GetDouble());

        _app.Clock.Advance(TimeSpan.FromMinutes(1));
        await client.PutAsJsonAsync("/api/v1/contacts/email:ann@acme.example", new { company = new { id = "acme", properties = new { employees = "400" } } });

        var history = (await client.GetJsonAsync("/api/v1/companies/acme/scores/accounts/history")).EnumerateArray().ToList();
        var last = history[^1];
        Assert.Equal(0, last.GetProperty("oldValue").GetDouble());
        Assert.Equal(30, last.GetProperty("newValue").GetDouble());
        Assert.Equal("event", last.GetProperty("cause").GetString());
    }

    [Fact]
    public async Task An_unknown_object_kind_is_refused_naming_the_field()
    {
        var client = _app.Client(_ws.SecretKey);
        var response = await client.PutAsJsonAsync("/api/v1/scores/x", new { @object = "deal", groups = Array.Empty<object>() });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["object"], Api.ErrorNames(await response.JsonAsync()));
    }

    [Fact]
    public async Task Publishing_reports_progress_and_when_it_is_done()
    {
        var client = _app.Client(_ws.SecretKey);
        for (var i = 0; i < 3; i++)
        {
            await client.PostEventsAsync(Api.Event($"f{i}", new { email = $"lead{i}@example.com" }, "web.form_submitted", T0.AddMinutes(-5)));
        }

        await client.PutAsJsonAsync("/api/v1/scores/leads", LeadModel);
        var published = await client.PostAsync("/api/v1/scores/leads/publish", null);

        Assert.Equal(HttpStatusCode.OK, published.StatusCode);
        var result = await published.JsonAsync();
        Assert.Equal("done", result.GetProperty("status").GetString());
        Assert.Equal(3, result.GetProperty("records").GetInt32());
        Assert.Equal(3, result.GetProperty("evaluated").GetInt32());
        var progress = await client.GetJsonAsync("/api/v1/scores/leads/publication");
        Assert.Equal("done", progress.GetProperty("status").GetString());
        Assert.Equal(1, progress.GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task Score_history_survives_a_restart_and_a_restart_records_only_what_time_changed_meanwhile()
    {
        var client = _app.Client(_ws.SecretKey);
        await client.PutAsJsonAsync("/api/v1/scores/leads", LeadModel);
        await client.PostAsync("/api/v1/scores/leads/publish", null);
        await client.PostEventsAsync(
            Api.Event("f1", new { email = "ann@example.com" }, "web.form_submitted", T0.AddMinutes(-5)),
            Api.Event("f2", new { email = "bob@example.com" }, "web.form_submitted", T0.AddDays(-6)));
        var before = await History(client, "ann@example.com");
        Assert.Equal([(null, 40.0, "event")], before);

        // Down for two days: Bob's form (six days old) expires meanwhile, Ann's does not.
        _app.KeepDataDirectory = true;
        var dataDirectory = _app.DataDirectory;
        _app.Dispose();
        _app = new ScoreHubApp(pluginsDirectory: PluginDirectories.FirstParty, dataDirectory: dataDirectory);
        _app.Clock.SetUtcNow(T0.AddDays(2));
        _app.KeepDataDirectory = false;
        client = _app.Client(_ws.SecretKey);

        Assert.Equal(before, await History(client, "ann@example.com"));
        Assert.Equal([(null, 40.0, "event"), (40.0, 0.0, "restart")], await History(client, "bob@example.com"));
    }

    private static async Task<List<(double? Old, double New, string Cause)>> History(HttpClient client, string email)
    {
        var history = await client.GetJsonAsync($"/api/v1/contacts/email:{email}/scores/leads/history");
        return [.. history.EnumerateArray().Select(h => (
            h.GetProperty("oldValue").ValueKind == JsonValueKind.Null ? (double?)null : h.GetProperty("oldValue").GetDouble(),
            h.GetProperty("newValue").GetDouble(),
            h.GetProperty("cause").GetString()!))];
    }
}
