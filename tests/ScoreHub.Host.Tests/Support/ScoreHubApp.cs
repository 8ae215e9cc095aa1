using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace ScoreHub.Host.Tests.Support;

/// <summary>
/// A real host in memory with its own temporary data directory (a real LiteDB file), a known admin key and a
/// fake clock. Dispose deletes the directory. Pass <c>pluginsDirectory</c> to load plugins from there.
/// </summary>
public sealed class ScoreHubApp : WebApplicationFactory<Program>
{
    public const string AdminKey = "shk_admin_test-admin-key";

    private readonly Dictionary<string, string?> _settings;

    public ScoreHubApp(string? pluginsDirectory = null, IDictionary<string, string?>? settings = null, string? dataDirectory = null)
    {
        DataDirectory = dataDirectory ?? Path.Combine(Path.GetTempPath(), "scorehub-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(DataDirectory);
        _settings = new Dictionary<string, string?>
        {
            ["ScoreHub:DataDirectory"] = DataDirectory,
            ["ScoreHub:AdminKey"] = AdminKey,
            ["ScoreHub:PluginsDirectory"] = pluginsDirectory ?? Path.Combine(DataDirectory, "plugins"),
            ["ScoreHub:Demo"] = "false",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
    }

    public string DataDirectory { get; }

    /// <summary>Keep the data directory on dispose, to inspect the files or start a second host on them.</summary>
    public bool KeepDataDirectory { get; set; }

    /// <summary>The host's clock. Starts at 2026-03-02 09:00 UTC; advance it to move time.</summary>
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
        });
    }

    /// <summary>A client authenticated with the given key (or none).</summary>
    public HttpClient Client(string? key = null)
    {
        var client = CreateClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    /// <summary>Creates a workspace through the API and returns its id and keys.</summary>
    public async Task<TestWorkspace> CreateWorkspaceAsync(string name = "Acme")
    {
        var response = await Client(AdminKey).PostAsJsonAsync("/api/v1/workspaces", new { name });
        response.EnsureSuccessStatusCode();
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        var keys = json.GetProperty("keys");
        return new TestWorkspace(
            json.GetProperty("id").GetString()!,
            keys.GetProperty("secret").GetString()!,
            keys.GetProperty("ingest").GetString()!,
            keys.GetProperty("feed").GetString()!);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && !KeepDataDirectory)
        {
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}

public sealed record TestWorkspace(string Id, string SecretKey, string IngestKey, string FeedKey);
