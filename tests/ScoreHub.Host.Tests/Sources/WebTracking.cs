using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ScoreHub.Host.Tests.Plugins;
using ScoreHub.Host.Tests.Support;

namespace ScoreHub.Host.Tests.Sources;

/// <summary>Steps and look-ups shared by the web tracking tests.</summary>
internal static class WebTracking
{
    public const string PluginId = "scorehub.web";
    public const string LinkSecret = "web-link-secret-0123456789";

    /// <summary>A host with only the web plugin installed, and a workspace that activated it.</summary>
    public static async Task<TestWorkspace> ActivateAsync(ScoreHubApp app)
    {
        var ws = await app.CreateWorkspaceAsync();
        await app.ActivateOrFailAsync(ws, PluginId, new { linkSecret = LinkSecret });
        return ws;
    }

    public static ScoreHubApp NewApp() =>
        new(pluginsDirectory: PluginDirectories.CopyOf(PluginDirectories.FirstParty, "ScoreHub.Plugins.Web"));

    /// <summary>The documented token format, made independently of the plugin's helper.</summary>
    public static string ContactToken(string email, string secret)
    {
        var emailBytes = Encoding.UTF8.GetBytes(email);
        return Base64Url(emailBytes) + "." + Base64Url(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), emailBytes));
    }

    public static async Task<JsonElement[]> AllContactsAsync(this ScoreHubApp app, TestWorkspace ws) =>
        [.. (await app.Client(ws.SecretKey).GetJsonAsync("/api/v1/contacts")).EnumerateArray()];

    public static async Task<JsonElement[]> EventsAsync(this ScoreHubApp app, TestWorkspace ws, JsonElement contact) =>
        [.. (await app.Client(ws.SecretKey).GetJsonAsync($"/api/v1/contacts/{contact.GetProperty("id").GetString()}/events")).EnumerateArray()];

    /// <summary>Polls (beacons are asynchronous) until <paramref name="found"/> returns a value, for up to 15 s.</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T?>> found, string what)
        where T : struct
    {
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            if (await found() is { } value)
            {
                return value;
            }

            if (stopwatch.Elapsed > TimeSpan.FromSeconds(15))
            {
                Assert.Fail($"Timed out waiting for {what}.");
            }

            await Task.Delay(100);
        }
    }

    public static string[] Types(IEnumerable<JsonElement> events) =>
        [.. events.Select(e => e.GetProperty("type").GetString()!).Order(StringComparer.Ordinal)];

    public static string Property(this JsonElement evt, string name) => evt.GetProperty("properties").GetProperty(name).GetString()!;

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
