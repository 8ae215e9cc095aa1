using System.Diagnostics;
using System.Reflection;
using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using ScoreHub.Host.Tests.Support;
using PluginApi = ScoreHub.Host.Tests.Plugins.PluginApi;

namespace ScoreHub.Host.Tests.Sources;

/// <summary>
/// The real npm clients (<c>@segment/analytics-node</c>, <c>@rudderstack/rudder-sdk-node</c>, pinned in
/// <c>Sources/node/package-lock.json</c>) send to a host listening on a real port. Needs Node 20 and npm on the PATH;
/// <c>npm ci</c> runs once when <c>node_modules</c> is missing.
/// </summary>
public sealed class SegmentClientsTests : IAsyncLifetime, IDisposable
{
    private readonly ScoreHubApp _app = new(pluginsDirectory: PluginDirectories.CopyOf(PluginDirectories.FirstParty, "ScoreHub.Plugins.Segment"));
    private TestWorkspace _ws = null!;
    private string _url = "";

    public async Task InitializeAsync()
    {
        _app.UseKestrel(0);
        _app.StartServer();
        _url = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _ws = await _app.CreateWorkspaceAsync();
        await PluginApi.ActivateOrFailAsync(_app, _ws, "scorehub.segment", new { });
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Segment_and_RudderStack_node_clients_deliver_identify_track_page_and_group_exactly_once()
    {
        await NodeScripts.EnsureInstalledAsync();

        var (exitCode, output) = await NodeScripts.RunAsync(TimeSpan.FromMinutes(2), "send.mjs", _url, _ws.IngestKey);

        Assert.True(exitCode == 0, $"node send.mjs exited with {exitCode}:\n{output}");
        foreach (var (prefix, email) in new[] { ("seg", "ada@segment.example"), ("rs", "ada@rudder.example") })
        {
            var contact = await _app.Client(_ws.SecretKey).GetJsonAsync($"/api/v1/contacts/{prefix}-user-1");
            Assert.Equal(email, contact.GetProperty("email").GetString());
            Assert.Equal($"{prefix}-acme", contact.GetProperty("companyId").GetString());
            Assert.Equal("""{"name":"Ada Lovelace","title":"CTO","plan":"trial"}""", contact.GetProperty("properties").GetRawText());

            var events = (await _app.Client(_ws.SecretKey).GetJsonAsync($"/api/v1/contacts/{prefix}-user-1/events")).EnumerateArray().ToArray();
            Assert.Equal(
                [
                    ($"{prefix}-group-1", "company.linked", $$"""{"groupId":"{{prefix}}-acme"}"""),
                    ($"{prefix}-identify-1", "contact.identified", "{}"),
                    ($"{prefix}-page-1", "web.page_viewed",
                        """{"url":"https://example.com/pricing?utm_source=news","title":"Pricing","path":"/pricing","referrer":"https://news.example.com/",""" +
                        """ "name":"Pricing","campaign":"spring-launch","utmCampaign":"spring-launch","utmSource":"newsletter","utmMedium":"email"}""".TrimStart()),
                    ($"{prefix}-track-1", "checkout.completed", $$"""{"orderId":"{{prefix}}-o-1","revenue":"99.5","currency":"EUR"}"""),
                    ($"{prefix}-track-2", "track.demo_requested", """{"plan":"enterprise","seats":"25"}"""),
                ],
                events.Select(e => (e.GetProperty("id").GetString()!, e.GetProperty("type").GetString()!, e.GetProperty("properties").GetRawText()))
                    .OrderBy(e => e.Item1, StringComparer.Ordinal));

            // The clients stamp events with the machine's clock; sentAt corrects them onto the host's (fake) clock.
            var now = _app.Clock.GetUtcNow();
            Assert.All(events, e => Assert.InRange(e.GetProperty("occurredAt").GetDateTimeOffset(), now.AddMinutes(-1), now));
        }
    }
}

/// <summary>Runs the scripts in <c>Sources/node/</c> with the machine's node and npm.</summary>
internal static class NodeScripts
{
    private static readonly SemaphoreSlim InstallLock = new(1, 1);

    public static string Directory { get; } = typeof(NodeScripts).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "SegmentNodeDir").Value!;

    /// <summary><c>npm ci</c> from the lock file, unless the pinned clients are already installed.</summary>
    public static async Task EnsureInstalledAsync()
    {
        await InstallLock.WaitAsync();
        try
        {
            var modules = Path.Combine(Directory, "node_modules", "@");
            if (System.IO.Directory.Exists(modules + "segment/analytics-node") && System.IO.Directory.Exists(modules + "rudderstack/rudder-sdk-node"))
            {
                return;
            }

            var (exitCode, output) = await RunAsync(TimeSpan.FromMinutes(5), "npm", "ci", "--no-audit", "--no-fund");
            Assert.True(exitCode == 0, $"npm ci failed with {exitCode}:\n{output}");
        }
        finally
        {
            InstallLock.Release();
        }
    }

    /// <summary>Runs <c>node script args</c> (or <c>npm args</c>) in the scripts folder; the process is killed after <paramref name="timeout"/>.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(TimeSpan timeout, string scriptOrNpm, params string[] args)
    {
        var start = new ProcessStartInfo(scriptOrNpm == "npm" ? "npm" : "node")
        {
            WorkingDirectory = Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (scriptOrNpm != "npm")
        {
            start.ArgumentList.Add(scriptOrNpm);
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"Timed out after {timeout}.\n{Snapshot(output)}");
        }

        return (process.ExitCode, Snapshot(output));
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static string Snapshot(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}
