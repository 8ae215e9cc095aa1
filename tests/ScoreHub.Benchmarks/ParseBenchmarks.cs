using System.Text.Json;
using BenchmarkDotNet.Attributes;
using ScoreHub.Host.Core.Events;
using ScoreHub.Host.Features.Events;

namespace ScoreHub.Benchmarks;

/// <summary>Cost of reading and shape-checking one canonical batch of 500 events (the CPU part of ingest).</summary>
[MemoryDiagnoser]
public class ParseBenchmarks
{
    private byte[] _batch = [];

    [GlobalSetup]
    public void Setup() => _batch = IngestLoad.Batch("p", 0, 500).ReadAsByteArrayAsync().GetAwaiter().GetResult();

    [Benchmark]
    public int Parse_500_events()
    {
        using var document = JsonDocument.Parse(_batch);
        return EventBatchParser.Parse(document.RootElement).Signals.Count;
    }
}
