using System.Diagnostics;
using System.Net;
using ScoreHub.Host.Tests.Support;

namespace ScoreHub.Host.Tests.Plugins;

public sealed class InvokerFaultTests : IAsyncLifetime, IDisposable
{
    private const int Threshold = 3;
    private static readonly TimeSpan BreakDuration = TimeSpan.FromSeconds(30);

    private readonly ScoreHubApp _app = new(pluginsDirectory: PluginDirectories.TestPlugins, settings: new Dictionary<string, string?>
    {
        ["ScoreHub:PluginCallTimeout"] = "00:00:01",
        ["ScoreHub:CircuitBreakerThreshold"] = Threshold.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["ScoreHub:CircuitBreakDuration"] = "00:00:30",
    });

    private TestWorkspace _ws = null!;
    private TestWorkspace _other = null!;

    public async Task InitializeAsync()
    {
        _ws = await _app.CreateWorkspaceAsync("Acme");
        _other = await _app.CreateWorkspaceAsync("Other");
        await _app.ActivateOrFailAsync(_ws, "test.good", new { mode = "a" });
        await _app.ActivateOrFailAsync(_ws, "test.faulty", new { });
        await _app.ActivateOrFailAsync(_other, "test.faulty", new { });
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Plugin_that_throws_fails_only_its_own_request_with_a_502()
    {
        var failed = await _app.CallFaultyAsync(_ws, "throw");

        Assert.Equal(HttpStatusCode.BadGateway, failed.StatusCode);
        Assert.Equal("application/problem+json", failed.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Plugin 'test.faulty' failed: InvalidOperationException: faulty plugin threw on purpose",
            (await failed.JsonAsync()).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.OK, (await _app.PostGoodAsync(_ws, "evt_1", "ada@example.com")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _app.CallFaultyAsync(_other, "ok")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _app.CallFaultyAsync(_ws, "ok")).StatusCode);
    }

    [Fact]
    public async Task Plugin_that_hangs_ignoring_its_token_gets_a_502_within_the_timeout()
    {
        var watch = Stopwatch.StartNew();
        var response = await _app.CallFaultyAsync(_ws, "hang");
        watch.Stop();

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("Plugin 'test.faulty' failed: timed out after 1 s", (await response.JsonAsync()).GetProperty("detail").GetString());
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(4));
        Assert.Equal(HttpStatusCode.OK, (await _app.PostGoodAsync(_ws, "evt_1", "ada@example.com")).StatusCode);
    }

    [Fact]
    public async Task Repeated_failures_open_the_circuit_and_a_good_call_after_the_break_closes_it()
    {
        for (var i = 0; i < Threshold; i++)
        {
            Assert.Equal(HttpStatusCode.BadGateway, (await _app.CallFaultyAsync(_ws, "throw")).StatusCode);
        }

        var activation = (await _app.PluginAsync(_ws, "test.faulty")).GetProperty("activation");
        Assert.Equal("faulted", activation.GetProperty("health").GetString());
        Assert.Equal("InvalidOperationException: faulty plugin threw on purpose", activation.GetProperty("lastError").GetString());

        // Open: even a call that would succeed fails fast, and stores nothing.
        var watch = Stopwatch.StartNew();
        var fast = await _app.CallFaultyAsync(_ws, "ok", "blocked@example.com");
        watch.Stop();
        Assert.Equal(HttpStatusCode.BadGateway, fast.StatusCode);
        Assert.StartsWith("Plugin 'test.faulty' failed: circuit open after repeated failures",
            (await fast.JsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(await _app.ContactsAsync(_ws, "blocked@example.com"));

        // The same plugin in another workspace and another plugin in this one are unaffected.
        Assert.Equal(HttpStatusCode.OK, (await _app.CallFaultyAsync(_other, "ok")).StatusCode);
        Assert.Equal("healthy", (await _app.PluginAsync(_other, "test.faulty")).GetProperty("activation").GetProperty("health").GetString());
        Assert.Equal(HttpStatusCode.OK, (await _app.PostGoodAsync(_ws, "evt_1", "ada@example.com")).StatusCode);

        _app.Clock.Advance(BreakDuration + TimeSpan.FromSeconds(1));
        var trial = await _app.CallFaultyAsync(_ws, "ok", "trial@example.com");

        Assert.Equal(HttpStatusCode.OK, trial.StatusCode);
        Assert.Single(await _app.ContactsAsync(_ws, "trial@example.com"));
        Assert.Equal("healthy", (await _app.PluginAsync(_ws, "test.faulty")).GetProperty("activation").GetProperty("health").GetString());
    }

    [Fact]
    public async Task Activating_again_with_new_settings_closes_an_open_circuit()
    {
        for (var i = 0; i < Threshold; i++)
        {
            await _app.CallFaultyAsync(_ws, "throw");
        }

        var reactivated = await _app.ActivateAsync(_ws, "test.faulty", new { });

        Assert.Equal(HttpStatusCode.OK, reactivated.StatusCode);
        Assert.Equal("healthy", (await reactivated.JsonAsync()).GetProperty("activation").GetProperty("health").GetString());
        Assert.Equal(HttpStatusCode.OK, (await _app.CallFaultyAsync(_ws, "ok")).StatusCode);
    }

    [Fact]
    public async Task Failed_trial_call_after_the_break_opens_the_circuit_again()
    {
        for (var i = 0; i < Threshold; i++)
        {
            await _app.CallFaultyAsync(_ws, "throw");
        }

        _app.Clock.Advance(BreakDuration + TimeSpan.FromSeconds(1));
        var trial = await _app.CallFaultyAsync(_ws, "throw");
        var next = await _app.CallFaultyAsync(_ws, "ok");

        Assert.Equal(HttpStatusCode.BadGateway, trial.StatusCode);
        Assert.Equal(HttpStatusCode.BadGateway, next.StatusCode);
        Assert.Equal("faulted", (await _app.PluginAsync(_ws, "test.faulty")).GetProperty("activation").GetProperty("health").GetString());
    }

    [Theory]
    [InlineData("null", "returned no response")]
    [InlineData("null-signals", "returned a malformed response: 'signals' is null")]
    [InlineData("null-members", "returned a malformed response: 'signals[0].id' is null")]
    public async Task Plugin_that_returns_nonsense_gets_a_502_naming_it_stores_nothing_and_counts_against_its_breaker(string action, string reason)
    {
        for (var i = 0; i < Threshold; i++)
        {
            var response = await _app.CallFaultyAsync(_ws, action);

            Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
            Assert.Equal($"Plugin 'test.faulty' failed: {reason}", (await response.JsonAsync()).GetProperty("detail").GetString());
        }

        var activation = (await _app.PluginAsync(_ws, "test.faulty")).GetProperty("activation");
        Assert.Equal(("faulted", reason), (activation.GetProperty("health").GetString(), activation.GetProperty("lastError").GetString()));
        Assert.Empty(await _app.ContactsAsync(_ws, "faulty@example.com"));
        Assert.Equal(HttpStatusCode.OK, (await _app.CallFaultyAsync(_other, "ok")).StatusCode);

        _app.Clock.Advance(BreakDuration + TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, (await _app.CallFaultyAsync(_ws, "ok")).StatusCode);
        Assert.Equal("healthy", (await _app.PluginAsync(_ws, "test.faulty")).GetProperty("activation").GetProperty("health").GetString());
    }
}
