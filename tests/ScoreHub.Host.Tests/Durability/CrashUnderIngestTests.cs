using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ScoreHub.Host.Tests.Actions;
using ScoreHub.Host.Tests.Support;
using Xunit.Abstractions;

namespace ScoreHub.Host.Tests.Durability;

/// <summary>
/// The real host in its own process, scoring and firing actions under sustained ingest, killed with SIGKILL at
/// random moments three times. After every restart: each acknowledged event is stored exactly once, every score
/// equals a full replay of the ledger, and what was pending when it died - an action whose receiver was down, a
/// score change due at a later instant - still happens.
/// </summary>
public sealed class CrashUnderIngestTests(ITestOutputHelper output) : IDisposable
{
    private const string AdminKey = "shk_admin_crash-test-key";
    private const int Workers = 3;
    private const int BatchSize = 20;
    private const int Cycles = 3;

    private static readonly Dictionary<string, string> Settings = new()
    {
        ["ScoreHub:ActionRetryDelay"] = "00:00:00.250",
        ["ScoreHub:ActionMaxRetries"] = "1000",
    };

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "scorehub-tests", "crash-" + Guid.NewGuid().ToString("N"));
    private readonly string _plugins = PluginDirectories.FirstParty + Path.PathSeparator + PluginDirectories.TestPlugins;
    private readonly Receiver _receiver = new() { Status = HttpStatusCode.ServiceUnavailable };
    private HostProcess? _host;

    public void Dispose()
    {
        _host?.Dispose();
        _receiver.Dispose();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    [Fact]
    public async Task Killed_at_random_moments_it_loses_no_acknowledged_event_keeps_scores_equal_to_a_replay_and_resumes_pending_work()
    {
        var seed = Environment.TickCount;
        output.WriteLine($"Seed {seed}");
        var random = new Random(seed);
        Directory.CreateDirectory(_dataDirectory);
        _host = await StartAsync();
        var ws = await SetUpWorkspaceAsync();
        var acknowledged = new ConcurrentDictionary<string, byte>(StringComparer.Ordinal);

        // A lead turns hot while the receiver of the "became hot" action is down: the delivery stays pending.
        await PostAsync(ws.Ingest, Api.Event("hot-1", new { email = "hot@example.com" }, "demo.requested", Now().AddMinutes(-1)));

        for (var cycle = 0; cycle < Cycles; cycle++)
        {
            if (cycle == Cycles - 1)
            {
                // Dated a few seconds ahead: counts from that instant, which comes after the last kill.
                await PostAsync(ws.Ingest, Api.Event("future-1", new { email = "future@example.com" }, "demo.requested", Now().AddSeconds(6)));
            }

            var killAfter = TimeSpan.FromMilliseconds(random.Next(300, 2500));
            var before = acknowledged.Count;
            await IngestUntilKilledAsync(ws.Ingest, cycle, killAfter, acknowledged);
            Assert.True(acknowledged.Count > before, $"Cycle {cycle}: nothing was acknowledged within 30 s.\n{_host.RecentOutput}");

            _host.Dispose();
            _host = await StartAsync();

            var visits = await VisitScoresAsync(ws.Secret);
            var stored = await StoredVisitIdsAsync(ws.Secret);
            Assert.Empty(stored.GroupBy(id => id, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key));
            var lost = acknowledged.Keys.Except(stored, StringComparer.Ordinal).ToList();
            Assert.True(lost.Count == 0, $"Cycle {cycle}: {lost.Count} of {acknowledged.Count} acknowledged events lost, e.g. {string.Join(", ", lost.Take(5))}");
            // One point per visit: each worker's live score is exactly what a replay of its stored events gives.
            Assert.Equal(stored.Count, visits.Values.Sum());
            await AssertScoresEqualAFullReplayAsync(ws.Secret, visits);
            output.WriteLine($"Cycle {cycle}: killed {killAfter.TotalMilliseconds} ms after the first acknowledgement; {acknowledged.Count} acknowledged, {stored.Count} stored.");
        }

        // The time-driven change due after the last kill happens, and the pending actions go out once the receiver is back.
        await UntilAsync(async () => await IntentAsync(ws.Secret, "future@example.com") == 100, "future@example.com's demo request counts once its instant has come");
        _receiver.Status = HttpStatusCode.OK;
        await UntilAsync(() => Task.FromResult(AcceptedEmails().Length == 2), "both hot leads' deliveries are accepted");
        Assert.Equal(["future@example.com", "hot@example.com"], AcceptedEmails());
        // Retried over three restarts, each delivery kept one idempotency key, so the receiver can drop repeats.
        Assert.Equal(2, _receiver.Requests.Select(r => r.Key).Distinct().Count());
    }

    private Task<HostProcess> StartAsync() => HostProcess.StartAsync(_dataDirectory, AdminKey, _plugins, Settings);

    private static DateTimeOffset Now() => TimeProvider.System.GetUtcNow();

    private string[] AcceptedEmails() =>
        [.. _receiver.Accepted.Select(b => b.GetProperty("email").GetString()!).Distinct().Order(StringComparer.Ordinal)];

    private async Task<(string Id, string Secret, string Ingest)> SetUpWorkspaceAsync()
    {
        using var admin = _host!.Client(AdminKey);
        var created = await (await admin.PostAsJsonAsync("/api/v1/workspaces", new { name = "Crash" })).JsonAsync();
        var keys = created.GetProperty("keys");
        var ws = (created.GetProperty("id").GetString()!, keys.GetProperty("secret").GetString()!, keys.GetProperty("ingest").GetString()!);

        using var client = _host.Client(ws.Item2);
        await OkAsync(client.PutAsJsonAsync("/api/v1/plugins/test.receiver/activation", new { settings = new { } }));
        await OkAsync(client.PutAsJsonAsync("/api/v1/scores/visits", new
        {
            name = "Visits",
            groups = new[] { new { name = "Web", rules = new[] { new { @event = "web.visited", points = 1 } } } },
            thresholds = new object[] { new { label = "new", below = 10 }, new { label = "regular" } },
        }));
        await OkAsync(client.PutAsJsonAsync("/api/v1/scores/intent", new
        {
            name = "Intent",
            groups = new[] { new { name = "Sales", rules = new[] { new { @event = "demo.requested", points = 100 } } } },
            thresholds = new object[] { new { label = "cold", below = 100 }, new { label = "hot" } },
        }));
        await OkAsync(client.PostAsync("/api/v1/scores/visits/publish", null));
        await OkAsync(client.PostAsync("/api/v1/scores/intent/publish", null));
        await OkAsync(client.PutAsJsonAsync("/api/v1/triggers/became-hot", new
        {
            score = "intent",
            when = new { label = new { to = "hot" } },
            actions = new[] { new { plugin = "test.receiver", parameters = new { url = _receiver.Url } } },
        }));
        return ws;
    }

    private async Task IngestUntilKilledAsync(string ingestKey, int cycle, TimeSpan killAfter, ConcurrentDictionary<string, byte> acknowledged)
    {
        using var stop = new CancellationTokenSource();
        var host = _host!;
        var workers = Enumerable.Range(0, Workers).Select(worker => Task.Run(async () =>
        {
            using var client = host.Client(ingestKey);
            for (var batchNo = 0; !stop.IsCancellationRequested; batchNo++)
            {
                var ids = Enumerable.Range(0, BatchSize).Select(i => $"c{cycle}-w{worker}-b{batchNo}-{i}").ToArray();
                var batch = ids.Select(id => Api.Event(id, new { email = $"worker{worker}@example.com" }, "web.visited", Now().AddMinutes(-5))).ToArray();
                try
                {
                    var response = await client.PostAsJsonAsync("/api/v1/events", new { events = batch });
                    if (response.StatusCode == HttpStatusCode.OK && Api.Statuses(await response.JsonAsync()).All(s => s == "stored"))
                    {
                        foreach (var id in ids)
                        {
                            acknowledged.TryAdd(id, 0);
                        }
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException or JsonException)
                {
                    return; // killed under this request: it was never acknowledged
                }
            }
        })).ToArray();

        // At a random moment once ingest is under way: on a busy machine the first acknowledgement after a restart
        // can take longer than the shortest delay.
        var first = acknowledged.Count;
        var waiting = System.Diagnostics.Stopwatch.StartNew();
        while (acknowledged.Count == first && waiting.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(10);
        }

        await Task.Delay(killAfter);
        host.Kill();
        await stop.CancelAsync();
        await Task.WhenAll(workers);
    }

    private async Task PostAsync(string ingestKey, object evt)
    {
        using var client = _host!.Client(ingestKey);
        var response = await client.PostEventsAsync(evt);
        Assert.Equal(["stored"], Api.Statuses(await response.JsonAsync()));
    }

    /// <summary>Each worker contact's live "visits" score, by email.</summary>
    private async Task<Dictionary<string, double>> VisitScoresAsync(string secretKey)
    {
        using var client = _host!.Client(secretKey);
        var records = await client.GetJsonAsync("/api/v1/scores/visits/records?limit=100");
        return records.EnumerateArray()
            .Where(r => r.GetProperty("email").GetString()!.StartsWith("worker", StringComparison.Ordinal))
            .ToDictionary(r => r.GetProperty("email").GetString()!, r => r.GetProperty("value").GetDouble(), StringComparer.Ordinal);
    }

    private async Task<List<string>> StoredVisitIdsAsync(string secretKey)
    {
        using var client = _host!.Client(secretKey);
        var ids = new List<string>();
        foreach (var contact in (await client.GetJsonAsync("/api/v1/contacts?limit=1000")).EnumerateArray())
        {
            var events = await client.GetJsonAsync($"/api/v1/contacts/{contact.GetProperty("id").GetString()}/events");
            ids.AddRange(events.EnumerateArray().Where(e => e.GetProperty("type").GetString() == "web.visited").Select(e => e.GetProperty("id").GetString()!));
        }

        return ids;
    }

    /// <summary>Republishing re-evaluates every record from the whole ledger: the scores must not move.</summary>
    private async Task AssertScoresEqualAFullReplayAsync(string secretKey, Dictionary<string, double> live)
    {
        using var client = _host!.Client(secretKey);
        var published = await client.PostAsync("/api/v1/scores/visits/publish?wait=30", null);
        Assert.Equal(HttpStatusCode.OK, published.StatusCode);
        Assert.Equal(live, await VisitScoresAsync(secretKey));
    }

    private async Task<double?> IntentAsync(string secretKey, string email)
    {
        using var client = _host!.Client(secretKey);
        var contacts = await client.GetJsonAsync($"/api/v1/contacts?email={Uri.EscapeDataString(email)}");
        if (contacts.GetArrayLength() == 0)
        {
            return null;
        }

        var scores = await client.GetJsonAsync($"/api/v1/contacts/{contacts[0].GetProperty("id").GetString()}/scores");
        return scores.EnumerateArray().Single(s => s.GetProperty("scoreId").GetString() == "intent").GetProperty("value").GetDouble();
    }

    private async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(30), $"Timed out waiting until {what}.\n{_host!.RecentOutput}");
            await Task.Delay(100);
        }
    }

    private static async Task OkAsync(Task<HttpResponseMessage> call)
    {
        var response = await call;
        Assert.True(response.IsSuccessStatusCode, $"{response.RequestMessage!.Method} {response.RequestMessage.RequestUri}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}
