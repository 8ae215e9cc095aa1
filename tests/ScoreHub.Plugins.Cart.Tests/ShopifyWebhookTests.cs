using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ScoreHub.Sdk;

namespace ScoreHub.Plugins.Cart.Tests;

public sealed class ShopifyWebhookTests
{
    private static readonly DateTimeOffset UpdatedAt = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private readonly CartSource _plugin = new();

    [Fact]
    public async Task Checkout_with_an_email_is_a_cart_update_and_schedules_its_abandonment_an_hour_after_the_update()
    {
        var response = await HandleAsync(Shopify.Delivery("checkouts/create", Shopify.Checkout(), webhookId: "wh-1"));

        Assert.Equal(200, response.StatusCode);
        var update = Assert.Single(response.Signals);
        Assert.Equal("shopify-webhook:wh-1", update.Id);
        Assert.Equal("cart.updated", update.Type);
        Assert.Equal(UpdatedAt, update.OccurredAt);
        Assert.Equal("ada@example.com", update.Contact.Email);
        Assert.Null(update.Contact.AnonymousId);
        Assert.Equal(CartProperties(), update.Properties);

        var scheduled = Assert.Single(response.Schedule);
        Assert.Equal("shopify:" + Shopify.Token, scheduled.Key);
        Assert.Equal(UpdatedAt.AddMinutes(60), scheduled.DueAt);
        Assert.Equal("cart.abandoned:shopify:" + Shopify.Token, scheduled.Signal.Id);
        Assert.Equal("cart.abandoned", scheduled.Signal.Type);
        Assert.Equal(UpdatedAt.AddMinutes(60), scheduled.Signal.OccurredAt);
        Assert.Equal("ada@example.com", scheduled.Signal.Contact.Email);
        Assert.Equal(CartProperties(), scheduled.Signal.Properties);
        Assert.Empty(response.Cancel);
    }

    [Fact]
    public async Task Checkout_update_schedules_under_the_same_key_from_its_own_update_time()
    {
        var response = await HandleAsync(Shopify.Delivery("checkouts/update",
            Shopify.Checkout(("updated_at", "2026-03-02T10:25:00+01:00"), ("total_price", "129.00")), webhookId: "wh-2"));

        var scheduled = Assert.Single(response.Schedule);
        Assert.Equal("shopify:" + Shopify.Token, scheduled.Key);
        Assert.Equal(UpdatedAt.AddMinutes(25 + 60), scheduled.DueAt);
        Assert.Equal("129.00", scheduled.Signal.Properties["value"]);
        Assert.Equal("shopify-webhook:wh-2", Assert.Single(response.Signals).Id);
    }

    [Fact]
    public async Task Abandonment_delay_comes_from_the_abandonAfter_setting()
    {
        var response = await HandleAsync(Shopify.Delivery("checkouts/create", Shopify.Checkout()), $$"""{"clientSecret":"{{Shopify.ClientSecret}}","abandonAfter":15}""");

        Assert.Equal(UpdatedAt.AddMinutes(15), Assert.Single(response.Schedule).DueAt);
    }

    [Fact]
    public async Task Checkout_without_an_email_is_an_anonymous_cart_update_and_schedules_nothing()
    {
        var response = await HandleAsync(Shopify.Delivery("checkouts/create", Shopify.Checkout(("email", null), ("customer", null))));

        var update = Assert.Single(response.Signals);
        Assert.Equal("cart.updated", update.Type);
        Assert.Null(update.Contact.Email);
        Assert.Equal("shopify-checkout:" + Shopify.Token, update.Contact.AnonymousId);
        Assert.Empty(response.Schedule);
        Assert.Empty(response.Cancel);
    }

    [Fact]
    public async Task Checkout_email_falls_back_to_the_customer_email()
    {
        var response = await HandleAsync(Shopify.Delivery("checkouts/create", Shopify.Checkout(("email", ""))));

        Assert.Equal("ada@example.com", Assert.Single(response.Signals).Contact.Email);
        Assert.Single(response.Schedule);
    }

    [Fact]
    public async Task Completed_checkout_is_a_completion_and_cancels_the_pending_abandonment()
    {
        var response = await HandleAsync(Shopify.Delivery("checkouts/update",
            Shopify.Checkout(("completed_at", "2026-03-02T10:20:29+01:00"), ("order_id", 5832641904951))));

        var completed = Assert.Single(response.Signals);
        Assert.Equal("checkout.completed:shopify:" + Shopify.Token, completed.Id);
        Assert.Equal("checkout.completed", completed.Type);
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 9, 20, 29, TimeSpan.Zero), completed.OccurredAt);
        Assert.Equal(new Dictionary<string, string>
        {
            ["cartId"] = Shopify.Token,
            ["value"] = "168.00",
            ["currency"] = "EUR",
            ["items"] = "3",
            ["source"] = "shopify",
            ["orderId"] = "5832641904951",
        }, completed.Properties);
        Assert.Empty(response.Schedule);
        Assert.Equal(["shopify:" + Shopify.Token], response.Cancel);
    }

    [Fact]
    public async Task Order_created_from_a_checkout_is_the_same_completion_and_cancels_the_abandonment()
    {
        var response = await HandleAsync(Shopify.Delivery("orders/create", Shopify.Order(), webhookId: "wh-order"));

        var completed = Assert.Single(response.Signals);
        Assert.Equal("checkout.completed:shopify:" + Shopify.Token, completed.Id);
        Assert.Equal("ada@example.com", completed.Contact.Email);
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 9, 20, 29, TimeSpan.Zero), completed.OccurredAt);
        Assert.Equal("5832641904951", completed.Properties["orderId"]);
        Assert.Equal("168.00", completed.Properties["value"]);
        Assert.Equal(Shopify.Token, completed.Properties["cartId"]);
        Assert.Equal(["shopify:" + Shopify.Token], response.Cancel);
        Assert.Empty(response.Schedule);
    }

    [Fact]
    public async Task Order_without_a_checkout_is_a_completion_keyed_by_the_order()
    {
        var response = await HandleAsync(Shopify.Delivery("orders/create", Shopify.Order(("checkout_token", null))));

        var completed = Assert.Single(response.Signals);
        Assert.Equal("checkout.completed:shopify-order:5832641904951", completed.Id);
        Assert.False(completed.Properties.ContainsKey("cartId"));
        Assert.Equal(["shopify-order:5832641904951"], response.Cancel);
    }

    [Fact]
    public async Task Signature_made_with_another_secret_is_unauthorized_and_returns_nothing()
    {
        var body = Shopify.Checkout();

        var response = await HandleAsync(Shopify.Delivery("checkouts/create", body, hmac: Shopify.Sign(body, "shpss_not-the-app-secret-000000")));

        Assert.Equal(401, response.StatusCode);
        Assert.Equal("The X-Shopify-Hmac-Sha256 header does not match the body.", response.Detail);
        Assert.Empty(response.Signals);
        Assert.Empty(response.Schedule);
    }

    [Fact]
    public async Task Body_changed_after_signing_is_unauthorized()
    {
        var body = Shopify.Checkout();
        var tampered = body.Replace("168.00", "1.00", StringComparison.Ordinal);

        var response = await HandleAsync(Shopify.Delivery("checkouts/create", tampered, hmac: Shopify.Sign(body, Shopify.ClientSecret)));

        Assert.Equal(401, response.StatusCode);
    }

    [Theory]
    [InlineData("", "The X-Shopify-Hmac-Sha256 header is missing.")]
    [InlineData("not base64!", "The X-Shopify-Hmac-Sha256 header must be the base64 HMAC-SHA256 of the body.")]
    [InlineData("c2hvcnQ=", "The X-Shopify-Hmac-Sha256 header must be the base64 HMAC-SHA256 of the body.")]
    public async Task Missing_or_malformed_signature_is_unauthorized(string hmac, string detail)
    {
        var response = await HandleAsync(Shopify.Delivery("checkouts/create", Shopify.Checkout(), hmac: hmac));

        Assert.Equal(401, response.StatusCode);
        Assert.Equal(detail, response.Detail);
    }

    [Fact]
    public async Task Webhooks_are_unauthorized_when_no_client_secret_is_configured()
    {
        var response = await HandleAsync(Shopify.Delivery("checkouts/create", Shopify.Checkout()), "{}");

        Assert.Equal(401, response.StatusCode);
        Assert.Equal("No 'clientSecret' is configured, so Shopify webhooks cannot be verified.", response.Detail);
    }

    [Theory]
    [InlineData("""{"token":""", "body")]
    [InlineData("[]", "body")]
    public async Task Unreadable_body_is_a_bad_request_naming_the_body(string body, string field)
    {
        var response = await HandleAsync(Shopify.Delivery("checkouts/create", body));

        Assert.Equal(400, response.StatusCode);
        Assert.Equal(field, response.Field);
    }

    public static TheoryData<string, string, JsonNode?, string> MalformedFields => new()
    {
        { "checkouts/create", "token", null, "token" },
        { "checkouts/create", "updated_at", "yesterday", "updated_at" },
        { "checkouts/create", "total_price", "12,50", "total_price" },
        { "checkouts/update", "total_price", "-1.00", "total_price" },
        { "checkouts/update", "completed_at", "soon", "completed_at" },
        { "checkouts/create", "email", 42, "email" },
        { "orders/create", "id", null, "id" },
        { "orders/create", "total_price", null, "total_price" },
    };

    [Theory]
    [MemberData(nameof(MalformedFields))]
    public async Task Malformed_field_is_a_bad_request_naming_it(string topic, string name, JsonNode? value, string field)
    {
        var body = topic == "orders/create" ? Shopify.Order((name, value)) : Shopify.Checkout((name, value));

        var response = await HandleAsync(Shopify.Delivery(topic, body));

        Assert.Equal(400, response.StatusCode);
        Assert.Equal(field, response.Field);
        Assert.Empty(response.Signals);
        Assert.Empty(response.Schedule);
        Assert.Empty(response.Cancel);
    }

    [Fact]
    public async Task Line_item_without_a_quantity_is_named_by_its_path()
    {
        var items = JsonNode.Parse("""[{"title":"Trail Runner","quantity":1},{"title":"Merino Sock","quantity":"two"}]""");

        var response = await HandleAsync(Shopify.Delivery("checkouts/create", Shopify.Checkout(("line_items", items))));

        Assert.Equal(400, response.StatusCode);
        Assert.Equal("line_items[1].quantity", response.Field);
    }

    [Theory]
    [InlineData("products/update")]
    [InlineData("")]
    public async Task Topic_other_than_checkouts_and_orders_is_a_bad_request_naming_the_header(string topic)
    {
        var response = await HandleAsync(Shopify.Delivery(topic, Shopify.Checkout()));

        Assert.Equal(400, response.StatusCode);
        Assert.Equal("X-Shopify-Topic", response.Field);
    }

    [Fact]
    public async Task Delivery_without_a_webhook_id_is_a_bad_request_naming_the_header()
    {
        var response = await HandleAsync(Shopify.Delivery("checkouts/create", Shopify.Checkout(), webhookId: ""));

        Assert.Equal(400, response.StatusCode);
        Assert.Equal("X-Shopify-Webhook-Id", response.Field);
    }

    private static Dictionary<string, string> CartProperties() => new()
    {
        ["cartId"] = Shopify.Token,
        ["value"] = "168.00",
        ["currency"] = "EUR",
        ["items"] = "3",
        ["recoveryUrl"] = Shopify.RecoveryUrl,
        ["source"] = "shopify",
    };

    private Task<SourceResponse> HandleAsync(SourceRequest request, string? settings = null) =>
        _plugin.HandleAsync(request, Contexts.With(settings ?? $$"""{"clientSecret":"{{Shopify.ClientSecret}}"}"""), CancellationToken.None).AsTask();
}

internal static class Contexts
{
    public static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 30, 0, TimeSpan.Zero);

    public static SourceContext With(string settings) => new()
    {
        WorkspaceId = "ws_1",
        Settings = PluginSettings.Parse(settings),
        Clock = new FakeTimeProvider(Now),
        Logger = NullLogger.Instance,
    };
}
