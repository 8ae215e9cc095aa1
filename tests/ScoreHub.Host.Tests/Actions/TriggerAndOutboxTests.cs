using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ScoreHub.Host.Tests.Support;

namespace ScoreHub.Host.Tests.Actions;

/// <summary>Triggers on score transitions and the durable outbox, with a real HTTP receiver behind a test action plugin.</summary>
public sealed class TriggerAndOutboxTests : IAsyncLifetime, IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 10, 9, 0, 0, TimeSpan.Zero);
    private static readonly Dictionary<string, string?> FastRetries = new()
    {
        ["ScoreHub:ActionRetryDelay"] = "00:00:00.100",
        ["ScoreHub:ActionMaxRetries"] = "4",
    };

    private readonly Receiver _receiver = new();
    private ScoreHubApp _app = NewApp();
    private TestWorkspace _ws = null!;

    private static readonly object Model = new
    {
        name = "Lead score",
        groups = new object[]
        {
            new
            {
                name = "Intent",
                rules = new object[] { new { @event = "demo.requested", points = 70 }, new { @event = "careers.viewed", points = -40 } },
            },
        },
        thresholds = new object[] { new { label = "cold", below = 30 }, new { label = "warm", below = 60 }, new { label = "hot" } },
    };

    private static ScoreHubApp NewApp(string? dataDirectory = null) => new(
        pluginsDirectory: PluginDirectories.FirstParty + Path.PathSeparator + PluginDirectories.TestPlugins,
        settings: FastRetries, dataDirectory: dataDirectory);

    public async Task InitializeAsync()
    {
        _app.Clock.SetUtcNow(T0);
        _ws = await _app.CreateWorkspaceAsync();
        var client = Client;
        Assert.Equal(HttpStatusCode.OK, (await client.PutAsJsonAsync("/api/v1/plugins/test.receiver/activation", new { settings = new { } })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PutAsJsonAsync("/api/v1/scores/lead", Model)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/api/v1/scores/lead/publish", null)).StatusCode);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _app.Dispose();
        _receiver.Dispose();
    }

    private HttpClient Client => _app.Client(_ws.SecretKey);

    private object HotTrigger(object? parameters = null, object? filter = null, string? cooldown = null, bool onPublish = false) => new
    {
        score = "lead",
        when = new { label = new { to = "hot" } },
        filter,
        cooldown,
        onPublish,
        actions = new[] { new { plugin = "test.receiver", parameters = parameters ?? new { url = _receiver.Url } } },
    };

    [Fact]
    public async Task A_lead_turning_hot_fires_once_and_fires_again_after_falling_back_and_rising()
    {
        Assert.Equal(HttpStatusCode.OK, (await Client.PutAsJsonAsync("/api/v1/triggers/became-hot", HotTrigger())).StatusCode);

        await Post("d1", "demo.requested");
        await Until(() => _receiver.Accepted.Count == 1);
        var first = _receiver.Accepted[0];
        Assert.Equal("became-hot", first.GetProperty("trigger").GetString());
        Assert.Equal("hot", first.GetProperty("to").GetString());
        Assert.Equal(70, first.GetProperty("value").GetDouble());
        Assert.Equal("event", first.GetProperty("cause").GetString());
        Assert.Equal(1, first.GetProperty("groups").GetInt32());

        await Post("c1", "careers.viewed");   // 30: warm, no edge into hot
        await Post("d2", "demo.requested");   // 100: hot again
        await Until(() => _receiver.Accepted.Count == 2);
        Assert.Equal(2, _receiver.Accepted[1].GetProperty("sequence").GetInt64());
        Assert.Equal(2, _receiver.Requests.Select(r => r.Key).Distinct().Count());

        // The receiver answers before the outbox records the delivery: wait for the record, not only the request.
        await Until(() => Client.GetJsonAsync("/api/v1/actions/deliveries?status=delivered"), d => d.GetArrayLength() == 2);
    }

    [Fact]
    public async Task A_receiver_that_is_down_for_a_while_gets_everything_once_after_it_recovers()
    {
        await Client.PutAsJsonAsync("/api/v1/triggers/became-hot", HotTrigger());
        _receiver.Status = HttpStatusCode.ServiceUnavailable;

        await Post("d1", "demo.requested");
        await Until(() => _receiver.Requests.Count >= 3);
        _receiver.Status = HttpStatusCode.OK;
        await Until(() => _receiver.Accepted.Count == 1);

        Assert.Single(_receiver.Requests.Select(r => r.Key).Distinct());
        var deliveries = await Until(() => Client.GetJsonAsync("/api/v1/actions/deliveries?status=delivered"), d => d.GetArrayLength() == 1);
        var delivery = Assert.Single(deliveries.EnumerateArray());
        Assert.Equal(_receiver.Requests.Count, delivery.GetProperty("attempts").GetInt32());
    }

    [Fact]
    public async Task A_refused_action_becomes_a_dead_letter_that_can_be_redriven()
    {
        await Client.PutAsJsonAsync("/api/v1/triggers/became-hot", HotTrigger());
        _receiver.Status = HttpStatusCode.BadRequest;

        await Post("d1", "demo.requested");
        var failed = await Until(async () => (await Client.GetJsonAsync("/api/v1/actions/deliveries?status=failed")).EnumerateArray().ToList(), l => l.Count == 1);
        Assert.Equal(1, failed[0].GetProperty("attempts").GetInt32()); // a 400 is not retried
        Assert.Equal("Receiver answered 400", failed[0].GetProperty("lastError").GetString());

        _receiver.Status = HttpStatusCode.OK;
        var id = failed[0].GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.OK, (await Client.PostAsync($"/api/v1/actions/deliveries/{id}/retry", null)).StatusCode);
        await Until(() => _receiver.Accepted.Count == 1);
        await Until(async () => (await Client.GetJsonAsync($"/api/v1/actions/deliveries/{id}")).GetProperty("status").GetString(), s => s == "delivered");
    }

    [Fact]
    public async Task Publishing_a_model_fires_nothing_for_history_unless_the_trigger_asks_for_it()
    {
        await Post("d1", "demo.requested");
        await Post("d2", "demo.requested", email: "bob@example.com");
        await Client.PutAsJsonAsync("/api/v1/triggers/quiet", HotTrigger());
        await Client.PutAsJsonAsync("/api/v1/scores/lead", Model);
        await Client.DeleteAsync("/api/v1/scores/lead");
        await Client.PutAsJsonAsync("/api/v1/scores/lead", Model);
        await Client.PostAsync("/api/v1/scores/lead/publish", null);
        Assert.Equal(0, (await Client.GetJsonAsync("/api/v1/actions/deliveries")).GetArrayLength());

        await Client.PutAsJsonAsync("/api/v1/triggers/quiet", HotTrigger(onPublish: true));
        await Client.DeleteAsync("/api/v1/scores/lead");
        await Client.PutAsJsonAsync("/api/v1/scores/lead", Model);
        await Client.PostAsync("/api/v1/scores/lead/publish", null);
        await Until(() => _receiver.Accepted.Count == 2);
        Assert.All(_receiver.Accepted, r => Assert.Equal("publish", r.GetProperty("cause").GetString()));
    }

    [Fact]
    public async Task A_filter_and_a_cooldown_hold_back_a_firing()
    {
        await Client.PutAsJsonAsync("/api/v1/triggers/unowned", HotTrigger(filter: new[] { new { property = "owner", op = "empty" } }, cooldown: "1 day"));
        await Client.PutAsJsonAsync("/api/v1/contacts/email:owned@example.com", new { properties = new { owner = "rep@example.com" } });

        await Post("o1", "demo.requested", email: "owned@example.com");
        await Post("d1", "demo.requested");
        await Post("c1", "careers.viewed");
        await Post("d2", "demo.requested"); // hot again within a day: cooling down

        await Until(() => _receiver.Accepted.Count == 1);
        Assert.Equal("lead@example.com", _receiver.Accepted[0].GetProperty("email").GetString());
        Assert.Equal(1, (await Client.GetJsonAsync("/api/v1/actions/deliveries")).GetArrayLength());
    }

    [Fact]
    public async Task An_owner_set_by_an_action_goes_through_the_normal_write_path()
    {
        await Client.PutAsJsonAsync("/api/v1/triggers/assign", HotTrigger(parameters: new { url = _receiver.Url, setOwner = "rep@example.com" }));

        await Post("d1", "demo.requested");

        var history = await Until(
            async () => await Client.GetJsonAsync("/api/v1/contacts/email:lead@example.com/properties/history"),
            h => h.EnumerateArray().Any(c => c.GetProperty("name").GetString() == "owner"));
        var change = history.EnumerateArray().Single(c => c.GetProperty("name").GetString() == "owner");
        Assert.Equal("rep@example.com", change.GetProperty("value").GetString());
    }

    [Fact]
    public async Task A_restart_between_recording_and_delivery_loses_nothing_and_keeps_the_idempotency_key()
    {
        await Client.PutAsJsonAsync("/api/v1/triggers/became-hot", HotTrigger());
        _receiver.Status = HttpStatusCode.ServiceUnavailable;
        await Post("d1", "demo.requested");
        await Until(() => !_receiver.Requests.IsEmpty);
        var key = _receiver.Requests.First().Key;

        _app.KeepDataDirectory = true;
        var data = _app.DataDirectory;
        _app.Dispose();
        _receiver.Status = HttpStatusCode.OK;
        _app = NewApp(data);
        _app.Clock.SetUtcNow(T0.AddMinutes(1));
        _app.KeepDataDirectory = false;
        _ = _app.Server; // start the host: pending deliveries resume without any new event

        await Until(() => _receiver.Accepted.Count == 1);
        Assert.All(_receiver.Requests, r => Assert.Equal(key, r.Key));
        await Until(() => Client.GetJsonAsync("/api/v1/actions/deliveries?status=delivered"), d => d.GetArrayLength() == 1);
        Assert.Single((await Client.GetJsonAsync("/api/v1/actions/deliveries")).EnumerateArray());
    }

    [Fact]
    public async Task An_invalid_trigger_is_refused_naming_each_field_and_not_saved()
    {
        var response = await Client.PutAsJsonAsync("/api/v1/triggers/bad", new
        {
            when = new { crosses = new { value = "fifty", direction = "sideways" } },
            actions = new[] { new { plugin = "scorehub.nothing" } },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["actions[0].plugin", "score", "when.crosses.direction", "when.crosses.value"], Api.ErrorNames(await response.JsonAsync()).Order(StringComparer.Ordinal));
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/api/v1/triggers/bad")).StatusCode);
    }

    [Fact]
    public async Task A_crossing_value_beyond_the_range_of_a_number_is_refused_naming_the_field()
    {
        // Valid but for the value, which no double holds.
        using var body = new StringContent(
            $$$"""{"score": "lead", "when": {"crosses": {"value": 1e400}}, "actions": [{"plugin": "test.receiver", "parameters": {"url": "{{{_receiver.Url}}}"}}]}""",
            System.Text.Encoding.UTF8, "application/json");

        var response = await Client.PutAsync("/api/v1/triggers/huge", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["when.crosses.value"], Api.ErrorNames(await response.JsonAsync()));
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/api/v1/triggers/huge")).StatusCode);
    }

    private async Task Post(string id, string type, string email = "lead@example.com")
    {
        _app.Clock.Advance(TimeSpan.FromMinutes(1));
        var response = await Client.PostEventsAsync(Api.Event(id, new { email }, type, _app.Clock.GetUtcNow().AddSeconds(-1)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>Moves the fake clock a little at a time (retry backoff runs on it) until the condition holds.</summary>
    private async Task Until(Func<bool> condition)
    {
        for (var i = 0; i < 300 && !condition(); i++)
        {
            _app.Clock.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Delay(20);
        }

        Assert.True(condition(), "The condition did not hold in time.");
    }

    private async Task<T> Until<T>(Func<Task<T>> read, Func<T, bool> condition)
    {
        var value = await read();
        for (var i = 0; i < 300 && !condition(value); i++)
        {
            _app.Clock.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Delay(20);
            value = await read();
        }

        Assert.True(condition(value), "The condition did not hold in time.");
        return value;
    }
}
