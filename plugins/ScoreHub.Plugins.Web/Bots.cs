using System.Text.RegularExpressions;

namespace ScoreHub.Plugins.Web;

/// <summary>
/// Known bot user agents: hits from them are dropped, so crawlers, link previews, monitors and scripted browsers
/// never inflate a score. The list is documented in the README; matching ignores case.
/// </summary>
internal static partial class Bots
{
    /// <summary>Fragments that only automated clients put in their user agent.</summary>
    public static IReadOnlyList<string> Fragments { get; } =
    [
        // Search engines (most also match the generic "...bot" rule; listed so the intent is explicit).
        "googlebot", "google-inspectiontool", "adsbot-google", "mediapartners-google", "feedfetcher-google", "storebot-google",
        "bingbot", "bingpreview", "adidxbot", "msnbot", "slurp", "duckduckbot", "yandex", "baiduspider", "sogou", "applebot",
        "petalbot", "seznambot", "qwantify", "mojeekbot", "exabot",
        // Link previews of social networks and chat apps (a person did not visit: a server fetched the page).
        "facebookexternalhit", "facebookcatalog", "meta-externalagent", "twitterbot", "linkedinbot", "slackbot",
        "discordbot", "telegrambot", "whatsapp", "pinterestbot", "redditbot", "embedly", "skypeuripreview",
        // SEO and AI crawlers.
        "ahrefsbot", "semrushbot", "mj12bot", "dotbot", "rogerbot", "blexbot", "bytespider", "gptbot", "chatgpt-user",
        "oai-searchbot", "claudebot", "claude-web", "anthropic-ai", "perplexitybot", "ccbot", "amazonbot", "diffbot",
        "ia_archiver", "archive.org_bot",
        // Monitors and performance tools.
        "lighthouse", "pagespeed", "pingdom", "uptimerobot", "statuscake", "site24x7", "gtmetrix",
        // Headless and scripted browsers, HTTP libraries.
        "headlesschrome", "phantomjs", "puppeteer", "playwright", "selenium", "webdriver",
        "python-requests", "python-urllib", "aiohttp", "httpx", "curl/", "wget/", "libwww", "go-http-client",
        "java/", "okhttp", "apache-httpclient", "axios/", "node-fetch", "undici", "scrapy", "httrack",
    ];

    /// <summary>
    /// Whether the user agent is a known bot. An empty user agent counts as one: every browser sends it.
    /// </summary>
    public static bool IsBot(string? userAgent)
    {
        if (string.IsNullOrWhiteSpace(userAgent))
        {
            return true;
        }

        foreach (var fragment in Fragments)
        {
            if (userAgent.Contains(fragment, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return Generic().IsMatch(userAgent);
    }

    // "SomethingBot/1.0", "a crawler", "a spider"; "CUBOT" (an Android phone brand) is a person, not a bot.
    [GeneratedRegex(@"(?<!cu)bot\b|(?<!cu)bot[/_-]|spider|crawl", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Generic();
}
