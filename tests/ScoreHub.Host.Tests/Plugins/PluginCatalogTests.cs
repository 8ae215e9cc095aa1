using System.Net;
using System.Text.Json;
using ScoreHub.Host.Tests.Support;

namespace ScoreHub.Host.Tests.Plugins;

/// <summary>One host loading every test plugin; each load decision must be visible at GET /api/v1/plugins.</summary>
public sealed class PluginListingFixture : IAsyncLifetime
{
    public ScoreHubApp App { get; } = new(pluginsDirectory: PluginDirectories.TestPlugins);

    public IReadOnlyDictionary<string, JsonElement> Plugins { get; private set; } = new Dictionary<string, JsonElement>();

    public async Task InitializeAsync()
    {
        var response = await App.Client(ScoreHubApp.AdminKey).GetAsync("/api/v1/plugins");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Plugins = (await response.JsonAsync()).EnumerateArray().ToDictionary(p => p.GetProperty("id").GetString()!);
    }

    public async Task DisposeAsync() => await App.DisposeAsync();
}

public sealed class PluginCatalogTests(PluginListingFixture fixture) : IClassFixture<PluginListingFixture>
{
    [Fact]
    public void Valid_plugin_is_listed_as_loaded_with_its_version_kinds_and_settings()
    {
        var good = fixture.Plugins["test.good"];

        Assert.Equal("loaded", good.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, good.GetProperty("reason").ValueKind);
        Assert.Equal("1.2.3", good.GetProperty("version").GetString());
        Assert.Equal(ScoreHub.Sdk.ScoreHubSdk.Version, good.GetProperty("sdkVersion").GetString());
        Assert.Equal(["signal-source"], good.GetProperty("kinds").EnumerateArray().Select(k => k.GetString()));
        var setting = Assert.Single(good.GetProperty("settings").EnumerateArray());
        Assert.Equal("mode", setting.GetProperty("name").GetString());
        Assert.True(setting.GetProperty("required").GetBoolean());
    }

    [Fact]
    public void Broken_plugin_is_reported_as_failed_with_its_constructor_exception()
    {
        var broken = fixture.Plugins["ScoreHub.TestPlugins.Broken"];

        Assert.Equal("failed", broken.GetProperty("status").GetString());
        Assert.Equal("InvalidOperationException: boom in ctor", broken.GetProperty("reason").GetString());
        Assert.Empty(broken.GetProperty("kinds").EnumerateArray());
    }

    [Fact]
    public void Assembly_without_marker_is_reported_as_not_a_plugin()
    {
        var noMarker = fixture.Plugins["ScoreHub.TestPlugins.NoMarker"];

        Assert.Equal("not-a-plugin", noMarker.GetProperty("status").GetString());
        Assert.Equal("The assembly has no [assembly: ScoreHubPlugin(typeof(...))] marker.", noMarker.GetProperty("reason").GetString());
        Assert.False(fixture.Plugins.ContainsKey("test.no-marker"));
    }

    [Fact]
    public void Plugin_built_against_a_newer_sdk_minor_is_incompatible()
    {
        var future = fixture.Plugins["test.future-minor"];

        Assert.Equal("incompatible", future.GetProperty("status").GetString());
        Assert.Equal(
            $"Built against ScoreHub.Sdk 1.99.0; this host provides {ScoreHub.Sdk.ScoreHubSdk.Version} (needs the same major and a minor at least the plugin's).",
            future.GetProperty("reason").GetString());
    }

    [Fact]
    public void Plugin_built_against_sdk_major_2_is_incompatible_naming_both_majors()
    {
        var major2 = fixture.Plugins["ScoreHub.TestPlugins.Major2"];

        Assert.Equal("incompatible", major2.GetProperty("status").GetString());
        Assert.Equal("Built against ScoreHub.Sdk 2.x; this host provides 1.x.", major2.GetProperty("reason").GetString());
    }

    [Fact]
    public void Every_test_plugin_folder_is_listed_once()
    {
        Assert.Equal(
            ["ScoreHub.TestPlugins.Broken", "ScoreHub.TestPlugins.Major2", "ScoreHub.TestPlugins.NoMarker", "test.faulty", "test.future-minor", "test.good"],
            fixture.Plugins.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Failed_plugin_cannot_be_activated()
    {
        var ws = await fixture.App.CreateWorkspaceAsync();

        var response = await fixture.App.ActivateAsync(ws, "ScoreHub.TestPlugins.Broken", new { });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal(
            "Plugin 'ScoreHub.TestPlugins.Broken' cannot be activated: Failed: InvalidOperationException: boom in ctor",
            (await response.JsonAsync()).GetProperty("detail").GetString());
    }
}

public sealed class StraySdkTests
{
    [Fact]
    public async Task Plugin_folder_with_a_stray_copy_of_the_sdk_still_loads_and_works()
    {
        var directory = PluginDirectories.CopyOf(PluginDirectories.TestPlugins, "ScoreHub.TestPlugins.Good");
        var pluginFolder = Path.Combine(directory, "ScoreHub.TestPlugins.Good");
        File.Copy(typeof(ScoreHub.Sdk.IScoreHubPlugin).Assembly.Location, Path.Combine(pluginFolder, "ScoreHub.Sdk.dll"));
        try
        {
            await using var app = new ScoreHubApp(pluginsDirectory: directory);
            var ws = await app.CreateWorkspaceAsync();

            var listing = await app.PluginAsync(ws, "test.good");
            await app.ActivateOrFailAsync(ws, "test.good", new { mode = "a" });
            var posted = await app.PostGoodAsync(ws, "evt_stray", "stray@example.com");

            Assert.Equal("loaded", listing.GetProperty("status").GetString());
            Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
            Assert.Equal(1, Assert.Single(await app.ContactsAsync(ws, "stray@example.com")).GetProperty("eventCount").GetInt32());
        }
        finally
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}
