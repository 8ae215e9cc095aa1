using ScoreHub.Sdk;

namespace ScoreHub.Plugins.Mailchimp;

/// <summary>The settings a workspace gives when it activates the Mailchimp source.</summary>
public static class MailchimpOptions
{
    /// <summary>
    /// A secret of your choosing that you put in the webhook URL Mailchimp calls (<c>&amp;secret=...</c>).
    /// Mailchimp does not sign its audience webhooks, so this is what tells its requests from anyone else's.
    /// </summary>
    public const string Secret = "secret";

    /// <summary>The query parameter carrying <see cref="Secret"/>.</summary>
    public const string SecretParameter = "secret";

    /// <summary>Shorter secrets are refused: they can be guessed.</summary>
    public const int MinSecretLength = 16;

    /// <summary>Whether a secret can go into a URL as it is: letters, digits and <c>-._~</c>.</summary>
    public static bool IsUrlSafe(string secret) =>
        secret.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~');

    /// <summary>The settings as declared in the manifest.</summary>
    public static IReadOnlyList<SettingDescriptor> Descriptors { get; } =
    [
        new SettingDescriptor
        {
            Name = Secret,
            Type = SettingType.String,
            Required = true,
            Secret = true,
            Description = $"A random secret of at least {MinSecretLength} URL-safe characters; add it to the webhook URL as &{SecretParameter}=<secret>.",
        },
    ];
}
