using ScoreHub.Sdk;
using static ScoreHub.Plugins.Points.Tests.Scoring;

namespace ScoreHub.Plugins.Points.Tests;

public sealed class RuleTests
{
    [Fact]
    public void Negative_points_subtract_and_a_negative_group_total_is_not_capped_by_its_limit()
    {
        var evaluator = Compile("""
            { "name": "T", "kind": "engagement",
              "groups": [ { "name": "G", "limit": 20, "rules": [
                { "event": "email.opened", "points": 2 },
                { "event": "careers.viewed", "points": -5 } ] } ] }
            """);
        var lead = Lead([Event("email.opened", T0), .. Times(3, "careers.viewed", T0)]);

        var score = evaluator.Evaluate(lead, T0.AddHours(1));

        Assert.Equal(-13, score.Groups[0].Raw);
        Assert.Equal(-13, score.Groups[0].Value);
        Assert.Equal(-13, score.Value);
    }

    [Fact]
    public void Event_types_and_property_names_count_the_same_whether_or_not_their_strings_are_interned()
    {
        var evaluator = Compile("""
            { "name": "T", "kind": "engagement", "groups": [ { "name": "G", "rules": [
                { "event": "email.opened", "points": 2 },
                { "event": "web.page_viewed", "where": { "url": { "contains": "/pricing" } }, "points": 8 } ] } ] }
            """);

        // Copies have the text but are never the interned instance that the plugin's lookup tries first.
        static string Copy(string text) => new(text.AsSpan());
        var copies = Lead(
            Event(Copy("email.opened"), T0),
            Event(Copy("web.page_viewed"), T0.AddMinutes(1), (Copy("url"), "https://x.example/pricing")),
            Event(Copy("web.page_viewed"), T0.AddMinutes(2), (Copy("url"), "https://x.example/blog")));
        var interned = Lead(
            Event("email.opened", T0),
            Event("web.page_viewed", T0.AddMinutes(1), ("url", "https://x.example/pricing")),
            Event("web.page_viewed", T0.AddMinutes(2), ("url", "https://x.example/blog")));
        Assert.False(ReferenceEquals(copies.Events[0].Type, string.Intern("email.opened")));

        Assert.Equal(10, evaluator.Evaluate(copies, T0.AddHours(1)).Value);
        Assert.Equal(10, evaluator.Evaluate(interned, T0.AddHours(1)).Value);
    }

    [Fact]
    public void A_floor_raises_the_total_but_not_the_groups()
    {
        var evaluator = Compile(EventModel("""{ "event": "careers.viewed", "points": -5 }""", "\"floor\": 0,"));

        var score = evaluator.Evaluate(Lead([.. Times(2, "careers.viewed", T0)]), T0.AddHours(1));

        Assert.Equal(-10, score.Groups[0].Value);
        Assert.Equal(0, score.Value);
    }

    [Fact]
    public void A_rule_max_caps_the_rule_total_however_often_the_event_happens()
    {
        var evaluator = Compile(EventModel("""{ "event": "page.viewed", "points": 5, "max": 24 }"""));

        var score = evaluator.Evaluate(Lead([.. Times(10, "page.viewed", T0)]), T0.AddHours(1));

        Assert.Equal(24, score.Groups[0].Rules[0].Points);
        Assert.Equal(10, score.Groups[0].Rules[0].Events.Count);
        Assert.Equal(24, score.Value);
    }

    [Fact]
    public void A_timeframe_counts_only_recent_events_and_reports_when_the_oldest_leaves()
    {
        var evaluator = Compile(EventModel("""{ "event": "page.viewed", "points": 3, "timeframe": "30 days" }"""));
        var lead = Lead(Event("page.viewed", T0), Event("page.viewed", T0.AddDays(20)));

        var both = evaluator.Evaluate(lead, T0.AddDays(25));
        var one = evaluator.Evaluate(lead, T0.AddDays(30));
        var none = evaluator.Evaluate(lead, T0.AddDays(50));

        Assert.Equal(6, both.Value);
        Assert.Equal(T0.AddDays(30), both.NextChangeAt);
        Assert.Equal(3, one.Value);
        Assert.Equal(T0.AddDays(50), one.NextChangeAt);
        Assert.Equal(0, none.Value);
        Assert.Null(none.NextChangeAt);
    }

    [Fact]
    public void At_least_within_awards_once_while_enough_events_fall_in_the_window()
    {
        var evaluator = Compile(EventModel("""{ "event": "page.viewed", "points": 15, "atLeast": 3, "within": "7 days" }"""));
        var lead = Lead(
            Event("page.viewed", T0),
            Event("page.viewed", T0.AddDays(2)),
            Event("page.viewed", T0.AddDays(4)),
            Event("page.viewed", T0.AddDays(5)));

        var two = evaluator.Evaluate(lead, T0.AddDays(3));
        var four = evaluator.Evaluate(lead, T0.AddDays(6));
        var stale = evaluator.Evaluate(lead, T0.AddDays(9));

        Assert.Equal(0, two.Value);
        Assert.Null(two.NextChangeAt);
        Assert.Equal(15, four.Value);
        // The award rests on the third newest event (day 2); it leaves the window on day 9.
        Assert.Equal(T0.AddDays(9), four.NextChangeAt);
        Assert.Equal(T0.AddDays(2), Assert.Single(four.Groups[0].Rules[0].Events).OccurredAt);
        Assert.Equal(0, stale.Value);
    }

    [Theory]
    [InlineData("""{ "url": { "contains": "/PRICING" } }""", "https://x.io/pricing?a=1", true)]
    [InlineData("""{ "url": { "contains": "/pricing" } }""", "https://x.io/blog", false)]
    [InlineData("""{ "url": { "eq": "https://x.io/demo" } }""", "https://x.io/demo", true)]
    [InlineData("""{ "url": { "neq": "https://x.io/demo" } }""", "https://x.io/demo", false)]
    [InlineData("""{ "url": { "in": ["/a", "/b"] } }""", "/b", true)]
    [InlineData("""{ "seconds": { "gt": 30 } }""", "45", true)]
    [InlineData("""{ "seconds": { "gte": 45 } }""", "45", true)]
    [InlineData("""{ "seconds": { "lt": 45 } }""", "45", false)]
    [InlineData("""{ "seconds": { "lte": 45.0 } }""", "45", true)]
    [InlineData("""{ "seconds": { "gt": 30, "lt": 40 } }""", "45", false)]
    [InlineData("""{ "missing": { "neq": "x" } }""", "any", true)]
    [InlineData("""{ "missing": { "eq": "x" } }""", "any", false)]
    public void Where_filters_choose_which_occurrences_count(string where, string value, bool counts)
    {
        var evaluator = Compile(EventModel($$"""{ "event": "page.viewed", "points": 4, "where": {{where}} }"""));
        var lead = Lead(Event("page.viewed", T0, ("url", value), ("seconds", value)));

        Assert.Equal(counts ? 4 : 0, evaluator.Evaluate(lead, T0).Value);
    }

    [Fact]
    public void A_property_rule_is_evaluated_with_the_value_the_property_had_at_the_instant()
    {
        var evaluator = Compile("""
            { "name": "Fit", "kind": "fit",
              "groups": [ { "name": "Location", "rules": [
                { "property": "city", "op": "neq", "value": "Rotterdam", "points": -10 },
                { "property": "jobTitle", "op": "exists", "points": 5 } ] } ] }
            """);
        var lead = LeadWith(
            new PropertyChange("city", "Rotterdam", T0),
            new PropertyChange("city", "Utrecht", T0.AddDays(10)),
            new PropertyChange("jobTitle", "CTO", T0.AddDays(5)));

        var before = evaluator.Evaluate(lead, T0.AddDays(1));
        var after = evaluator.Evaluate(lead, T0.AddDays(11));

        Assert.Equal(0, before.Value);
        Assert.Equal(-5, after.Value);
        Assert.Equal("fit", after.Groups[0].Part);
        Assert.Null(after.NextChangeAt);
    }

    [Fact]
    public void A_missing_property_counts_as_not_equal()
    {
        var evaluator = Compile("""
            { "name": "Fit", "kind": "fit", "groups": [ { "name": "G", "rules": [
              { "property": "city", "op": "neq", "value": "Rotterdam", "points": -10 } ] } ] }
            """);

        Assert.Equal(-10, evaluator.Evaluate(LeadWith(), T0).Value);
    }

    [Theory]
    [InlineData("gte", "250", "employees", "300", true)]
    [InlineData("lt", "250", "employees", "300", false)]
    [InlineData("in", """["cto","ceo"]""", "role", "CEO", true)]
    [InlineData("contains", "\"tech\"", "industry", "FinTech", true)]
    [InlineData("eq", "\"student\"", "jobTitle", "Student", true)]
    public void Property_ops_compare_numbers_numerically_and_text_ignoring_case(string op, string value, string property, string actual, bool matches)
    {
        var evaluator = Compile($$"""
            { "name": "Fit", "kind": "fit", "groups": [ { "name": "G", "rules": [
              { "property": "{{property}}", "op": "{{op}}", "value": {{value}}, "points": 7 } ] } ] }
            """);

        Assert.Equal(matches ? 7 : 0, evaluator.Evaluate(LeadWith(new PropertyChange(property, actual, T0)), T0).Value);
    }

    [Fact]
    public void The_evaluator_lists_the_event_types_it_reads()
    {
        var evaluator = Compile("""
            { "name": "T", "kind": "combined", "groups": [
              { "name": "E", "rules": [ { "event": "a", "points": 1 }, { "event": "b", "points": 1 } ] },
              { "name": "F", "rules": [ { "property": "city", "op": "eq", "value": "x", "points": 1 } ] } ] }
            """);

        Assert.Equal(["a", "b"], evaluator.EventTypes!.Order());
    }
}
