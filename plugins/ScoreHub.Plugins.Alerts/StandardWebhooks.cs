using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ScoreHub.Plugins.Alerts;

/// <summary>
/// Signing per the Standard Webhooks spec: the key is the base64 part of a <c>whsec_</c> secret, the signed content
/// is <c>{webhook-id}.{webhook-timestamp}.{body}</c>, and the signature header is <c>v1,</c> + base64 HMAC-SHA256.
/// </summary>
internal static class StandardWebhooks
{
    public const string IdHeader = "webhook-id";

    public const string TimestampHeader = "webhook-timestamp";

    public const string SignatureHeader = "webhook-signature";

    /// <summary>The HMAC key of a <c>whsec_</c> secret; <c>null</c> with a reason when the secret is malformed.</summary>
    public static byte[]? DecodeSecret(string secret, out string? problem)
    {
        problem = null;
        if (!secret.StartsWith(AlertsOptions.SecretPrefix, StringComparison.Ordinal))
        {
            problem = $"must start with '{AlertsOptions.SecretPrefix}'.";
            return null;
        }

        byte[] key;
        try
        {
            key = Convert.FromBase64String(secret[AlertsOptions.SecretPrefix.Length..]);
        }
        catch (FormatException)
        {
            problem = $"must be '{AlertsOptions.SecretPrefix}' followed by base64.";
            return null;
        }

        if (key.Length is < AlertsOptions.MinSecretBytes or > AlertsOptions.MaxSecretBytes)
        {
            problem = $"must encode {AlertsOptions.MinSecretBytes} to {AlertsOptions.MaxSecretBytes} bytes; it encodes {key.Length}.";
            return null;
        }

        return key;
    }

    /// <summary>The <c>webhook-signature</c> value for one delivery.</summary>
    public static string Sign(byte[] key, string id, long timestamp, byte[] body)
    {
        var prefix = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{id}.{timestamp}."));
        var content = new byte[prefix.Length + body.Length];
        prefix.CopyTo(content, 0);
        body.CopyTo(content, prefix.Length);
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, content));
    }
}
