using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RulesEngine.Models;
using ScoreHub.Host;
using ScoreHub.Host.Core.Leads;
using ScoreHub.Host.Core.Plugins;
using ScoreHub.Host.Core.Scoring;
using ScoreHub.Host.Features.Plugins;
using ScoreHub.Host.Features.Scoring;
using ScoreHub.Host.Storage;
using ScoreHub.Sdk;
using MicrosoftRulesEngine = RulesEngine.RulesEngine;

namespace ScoreHub.Benchmarks;

/// <summary>
/// The same 12 rules (9 event rules, some with a where-condition on an event property and a per-rule max, and
/// 3 property rules) evaluated over the same generated leads by ScoreHub (the real scorehub.points plugin, every
/// contact evaluated through the invoker by <see cref="ScoreEngine.Publish"/>, as on publish in production) and by
/// Microsoft RulesEngine (one workflow run per event, one per lead for the property rules, each successful rule
/// adding its points, per-rule max applied in the driver). Checks that both give every lead the same total.
/// </summary>
/// <remarks>
/// Only rules both can express: no decay, timeframes, atLeast/within, group or score limits, since RulesEngine has
/// no notion of time or of capped groups. Event and property values are generated in the exact case the rules
/// use, since ScoreHub compares text ignoring case and the RulesEngine expressions below compare it exactly.
/// </remarks>
internal static class RulesLoad
{
    private const string WorkspaceId = "ws_rules";
    private const string EventWorkflow = "lead-events";
    private const string FitWorkflow = "lead-fit";

    private static readonly string[] Types =
        ["email.opened", "email.clicked", "web.page_viewed", "web.page_viewed", "web.downloaded", "web.form_submitted",
         "meeting.booked", "email.unsubscribed", "social.clicked"];

    private static readonly string[] Urls = ["/pricing", "/pricing/enterprise", "/blog/scoring", "/careers", "/docs", "/"];
    private static readonly string[] Forms = ["demo-request", "newsletter", "contact"];
    private static readonly string[] Titles = ["CMO", "Head of Sales", "Student", "Retired", "Developer"];
    private static readonly string?[] Cities = ["Rotterdam", "Utrecht", "Amsterdam", null];

    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Evaluation instant: after every generated event.</summary>
    private static readonly DateTimeOffset Now = Start.AddDays(400);

    private const string PointsModel = """
        {
          "name": "Rules comparison",
          "kind": "engagement",
          "groups": [
            { "name": "Engagement", "rules": [
                { "event": "meeting.booked", "points": 20 },
                { "event": "web.form_submitted", "where": { "form": { "eq": "demo-request" } }, "points": 20 },
                { "event": "web.downloaded", "points": 8, "max": 16 },
                { "event": "email.opened", "points": 2, "max": 10 },
                { "event": "email.clicked", "points": 5 },
                { "event": "web.page_viewed", "where": { "url": { "contains": "/pricing" } }, "points": 8, "max": 24 },
                { "event": "social.clicked", "points": 3 } ] },
            { "name": "Negative", "rules": [
                { "event": "email.unsubscribed", "points": -15 },
                { "event": "web.page_viewed", "where": { "url": { "contains": "/careers" } }, "points": -10 } ] },
            { "name": "Fit", "rules": [
                { "property": "jobTitle", "op": "in", "value": ["Student", "Retired"], "points": -20 },
                { "property": "city", "op": "neq", "value": "Rotterdam", "points": -5 },
                { "property": "employees", "op": "gte", "value": 100, "points": 10 } ] }
          ],
          "thresholds": [ { "label": "cold", "below": 30 }, { "label": "warm", "below": 71 }, { "label": "hot" } ]
        }
        """;

    // The same rules for RulesEngine: (name, lambda expression, points, max). Event rules see the LeadEvent as 'e',
    // property rules the lead's current properties as 'p'.
    private static readonly (string Name, string Expression, double Points, double? Max)[] EventRules =
    [
        ("meeting-booked", "e.Type == \"meeting.booked\"", 20, null),
        ("demo-request", "e.Type == \"web.form_submitted\" AND e.Properties.ContainsKey(\"form\") AND e.Properties[\"form\"] == \"demo-request\"", 20, null),
        ("downloaded", "e.Type == \"web.downloaded\"", 8, 16),
        ("email-opened", "e.Type == \"email.opened\"", 2, 10),
        ("email-clicked", "e.Type == \"email.clicked\"", 5, null),
        ("pricing-viewed", "e.Type == \"web.page_viewed\" AND e.Properties.ContainsKey(\"url\") AND e.Properties[\"url\"].Contains(\"/pricing\")", 8, 24),
        ("social-clicked", "e.Type == \"social.clicked\"", 3, null),
        ("unsubscribed", "e.Type == \"email.unsubscribed\"", -15, null),
        ("careers-viewed", "e.Type == \"web.page_viewed\" AND e.Properties.ContainsKey(\"url\") AND e.Properties[\"url\"].Contains(\"/careers\")", -10, null),
    ];

    private static readonly (string Name, string Expression, double Points)[] FitRules =
    [
        ("student-or-retired", "p.ContainsKey(\"jobTitle\") AND (p[\"jobTitle\"] == \"Student\" OR p[\"jobTitle\"] == \"Retired\")", -20),
        ("outside-rotterdam", "!p.ContainsKey(\"city\") OR p[\"city\"] != \"Rotterdam\"", -5),
        ("hundred-employees", "p.ContainsKey(\"employees\") AND double.Parse(p[\"employees\"]) >= 100", 10),
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        var leads = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20_000;
        var eventsPerLead = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10;
        var rounds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3;
        var data = Directory.CreateTempSubdirectory("scorehub-rules-").FullName;
        try
        {
            return await RunAsync(leads, eventsPerLead, rounds, data);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    private static async Task<int> RunAsync(int leadCount, int eventsPerLead, int rounds, string data)
    {
        var clock = new FixedClock(Now);
        var options = Options.Create(new ScoreHubOptions { DataDirectory = data, PluginsDirectory = Path.Combine(BenchHost.RepoRoot(), "artifacts", "plugins") });
        using var db = new Database(options);
        var ledger = new Ledger(new LiteLedgerStore(db, NullLogger<LiteLedgerStore>.Instance), NullLogger<Ledger>.Instance);
        var catalog = new PluginCatalog(options, NullLogger<PluginCatalog>.Instance);
        catalog.LoadAll();
        var invoker = new PluginInvoker(options, clock, NullLogger<PluginInvoker>.Instance);
        using var engine = new ScoreEngine(ledger, catalog, invoker, new NullSink(), clock, NullLogger<ScoreEngine>.Instance);

        var leads = Generate(ledger.GetOrAdd(WorkspaceId), leadCount, eventsPerLead);
        var totalEvents = leads.Sum(l => (long)l.Events.Length);

        using var model = JsonDocument.Parse(PointsModel);
        var (evaluator, error) = engine.Compile(WorkspaceId, "scorehub.points", model.RootElement);
        if (evaluator is null)
        {
            Console.Error.WriteLine(error);
            return 1;
        }

        // RulesEngine: the workflows are compiled once, on first use; the warm-up below pays for that.
        var rules = new MicrosoftRulesEngine([EventWorkflowDefinition(), FitWorkflowDefinition()], new ReSettings());
        var eventRuleIndex = EventRules.Select((r, i) => (r.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);
        var fitPoints = FitRules.ToDictionary(r => r.Name, r => r.Points, StringComparer.Ordinal);

        Console.WriteLine($"{leads.Count:N0} leads, {totalEvents:N0} events, {EventRules.Length + FitRules.Length} rules " +
            $"({EventRules.Length} event, {FitRules.Length} property); machine load {BenchHost.LoadAverage()}");

        // Warm-up: JIT for both, expression compilation and caches for RulesEngine.
        var version = 1;
        engine.Publish(new PublishedScore(WorkspaceId, "rules", "Rules comparison", version++, "scorehub.points", LeadKind.Contact, evaluator)).Completion.Wait();
        await ScoreWithRulesEngine(rules, leads.Take(Math.Min(2_000, leads.Count)).ToList(), eventRuleIndex, fitPoints);

        // The plugin's evaluator alone, per lead, as the engine calls it (no invoker, projection or history).
        var leadViews = leads.Select(l => new LeadView { Id = l.Id, Events = l.Events, Properties = l.History }).ToList();
        var evaluatorTotals = EvaluateDirectly(evaluator, leadViews);
        var evaluatorTimes = new List<double>();

        var scoreHubTimes = new List<double>();
        var rulesEngineTimes = new List<double>();
        double[] rulesEngineTotals = [];
        long scoreHubBytes = 0, rulesEngineBytes = 0;
        for (var round = 1; round <= rounds; round++)
        {
            var allocated = GC.GetTotalAllocatedBytes(precise: true);
            var gen2 = GC.CollectionCount(2);
            var watch = Stopwatch.StartNew();
            engine.Publish(new PublishedScore(WorkspaceId, "rules", "Rules comparison", version++, "scorehub.points", LeadKind.Contact, evaluator)).Completion.Wait();
            watch.Stop();
            scoreHubBytes = GC.GetTotalAllocatedBytes(precise: true) - allocated;
            scoreHubTimes.Add(watch.Elapsed.TotalSeconds);
            var scoreHubGen2 = GC.CollectionCount(2) - gen2;

            watch.Restart();
            evaluatorTotals = EvaluateDirectly(evaluator, leadViews);
            watch.Stop();
            evaluatorTimes.Add(watch.Elapsed.TotalSeconds);

            allocated = GC.GetTotalAllocatedBytes(precise: true);
            watch.Restart();
            rulesEngineTotals = await ScoreWithRulesEngine(rules, leads, eventRuleIndex, fitPoints);
            watch.Stop();
            rulesEngineBytes = GC.GetTotalAllocatedBytes(precise: true) - allocated;
            rulesEngineTimes.Add(watch.Elapsed.TotalSeconds);

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"round {round}: ScoreHub {scoreHubTimes[^1] * 1000:N0} ms ({totalEvents / scoreHubTimes[^1]:N0} events/s, {scoreHubGen2} gen2 GCs), " +
                $"evaluator alone {evaluatorTimes[^1] * 1000:N0} ms ({totalEvents / evaluatorTimes[^1]:N0} events/s), " +
                $"RulesEngine {rulesEngineTimes[^1] * 1000:N0} ms ({totalEvents / rulesEngineTimes[^1]:N0} events/s)"));
        }

        var score = engine.Find(WorkspaceId, "rules")!;
        var mismatches = 0;
        for (var i = 0; i < leads.Count; i++)
        {
            var lead = leads[i];
            var mine = score.Current[lead.Id].Value;
            var theirs = rulesEngineTotals[i];
            if ((mine != theirs || evaluatorTotals[i] != theirs) && ++mismatches <= 5)
            {
                Console.WriteLine($"mismatch: {lead.Id} ScoreHub {mine} (evaluator alone {evaluatorTotals[i]}) RulesEngine {theirs}");
            }
        }

        Console.WriteLine($"verification: {leads.Count:N0} leads compared, {mismatches} mismatches " +
            $"(total points ScoreHub {leads.Sum(l => score.Current[l.Id].Value):N0}, RulesEngine {rulesEngineTotals.Sum():N0})");

        var scoreHubMedian = Median(scoreHubTimes);
        var evaluatorMedian = Median(evaluatorTimes);
        var rulesEngineMedian = Median(rulesEngineTimes);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ScoreHub    median {totalEvents / scoreHubMedian:N0} events/s, {scoreHubBytes / (double)totalEvents:N0} B allocated per event (whole publish: breakdown, history)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"evaluator   median {totalEvents / evaluatorMedian:N0} events/s (the plugin alone: {rulesEngineMedian / evaluatorMedian:N1}x RulesEngine)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RulesEngine median {totalEvents / rulesEngineMedian:N0} events/s, {rulesEngineBytes / (double)totalEvents:N0} B allocated per event"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ratio: rule evaluation (the plugin's evaluator) is {rulesEngineMedian / evaluatorMedian:N1}x RulesEngine (target 20x); " +
            $"the whole publish {rulesEngineMedian / scoreHubMedian:N1}x; machine load {BenchHost.LoadAverage()}"));
        return mismatches == 0 ? 0 : 1;
    }

    // Both sides return every lead's total by position, so that neither pays for a dictionary of 100,000 ids.
    private static double[] EvaluateDirectly(IScoreEvaluator evaluator, List<LeadView> leads)
    {
        var totals = new double[leads.Count];
        for (var i = 0; i < totals.Length; i++)
        {
            totals[i] = evaluator.Evaluate(leads[i], Now).Value;
        }

        return totals;
    }

    /// <summary>Every lead's total: each event through the event workflow, the lead's properties through the fit workflow.</summary>
    private static async Task<double[]> ScoreWithRulesEngine(
        MicrosoftRulesEngine rules, List<ContactRecord> leads, Dictionary<string, int> eventRuleIndex, Dictionary<string, double> fitPoints)
    {
        var totals = new double[leads.Count];
        var perRule = new double[EventRules.Length];
        for (var l = 0; l < totals.Length; l++)
        {
            var lead = leads[l];
            Array.Clear(perRule);
            foreach (var e in lead.Events)
            {
                if (e.OccurredAt > Now)
                {
                    continue;
                }

                foreach (var result in await rules.ExecuteAllRulesAsync(EventWorkflow, new RuleParameter("e", e)))
                {
                    if (result.IsSuccess)
                    {
                        var i = eventRuleIndex[result.Rule.RuleName];
                        perRule[i] += EventRules[i].Points;
                    }
                }
            }

            double total = 0;
            for (var i = 0; i < perRule.Length; i++)
            {
                // Per-rule max, as ScoreHub's 'max': caps the size of the total in the direction of its points.
                total += EventRules[i].Max is not { } max ? perRule[i] : perRule[i] >= 0 ? Math.Min(perRule[i], max) : Math.Max(perRule[i], -max);
            }

            foreach (var result in await rules.ExecuteAllRulesAsync(FitWorkflow, new RuleParameter("p", lead.CurrentProperties())))
            {
                if (result.IsSuccess)
                {
                    total += fitPoints[result.Rule.RuleName];
                }
            }

            totals[l] = total;
        }

        return totals;
    }

    private static Workflow EventWorkflowDefinition() => new()
    {
        WorkflowName = EventWorkflow,
        Rules = [.. EventRules.Select(r => new Rule
        {
            RuleName = r.Name,
            RuleExpressionType = RuleExpressionType.LambdaExpression,
            Expression = r.Expression,
            SuccessEvent = r.Points.ToString(CultureInfo.InvariantCulture),
        })],
    };

    private static Workflow FitWorkflowDefinition() => new()
    {
        WorkflowName = FitWorkflow,
        Rules = [.. FitRules.Select(r => new Rule
        {
            RuleName = r.Name,
            RuleExpressionType = RuleExpressionType.LambdaExpression,
            Expression = r.Expression,
            SuccessEvent = r.Points.ToString(CultureInfo.InvariantCulture),
        })],
    };

    private static List<ContactRecord> Generate(WorkspaceData workspace, int leadCount, int eventsPerLead)
    {
        var random = new Random(42);
        var leads = new List<ContactRecord>(leadCount);
        for (var c = 0; c < leadCount; c++)
        {
            var contact = new ContactRecord("c" + c.ToString(CultureInfo.InvariantCulture)) { CreatedAt = Start };
            var events = new LeadEvent[eventsPerLead];
            for (var e = 0; e < eventsPerLead; e++)
            {
                var type = Types[random.Next(Types.Length)];
                events[e] = new LeadEvent
                {
                    Id = string.Create(CultureInfo.InvariantCulture, $"{c}-{e}"),
                    Type = type,
                    OccurredAt = Start.AddMinutes(random.Next(60 * 24 * 300)),
                    ContactId = contact.Id,
                    Properties = type switch
                    {
                        "web.page_viewed" => EventProperties.FromItems(["url", "https://x.example" + Urls[random.Next(Urls.Length)]]),
                        "web.form_submitted" => EventProperties.FromItems(["form", Forms[random.Next(Forms.Length)]]),
                        _ => EventProperties.Empty,
                    },
                };
            }

            contact.AddEvents(events);
            List<PropertyChange> properties =
            [
                new("jobTitle", Titles[random.Next(Titles.Length)], Start),
                new("employees", random.Next(1, 500).ToString(CultureInfo.InvariantCulture), Start),
            ];
            if (Cities[random.Next(Cities.Length)] is { } city)
            {
                properties.Add(new("city", city, Start));
            }

            contact.AddChanges(properties);
            workspace.Contacts[contact.Id] = contact;
            leads.Add(contact);
        }

        return leads;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    /// <summary>A clock stopped after every generated event, so ScoreHub sees all of them, as RulesEngine does.</summary>
    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private sealed class NullSink : IScoreChangeSink
    {
        public void ScoreChanged(ScoreChanged change)
        {
        }
    }
}
