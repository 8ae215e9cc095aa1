using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace ScoreHub.Benchmarks;

/// <summary>
/// Whole-process ingest benchmark: starts the real host (Release build) on loopback with a fresh data directory,
/// then several clients post canonical batches to POST /api/v1/events for a fixed time. Every counted event was
/// acknowledged, i.e. committed to LiteDB. Reports events/s and request latency percentiles.
/// </summary>
internal static class IngestLoad
{
    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 20;
        var concurrency = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 8;
        var batchSize = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 500;

        using var host = await BenchHost.StartAsync();
        var data = host.DataDirectory;
        using var http = host.Client((await host.CreateWorkspaceAsync()).GetProperty("ingest").GetString());
        {
            // Warm-up, not counted.
            await http.PostAsync("/api/v1/events", Batch("warm", 0, batchSize));

            var latencies = new List<double>[concurrency];
            var accepted = new long[concurrency];
            var stopAt = Stopwatch.StartNew();
            var duration = TimeSpan.FromSeconds(seconds);
            var workers = Enumerable.Range(0, concurrency).Select(w => Task.Run(async () =>
            {
                latencies[w] = [];
                var n = 0;
                while (stopAt.Elapsed < duration)
                {
                    var body = Batch($"w{w}", n++, batchSize);
                    var t = Stopwatch.GetTimestamp();
                    using var response = await http.PostAsync("/api/v1/events", body);
                    latencies[w].Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        accepted[w] += batchSize;
                    }
                }
            })).ToArray();
            await Task.WhenAll(workers);
            var elapsed = stopAt.Elapsed.TotalSeconds;
            var all = latencies.SelectMany(l => l).Order().ToArray();
            var total = accepted.Sum();
            Console.WriteLine($"ingest: {total:N0} events acknowledged in {elapsed:0.0} s = {total / elapsed:N0} events/s " +
                $"(batches of {batchSize}, {concurrency} concurrent clients, {all.Length:N0} requests)");
            Console.WriteLine($"request latency: p50 {BenchHost.Percentile(all, 0.50):0.0} ms, p99 {BenchHost.Percentile(all, 0.99):0.0} ms, max {all[^1]:0.0} ms");
            Console.WriteLine($"database file: {new FileInfo(Path.Combine(data, "scorehub.db")).Length / 1024.0 / 1024.0:0.0} MB");
            return 0;
        }
    }

    private static readonly string[] Types = ["email.opened", "email.clicked", "web.page_viewed", "web.form_submitted", "meeting.booked"];

    /// <summary>A realistic batch: 5 event types, 20,000 distinct contacts by email, a url property.</summary>
    internal static StringContent Batch(string prefix, int n, int size)
    {
        var json = new StringBuilder(size * 200);
        json.Append("{\"events\":[");
        for (var i = 0; i < size; i++)
        {
            if (i > 0)
            {
                json.Append(',');
            }

            var contact = (n * size + i) * 7919 % 20_000;
            json.Append("{\"id\":\"").Append(prefix).Append('-').Append(n).Append('-').Append(i)
                .Append("\",\"type\":\"").Append(Types[i % Types.Length])
                .Append("\",\"occurredAt\":\"2026-01-15T10:00:00Z\",\"contact\":{\"email\":\"lead").Append(contact)
                .Append("@example.com\"},\"properties\":{\"url\":\"https://example.com/pricing\",\"campaign\":\"spring\"}}");
        }

        json.Append("]}");
        return new StringContent(json.ToString(), Encoding.UTF8, "application/json");
    }
}
