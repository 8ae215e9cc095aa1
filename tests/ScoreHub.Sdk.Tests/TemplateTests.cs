using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace ScoreHub.Sdk.Tests;

/// <summary>
/// The plugin author's first ten minutes, for real: pack ScoreHub.Sdk, ScoreHub.Sdk.Testing and ScoreHub.Templates into
/// a folder, install the templates into a throw-away hive, generate a plugin of each kind into one solution and run its
/// tests against the packed packages. Slow (restores and builds three plugins), so it is one test.
/// </summary>
public sealed class TemplateTests
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task Plugins_of_every_kind_generated_from_the_template_build_and_pass_their_tests_against_the_packed_packages()
    {
        var repo = RepoRoot();
        var work = Directory.CreateTempSubdirectory("scorehub-template-");
        try
        {
            var feed = Directory.CreateDirectory(Path.Combine(work.FullName, "feed")).FullName;
            var hive = Path.Combine(work.FullName, "hive");
            var app = Directory.CreateDirectory(Path.Combine(work.FullName, "app")).FullName;
            // Own CLI home and package cache: no template or ScoreHub package left over from an earlier run can stand in.
            var environment = new Dictionary<string, string>
            {
                ["DOTNET_CLI_HOME"] = Path.Combine(work.FullName, "home"),
                ["NUGET_PACKAGES"] = Path.Combine(work.FullName, "packages"),
                ["DOTNET_NOLOGO"] = "1",
                ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
                ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
                ["MSBUILDDISABLENODEREUSE"] = "1",
            };

            foreach (var project in new[] { "sdk/ScoreHub.Sdk", "sdk/ScoreHub.Sdk.Testing", "sdk/ScoreHub.Templates" })
            {
                await Dotnet(repo, environment, "pack", Path.Combine(repo, project), "-c", "Release", "-o", feed, "-m:1", "-nologo");
            }

            await File.WriteAllTextAsync(Path.Combine(app, "nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <clear />
                    <add key="local" value="{feed}" />
                    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
                  </packageSources>
                </configuration>
                """);
            await Dotnet(app, environment, "new", "install", Path.Combine(feed, "ScoreHub.Templates.1.1.0.nupkg"), "--debug:custom-hive", hive);
            await Dotnet(app, environment, "new", "sln", "-n", "Plugins", "--format", "sln", "--debug:custom-hive", hive);
            foreach (var kind in new[] { "source", "strategy", "action" })
            {
                var name = $"Acme.Webinar{char.ToUpperInvariant(kind[0])}{kind[1..]}";
                await Dotnet(app, environment, "new", "scorehub-plugin", "-n", name, "--kind", kind, "-o", name, "--debug:custom-hive", hive);
                await Dotnet(app, environment, "sln", "Plugins.sln", "add",
                    Path.Combine(name, name, name + ".csproj"), Path.Combine(name, name + ".Tests", name + ".Tests.csproj"));
            }

            var output = await Dotnet(app, environment, "test", "Plugins.sln", "-m:1");

            Assert.Equal(3, output.Split('\n').Count(l => l.Contains("Passed!", StringComparison.Ordinal)));
        }
        finally
        {
            try
            {
                work.Delete(recursive: true);
            }
            catch (IOException)
            {
                // A build server may still hold a file; the temp folder is cleaned up by the OS.
            }
        }
    }

    private static async Task<string> Dotnet(string directory, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The test host inherits MSBuild's variables from the dotnet test that started it; they would steer the inner builds.
        foreach (var inherited in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || k.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(inherited);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(StepTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {string.Join(' ', arguments)} took longer than {StepTimeout}.");
        }

        var output = await stdout + await stderr;
        Assert.True(process.ExitCode == 0, $"dotnet {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{output}");
        return output;
    }

    private static string RepoRoot([CallerFilePath] string path = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, "..", ".."));
}
