using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ScoreHub.Sdk;

namespace ScoreHub.Plugins.Cart;

/// <summary>
/// Shopify webhooks: <c>checkouts/create</c>, <c>checkouts/update</c> and <c>orders/create</c>. Each delivery is
/// verified first (<c>X-Shopify-Hmac-Sha256</c>: the base64 HMAC-SHA256 of the raw body keyed with the app's client
/// secret, compared in constant time), then read by its <c>X-Shopify-Topic</c>. A retried delivery keeps its
/// <c>X-Shopify-Webhook-Id</c>, which is the <c>cart.updated</c> signal's id, so a retry is stored once.
/// </summary>
internal static class ShopifyWebhook
{
    public const string TopicHeader = "X-Shopify-Topic";
    public const string HmacHeader = "X-Shopify-Hmac-Sha256";
    public const string WebhookIdHeader = "X-Shopify-Webhook-Id";
    public const string CheckoutsCreate = "checkouts/create";
    public const string CheckoutsUpdate = "checkouts/update";
    public const string OrdersCreate = "orders/create";
    public const string Origin = "shopify";

    /// <summary>Shorter secrets are refused: they could be brute-forced from one captured webhook.</summary>
    public const int MinClientSecretLength = 16;

    private const int HmacLength = 32;

    public static SourceResponse Handle(SourceRequest request, string? clientSecret, TimeSpan abandonAfter)
    {
        if (Verify(request, clientSecret) is { } rejection)
        {
            return rejection;
        }

        var topic = request.GetHeader(TopicHeader);
        if (topic is not (CheckoutsCreate or CheckoutsUpdate or OrdersCreate))
        {
            return SourceResponse.BadRequest(TopicHeader,
                $"'{TopicHeader}' must be {CheckoutsCreate}, {CheckoutsUpdate} or {OrdersCreate}; subscribe this URL to those topics only.");
        }

        if (request.GetHeader(WebhookIdHeader) is not { Length: > 0 and <= 150 } webhookId)
        {
            return SourceResponse.BadRequest(WebhookIdHeader, $"'{WebhookIdHeader}' is required: it identifies the delivery across retries.");
        }

        try
        {
            using var document = Json.ParseObject(request);
            var cart = topic == OrdersCreate ? FromOrder(document.RootElement) : FromCheckout(document.RootElement, webhookId);
            return CartSignals.Respond(cart, abandonAfter);
        }
        catch (PayloadException ex)
        {
            return SourceResponse.BadRequest(ex.Field, ex.Message);
        }
    }

    private static SourceResponse? Verify(SourceRequest request, string? clientSecret)
    {
        if (string.IsNullOrEmpty(clientSecret))
        {
            return SourceResponse.Unauthorized($"No '{CartOptions.ClientSecret}' is configured, so Shopify webhooks cannot be verified.");
        }

        if (request.GetHeader(HmacHeader) is not { Length: > 0 } header)
        {
            return SourceResponse.Unauthorized($"The {HmacHeader} header is missing.");
        }

        Span<byte> given = stackalloc byte[HmacLength];
        if (!Convert.TryFromBase64String(header, given, out var written) || written != HmacLength)
        {
            return SourceResponse.Unauthorized($"The {HmacHeader} header must be the base64 HMAC-SHA256 of the body.");
        }

        Span<byte> expected = stackalloc byte[HmacLength];
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(clientSecret), request.Body.Span, expected);
        return CryptographicOperations.FixedTimeEquals(expected, given)
            ? null
            : SourceResponse.Unauthorized($"The {HmacHeader} header does not match the body.");
    }

    private static CartState FromCheckout(JsonElement checkout, string webhookId)
    {
        var token = Json.RequiredString(checkout, "token", 150);
        var email = Email(checkout);
        var completedAt = Json.OptionalInstant(checkout, "completed_at");
        var updatedAt = Json.RequiredInstant(checkout, "updated_at");
        return new CartState
        {
            Key = Key(token),
            CartId = token,
            // Without an email the checkout still counts as a cart visit, by an anonymous visitor keyed by the token.
            Contact = email is null ? new ContactRef { AnonymousId = Anonymous(token) } : new ContactRef { Email = email },
            CanAbandon = email is not null,
            UpdateId = "shopify-webhook:" + webhookId,
            At = completedAt ?? updatedAt,
            Value = Json.RequiredAmount(checkout, "total_price"),
            Currency = Json.OptionalString(checkout, "currency"),
            Items = ItemCount(checkout),
            RecoveryUrl = Json.OptionalString(checkout, "abandoned_checkout_url"),
            Completed = completedAt is not null,
            OrderId = Json.OptionalId(checkout, "order_id"),
            Origin = Origin,
        };
    }

    private static CartState FromOrder(JsonElement order)
    {
        var orderId = Json.OptionalId(order, "id") ?? throw new PayloadException("id", "'id' is required.");
        var token = Json.OptionalString(order, "checkout_token");
        var email = Email(order) ?? Json.OptionalString(order, "contact_email");
        return new CartState
        {
            // An order from no checkout (POS, draft orders) has nothing to cancel; its completion is keyed by the order.
            Key = token is null ? "shopify-order:" + orderId : Key(token),
            CartId = token ?? "",
            Contact = email is not null ? new ContactRef { Email = email }
                : token is not null ? new ContactRef { AnonymousId = Anonymous(token) }
                : null,
            UpdateId = "shopify-order:" + orderId,
            At = Json.OptionalInstant(order, "processed_at") ?? Json.RequiredInstant(order, "created_at"),
            Value = Json.RequiredAmount(order, "total_price"),
            Currency = Json.OptionalString(order, "currency"),
            Items = ItemCount(order),
            Completed = true,
            OrderId = orderId,
            Origin = Origin,
        };
    }

    private static string Key(string token) => "shopify:" + token;

    private static string Anonymous(string token) => "shopify-checkout:" + token;

    private static string? Email(JsonElement resource) =>
        Json.OptionalString(resource, "email")
        ?? (resource.TryGetProperty("customer", out var customer) && customer.ValueKind == JsonValueKind.Object
            ? Json.OptionalString(customer, "email", "customer.email")
            : null);

    /// <summary>The number of units in the cart: the sum of the line items' quantities.</summary>
    private static int? ItemCount(JsonElement resource)
    {
        if (!resource.TryGetProperty("line_items", out var items) || items.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (items.ValueKind != JsonValueKind.Array)
        {
            throw new PayloadException("line_items", "'line_items' must be an array.");
        }

        var count = 0;
        var index = 0;
        foreach (var item in items.EnumerateArray())
        {
            var path = $"line_items[{index++}].quantity";
            count += item.ValueKind == JsonValueKind.Object
                ? Json.OptionalCount(item, "quantity", path) ?? throw new PayloadException(path, $"'{path}' is required.")
                : throw new PayloadException(path, $"'{path}' is required.");
        }

        return count;
    }

}
