using System.Diagnostics;
using System.Text.Json;
using Mediator;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ScoreHub.Host;
using ScoreHub.Host.Features.Demo;
using ScoreHub.Host.Features.Plugins;
using ScoreHub.Host.Features.Scoring;
using ScoreHub.Host.Storage;
using ScoreHub.Sdk;

namespace ScoreHub.Benchmarks;

/// <summary>
/// Full re-score as on publish: 1,000,000 events over 100,000 contacts held in the host's in-memory projection,
/// the demo model compiled by the real scorehub.points plugin loaded through the plugin catalog, every contact
/// evaluated through the invoker by <see cref="ScoreEngine.Publish"/>. Also times one incremental update.
/// </summary>
internal static class RescoreLoad
{
    private static readonly string[] Types =
        ["email.opened", "email.clicked", "web.page_viewed", "web.downloaded", "social.clicked", "meeting.booked", "email.unsubscribed"];

    public static int Run(string[] args)
    {
        var contacts = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 100_000;
        var eventsPerContact = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10;
        var data = Directory.CreateTempSubdirectory("scorehub-rescore-").FullName;
        var repo = BenchHost.RepoRoot();
        var options = Options.Create(new ScoreHubOptions { DataDirectory = data, PluginsDirectory = Path.Combine(repo, "artifacts", "plugins") });
        using var db = new Database(options);
        var ledger = new Ledger(db, NullLogger<Ledger>.Instance);
        var catalog = new PluginCatalog(options, NullLogger<PluginCatalog>.Instance);
        catalog.LoadAll();
        var invoker = new PluginInvoker(options, TimeProvider.System, NullLogger<PluginInvoker>.Instance);
        using var engine = new ScoreEngine(ledger, catalog, invoker, new NullPublisher(), TimeProvider.System, NullLogger<ScoreEngine>.Instance);

        var workspace = ledger.GetOrAdd("ws_bench");
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var random = new Random(42);
        for (var c = 0; c < contacts; c++)
        {
            var contact = new ContactRecord("c" + c) { CreatedAt = start };
            var events = new LeadEvent[eventsPerContact];
            for (var e = 0; e < eventsPerContact; e++)
            {
                var type = Types[random.Next(Types.Length)];
                events[e] = new LeadEvent
                {
                    Id = $"{c}-{e}",
                    Type = type,
                    OccurredAt = start.AddMinutes(random.Next(60 * 24 * 300)),
                    ContactId = contact.Id,
                    Properties = type == "web.page_viewed"
                        ? EventProperties.FromItems(["url", random.Next(3) == 0 ? "https://x.example/pricing" : "https://x.example/blog"])
                        : Bson.EmptyProperties,
                };
            }

            contact.AddEvents(events);
            contact.AddChanges([new PropertyChange("city", random.Next(2) == 0 ? "Rotterdam" : "Utrecht", start),
                new PropertyChange("jobTitle", random.Next(20) == 0 ? "Student" : "CMO", start)]);
            workspace.Contacts[contact.Id] = contact;
        }

        using var model = JsonDocument.Parse(DemoJourney.DemoModel);
        var (evaluator, error) = engine.Compile("ws_bench", "scorehub.points", model.RootElement);
        if (evaluator is null)
        {
            Console.Error.WriteLine(error);
            return 1;
        }

        for (var run = 1; run <= 3; run++)
        {
            var watch = Stopwatch.StartNew();
            var publication = engine.Publish(new PublishedScore("ws_bench", "lead-score", "Lead score", run, "scorehub.points", LeadKind.Contact, evaluator));
            publication.Completion.Wait();
            watch.Stop();
            var records = publication.Total;
            Console.WriteLine($"re-score run {run}: {records:N0} contacts, {records * (long)eventsPerContact:N0} events in {watch.Elapsed.TotalMilliseconds:N0} ms");
        }

        var score = engine.Find("ws_bench", "lead-score")!;
        var one = workspace.Contacts["c7"];
        var samples = new List<double>();
        for (var i = 0; i < 1_000; i++)
        {
            var t = Stopwatch.GetTimestamp();
            engine.Handle(new LedgerChanged("ws_bench", new HashSet<string> { one.Id }, new HashSet<string>()), CancellationToken.None).AsTask().Wait();
            samples.Add(Stopwatch.GetElapsedTime(t).TotalMicroseconds);
        }

        samples.Sort();
        Console.WriteLine($"incremental update of one contact ({one.Events.Length} events): p50 {samples[500]:0.0} us, p99 {samples[990]:0.0} us; score {score.Current[one.Id].Value}");
        Directory.Delete(data, recursive: true);
        return 0;
    }

    private sealed class NullPublisher : IPublisher
    {
        public ValueTask Publish<TNotification>(TNotification notification, CancellationToken cancellationToken = default)
            where TNotification : INotification => ValueTask.CompletedTask;

        public ValueTask Publish(object notification, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
    }
}
