using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;

namespace ScoreHub.Benchmarks;

/// <summary>
/// Soak: the real host under mixed load for a while (default 10 minutes), reporting every interval how its memory,
/// handles and threads move and what readers and writers see. Not part of CI (docs/operations.md): the point is a
/// flat line, and a leak shows as a slope only over minutes.
/// Load: ingest batches (new and returning leads, five event types) at a fixed rate, reads of contacts, scores and
/// records, model republishing every minute, a feed client connected throughout, and contacts erased now and then.
/// </summary>
internal static class Soak
{
    public static async Task<int> RunAsync(string[] args)
    {
        var minutes = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 10;
        var rate = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 500;
        var every = TimeSpan.FromSeconds(args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 30);
        const int batch = 20;

        using var host = await BenchHost.StartAsync();
        var keys = await host.CreateWorkspaceAsync("soak");
        using var secret = host.Client(keys.GetProperty("secret").GetString());
        using var ingest = host.Client(keys.GetProperty("ingest").GetString());
        var model = new
        {
            name = "Lead score",
            limit = 100,
            groups = new object[]
            {
                new { name = "Engagement", decay = new { percent = 50, every = "1 month" }, rules = new object[]
                {
                    new { @event = "email.opened", points = 2, max = 20 }, new { @event = "email.clicked", points = 5 },
                    new { @event = "web.page_viewed", points = 1, max = 10 }, new { @event = "web.form_submitted", points = 10 },
                } },
                new { name = "Sales", rules = new object[] { new { @event = "meeting.booked", points = 30 } } },
            },
            thresholds = new object[] { new { label = "cold", below = 30 }, new { label = "warm", below = 70 }, new { label = "hot" } },
        };
        (await secret.PutAsJsonAsync("/api/v1/scores/lead", model)).EnsureSuccessStatusCode();
        (await secret.PostAsync("/api/v1/scores/lead/publish", null)).EnsureSuccessStatusCode();

        var received = 0L;
        var feedKey = keys.GetProperty("feed").GetString();
        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(new Uri(host.Url), "/hubs/leads"), o => o.AccessTokenProvider = () => Task.FromResult(feedKey))
            .Build();
        hub.On<JsonElement>("scoreChanged", _ => Interlocked.Increment(ref received));
        await hub.StartAsync();

        var writes = new ConcurrentBag<double>();
        var reads = new ConcurrentBag<double>();
        var failures = new ConcurrentDictionary<HttpStatusCode, int>();
        var stored = 0L;
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(minutes));
        var load = Task.WhenAll(
            WriteAsync(ingest, rate, batch, writes, failures, () => Interlocked.Add(ref stored, batch), stop.Token),
            ReadAsync(secret, reads, failures, stop.Token),
            RepublishAndEraseAsync(secret, failures, stop.Token));

        Console.WriteLine($"soak: {minutes} min, {rate} events/s in batches of {batch}, reads, republish every minute, erasures; machine load {BenchHost.LoadAverage()}");
        Console.WriteLine("minute | RSS MB | handles | threads | events stored | feed messages | write p50/p99 ms | read p50/p99 ms | errors");
        var watch = Stopwatch.StartNew();
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(every, stop.Token);
            }
            catch (OperationCanceledException)
            {
            }

            Report(host.Process, watch.Elapsed, Interlocked.Read(ref stored), Interlocked.Read(ref received), Drain(writes), Drain(reads), failures);
        }

        await load;
        Console.WriteLine($"done: machine load {BenchHost.LoadAverage()}");
        return 0;
    }

    private static async Task WriteAsync(
        HttpClient http, int rate, int batch, ConcurrentBag<double> latencies, ConcurrentDictionary<HttpStatusCode, int> failures,
        Action stored, CancellationToken stop)
    {
        string[] types = ["email.opened", "email.clicked", "web.page_viewed", "web.form_submitted", "meeting.booked"];
        using var tick = new PeriodicTimer(TimeSpan.FromSeconds((double)batch / rate));
        var inFlight = new List<Task>();
        var n = 0;
        while (await Tick(tick, stop))
        {
            var json = new StringBuilder("{\"events\":[");
            for (var i = 0; i < batch; i++)
            {
                // Half the events come from 5,000 returning leads, half from leads never seen before.
                var lead = i % 2 == 0 ? $"lead{(n * batch + i) % 5_000}" : $"new{n}-{i}";
                json.Append(i > 0 ? "," : "").Append("{\"id\":\"s").Append(n).Append('-').Append(i)
                    .Append("\",\"type\":\"").Append(types[(n + i) % types.Length])
                    .Append("\",\"occurredAt\":\"2026-11-20T10:00:00Z\",\"contact\":{\"email\":\"").Append(lead).Append("@example.com\"}}");
            }

            var body = json.Append("]}").ToString();
            n++;
            inFlight.Add(TimedAsync(() => http.PostAsync("/api/v1/events", new StringContent(body, Encoding.UTF8, "application/json")), latencies, failures, stored));
            inFlight.RemoveAll(t => t.IsCompleted);
        }

        await Task.WhenAll(inFlight);
    }

    private static async Task ReadAsync(HttpClient http, ConcurrentBag<double> latencies, ConcurrentDictionary<HttpStatusCode, int> failures, CancellationToken stop)
    {
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        var n = 0;
        while (await Tick(tick, stop))
        {
            var path = (n++ % 3) switch
            {
                0 => "/api/v1/scores/lead/records?label=hot&sort=-score&limit=50",
                1 => $"/api/v1/contacts?email=lead{n % 5_000}@example.com",
                _ => "/api/v1/contacts?limit=100",
            };
            await TimedAsync(() => http.GetAsync(path), latencies, failures, () => { });
        }
    }

    private static async Task RepublishAndEraseAsync(HttpClient http, ConcurrentDictionary<HttpStatusCode, int> failures, CancellationToken stop)
    {
        using var tick = new PeriodicTimer(TimeSpan.FromSeconds(15));
        var n = 0;
        while (await Tick(tick, stop))
        {
            if (++n % 4 == 0)
            {
                Count(failures, await http.PostAsync("/api/v1/scores/lead/publish?wait=0", null, CancellationToken.None));
            }

            var found = await http.GetFromJsonAsync<JsonElement>($"/api/v1/contacts?email=lead{n * 37 % 5_000}@example.com", CancellationToken.None);
            if (found.GetArrayLength() > 0)
            {
                Count(failures, await http.DeleteAsync($"/api/v1/contacts/{found[0].GetProperty("id").GetString()}", CancellationToken.None));
            }
        }
    }

    private static async Task TimedAsync(
        Func<Task<HttpResponseMessage>> call, ConcurrentBag<double> latencies, ConcurrentDictionary<HttpStatusCode, int> failures, Action ok)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await call();
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (Count(failures, response))
            {
                ok();
            }
        }
        catch (HttpRequestException)
        {
            failures.AddOrUpdate(HttpStatusCode.ServiceUnavailable, 1, (_, c) => c + 1);
        }
    }

    private static bool Count(ConcurrentDictionary<HttpStatusCode, int> failures, HttpResponseMessage response)
    {
        if (response.IsSuccessStatusCode)
        {
            return true;
        }

        failures.AddOrUpdate(response.StatusCode, 1, (_, c) => c + 1);
        return false;
    }

    private static async Task<bool> Tick(PeriodicTimer timer, CancellationToken stop)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stop);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static double[] Drain(ConcurrentBag<double> bag)
    {
        var values = new List<double>();
        while (bag.TryTake(out var v))
        {
            values.Add(v);
        }

        return [.. values.Order()];
    }

    private static void Report(Process process, TimeSpan at, long stored, long received, double[] writes, double[] reads, ConcurrentDictionary<HttpStatusCode, int> failures)
    {
        process.Refresh();
        var handles = Directory.Exists($"/proc/{process.Id}/fd") ? Directory.GetFiles($"/proc/{process.Id}/fd").Length : process.HandleCount;
        var errors = failures.IsEmpty ? "none" : string.Join(' ', failures.OrderBy(f => f.Key).Select(f => $"{(int)f.Key}x{f.Value}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{at.TotalMinutes,6:0.0} | {process.WorkingSet64 / 1024.0 / 1024.0,6:0} | {handles,7} | {process.Threads.Count,7} | {stored,13:N0} | {received,13:N0} | " +
            $"{BenchHost.Percentile(writes, 0.5),7:0.0} / {BenchHost.Percentile(writes, 0.99),6:0.0} | {BenchHost.Percentile(reads, 0.5),6:0.0} / {BenchHost.Percentile(reads, 0.99),6:0.0} | {errors}"));
    }
}
