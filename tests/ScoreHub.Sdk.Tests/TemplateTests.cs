using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json;

namespace ScoreHub.Sdk.Tests;

/// <summary>
/// The plugin author's first ten minutes, for real and as the guide writes them: the packages packed and the templates
/// installed by the guide's own commands (<see cref="PackedSdk"/>), then, for each kind, the guide's
/// <c>new-plugin</c> commands run as written - <c>dotnet new scorehub-plugin --feed</c>, <c>dotnet test</c>, and the
/// <c>.shplugin</c> build - with no NuGet configuration written by the test. Slow (restores and builds three
/// plugins), so it is one test, with a time budget.
/// </summary>
[Collection(PackedSdkTests.Name)]
public sealed class TemplateTests(PackedSdk sdk)
{
    private static readonly TimeSpan Budget = TimeSpan.FromMinutes(20);

    [Fact]
    public async Task A_plugin_of_every_kind_generated_from_the_template_passes_its_tests_and_packs_against_the_packed_packages()
    {
        var clock = Stopwatch.StartNew();
        var app = sdk.NewFolder("template-app");
        var commands = DocsExamples.Get("README.md", "new-plugin");
        Assert.Contains("--kind source", commands, StringComparison.Ordinal);

        foreach (var (kind, manifestKind) in new[] { ("source", "signal-source"), ("strategy", "scoring-strategy"), ("action", "action") })
        {
            // The same commands for each kind: another name, so the three plugins sit side by side.
            var name = $"Acme.Webinar{char.ToUpperInvariant(kind[0])}{kind[1..]}";
            var script = commands.Replace("Acme.Webinar", name, StringComparison.Ordinal).Replace("--kind source", $"--kind {kind}", StringComparison.Ordinal);
            var remaining = Budget - clock.Elapsed;
            Assert.True(remaining > TimeSpan.Zero, $"The template test ran out of its {Budget} before the {kind} plugin.");

            var output = await sdk.BashAsync(app, script, new Dictionary<string, string> { ["SCOREHUB_FEED"] = sdk.Feed }, remaining);

            Assert.Contains("Passed!", output, StringComparison.Ordinal);
            Assert.Contains(sdk.Feed, await File.ReadAllTextAsync(Path.Combine(app, name, "nuget.config")), StringComparison.Ordinal);
            var id = name.ToLowerInvariant();
            var package = Path.Combine(app, name, name, "bin", "Release", $"{id}.0.1.0.shplugin");
            Assert.True(File.Exists(package), $"No package at {package}:\n{output}");
            Assert.Equal(
                $$"""{"formatVersion":1,"id":"{{id}}","version":"0.1.0","sdkVersion":"{{ScoreHubSdk.Version}}","entryAssembly":"{{name}}","kinds":["{{manifestKind}}"]}""",
                PackageManifest(package));
        }
    }

    /// <summary>The package's scorehub-plugin.json, re-serialized without white space.</summary>
    private static string PackageManifest(string package)
    {
        using var zip = ZipFile.OpenRead(package);
        using var stream = zip.GetEntry("scorehub-plugin.json")!.Open();
        using var json = JsonDocument.Parse(stream);
        return JsonSerializer.Serialize(json.RootElement);
    }
}
