using System.Security.Cryptography;
using System.Text;
using ScoreHub.Sdk;
using ScoreHub.Sdk.Testing;

namespace ScoreHub.Plugins.Cart.Tests;

/// <summary>The signal-source contract, checked against scorehub.cart with the Shopify fixtures.</summary>
public sealed class CartSourceCompliance : SignalSourceCompliance<ISignalSource>
{
    protected override ISignalSource CreatePlugin() => new CartSource();

    protected override PluginSettings ValidSettings => new SettingsBuilder().With(CartOptions.ClientSecret, Shopify.ClientSecret).Build();

    protected override DateTimeOffset Now => new(2026, 3, 2, 9, 30, 0, TimeSpan.Zero);

    protected override IEnumerable<SourceRequest> SampleRequests() =>
    [
        Shopify.Delivery("checkouts/create", Shopify.Checkout(), webhookId: "wh-1"),
        Shopify.Delivery("checkouts/update", Shopify.Checkout(), webhookId: "wh-2"),
        Shopify.Delivery("orders/create", Shopify.Order(), webhookId: "wh-order"),
    ];

    /// <summary>Shopify signs the raw body: each malformed body is signed again so it reaches the parser.</summary>
    protected override SourceRequest WithBody(SourceRequest sample, ReadOnlyMemory<byte> body)
    {
        var headers = new Dictionary<string, string>(sample.Headers, StringComparer.OrdinalIgnoreCase)
        {
            ["X-Shopify-Hmac-Sha256"] = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Shopify.ClientSecret), body.Span)),
        };
        return TestRequests.Copy(sample, body: body, headers: headers);
    }

    protected override SourceRequest? UnverifiedRequest =>
        Shopify.Delivery("checkouts/create", Shopify.Checkout(), hmac: Shopify.Sign(Shopify.Checkout(), "not-the-client-secret"));
}
