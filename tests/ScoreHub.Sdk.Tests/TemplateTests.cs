namespace ScoreHub.Sdk.Tests;

/// <summary>
/// The plugin author's first ten minutes, for real: with ScoreHub.Sdk, ScoreHub.Sdk.Testing and ScoreHub.Templates packed
/// into a folder (<see cref="PackedSdk"/>), install the templates into a throw-away hive, generate a plugin of each kind
/// into one solution and run its tests against the packed packages. Slow (restores and builds three plugins), so it is
/// one test.
/// </summary>
[Collection(PackedSdkTests.Name)]
public sealed class TemplateTests(PackedSdk sdk)
{
    [Fact]
    public async Task Plugins_of_every_kind_generated_from_the_template_build_and_pass_their_tests_against_the_packed_packages()
    {
        var app = sdk.NewFolder("template-app");
        var hive = sdk.NewFolder("template-hive");
        await File.WriteAllTextAsync(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{sdk.Feed}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
            </configuration>
            """);
        await sdk.DotnetAsync(app, "new", "install", Path.Combine(sdk.Feed, "ScoreHub.Templates.1.1.0.nupkg"), "--debug:custom-hive", hive);
        await sdk.DotnetAsync(app, "new", "sln", "-n", "Plugins", "--format", "sln", "--debug:custom-hive", hive);
        foreach (var kind in new[] { "source", "strategy", "action" })
        {
            var name = $"Acme.Webinar{char.ToUpperInvariant(kind[0])}{kind[1..]}";
            await sdk.DotnetAsync(app, "new", "scorehub-plugin", "-n", name, "--kind", kind, "-o", name, "--debug:custom-hive", hive);
            await sdk.DotnetAsync(app, "sln", "Plugins.sln", "add",
                Path.Combine(name, name, name + ".csproj"), Path.Combine(name, name + ".Tests", name + ".Tests.csproj"));
        }

        var output = await sdk.DotnetAsync(app, "test", "Plugins.sln", "-m:1");

        Assert.Equal(3, output.Split('\n').Count(l => l.Contains("Passed!", StringComparison.Ordinal)));
    }
}
