using System.Security.Cryptography;
using System.Text;

namespace ScoreHub.Host.Tests.Sources;

/// <summary>A Shopify webhook delivery as Shopify sends it to the cart source.</summary>
internal static class Shopify
{
    /// <summary>The key in the URL; the topic, delivery id, shop and body HMAC (base64 HMAC-SHA256 with the app's client secret) in headers.</summary>
    public static HttpRequestMessage Delivery(string ingestKey, string topic, string body, string webhookId, string hmac) => new(
        HttpMethod.Post, $"/api/v1/sources/scorehub.cart/shopify?key={ingestKey}")
    {
        Content = new StringContent(body, Encoding.UTF8, "application/json"),
        Headers =
        {
            { "X-Shopify-Topic", topic },
            { "X-Shopify-Hmac-Sha256", hmac },
            { "X-Shopify-Webhook-Id", webhookId },
            { "X-Shopify-Shop-Domain", "northwind-outdoor.myshopify.com" },
        },
    };

    public static string Sign(string body, string secret) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));
}
