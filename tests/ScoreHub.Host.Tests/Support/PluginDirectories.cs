using System.Reflection;

namespace ScoreHub.Host.Tests.Support;

/// <summary>Where the build put the test plugins and the first-party plugins (recorded by the test project's csproj).</summary>
public static class PluginDirectories
{
    /// <summary><c>artifacts/test-plugins/</c>: Good, Broken, NoMarker, Faulty, FutureMinor, Major2.</summary>
    public static string TestPlugins { get; } = Metadata("TestPluginsDir");

    /// <summary><c>artifacts/test-plugins-v2/</c>: GoodV2 (test.good 2.0.0), apart so it never shadows Good.</summary>
    public static string TestPluginsV2 { get; } = Metadata("TestPluginsV2Dir");

    /// <summary><c>artifacts/plugins/</c>: the first-party plugins.</summary>
    public static string FirstParty { get; } = Metadata("ScoreHubPluginsDir");

    /// <summary>A fresh temporary plugins directory holding copies of the named plugin folders.</summary>
    public static string CopyOf(string sourceDirectory, params string[] pluginFolders)
    {
        var target = Path.Combine(Path.GetTempPath(), "scorehub-tests", "plugins-" + Guid.NewGuid().ToString("N"));
        foreach (var folder in pluginFolders)
        {
            var from = Path.Combine(sourceDirectory, folder);
            var to = Path.Combine(target, folder);
            Directory.CreateDirectory(to);
            foreach (var file in Directory.GetFiles(from))
            {
                File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
            }
        }

        return target;
    }

    private static string Metadata(string key)
    {
        var value = typeof(PluginDirectories).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == key).Value!;
        Assert.True(Directory.Exists(value), $"{value} does not exist; build the test project (it builds the plugins first).");
        return value;
    }
}
