using ScoreHub.Sdk;

namespace ScoreHub.Plugins.Mailgun;

/// <summary>The settings a workspace gives when it activates the Mailgun source.</summary>
public static class MailgunOptions
{
    /// <summary>The HTTP webhook signing key from Mailgun's dashboard (HMAC-SHA256 key).</summary>
    public const string SigningKey = "signingKey";

    /// <summary>
    /// How old (or how far in the future) a signature's timestamp may be, in seconds. Older requests are refused;
    /// it is also how long a token is remembered to refuse its reuse.
    /// </summary>
    public const string MaxAgeSeconds = "maxAgeSeconds";

    /// <summary>The default for <see cref="MaxAgeSeconds"/>: five minutes.</summary>
    public const int DefaultMaxAgeSeconds = 300;

    /// <summary>The smallest allowed <see cref="MaxAgeSeconds"/>; clocks drift.</summary>
    public const int MinMaxAgeSeconds = 30;

    /// <summary>The largest allowed <see cref="MaxAgeSeconds"/>: one day.</summary>
    public const int MaxMaxAgeSeconds = 86_400;

    /// <summary>Signing keys shorter than this are refused (Mailgun's are far longer).</summary>
    public const int MinSigningKeyLength = 16;

    /// <summary>The settings as declared in the manifest.</summary>
    public static IReadOnlyList<SettingDescriptor> Descriptors { get; } =
    [
        new SettingDescriptor
        {
            Name = SigningKey,
            Type = SettingType.String,
            Required = true,
            Secret = true,
            MinLength = MinSigningKeyLength,
            Description = "The HTTP webhook signing key from Mailgun (Sending > Webhooks).",
        },
        new SettingDescriptor
        {
            Name = MaxAgeSeconds,
            Type = SettingType.Number,
            Required = false,
            Description = $"How old a signed request may be, in seconds ({MinMaxAgeSeconds}-{MaxMaxAgeSeconds}, default {DefaultMaxAgeSeconds}).",
        },
    ];
}
