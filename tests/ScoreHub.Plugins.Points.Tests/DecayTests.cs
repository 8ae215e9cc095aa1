using static ScoreHub.Plugins.Points.Tests.Scoring;

namespace ScoreHub.Plugins.Points.Tests;

public sealed class DecayTests
{
    private static readonly string FormModel = EventModel("""
        { "event": "form.submitted", "points": 10, "decay": { "percent": 50, "every": "1 month" } }
        """);

    [Fact]
    public void A_form_submission_worth_10_decaying_50_percent_a_month_gives_10_then_5_then_0()
    {
        var evaluator = Compile(FormModel);
        var lead = Lead(Event("form.submitted", T0));

        var atSubmission = evaluator.Evaluate(lead, T0);
        var justBeforeAMonth = evaluator.Evaluate(lead, T0.AddMonths(1).AddTicks(-1));
        var oneMonthAfter = evaluator.Evaluate(lead, T0.AddMonths(1));
        var twoMonthsAfter = evaluator.Evaluate(lead, T0.AddMonths(2));
        var ayearAfter = evaluator.Evaluate(lead, T0.AddYears(1));

        Assert.Equal(10, atSubmission.Value);
        Assert.Equal(10, justBeforeAMonth.Value);
        Assert.Equal(5, oneMonthAfter.Value);
        Assert.Equal(0, twoMonthsAfter.Value);
        Assert.Equal(0, ayearAfter.Value);
    }

    [Fact]
    public void Next_change_is_the_next_decay_step_until_nothing_is_left()
    {
        var evaluator = Compile(FormModel);
        var lead = Lead(Event("form.submitted", T0));

        Assert.Equal(new DateTimeOffset(2026, 2, 15, 10, 0, 0, TimeSpan.Zero), evaluator.Evaluate(lead, T0).NextChangeAt);
        Assert.Equal(new DateTimeOffset(2026, 2, 15, 10, 0, 0, TimeSpan.Zero), evaluator.Evaluate(lead, T0.AddDays(20)).NextChangeAt);
        Assert.Equal(new DateTimeOffset(2026, 3, 15, 10, 0, 0, TimeSpan.Zero), evaluator.Evaluate(lead, T0.AddMonths(1)).NextChangeAt);
        Assert.Null(evaluator.Evaluate(lead, T0.AddMonths(2)).NextChangeAt);
    }

    [Fact]
    public void Each_event_decays_on_its_own_and_the_breakdown_shows_original_and_current_points()
    {
        var evaluator = Compile(FormModel);
        var lead = Lead(Event("form.submitted", T0), Event("form.submitted", T0.AddDays(40)));

        var score = evaluator.Evaluate(lead, T0.AddDays(45));

        Assert.Equal(15, score.Value);
        var events = score.Groups[0].Rules[0].Events;
        Assert.Equal([(10.0, 5.0), (10.0, 10.0)], events.Select(e => (e.Original, e.Current)));
        Assert.Equal(new DateTimeOffset(2026, 3, 15, 10, 0, 0, TimeSpan.Zero), score.NextChangeAt);
    }

    [Fact]
    public void Decay_applies_to_history_so_2_points_decaying_100_percent_in_3_months_are_gone_after_4_months()
    {
        var evaluator = Compile(EventModel("""
            { "event": "cta.clicked", "points": 2, "decay": { "percent": 100, "every": "3 months" } }
            """));
        var lead = Lead(Event("cta.clicked", T0));

        Assert.Equal(2, evaluator.Evaluate(lead, T0.AddMonths(3).AddTicks(-1)).Value);
        var fourMonthsLater = evaluator.Evaluate(lead, T0.AddMonths(4));
        Assert.Equal(0, fourMonthsLater.Value);
        Assert.Null(fourMonthsLater.NextChangeAt);
    }

    [Fact]
    public void Calendar_months_end_on_the_same_day_of_the_next_month_clamped_to_its_last_day()
    {
        var evaluator = Compile(FormModel);
        var jan31 = new DateTimeOffset(2026, 1, 31, 12, 0, 0, TimeSpan.Zero);
        var lead = Lead(Event("form.submitted", jan31));

        Assert.Equal(new DateTimeOffset(2026, 2, 28, 12, 0, 0, TimeSpan.Zero), evaluator.Evaluate(lead, jan31).NextChangeAt);
        Assert.Equal(5, evaluator.Evaluate(lead, new DateTimeOffset(2026, 2, 28, 12, 0, 0, TimeSpan.Zero)).Value);
        // The second period is counted from January 31, not from the clamped February 28.
        Assert.Equal(new DateTimeOffset(2026, 3, 31, 12, 0, 0, TimeSpan.Zero),
            evaluator.Evaluate(lead, new DateTimeOffset(2026, 3, 28, 12, 0, 0, TimeSpan.Zero)).NextChangeAt);
    }

    [Fact]
    public void Expiring_points_count_fully_until_the_period_ends_then_vanish()
    {
        var evaluator = Compile(EventModel("""
            { "event": "webinar.attended", "points": 8, "decay": { "type": "expire", "every": "2 weeks" } }
            """));
        var lead = Lead(Event("webinar.attended", T0));

        var before = evaluator.Evaluate(lead, T0.AddDays(14).AddTicks(-1));
        var after = evaluator.Evaluate(lead, T0.AddDays(14));

        Assert.Equal(8, before.Value);
        Assert.Equal(T0.AddDays(14), before.NextChangeAt);
        Assert.Equal(0, after.Value);
        Assert.Null(after.NextChangeAt);
    }

    [Fact]
    public void Half_life_halves_the_points_each_period_and_rounds_to_4_decimals()
    {
        var evaluator = Compile(EventModel("""
            { "event": "page.viewed", "points": 10, "decay": { "type": "halfLife", "every": "10 days" } }
            """));
        var lead = Lead(Event("page.viewed", T0));

        Assert.Equal(5, evaluator.Evaluate(lead, T0.AddDays(10)).Value);
        Assert.Equal(2.5, evaluator.Evaluate(lead, T0.AddDays(20)).Value);
        var halfPeriod = evaluator.Evaluate(lead, T0.AddDays(5));
        Assert.Equal(7.0711, halfPeriod.Value);
        Assert.Equal(T0.AddDays(10), halfPeriod.NextChangeAt);
    }

    [Fact]
    public void Half_life_reports_the_instant_the_label_changes_not_only_the_next_period_boundary()
    {
        // 100 points halving weekly fall below 60 (hot -> warm) after 7 days * log2(100/60) = 5 d 3 h 48 m 36.8 s;
        // the rounded value (4 decimals) is below 60 about 0.7 s later, and the search is to the second.
        var evaluator = Compile(EventModel(
            """{ "event": "demo.requested", "points": 100, "decay": { "type": "halfLife", "every": "1 week" } }""",
            """ "thresholds": [ { "label": "warm", "below": 60 }, { "label": "hot" } ], """));
        var lead = Lead(Event("demo.requested", T0));

        var now = evaluator.Evaluate(lead, T0.AddDays(1));

        Assert.Equal("hot", now.Label);
        var crossing = T0 + TimeSpan.FromDays(7 * Math.Log2(100.0 / 60));
        Assert.NotNull(now.NextChangeAt);
        Assert.InRange(now.NextChangeAt!.Value, crossing, crossing.AddSeconds(2));
        Assert.Equal("hot", evaluator.Evaluate(lead, now.NextChangeAt.Value.AddSeconds(-1)).Label);
        Assert.Equal("warm", evaluator.Evaluate(lead, now.NextChangeAt.Value).Label);
        // Past the crossing, the next change is the period boundary again.
        Assert.Equal(T0.AddDays(7), evaluator.Evaluate(lead, now.NextChangeAt.Value).NextChangeAt);
    }

    [Fact]
    public void A_rule_decay_overrides_the_group_decay()
    {
        var evaluator = Compile("""
            { "name": "T", "kind": "engagement",
              "groups": [ { "name": "G", "decay": { "percent": 100, "every": "1 week" }, "rules": [
                { "event": "a", "points": 10 },
                { "event": "b", "points": 10, "decay": { "percent": 10, "every": "1 week" } } ] } ] }
            """);
        var lead = Lead(Event("a", T0), Event("b", T0));

        var score = evaluator.Evaluate(lead, T0.AddDays(7));

        Assert.Equal(0, score.Groups[0].Rules[0].Points);
        Assert.Equal(9, score.Groups[0].Rules[1].Points);
        Assert.Equal(T0.AddDays(14), score.NextChangeAt);
    }

    [Fact]
    public void Negative_points_decay_toward_zero()
    {
        var evaluator = Compile(EventModel("""
            { "event": "email.unsubscribed", "points": -10, "decay": { "percent": 25, "every": "1 month" } }
            """));
        var lead = Lead(Event("email.unsubscribed", T0));

        Assert.Equal(-7.5, evaluator.Evaluate(lead, T0.AddMonths(1)).Value);
        Assert.Equal(0, evaluator.Evaluate(lead, T0.AddMonths(4)).Value);
    }

    [Fact]
    public void Periods_reaching_past_the_calendar_never_end_instead_of_failing()
    {
        var evaluator = Compile(EventModel("""
            { "event": "a", "points": 10, "timeframe": "999999 months", "decay": { "percent": 1, "every": "999999 days" } }
            """));
        var lateEvent = new DateTimeOffset(9999, 12, 30, 0, 0, 0, TimeSpan.FromHours(5));
        var lead = Lead(Event("a", T0), Event("a", lateEvent));

        var score = evaluator.Evaluate(lead, DateTimeOffset.MaxValue);

        // The 2026 event has seen two 999999-day periods (1% each); the late one none.
        Assert.Equal(19.8, score.Value);
        Assert.Null(score.NextChangeAt);
    }
}
