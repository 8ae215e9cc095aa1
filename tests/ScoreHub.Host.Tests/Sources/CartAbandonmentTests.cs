using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ScoreHub.Host.Core.Events;
using ScoreHub.Host.Features.Events;
using ScoreHub.Host.Tests.Plugins;
using ScoreHub.Host.Tests.Support;

namespace ScoreHub.Host.Tests.Sources;

/// <summary>
/// The cart source in a real host on a fake clock: Shopify checkouts become <c>cart.abandoned</c> exactly once when
/// nobody completes them in time. Where a test must show that something did NOT happen, a second cart due at the same
/// instant (or earlier) is the control: once the control's abandonment is stored, the timer has fired and emitted.
/// </summary>
public sealed class CartAbandonmentTests : IAsyncLifetime, IDisposable
{
    private const string Secret = "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";
    private const string Ada = "ada@example.com";
    private const string Grace = "grace@example.com";
    private const string AdaToken = "6f1c2e9a8b7d4c3e2f1a0b9c8d7e6f5a";
    private const string GraceToken = "0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d";

    /// <summary>The fake clock's start, and the checkouts' last update unless a test says otherwise.</summary>
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private readonly string _plugins = PluginDirectories.CopyOf(PluginDirectories.FirstParty, "ScoreHub.Plugins.Cart");
    private ScoreHubApp _app;
    private TestWorkspace _ws = null!;

    public CartAbandonmentTests() => _app = new ScoreHubApp(pluginsDirectory: _plugins);

    public async Task InitializeAsync()
    {
        _ws = await _app.CreateWorkspaceAsync();
        await _app.ActivateOrFailAsync(_ws, "scorehub.cart", new { clientSecret = Secret });
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Checkout_left_for_59_minutes_is_not_abandoned_and_at_60_minutes_is_abandoned_once_with_value_and_recovery_url()
    {
        await PostOkAsync("checkouts/create", Checkout(AdaToken, Ada, T0), "wh-ada");
        // The control was last updated a minute earlier, so it is due at 59 minutes.
        await PostOkAsync("checkouts/create", Checkout(GraceToken, Grace, T0.AddMinutes(-1)), "wh-grace");

        _app.Clock.Advance(TimeSpan.FromMinutes(59));
        await WaitForAbandonmentAsync(Grace);

        Assert.Empty(await AbandonmentsAsync(Ada));
        // The control's schedule is deleted just after its signal is stored; Ada's stays pending.
        await WaitUntilAsync(() => Task.FromResult(PendingSchedules() == 1), "only Ada's schedule is pending");

        _app.Clock.Advance(TimeSpan.FromMinutes(1));
        var abandoned = await WaitForAbandonmentAsync(Ada);

        Assert.Equal(T0.AddMinutes(60), abandoned.GetProperty("occurredAt").GetDateTimeOffset());
        var properties = abandoned.GetProperty("properties");
        Assert.Equal("168.00", properties.GetProperty("value").GetString());
        Assert.Equal("EUR", properties.GetProperty("currency").GetString());
        Assert.Equal(AdaToken, properties.GetProperty("cartId").GetString());
        Assert.Equal($"https://northwind-outdoor.myshopify.com/68467261751/checkouts/ac/{AdaToken}/recover?key=0f4e6b1d2c3a9e8f",
            properties.GetProperty("recoveryUrl").GetString());

        await WaitUntilAsync(() => Task.FromResult(PendingSchedules() == 0), "the emitted schedules are deleted");
        _app.Clock.Advance(TimeSpan.FromDays(2));
        Assert.Single(await AbandonmentsAsync(Ada));
        Assert.Equal(["cart.updated", "cart.abandoned"], (await EventsAsync(Ada)).Select(e => e.GetProperty("type").GetString()));
    }

    [Fact]
    public async Task Erasing_the_contact_drops_its_pending_abandonment_so_it_never_fires()
    {
        await PostOkAsync("checkouts/create", Checkout(AdaToken, Ada, T0), "wh-ada");
        await PostOkAsync("checkouts/create", Checkout(GraceToken, Grace, T0), "wh-grace");
        var ada = Assert.Single(await _app.ContactsAsync(_ws, Ada)).GetProperty("id").GetString();

        Assert.Equal(HttpStatusCode.NoContent, (await _app.Client(_ws.SecretKey).DeleteAsync($"/api/v1/contacts/{ada}")).StatusCode);
        Assert.Equal(1, PendingSchedules()); // Grace's only

        _app.Clock.Advance(TimeSpan.FromMinutes(61));
        await WaitForAbandonmentAsync(Grace);
        Assert.Empty(await _app.ContactsAsync(_ws, Ada)); // no abandonment brought her back
    }

    [Fact]
    public async Task Order_completed_before_the_deadline_means_the_checkout_is_never_abandoned()
    {
        await PostOkAsync("checkouts/create", Checkout(AdaToken, Ada, T0), "wh-ada");
        await PostOkAsync("checkouts/create", Checkout(GraceToken, Grace, T0), "wh-grace");
        _app.Clock.Advance(TimeSpan.FromMinutes(20));

        var order = await PostOkAsync("orders/create", Order(AdaToken, Ada, T0.AddMinutes(20)), "wh-order");
        Assert.Equal(1, order.GetProperty("cancelled").GetInt32());

        _app.Clock.Advance(TimeSpan.FromMinutes(40));
        await WaitForAbandonmentAsync(Grace);
        _app.Clock.Advance(TimeSpan.FromDays(30));

        await WaitUntilAsync(() => Task.FromResult(PendingSchedules() == 0), "nothing is pending");
        Assert.Equal(["cart.updated", "checkout.completed"], (await EventsAsync(Ada)).Select(e => e.GetProperty("type").GetString()));
    }

    [Fact]
    public async Task Checkout_update_pushes_the_deadline_to_an_hour_after_the_update()
    {
        await PostOkAsync("checkouts/create", Checkout(AdaToken, Ada, T0), "wh-ada-1");
        await PostOkAsync("checkouts/create", Checkout(GraceToken, Grace, T0), "wh-grace");
        _app.Clock.Advance(TimeSpan.FromMinutes(30));
        await PostOkAsync("checkouts/update", Checkout(AdaToken, Ada, T0.AddMinutes(30)), "wh-ada-2");

        _app.Clock.Advance(TimeSpan.FromMinutes(30));
        await WaitForAbandonmentAsync(Grace);
        Assert.Empty(await AbandonmentsAsync(Ada));

        _app.Clock.Advance(TimeSpan.FromMinutes(30));
        var abandoned = await WaitForAbandonmentAsync(Ada);

        Assert.Equal(T0.AddMinutes(90), abandoned.GetProperty("occurredAt").GetDateTimeOffset());
        Assert.Equal(["cart.updated", "cart.updated", "cart.abandoned"], (await EventsAsync(Ada)).Select(e => e.GetProperty("type").GetString()));
    }

    [Fact]
    public async Task Pending_abandonment_survives_a_restart_and_is_recorded_exactly_once()
    {
        await PostOkAsync("checkouts/create", Checkout(AdaToken, Ada, T0), "wh-ada");
        _app.Clock.Advance(TimeSpan.FromMinutes(30));
        Restart(T0.AddMinutes(30));

        Assert.Equal(1, PendingSchedules());
        _app.Clock.Advance(TimeSpan.FromMinutes(30));
        await WaitForAbandonmentAsync(Ada);
        await WaitUntilAsync(() => Task.FromResult(PendingSchedules() == 0), "the emitted schedule is deleted");

        Restart(T0.AddHours(3));
        _app.Clock.Advance(TimeSpan.FromDays(1));

        Assert.Equal(0, PendingSchedules());
        Assert.Single(await AbandonmentsAsync(Ada));
    }

    [Fact]
    public async Task Abandonment_that_fell_due_while_the_host_was_down_is_recorded_right_after_the_start()
    {
        await PostOkAsync("checkouts/create", Checkout(AdaToken, Ada, T0), "wh-ada");

        Restart(T0.AddHours(5));

        var abandoned = await WaitForAbandonmentAsync(Ada);
        Assert.Equal(T0.AddMinutes(60), abandoned.GetProperty("occurredAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task Retried_webhook_is_stored_once_and_abandons_once()
    {
        var body = Checkout(AdaToken, Ada, T0);

        var first = await PostOkAsync("checkouts/create", body, "wh-ada");
        var retry = await PostOkAsync("checkouts/create", body, "wh-ada");

        Assert.Equal((1, 0, 1), (first.GetProperty("stored").GetInt32(), first.GetProperty("duplicates").GetInt32(), first.GetProperty("scheduled").GetInt32()));
        Assert.Equal((0, 1, 1), (retry.GetProperty("stored").GetInt32(), retry.GetProperty("duplicates").GetInt32(), retry.GetProperty("scheduled").GetInt32()));
        Assert.Equal(1, PendingSchedules());

        _app.Clock.Advance(TimeSpan.FromMinutes(60));
        await WaitForAbandonmentAsync(Ada);

        Assert.Equal(["cart.updated", "cart.abandoned"], (await EventsAsync(Ada)).Select(e => e.GetProperty("type").GetString()));
    }

    [Fact]
    public async Task Bad_signature_is_a_401_and_nothing_is_stored_or_scheduled()
    {
        var body = Checkout(AdaToken, Ada, T0);

        var response = await PostAsync("checkouts/create", body, "wh-ada", Shopify.Sign(body, "shpss_someone-elses-secret-0000"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("The X-Shopify-Hmac-Sha256 header does not match the body.", (await Api.JsonAsync(response)).GetProperty("detail").GetString());
        Assert.Empty(await _app.ContactsAsync(_ws, Ada));
        Assert.Equal(0, PendingSchedules());
    }

    [Fact]
    public async Task Malformed_checkout_is_a_400_naming_the_field_and_nothing_is_stored_or_scheduled()
    {
        var body = Checkout(AdaToken, Ada, T0, ("total_price", "a lot"));

        var response = await PostAsync("checkouts/create", body, "wh-ada");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["total_price"], Api.ErrorNames(await Api.JsonAsync(response)));
        Assert.Empty(await _app.ContactsAsync(_ws, Ada));
        Assert.Equal(0, PendingSchedules());
    }

    [Fact]
    public async Task Cart_api_abandons_an_open_cart_after_the_configured_delay_unless_it_is_completed()
    {
        await _app.ActivateOrFailAsync(_ws, "scorehub.cart", new { abandonAfter = 30 });
        var client = _app.Client(_ws.IngestKey);
        var at = T0.ToString("O", CultureInfo.InvariantCulture);
        await client.PostAsJsonAsync("/api/v1/sources/scorehub.cart/carts",
            new { cartId = "c-1", email = Ada, value = 99.5, currency = "EUR", recoveryUrl = "https://shop.example.com/c-1", updatedAt = at });
        await client.PostAsJsonAsync("/api/v1/sources/scorehub.cart/carts",
            new { cartId = "c-2", email = Grace, value = 20, updatedAt = at });
        _app.Clock.Advance(TimeSpan.FromMinutes(10));
        var completed = await client.PostAsJsonAsync("/api/v1/sources/scorehub.cart/carts",
            new { cartId = "c-2", email = Grace, value = 20, status = "completed", orderId = "o-9" });
        Assert.Equal(HttpStatusCode.OK, completed.StatusCode);

        _app.Clock.Advance(TimeSpan.FromMinutes(20));
        var abandoned = await WaitForAbandonmentAsync(Ada);

        Assert.Equal(T0.AddMinutes(30), abandoned.GetProperty("occurredAt").GetDateTimeOffset());
        Assert.Equal("99.5", abandoned.GetProperty("properties").GetProperty("value").GetString());
        Assert.Equal("https://shop.example.com/c-1", abandoned.GetProperty("properties").GetProperty("recoveryUrl").GetString());
        Assert.Equal(["cart.updated", "checkout.completed"], (await EventsAsync(Grace)).Select(e => e.GetProperty("type").GetString()));
    }

    [Fact]
    public async Task Abandonment_scheduled_before_the_plugin_was_deactivated_is_still_recorded()
    {
        await PostOkAsync("checkouts/create", Checkout(AdaToken, Ada, T0), "wh-ada");
        var deactivated = await _app.Client(_ws.SecretKey).DeleteAsync("/api/v1/plugins/scorehub.cart/activation");
        Assert.Equal(HttpStatusCode.NoContent, deactivated.StatusCode);

        _app.Clock.Advance(TimeSpan.FromMinutes(60));

        await WaitForAbandonmentAsync(Ada);
    }

    private void Restart(DateTimeOffset now)
    {
        var dataDirectory = _app.DataDirectory;
        _app.KeepDataDirectory = true;
        _app.Dispose();
        _app = new ScoreHubApp(pluginsDirectory: _plugins, dataDirectory: dataDirectory);
        _app.Clock.SetUtcNow(now);
    }

    private int PendingSchedules() => _app.Services.GetRequiredService<ScheduledSignals>().CountFor(_ws.Id);

    private static string Checkout(string token, string email, DateTimeOffset updatedAt, params (string Name, JsonNode? Value)[] changes)
    {
        var json = Fixture("checkout.json");
        json["token"] = token;
        json["email"] = email;
        json["customer"]!["email"] = email;
        json["updated_at"] = updatedAt.ToOffset(TimeSpan.FromHours(1)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
        json["abandoned_checkout_url"] = $"https://northwind-outdoor.myshopify.com/68467261751/checkouts/ac/{token}/recover?key=0f4e6b1d2c3a9e8f";
        foreach (var (name, value) in changes)
        {
            json[name] = value;
        }

        return json.ToJsonString();
    }

    private static string Order(string checkoutToken, string email, DateTimeOffset processedAt)
    {
        var json = Fixture("order.json");
        json["checkout_token"] = checkoutToken;
        json["email"] = email;
        json["processed_at"] = processedAt.ToString("O", CultureInfo.InvariantCulture);
        return json.ToJsonString();
    }

    private static JsonObject Fixture(string file) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Cart", file)))!.AsObject();

    private async Task<JsonElement> PostOkAsync(string topic, string body, string webhookId)
    {
        var response = await PostAsync(topic, body, webhookId);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{topic}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await Api.JsonAsync(response);
    }

    private async Task<HttpResponseMessage> PostAsync(string topic, string body, string webhookId, string? hmac = null)
    {
        using var request = Shopify.Delivery(_ws.IngestKey, topic, body, webhookId, hmac ?? Shopify.Sign(body, Secret));
        return await _app.Client().SendAsync(request);
    }

    private async Task<JsonElement[]> EventsAsync(string email)
    {
        var contacts = await _app.ContactsAsync(_ws, email);
        if (contacts.Length == 0)
        {
            return [];
        }

        var id = Assert.Single(contacts).GetProperty("id").GetString();
        return [.. (await _app.Client(_ws.SecretKey).GetJsonAsync($"/api/v1/contacts/{id}/events")).EnumerateArray()];
    }

    private async Task<JsonElement[]> AbandonmentsAsync(string email) =>
        [.. (await EventsAsync(email)).Where(e => e.GetProperty("type").GetString() == "cart.abandoned")];

    /// <summary>Emission is asynchronous after the timer fires: waits until the abandonment is stored, and that it is the only one.</summary>
    private async Task<JsonElement> WaitForAbandonmentAsync(string email)
    {
        JsonElement[] found = [];
        await WaitUntilAsync(async () => (found = await AbandonmentsAsync(email)).Length > 0, $"{email}'s cart.abandoned is stored");
        return Assert.Single(found);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), $"Timed out waiting until {what}.");
            await Task.Delay(25);
        }
    }
}
