using System.Text;
using ScoreHub.Sdk;

namespace ScoreHub.Plugins.Cart.Tests;

public sealed class CartApiTests
{
    private const string OpenCart = """
        {"cartId":"c-981","email":"grace@example.com","value":249.9,"currency":"eur","items":2,
         "recoveryUrl":"https://shop.example.com/cart/c-981/recover","status":"open","updatedAt":"2026-03-02T09:10:00Z"}
        """;

    private readonly CartSource _plugin = new();

    [Fact]
    public async Task Open_cart_is_a_cart_update_and_schedules_its_abandonment()
    {
        var response = await PostAsync(OpenCart);

        Assert.Equal(200, response.StatusCode);
        var update = Assert.Single(response.Signals);
        var updatedAt = new DateTimeOffset(2026, 3, 2, 9, 10, 0, TimeSpan.Zero);
        Assert.Equal($"cart.updated:api:c-981:{updatedAt.UtcTicks}", update.Id);
        Assert.Equal("cart.updated", update.Type);
        Assert.Equal(updatedAt, update.OccurredAt);
        Assert.Equal("grace@example.com", update.Contact.Email);
        var expected = new Dictionary<string, string>
        {
            ["cartId"] = "c-981",
            ["value"] = "249.9",
            ["currency"] = "EUR",
            ["items"] = "2",
            ["recoveryUrl"] = "https://shop.example.com/cart/c-981/recover",
        };
        Assert.Equal(expected, update.Properties);

        var scheduled = Assert.Single(response.Schedule);
        Assert.Equal("api:c-981", scheduled.Key);
        Assert.Equal(updatedAt.AddHours(1), scheduled.DueAt);
        Assert.Equal("cart.abandoned:api:c-981", scheduled.Signal.Id);
        Assert.Equal("cart.abandoned", scheduled.Signal.Type);
        Assert.Equal(expected, scheduled.Signal.Properties);
        Assert.Empty(response.Cancel);
    }

    [Fact]
    public async Task Cart_known_only_by_external_id_is_scheduled_too()
    {
        var response = await PostAsync("""{"cartId":"c-2","externalId":"crm-7","value":"10.00"}""");

        Assert.Equal("crm-7", Assert.Single(response.Signals).Contact.ExternalId);
        Assert.Equal("crm-7", Assert.Single(response.Schedule).Signal.Contact.ExternalId);
    }

    [Fact]
    public async Task Cart_without_updatedAt_is_dated_now_by_the_clock()
    {
        var response = await PostAsync("""{"cartId":"c-3","email":"grace@example.com","value":5}""");

        Assert.Equal(Contexts.Now, Assert.Single(response.Signals).OccurredAt);
        Assert.Equal(Contexts.Now.AddHours(1), Assert.Single(response.Schedule).DueAt);
    }

    [Fact]
    public async Task Completed_cart_is_a_completion_and_cancels_the_abandonment()
    {
        var response = await PostAsync("""
            {"cartId":"c-981","email":"grace@example.com","value":249.9,"currency":"EUR","status":"completed","orderId":"o-55","updatedAt":"2026-03-02T09:40:00Z"}
            """);

        var completed = Assert.Single(response.Signals);
        Assert.Equal("checkout.completed:api:c-981", completed.Id);
        Assert.Equal("checkout.completed", completed.Type);
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 9, 40, 0, TimeSpan.Zero), completed.OccurredAt);
        Assert.Equal(new Dictionary<string, string> { ["cartId"] = "c-981", ["value"] = "249.9", ["currency"] = "EUR", ["orderId"] = "o-55" }, completed.Properties);
        Assert.Equal(["api:c-981"], response.Cancel);
        Assert.Empty(response.Schedule);
    }

    [Theory]
    [InlineData("""{"email":"a@example.com","value":1}""", "cartId")]
    [InlineData("""{"cartId":"c","value":1}""", "email")]
    [InlineData("""{"cartId":"c","email":"a@example.com"}""", "value")]
    [InlineData("""{"cartId":"c","email":"a@example.com","value":"lots"}""", "value")]
    [InlineData("""{"cartId":"c","email":"a@example.com","value":1,"status":"paid"}""", "status")]
    [InlineData("""{"cartId":"c","email":"a@example.com","value":1,"currency":"euro"}""", "currency")]
    [InlineData("""{"cartId":"c","email":"a@example.com","value":1,"recoveryUrl":"javascript:alert(1)"}""", "recoveryUrl")]
    [InlineData("""{"cartId":"c","email":"a@example.com","value":1,"items":-1}""", "items")]
    [InlineData("""{"cartId":"c","email":"a@example.com","value":1,"updatedAt":"tuesday"}""", "updatedAt")]
    [InlineData("""not json""", "body")]
    public async Task Malformed_cart_is_a_bad_request_naming_the_field(string body, string field)
    {
        var response = await PostAsync(body);

        Assert.Equal(400, response.StatusCode);
        Assert.Equal(field, response.Field);
        Assert.Empty(response.Signals);
        Assert.Empty(response.Schedule);
    }

    [Fact]
    public async Task Cart_api_needs_no_shopify_secret()
    {
        var response = await _plugin.HandleAsync(Request("/carts", OpenCart), Contexts.With("{}"), CancellationToken.None);

        Assert.Equal(200, response.StatusCode);
    }

    [Theory]
    [InlineData("POST", "/cart", "path")]
    [InlineData("POST", "", "path")]
    [InlineData("GET", "/carts", "method")]
    public async Task Unknown_route_or_method_is_a_bad_request(string method, string path, string field)
    {
        var request = new SourceRequest { Method = method, Path = path, Body = Encoding.UTF8.GetBytes(OpenCart) };

        var response = await _plugin.HandleAsync(request, Contexts.With("{}"), CancellationToken.None);

        Assert.Equal(400, response.StatusCode);
        Assert.Equal(field, response.Field);
    }

    private Task<SourceResponse> PostAsync(string body) =>
        _plugin.HandleAsync(Request("/carts", body), Contexts.With("{}"), CancellationToken.None).AsTask();

    private static SourceRequest Request(string path, string body) =>
        new() { Method = "POST", Path = path, ContentType = "application/json", Body = Encoding.UTF8.GetBytes(body) };
}
