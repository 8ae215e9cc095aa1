using Microsoft.Playwright;
using ScoreHub.Host.Tests.Support;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace ScoreHub.Host.Tests.Feed;

/// <summary>The hot-leads page at <c>/</c> in real headless Chromium against the host on a real port.</summary>
public sealed class FeedPageTests(BrowserFixture browser, ITestOutputHelper output) : IClassFixture<BrowserFixture>, IAsyncLifetime, IDisposable
{
    private static readonly string[] HotJourney = ["meeting.booked", "meeting.completed", "web.form_submitted", "web.downloaded", "web.downloaded"];

    private readonly LiveHost _host = new();
    private IBrowserContext _context = null!;
    private IPage _page = null!;
    private TestWorkspace _a = null!;

    public async Task InitializeAsync()
    {
        _a = await _host.WorkspaceWithScoreAsync("A");
        // Phone width: the page must work on a rep's phone.
        _context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 390, Height = 844 } });
        _page = await _context.NewPageAsync();
        _page.Console += (_, message) => output.WriteLine($"[browser {message.Type}] {message.Text}");
    }

    public async Task DisposeAsync() => await _context.DisposeAsync();

    public void Dispose() => _host.Dispose();

    private ILocator Rows => _page.Locator("#leads > li");

    private ILocator Row(string name) => Rows.Filter(new LocatorFilterOptions { Has = _page.Locator(".name", new PageLocatorOptions { HasTextString = name }) });

    private async Task SignInAsync(string key)
    {
        await _page.GotoAsync(new Uri(_host.Address, "/").ToString());
        await _page.FillAsync("#key", key);
        await _page.ClickAsync("#sign-in button[type=submit]");
    }

    [Fact]
    public async Task A_lead_turning_hot_appears_at_the_top_within_a_second_with_its_score_breakdown_and_history()
    {
        await _host.ContactAsync(_a, "wim", "wim@example.com", "Wim Warm", "Kade Studio", "lisa");
        await _host.EventsAsync(_a, "wim@example.com", "meeting.booked", "meeting.completed"); // 45: warm
        await _host.ContactAsync(_a, "anna", "anna@example.com", "Anna de Vries", "Rotterdam Logistics", "sam");
        await SignInAsync(_a.FeedKey);
        await Expect(_page.Locator("#status")).ToHaveTextAsync("live");
        await Expect(_page.Locator("#sign-in")).ToBeHiddenAsync();
        await Expect(Rows).ToHaveCountAsync(1);
        await Expect(Rows.First.Locator(".name")).ToHaveTextAsync("Wim Warm");

        await _host.EventsAsync(_a, "anna@example.com", HotJourney); // 60 sales (capped) + 20 marketing = 80

        var within = new LocatorAssertionsToHaveTextOptions { Timeout = 1000 };
        await Expect(Rows.First.Locator(".name")).ToHaveTextAsync("Anna de Vries", within);
        await Expect(Rows.First.Locator(".score")).ToHaveTextAsync("80", within);
        await Expect(Rows.First.Locator(".label")).ToHaveTextAsync("hot", within);
        await Expect(Rows.First.Locator(".label")).ToHaveClassAsync("label hot");
        await Expect(Rows.First.Locator(".company")).ToHaveTextAsync("Rotterdam Logistics");
        await Expect(Rows.Nth(1).Locator(".score")).ToHaveTextAsync("45");
        await Expect(_page.Locator(".toast.hot")).ToContainTextAsync("Anna de Vries (Rotterdam Logistics) is hot: 80");

        await Rows.First.Locator(".row").ClickAsync();
        var why = Rows.First.Locator(".why table");
        await Expect(why.Locator("tr.group").Nth(0)).ToHaveTextAsync("Sales engagement (capped at 60)60");
        await Expect(why.Locator("tr.group").Nth(1)).ToHaveTextAsync("Marketing engagement20");
        await Expect(why.Locator("tr.rule").Nth(3)).ToContainTextAsync("2x");
        await Expect(why.Locator("tr.rule").Nth(3).Locator("td.pts")).ToHaveTextAsync("20");
        await Expect(Rows.First.Locator(".chart canvas")).ToBeVisibleAsync();
        Assert.True(await _page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways at phone width");

        await SaveScreenshotAsync("feed.png");
    }

    [Fact]
    public async Task A_lead_leaving_hot_through_a_negative_event_or_decay_drops_out()
    {
        await _host.ContactAsync(_a, "una", "una@example.com", "Una Unsubscribed", "Delta Foods");
        await _host.ContactAsync(_a, "dirk", "dirk@example.com", "Dirk Decay", "Portside BV");
        await _host.EventsAsync(_a, "una@example.com", HotJourney);
        await _host.EventsAsync(_a, "dirk@example.com", HotJourney);
        await SignInAsync(_a.FeedKey);
        await _page.SelectOptionAsync("#label-filter", "hot");
        await Expect(Rows).ToHaveCountAsync(2);

        await _host.EventsAsync(_a, "una@example.com", "email.unsubscribed"); // 80 - 60 = 20: cold

        await Expect(Row("Una Unsubscribed")).ToHaveCountAsync(0);
        await Expect(Rows).ToHaveCountAsync(1);

        _host.App.Clock.Advance(TimeSpan.FromDays(7)); // Dirk's downloads decay to 5 each: 70, warm

        await Expect(Rows).ToHaveCountAsync(0);
        await _page.SelectOptionAsync("#label-filter", "");
        await Expect(Row("Dirk Decay").Locator(".label")).ToHaveTextAsync("warm");
        await Expect(Row("Dirk Decay").Locator(".score")).ToHaveTextAsync("70");
        await Expect(Row("Una Unsubscribed")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Workspace_A_feed_key_never_shows_workspace_B_leads()
    {
        var b = await _host.WorkspaceWithScoreAsync("B");
        await _host.ContactAsync(b, "bert", "bert@b.example", "Bert of B", "B Corp");
        await _host.EventsAsync(b, "bert@b.example", HotJourney);
        await _host.ContactAsync(_a, "anna", "anna@example.com", "Anna of A", "A Corp");
        await SignInAsync(_a.FeedKey);
        await Expect(_page.Locator("#status")).ToHaveTextAsync("live");

        await _host.EventsAsync(b, "bert@b.example", "web.downloaded");
        await _host.ContactAsync(b, "bea", "bea@b.example", "Bea of B", "B Corp");
        await _host.EventsAsync(b, "bea@b.example", HotJourney);
        await _host.EventsAsync(_a, "anna@example.com", HotJourney); // after B's: when A's arrives, B's would have

        await Expect(Rows.First.Locator(".name")).ToHaveTextAsync("Anna of A");
        await Expect(Rows).ToHaveCountAsync(1);
        await Expect(_page.Locator("body")).Not.ToContainTextAsync("of B");
    }

    [Fact]
    public async Task The_owner_filter_shows_one_reps_leads_and_keeps_applying_to_live_changes()
    {
        await _host.ContactAsync(_a, "anna", "anna@example.com", "Anna of Sam", "A Corp", "sam");
        await _host.ContactAsync(_a, "lars", "lars@example.com", "Lars of Lisa", "L Corp", "lisa");
        await _host.EventsAsync(_a, "anna@example.com", "meeting.booked", "meeting.completed"); // 45, warm
        await _host.EventsAsync(_a, "lars@example.com", HotJourney);                            // 80, hot
        await SignInAsync(_a.FeedKey);
        await Expect(Rows).ToHaveCountAsync(2);

        await _page.SelectOptionAsync("#owner-filter", "sam");

        await Expect(Rows).ToHaveCountAsync(1);
        await Expect(Rows.First.Locator(".name")).ToHaveTextAsync("Anna of Sam");
        await Expect(Rows.First.Locator(".owner")).ToHaveTextAsync("owner: sam");
        await _host.EventsAsync(_a, "lars@example.com", "web.downloaded"); // Lisa's lead changes: still hidden
        await _host.EventsAsync(_a, "anna@example.com", "web.form_submitted", "web.downloaded", "web.downloaded"); // 80
        await Expect(Rows.First.Locator(".score")).ToHaveTextAsync("80");
        await Expect(Rows).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task Signing_in_with_an_unknown_or_an_ingest_key_shows_why_and_no_leads()
    {
        await SignInAsync("shk_feed_wrong");
        await Expect(_page.Locator("#sign-in-error")).ToHaveTextAsync("Unknown key.");

        await _page.FillAsync("#key", _a.IngestKey);
        await _page.ClickAsync("#sign-in button[type=submit]");
        await Expect(_page.Locator("#sign-in-error")).ToHaveTextAsync("This key cannot read the feed; use the feed key.");
        await Expect(_page.Locator("#feed")).ToBeHiddenAsync();
        Assert.Null(await _page.EvaluateAsync<string?>("sessionStorage.getItem('scorehub.feedKey')"));
    }

    private async Task SaveScreenshotAsync(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "TestResults", name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await _page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        output.WriteLine($"screenshot: {path}");
        Console.WriteLine($"FeedPageTests screenshot: {path}"); // also in the plain dotnet test output
    }
}
