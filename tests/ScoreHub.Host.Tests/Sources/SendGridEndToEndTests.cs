using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ScoreHub.Host.Tests.Plugins;
using ScoreHub.Host.Tests.Support;

namespace ScoreHub.Host.Tests.Sources;

/// <summary>SendGrid's signed Event Webhook through a real in-memory host, from activation to the stored events.</summary>
public sealed class SendGridEndToEndTests : IAsyncLifetime, IDisposable
{
    private const string Timestamp = "1772442000";

    /// <summary>What SendGrid posts after a nurture mail: processed, delivered, a human open, a machine open and a click.</summary>
    private const string Batch = """
        [
          {"email":"ada@example.com","timestamp":1772359200,"event":"processed","sg_event_id":"sg-processed-1","sg_message_id":"msg-1","category":"nurture"},
          {"email":"ada@example.com","timestamp":1772359205,"event":"delivered","sg_event_id":"sg-delivered-1","sg_message_id":"msg-1","category":"nurture","response":"250 OK"},
          {"email":"ada@example.com","timestamp":1772359260,"event":"open","sg_machine_open":false,"sg_event_id":"sg-open-1","sg_message_id":"msg-1","category":"nurture","marketing_campaign_name":"Spring nurture"},
          {"email":"ada@example.com","timestamp":1772359270,"event":"open","sg_machine_open":true,"sg_event_id":"sg-open-2","sg_message_id":"msg-1","category":"nurture","marketing_campaign_name":"Spring nurture"},
          {"email":"ada@example.com","timestamp":1772359320,"event":"click","sg_event_id":"sg-click-1","sg_message_id":"msg-1","category":"nurture","marketing_campaign_name":"Spring nurture","url":"https://example.com/pricing"}
        ]
        """;

    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ScoreHubApp _app = new(pluginsDirectory: PluginDirectories.CopyOf(PluginDirectories.FirstParty, "ScoreHub.Plugins.SendGrid", "ScoreHub.Plugins.Points"));
    private TestWorkspace _ws = null!;

    private string PublicKey => Convert.ToBase64String(_key.ExportSubjectPublicKeyInfo());

    public async Task InitializeAsync()
    {
        _ws = await _app.CreateWorkspaceAsync();
        await _app.ActivateOrFailAsync(_ws, "scorehub.sendgrid", new { publicKey = PublicKey });
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _app.Dispose();
        _key.Dispose();
    }

    [Fact]
    public async Task Key_that_is_not_a_p256_public_key_is_rejected_at_activation()
    {
        var response = await _app.ActivateAsync(_ws, "scorehub.sendgrid", new { publicKey = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["'publicKey' must be the base64 ECDSA P-256 public key SendGrid shows for the Signed Event Webhook."],
            (await ReadJsonAsync(response)).GetProperty("errors").GetProperty("settings.publicKey").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Signed_batch_stores_opens_and_clicks_and_a_retry_is_stored_once()
    {
        var first = await PostAsync(Batch, Sign(Batch));
        var retry = await PostAsync(Batch, Sign(Batch));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var firstResult = await ReadJsonAsync(first);
        Assert.Equal(3, firstResult.GetProperty("stored").GetInt32());
        Assert.Equal(["stored", "stored", "stored"], Api.Statuses(firstResult));
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        var retryResult = await ReadJsonAsync(retry);
        Assert.Equal(0, retryResult.GetProperty("stored").GetInt32());
        Assert.Equal(3, retryResult.GetProperty("duplicates").GetInt32());

        var events = await EventsOfAsync("ada@example.com");
        Assert.Equal(
            [
                ("sg-open-1", "email.opened", "2026-03-01T10:01:00+00:00"),
                ("sg-open-2", "email.machine_opened", "2026-03-01T10:01:10+00:00"),
                ("sg-click-1", "email.clicked", "2026-03-01T10:02:00+00:00"),
            ],
            events.Select(e => (e.GetProperty("id").GetString(), e.GetProperty("type").GetString(), e.GetProperty("occurredAt").GetDateTimeOffset().ToString("yyyy-MM-ddTHH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture))));
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["emailId"] = "msg-1",
                ["campaign"] = "Spring nurture",
                ["category"] = "nurture",
                ["url"] = "https://example.com/pricing",
            },
            events[2].GetProperty("properties").Deserialize<Dictionary<string, string>>());
    }

    [Fact]
    public async Task With_machine_opens_scored_a_machine_open_is_stored_as_an_open_marked_machineOpen()
    {
        await _app.ActivateOrFailAsync(_ws, "scorehub.sendgrid", new { publicKey = PublicKey, scoreMachineOpens = true });

        var response = await PostAsync(Batch, Sign(Batch));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var machineOpen = Assert.Single(await EventsOfAsync("ada@example.com"), e => e.GetProperty("id").GetString() == "sg-open-2");
        Assert.Equal("email.opened", machineOpen.GetProperty("type").GetString());
        Assert.Equal("true", machineOpen.GetProperty("properties").GetProperty("machineOpen").GetString());
    }

    [Theory]
    [InlineData(false, 7)]
    [InlineData(true, 9)]
    public async Task Machine_open_earns_email_opened_points_only_when_the_workspace_opts_in(bool scoreMachineOpens, double expected)
    {
        await _app.ActivateOrFailAsync(_ws, "scorehub.sendgrid", new { publicKey = PublicKey, scoreMachineOpens });
        var client = _app.Client(_ws.SecretKey);
        var model = new
        {
            name = "Email engagement",
            kind = "engagement",
            groups = new object[]
            {
                new { name = "Email", rules = new object[] { new { @event = "email.opened", points = 2 }, new { @event = "email.clicked", points = 5 } } },
            },
        };
        Assert.Equal(HttpStatusCode.OK, (await client.PutAsJsonAsync("/api/v1/scores/email", model)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/api/v1/scores/email/publish", null)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await PostAsync(Batch, Sign(Batch))).StatusCode);

        var contact = Assert.Single(await _app.ContactsAsync(_ws, "ada@example.com"));
        var scores = await client.GetJsonAsync($"/api/v1/contacts/{contact.GetProperty("id").GetString()}/scores");
        Assert.Equal(expected, Assert.Single(scores.EnumerateArray()).GetProperty("value").GetDouble());
    }

    [Fact]
    public async Task Batch_signed_by_another_key_is_a_401_and_nothing_is_stored()
    {
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var response = await PostAsync(Batch, Sign(Batch, other));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var problem = await ReadJsonAsync(response);
        Assert.Equal("Invalid signature", problem.GetProperty("title").GetString());
        Assert.Equal("The X-Twilio-Email-Event-Webhook-Signature header does not match the timestamp and body.", problem.GetProperty("detail").GetString());
        Assert.Empty(await _app.ContactsAsync(_ws, "ada@example.com"));
    }

    [Fact]
    public async Task Click_without_a_url_is_a_400_naming_the_field_and_nothing_in_the_batch_is_stored()
    {
        var body = Batch.Replace(",\"url\":\"https://example.com/pricing\"", "", StringComparison.Ordinal);

        var response = await PostAsync(body, Sign(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await ReadJsonAsync(response);
        Assert.Equal(["'[4].url' must be a non-empty string for a click."],
            problem.GetProperty("errors").GetProperty("[4].url").EnumerateArray().Select(e => e.GetString()));
        Assert.Empty(await _app.ContactsAsync(_ws, "ada@example.com"));
    }

    private async Task<JsonElement[]> EventsOfAsync(string email)
    {
        var contact = Assert.Single(await _app.ContactsAsync(_ws, email));
        var events = await _app.Client(_ws.SecretKey).GetJsonAsync($"/api/v1/contacts/{contact.GetProperty("id").GetString()}/events");
        return [.. events.EnumerateArray()];
    }

    /// <summary>As SendGrid calls it: the ingest key in the URL, the signature in its two headers.</summary>
    private async Task<HttpResponseMessage> PostAsync(string body, string signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/sources/scorehub.sendgrid?key={_ws.IngestKey}")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Twilio-Email-Event-Webhook-Signature", signature);
        request.Headers.Add("X-Twilio-Email-Event-Webhook-Timestamp", Timestamp);
        return await _app.Client().SendAsync(request);
    }

    private string Sign(string body, ECDsa? key = null) =>
        Convert.ToBase64String((key ?? _key).SignData(Encoding.UTF8.GetBytes(Timestamp + body), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));

    // Support.Api and Plugins.PluginApi both define JsonAsync(); this folder imports both.
    private static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>();
}
