namespace Acme.Webinars;

/// <summary>The names a workspace and Acme Webinars' webhook use: settings, headers, event types.</summary>
public static class AcmeWebinarsOptions
{
    /// <summary>Setting: the webhook secret token from Acme Webinars' app settings (secret; at least 16 characters).</summary>
    public const string SigningSecret = "signingSecret";

    /// <summary>Header: <c>v0=&lt;hex HMAC-SHA256 of "v0:{timestamp}:{body}"&gt;</c>, keyed with the signing secret.</summary>
    public const string SignatureHeader = "X-Acme-Signature";

    /// <summary>Header: when Acme signed the request, in Unix seconds; part of the signed message.</summary>
    public const string TimestampHeader = "X-Acme-Request-Timestamp";

    /// <summary>How far the signing instant may be from the host's clock before the request counts as a replay.</summary>
    public static readonly TimeSpan SignatureTolerance = TimeSpan.FromMinutes(5);

    /// <summary>The signal for a registration, with the registrant's job title and company as contact properties.</summary>
    public const string Registered = "webinar.registered";

    /// <summary>The signal for an attendance, with <c>minutesWatched</c>.</summary>
    public const string Attended = "webinar.attended";
}
