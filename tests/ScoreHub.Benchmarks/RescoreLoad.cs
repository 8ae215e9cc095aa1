using System.Diagnostics;
using System.Text.Json;
using LiteDB;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ScoreHub.Host;
using ScoreHub.Host.Core.Leads;
using ScoreHub.Host.Core.Plugins;
using ScoreHub.Host.Core.Scoring;
using ScoreHub.Host.Features.Demo;
using ScoreHub.Host.Features.Plugins;
using ScoreHub.Host.Features.Scoring;
using ScoreHub.Host.Storage;
using ScoreHub.Sdk;

namespace ScoreHub.Benchmarks;

/// <summary>
/// Full re-score as on publish after a restart: 1,000,000 events over 100,000 contacts written to the LiteDB file as
/// ingest writes them and loaded into the host's in-memory projection as at start (timed too), the demo model compiled by the real scorehub.points plugin loaded through the plugin catalog, every contact
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
        Persist(db, Generate(contacts, eventsPerContact));

        // A restart: the projection loaded from the file, as the host does at start. The events come back in the
        // order they were written (time order across all contacts) and are packed per contact.
        int[] collections = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
        var paused = GC.GetTotalPauseDuration();
        var load = Stopwatch.StartNew();
        var ledger = new Ledger(new LiteLedgerStore(db, NullLogger<LiteLedgerStore>.Instance), NullLogger<Ledger>.Instance);
        ledger.Load();
        load.Stop();
        var workspace = ledger.Find("ws_bench")!;
        Console.WriteLine($"ledger load: {workspace.Contacts.Count:N0} contacts, {workspace.EventCount:N0} events in {load.Elapsed.TotalMilliseconds:N0} ms " +
            $"(garbage collections gen0/1/2: {GC.CollectionCount(0) - collections[0]}/{GC.CollectionCount(1) - collections[1]}/{GC.CollectionCount(2) - collections[2]}, " +
            $"paused {(GC.GetTotalPauseDuration() - paused).TotalMilliseconds:N0} ms)");

        var catalog = new PluginCatalog(options, NullLogger<PluginCatalog>.Instance);
        catalog.LoadAll();
        var invoker = new PluginInvoker(options, TimeProvider.System, NullLogger<PluginInvoker>.Instance);
        using var engine = new ScoreEngine(ledger, catalog, invoker, new NullSink(), TimeProvider.System, NullLogger<ScoreEngine>.Instance);

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
            engine.Reevaluate(new LedgerChanged("ws_bench", new HashSet<string> { one.Id }, new HashSet<string>()));
            samples.Add(Stopwatch.GetElapsedTime(t).TotalMicroseconds);
        }

        samples.Sort();
        Console.WriteLine($"incremental update of one contact ({one.Events.Length} events): p50 {samples[500]:0.0} us, p99 {samples[990]:0.0} us; score {score.Current[one.Id].Value}");
        Directory.Delete(data, recursive: true);
        return 0;
    }

    private static List<ContactRecord> Generate(int contacts, int eventsPerContact)
    {
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var random = new Random(42);
        var generated = new List<ContactRecord>(contacts);
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
                        : EventProperties.Empty,
                };
            }

            contact.AddEvents(events);
            contact.AddChanges([new PropertyChange("city", random.Next(2) == 0 ? "Rotterdam" : "Utrecht", start),
                new PropertyChange("jobTitle", random.Next(20) == 0 ? "Student" : "CMO", start)]);
            generated.Add(contact);
        }

        return generated;
    }

    /// <summary>The contacts' documents, and their events in time order across all contacts, 500 to a block, as ingest writes them.</summary>
    private static void Persist(Database db, List<ContactRecord> contacts)
    {
        db.Contacts.InsertBulk(contacts.Select(c => Bson.ToDocument("ws_bench", c)));
        var blocks = new List<BsonDocument>();
        foreach (var batch in contacts.SelectMany(c => c.Events).OrderBy(e => e.OccurredAt).Chunk(500))
        {
            var block = new EventBlock.Writer();
            foreach (var e in batch)
            {
                block.Add(e, "api");
            }

            blocks.Add(new BsonDocument { ["ws"] = "ws_bench", ["at"] = Bson.Ticks(batch[^1].OccurredAt), ["n"] = batch.Length, ["b"] = block.ToArray() });
        }

        db.EventBlocks.InsertBulk(blocks);
    }

    private sealed class NullSink : IScoreChangeSink
    {
        public void ScoreChanged(ScoreChanged change)
        {
        }
    }
}
