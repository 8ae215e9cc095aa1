using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ScoreHub.Host.Tests.Support;

namespace ScoreHub.Host.Tests.Scoring;

/// <summary>The points strategy plugin, loaded like any plugin, driving published scores through the host.</summary>
public sealed class ScoringEndToEndTests : IAsyncLifetime, IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 10, 9, 0, 0, TimeSpan.Zero);

    private readonly ScoreHubApp _app = new(pluginsDirectory: PluginDirectories.FirstParty);
    private TestWorkspace _ws = null!;

    private static readonly object Model = new
    {
        name = "Lead engagement",
        kind = "engagement",
        limit = 100,
        groups = new object[]
        {
            new
            {
                name = "Sales engagement", limit = 60,
                rules = new object[]
                {
                    new { @event = "conversation.started", points = 15 },
                    new { @event = "meeting.booked", points = 10 },
                    new { @event = "meeting.completed", points = 20 },
                },
            },
            new
            {
                name = "Marketing engagement", limit = 40,
                rules = new object[]
                {
                    new { @event = "cta.clicked", points = 6 },
                    new { @event = "email.opened", points = 2 },
                    new { @event = "email.clicked", points = 5 },
                },
            },
            new
            {
                name = "Forms", decay = new { percent = 50, every = "1 month" },
                rules = new object[] { new { @event = "web.form_submitted", points = 10 } },
            },
        },
        thresholds = new object[] { new { label = "cold", below = 30 }, new { label = "warm", below = 71 }, new { label = "hot" } },
    };

    public async Task InitializeAsync()
    {
        _app.Clock.SetUtcNow(T0);
        _ws = await _app.CreateWorkspaceAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Publishing_scores_history_retroactively_with_the_domain_worked_example()
    {
        var client = _app.Client(_ws.SecretKey);
        await Post(client, ("e1", "meeting.booked"), ("e2", "email.opened"), ("e3", "email.opened"),
            ("e4", "email.clicked"), ("e5", "email.clicked"), ("e6", "email.clicked"));

        Assert.Equal(HttpStatusCode.OK, (await client.PutAsJsonAsync("/api/v1/scores/engagement", Model)).StatusCode);
        var published = await (await client.PostAsync("/api/v1/scores/engagement/publish", null)).JsonAsync();
        Assert.Equal(1, published.GetProperty("version").GetInt32());
        Assert.Equal(1, published.GetProperty("records").GetInt32());

        var score = await Score(client);
        Assert.Equal(29, score.GetProperty("value").GetDouble());
        Assert.Equal("cold", score.GetProperty("label").GetString());
        var groups = score.GetProperty("groups").EnumerateArray().ToDictionary(g => g.GetProperty("name").GetString()!, g => g.GetProperty("value").GetDouble());
        Assert.Equal(10, groups["Sales engagement"]);
        Assert.Equal(19, groups["Marketing engagement"]);
    }

    [Fact]
    public async Task A_new_event_updates_the_published_score_at_once_and_is_kept_in_history()
    {
        var client = _app.Client(_ws.SecretKey);
        await client.PutAsJsonAsync("/api/v1/scores/engagement", Model);
        await client.PostAsync("/api/v1/scores/engagement/publish", null);

        await Post(client, ("e1", "meeting.completed"), ("e2", "meeting.booked"), ("e3", "conversation.started"), ("e4", "email.clicked"));

        Assert.Equal(50, (await Score(client)).GetProperty("value").GetDouble());
        var records = await client.GetJsonAsync("/api/v1/scores/engagement/records?label=warm");
        Assert.Equal(50, Assert.Single(records.EnumerateArray()).GetProperty("value").GetDouble());
        var contactId = Assert.Single(records.EnumerateArray()).GetProperty("contactId").GetString();
        var history = await client.GetJsonAsync($"/api/v1/contacts/{contactId}/scores/engagement/history");
        Assert.Equal(50, history.EnumerateArray().Last().GetProperty("newValue").GetDouble());
    }

    [Fact]
    public async Task Decay_moves_the_score_at_the_scheduled_instant_without_a_new_event()
    {
        var client = _app.Client(_ws.SecretKey);
        await client.PutAsJsonAsync("/api/v1/scores/engagement", Model);
        await client.PostAsync("/api/v1/scores/engagement/publish", null);
        await Post(client, ("f1", "web.form_submitted"));
        var records = await client.GetJsonAsync("/api/v1/scores/engagement/records");
        Assert.Equal(10, Assert.Single(records.EnumerateArray()).GetProperty("value").GetDouble());

        _app.Clock.Advance(TimeSpan.FromDays(31) + TimeSpan.FromMinutes(1)); // 2026-04-10 09:01: one calendar month after the submission

        records = await client.GetJsonAsync("/api/v1/scores/engagement/records");
        Assert.Equal(5, Assert.Single(records.EnumerateArray()).GetProperty("value").GetDouble());
    }

    [Fact]
    public async Task After_a_restart_published_scores_are_rebuilt_from_the_ledger_exactly()
    {
        var client = _app.Client(_ws.SecretKey);
        await client.PutAsJsonAsync("/api/v1/scores/engagement", Model);
        await client.PostAsync("/api/v1/scores/engagement/publish", null);
        await Post(client, ("e1", "meeting.completed"), ("e2", "email.clicked"), ("f1", "web.form_submitted"));
        var before = (await Score(client)).GetRawText();
        _app.KeepDataDirectory = true;
        _app.Dispose();

        using var restarted = new ScoreHubApp(pluginsDirectory: PluginDirectories.FirstParty, dataDirectory: _app.DataDirectory);
        restarted.Clock.SetUtcNow(T0);
        try
        {
            var after = await Score(restarted.Client(_ws.SecretKey));

            Assert.Equal(before, after.GetRawText());
            Assert.Equal(35, after.GetProperty("value").GetDouble());
        }
        finally
        {
            restarted.KeepDataDirectory = false;
        }
    }

    [Fact]
    public async Task An_invalid_model_is_rejected_with_the_path_of_the_bad_field_and_not_saved()
    {
        var client = _app.Client(_ws.SecretKey);
        var bad = new { name = "x", kind = "engagement", groups = new object[] { new { name = "g", rules = new object[] { new { @event = "email.opened", points = "two" } } } } };

        var response = await client.PutAsJsonAsync("/api/v1/scores/bad", bad);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("groups[0].rules[0].points", Api.ErrorNames(await response.JsonAsync()));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/v1/scores/bad")).StatusCode);
    }

    [Fact]
    public async Task Republishing_an_edited_model_records_only_the_leads_it_changes_and_later_events_use_the_new_version()
    {
        var client = _app.Client(_ws.SecretKey);
        await PostFor(client, "ann@example.com", ("a1", "email.opened"));
        await PostFor(client, "ben@example.com", ("b1", "meeting.booked"));
        string Model(int opened) => $$"""
            { "name": "E", "kind": "engagement", "groups": [ { "name": "G", "rules": [
                { "event": "email.opened", "points": {{opened}} }, { "event": "meeting.booked", "points": 10 },
                { "event": "meeting.completed", "points": 20 } ] } ] }
            """;
        await PublishAsync(client, Model(2));
        var ann = await ContactId(client, "ann@example.com");
        var ben = await ContactId(client, "ben@example.com");

        await PublishAsync(client, Model(3));
        await PostFor(client, "ben@example.com", ("b2", "meeting.completed"));

        Assert.Equal([(null, 2.0, "publish"), (2.0, 3.0, "publish")], await History(client, ann));
        Assert.Equal([(null, 10.0, "publish"), (10.0, 30.0, "event")], await History(client, ben));
    }

    private static async Task PublishAsync(HttpClient client, string model)
    {
        using var body = new StringContent(model, System.Text.Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.OK, (await client.PutAsync("/api/v1/scores/e", body)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/api/v1/scores/e/publish", null)).StatusCode);
    }

    private static async Task<string> ContactId(HttpClient client, string email) =>
        (await client.GetJsonAsync("/api/v1/contacts")).EnumerateArray()
            .Single(c => c.GetProperty("email").GetString() == email).GetProperty("id").GetString()!;

    private static async Task<(double? From, double To, string Cause)[]> History(HttpClient client, string contactId) =>
        [.. (await client.GetJsonAsync($"/api/v1/contacts/{contactId}/scores/e/history")).EnumerateArray().Select(h => (
            h.GetProperty("oldValue").ValueKind == JsonValueKind.Null ? (double?)null : h.GetProperty("oldValue").GetDouble(),
            h.GetProperty("newValue").GetDouble(),
            h.GetProperty("cause").GetString()!))];

    private static async Task PostFor(HttpClient client, string email, params (string Id, string Type)[] events)
    {
        var response = await client.PostEventsAsync([.. events.Select(e => Api.Event(e.Id, new { email }, e.Type, T0.AddMinutes(-5)))]);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task<JsonElement> Score(HttpClient client)
    {
        var contacts = await client.GetJsonAsync("/api/v1/contacts");
        var id = Assert.Single(contacts.EnumerateArray()).GetProperty("id").GetString();
        var scores = await client.GetJsonAsync($"/api/v1/contacts/{id}/scores");
        return Assert.Single(scores.EnumerateArray());
    }

    private static Task Post(HttpClient client, params (string Id, string Type)[] events) => PostFor(client, "lead@example.com", events);
}
