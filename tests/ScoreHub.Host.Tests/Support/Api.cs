using System.Net.Http.Json;
using System.Text.Json;

namespace ScoreHub.Host.Tests.Support;

/// <summary>Small helpers for building canonical events and reading responses.</summary>
public static class Api
{
    /// <summary>The day before the fixture's clock: safely in the past.</summary>
    public static readonly DateTimeOffset Yesterday = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);

    public static object Event(string id, object contact, string type = "email.opened", DateTimeOffset? at = null, object? properties = null) =>
        new
        {
            id,
            type,
            occurredAt = (at ?? Yesterday).ToString("O"),
            contact,
            properties = properties ?? new { },
        };

    public static Task<HttpResponseMessage> PostEventsAsync(this HttpClient client, params object[] events) =>
        client.PostAsJsonAsync("/api/v1/events", new { events });

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>();

    public static async Task<JsonElement> GetJsonAsync(this HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"GET {path} returned {(int)response.StatusCode}");
        return await response.JsonAsync();
    }

    /// <summary>The names of a problem's <c>errors</c>, sorted.</summary>
    public static string[] ErrorNames(JsonElement problem) =>
        [.. problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)];

    public static string[] Statuses(JsonElement ingestResult) =>
        [.. ingestResult.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("status").GetString()!)];
}
