using System.Net;
using System.Security.Cryptography;
using System.Text;
using ScoreHub.Host.Tests.Support;

namespace ScoreHub.Host.Tests.Plugins;

public sealed class TagsSourceEndToEndTests : IAsyncLifetime, IDisposable
{
    private const string Secret = "tags-signing-secret-0123";
    private const string Body =
        """{"events":[{"id":"evt_1","type":"tag.added","occurredAt":"2026-03-01T10:00:00Z","contact":{"email":"ada@example.com","externalId":"crm-42"},"tag":"vip"}]}""";

    private readonly ScoreHubApp _app = new(pluginsDirectory: PluginDirectories.CopyOf(PluginDirectories.FirstParty, "ScoreHub.Plugins.Tags"));
    private TestWorkspace _ws = null!;

    public async Task InitializeAsync()
    {
        _ws = await _app.CreateWorkspaceAsync();
        await _app.ActivateOrFailAsync(_ws, "scorehub.tags", new { signingSecret = Secret });
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Short_signing_secret_is_rejected_at_activation()
    {
        var response = await _app.ActivateAsync(_ws, "scorehub.tags", new { signingSecret = "short" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["'signingSecret' must be at least 16 characters."],
            (await response.JsonAsync()).GetProperty("errors").GetProperty("settings.signingSecret").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Signing_secret_is_never_returned()
    {
        var plugin = await _app.PluginAsync(_ws, "scorehub.tags");

        Assert.Equal("***", plugin.GetProperty("activation").GetProperty("settings").GetProperty("signingSecret").GetString());
    }

    [Fact]
    public async Task Bad_signature_is_a_401_and_nothing_is_stored()
    {
        var response = await PostAsync(Body, Sign(Body, "not-the-configured-secret"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("The X-ScoreHub-Signature header does not match the body.", (await response.JsonAsync()).GetProperty("detail").GetString());
        Assert.Empty(await _app.ContactsAsync(_ws, "ada@example.com"));
    }

    [Fact]
    public async Task Missing_signature_is_a_401()
    {
        var response = await PostAsync(Body, signature: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Signed_event_is_stored_and_a_replay_is_reported_duplicate_and_stored_once()
    {
        var first = await PostAsync(Body, Sign(Body, Secret));
        var replay = await PostAsync(Body, Sign(Body, Secret));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var firstResult = await first.JsonAsync();
        Assert.Equal(1, firstResult.GetProperty("stored").GetInt32());
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        var replayResult = await replay.JsonAsync();
        Assert.Equal(0, replayResult.GetProperty("stored").GetInt32());
        Assert.Equal(1, replayResult.GetProperty("duplicates").GetInt32());
        Assert.Equal("duplicate", replayResult.GetProperty("results")[0].GetProperty("status").GetString());

        var contact = Assert.Single(await _app.ContactsAsync(_ws, "ada@example.com"));
        Assert.Equal("crm-42", contact.GetProperty("externalId").GetString());
        Assert.Equal(1, contact.GetProperty("eventCount").GetInt32());
        var events = await (await _app.Client(_ws.SecretKey).GetAsync($"/api/v1/contacts/{contact.GetProperty("id").GetString()}/events")).JsonAsync();
        var stored = Assert.Single(events.EnumerateArray());
        Assert.Equal("tag.added", stored.GetProperty("type").GetString());
        Assert.Equal("vip", stored.GetProperty("properties").GetProperty("tag").GetString());
    }

    [Fact]
    public async Task Unknown_event_type_is_a_400_naming_the_field_and_nothing_is_stored()
    {
        var body = Body.Replace("tag.added", "tag.exploded", StringComparison.Ordinal);

        var response = await PostAsync(body, Sign(body, Secret));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.JsonAsync();
        Assert.True(problem.GetProperty("errors").TryGetProperty("events[0].type", out _), problem.ToString());
        Assert.Empty(await _app.ContactsAsync(_ws, "ada@example.com"));
    }

    [Fact]
    public async Task Key_in_the_query_string_is_accepted_as_webhooks_send_it()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/sources/scorehub.tags?key={_ws.IngestKey}")
        {
            Content = new StringContent(Body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-ScoreHub-Signature", Sign(Body, Secret));

        var response = await _app.Client().SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<HttpResponseMessage> PostAsync(string body, string? signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/sources/scorehub.tags")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (signature is not null)
        {
            request.Headers.Add("X-ScoreHub-Signature", signature);
        }

        return await _app.Client(_ws.IngestKey).SendAsync(request);
    }

    private static string Sign(string body, string secret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));
}
