using ScoreHub.Sdk;
using static ScoreHub.Plugins.Web.Tests.Hits;

namespace ScoreHub.Plugins.Web.Tests;

public sealed class PageViewTests
{
    private readonly WebSource _plugin = new();

    [Fact]
    public void Manifest_names_the_plugin_and_its_optional_settings()
    {
        var manifest = _plugin.Manifest;

        Assert.Equal("scorehub.web", manifest.Id);
        Assert.Equal(ScoreHubSdk.Version, manifest.SdkVersion);
        Assert.Equal(PluginKinds.SignalSource, manifest.Kinds);
        Assert.Equal(["linkSecret", "allowedOrigins"], manifest.Settings.Select(s => s.Name));
        Assert.All(manifest.Settings, s => Assert.False(s.Required));
        Assert.Equal([true, false], manifest.Settings.Select(s => s.Secret));
        Assert.Equal(SettingType.Array, manifest.Settings[1].Type);
        var marker = typeof(WebSource).Assembly.GetCustomAttributes(typeof(ScoreHubPluginAttribute), false);
        Assert.Equal(typeof(WebSource), Assert.IsType<ScoreHubPluginAttribute>(Assert.Single(marker)).PluginType);
    }

    [Theory]
    [InlineData("{}", null)]
    [InlineData("""{"linkSecret":"0123456789abcdef"}""", null)]
    [InlineData("""{"linkSecret":"short"}""", "'linkSecret' must be at least 16 characters.")]
    [InlineData("""{"linkSecret":7}""", "'linkSecret' must be a string.")]
    public void Link_secret_is_optional_but_must_be_long_enough(string settings, string? message)
    {
        var report = _plugin.ValidateSettings(PluginSettings.Parse(settings));

        if (message is null)
        {
            Assert.True(report.IsValid);
        }
        else
        {
            var error = Assert.Single(report.Errors);
            Assert.Equal(("linkSecret", message), (error.Field, error.Message));
        }
    }

    [Fact]
    public async Task Page_view_becomes_one_anonymous_web_page_viewed_with_url_path_title_referrer_and_utm()
    {
        var hit = PageView("https://acme.test/pricing?plan=pro&utm_source=newsletter&utm_medium=email&utm_campaign=spring%20sale&utm_term=crm&utm_content=hero#faq",
            referrer: "https://www.google.com/");

        var response = await _plugin.HandleAsync(Post(hit), Context(), CancellationToken.None);

        Assert.Equal(200, response.StatusCode);
        var signal = Assert.Single(response.Signals);
        Assert.Equal("hit-1", signal.Id);
        Assert.Equal("web.page_viewed", signal.Type);
        Assert.Equal(Now, signal.OccurredAt);
        Assert.Equal("anon-1", signal.Contact.AnonymousId);
        Assert.Null(signal.Contact.Email);
        Assert.Equal(Props(
            ("url", "https://acme.test/pricing?plan=pro&utm_source=newsletter&utm_medium=email&utm_campaign=spring%20sale&utm_term=crm&utm_content=hero"),
            ("path", "/pricing"),
            ("title", "Pricing | Acme"),
            ("referrer", "https://www.google.com/"),
            ("utm_source", "newsletter"),
            ("utm_medium", "email"),
            ("utm_campaign", "spring sale"),
            ("utm_term", "crm"),
            ("utm_content", "hero")), signal.Properties);
        Assert.Empty(signal.ContactProperties);
    }

    [Fact]
    public async Task Page_view_without_referrer_or_utm_has_only_url_path_and_title()
    {
        var response = await _plugin.HandleAsync(Post(PageView("https://acme.test/")), Context(), CancellationToken.None);

        var signal = Assert.Single(response.Signals);
        Assert.Equal(Props(("url", "https://acme.test/"), ("path", "/"), ("title", "Pricing | Acme")), signal.Properties);
    }

    [Fact]
    public async Task Linkedin_social_click_through_adds_social_clicked_with_network_campaign_and_url()
    {
        var hit = PageView("https://acme.test/landing?utm_source=linkedin&utm_medium=social&utm_campaign=launch");

        var response = await _plugin.HandleAsync(Post(hit), Context(), CancellationToken.None);

        Assert.Collection(response.Signals,
            view => Assert.Equal(("hit-1", "web.page_viewed"), (view.Id, view.Type)),
            social =>
            {
                Assert.Equal("hit-1:social", social.Id);
                Assert.Equal("social.clicked", social.Type);
                Assert.Equal(Now, social.OccurredAt);
                Assert.Equal("anon-1", social.Contact.AnonymousId);
                Assert.Equal(Props(
                    ("network", "linkedin"),
                    ("url", "https://acme.test/landing?utm_source=linkedin&utm_medium=social&utm_campaign=launch"),
                    ("campaign", "launch"),
                    ("medium", "social")), social.Properties);
            });
    }

    [Fact]
    public async Task Click_from_a_tweet_with_no_utm_is_recognised_by_its_t_co_referrer()
    {
        var response = await _plugin.HandleAsync(Post(PageView("https://acme.test/blog", referrer: "https://t.co/")), Context(), CancellationToken.None);

        var social = Assert.Single(response.Signals, s => s.Type == "social.clicked");
        Assert.Equal(Props(("network", "twitter"), ("url", "https://acme.test/blog")), social.Properties);
    }

    [Theory]
    [InlineData("facebook", "cpc", null, "facebook")]
    [InlineData("FB", null, null, "facebook")]
    [InlineData("ig", "paid_social", null, "instagram")]
    [InlineData("linkedin", null, null, "linkedin")]
    [InlineData("lnkd.in", null, null, "linkedin")]
    [InlineData("twitter", null, null, "twitter")]
    [InlineData("x", "social", null, "twitter")]
    [InlineData("t.co", null, null, "twitter")]
    [InlineData("youtube", "video", null, "youtube")]
    [InlineData("tiktok", null, null, "tiktok")]
    [InlineData("pinterest", null, null, "pinterest")]
    [InlineData("reddit", null, null, "reddit")]
    [InlineData("mastodon", "social", null, "mastodon")]
    [InlineData("acme-community", "social-media", null, "acme-community")]
    [InlineData(null, "paid-social", null, "other")]
    [InlineData(null, null, "l.facebook.com", "facebook")]
    [InlineData(null, null, "www.linkedin.com", "linkedin")]
    [InlineData(null, null, "out.reddit.com", "reddit")]
    [InlineData(null, null, "m.youtube.com", "youtube")]
    public void Known_networks_are_recognised_by_utm_source_social_medium_or_referrer(string? source, string? medium, string? referrerHost, string network)
    {
        Assert.Equal(network, SocialNetworks.Recognise(source, medium, referrerHost));
    }

    [Theory]
    [InlineData("newsletter", "email", null)]
    [InlineData("google", "cpc", null)]
    [InlineData(null, null, "www.google.com")]
    [InlineData(null, null, "notfacebook.com")]
    [InlineData("newsletter", "email", "t.co")] // tagged campaigns win over the referrer
    [InlineData(null, null, null)]
    public void Other_sources_are_not_social(string? source, string? medium, string? referrerHost)
    {
        Assert.Null(SocialNetworks.Recognise(source, medium, referrerHost));
    }

    [Fact]
    public async Task Search_engine_visit_records_no_social_click()
    {
        var hit = PageView("https://acme.test/?utm_source=google&utm_medium=cpc", referrer: "https://www.google.com/");

        var response = await _plugin.HandleAsync(Post(hit), Context(), CancellationToken.None);

        Assert.Equal(["web.page_viewed"], response.Signals.Select(s => s.Type));
    }

    [Fact]
    public async Task Same_hit_id_gives_the_same_signal_ids_so_the_host_stores_a_resent_hit_once()
    {
        var hit = PageView("https://acme.test/?utm_source=facebook", id: "b7d1c0e2-77aa-4c5e-9c39-0a1f3d2e4b5c");

        var first = await _plugin.HandleAsync(Post(hit), Context(), CancellationToken.None);
        var again = await _plugin.HandleAsync(Post(hit), Context(), CancellationToken.None);

        Assert.Equal(["b7d1c0e2-77aa-4c5e-9c39-0a1f3d2e4b5c", "b7d1c0e2-77aa-4c5e-9c39-0a1f3d2e4b5c:social"], first.Signals.Select(s => s.Id));
        Assert.Equal(first.Signals.Select(s => s.Id), again.Signals.Select(s => s.Id));
    }
}
