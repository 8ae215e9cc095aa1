using System.Text.Json;
using static ScoreHub.Plugins.Points.Tests.Scoring;

namespace ScoreHub.Plugins.Points.Tests;

public sealed class ModelValidationTests
{
    private static string TwoGroups(string secondRule) => $$"""
        { "name": "T", "kind": "engagement", "limit": 100,
          "groups": [
            { "name": "A", "rules": [ { "event": "a", "points": 1 } ] },
            { "name": "B", "rules": [ {{secondRule}} ] } ] }
        """;

    [Theory]
    [InlineData("""{ "event": "b", "points": "10" }""", "groups[1].rules[0].points")]
    [InlineData("""{ "event": "b" }""", "groups[1].rules[0].points")]
    [InlineData("""{ "event": "b", "points": 1, "where": { "url": { "startsWith": "/x" } } }""", "groups[1].rules[0].where.url.startsWith")]
    [InlineData("""{ "property": "city", "op": "like", "value": "x", "points": 1 }""", "groups[1].rules[0].op")]
    [InlineData("""{ "event": "b", "points": 1, "timeframe": "3 fortnights" }""", "groups[1].rules[0].timeframe")]
    [InlineData("""{ "event": "b", "points": 1, "decay": { "percent": 50, "every": "3 fortnights" } }""", "groups[1].rules[0].decay.every")]
    [InlineData("""{ "event": "b", "points": 1, "decay": { "percent": 150, "every": "1 month" } }""", "groups[1].rules[0].decay.percent")]
    [InlineData("""{ "event": "b", "points": 1, "decay": { "type": "sigmoid", "every": "1 month" } }""", "groups[1].rules[0].decay.type")]
    [InlineData("""{ "event": "b", "points": 1, "within": "7 days" }""", "groups[1].rules[0].within")]
    [InlineData("""{ "event": "b", "points": 1, "atLeast": 2.5, "within": "7 days" }""", "groups[1].rules[0].atLeast")]
    [InlineData("""{ "event": "b", "points": 1, "max": -3 }""", "groups[1].rules[0].max")]
    [InlineData("""{ "points": 1 }""", "groups[1].rules[0]")]
    [InlineData("""{ "event": "b", "property": "city", "points": 1 }""", "groups[1].rules[0]")]
    [InlineData("""{ "property": "city", "op": "in", "value": "x", "points": 1 }""", "groups[1].rules[0].value")]
    [InlineData("""{ "property": "city", "op": "eq", "points": 1 }""", "groups[1].rules[0].value")]
    public void A_bad_rule_is_reported_at_its_json_path(string rule, string path)
    {
        var report = Validate(TwoGroups(rule));

        Assert.False(report.IsValid);
        Assert.Contains(path, report.Errors.Select(e => e.Field));
    }

    [Fact]
    public void An_unknown_op_names_the_ops_that_exist()
    {
        var report = Validate(TwoGroups("""{ "property": "city", "op": "like", "value": "x", "points": 1 }"""));

        var error = Assert.Single(report.Errors);
        Assert.Contains("'like'", error.Message, StringComparison.Ordinal);
        Assert.Contains("exists", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_duration_says_what_a_duration_looks_like()
    {
        var report = Validate(TwoGroups("""{ "event": "b", "points": 1, "timeframe": "3 fortnights" }"""));

        var error = Assert.Single(report.Errors);
        Assert.Contains("N days", error.Message, StringComparison.Ordinal);
        Assert.Contains("3 fortnights", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "name": "T", "groups": [] }""", "groups")]
    [InlineData("""{ "name": "T", "kind": "predictive", "groups": [ { "rules": [ { "event": "a", "points": 1 } ] } ] }""", "kind")]
    [InlineData("""{ "name": "T", "limit": "100", "groups": [ { "rules": [ { "event": "a", "points": 1 } ] } ] }""", "limit")]
    [InlineData("""{ "name": "T", "groups": [ { "limit": 0, "rules": [ { "event": "a", "points": 1 } ] } ] }""", "groups[0].limit")]
    [InlineData("""{ "name": "T", "groups": [ { "rules": [] } ] }""", "groups[0].rules")]
    [InlineData("""{ "name": "T", "groups": [ { "rules": [ { "event": "a", "points": 1 } ] } ], "thresholds": [ { "label": "hot", "below": 10 } ] }""", "thresholds[0].below")]
    [InlineData("""{ "name": "T", "groups": [ { "rules": [ { "event": "a", "points": 1 } ] } ], "thresholds": [ { "label": "a", "below": 50 }, { "label": "b", "below": 40 }, { "label": "c" } ] }""", "thresholds[1].below")]
    [InlineData("""{ "name": "T", "kind": "combined", "groups": [ { "rules": [ { "event": "a", "points": 1 } ] } ], "fitThresholds": [ { "label": "A" } ] }""", "engagementThresholds")]
    [InlineData("""{ "name": "T", "groups": [ { "rules": [ { "event": "a", "points": 1 } ] } ], "include": { "property": "x", "op": "between", "value": 1 } }""", "include.op")]
    public void A_bad_model_field_is_reported_at_its_json_path(string model, string path)
    {
        var report = Validate(model);

        Assert.Contains(path, report.Errors.Select(e => e.Field));
    }

    [Fact]
    public void Every_problem_is_reported_not_just_the_first()
    {
        var report = Validate("""
            { "name": "T", "kind": "nope", "groups": [ { "rules": [
              { "event": "a", "points": "x" }, { "event": "b", "points": 1, "timeframe": "soon" } ] } ] }
            """);

        Assert.Equal(["kind", "groups[0].rules[0].points", "groups[0].rules[1].timeframe"], report.Errors.Select(e => e.Field));
    }

    [Fact]
    public void Compiling_an_invalid_model_throws_naming_the_first_problem()
    {
        using var document = JsonDocument.Parse(TwoGroups("""{ "event": "b", "points": "10" }"""));

        var error = Assert.Throws<ArgumentException>(() => new PointsStrategy().Compile(document.RootElement));
        Assert.Contains("groups[1].rules[0].points", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1 day")]
    [InlineData("30 days")]
    [InlineData("2 weeks")]
    [InlineData("1 month")]
    [InlineData("12 Months")]
    public void Durations_are_whole_days_weeks_or_months(string text) =>
        Assert.True(Duration.TryParse(text, out _));

    [Theory]
    [InlineData("3 fortnights")]
    [InlineData("0 days")]
    [InlineData("-1 days")]
    [InlineData("1.5 weeks")]
    [InlineData("month")]
    [InlineData("")]
    public void Other_durations_are_refused(string text) =>
        Assert.False(Duration.TryParse(text, out _));
}
