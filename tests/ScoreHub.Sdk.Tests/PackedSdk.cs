using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace ScoreHub.Sdk.Tests;

/// <summary>The tests that build plugins from the packed SDK packages share one packing and one package cache.</summary>
[CollectionDefinition(Name)]
public sealed class PackedSdkTests : ICollectionFixture<PackedSdk>
{
    public const string Name = "Packed SDK";
}

/// <summary>
/// ScoreHub.Sdk, ScoreHub.Sdk.Testing and ScoreHub.Templates packed once into a temporary folder (<see cref="Feed"/>), and
/// <c>dotnet</c> run with its own CLI home and package cache: no ScoreHub package left over from an earlier run (an older
/// build of the same version in the machine's cache) can stand in, and the machine's cache is not touched. Deleted after the last test.
/// </summary>
public sealed class PackedSdk : IAsyncLifetime
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(10);
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("scorehub-packed-sdk-");

    public PackedSdk()
    {
        Feed = Directory.CreateDirectory(Path.Combine(_work.FullName, "feed")).FullName;
        Environment = new Dictionary<string, string>
        {
            ["DOTNET_CLI_HOME"] = Path.Combine(_work.FullName, "home"),
            ["NUGET_PACKAGES"] = Path.Combine(_work.FullName, "packages"),
            ["DOTNET_NOLOGO"] = "1",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
            ["MSBUILDDISABLENODEREUSE"] = "1",
        };
    }

    public static string RepoRoot { get; } = Root();

    /// <summary>The folder holding the packed <c>.nupkg</c> files.</summary>
    public string Feed { get; }

    /// <summary>The variables every <see cref="DotnetAsync"/> call runs with.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    /// <summary>A new empty folder inside the fixture's temporary folder.</summary>
    public string NewFolder(string name) => Directory.CreateDirectory(Path.Combine(_work.FullName, name)).FullName;

    /// <summary>
    /// Packs the packages and installs the templates by running the guide's own commands (docs/plugins/README.md,
    /// example <c>pack-templates</c>) in the repository, with <c>SCOREHUB_FEED</c> pointing at <see cref="Feed"/>
    /// instead of the clone's <c>artifacts/packages</c>, and the template installed into this fixture's CLI home.
    /// </summary>
    public async Task InitializeAsync()
    {
        var script = DocsExamples.Get("README.md", "pack-templates");
        await BashAsync(RepoRoot, DocsExamples.WithoutExport(script, "SCOREHUB_FEED"), new Dictionary<string, string> { ["SCOREHUB_FEED"] = Feed });
    }

    public Task DisposeAsync()
    {
        try
        {
            _work.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A build server may still hold a file; the temp folder is cleaned up by the OS.
        }

        return Task.CompletedTask;
    }

    /// <summary>Runs <c>dotnet</c> in <paramref name="directory"/>; fails the test with the output when it exits non-zero.</summary>
    public async Task<string> DotnetAsync(string directory, params string[] arguments)
    {
        var (stdout, stderr) = await RunAsync("dotnet", arguments, directory, null, StepTimeout);
        return stdout + stderr;
    }

    /// <summary>
    /// Runs a bash script (<c>set -euo pipefail</c>) in <paramref name="directory"/> with <see cref="Environment"/> and
    /// <paramref name="variables"/>; returns its standard output, and fails the test with both outputs when it exits
    /// non-zero or outlasts <paramref name="timeout"/> (default: ten minutes), killing what it started.
    /// </summary>
    public async Task<string> BashAsync(string directory, string script, IReadOnlyDictionary<string, string>? variables = null, TimeSpan? timeout = null)
    {
        var (stdout, _) = await RunAsync("bash", ["-euo", "pipefail", "-c", script], directory, variables, timeout ?? StepTimeout);
        return stdout;
    }

    private async Task<(string Stdout, string Stderr)> RunAsync(
        string file, IEnumerable<string> arguments, string directory, IReadOnlyDictionary<string, string>? variables, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file)
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

        foreach (var (name, value) in Environment.Concat(variables ?? new Dictionary<string, string>()))
        {
            start.Environment[name] = value;
        }

        var command = $"{file} {string.Join(' ', start.ArgumentList)}";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{command} took longer than {timeout}.");
        }

        var (output, errors) = (await stdout, await stderr);
        Assert.True(process.ExitCode == 0, $"{command} exited with {process.ExitCode}:\n{output}{errors}");
        return (output, errors);
    }

    private static string Root([CallerFilePath] string path = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, "..", ".."));
}
