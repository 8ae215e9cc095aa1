using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;

namespace ScoreHub.Benchmarks;

/// <summary>
/// Live-feed latency: starts the real host (Release build, first-party plugins) on loopback, publishes a one-rule
/// score, connects one SignalR client with the feed key, then posts events at a fixed rate (default 1,000/s in
/// batches of 10 every 10 ms), each on a lead never seen before, so every event yields exactly one scoreChanged.
/// Latency per event: from the moment its POST was sent (an upper bound of "accepted") to the moment the client
/// received that lead's scoreChanged.
/// </summary>
internal static class FeedLatency
{
    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20;
        var rate = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1000;
        var connect = args.ElementAtOrDefault(2) != "noclient"; // "noclient": the same load with no feed connection, for comparison
        const int batch = 10;
        var interval = TimeSpan.FromSeconds((double)batch / rate);

        using var host = await BenchHost.StartAsync();
        var url = host.Url;
        var keys = await host.CreateWorkspaceAsync();
        using var http = host.Client(keys.GetProperty("secret").GetString());
        var model = new { name = "Opens", kind = "engagement", groups = new[] { new { name = "Email", rules = new[] { new { @event = "email.opened", points = 1 } } } } };
        (await http.PutAsJsonAsync("/api/v1/scores/opens", model)).EnsureSuccessStatusCode();
        (await http.PostAsync("/api/v1/scores/opens/publish", null)).EnsureSuccessStatusCode();
        {
            var sentAt = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
            var ackedAt = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
            var receivedAt = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
            var latencies = new ConcurrentBag<double>();
            var feedKey = keys.GetProperty("feed").GetString();
            await using var hub = new HubConnectionBuilder()
                .WithUrl(new Uri(new Uri(url), "/hubs/leads"), o => o.AccessTokenProvider = () => Task.FromResult(feedKey))
                .Build();
            hub.On<JsonElement>("scoreChanged", m =>
            {
                var received = Stopwatch.GetTimestamp();
                if (m.GetProperty("email").GetString() is { } email && sentAt.TryRemove(email, out var sent))
                {
                    latencies.Add(Stopwatch.GetElapsedTime(sent, received).TotalMilliseconds);
                    receivedAt[email] = received;
                }
            });
            if (connect)
            {
                await hub.StartAsync();
            }

            // Warm-up (not counted): a second at the target rate.
            await Drive(http, "warm", TimeSpan.FromSeconds(1), interval, batch, new ConcurrentDictionary<string, long>(), new ConcurrentDictionary<string, long>());
            await Task.Delay(500);

            var watch = Stopwatch.StartNew();
            var posted = await Drive(http, "run", TimeSpan.FromSeconds(seconds), interval, batch, sentAt, ackedAt);
            var elapsed = watch.Elapsed.TotalSeconds;
            await Task.Delay(2000); // let the last messages arrive
            var all = latencies.Order().ToArray();
            // Scoring runs before the ack, so a message may arrive before its POST's response: those count as 0.
            var acks = ackedAt.Select(a => SentCopy.TryGetValue(a.Key, out var s) ? Stopwatch.GetElapsedTime(s, a.Value).TotalMilliseconds : double.NaN)
                .Where(d => !double.IsNaN(d)).Order().ToArray();
            var afterAck = receivedAt.Select(r => ackedAt.TryGetValue(r.Key, out var a) ? Math.Max(0, Stopwatch.GetElapsedTime(a, r.Value).TotalMilliseconds) : double.NaN)
                .Where(d => !double.IsNaN(d)).Order().ToArray();
            Console.WriteLine($"feed: {posted:N0} events posted in {elapsed:0.0} s = {posted / elapsed:N0} events/s (batches of {batch} every {interval.TotalMilliseconds:0} ms, one new lead per event)");
            Console.WriteLine($"event sent -> POST acknowledged: p50 {BenchHost.Percentile(acks, 0.50):0.0} ms, p99 {BenchHost.Percentile(acks, 0.99):0.0} ms");
            Console.WriteLine($"received {all.Length:N0} scoreChanged for them ({sentAt.Count:N0} missing)");
            Console.WriteLine($"event sent -> message received: p50 {BenchHost.Percentile(all, 0.50):0.0} ms, p99 {BenchHost.Percentile(all, 0.99):0.0} ms, max {(all.Length > 0 ? all[^1] : 0):0.0} ms");
            Console.WriteLine($"POST acknowledged -> message received: p50 {BenchHost.Percentile(afterAck, 0.50):0.0} ms, p99 {BenchHost.Percentile(afterAck, 0.99):0.0} ms (0 when the message beat the response)");
            return 0;
        }
    }

    /// <summary>Posts a batch every interval (not waiting for the previous one), for the duration; returns events posted.</summary>
    private static async Task<int> Drive(
        HttpClient http, string prefix, TimeSpan duration, TimeSpan interval, int batch,
        ConcurrentDictionary<string, long> sentAt, ConcurrentDictionary<string, long> ackedAt)
    {
        var requests = new List<Task>();
        var watch = Stopwatch.StartNew();
        var n = 0;
        while (watch.Elapsed < duration)
        {
            var due = interval * n;
            if (due > watch.Elapsed)
            {
                await Task.Delay(due - watch.Elapsed);
            }

            var json = new StringBuilder("{\"events\":[");
            var now = Stopwatch.GetTimestamp();
            for (var i = 0; i < batch; i++)
            {
                var email = $"{prefix}-{n}-{i}@example.com";
                sentAt[email] = now;
                SentCopy[email] = now;
                json.Append(i > 0 ? "," : "").Append("{\"id\":\"").Append(prefix).Append('-').Append(n).Append('-').Append(i)
                    .Append("\",\"type\":\"email.opened\",\"occurredAt\":\"2026-01-15T10:00:00Z\",\"contact\":{\"email\":\"").Append(email).Append("\"}}");
            }

            json.Append("]}");
            var emails = Enumerable.Range(0, batch).Select(i => $"{prefix}-{n}-{i}@example.com").ToArray();
            requests.Add(Post(http, json.ToString(), emails, ackedAt));
            n++;
        }

        await Task.WhenAll(requests);
        return n * batch;
    }

    private static readonly ConcurrentDictionary<string, long> SentCopy = new(StringComparer.Ordinal);

    private static async Task Post(HttpClient http, string json, string[] emails, ConcurrentDictionary<string, long> ackedAt)
    {
        using var response = await http.PostAsync("/api/v1/events", new StringContent(json, Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
        var acked = Stopwatch.GetTimestamp();
        foreach (var email in emails)
        {
            ackedAt[email] = acked;
        }
    }
}
