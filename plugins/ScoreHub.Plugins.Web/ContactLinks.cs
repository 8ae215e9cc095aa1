using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace ScoreHub.Plugins.Web;

/// <summary>
/// Contact tokens for links in emails: <c>base64url(email) "." base64url(HMAC-SHA256(linkSecret, email))</c>,
/// both parts UTF-8 and unpadded. Whoever knows the workspace's <c>linkSecret</c> can make one; nobody else can,
/// so a visitor cannot claim to be someone else by editing a link.
/// </summary>
public static class ContactLinks
{
    private const int MaxEmailLength = 254;

    /// <summary>Makes the token for <paramref name="email"/>, to put in a link as <c>?sh_ct=&lt;token&gt;</c>.</summary>
    public static string Token(string email, string linkSecret)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(email);
        ArgumentException.ThrowIfNullOrWhiteSpace(linkSecret);
        var emailBytes = Encoding.UTF8.GetBytes(email.Trim());
        return Base64Url.EncodeToString(emailBytes) + "." + Base64Url.EncodeToString(Mac(linkSecret, emailBytes));
    }

    /// <summary>The email a token names, or <c>null</c> when it is malformed or was not made with <paramref name="linkSecret"/>.</summary>
    internal static string? Verify(string token, string linkSecret)
    {
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || dot != token.LastIndexOf('.') || token.Length > 1024)
        {
            return null;
        }

        byte[] emailBytes, given;
        try
        {
            emailBytes = Base64Url.DecodeFromChars(token.AsSpan(0, dot));
            given = Base64Url.DecodeFromChars(token.AsSpan(dot + 1));
        }
        catch (FormatException)
        {
            return null;
        }

        if (!CryptographicOperations.FixedTimeEquals(Mac(linkSecret, emailBytes), given))
        {
            return null;
        }

        var email = Encoding.UTF8.GetString(emailBytes);
        return email.Length <= MaxEmailLength && Emails.LooksValid(email) ? email : null;
    }

    private static byte[] Mac(string secret, byte[] email) => HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), email);
}

/// <summary>The same plausibility check the host applies to a contact's email, so a hit never fails the batch on it.</summary>
internal static class Emails
{
    public static bool LooksValid(string? email)
    {
        if (string.IsNullOrEmpty(email) || email.Length > 254)
        {
            return false;
        }

        var at = email.IndexOf('@', StringComparison.Ordinal);
        return at > 0 && at < email.Length - 1 && email.IndexOf('@', at + 1) < 0 && !email.Any(char.IsWhiteSpace);
    }
}
