namespace ScoreHub.Plugins.Web;

/// <summary>
/// Recognises a click-through from a social network: by the UTM source (<c>utm_source=linkedin</c>), by a social
/// UTM medium (<c>utm_medium=social</c>, <c>paid_social</c>, ...) or, for a visit with no UTM parameters, by the
/// referrer's host (<c>t.co</c>, <c>l.facebook.com</c>, ...). The network is named in lower case, one name per network.
/// </summary>
internal static class SocialNetworks
{
    private static readonly Dictionary<string, string> BySource = new(StringComparer.OrdinalIgnoreCase)
    {
        ["facebook"] = "facebook",
        ["fb"] = "facebook",
        ["facebook.com"] = "facebook",
        ["m.facebook.com"] = "facebook",
        ["l.facebook.com"] = "facebook",
        ["meta"] = "facebook",
        ["instagram"] = "instagram",
        ["ig"] = "instagram",
        ["instagram.com"] = "instagram",
        ["l.instagram.com"] = "instagram",
        ["linkedin"] = "linkedin",
        ["linkedin.com"] = "linkedin",
        ["lnkd.in"] = "linkedin",
        ["twitter"] = "twitter",
        ["x"] = "twitter",
        ["x.com"] = "twitter",
        ["twitter.com"] = "twitter",
        ["t.co"] = "twitter",
        ["youtube"] = "youtube",
        ["yt"] = "youtube",
        ["youtube.com"] = "youtube",
        ["youtu.be"] = "youtube",
        ["tiktok"] = "tiktok",
        ["tiktok.com"] = "tiktok",
        ["pinterest"] = "pinterest",
        ["pinterest.com"] = "pinterest",
        ["pin.it"] = "pinterest",
        ["reddit"] = "reddit",
        ["reddit.com"] = "reddit",
        ["threads"] = "threads",
        ["threads.net"] = "threads",
        ["bluesky"] = "bluesky",
        ["bsky"] = "bluesky",
        ["bsky.app"] = "bluesky",
        ["mastodon"] = "mastodon",
        ["xing"] = "xing",
        ["xing.com"] = "xing",
        ["snapchat"] = "snapchat",
        ["snapchat.com"] = "snapchat",
        ["tumblr"] = "tumblr",
        ["tumblr.com"] = "tumblr",
        ["quora"] = "quora",
        ["quora.com"] = "quora",
    };

    // Referrer hosts: the host itself or any subdomain of it.
    private static readonly (string Domain, string Network)[] ByReferrer =
    [
        ("facebook.com", "facebook"), ("fb.me", "facebook"), ("instagram.com", "instagram"), ("linkedin.com", "linkedin"),
        ("lnkd.in", "linkedin"), ("t.co", "twitter"), ("twitter.com", "twitter"), ("x.com", "twitter"),
        ("youtube.com", "youtube"), ("youtu.be", "youtube"), ("tiktok.com", "tiktok"), ("pinterest.com", "pinterest"),
        ("pin.it", "pinterest"), ("reddit.com", "reddit"), ("threads.net", "threads"), ("bsky.app", "bluesky"),
        ("mastodon.social", "mastodon"), ("xing.com", "xing"), ("snapchat.com", "snapchat"), ("tumblr.com", "tumblr"),
        ("quora.com", "quora"),
    ];

    private static readonly HashSet<string> SocialMedia = new(StringComparer.OrdinalIgnoreCase)
    {
        "social", "social-media", "social_media", "socialmedia", "social-network", "social_network", "sm", "sns",
        "paid_social", "paid-social", "paidsocial", "social_paid", "social-paid", "organic_social", "organic-social",
        "social_organic", "social-organic", "social-post", "social_post",
    };

    /// <summary>The network a visit came from, or <c>null</c> when it did not come from a social network.</summary>
    public static string? Recognise(string? utmSource, string? utmMedium, string? referrerHost)
    {
        var source = utmSource?.Trim();
        var medium = utmMedium?.Trim();
        if (!string.IsNullOrEmpty(source) && BySource.TryGetValue(source, out var network))
        {
            return network;
        }

        if (!string.IsNullOrEmpty(medium) && SocialMedia.Contains(medium))
        {
            // A social medium with a network we do not know: name it as the campaign tagged it.
            return string.IsNullOrEmpty(source) ? "other" : source.ToLowerInvariant();
        }

        if (!string.IsNullOrEmpty(source) || !string.IsNullOrEmpty(medium) || string.IsNullOrEmpty(referrerHost))
        {
            return null;
        }

        foreach (var (domain, name) in ByReferrer)
        {
            if (referrerHost.Equals(domain, StringComparison.OrdinalIgnoreCase)
                || referrerHost.EndsWith("." + domain, StringComparison.OrdinalIgnoreCase))
            {
                return name;
            }
        }

        return null;
    }
}
