using ScoreHub.Host.Tests.Support;
using ScoreHub.Packaging;

namespace ScoreHub.Host.Tests.Plugins;

public sealed class PackageFormatTests
{
    [Theory]
    [InlineData("1.0.0-alpha", "1.0.0-alpha.1")]
    [InlineData("1.0.0-alpha.1", "1.0.0-alpha.beta")]
    [InlineData("1.0.0-beta.2", "1.0.0-beta.11")]
    [InlineData("1.0.0-rc.1", "1.0.0")]
    [InlineData("1.9.0", "1.10.0")]
    [InlineData("1.2.3", "2.0.0")]
    public void Versions_order_by_semver_precedence(string lower, string higher)
    {
        Assert.True(SemanticVersion.Parse(lower) < SemanticVersion.Parse(higher));
        Assert.True(SemanticVersion.Parse(higher) > SemanticVersion.Parse(lower));
    }

    [Fact]
    public void Build_metadata_does_not_change_precedence() =>
        Assert.Equal(0, SemanticVersion.Parse("1.2.3+build.5").CompareTo(SemanticVersion.Parse("1.2.3")));

    [Theory]
    [InlineData("1.2")]
    [InlineData("01.2.3")]
    [InlineData("v1.2.3")]
    [InlineData("")]
    public void Non_semver_text_is_not_a_version(string text) => Assert.False(SemanticVersion.TryParse(text, out _));

    [Fact]
    public void Packing_the_same_folder_twice_gives_the_same_bytes() =>
        Assert.Equal(TestPackages.GoodV1(), TestPackages.GoodV1());
}

public sealed class InstalledOverFolderTests : IDisposable
{
    private ScoreHubApp _app = new(pluginsDirectory: PluginDirectories.TestPlugins) { KeepDataDirectory = true };

    public void Dispose()
    {
        _app.Dispose();
        Directory.Delete(_app.DataDirectory, recursive: true);
    }

    [Fact]
    public async Task A_higher_version_installed_over_a_plugin_folder_replaces_it_live_and_after_a_restart()
    {
        var upgraded = await (await _app.InstallAsync(TestPackages.GoodV2())).JsonAsync();
        Assert.Equal("1.2.3", upgraded.GetProperty("previousVersion").GetString());

        _app.Dispose();
        _app = new ScoreHubApp(pluginsDirectory: PluginDirectories.TestPlugins, dataDirectory: _app.DataDirectory) { KeepDataDirectory = true };

        var ws = await _app.CreateWorkspaceAsync();
        Assert.Equal("2.0.0", (await _app.PluginAsync(ws, "test.good")).GetProperty("version").GetString());
    }
}
