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
/// 1.1.0 in the machine's cache) can stand in, and the machine's cache is not touched. Deleted after the last test.
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

    public async Task InitializeAsync()
    {
        foreach (var project in new[] { "sdk/ScoreHub.Sdk", "sdk/ScoreHub.Sdk.Testing", "sdk/ScoreHub.Templates" })
        {
            await DotnetAsync(RepoRoot, "pack", Path.Combine(RepoRoot, project), "-c", "Release", "-o", Feed, "-m:1", "-nologo");
        }
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

        foreach (var (name, value) in Environment)
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

    private static string Root([CallerFilePath] string path = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, "..", ".."));
}
