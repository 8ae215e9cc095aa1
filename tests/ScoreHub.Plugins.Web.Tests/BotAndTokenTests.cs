using Microsoft.Extensions.Logging;
using ScoreHub.Sdk;
using static ScoreHub.Plugins.Web.Tests.Hits;

namespace ScoreHub.Plugins.Web.Tests;

public sealed class BotAndTokenTests
{
    private readonly WebSource _plugin = new();

    [Theory]
    [InlineData("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)")]
    [InlineData("Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm) Chrome/116.0.1938.76 Safari/537.36")]
    [InlineData("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36")]
    [InlineData("facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)")]
    [InlineData("LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)")]
    [InlineData("Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)")]
    [InlineData("Mozilla/5.0 (compatible; SomeNewCrawler/0.1)")]
    [InlineData("Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)")]
    [InlineData("Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)")]
    [InlineData("Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/109.0.0.0 Mobile Safari/537.36 Chrome-Lighthouse")]
    [InlineData("curl/8.5.0")]
    [InlineData("python-requests/2.32.3")]
    [InlineData("")]
    public async Task Known_bots_are_answered_200_and_nothing_is_recorded(string userAgent)
    {
        var response = await _plugin.HandleAsync(Post(PageView("https://acme.test/?utm_source=linkedin"), userAgent), Context(), CancellationToken.None);

        Assert.Equal(200, response.StatusCode);
        Assert.True(response.IsAccepted);
        Assert.Empty(response.Signals);
    }

    [Fact]
    public async Task Request_without_a_user_agent_header_is_treated_as_a_bot()
    {
        var response = await _plugin.HandleAsync(Raw("""{"id":"h","type":"pageview","anonymousId":"a","url":"https://acme.test/"}""", userAgent: null), Context(), CancellationToken.None);

        Assert.Equal(200, response.StatusCode);
        Assert.Empty(response.Signals);
    }

    [Theory]
    [InlineData(Chrome)]
    [InlineData("Mozilla/5.0 (Macintosh; Intel Mac OS X 14.6; rv:132.0) Gecko/20100101 Firefox/132.0")]
    [InlineData("Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1")]
    [InlineData("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0")]
    [InlineData("Mozilla/5.0 (Linux; Android 10; CUBOT_X30) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36")]
    [InlineData("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/470.0.0.39.100]")]
    public async Task People_browsers_including_in_app_browsers_are_recorded(string userAgent)
    {
        var response = await _plugin.HandleAsync(Post(PageView("https://acme.test/"), userAgent), Context(), CancellationToken.None);

        Assert.Single(response.Signals);
    }

    [Fact]
    public void Token_format_is_base64url_email_dot_base64url_hmac_as_the_readme_shell_recipe_makes_it()
    {
        // printf '%s' ada@example.com | openssl dgst -sha256 -hmac link-secret-0123456789 -binary | basenc --base64url | tr -d '=\n'
        Assert.Equal("YWRhQGV4YW1wbGUuY29t.FZlJzekYe5RfcaQvMwIHQ3trkUDnnCj0C_E0kx88tuY", ContactLinks.Token("ada@example.com", LinkSecret));
    }

    [Fact]
    public async Task Valid_contact_token_links_the_page_view_to_the_email_and_is_not_stored_in_the_url()
    {
        var token = ContactLinks.Token("ada@example.com", LinkSecret);
        var hit = PageView($"https://acme.test/offer?utm_source=newsletter&sh_ct={token}&x=1", contactToken: token);

        var response = await _plugin.HandleAsync(Post(hit), Context(), CancellationToken.None);

        var signal = Assert.Single(response.Signals);
        Assert.Equal(("anon-1", "ada@example.com"), (signal.Contact.AnonymousId, signal.Contact.Email));
        Assert.Equal("https://acme.test/offer?utm_source=newsletter&x=1", signal.Properties["url"]);
        Assert.DoesNotContain(signal.Properties.Values, v => v.Contains(token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Token_signed_with_another_secret_is_ignored_and_the_visit_stays_anonymous()
    {
        var logger = new ListLogger();
        var context = Context();
        context = new SourceContext { WorkspaceId = context.WorkspaceId, Settings = context.Settings, Clock = context.Clock, Logger = logger };
        var forged = ContactLinks.Token("ceo@example.com", "someone-elses-secret-123");

        var response = await _plugin.HandleAsync(Post(PageView("https://acme.test/", contactToken: forged)), context, CancellationToken.None);

        var signal = Assert.Single(response.Signals);
        Assert.Null(signal.Contact.Email);
        Assert.Equal("anon-1", signal.Contact.AnonymousId);
        Assert.Equal(["A contact token failed verification; the visit stays anonymous."], logger.Messages);
    }

    [Fact]
    public async Task Token_whose_email_was_swapped_fails_verification()
    {
        var real = ContactLinks.Token("ada@example.com", LinkSecret);
        var swapped = ContactLinks.Token("ceo@example.com", LinkSecret).Split('.')[0] + "." + real.Split('.')[1];

        var response = await _plugin.HandleAsync(Post(PageView("https://acme.test/", contactToken: swapped)), Context(), CancellationToken.None);

        Assert.Null(Assert.Single(response.Signals).Contact.Email);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("a.b.c")]
    [InlineData("!!!.###")]
    [InlineData(".")]
    public async Task Malformed_token_is_ignored(string token)
    {
        var response = await _plugin.HandleAsync(Post(PageView("https://acme.test/", contactToken: token)), Context(), CancellationToken.None);

        Assert.Null(Assert.Single(response.Signals).Contact.Email);
    }

    [Fact]
    public async Task Token_is_ignored_when_the_workspace_has_no_link_secret()
    {
        var token = ContactLinks.Token("ada@example.com", LinkSecret);

        var response = await _plugin.HandleAsync(Post(PageView("https://acme.test/", contactToken: token)), Context("{}"), CancellationToken.None);

        Assert.Null(Assert.Single(response.Signals).Contact.Email);
    }

    private sealed class ListLogger : ILogger
    {
        public List<string> Messages { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Messages.Add(formatter(state, exception));
    }
}
