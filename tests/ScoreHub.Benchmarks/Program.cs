using BenchmarkDotNet.Running;
using ScoreHub.Benchmarks;

// dotnet run -c Release --project tests/ScoreHub.Benchmarks -- ingest [seconds] [concurrency] [batch]
// dotnet run -c Release --project tests/ScoreHub.Benchmarks -- rescore [contacts=100000] [eventsPerContact=10]
// dotnet run -c Release --project tests/ScoreHub.Benchmarks -- rules [leads=20000] [eventsPerLead=10] [rounds=3]
// dotnet run -c Release --project tests/ScoreHub.Benchmarks -- feed [seconds=20] [eventsPerSecond=1000]
// dotnet run -c Release --project tests/ScoreHub.Benchmarks -- soak [minutes=10] [eventsPerSecond=500] [reportEverySeconds=30]
// dotnet run -c Release --project tests/ScoreHub.Benchmarks -- micro   (BenchmarkDotNet suites)
return args.FirstOrDefault() switch
{
    "ingest" => await IngestLoad.RunAsync(args.Skip(1).ToArray()),
    "feed" => await FeedLatency.RunAsync(args.Skip(1).ToArray()),
    "micro" => RunMicro(args.Skip(1).ToArray()),
    "rescore" => RescoreLoad.Run(args.Skip(1).ToArray()),
    "rules" => await RulesLoad.RunAsync(args.Skip(1).ToArray()),
    "soak" => await Soak.RunAsync(args.Skip(1).ToArray()),
    _ => Usage(),
};

static int RunMicro(string[] rest)
{
    BenchmarkSwitcher.FromAssembly(typeof(IngestLoad).Assembly).Run(rest);
    return 0;
}

static int Usage()
{
    Console.WriteLine("usage: ScoreHub.Benchmarks ingest [seconds=20] [concurrency=8] [batch=500] | rescore [contacts] [eventsPerContact] | rules [leads] [eventsPerLead] [rounds] | feed [seconds] [eventsPerSecond] [noclient] | soak [minutes] [eventsPerSecond] [reportEverySeconds] | micro [BenchmarkDotNet args]");
    return 2;
}
