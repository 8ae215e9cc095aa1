using System.Net;
using System.Security.Cryptography;
using System.Text;
using ScoreHub.Host.Tests.Plugins;
using ScoreHub.Host.Tests.Support;

namespace ScoreHub.Host.Tests.Sources;

/// <summary>The generic social-engagement webhook through a real in-memory host.</summary>
public sealed class SocialEndToEndTests : IAsyncLifetime, IDisposable
{
    private const string Secret = "social-signing-secret-0123";
    private const string Body = """
        {"events":[{"id":"li-9001","network":"linkedin","action":"comment","occurredAt":"2026-03-01T10:00:00Z","contact":{"email":"ada@example.com"},"campaign":"spring-launch","url":"https://www.linkedin.com/feed/update/urn:li:activity:1"}]}
        """;

    private readonly ScoreHubApp _app = new(pluginsDirectory: PluginDirectories.CopyOf(PluginDirectories.FirstParty, "ScoreHub.Plugins.Social"));
    private TestWorkspace _ws = null!;

    public async Task InitializeAsync()
    {
        _ws = await _app.CreateWorkspaceAsync();
        await _app.ActivateOrFailAsync(_ws, "scorehub.social", new { signingSecret = Secret });
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Signed_comment_is_stored_once_as_social_engaged()
    {
        await PostAsync(Sign(Body, Secret));
        var retry = await PostAsync(Sign(Body, Secret));

        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        var contact = Assert.Single(await _app.ContactsAsync(_ws, "ada@example.com"));
        var stored = Assert.Single((await _app.Client(_ws.SecretKey).GetJsonAsync($"/api/v1/contacts/{contact.GetProperty("id").GetString()}/events")).EnumerateArray());
        Assert.Equal("social.engaged", stored.GetProperty("type").GetString());
        Assert.Equal("comment", stored.GetProperty("properties").GetProperty("action").GetString());
        Assert.Equal("linkedin", stored.GetProperty("properties").GetProperty("network").GetString());
    }

    [Fact]
    public async Task Bad_signature_is_a_401_and_nothing_is_stored()
    {
        var response = await PostAsync(Sign(Body, "not-the-configured-secret"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(await _app.ContactsAsync(_ws, "ada@example.com"));
    }

    private async Task<HttpResponseMessage> PostAsync(string signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/sources/scorehub.social?key={_ws.IngestKey}")
        {
            Content = new StringContent(Body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-ScoreHub-Signature", signature);
        return await _app.Client().SendAsync(request);
    }

    private static string Sign(string body, string secret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));
}
