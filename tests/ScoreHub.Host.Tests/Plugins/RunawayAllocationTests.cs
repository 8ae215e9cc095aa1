using System.Net;
using System.Net.Http.Json;
using ScoreHub.Host.Tests.Support;

namespace ScoreHub.Host.Tests.Plugins;

/// <summary>
/// A plugin that allocates without bound, in a real host process whose heap is capped the way a container's memory
/// limit caps it (the runtime takes 75% of a cgroup limit by default; here <c>DOTNET_GCHeapHardLimit</c>): the
/// runtime refuses the plugin's next allocation, the host fails that call alone with a 502, frees the memory and
/// serves everyone else.
/// </summary>
public sealed class RunawayAllocationTests : IDisposable
{
    private const string AdminKey = "shk_admin_runaway-allocation-key";

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "scorehub-tests", "alloc-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_dataDirectory, recursive: true);

    [Fact]
    public async Task Plugin_that_allocates_without_bound_fails_its_own_call_and_the_host_serves_the_next_ones()
    {
        Directory.CreateDirectory(_dataDirectory);
        using var host = await HostProcess.StartAsync(_dataDirectory, AdminKey, PluginDirectories.TestPlugins, new Dictionary<string, string>
        {
            ["DOTNET_GCHeapHardLimit"] = "0x18000000", // 384 MB
            ["ScoreHub:PluginCallTimeout"] = "00:01:00",
        });
        var a = await WorkspaceAsync(host, "A");
        var b = await WorkspaceAsync(host, "B");

        var runaway = await CallAsync(host, a, "allocate");

        Assert.Equal(HttpStatusCode.BadGateway, runaway.StatusCode);
        Assert.StartsWith("Plugin 'test.faulty' failed: OutOfMemoryException:",
            (await runaway.JsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        using (var health = host.Client())
        {
            Assert.Equal(HttpStatusCode.OK, (await health.GetAsync("/healthz")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await CallAsync(host, b, "ok")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await CallAsync(host, a, "ok")).StatusCode);
        using var client = host.Client(a.Secret);
        var activation = (await client.GetJsonAsync("/api/v1/plugins/test.faulty")).GetProperty("activation");
        Assert.StartsWith("OutOfMemoryException:", activation.GetProperty("lastError").GetString(), StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> CallAsync(HostProcess host, (string Secret, string Ingest) ws, string action)
    {
        using var client = host.Client(ws.Ingest);
        return await client.PostAsync($"/api/v1/sources/test.faulty?do={action}", new StringContent("{}"));
    }

    private static async Task<(string Secret, string Ingest)> WorkspaceAsync(HostProcess host, string name)
    {
        using var admin = host.Client(AdminKey);
        var keys = (await (await admin.PostAsJsonAsync("/api/v1/workspaces", new { name })).JsonAsync()).GetProperty("keys");
        var ws = (keys.GetProperty("secret").GetString()!, keys.GetProperty("ingest").GetString()!);
        using var client = host.Client(ws.Item1);
        var activated = await client.PutAsJsonAsync("/api/v1/plugins/test.faulty/activation", new { settings = new { } });
        Assert.Equal(HttpStatusCode.OK, activated.StatusCode);
        return ws;
    }
}
