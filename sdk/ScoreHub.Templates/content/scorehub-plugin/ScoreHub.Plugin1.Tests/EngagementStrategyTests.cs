using System.Text.Json;
using ScoreHub.Sdk;
using ScoreHub.Sdk.Testing;

namespace ScoreHub.Plugin1.Tests;

/// <summary>Every check of the scoring-strategy contract, run against this plugin.</summary>
public sealed class EngagementStrategyCompliance : ScoringStrategyCompliance<IScoringStrategy>
{
    protected override IScoringStrategy CreatePlugin() => new EngagementStrategy();

    protected override string ModelJson => EngagementStrategyTests.Model;

    protected override IEnumerable<LeadView> SampleLeads() => [EngagementStrategyTests.Ada];
}

public sealed class EngagementStrategyTests
{
    internal const string Model = """{"points":{"webinar.attended":10,"email.opened":1},"days":30}""";

    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);

    internal static LeadView Ada => LeadBuilder.Contact("ada")
        .Event("email.opened", T0)
        .Event("webinar.attended", T0.AddDays(2))
        .Event("web.page_viewed", T0.AddDays(3))
        .Build();

    [Fact]
    public void Each_event_counts_its_points_for_thirty_days()
    {
        using var model = JsonDocument.Parse(Model);
        var evaluator = new EngagementStrategy().Compile(model.RootElement);

        var score = evaluator.Evaluate(Ada, T0.AddDays(31));

        Assert.Equal(10, score.Value);
        Assert.Equal(T0.AddDays(32), score.NextChangeAt);
    }
}
