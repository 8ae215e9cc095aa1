using static ScoreHub.Plugins.Points.Tests.Scoring;

namespace ScoreHub.Plugins.Points.Tests;

public sealed class WorkedExampleTests
{
    private const string HubSpotExample = """
        {
          "name": "Sales and marketing", "kind": "engagement", "limit": 100,
          "groups": [
            { "name": "Sales engagement", "limit": 60, "rules": [
              { "event": "conversation.started", "points": 15 },
              { "event": "meeting.booked", "points": 10 },
              { "event": "meeting.completed", "points": 20 } ] },
            { "name": "Marketing engagement", "limit": 40, "rules": [
              { "event": "cta.clicked", "points": 6 },
              { "event": "email.opened", "points": 2 },
              { "event": "email.link_clicked", "points": 5 } ] }
          ],
          "thresholds": [ { "label": "cold", "below": 30 }, { "label": "warm", "below": 71 }, { "label": "hot" } ]
        }
        """;

    [Fact]
    public void One_meeting_two_opens_and_three_clicks_score_sales_10_marketing_19_total_29()
    {
        var lead = Lead([
            Event("meeting.booked", T0),
            .. Times(2, "email.opened", T0.AddDays(1)),
            .. Times(3, "email.link_clicked", T0.AddDays(2)),
        ]);

        var score = Compile(HubSpotExample).Evaluate(lead, T0.AddDays(3));

        Assert.Equal(10, score.Groups[0].Value);
        Assert.Equal(19, score.Groups[1].Value);
        Assert.Equal(29, score.Value);
        Assert.Equal("cold", score.Label);
        Assert.True(score.Included);
        Assert.Null(score.NextChangeAt);
        Assert.Equal(3, score.Groups[1].Rules[2].Events.Count);
        Assert.Equal("meeting.booked +10", score.Groups[0].Rules[1].Description);
    }

    [Fact]
    public void Booking_a_meeting_adds_sales_points()
    {
        var score = Compile(HubSpotExample).Evaluate(Lead(Event("meeting.booked", T0)), T0);

        Assert.Equal(10, score.Value);
        Assert.Equal("engagement", score.Groups[0].Part);
    }

    [Fact]
    public void Events_after_the_evaluated_instant_do_not_count()
    {
        var score = Compile(HubSpotExample).Evaluate(Lead(Event("meeting.booked", T0.AddSeconds(1))), T0);

        Assert.Equal(0, score.Value);
    }

    [Fact]
    public void Group_limits_cap_each_group_and_the_score_limit_caps_the_total()
    {
        var lead = Lead([
            .. Times(5, "meeting.completed", T0),
            .. Times(10, "cta.clicked", T0),
        ]);

        var score = Compile(HubSpotExample).Evaluate(lead, T0.AddHours(1));

        Assert.Equal(100, score.Groups[0].Raw);
        Assert.Equal(60, score.Groups[0].Value);
        Assert.Equal(60, score.Groups[1].Raw);
        Assert.Equal(40, score.Groups[1].Value);
        Assert.Equal(100, score.Value);
        Assert.Equal("hot", score.Label);

        var capped = Compile(HubSpotExample.Replace("\"limit\": 100", "\"limit\": 90", StringComparison.Ordinal))
            .Evaluate(lead, T0.AddHours(1));
        Assert.Equal(90, capped.Value);
    }

    [Theory]
    [InlineData(0, "cold")]
    [InlineData(2, "cold")]
    [InlineData(3, "warm")]
    [InlineData(7, "warm")]
    [InlineData(8, "hot")]
    public void Thresholds_label_the_total(int meetings, string label)
    {
        // 10 per meeting up to the sales limit of 60; past 7 meetings, ten link clicks fill marketing (40).
        var lead = Lead([
            .. Times(Math.Min(meetings, 6), "meeting.booked", T0),
            .. Times(meetings > 7 ? 10 : 0, "email.link_clicked", T0),
        ]);

        var score = Compile(HubSpotExample).Evaluate(lead, T0.AddHours(1));

        Assert.Equal(label, score.Label);
    }
}
