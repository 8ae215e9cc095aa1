using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ScoreHub.Plugins.Email.Tests.Mailgun;

/// <summary>Webhook bodies in the shape Mailgun's webhook documentation gives: a signature object and event-data.</summary>
internal static class MailgunFixtures
{
    public const string SigningKey = "key-3ax6xnjp29jd6fds4gc373sgvjxteol0";
    public const string Settings = $$"""{"signingKey":"{{SigningKey}}"}""";

    /// <summary>An open, 2026-03-01 10:00:00.25 UTC, with the fields Mailgun sends.</summary>
    public const string Opened = """
        {"id":"CPgfbmQMTCKtHW6uIWtuVe","timestamp":1772359200.25,"log-level":"info","event":"opened",
         "recipient":"ada@example.com","recipient-domain":"example.com","tags":["nurture","week-1"],
         "campaigns":[{"id":"c1","name":"Spring nurture"}],"user-variables":{"plan":"trial"},
         "client-info":{"client-type":"browser","client-os":"Linux","device-type":"desktop","client-name":"Chrome","user-agent":"Mozilla/5.0"},
         "geolocation":{"country":"NL","region":"ZH","city":"Rotterdam"},"ip":"50.56.129.169",
         "message":{"headers":{"message-id":"20260301095959.1.ABC@mg.example.com","subject":"Your trial, week 1","from":"Acme <news@mg.example.com>","to":"ada@example.com"}}}
        """;

    public const string Clicked = """
        {"id":"Ase7i2zsRYeDXztHGENqRA","timestamp":1772359260,"event":"clicked","recipient":"ada@example.com",
         "url":"https://example.com/pricing","tags":[],"user-variables":{"campaign":"March newsletter"},
         "message":{"headers":{"message-id":"20260301095959.2.ABC@mg.example.com"}}}
        """;

    public const string Unsubscribed = """
        {"id":"u1","timestamp":1772359320,"event":"unsubscribed","recipient":"dana@example.com",
         "mailing-list":{"address":"news@mg.example.com","list-id":"news","sid":"abc"},
         "message":{"headers":{"message-id":"m3@mg.example.com"}}}
        """;

    public const string Complained = """
        {"id":"c1","timestamp":1772359380,"event":"complained","recipient":"carl@example.com",
         "message":{"headers":{"message-id":"m4@mg.example.com"}}}
        """;

    public const string Delivered = """
        {"id":"d1","timestamp":1772359140,"event":"delivered","recipient":"ada@example.com",
         "delivery-status":{"code":250,"message":"OK","attempt-no":1},"message":{"headers":{"message-id":"m1@mg.example.com"}}}
        """;

    public const string Failed = """
        {"id":"f1","timestamp":1772359140,"event":"failed","severity":"permanent","reason":"bounce","recipient":"bob@example.com",
         "delivery-status":{"code":550,"message":"No such user"},"message":{"headers":{"message-id":"m2@mg.example.com"}}}
        """;

    private static int _token;

    /// <summary>A fresh 50-character token, as Mailgun generates one per request.</summary>
    public static string NewToken() => (Interlocked.Increment(ref _token).ToString("D6", CultureInfo.InvariantCulture) + new string('a', 44));

    public static string Body(string eventData, DateTimeOffset signedAt, string? token = null, string key = SigningKey)
    {
        token ??= NewToken();
        var timestamp = signedAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(timestamp + token)));
        var body = new JsonObject
        {
            ["signature"] = new JsonObject { ["timestamp"] = timestamp, ["token"] = token, ["signature"] = signature },
            ["event-data"] = JsonNode.Parse(eventData),
        };
        return body.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
    }
}
