using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace ScoreHub.Benchmarks;

/// <summary>
/// The real host (this build's Release binaries, first-party plugins from <c>artifacts/plugins</c>) in its own
/// process on a free loopback port, with a temporary data directory deleted on dispose: what every end-to-end
/// benchmark measures against.
/// </summary>
internal sealed class BenchHost : IDisposable
{
    public const string AdminKey = "shk_admin_benchmark";

    private BenchHost(Process process, string url, string data)
    {
        Process = process;
        Url = url;
        DataDirectory = data;
    }

    public Process Process { get; }

    public string Url { get; }

    public string DataDirectory { get; }

    public static async Task<BenchHost> StartAsync(IReadOnlyDictionary<string, string>? settings = null)
    {
        var hostDll = typeof(ScoreHub.Host.ScoreHubOptions).Assembly.Location;
        var data = Directory.CreateTempSubdirectory("scorehub-bench-").FullName;
        var url = $"http://127.0.0.1:{FreePort()}";
        var start = new ProcessStartInfo("dotnet", [hostDll, "--urls", url])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["ScoreHub__DataDirectory"] = data,
                ["ScoreHub__AdminKey"] = AdminKey,
                ["ScoreHub__PluginsDirectory"] = Path.Combine(RepoRoot(), "artifacts", "plugins"),
                ["Logging__LogLevel__Default"] = "Warning",
            },
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var host = new BenchHost(process, url, data);
        using var http = new HttpClient { BaseAddress = new Uri(url) };
        for (var i = 0; i < 150; i++)
        {
            try
            {
                if ((await http.GetAsync("/healthz")).IsSuccessStatusCode)
                {
                    return host;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(200);
        }

        host.Dispose();
        throw new InvalidOperationException("The host did not become healthy within 30 s.");
    }

    /// <summary>A client of the host, with <paramref name="key"/> as bearer if given.</summary>
    public HttpClient Client(string? key = null)
    {
        var http = new HttpClient { BaseAddress = new Uri(Url) };
        if (key is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return http;
    }

    /// <summary>Creates a workspace and returns its keys (<c>secret</c>, <c>ingest</c>, <c>feed</c>).</summary>
    public async Task<JsonElement> CreateWorkspaceAsync(string name = "bench")
    {
        using var admin = Client(AdminKey);
        var created = await (await admin.PostAsJsonAsync("/api/v1/workspaces", new { name })).Content.ReadFromJsonAsync<JsonElement>();
        return created.GetProperty("keys");
    }

    public void Dispose()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
        }

        Process.WaitForExit();
        Process.Dispose();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public static string RepoRoot()
    {
        var dir = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(dir, "ScoreHub.sln")))
        {
            dir = Path.GetDirectoryName(dir) ?? throw new InvalidOperationException("Run from inside the repository (ScoreHub.sln not found above the binary).");
        }

        return dir;
    }

    public static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, Math.Max(0, (int)Math.Ceiling(p * sorted.Length) - 1))];

    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
