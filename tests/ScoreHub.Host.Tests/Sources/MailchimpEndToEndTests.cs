using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ScoreHub.Host.Tests.Plugins;
using ScoreHub.Host.Tests.Support;

namespace ScoreHub.Host.Tests.Sources;

/// <summary>Mailchimp's audience webhook through a real in-memory host: URL validation, form bodies, retries.</summary>
public sealed class MailchimpEndToEndTests : IAsyncLifetime, IDisposable
{
    private const string Secret = "mc-webhook-secret-0123";

    private const string Subscribe =
        "type=subscribe&fired_at=2026-03-01+10%3A00%3A00&data%5Bid%5D=8a25ff1d98&data%5Blist_id%5D=a6b5da1054" +
        "&data%5Bemail%5D=ada%40example.com&data%5Bemail_type%5D=html&data%5Bmerges%5D%5BEMAIL%5D=ada%40example.com" +
        "&data%5Bmerges%5D%5BFNAME%5D=Ada&data%5Bmerges%5D%5BLNAME%5D=Lovelace&data%5Bmerges%5D%5BCOMPANY%5D=Analytical+Engines" +
        "&data%5Bip_opt%5D=10.20.10.30&data%5Bip_signup%5D=10.20.10.30";

    private const string Profile =
        "type=profile&fired_at=2026-03-01+12%3A00%3A00&data%5Bid%5D=8a25ff1d98&data%5Blist_id%5D=a6b5da1054" +
        "&data%5Bemail%5D=ada%40example.com&data%5Bmerges%5D%5BFNAME%5D=Ada&data%5Bmerges%5D%5BLNAME%5D=King&data%5Bmerges%5D%5BJOBTITLE%5D=CTO";

    private readonly ScoreHubApp _app = new(pluginsDirectory: PluginDirectories.CopyOf(PluginDirectories.FirstParty, "ScoreHub.Plugins.Mailchimp"));
    private TestWorkspace _ws = null!;

    public async Task InitializeAsync()
    {
        _ws = await _app.CreateWorkspaceAsync();
        await _app.ActivateOrFailAsync(_ws, "scorehub.mailchimp", new { secret = Secret });
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Secret_is_never_returned()
    {
        var plugin = await _app.PluginAsync(_ws, "scorehub.mailchimp");

        Assert.Equal("***", plugin.GetProperty("activation").GetProperty("settings").GetProperty("secret").GetString());
    }

    [Fact]
    public async Task Mailchimps_validation_get_is_answered_200()
    {
        var response = await _app.Client().GetAsync(Url(Secret));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Validation_get_with_a_wrong_secret_is_a_401()
    {
        var response = await _app.Client().GetAsync(Url("mc-webhook-secret-9999"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Subscribe_is_stored_with_merge_fields_as_contact_properties_and_a_retry_is_stored_once()
    {
        var first = await PostAsync(Subscribe, Secret);
        var retry = await PostAsync(Subscribe, Secret);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(1, (await ReadJsonAsync(first)).GetProperty("stored").GetInt32());
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        var retryResult = await ReadJsonAsync(retry);
        Assert.Equal(0, retryResult.GetProperty("stored").GetInt32());
        Assert.Equal(["duplicate"], Api.Statuses(retryResult));

        var contact = Assert.Single(await _app.ContactsAsync(_ws, "ada@example.com"));
        Assert.Equal(1, contact.GetProperty("eventCount").GetInt32());
        Assert.Equal(
            new Dictionary<string, string> { ["firstName"] = "Ada", ["lastName"] = "Lovelace", ["company"] = "Analytical Engines" },
            contact.GetProperty("properties").Deserialize<Dictionary<string, string>>());
        var stored = Assert.Single((await _app.Client(_ws.SecretKey).GetJsonAsync($"/api/v1/contacts/{contact.GetProperty("id").GetString()}/events")).EnumerateArray());
        Assert.Equal("email.subscribed", stored.GetProperty("type").GetString());
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero), stored.GetProperty("occurredAt").GetDateTimeOffset());
        Assert.Equal("a6b5da1054", stored.GetProperty("properties").GetProperty("list").GetString());
    }

    [Fact]
    public async Task Profile_update_changes_the_contacts_properties()
    {
        await PostAsync(Subscribe, Secret);

        var response = await PostAsync(Profile, Secret);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var contact = Assert.Single(await _app.ContactsAsync(_ws, "ada@example.com"));
        Assert.Equal(
            new Dictionary<string, string> { ["firstName"] = "Ada", ["lastName"] = "King", ["company"] = "Analytical Engines", ["jobTitle"] = "CTO" },
            contact.GetProperty("properties").Deserialize<Dictionary<string, string>>());
        Assert.Equal(2, contact.GetProperty("eventCount").GetInt32());
    }

    [Fact]
    public async Task Post_with_a_wrong_secret_is_a_401_and_nothing_is_stored()
    {
        var response = await PostAsync(Subscribe, "mc-webhook-secret-9999");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("The 'secret' query parameter is missing or does not match the configured secret.",
            (await ReadJsonAsync(response)).GetProperty("detail").GetString());
        Assert.Empty(await _app.ContactsAsync(_ws, "ada@example.com"));
    }

    [Fact]
    public async Task Bad_fired_at_is_a_400_naming_the_field_and_nothing_is_stored()
    {
        var body = Subscribe.Replace("2026-03-01+10%3A00%3A00", "yesterday", StringComparison.Ordinal);

        var response = await PostAsync(body, Secret);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["fired_at"], Api.ErrorNames(await ReadJsonAsync(response)));
        Assert.Empty(await _app.ContactsAsync(_ws, "ada@example.com"));
    }

    private string Url(string secret) => $"/api/v1/sources/scorehub.mailchimp?key={_ws.IngestKey}&secret={secret}";

    private Task<HttpResponseMessage> PostAsync(string form, string secret) =>
        _app.Client().PostAsync(Url(secret), new StringContent(form, Encoding.UTF8, "application/x-www-form-urlencoded"));

    // Support.Api and Plugins.PluginApi both define JsonAsync(); this folder imports both.
    private static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>();
}
