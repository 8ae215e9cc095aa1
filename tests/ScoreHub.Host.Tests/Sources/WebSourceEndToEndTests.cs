using System.Net;
using System.Text;
using ScoreHub.Host.Tests.Plugins;
using ScoreHub.Host.Tests.Support;

namespace ScoreHub.Host.Tests.Sources;

/// <summary>The snippet's endpoint and the web source through the in-memory host, without a browser.</summary>
public sealed class WebSourceEndToEndTests : IAsyncLifetime, IDisposable
{
    private const string Chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    private const string Hit =
        """{"id":"hit-1","type":"pageview","anonymousId":"anon-1","url":"https://www.acme.test/?utm_source=facebook&utm_campaign=spring","title":"Acme"}""";

    private static readonly string[] AcmeOnly = ["acme.test"];

    private readonly ScoreHubApp _app = WebTracking.NewApp();
    private TestWorkspace _ws = null!;

    public async Task InitializeAsync() => _ws = await WebTracking.ActivateAsync(_app);

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Snippet_is_served_without_a_key_as_cacheable_javascript()
    {
        var response = await _app.Client().GetAsync("/t.js");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/javascript", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("public, max-age=3600", response.Headers.CacheControl!.ToString());
        Assert.NotNull(response.Headers.ETag);
        var script = await response.Content.ReadAsStringAsync();
        Assert.Contains("/api/v1/sources/scorehub.web/collect?key=", script, StringComparison.Ordinal);
        Assert.Contains("data-key", script, StringComparison.Ordinal);
        Assert.InRange(Encoding.UTF8.GetByteCount(script), 1_000, 8_000);
    }

    [Fact]
    public async Task Unchanged_snippet_is_answered_304_not_modified()
    {
        var first = await _app.Client().GetAsync("/t.js");
        using var again = new HttpRequestMessage(HttpMethod.Get, "/t.js");
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);

        var response = await _app.Client().SendAsync(again);

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Hit_sent_as_text_plain_from_another_origin_with_the_key_in_the_query_is_stored()
    {
        var response = await CollectAsync(Hit, Chrome);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, (await Api.JsonAsync(response)).GetProperty("stored").GetInt32());
        // A beacon does not read the answer, so the host needs no CORS headers for it.
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
        var contact = Assert.Single(await _app.AllContactsAsync(_ws));
        Assert.Equal(["anon-1"], contact.GetProperty("anonymousIds").EnumerateArray().Select(a => a.GetString()));
        var events = await _app.EventsAsync(_ws, contact);
        Assert.Equal(["social.clicked", "web.page_viewed"], WebTracking.Types(events));
        Assert.Equal("facebook", events.Single(e => e.GetProperty("type").GetString() == "social.clicked").Property("network"));
    }

    [Fact]
    public async Task Resent_hit_is_stored_once()
    {
        await CollectAsync(Hit, Chrome);

        var again = await Api.JsonAsync(await CollectAsync(Hit, Chrome));

        Assert.Equal((0, 2), (again.GetProperty("stored").GetInt32(), again.GetProperty("duplicates").GetInt32()));
        Assert.Equal(2, Assert.Single(await _app.AllContactsAsync(_ws)).GetProperty("eventCount").GetInt32());
    }

    [Fact]
    public async Task Bot_hit_is_answered_200_and_nothing_is_stored()
    {
        var response = await CollectAsync(Hit, "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, (await Api.JsonAsync(response)).GetProperty("stored").GetInt32());
        Assert.Empty(await _app.AllContactsAsync(_ws));
    }

    [Fact]
    public async Task Malformed_hit_is_a_400_naming_the_field_and_nothing_is_stored()
    {
        var response = await CollectAsync(Hit.Replace("\"pageview\"", "\"scroll\"", StringComparison.Ordinal), Chrome);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["type"], Api.ErrorNames(await Api.JsonAsync(response)));
        Assert.Empty(await _app.AllContactsAsync(_ws));
    }

    [Fact]
    public async Task Link_secret_is_never_returned_and_a_short_one_is_refused()
    {
        var plugin = await _app.PluginAsync(_ws, WebTracking.PluginId);
        var refused = await _app.ActivateAsync(_ws, WebTracking.PluginId, new { linkSecret = "short" });

        Assert.Equal("***", plugin.GetProperty("activation").GetProperty("settings").GetProperty("linkSecret").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(["settings.linkSecret"], Api.ErrorNames(await Api.JsonAsync(refused)));
    }

    [Fact]
    public async Task Hits_for_a_workspace_that_has_not_activated_the_plugin_are_404()
    {
        var other = await _app.CreateWorkspaceAsync("Other");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/sources/scorehub.web/collect?key={other.IngestKey}")
        {
            Content = new StringContent(Hit, Encoding.UTF8, "text/plain"),
        };
        request.Headers.UserAgent.ParseAdd(Chrome);

        var response = await _app.Client().SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task With_allowed_origins_a_hit_from_another_site_gets_403_problem_details_and_nothing_is_stored()
    {
        await _app.ActivateOrFailAsync(_ws, WebTracking.PluginId, new { linkSecret = WebTracking.LinkSecret, allowedOrigins = AcmeOnly });

        var refused = await CollectAsync(Hit, Chrome, origin: "https://copycat.example");
        var accepted = await CollectAsync(Hit, Chrome); // from www.acme.test

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType!.MediaType);
        Assert.Equal(["Origin"], Api.ErrorNames(await Api.JsonAsync(refused)));
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        var contact = Assert.Single(await _app.AllContactsAsync(_ws));
        Assert.Equal(["social.clicked", "web.page_viewed"], WebTracking.Types(await _app.EventsAsync(_ws, contact)));
    }

    private async Task<HttpResponseMessage> CollectAsync(string body, string userAgent, string origin = "https://www.acme.test")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/sources/scorehub.web/collect?key={_ws.IngestKey}")
        {
            Content = new StringContent(body, Encoding.UTF8, "text/plain"),
        };
        request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        request.Headers.Add("Origin", origin);
        return await _app.Client().SendAsync(request);
    }
}
