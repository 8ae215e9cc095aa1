using System.Globalization;
using System.Text.Json;
using ScoreHub.Sdk;
using static ScoreHub.Plugins.Points.Tests.Scoring;

namespace ScoreHub.Plugins.Points.Tests;

/// <summary>Invariants checked over many generated leads (a fixed seed, so a failure reproduces).</summary>
public sealed class RandomLeadTests
{
    private static readonly string[] Types = ["meeting.booked", "email.opened", "page.viewed", "form.submitted", "careers.viewed", "webinar.attended"];

    private const string SteppedRules = """
        { "event": "meeting.booked", "points": 10 },
        { "event": "email.opened", "points": 2, "max": 12, "decay": { "percent": 50, "every": "1 month" } },
        { "event": "page.viewed", "points": 3, "timeframe": "30 days", "where": { "url": { "contains": "/pricing" } } },
        { "event": "form.submitted", "points": 15, "atLeast": 2, "within": "2 weeks" },
        { "event": "careers.viewed", "points": -5 },
        { "event": "webinar.attended", "points": 8, "decay": { "type": "expire", "every": "3 weeks" } }
        """;

    private static readonly string SteppedModel = $$"""
        { "name": "Random", "kind": "combined", "limit": 100,
          "groups": [
            { "name": "Engagement", "limit": 40, "decay": { "percent": 25, "every": "2 weeks" }, "rules": [ {{SteppedRules}} ] },
            { "name": "Fit", "limit": 30, "rules": [
              { "property": "employees", "op": "gte", "value": 100, "points": 20 },
              { "property": "city", "op": "neq", "value": "Rotterdam", "points": -10 } ] } ],
          "fitThresholds": [ { "label": "C", "below": 10 }, { "label": "B", "below": 20 }, { "label": "A" } ],
          "engagementThresholds": [ { "label": "3", "below": 15 }, { "label": "2", "below": 30 }, { "label": "1" } ] }
        """;

    private static readonly string HalfLifeModel = SteppedModel.Replace(
        "\"decay\": { \"percent\": 25, \"every\": \"2 weeks\" }", "\"decay\": { \"type\": \"halfLife\", \"every\": \"10 days\" }", StringComparison.Ordinal);

    [Fact]
    public void Generated_leads_respect_limits_and_decay_bounds_and_evaluate_deterministically()
    {
        var random = new Random(20260115);
        var evaluators = new[] { Compile(SteppedModel), Compile(HalfLifeModel) };

        for (var i = 0; i < 300; i++)
        {
            var lead = RandomLead(random);
            var asOf = T0.AddHours(random.Next(0, 24 * 200));
            foreach (var evaluator in evaluators)
            {
                var score = evaluator.Evaluate(lead, asOf);

                Assert.Equal(JsonSerializer.Serialize(score), JsonSerializer.Serialize(evaluator.Evaluate(lead, asOf)));
                Assert.True(score.Value <= 100);
                Assert.True(score.NextChangeAt is null || score.NextChangeAt > asOf);
                foreach (var group in score.Groups)
                {
                    Assert.True(group.Limit is null || group.Value <= group.Limit, $"{group.Name}: {group.Value} > {group.Limit}");
                    Assert.True(group.Value <= group.Raw);
                    foreach (var contribution in group.Rules.SelectMany(r => r.Events).Where(c => c.Original > 0))
                    {
                        Assert.InRange(contribution.Current, 0, contribution.Original);
                        Assert.True(contribution.OccurredAt <= asOf);
                    }
                }
            }
        }
    }

    [Fact]
    public void Generated_leads_keep_their_score_until_the_reported_next_change()
    {
        var random = new Random(7);
        var evaluator = Compile(SteppedModel);
        var checkedLeads = 0;

        for (var i = 0; i < 300; i++)
        {
            var lead = RandomLead(random);
            var asOf = T0.AddHours(random.Next(0, 24 * 200));
            var score = evaluator.Evaluate(lead, asOf);
            // Only instants before the lead's next event or property change; after those the score may move anyway.
            var nextInput = lead.Events.Select(e => e.OccurredAt)
                .Concat(lead.Properties.Names.SelectMany(n => lead.Properties.ChangesOf(n)).Select(c => c.At))
                .Where(t => t > asOf)
                .DefaultIfEmpty(DateTimeOffset.MaxValue)
                .Min();
            var until = score.NextChangeAt ?? asOf.AddYears(2);
            if (until > nextInput)
            {
                continue;
            }

            var justBefore = evaluator.Evaluate(lead, until.AddTicks(-1));
            Assert.Equal(score.Value, justBefore.Value);
            Assert.Equal(score.Label, justBefore.Label);
            checkedLeads++;
        }

        Assert.True(checkedLeads >= 50, $"Only {checkedLeads} leads were checked; the generator needs widening.");
    }

    private static LeadView RandomLead(Random random)
    {
        var events = new List<LeadEvent>();
        var count = random.Next(0, 30);
        for (var i = 0; i < count; i++)
        {
            var type = Types[random.Next(Types.Length)];
            var at = T0.AddMinutes(random.Next(0, 60 * 24 * 180));
            var url = random.Next(2) == 0 ? "https://x.io/pricing" : "https://x.io/blog";
            events.Add(new LeadEvent
            {
                Id = $"e{i}",
                Type = type,
                OccurredAt = at,
                Properties = new Dictionary<string, string>(StringComparer.Ordinal) { ["url"] = url },
            });
        }

        var properties = new List<PropertyChange>();
        if (random.Next(3) > 0)
        {
            properties.Add(new PropertyChange("employees", random.Next(0, 500).ToString(CultureInfo.InvariantCulture), T0.AddDays(random.Next(0, 180))));
        }

        if (random.Next(3) > 0)
        {
            properties.Add(new PropertyChange("city", random.Next(2) == 0 ? "Rotterdam" : "Delft", T0.AddDays(random.Next(0, 180))));
        }

        return Lead(events, [.. properties]);
    }
}
