using System.Text.Json;
using ScoreHub.Sdk;

namespace ScoreHub.Plugins.Cart;

/// <summary>
/// The generic cart API for shops that are not on Shopify: one cart per request, authenticated by the workspace's
/// ingest key alone (the host checks it before the plugin is called).
/// </summary>
/// <remarks>
/// <c>{"cartId", "email" | "externalId", "value", "currency", "recoveryUrl", "items", "status": "open" | "completed",
/// "updatedAt", "orderId"}</c>. An open cart is scheduled for abandonment whenever its contact is given (the API
/// requires one). The <c>cart.updated</c> id is derived from the cart and <c>updatedAt</c> (default: now), so a
/// client that sends <c>updatedAt</c> can retry safely.
/// </remarks>
internal static class CartApi
{
    public const string Open = "open";
    public const string Completed = "completed";

    public static SourceResponse Handle(SourceRequest request, DateTimeOffset now, TimeSpan abandonAfter)
    {
        try
        {
            using var document = Json.ParseObject(request);
            return CartSignals.Respond(Read(document.RootElement, now), abandonAfter);
        }
        catch (PayloadException ex)
        {
            return SourceResponse.BadRequest(ex.Field, ex.Message);
        }
    }

    private static CartState Read(JsonElement cart, DateTimeOffset now)
    {
        var cartId = Json.RequiredString(cart, "cartId", 150);
        var email = Json.OptionalString(cart, "email");
        var externalId = Json.OptionalString(cart, "externalId");
        if (email is null && externalId is null)
        {
            throw new PayloadException("email", "'email' or 'externalId' is required: an abandoned cart needs someone to win back.");
        }

        var status = Json.OptionalString(cart, "status") ?? Open;
        if (status is not (Open or Completed))
        {
            throw new PayloadException("status", $"'status' must be '{Open}' or '{Completed}'.");
        }

        var currency = Json.OptionalString(cart, "currency");
        if (currency is not null && (currency.Length != 3 || !currency.All(char.IsAsciiLetter)))
        {
            throw new PayloadException("currency", "'currency' must be a three-letter ISO 4217 code, e.g. EUR.");
        }

        var recoveryUrl = Json.OptionalString(cart, "recoveryUrl");
        if (recoveryUrl is not null
            && (!Uri.TryCreate(recoveryUrl, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http")))
        {
            throw new PayloadException("recoveryUrl", "'recoveryUrl' must be an absolute http or https URL.");
        }

        var at = Json.OptionalInstant(cart, "updatedAt") ?? now;
        var key = "api:" + cartId;
        return new CartState
        {
            Key = key,
            CartId = cartId,
            Contact = new ContactRef { Email = email, ExternalId = externalId },
            CanAbandon = true,
            UpdateId = $"{CartSignals.Updated}:{key}:{at.UtcTicks}",
            At = at,
            Value = Json.RequiredAmount(cart, "value"),
            Currency = currency?.ToUpperInvariant(),
            Items = Json.OptionalCount(cart, "items"),
            RecoveryUrl = recoveryUrl,
            Completed = status == Completed,
            OrderId = Json.OptionalId(cart, "orderId"),
        };
    }
}
