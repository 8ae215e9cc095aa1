using ScoreHub.Host.Core.Scoring;
using ScoreHub.Host.Features.Scoring;
using ScoreHub.Sdk;

namespace ScoreHub.Host.Tests.Scoring;

/// <summary>How a new version of a score takes over the previous version's states on publish.</summary>
public sealed class PublishedScoreTests
{
    [Fact]
    public void A_new_version_takes_over_the_old_versions_states_and_supersedes_it()
    {
        var v1 = Version(1);
        v1.Current["c_1"] = new ScoreState(10, "cold", true);
        var v2 = Version(2);

        v2.TakeOver(v1);

        Assert.True(v1.Superseded); // the engine no longer evaluates it, so it never writes v2's states
        Assert.False(v2.Superseded);
        Assert.Equal(new ScoreState(10, "cold", true), v2.Current["c_1"]);
    }

    [Fact]
    public void States_of_ids_that_are_no_longer_records_are_dropped()
    {
        var score = Version(1);
        score.Current["c_kept"] = new ScoreState(10, "cold", true);
        score.Current["c_merged_away"] = new ScoreState(40, "warm", true);

        score.KeepOnly(id => id != "c_merged_away");

        Assert.Equal("c_kept", Assert.Single(score.Current).Key);
    }

    private static PublishedScore Version(int version) =>
        new("ws_1", "lead", "Lead", version, "scorehub.points", LeadKind.Contact, new ConstantEvaluator());

    private sealed class ConstantEvaluator : IScoreEvaluator
    {
        public IReadOnlySet<string>? EventTypes => null;

        public ScoreEvaluation Evaluate(LeadView lead, DateTimeOffset asOf) => new() { Value = 0 };
    }
}
