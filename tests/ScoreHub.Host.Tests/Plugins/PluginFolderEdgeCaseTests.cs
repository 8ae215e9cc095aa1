using System.Net;
using System.Text.Json;
using ScoreHub.Host.Tests.Support;

namespace ScoreHub.Host.Tests.Plugins;

public sealed class PluginFolderEdgeCaseTests
{
    [Fact]
    public async Task Stray_folder_named_like_a_loaded_plugin_does_not_hide_it()
    {
        var directory = PluginDirectories.CopyOf(PluginDirectories.TestPlugins, "ScoreHub.TestPlugins.Good");
        Directory.CreateDirectory(Path.Combine(directory, "test.good"));

        var plugins = await ListAsync(directory);

        Assert.Equal("loaded", plugins["test.good"].GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, await ActivateGoodAsync(directory));
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0x4d, 0x5a, 0x00, 0x01, 0x02 })]
    [InlineData(new byte[] { 0x68, 0x65, 0x6c, 0x6c, 0x6f })]
    public async Task Corrupt_assembly_is_reported_as_failed_and_other_plugins_still_load(byte[] content)
    {
        var directory = PluginDirectories.CopyOf(PluginDirectories.TestPlugins, "ScoreHub.TestPlugins.Good");
        Directory.CreateDirectory(Path.Combine(directory, "Corrupt"));
        await File.WriteAllBytesAsync(Path.Combine(directory, "Corrupt", "Corrupt.dll"), content);

        var plugins = await ListAsync(directory);

        Assert.Equal("failed", plugins["Corrupt"].GetProperty("status").GetString());
        Assert.StartsWith("The file is not", plugins["Corrupt"].GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal("loaded", plugins["test.good"].GetProperty("status").GetString());
    }

    [Fact]
    public async Task Folder_without_its_assembly_is_reported_as_not_a_plugin()
    {
        var directory = PluginDirectories.CopyOf(PluginDirectories.TestPlugins);
        Directory.CreateDirectory(Path.Combine(directory, "Empty"));

        var plugins = await ListAsync(directory);

        Assert.Equal("not-a-plugin", plugins["Empty"].GetProperty("status").GetString());
        Assert.Equal("No Empty.dll in the plugin folder.", plugins["Empty"].GetProperty("reason").GetString());
    }

    private static async Task<Dictionary<string, JsonElement>> ListAsync(string directory)
    {
        using var app = new ScoreHubApp(pluginsDirectory: directory);
        var response = await app.Client(ScoreHubApp.AdminKey).GetAsync("/api/v1/plugins");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.JsonAsync()).EnumerateArray().ToDictionary(p => p.GetProperty("id").GetString()!);
    }

    private static async Task<HttpStatusCode> ActivateGoodAsync(string directory)
    {
        using var app = new ScoreHubApp(pluginsDirectory: directory);
        var ws = await app.CreateWorkspaceAsync();
        return (await app.ActivateAsync(ws, "test.good", new { mode = "a" })).StatusCode;
    }
}
