using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ScoreHub.Sdk;

namespace ScoreHub.Plugins.Cart.Tests;

/// <summary>Shopify deliveries built from the fixtures, signed the way Shopify signs them.</summary>
internal static class Shopify
{
    public const string ClientSecret = "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";
    public const string Token = "6f1c2e9a8b7d4c3e2f1a0b9c8d7e6f5a";
    public const string RecoveryUrl = "https://northwind-outdoor.myshopify.com/68467261751/checkouts/ac/6f1c2e9a8b7d4c3e2f1a0b9c8d7e6f5a/recover?key=0f4e6b1d2c3a9e8f";

    /// <summary>The checkout fixture, with fields replaced (a null value makes the field JSON null).</summary>
    public static string Checkout(params (string Name, JsonNode? Value)[] changes) => Fixture("checkout.json", changes);

    public static string Order(params (string Name, JsonNode? Value)[] changes) => Fixture("order.json", changes);

    public static SourceRequest Delivery(string topic, string body, string webhookId = "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043", string? hmac = null) =>
        new()
        {
            Method = "POST",
            Path = "/shopify",
            ContentType = "application/json",
            Body = Encoding.UTF8.GetBytes(body),
            Headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
            {
                ["X-Shopify-Topic"] = topic,
                ["X-Shopify-Hmac-Sha256"] = hmac ?? Sign(body, ClientSecret),
                ["X-Shopify-Webhook-Id"] = webhookId,
                ["X-Shopify-Shop-Domain"] = "northwind-outdoor.myshopify.com",
                ["X-Shopify-API-Version"] = "2026-01",
            },
        };

    public static string Sign(string body, string secret) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));

    private static string Fixture(string file, (string Name, JsonNode? Value)[] changes)
    {
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", file)))!.AsObject();
        foreach (var (name, value) in changes)
        {
            json[name] = value;
        }

        return json.ToJsonString();
    }
}
