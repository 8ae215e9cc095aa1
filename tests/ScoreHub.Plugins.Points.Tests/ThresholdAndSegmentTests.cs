using ScoreHub.Sdk;
using static ScoreHub.Plugins.Points.Tests.Scoring;

namespace ScoreHub.Plugins.Points.Tests;

public sealed class ThresholdAndSegmentTests
{
    private const string CombinedModel = """
        {
          "name": "Combined", "kind": "combined", "limit": 200,
          "groups": [
            { "name": "Activity", "limit": 100, "rules": [ { "event": "demo.requested", "points": 40 } ] },
            { "name": "Profile", "limit": 100, "rules": [
              { "property": "seniority", "op": "eq", "value": "executive", "points": 50 },
              { "property": "employees", "op": "gte", "value": 200, "points": 30 } ] }
          ],
          "fitThresholds": [ { "label": "C", "below": 40 }, { "label": "B", "below": 70 }, { "label": "A" } ],
          "engagementThresholds": [ { "label": "3", "below": 40 }, { "label": "2", "below": 70 }, { "label": "1" } ]
        }
        """;

    [Theory]
    [InlineData(0, null, null, "C3")]
    [InlineData(2, null, null, "C1")]
    [InlineData(1, "executive", null, "B2")]
    [InlineData(0, "executive", "500", "A3")]
    [InlineData(3, "executive", "500", "A1")]
    public void Combined_scores_label_a_grid_cell_from_the_fit_letter_and_engagement_digit(
        int demos, string? seniority, string? employees, string cell)
    {
        var properties = new List<PropertyChange>();
        if (seniority is not null)
        {
            properties.Add(new PropertyChange("seniority", seniority, T0));
        }

        if (employees is not null)
        {
            properties.Add(new PropertyChange("employees", employees, T0));
        }

        var lead = Lead(Times(demos, "demo.requested", T0), [.. properties]);

        var score = Compile(CombinedModel).Evaluate(lead, T0.AddHours(1));

        Assert.Equal(cell, score.Label);
        Assert.Equal(cell[..1], score.FitLabel);
        Assert.Equal(cell[1..], score.EngagementLabel);
        Assert.Equal(score.Value, score.Fit + score.Engagement);
    }

    [Fact]
    public void A_low_fit_highly_engaged_contact_is_C1()
    {
        var score = Compile(CombinedModel).Evaluate(Lead([.. Times(2, "demo.requested", T0)]), T0.AddHours(1));

        Assert.Equal("C1", score.Label);
        Assert.Equal(80, score.Engagement);
        Assert.Equal(0, score.Fit);
    }

    [Fact]
    public void Engagement_and_fit_scores_have_no_parts()
    {
        var score = Compile(EventModel("""{ "event": "a", "points": 1 }""")).Evaluate(Lead(Event("a", T0)), T0);

        Assert.Null(score.Engagement);
        Assert.Null(score.Fit);
        Assert.Null(score.Label);
    }

    [Fact]
    public void Leads_outside_the_inclusion_filter_are_not_scored()
    {
        var evaluator = Compile(EventModel("""{ "event": "a", "points": 5 }""",
            """ "include": { "property": "lifecycleStage", "op": "in", "value": ["lead", "mql"] }, """));

        var inside = evaluator.Evaluate(Lead([Event("a", T0)], new PropertyChange("lifecycleStage", "mql", T0)), T0);
        var outside = evaluator.Evaluate(Lead([Event("a", T0)], new PropertyChange("lifecycleStage", "customer", T0)), T0);
        var unknown = evaluator.Evaluate(Lead(Event("a", T0)), T0);

        Assert.True(inside.Included);
        Assert.Equal(5, inside.Value);
        Assert.False(outside.Included);
        Assert.Equal(0, outside.Value);
        Assert.Empty(outside.Groups);
        Assert.False(unknown.Included);
    }

    [Fact]
    public void Leads_matching_the_exclusion_filter_are_not_scored_as_of_the_instant()
    {
        var evaluator = Compile(EventModel("""{ "event": "a", "points": 5 }""",
            """ "exclude": { "property": "isCompetitor", "op": "eq", "value": true }, """));
        var lead = Lead([Event("a", T0)], new PropertyChange("isCompetitor", "true", T0.AddDays(1)));

        Assert.True(evaluator.Evaluate(lead, T0).Included);
        Assert.False(evaluator.Evaluate(lead, T0.AddDays(1)).Included);
    }
}
