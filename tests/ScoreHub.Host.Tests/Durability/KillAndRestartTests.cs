using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ScoreHub.Host.Tests.Support;
using Xunit.Abstractions;

namespace ScoreHub.Host.Tests.Durability;

/// <summary>
/// The real host in its own process, killed with SIGKILL while batches are in flight and started again on the
/// same data directory: every event it acknowledged must be there, exactly once.
/// </summary>
public sealed class KillAndRestartTests(ITestOutputHelper output)
{
    private const string AdminKey = "shk_admin_durability-test-key";
    private const int Workers = 4;
    private const int BatchSize = 25;
    private static readonly TimeSpan FirstAcknowledgementTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Every_acknowledged_event_survives_two_kill_9_restarts_exactly_once()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "scorehub-tests", "durability-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDirectory);
        var host = await HostProcess.StartAsync(dataDirectory, AdminKey);
        try
        {
            var keys = await CreateWorkspaceAsync(host);
            var acknowledged = new ConcurrentDictionary<string, byte>(StringComparer.Ordinal);
            var acknowledgedBatches = new ConcurrentBag<object[]>();
            var occurredAt = TimeProvider.System.GetUtcNow().AddHours(-1);

            for (var cycle = 0; cycle < 2; cycle++)
            {
                var before = acknowledged.Count;
                await PostUntilKilledAsync(host, keys.Ingest, cycle, occurredAt, acknowledged, acknowledgedBatches);
                Assert.True(acknowledged.Count > before, $"Cycle {cycle}: nothing was acknowledged before the kill.\n{host.RecentOutput}");

                host.Dispose();
                host = await HostProcess.StartAsync(dataDirectory, AdminKey);

                var stored = await StoredEventIdsAsync(host, keys.Secret);
                var repeated = stored.GroupBy(id => id, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
                Assert.True(repeated.Count == 0, $"Cycle {cycle}: stored more than once: {string.Join(", ", repeated.Take(10))}");
                var lost = acknowledged.Keys.Except(stored, StringComparer.Ordinal).ToList();
                Assert.True(lost.Count == 0, $"Cycle {cycle}: {lost.Count} of {acknowledged.Count} acknowledged events lost, e.g. {string.Join(", ", lost.Take(10))}");
                Assert.Equal(stored.Count, await EventCountAsync(host, keys.Id));
                output.WriteLine($"Cycle {cycle}: {acknowledged.Count} acknowledged, {stored.Count} stored.");
            }

            // The dedupe set is rebuilt from disk too: re-sending acknowledged batches stores nothing.
            using var client = host.Client(keys.Ingest);
            foreach (var batch in acknowledgedBatches.Take(3))
            {
                var response = await client.PostAsJsonAsync("/api/v1/events", new { events = batch });
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.All(Api.Statuses(await response.JsonAsync()), status => Assert.Equal("duplicate", status));
            }
        }
        finally
        {
            host.Dispose();
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    private static async Task PostUntilKilledAsync(
        HostProcess host, string ingestKey, int cycle, DateTimeOffset occurredAt,
        ConcurrentDictionary<string, byte> acknowledged, ConcurrentBag<object[]> acknowledgedBatches)
    {
        using var stop = new CancellationTokenSource();
        var firstAcknowledged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var workers = Enumerable.Range(0, Workers).Select(worker => Task.Run(async () =>
        {
            using var client = host.Client(ingestKey);
            for (var batchNo = 0; !stop.IsCancellationRequested; batchNo++)
            {
                var ids = Enumerable.Range(0, BatchSize).Select(i => $"c{cycle}-w{worker}-b{batchNo}-{i}").ToArray();
                var batch = ids.Select(id => Api.Event(id, new { email = $"worker{worker}@example.com" }, type: "web.visited", at: occurredAt)).ToArray();
                try
                {
                    var response = await client.PostAsJsonAsync("/api/v1/events", new { events = batch });
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        continue;
                    }

                    var result = await response.JsonAsync();
                    if (Api.Statuses(result).All(s => s == "stored"))
                    {
                        foreach (var id in ids)
                        {
                            acknowledged.TryAdd(id, 0);
                        }

                        acknowledgedBatches.Add(batch);
                        firstAcknowledged.TrySetResult();
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException or JsonException)
                {
                    // The host was killed under this request: it was never acknowledged.
                    return;
                }
            }
        })).ToArray();

        // A busy machine may take seconds to acknowledge the first batch; the kill comes at a random moment after it
        // (when none comes in time, the caller's check reports that nothing was acknowledged).
        await Task.WhenAny(firstAcknowledged.Task, Task.Delay(FirstAcknowledgementTimeout));
        await Task.Delay(Random.Shared.Next(200, 1_500));

        // Kill while requests are in flight, then let the workers notice.
        host.Kill();
        await stop.CancelAsync();
        await Task.WhenAll(workers);
    }

    private static async Task<(string Id, string Secret, string Ingest)> CreateWorkspaceAsync(HostProcess host)
    {
        using var admin = host.Client(AdminKey);
        var response = await admin.PostAsJsonAsync("/api/v1/workspaces", new { name = "Durable" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.JsonAsync();
        var keys = created.GetProperty("keys");
        return (created.GetProperty("id").GetString()!, keys.GetProperty("secret").GetString()!, keys.GetProperty("ingest").GetString()!);
    }

    private static async Task<List<string>> StoredEventIdsAsync(HostProcess host, string secretKey)
    {
        using var client = host.Client(secretKey);
        var contacts = await client.GetJsonAsync("/api/v1/contacts?limit=1000");
        Assert.InRange(contacts.GetArrayLength(), 1, Workers);
        var ids = new List<string>();
        foreach (var contact in contacts.EnumerateArray())
        {
            var events = await client.GetJsonAsync($"/api/v1/contacts/{contact.GetProperty("id").GetString()}/events");
            ids.AddRange(events.EnumerateArray().Select(e => e.GetProperty("id").GetString()!));
            Assert.Equal(contact.GetProperty("eventCount").GetInt32(), events.GetArrayLength());
        }

        return ids;
    }

    private static async Task<long> EventCountAsync(HostProcess host, string workspaceId)
    {
        using var admin = host.Client(AdminKey);
        var workspaces = await admin.GetJsonAsync("/api/v1/workspaces");
        return workspaces.EnumerateArray().Single(w => w.GetProperty("id").GetString() == workspaceId).GetProperty("events").GetInt64();
    }
}
