using ScoreHub.Sdk;

namespace ScoreHub.Plugins.Cart;

/// <summary>The settings a workspace gives when it activates the cart source.</summary>
public static class CartOptions
{
    /// <summary>
    /// The Shopify app's client secret (API secret key), which signs every webhook body. Needed only for the
    /// <c>/shopify</c> webhook route; the generic <c>/carts</c> API is authenticated by the ingest key alone.
    /// </summary>
    public const string ClientSecret = "clientSecret";

    /// <summary>Minutes after a cart's last update with no completion before it counts as abandoned.</summary>
    public const string AbandonAfter = "abandonAfter";

    /// <summary>The default of <see cref="AbandonAfter"/>: an hour.</summary>
    public const int DefaultAbandonAfterMinutes = 60;

    /// <summary>The largest <see cref="AbandonAfter"/>: 30 days.</summary>
    public const int MaxAbandonAfterMinutes = 43_200;

    /// <summary>The settings as declared in the manifest.</summary>
    public static IReadOnlyList<SettingDescriptor> Descriptors { get; } =
    [
        new SettingDescriptor
        {
            Name = ClientSecret,
            Type = SettingType.String,
            Secret = true,
            MinLength = ShopifyWebhook.MinClientSecretLength,
            Description = "The Shopify app's client secret, used to verify the X-Shopify-Hmac-Sha256 header of webhooks. Required for the /shopify route only.",
        },
        new SettingDescriptor
        {
            Name = AbandonAfter,
            Type = SettingType.Number,
            Description = $"Minutes after a cart's last update, with no completion, before cart.abandoned is recorded (1 to {MaxAbandonAfterMinutes}; default {DefaultAbandonAfterMinutes}).",
        },
    ];
}
