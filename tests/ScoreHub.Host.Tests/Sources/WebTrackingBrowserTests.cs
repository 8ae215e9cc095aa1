using System.Text.Json;
using Microsoft.Playwright;
using ScoreHub.Host.Tests.Support;

namespace ScoreHub.Host.Tests.Sources;

/// <summary>
/// The snippet in a real headless Chromium, on a test site served from another origin than the host: what a
/// marketer's website does, end to end, through the real plugin and ledger.
/// </summary>
public sealed class WebTrackingBrowserTests : IAsyncLifetime
{
    private readonly ScoreHubApp _app = WebTracking.NewApp();
    private TestWorkspace _ws = null!;
    private TestSite _site = null!;
    private Chromium _chromium = null!;

    public async Task InitializeAsync()
    {
        _app.UseKestrel(0);
        _app.StartServer();
        _ws = await WebTracking.ActivateAsync(_app);
        _site = await TestSite.StartAsync(_app.Client().BaseAddress!, _ws.IngestKey);
        _chromium = await Chromium.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        await _chromium.DisposeAsync();
        await _site.DisposeAsync();
        _app.Dispose();
    }

    [Fact]
    public async Task Visitor_from_a_linkedin_post_who_books_a_demo_becomes_one_contact_with_the_whole_history_and_an_email_link_finds_them_again()
    {
        // 1. Arrives from a LinkedIn post: an anonymous visitor with a page view and a social click-through.
        var visitor = await _chromium.NewVisitorAsync();
        var page = await visitor.NewPageAsync();
        await page.GotoAsync(_site.Url("/landing.html?utm_source=linkedin&utm_medium=social&utm_campaign=launch").ToString());

        var anonymous = await WebTracking.EventuallyAsync(async () =>
            (await _app.AllContactsAsync(_ws)).SingleOrDefault(c => c.GetProperty("eventCount").GetInt32() == 2) is { ValueKind: JsonValueKind.Object } c ? c : (JsonElement?)null,
            "the landing page view and the social click");
        var anonymousId = await page.EvaluateAsync<string>("() => localStorage.getItem('sh_aid')");
        Assert.False(string.IsNullOrEmpty(anonymousId));
        Assert.Equal(anonymousId, (await visitor.CookiesAsync()).Single(c => c.Name == "sh_aid").Value);
        Assert.Equal(JsonValueKind.Null, anonymous.GetProperty("email").ValueKind);
        Assert.Equal([anonymousId], anonymous.GetProperty("anonymousIds").EnumerateArray().Select(a => a.GetString()));
        var firstEvents = await _app.EventsAsync(_ws, anonymous);
        Assert.Equal(["social.clicked", "web.page_viewed"], WebTracking.Types(firstEvents));
        var social = firstEvents.Single(e => e.GetProperty("type").GetString() == "social.clicked");
        Assert.Equal(("linkedin", "launch"), (social.Property("network"), social.Property("campaign")));
        var landing = firstEvents.Single(e => e.GetProperty("type").GetString() == "web.page_viewed");
        Assert.Equal(("/landing.html", "Acme - Analytics for teams", "linkedin"), (landing.Property("path"), landing.Property("title"), landing.Property("utm_source")));

        // 2. Goes to the pricing page: same browser, same anonymous id, same contact.
        await ClickThroughAsync(page, "#pricing", "**/pricing.html");
        await WebTracking.EventuallyAsync(async () =>
            (await _app.AllContactsAsync(_ws)).Any(c => c.GetProperty("eventCount").GetInt32() == 3) ? true : (bool?)null,
            "the pricing page view");
        Assert.Single(await _app.AllContactsAsync(_ws));
        Assert.Equal(anonymousId, await page.EvaluateAsync<string>("() => localStorage.getItem('sh_aid')"));

        // 3. Books a demo with an email: the anonymous history merges into one contact with that email.
        await page.FillAsync("#email", "ada@example.com");
        await page.FillAsync("#company", "Analytical Engines");
        await page.FillAsync("#job_title", "CTO");
        await page.FillAsync("#password", "hunter2-secret");
        await page.ClickAsync("#send");
        await page.WaitForURLAsync("**/thanks.html");

        var ada = await WebTracking.EventuallyAsync(async () =>
            (await _app.AllContactsAsync(_ws)).SingleOrDefault(c => c.GetProperty("email").ValueKind == JsonValueKind.String && c.GetProperty("eventCount").GetInt32() == 5) is { ValueKind: JsonValueKind.Object } c ? c : (JsonElement?)null,
            "the form submission and the thank-you page view on one contact");
        Assert.Single(await _app.AllContactsAsync(_ws));
        Assert.Equal("ada@example.com", ada.GetProperty("email").GetString());
        Assert.Equal(anonymous.GetProperty("id").GetString(), ada.GetProperty("id").GetString());
        Assert.Equal("Analytical Engines", ada.GetProperty("properties").GetProperty("company").GetString());
        Assert.Equal("CTO", ada.GetProperty("properties").GetProperty("jobTitle").GetString());
        var history = await _app.Client(_ws.SecretKey).GetStringAsync($"/api/v1/contacts/{ada.GetProperty("id").GetString()}/properties/history");
        Assert.DoesNotContain("hunter2", history, StringComparison.Ordinal);
        Assert.DoesNotContain("csrf", history, StringComparison.Ordinal);
        var merged = await _app.EventsAsync(_ws, ada);
        Assert.Equal(["social.clicked", "web.form_submitted", "web.page_viewed", "web.page_viewed", "web.page_viewed"], WebTracking.Types(merged));
        var form = merged.Single(e => e.GetProperty("type").GetString() == "web.form_submitted");
        Assert.Equal(("demo-request", "/pricing.html"), (form.Property("form"), form.Property("path")));
        Assert.DoesNotContain("hunter2", JsonSerializer.Serialize(merged), StringComparison.Ordinal);

        // 4. Downloads the brochure.
        await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#brochure"));
        var download = await WebTracking.EventuallyAsync(async () =>
            (await _app.EventsAsync(_ws, ada)).FirstOrDefault(e => e.GetProperty("type").GetString() == "web.downloaded") is { ValueKind: JsonValueKind.Object } e ? e : (JsonElement?)null,
            "the download");
        Assert.Equal("acme-brochure.pdf", download.Property("file"));
        Assert.Equal(_site.Url("/files/acme-brochure.pdf").ToString(), download.Property("url"));
        Assert.Equal(_site.Url("/thanks.html").ToString(), download.Property("page"));

        // 5. Days later, on another device, clicks a link in an email: linked to Ada by the signed token.
        var token = WebTracking.ContactToken("ada@example.com", WebTracking.LinkSecret);
        var phone = await _chromium.NewVisitorAsync();
        var phonePage = await phone.NewPageAsync();
        await phonePage.GotoAsync(_site.Url($"/landing.html?utm_source=newsletter&utm_medium=email&sh_ct={token}").ToString());

        var linked = await WebTracking.EventuallyAsync(async () =>
            (await _app.AllContactsAsync(_ws)).SingleOrDefault(c => c.GetProperty("anonymousIds").GetArrayLength() == 2) is { ValueKind: JsonValueKind.Object } c ? c : (JsonElement?)null,
            "the email-link visit linked to Ada");
        var phoneId = await phonePage.EvaluateAsync<string>("() => localStorage.getItem('sh_aid')");
        Assert.NotEqual(anonymousId, phoneId);
        Assert.Equal("ada@example.com", linked.GetProperty("email").GetString());
        Assert.Equal(new[] { anonymousId, phoneId }.Order(StringComparer.Ordinal),
            linked.GetProperty("anonymousIds").EnumerateArray().Select(a => a.GetString()!).Order(StringComparer.Ordinal));
        Assert.Single(await _app.AllContactsAsync(_ws));
        Assert.DoesNotContain("sh_ct", phonePage.Url, StringComparison.Ordinal);
        var fromEmail = (await _app.EventsAsync(_ws, linked)).Single(e => e.GetProperty("type").GetString() == "web.page_viewed" && e.Property("url").Contains("newsletter", StringComparison.Ordinal));
        Assert.Equal(_site.Url("/landing.html?utm_source=newsletter&utm_medium=email").ToString(), fromEmail.Property("url"));
    }

    [Fact]
    public async Task Playwright_headless_chrome_user_agent_is_answered_200_and_nothing_is_stored()
    {
        var bot = await _chromium.NewVisitorAsync(userAgent: null);
        var page = await bot.NewPageAsync();

        var collect = await page.RunAndWaitForRequestFinishedAsync(
            () => page.GotoAsync(_site.Url("/landing.html?utm_source=linkedin").ToString()),
            new PageRunAndWaitForRequestFinishedOptions { Predicate = r => r.Url.Contains("/collect", StringComparison.Ordinal) });

        Assert.Contains("HeadlessChrome", await page.EvaluateAsync<string>("() => navigator.userAgent"), StringComparison.Ordinal);
        var response = await collect.ResponseAsync();
        Assert.Equal(200, response!.Status);
        Assert.Empty(await _app.AllContactsAsync(_ws));
    }

    [Fact]
    public async Task Visitor_who_opts_out_is_not_tracked_until_opting_in_again_and_then_under_a_new_id()
    {
        var visitor = await _chromium.NewVisitorAsync();
        var page = await visitor.NewPageAsync();
        await page.GotoAsync(_site.Url("/landing.html").ToString());
        await WebTracking.EventuallyAsync(async () => (await _app.AllContactsAsync(_ws)).Length == 1 ? true : (bool?)null, "the first page view");
        var before = await page.EvaluateAsync<string>("() => localStorage.getItem('sh_aid')");

        await page.EvaluateAsync("() => scorehub.optOut()");
        Assert.Null(await page.EvaluateAsync<string?>("() => localStorage.getItem('sh_aid')"));
        Assert.DoesNotContain(await visitor.CookiesAsync(), c => c.Name == "sh_aid");
        await ClickThroughAsync(page, "#pricing", "**/pricing.html");
        await page.EvaluateAsync("() => scorehub.optIn()");
        await page.GotoAsync(_site.Url("/thanks.html").ToString());

        // The thank-you page is tracked again; the pricing page, visited while opted out, never was.
        await WebTracking.EventuallyAsync(async () =>
            (await _app.AllContactsAsync(_ws)).Length == 2 ? true : (bool?)null, "the page view after opting in");
        var contacts = await _app.AllContactsAsync(_ws);
        var after = await page.EvaluateAsync<string>("() => localStorage.getItem('sh_aid')");
        Assert.NotEqual(before, after);
        var paths = new List<string>();
        foreach (var contact in contacts)
        {
            paths.AddRange((await _app.EventsAsync(_ws, contact)).Select(e => e.Property("path")));
        }

        Assert.Equal(["/landing.html", "/thanks.html"], paths.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Single_page_app_navigation_is_a_page_view_with_the_previous_url_as_referrer()
    {
        var visitor = await _chromium.NewVisitorAsync();
        var page = await visitor.NewPageAsync();
        await page.GotoAsync(_site.Url("/landing.html").ToString());

        await page.EvaluateAsync("() => history.pushState({}, '', '/app/step-2?plan=pro')");

        var contact = await WebTracking.EventuallyAsync(async () =>
            (await _app.AllContactsAsync(_ws)).SingleOrDefault(c => c.GetProperty("eventCount").GetInt32() == 2) is { ValueKind: JsonValueKind.Object } c ? c : (JsonElement?)null,
            "the page view of the pushed URL");
        var step = (await _app.EventsAsync(_ws, contact)).Single(e => e.Property("path") == "/app/step-2");
        Assert.Equal(_site.Url("/app/step-2?plan=pro").ToString(), step.Property("url"));
        Assert.Equal(_site.Url("/landing.html").ToString(), step.Property("referrer"));
    }

    /// <summary>
    /// Clicks a plain link and waits for the page it leads to. On a loaded CI machine a click was once followed by no
    /// navigation at all for 30 s, and once by a navigation slower than 10 s; so after each 10 s the link is clicked
    /// again only if the browser is still on the page that has it (a navigation under way is waited for instead).
    /// </summary>
    private static async Task ClickThroughAsync(IPage page, string link, string url)
    {
        var start = page.Url;
        await page.ClickAsync(link);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await page.WaitForURLAsync(url, new() { Timeout = 10_000 });
                return;
            }
            catch (TimeoutException) when (attempt < 3)
            {
                try
                {
                    if (page.Url == start && await page.Locator(link).CountAsync() > 0)
                    {
                        await page.ClickAsync(link, new() { Timeout = 5_000 });
                    }
                }
                catch (Exception ex) when (ex is PlaywrightException or TimeoutException)
                {
                    // The page changed under the check: a navigation is under way; keep waiting for it.
                }
            }
        }
    }
}
