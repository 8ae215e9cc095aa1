extern alias cli;

using cli::ScoreHub.Cli;
using ScoreHub.Host.Tests.Support;

namespace ScoreHub.Host.Tests.Plugins;

/// <summary>The <c>scorehub</c> CLI's Main logic, in-process, against the in-memory host.</summary>
public sealed class CliTests : IDisposable
{
    private readonly ScoreHubApp _app = new();
    private readonly string _output = Path.Combine(Path.GetTempPath(), "scorehub-tests", "cli-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        _app.Dispose();
        if (Directory.Exists(_output))
        {
            Directory.Delete(_output, recursive: true);
        }
    }

    [Fact]
    public async Task Pack_then_install_with_the_key_from_the_environment_installs_the_plugin_and_list_shows_it()
    {
        var packed = await RunAsync("plugin", "pack", TestPackages.GoodV1Folder, "-o", _output);
        Assert.Equal(0, packed.Exit);
        var file = Path.Combine(_output, "test.good.1.2.3.shplugin");
        Assert.True(File.Exists(file), packed.Out + packed.Err);

        var installed = await RunAsync("plugin", "install", file, "--url", "http://localhost/");

        Assert.Equal((0, "Installed test.good 1.2.3."), (installed.Exit, installed.Out.Trim()));
        var listed = await RunAsync("plugin", "list", "--url", "http://localhost/");
        Assert.Equal(0, listed.Exit);
        Assert.Matches(@"(?m)^test\.good\s+1\.2\.3\s+loaded\s+signal-source$", listed.Out);
        Assert.DoesNotContain(ScoreHubApp.AdminKey, installed.Out + installed.Err + listed.Out + listed.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Installing_a_newer_version_prints_the_upgrade()
    {
        var v1 = WritePackage("v1.shplugin", TestPackages.GoodV1());
        var v2 = WritePackage("v2.shplugin", TestPackages.GoodV2());
        Assert.Equal(0, (await RunAsync("plugin", "install", v1)).Exit);

        var upgraded = await RunAsync("plugin", "install", v2);

        Assert.Equal((0, "Upgraded test.good from 1.2.3 to 2.0.0."), (upgraded.Exit, upgraded.Out.Trim()));
    }

    [Fact]
    public async Task A_refused_package_prints_the_problem_and_exits_non_zero()
    {
        var corrupt = WritePackage("corrupt.shplugin", "not a zip"u8.ToArray());

        var refused = await RunAsync("plugin", "install", corrupt);

        Assert.Equal(1, refused.Exit);
        Assert.StartsWith("Refused (400 Plugin package refused): Not a valid plugin package: ", refused.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_key_exits_non_zero_without_printing_it()
    {
        var package = WritePackage("v1.shplugin", TestPackages.GoodV1());

        var refused = await RunAsync(["plugin", "install", package, "--admin-key", "shk_admin_wrong"], environmentKey: null);

        Assert.Equal(1, refused.Exit);
        Assert.StartsWith("Refused (401", refused.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("shk_admin_wrong", refused.Out + refused.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_key_and_unknown_commands_are_usage_errors()
    {
        Assert.Equal(2, (await RunAsync(["plugin", "list"], environmentKey: null)).Exit);
        Assert.Equal(2, (await RunAsync("plugin", "remove", "test.good")).Exit);
        Assert.Equal(2, (await RunAsync("plugin", "install")).Exit);
    }

    private string WritePackage(string name, byte[] bytes)
    {
        Directory.CreateDirectory(_output);
        var path = Path.Combine(_output, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private Task<(int Exit, string Out, string Err)> RunAsync(params string[] args) => RunAsync(args, ScoreHubApp.AdminKey);

    private async Task<(int Exit, string Out, string Err)> RunAsync(string[] args, string? environmentKey)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        using var handler = _app.Server.CreateHandler();
        var exit = await Commands.RunAsync(args, stdout, stderr,
            name => name == Commands.AdminKeyVariable ? environmentKey : null, handler);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
