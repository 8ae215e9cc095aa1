using ScoreHub.Sdk;
using ScoreHub.Sdk.Testing;

namespace ScoreHub.Plugins.Web.Tests;

/// <summary>
/// The signal-source contract, checked against scorehub.web with a page view, a form and a download. The snippet
/// posts from visitors' browsers, so there is no sender to verify (<see cref="SignalSourceCompliance{TSource}.UnverifiedRequest"/>
/// stays null); contact tokens are checked instead, in the behaviour tests.
/// </summary>
public sealed class WebSourceCompliance : SignalSourceCompliance<ISignalSource>
{
    protected override ISignalSource CreatePlugin() => new WebSource();

    protected override PluginSettings ValidSettings => new SettingsBuilder().With("linkSecret", Hits.LinkSecret).Build();

    protected override DateTimeOffset Now => Hits.Now;

    protected override IEnumerable<SourceRequest> SampleRequests() =>
    [
        Hits.Post(Hits.PageView("https://acme.test/pricing?utm_source=newsletter", referrer: "https://www.google.com/")),
        Hits.Post(new
        {
            id = "hit-9",
            type = "form",
            anonymousId = "anon-1",
            url = "https://acme.test/demo?ref=nav",
            title = "Book a demo",
            form = new
            {
                id = "demo-request",
                name = "demo",
                fields = new Dictionary<string, string> { ["email"] = "Ada@Example.com", ["first_name"] = "Ada", ["company"] = "Analytical Engines" },
            },
        }),
        Hits.Post(new
        {
            id = "hit-4", type = "download", anonymousId = "anon-1", url = "https://acme.test/resources?utm_source=x",
            title = "Resources", href = "https://cdn.acme.test/files/Pricing%20Guide%202026.pdf?v=3",
        }),
    ];
}
