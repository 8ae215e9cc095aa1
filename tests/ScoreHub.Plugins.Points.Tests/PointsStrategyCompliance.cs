using ScoreHub.Sdk;
using ScoreHub.Sdk.Testing;

namespace ScoreHub.Plugins.Points.Tests;

/// <summary>
/// The scoring-strategy contract, checked against scorehub.points with the README's model (linear decay, a pricing
/// timeframe, an atLeast window, limits, a fit rule, thresholds and an exclusion) plus an expiring group.
/// </summary>
/// <remarks>
/// The model has no <c>halfLife</c> decay: its value changes continuously while <see cref="ScoreEvaluation.NextChangeAt"/>
/// names the next period boundary (see the plugin's README), so "the score holds until the next change" does not apply.
/// </remarks>
public sealed class PointsStrategyCompliance : ScoringStrategyCompliance<IScoringStrategy>
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 15, 10, 0, 0, TimeSpan.Zero);

    protected override IScoringStrategy CreatePlugin() => new PointsStrategy();

    protected override string ModelJson => """
        {
          "name": "Sales and marketing", "kind": "engagement", "limit": 100, "floor": 0,
          "groups": [
            { "name": "Sales engagement", "limit": 60, "rules": [
              { "event": "conversation.started", "points": 15 },
              { "event": "meeting.booked", "points": 10 },
              { "event": "meeting.completed", "points": 20 } ] },
            { "name": "Marketing engagement", "limit": 40,
              "decay": { "type": "linear", "percent": 50, "every": "1 month" },
              "rules": [
                { "event": "web.page_viewed", "points": 5, "where": { "url": { "contains": "/pricing" } }, "timeframe": "30 days", "max": 20 },
                { "event": "email.opened", "points": 2 },
                { "event": "web.page_viewed", "points": 10, "atLeast": 3, "within": "7 days" } ] },
            { "name": "Webinars", "decay": { "type": "expire", "every": "2 weeks" }, "rules": [
              { "event": "webinar.attended", "points": 8 } ] },
            { "name": "Location", "rules": [
              { "property": "city", "op": "neq", "value": "Rotterdam", "points": -10 },
              { "property": "employees", "op": "gte", "value": 100, "points": 5 } ] }
          ],
          "thresholds": [ { "label": "cold", "below": 30 }, { "label": "warm", "below": 71 }, { "label": "hot" } ],
          "exclude": { "property": "isCompetitor", "op": "eq", "value": true }
        }
        """;

    protected override IEnumerable<LeadView> SampleLeads() =>
    [
        LeadBuilder.Contact("ada")
            .Property("city", "Amsterdam", T0.AddDays(-30))
            .Property("employees", "250", T0.AddDays(-30))
            .Event("web.page_viewed", T0, ("url", "https://acme.test/pricing"))
            .Event("web.page_viewed", T0.AddDays(1), ("url", "https://acme.test/blog"))
            .Event("web.page_viewed", T0.AddDays(2), ("url", "https://acme.test/pricing"))
            .Event("email.opened", T0.AddDays(3))
            .Event("webinar.attended", T0.AddDays(4))
            .Event("meeting.booked", T0.AddDays(10))
            .Property("city", "Rotterdam", T0.AddDays(12))
            .Event("meeting.completed", T0.AddDays(20))
            .Build(),
        LeadBuilder.Contact("competitor")
            .Property("isCompetitor", "true", T0)
            .Event("meeting.booked", T0.AddDays(1))
            .Property("isCompetitor", null, T0.AddDays(5))
            .Build(),
        LeadBuilder.Company("acme")
            .EventBy("ada", "conversation.started", T0)
            .EventBy("bob", "email.opened", T0.AddHours(2))
            .EventBy("bob", "email.opened", T0.AddHours(2))
            .Build(),
    ];
}
