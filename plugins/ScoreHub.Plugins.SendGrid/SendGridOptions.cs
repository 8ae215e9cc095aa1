using ScoreHub.Sdk;

namespace ScoreHub.Plugins.SendGrid;

/// <summary>The settings a workspace gives when it activates the SendGrid source.</summary>
public static class SendGridOptions
{
    /// <summary>
    /// The verification key SendGrid shows for the Signed Event Webhook: base64 of a DER SubjectPublicKeyInfo
    /// holding an ECDSA P-256 public key. PEM armour around it is tolerated.
    /// </summary>
    public const string PublicKey = "publicKey";

    /// <summary>
    /// When <c>true</c>, machine opens (<c>sg_machine_open</c>, e.g. Apple Mail Privacy Protection prefetching the
    /// tracking pixel) are stored as <c>email.opened</c> with <c>machineOpen=true</c>; otherwise as
    /// <c>email.machine_opened</c>, which <c>email.opened</c> rules do not match.
    /// </summary>
    public const string ScoreMachineOpens = "scoreMachineOpens";

    /// <summary>Carries the base64 DER ECDSA signature of (timestamp header + raw body).</summary>
    public const string SignatureHeader = "X-Twilio-Email-Event-Webhook-Signature";

    /// <summary>Carries the timestamp that was signed together with the body.</summary>
    public const string TimestampHeader = "X-Twilio-Email-Event-Webhook-Timestamp";

    /// <summary>The settings as declared in the manifest.</summary>
    public static IReadOnlyList<SettingDescriptor> Descriptors { get; } =
    [
        new SettingDescriptor
        {
            Name = PublicKey,
            Type = SettingType.String,
            Required = true,
            // A public key: nothing to hide, and showing it back lets people check which key is configured.
            Secret = false,
            Description = "The Signed Event Webhook verification key from SendGrid (Settings > Mail Settings > Event Webhook), base64.",
        },
        new SettingDescriptor
        {
            Name = ScoreMachineOpens,
            Type = SettingType.Boolean,
            Required = false,
            Description = "Store machine opens (Apple Mail privacy proxy) as email.opened with machineOpen=true instead of email.machine_opened. Default false.",
        },
    ];
}
