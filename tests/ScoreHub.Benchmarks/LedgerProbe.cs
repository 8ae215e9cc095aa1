using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ScoreHub.Host;
using ScoreHub.Host.Features.Events;
using ScoreHub.Host.Storage;

namespace ScoreHub.Benchmarks;

/// <summary>In-process split of ingest cost: parse, validate, append (commit), without HTTP.</summary>
internal static class LedgerProbe
{
    public static async Task<int> RunAsync()
    {
        var data = Directory.CreateTempSubdirectory("scorehub-probe-").FullName;
        var options = Options.Create(new ScoreHubOptions { DataDirectory = data });
        using var db = new Database(options);
        var ledger = new Ledger(db, NullLogger<Ledger>.Instance);
        var services = new ServiceCollection().AddMediator().BuildServiceProvider();
        var writer = new LedgerWriter(db, ledger, TimeProvider.System, services, NullLogger<LedgerWriter>.Instance);
        await writer.StartAsync(CancellationToken.None);
        var validator = new IngestEventsValidator(TimeProvider.System);
        var batches = Enumerable.Range(0, 40).Select(n =>
        {
            var bytes = IngestLoad.Batch("x", n, 500).ReadAsByteArrayAsync().GetAwaiter().GetResult();
            return bytes;
        }).ToList();

        var parse = TimeSpan.Zero;
        var validate = TimeSpan.Zero;
        var append = TimeSpan.Zero;
        foreach (var bytes in batches)
        {
            var t = Stopwatch.GetTimestamp();
            using var doc = JsonDocument.Parse(bytes);
            var signals = EventBatchParser.Parse(doc.RootElement).Signals;
            parse += Stopwatch.GetElapsedTime(t);
            t = Stopwatch.GetTimestamp();
            var command = new IngestEvents(new ScoreHub.Host.Infrastructure.Caller(ScoreHub.Host.Infrastructure.KeyKind.Ingest, "ws"), "api", signals);
            var result = await validator.ValidateAsync(command);
            validate += Stopwatch.GetElapsedTime(t);
            t = Stopwatch.GetTimestamp();
            await writer.AppendAsync("ws", [.. signals.Select(s => new IncomingSignal("api", s))], CancellationToken.None);
            append += Stopwatch.GetElapsedTime(t);
        }

        Console.WriteLine($"20,000 events: parse {parse.TotalMilliseconds:0} ms, validate {validate.TotalMilliseconds:0} ms, append {append.TotalMilliseconds:0} ms");
        await writer.StopAsync(CancellationToken.None);
        return 0;
    }
}
