using ScoreHub.Sdk.Testing;
using Xunit.Sdk;

namespace ScoreHub.Sdk.Tests;

/// <summary>The test kit's own checks fail the plugins they are meant to catch, and pass the ones that comply.</summary>
public sealed class TestKitTests
{
    [Fact]
    public void The_minimum_length_check_fails_a_plugin_that_accepts_a_short_secret()
    {
        var suite = new Suite(new Plugin(checksSettings: false));

        var failure = Assert.ThrowsAny<XunitException>(suite.Settings_shorter_than_their_minimum_length_are_reported_by_name);

        Assert.Contains("With 'signingSecret' 15 characters long (MinLength 16) the report should name it", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_minimum_length_check_passes_a_plugin_that_checks_its_settings_against_the_manifest()
    {
        new Suite(new Plugin(checksSettings: true)).Settings_shorter_than_their_minimum_length_are_reported_by_name();
    }

    private sealed class Suite(IScoreHubPlugin plugin) : PluginCompliance<IScoreHubPlugin>
    {
        protected override IScoreHubPlugin CreatePlugin() => plugin;

        protected override PluginSettings ValidSettings => new SettingsBuilder().With("signingSecret", "0123456789abcdef").Build();
    }

    private sealed class Plugin(bool checksSettings) : IScoreHubPlugin
    {
        public PluginManifest Manifest { get; } = new()
        {
            Id = "test.kit",
            Name = "Test kit",
            Version = "1.0.0",
            SdkVersion = ScoreHubSdk.Version,
            Kinds = PluginKinds.SignalSource,
            Settings = [new SettingDescriptor { Name = "signingSecret", Required = true, Secret = true, MinLength = 16 }],
        };

        public ValidationReport ValidateSettings(PluginSettings settings) =>
            checksSettings ? settings.CheckAgainst(Manifest.Settings) : ValidationReport.Valid;
    }
}
