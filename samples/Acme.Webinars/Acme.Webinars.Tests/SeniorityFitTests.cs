using System.Text.Json;
using ScoreHub.Sdk;
using ScoreHub.Sdk.Testing;

namespace Acme.Webinars.Tests;

/// <summary>Every check of the scoring-strategy contract, run against the plugin's seniority fit score.</summary>
public sealed class SeniorityFitCompliance : ScoringStrategyCompliance<IScoringStrategy>
{
    protected override IScoringStrategy CreatePlugin() => new AcmeWebinarsPlugin();

    protected override PluginSettings ValidSettings => Webhooks.Settings;

    protected override string ModelJson => SeniorityFitTests.Model;

    protected override IEnumerable<LeadView> SampleLeads() =>
    [
        LeadBuilder.Contact("promoted")
            .Property("jobTitle", "Marketing Manager", TestDefaults.Now.AddDays(-400))
            .Property("jobTitle", "Director of Marketing", TestDefaults.Now.AddDays(-30))
            .Event("webinar.attended", TestDefaults.Now.AddDays(-2), ("minutesWatched", "47"))
            .Build(),
        LeadBuilder.Contact("student").Property("jobTitle", "MBA Student", TestDefaults.Now.AddDays(-5)).Build(),
        LeadBuilder.Contact("untitled").Event("webinar.registered", TestDefaults.Now.AddDays(-1)).Build(),
    ];
}

public sealed class SeniorityFitTests
{
    internal static readonly string Model = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "seniority-model.json"));

    [Theory]
    [InlineData("Chief Executive Officer", 30)]
    [InlineData("CMO", 30)]
    [InlineData("Co-Founder & CTO", 30)]
    [InlineData("Managing Director", 30)]
    [InlineData("VP of Marketing", 25)]
    [InlineData("Senior Vice President, Sales", 25)]
    [InlineData("Director of Demand Generation", 20)]
    [InlineData("Head of Growth", 20)]
    [InlineData("Marketing Operations Manager", 10)]
    [InlineData("Team Lead, SDRs", 10)]
    [InlineData("Software Engineer", 5)]
    [InlineData("Executive Assistant to the CEO", 5)]
    [InlineData("Marketing Intern", -15)]
    [InlineData("PhD Student", -15)]
    [InlineData("", 0)]
    public void A_job_title_scores_the_points_of_its_seniority_band(string title, double expected)
    {
        var lead = LeadBuilder.Contact().Property("jobTitle", title, TestDefaults.Now.AddDays(-1)).Build();

        Assert.Equal(expected, Compile(Model).Evaluate(lead, TestDefaults.Now).Value);
    }

    [Fact]
    public void A_promotion_raises_the_score_from_the_day_the_title_changed()
    {
        var promotedAt = TestDefaults.Now.AddDays(-30);
        var lead = LeadBuilder.Contact()
            .Property("jobTitle", "Marketing Manager", TestDefaults.Now.AddDays(-400))
            .Property("jobTitle", "VP Marketing", promotedAt)
            .Build();
        var evaluator = Compile(Model);

        Assert.Equal(10, evaluator.Evaluate(lead, promotedAt.AddTicks(-1)).Value);
        Assert.Equal(25, evaluator.Evaluate(lead, promotedAt).Value);
    }

    [Fact]
    public void A_band_left_out_of_the_model_scores_nothing()
    {
        var lead = LeadBuilder.Contact().Property("title", "CEO", TestDefaults.Now.AddDays(-1)).Build();

        var evaluation = Compile("""{"property":"title","points":{"vp":25}}""").Evaluate(lead, TestDefaults.Now);

        Assert.Equal(0, evaluation.Value);
    }

    [Fact]
    public void The_breakdown_names_the_band_as_a_fit_group()
    {
        var lead = LeadBuilder.Contact().Property("jobTitle", "VP Sales", TestDefaults.Now.AddDays(-1)).Build();

        var group = Assert.Single(Compile(Model).Evaluate(lead, TestDefaults.Now).Groups);

        Assert.Equal("fit", group.Part);
        Assert.Equal("jobTitle is vp +25", Assert.Single(group.Rules).Description);
    }

    [Fact]
    public void Model_errors_name_the_field_at_fault()
    {
        using var model = JsonDocument.Parse("""{"property":"","points":{"vp":"25","ceo":30,"manager":10}}""");

        var report = new AcmeWebinarsPlugin().ValidateModel(model.RootElement);

        Assert.Equal(["property", "points.vp", "points.ceo"], report.Errors.Select(e => e.Field));
    }

    private static IScoreEvaluator Compile(string json)
    {
        using var model = JsonDocument.Parse(json);
        var strategy = new AcmeWebinarsPlugin();
        Assert.True(strategy.ValidateModel(model.RootElement).IsValid);
        return strategy.Compile(model.RootElement);
    }
}
