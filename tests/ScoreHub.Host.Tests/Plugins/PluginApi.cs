using System.Net.Http.Json;
using System.Text.Json;
using ScoreHub.Host.Tests.Support;

namespace ScoreHub.Host.Tests.Plugins;

/// <summary>Small helpers over the plugin and source endpoints, so tests read as the steps a user takes.</summary>
internal static class PluginApi
{
    public static async Task<HttpResponseMessage> ActivateAsync(this ScoreHubApp app, TestWorkspace ws, string pluginId, object settings) =>
        await app.Client(ws.SecretKey).PutAsJsonAsync($"/api/v1/plugins/{pluginId}/activation", new { settings });

    public static async Task ActivateOrFailAsync(this ScoreHubApp app, TestWorkspace ws, string pluginId, object settings)
    {
        var response = await app.ActivateAsync(ws, pluginId, settings);
        Assert.True(response.IsSuccessStatusCode, $"Activating {pluginId}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>POST /api/v1/plugins with a package, as the admin unless another key (or none) is given.</summary>
    public static async Task<HttpResponseMessage> InstallAsync(this ScoreHubApp app, byte[] package, string? key = ScoreHubApp.AdminKey)
    {
        using var content = new ByteArrayContent(package);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/zip");
        return await app.Client(key).PostAsync("/api/v1/plugins", content);
    }

    public static async Task InstallOrFailAsync(this ScoreHubApp app, byte[] package)
    {
        var response = await app.InstallAsync(package);
        Assert.True(response.IsSuccessStatusCode, $"Installing: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    public static async Task<JsonElement> PluginAsync(this ScoreHubApp app, TestWorkspace ws, string pluginId)
    {
        var response = await app.Client(ws.SecretKey).GetAsync($"/api/v1/plugins/{pluginId}");
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static async Task<JsonElement[]> ContactsAsync(this ScoreHubApp app, TestWorkspace ws, string email)
    {
        var response = await app.Client(ws.SecretKey).GetAsync($"/api/v1/contacts?email={Uri.EscapeDataString(email)}");
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return [.. (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray()];
    }

    public static Task<HttpResponseMessage> PostGoodAsync(this ScoreHubApp app, TestWorkspace ws, string id, string email) =>
        app.Client(ws.IngestKey).PostAsJsonAsync("/api/v1/sources/test.good", new { id, type = "form.submitted", email });

    public static Task<HttpResponseMessage> CallFaultyAsync(this ScoreHubApp app, TestWorkspace ws, string action, string email = "faulty@example.com") =>
        app.Client(ws.IngestKey).PostAsync($"/api/v1/sources/test.faulty?do={action}&email={Uri.EscapeDataString(email)}", new StringContent("{}"));

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>();
}
