using ScoreHub.Sdk;

namespace ScoreHub.Plugins.Web;

/// <summary>The settings a workspace gives when it activates the web tracking source, and the snippet's conventions.</summary>
public static class WebOptions
{
    /// <summary>
    /// The secret that signs contact tokens in email links (see <see cref="ContactLinks"/>). Optional: without it,
    /// tokens are ignored and visitors are identified only by forms.
    /// </summary>
    public const string LinkSecret = "linkSecret";

    /// <summary>Shorter secrets are refused: a token's HMAC could be brute-forced offline.</summary>
    public const int MinLinkSecretLength = 16;

    /// <summary>
    /// The sites allowed to send hits (host names or origins; subdomains included). Optional: without it, any site
    /// that has the ingest key can (see <see cref="AllowedOrigins"/>).
    /// </summary>
    public const string AllowedOrigins = "allowedOrigins";

    /// <summary>The query parameter of an email link that carries the contact token.</summary>
    public const string ContactTokenParameter = "sh_ct";

    /// <summary>The settings as declared in the manifest.</summary>
    public static IReadOnlyList<SettingDescriptor> Descriptors { get; } =
    [
        new SettingDescriptor
        {
            Name = LinkSecret,
            Type = SettingType.String,
            Required = false,
            Secret = true,
            MinLength = MinLinkSecretLength,
            Description = $"Secret that signs the '{ContactTokenParameter}' contact token in email links (HMAC-SHA256); at least {MinLinkSecretLength} characters. Without it, tokens are ignored.",
        },
        new SettingDescriptor
        {
            Name = AllowedOrigins,
            Type = SettingType.Array,
            Required = false,
            Description = "Sites allowed to send hits, e.g. [\"acme.com\", \"https://shop.example.org\"]: each allows that host and its subdomains. Hits from any other page's origin get 403. Without it, any site with the ingest key can send hits.",
        },
    ];
}
