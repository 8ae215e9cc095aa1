using ScoreHub.Sdk;

namespace ScoreHub.Plugins.Tags;

/// <summary>The settings a workspace gives when it activates the Tags source.</summary>
public static class TagsOptions
{
    /// <summary>The shared secret the CRM signs each webhook body with (HMAC-SHA256).</summary>
    public const string SigningSecret = "signingSecret";

    /// <summary>Shorter secrets are refused: they can be brute-forced from one captured webhook.</summary>
    public const int MinSigningSecretLength = 16;

    /// <summary>The header carrying <c>sha256=&lt;lower-case hex HMAC-SHA256 of the raw body&gt;</c>.</summary>
    public const string SignatureHeader = "X-ScoreHub-Signature";

    /// <summary>The settings as declared in the manifest.</summary>
    public static IReadOnlyList<SettingDescriptor> Descriptors { get; } =
    [
        new SettingDescriptor
        {
            Name = SigningSecret,
            Type = SettingType.String,
            Required = true,
            Secret = true,
            MinLength = MinSigningSecretLength,
            Description = $"Shared secret used to verify the {SignatureHeader} header; at least {MinSigningSecretLength} characters.",
        },
    ];
}
