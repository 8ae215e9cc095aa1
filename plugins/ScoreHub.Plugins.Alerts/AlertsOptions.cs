using ScoreHub.Sdk;

namespace ScoreHub.Plugins.Alerts;

/// <summary>The workspace settings and the per-trigger parameters of the Alerts action.</summary>
public static class AlertsOptions
{
    /// <summary>Setting: the default webhook URL, used when a trigger's parameters name none.</summary>
    public const string WebhookUrl = "webhookUrl";

    /// <summary>Setting: the Standard Webhooks signing secret, <c>whsec_</c> followed by base64 of 24 to 64 random bytes.</summary>
    public const string WebhookSecret = "webhookSecret";

    /// <summary>Setting: the SMTP server's host name.</summary>
    public const string SmtpHost = "smtpHost";

    /// <summary>Setting: the SMTP port; 587 with STARTTLS, 25 without.</summary>
    public const string SmtpPort = "smtpPort";

    /// <summary>Setting: the sender address of alert emails.</summary>
    public const string From = "from";

    /// <summary>Setting: the SMTP user name, when the server wants authentication.</summary>
    public const string SmtpUsername = "smtpUsername";

    /// <summary>Setting: the SMTP password.</summary>
    public const string SmtpPassword = "smtpPassword";

    /// <summary>Setting: upgrade the connection with STARTTLS before sending (default <c>true</c>).</summary>
    public const string UseStartTls = "useStartTls";

    /// <summary>Setting: where alert emails go when the lead's owner is not an email address.</summary>
    public const string DefaultRecipient = "defaultRecipient";

    /// <summary>Parameter: <c>webhook</c>, <c>email</c> or <c>feed</c>.</summary>
    public const string Channel = "channel";

    /// <summary>Parameter (webhook): the URL to post to, instead of the <see cref="WebhookUrl"/> setting.</summary>
    public const string Url = "url";

    /// <summary>Parameter (email): always send to this address instead of the lead's owner.</summary>
    public const string To = "to";

    /// <summary>Parameter (feed): <c>info</c>, <c>success</c> or <c>warning</c>, instead of the level derived from the direction.</summary>
    public const string Level = "level";

    /// <summary>The lead property holding the owner (an email address, for email alerts).</summary>
    public const string OwnerProperty = "owner";

    /// <summary>The prefix of a Standard Webhooks secret.</summary>
    public const string SecretPrefix = "whsec_";

    /// <summary>The event type of the webhook payload.</summary>
    public const string WebhookEventType = "lead.score_changed";

    internal const int MinSecretBytes = 24;

    internal const int MaxSecretBytes = 64;

    internal static readonly string[] Channels = ["webhook", "email", "feed"];

    internal static readonly string[] Levels = ["info", "success", "warning"];

    /// <summary>The settings as declared in the manifest. Each channel needs only its own.</summary>
    public static IReadOnlyList<SettingDescriptor> Descriptors { get; } =
    [
        new() { Name = WebhookUrl, Description = "Default URL for webhook alerts (absolute http or https); a trigger's 'url' parameter overrides it." },
        new() { Name = WebhookSecret, Secret = true, Description = "Standard Webhooks signing secret: 'whsec_' + base64 of 24-64 random bytes. Required for webhook alerts." },
        new() { Name = SmtpHost, Description = "SMTP server host. Required for email alerts." },
        new() { Name = SmtpPort, Type = SettingType.Number, Description = "SMTP port; default 587 with STARTTLS, 25 without." },
        new() { Name = From, Description = "Sender address of alert emails, e.g. 'ScoreHub <alerts@example.com>'. Required for email alerts." },
        new() { Name = SmtpUsername, Description = "SMTP user name, when the server requires authentication (AUTH LOGIN)." },
        new() { Name = SmtpPassword, Secret = true, Description = "SMTP password." },
        new() { Name = UseStartTls, Type = SettingType.Boolean, Description = "Upgrade the SMTP connection with STARTTLS (default true). Implicit TLS (port 465) is not supported." },
        new() { Name = DefaultRecipient, Description = "Recipient of email alerts for leads whose 'owner' property is not an email address." },
    ];
}
