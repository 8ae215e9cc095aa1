using System.Globalization;
using ScoreHub.Sdk;

namespace ScoreHub.Plugins.Cart;

/// <summary>What a webhook or an API call said about one cart, whichever way it came in.</summary>
internal sealed class CartState
{
    /// <summary>
    /// The cart's identity within this plugin, namespaced by origin (<c>shopify:&lt;checkout token&gt;</c>,
    /// <c>api:&lt;cartId&gt;</c>): the schedule key and the root of every derived signal id.
    /// </summary>
    public required string Key { get; init; }

    /// <summary>The cart's id as the shop names it (Shopify's checkout token, the API's cartId).</summary>
    public required string CartId { get; init; }

    /// <summary>Who the cart belongs to; null when nobody is known (no signal can be recorded).</summary>
    public ContactRef? Contact { get; init; }

    /// <summary>Whether an abandonment may be scheduled: the contact is known well enough to win back.</summary>
    public bool CanAbandon { get; init; }

    /// <summary>The id of the <c>cart.updated</c> signal: the webhook delivery id, or derived from the update instant.</summary>
    public required string UpdateId { get; init; }

    /// <summary>When the cart last changed (or, completed, when it was completed).</summary>
    public required DateTimeOffset At { get; init; }

    public required decimal Value { get; init; }

    public string? Currency { get; init; }

    public int? Items { get; init; }

    public string? RecoveryUrl { get; init; }

    public bool Completed { get; init; }

    public string? OrderId { get; init; }

    /// <summary>The originating tool, recorded as the <c>source</c> property when set.</summary>
    public string? Origin { get; init; }
}

/// <summary>
/// The abandonment rules, shared by every way a cart arrives. An open cart is a <c>cart.updated</c> and, when its
/// contact is known, a <c>cart.abandoned</c> scheduled for <c>At + abandonAfter</c> under the cart's key (each update
/// replaces it, pushing the deadline). A completed cart is a <c>checkout.completed</c> and cancels the pending
/// abandonment. Derived signal ids depend only on the cart, so however often a cart is scheduled, completed or
/// retried, the ledger holds at most one abandonment and one completion per cart.
/// </summary>
internal static class CartSignals
{
    public const string Updated = "cart.updated";
    public const string Abandoned = "cart.abandoned";
    public const string CheckoutCompleted = "checkout.completed";

    public static SourceResponse Respond(CartState cart, TimeSpan abandonAfter)
    {
        if (cart.Completed)
        {
            Signal[] completed = cart.Contact is null ? [] : [Completion(cart)];
            return SourceResponse.Accept(completed, [], [cart.Key]);
        }

        if (cart.Contact is null)
        {
            return SourceResponse.Accept([]);
        }

        var update = Make(cart, cart.UpdateId, Updated, cart.At);
        if (!cart.CanAbandon)
        {
            return SourceResponse.Accept([update]);
        }

        var due = cart.At + abandonAfter;
        var abandonment = new ScheduledSignal { Key = cart.Key, DueAt = due, Signal = Make(cart, $"{Abandoned}:{cart.Key}", Abandoned, due) };
        return SourceResponse.Accept([update], [abandonment], []);
    }

    private static Signal Completion(CartState cart)
    {
        var signal = Make(cart, $"{CheckoutCompleted}:{cart.Key}", CheckoutCompleted, cart.At);
        if (cart.OrderId is null)
        {
            return signal;
        }

        var properties = new Dictionary<string, string>(signal.Properties, StringComparer.Ordinal) { ["orderId"] = cart.OrderId };
        return new Signal { Id = signal.Id, Type = signal.Type, OccurredAt = signal.OccurredAt, Contact = signal.Contact, Properties = properties };
    }

    private static Signal Make(CartState cart, string id, string type, DateTimeOffset at)
    {
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        Add(properties, "cartId", cart.CartId);
        properties["value"] = cart.Value.ToString(CultureInfo.InvariantCulture);
        Add(properties, "currency", cart.Currency);
        Add(properties, "items", cart.Items?.ToString(CultureInfo.InvariantCulture));
        if (type != CheckoutCompleted)
        {
            Add(properties, "recoveryUrl", cart.RecoveryUrl);
        }

        Add(properties, "source", cart.Origin);
        return new Signal { Id = id, Type = type, OccurredAt = at, Contact = cart.Contact!, Properties = properties };
    }

    private static void Add(Dictionary<string, string> properties, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            properties[name] = value;
        }
    }
}
