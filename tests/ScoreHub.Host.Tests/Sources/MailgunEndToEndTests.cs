using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ScoreHub.Host.Tests.Plugins;
using ScoreHub.Host.Tests.Support;

namespace ScoreHub.Host.Tests.Sources;

/// <summary>Mailgun webhooks through a real in-memory host on its fake clock: retries, replays and stale signatures.</summary>
public sealed class MailgunEndToEndTests : IAsyncLifetime, IDisposable
{
    private const string SigningKey = "key-3ax6xnjp29jd6fds4gc373sgvjxteol0";

    private const string Opened = """
        {"id":"CPgfbmQMTCKtHW6uIWtuVe","timestamp":1772359200.25,"event":"opened","recipient":"ada@example.com",
         "tags":["nurture"],"message":{"headers":{"message-id":"20260301095959.1.ABC@mg.example.com"}}}
        """;

    private const string Clicked = """
        {"id":"Ase7i2zsRYeDXztHGENqRA","timestamp":1772359260,"event":"clicked","recipient":"ada@example.com",
         "url":"https://example.com/pricing","message":{"headers":{"message-id":"20260301095959.1.ABC@mg.example.com"}}}
        """;

    private readonly ScoreHubApp _app = new(pluginsDirectory: PluginDirectories.CopyOf(PluginDirectories.FirstParty, "ScoreHub.Plugins.Mailgun"));
    private TestWorkspace _ws = null!;

    public async Task InitializeAsync()
    {
        _ws = await _app.CreateWorkspaceAsync();
        await _app.ActivateOrFailAsync(_ws, "scorehub.mailgun", new { signingKey = SigningKey });
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Signed_open_is_stored_and_a_resend_is_stored_once()
    {
        var body = Body(Opened, "token-1");

        var first = await PostAsync(body);
        var resend = await PostAsync(body);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, resend.StatusCode);
        Assert.Equal(["duplicate"], Api.Statuses(await ReadJsonAsync(resend)));
        var contact = Assert.Single(await _app.ContactsAsync(_ws, "ada@example.com"));
        var stored = Assert.Single((await _app.Client(_ws.SecretKey).GetJsonAsync($"/api/v1/contacts/{contact.GetProperty("id").GetString()}/events")).EnumerateArray());
        Assert.Equal(("CPgfbmQMTCKtHW6uIWtuVe", "email.opened"), (stored.GetProperty("id").GetString(), stored.GetProperty("type").GetString()));
    }

    [Fact]
    public async Task Captured_signature_reused_with_another_event_is_a_401_and_nothing_more_is_stored()
    {
        await PostAsync(Body(Opened, "token-2"));

        var replay = await PostAsync(Body(Clicked, "token-2"));

        Assert.Equal(HttpStatusCode.Unauthorized, replay.StatusCode);
        Assert.Equal("'signature.token' was already used with another body; replayed signatures are refused.",
            (await ReadJsonAsync(replay)).GetProperty("detail").GetString());
        Assert.Equal(1, Assert.Single(await _app.ContactsAsync(_ws, "ada@example.com")).GetProperty("eventCount").GetInt32());
    }

    [Fact]
    public async Task Request_signed_more_than_five_minutes_ago_is_a_401_and_nothing_is_stored()
    {
        var body = Body(Opened, "token-3");
        _app.Clock.Advance(TimeSpan.FromMinutes(6));

        var response = await PostAsync(body);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(await _app.ContactsAsync(_ws, "ada@example.com"));
    }

    private string Body(string eventData, string token)
    {
        var timestamp = _app.Clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(SigningKey), Encoding.UTF8.GetBytes(timestamp + token)));
        return $$"""{"signature":{"timestamp":"{{timestamp}}","token":"{{token}}","signature":"{{signature}}"},"event-data":{{eventData}}}""";
    }

    private Task<HttpResponseMessage> PostAsync(string body) =>
        _app.Client().PostAsync($"/api/v1/sources/scorehub.mailgun?key={_ws.IngestKey}", new StringContent(body, Encoding.UTF8, "application/json"));

    // Support.Api and Plugins.PluginApi both define JsonAsync(); this folder imports both.
    private static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>();
}
