using ScoreHub.Sdk;

namespace ScoreHub.Plugins.Points.Tests;

public sealed class PointsPluginTests
{
    [Fact]
    public void Manifest_names_the_plugin_as_a_scoring_strategy_built_against_this_sdk()
    {
        var manifest = new PointsStrategy().Manifest;

        Assert.Equal("scorehub.points", manifest.Id);
        Assert.Equal(PluginKinds.ScoringStrategy, manifest.Kinds);
        Assert.Equal(ScoreHubSdk.Version, manifest.SdkVersion);
        Assert.Empty(manifest.Settings);
    }

    [Fact]
    public void Assembly_marker_names_the_public_entry_type()
    {
        var marker = typeof(PointsStrategy).Assembly.GetCustomAttributes(typeof(ScoreHubPluginAttribute), false);

        Assert.Equal(typeof(PointsStrategy), Assert.IsType<ScoreHubPluginAttribute>(Assert.Single(marker)).PluginType);
    }

    [Fact]
    public void Activation_needs_no_settings() =>
        Assert.True(new PointsStrategy().ValidateSettings(PluginSettings.Empty).IsValid);
}
