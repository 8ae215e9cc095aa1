using Microsoft.Playwright;

namespace ScoreHub.Host.Tests.Sources;

/// <summary>
/// The machine's Debian Chromium driven by Playwright's bundled driver (no browser download): headless, no sandbox
/// (tests run as root), no background traffic. Dispose closes the browser and the driver.
/// </summary>
internal sealed class Chromium : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";

    /// <summary>A desktop Chrome user agent: Playwright's own says "HeadlessChrome", which the web source drops as a bot.</summary>
    public const string DesktopUserAgent =
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

    private readonly IPlaywright _playwright;

    private Chromium(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    public static async Task<Chromium> LaunchAsync()
    {
        Assert.True(File.Exists(ExecutablePath), $"{ExecutablePath} is missing: apt-get install -y chromium");
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ExecutablePath,
                Headless = true,
                Args = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
            });
            return new Chromium(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>A fresh profile (no storage, no cookies), as a person on another device.</summary>
    public Task<IBrowserContext> NewVisitorAsync(string? userAgent = DesktopUserAgent) =>
        Browser.NewContextAsync(new BrowserNewContextOptions { UserAgent = userAgent, AcceptDownloads = true });

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}
