using System.Text;
using ScoreHub.Sdk;
using ScoreHub.Sdk.Testing;

namespace Acme.Webinars.Tests;

/// <summary>Acme Webinars' payloads (Fixtures/*.json) and requests signed the way Acme signs them.</summary>
internal static class Webhooks
{
    public const string Secret = "whsec_acme_0123456789abcdef";

    public static readonly byte[] Registration = Fixture("registration.json");
    public static readonly byte[] Joined = Fixture("joined.json");
    public static readonly byte[] Left = Fixture("left.json");

    public static PluginSettings Settings => new SettingsBuilder().With(AcmeWebinarsOptions.SigningSecret, Secret).Build();

    /// <summary>A POST signed with <see cref="Secret"/> at <paramref name="at"/> (default: the kit's clock).</summary>
    public static SourceRequest Signed(ReadOnlyMemory<byte> body, DateTimeOffset? at = null, string secret = Secret)
    {
        var timestamp = (at ?? TestDefaults.Now).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TestRequests.Post(body, "application/json", new Dictionary<string, string>
        {
            [AcmeWebinarsOptions.TimestampHeader] = timestamp,
            [AcmeWebinarsOptions.SignatureHeader] = AttendanceWebhook.Sign(secret, timestamp, body.Span),
        });
    }

    public static string Text(byte[] body) => Encoding.UTF8.GetString(body);

    private static byte[] Fixture(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));
}
