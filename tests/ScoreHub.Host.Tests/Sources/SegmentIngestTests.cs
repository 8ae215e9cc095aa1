using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ScoreHub.Host.Tests.Support;
using PluginApi = ScoreHub.Host.Tests.Plugins.PluginApi;

namespace ScoreHub.Host.Tests.Sources;

public sealed class SegmentIngestTests : IAsyncLifetime, IDisposable
{
    private const string Batch = """
        {"writeKey":"ignored-the-header-authenticates","sentAt":"2026-03-01T10:00:10Z","batch":[
          {"type":"identify","messageId":"m-1","userId":"u-42","anonymousId":"anon-7","timestamp":"2026-03-01T10:00:00Z",
           "traits":{"email":"ada@example.com","name":"Ada Lovelace","title":"CTO"}},
          {"type":"track","messageId":"m-2","userId":"u-42","event":"Order Completed","timestamp":"2026-03-01T10:00:01Z",
           "properties":{"orderId":"o-1","revenue":99.5,"currency":"EUR","shipping":{"city":"Rotterdam"}}},
          {"type":"page","messageId":"m-3","anonymousId":"anon-7","name":"Pricing","timestamp":"2026-03-01T10:00:02Z",
           "context":{"page":{"url":"https://acme.example/pricing","title":"Pricing"},"campaign":{"name":"spring","source":"newsletter"}}},
          {"type":"group","messageId":"m-4","userId":"u-42","groupId":"acme","timestamp":"2026-03-01T10:00:03Z",
           "traits":{"name":"Acme","employees":240}}
        ]}
        """;

    private readonly ScoreHubApp _app = new(pluginsDirectory: PluginDirectories.CopyOf(PluginDirectories.FirstParty, "ScoreHub.Plugins.Segment"));
    private TestWorkspace _ws = null!;

    public async Task InitializeAsync()
    {
        _ws = await _app.CreateWorkspaceAsync();
        await PluginApi.ActivateOrFailAsync(_app, _ws, "scorehub.segment", new { });
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Batch_is_answered_as_segment_does_and_every_message_is_stored_for_the_contact()
    {
        var response = await PostAsync("/v1/batch", Batch);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"success":true}""", await response.Content.ReadAsStringAsync());

        var contact = await ContactAsync("u-42");
        Assert.Equal("ada@example.com", contact.GetProperty("email").GetString());
        Assert.Equal(["anon-7"], contact.GetProperty("anonymousIds").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal("acme", contact.GetProperty("companyId").GetString());
        Assert.Equal("""{"name":"Ada Lovelace","title":"CTO"}""", contact.GetProperty("properties").GetRawText());

        // Times are the client's, corrected by sentAt (10:00:10 on the client = 09:00 on the host's clock).
        Assert.Equal(
            [
                ("m-1", "contact.identified", "2026-03-02T08:59:50+00:00", "{}"),
                ("m-2", "checkout.completed", "2026-03-02T08:59:51+00:00", """{"orderId":"o-1","revenue":"99.5","currency":"EUR","shipping.city":"Rotterdam"}"""),
                ("m-3", "web.page_viewed", "2026-03-02T08:59:52+00:00",
                    """{"name":"Pricing","url":"https://acme.example/pricing","title":"Pricing","campaign":"spring","utmCampaign":"spring","utmSource":"newsletter"}"""),
                ("m-4", "company.linked", "2026-03-02T08:59:53+00:00", """{"groupId":"acme"}"""),
            ],
            await EventsAsync("u-42"));
    }

    [Fact]
    public async Task Reposting_the_same_message_ids_stores_each_message_once()
    {
        var first = await PostAsync("/v1/batch", Batch);
        var again = await PostAsync("/v1/batch", Batch);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(["m-1", "m-2", "m-3", "m-4"], (await EventsAsync("u-42")).Select(e => e.Id));
        Assert.Equal(4, (await WorkspaceAsync()).GetProperty("events").GetInt32());
    }

    [Fact]
    public async Task Event_over_32_KB_is_a_400_naming_the_item_and_nothing_from_the_batch_is_stored()
    {
        var big = $$$"""{"type":"track","messageId":"m-9","userId":"u-42","event":"Big","properties":{"blob":"{{{new string('x', 33_000)}}}"}}""";
        var body = Batch.Replace("\n]}", "," + big + "]}", StringComparison.Ordinal);

        var response = await PostAsync("/v1/batch", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.JsonAsync();
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.Equal(["batch[4]"], Api.ErrorNames(problem));
        Assert.EndsWith("the limit is 32 KB (32768 bytes) per event. Nothing was stored.", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, (await WorkspaceAsync()).GetProperty("events").GetInt32());
    }

    [Fact]
    public async Task Batch_over_500_KB_is_a_400_naming_the_batch_and_nothing_is_stored()
    {
        var item = """{"type":"track","messageId":"m-ID","userId":"u-42","event":"A","properties":{"a":"PAD","b":"PAD","c":"PAD"}}""";
        var items = Enumerable.Range(0, 23).Select(i => item.Replace("ID", i.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("PAD", new string('x', 8_000), StringComparison.Ordinal));
        var body = $$"""{"batch":[{{string.Join(',', items)}}]}""";
        Assert.InRange(body.Length, 500 * 1024 + 1, 600 * 1024);

        var response = await PostAsync("/v1/batch", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.JsonAsync();
        Assert.Equal(["batch"], Api.ErrorNames(problem));
        Assert.Equal("The request is larger than 500 KB (512000 bytes); nothing was stored.", problem.GetProperty("detail").GetString());
        Assert.Equal(0, (await WorkspaceAsync()).GetProperty("events").GetInt32());
    }

    [Fact]
    public async Task Malformed_message_is_a_400_problem_naming_the_field_and_nothing_from_the_batch_is_stored()
    {
        var body = Batch.Replace("\"groupId\":\"acme\",", "", StringComparison.Ordinal);

        var response = await PostAsync("/v1/batch", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.JsonAsync();
        Assert.Equal("Invalid payload", problem.GetProperty("title").GetString());
        Assert.Equal(["batch[3].groupId"], Api.ErrorNames(problem));
        Assert.Equal(0, (await WorkspaceAsync()).GetProperty("events").GetInt32());
    }

    [Fact]
    public async Task Gzip_body_with_content_encoding_is_accepted()
    {
        using var content = new ByteArrayContent(Gzip(Batch));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        content.Headers.ContentEncoding.Add("gzip");

        var response = await SendAsync("/v1/batch", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(4, (await EventsAsync("u-42")).Length);
    }

    [Fact]
    public async Task Gzip_body_labelled_only_as_form_urlencoded_is_recognised_by_its_magic_bytes()
    {
        using var content = new ByteArrayContent(Gzip(Batch));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");

        var response = await SendAsync("/v1/batch", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(4, (await EventsAsync("u-42")).Length);
    }

    [Theory]
    [InlineData("/v1/track", """{"messageId":"t-1","userId":"u-1","event":"Email Opened","properties":{"campaign":"nurture-1"}}""", "email.opened")]
    [InlineData("/v1/identify", """{"messageId":"t-1","userId":"u-1","traits":{"title":"CMO"}}""", "contact.identified")]
    [InlineData("/v1/page", """{"messageId":"t-1","userId":"u-1","properties":{"url":"https://acme.example/demo"}}""", "web.page_viewed")]
    [InlineData("/v1/screen", """{"messageId":"t-1","userId":"u-1","name":"Home"}""", "app.screen_viewed")]
    [InlineData("/v1/group", """{"messageId":"t-1","userId":"u-1","groupId":"acme"}""", "company.linked")]
    [InlineData("/v1/alias", """{"messageId":"t-1","userId":"u-1","previousId":"anon-1"}""", "contact.aliased")]
    public async Task Each_single_call_route_stores_its_message(string path, string body, string type)
    {
        var response = await PostAsync(path, body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([("t-1", type)], (await EventsAsync("u-1")).Select(e => (e.Id, e.Type)));
    }

    [Fact]
    public async Task Group_links_the_contact_to_the_company()
    {
        await PostAsync("/v1/identify", """{"messageId":"i-1","userId":"u-7","traits":{"email":"sam@example.com"}}""");

        var response = await PostAsync("/v1/group", """{"messageId":"g-1","userId":"u-7","groupId":"globex","traits":{"name":"Globex"}}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var contact = Assert.Single(await PluginApi.ContactsAsync(_app, _ws, "sam@example.com"));
        Assert.Equal("globex", contact.GetProperty("companyId").GetString());
    }

    [Fact]
    public async Task Alias_merges_the_anonymous_visitors_history_into_the_user()
    {
        await PostAsync("/v1/page", """{"messageId":"p-1","anonymousId":"anon-9","properties":{"url":"https://acme.example/pricing"}}""");
        await PostAsync("/v1/identify", """{"messageId":"i-1","userId":"u-9","traits":{"email":"kim@example.com"}}""");

        var response = await PostAsync("/v1/alias", """{"messageId":"a-1","userId":"u-9","previousId":"anon-9"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["a-1", "i-1", "p-1"], (await EventsAsync("u-9")).Select(e => e.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Wrong_write_key_is_a_401_and_nothing_is_stored()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/batch") { Content = new StringContent(Batch, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = Basic("shk_ingest_not-a-real-key");

        var response = await _app.Client().SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, (await WorkspaceAsync()).GetProperty("events").GetInt32());
    }

    [Fact]
    public async Task Write_key_only_in_the_body_is_a_401_because_the_header_authenticates()
    {
        var body = Batch.Replace("ignored-the-header-authenticates", _ws.IngestKey, StringComparison.Ordinal);

        var response = await _app.Client().PostAsync("/v1/batch", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Feed_key_may_not_ingest()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/batch") { Content = new StringContent(Batch, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = Basic(_ws.FeedKey);

        var response = await _app.Client().SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Workspace_without_the_segment_source_active_gets_a_404_naming_the_plugin()
    {
        var other = await _app.CreateWorkspaceAsync("Other");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/batch") { Content = new StringContent(Batch, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = Basic(other.IngestKey);

        var response = await _app.Client().SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("No signal source 'scorehub.segment' is active in this workspace.", (await response.JsonAsync()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Event_map_setting_takes_effect_on_the_next_call()
    {
        await PluginApi.ActivateOrFailAsync(_app, _ws, "scorehub.segment", new { eventMap = new Dictionary<string, string> { ["Demo Requested"] = "web.form_submitted" } });

        await PostAsync("/v1/track", """{"messageId":"t-1","userId":"u-1","event":"Demo Requested"}""");
        await PostAsync("/v1/track", """{"messageId":"t-2","userId":"u-1","event":"Webinar Attended"}""");

        Assert.Equal([("t-1", "web.form_submitted"), ("t-2", "track.webinar_attended")], (await EventsAsync("u-1")).Select(e => (e.Id, e.Type)));
    }

    [Fact]
    public async Task The_generic_sources_route_reaches_the_same_plugin()
    {
        var response = await _app.Client(_ws.IngestKey).PostAsync(
            "/api/v1/sources/scorehub.segment/v1/batch", new StringContent(Batch, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(4, (await response.JsonAsync()).GetProperty("stored").GetInt32());
    }

    private Task<HttpResponseMessage> PostAsync(string path, string body) =>
        SendAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));

    private async Task<HttpResponseMessage> SendAsync(string path, HttpContent content)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.Authorization = Basic(_ws.IngestKey);
        return await _app.Client().SendAsync(request);
    }

    /// <summary>What Segment's clients send: the write key as the user name, no password.</summary>
    private static AuthenticationHeaderValue Basic(string key) => new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(key + ":")));

    private async Task<JsonElement> ContactAsync(string externalId) =>
        await _app.Client(_ws.SecretKey).GetJsonAsync($"/api/v1/contacts/{externalId}");

    private async Task<(string Id, string Type, string OccurredAt, string Properties)[]> EventsAsync(string externalId)
    {
        var events = await _app.Client(_ws.SecretKey).GetJsonAsync($"/api/v1/contacts/{externalId}/events");
        return [.. events.EnumerateArray().Select(e => (
            e.GetProperty("id").GetString()!,
            e.GetProperty("type").GetString()!,
            e.GetProperty("occurredAt").GetDateTimeOffset().ToString("yyyy-MM-ddTHH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture),
            e.GetProperty("properties").GetRawText()))];
    }

    private async Task<JsonElement> WorkspaceAsync() => await _app.Client(_ws.SecretKey).GetJsonAsync("/api/v1/workspaces/current");

    private static byte[] Gzip(string text)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }

        return output.ToArray();
    }
}
