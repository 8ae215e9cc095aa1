using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ScoreHub.Host.Tests.Plugins;
using ScoreHub.Host.Tests.Support;

namespace ScoreHub.Host.Tests.Sources;

/// <summary>
/// DOMAIN.md's typical journey, fed through the real sources exactly as the providers would call them, under the
/// sample model shipped in <c>samples/models/lead-score.json</c>: a LinkedIn ad click and a brochure download on the
/// website (tracking snippet's hits), the download form that captures the email, an automated flow of three mails
/// (SendGrid's signed Event Webhook), the pricing page, and a Shopify checkout left unfinished for an hour.
/// The lead goes cold -> warm -> hot, and leaves hot the minute the abandoned cart's points decay away.
/// </summary>
public sealed class JourneyAcrossSourcesTests : IAsyncLifetime, IDisposable
{
    private const string Email = "maya@northwind.test";
    private const string AnonymousId = "anon-maya";
    private const string ShopifySecret = "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";
    private const string Chrome = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

    /// <summary>The fake clock's start: Monday 2026-03-02 09:00 UTC.</summary>
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private readonly ECDsa _sendGridKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ScoreHubApp _app = new(pluginsDirectory: PluginDirectories.CopyOf(PluginDirectories.FirstParty,
        "ScoreHub.Plugins.Web", "ScoreHub.Plugins.SendGrid", "ScoreHub.Plugins.Cart", "ScoreHub.Plugins.Points"));

    private TestWorkspace _ws = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _ws = await _app.CreateWorkspaceAsync("Northwind Outdoor");
        _client = _app.Client(_ws.SecretKey);
        await _app.ActivateOrFailAsync(_ws, "scorehub.web", new { });
        await _app.ActivateOrFailAsync(_ws, "scorehub.sendgrid", new { publicKey = Convert.ToBase64String(_sendGridKey.ExportSubjectPublicKeyInfo()) });
        await _app.ActivateOrFailAsync(_ws, "scorehub.cart", new { clientSecret = ShopifySecret });

        var model = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Samples", "lead-score.json")));
        var saved = await _client.PutAsJsonAsync("/api/v1/scores/lead", model);
        Assert.True(saved.IsSuccessStatusCode, $"The sample model is refused: {await saved.Content.ReadAsStringAsync()}");
        Assert.Equal(HttpStatusCode.OK, (await _client.PostAsync("/api/v1/scores/lead/publish", null)).StatusCode);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _app.Dispose();
        _sendGridKey.Dispose();
    }

    [Fact]
    public async Task Ad_brochure_email_flow_pricing_page_and_abandoned_cart_move_the_lead_from_cold_to_hot_and_decay_moves_it_out()
    {
        // Day 0: a LinkedIn ad brings an anonymous visitor, who downloads the brochure through a form with her email.
        await CollectAsync(new
        {
            id = "hit-1",
            type = "pageview",
            anonymousId = AnonymousId,
            title = "Spring collection",
            url = "https://www.northwind.test/spring?utm_source=linkedin&utm_medium=paid_social&utm_campaign=spring-ads"
        });
        await CollectAsync(new
        {
            id = "hit-2",
            type = "download",
            anonymousId = AnonymousId,
            title = "Resources",
            url = "https://www.northwind.test/resources",
            href = "https://cdn.northwind.test/files/Northwind-Brochure-2026.pdf"
        });
        await CollectAsync(new
        {
            id = "hit-3",
            type = "form",
            anonymousId = AnonymousId,
            title = "Get the brochure",
            url = "https://www.northwind.test/brochure",
            form = new { name = "brochure", fields = new { email = Email, company = "Alpine Guides", jobTitle = "Head of Purchasing" } }
        });
        await ExpectAsync(20, "cold"); // social.clicked 5 + web.downloaded 10 + web.form_submitted 5

        // Days 1, 3 and 5: the nurture flow's three mails, reported by SendGrid; the last click lands on pricing.
        _app.Clock.Advance(TimeSpan.FromDays(1));
        await SendGridAsync(("processed", "m1"), ("delivered", "m1"), ("open", "m1"));
        await ExpectAsync(22, "cold");
        _app.Clock.Advance(TimeSpan.FromDays(2));
        await SendGridAsync(("delivered", "m2"), ("open", "m2"), ("click", "m2"));
        await ExpectAsync(29, "cold");
        _app.Clock.Advance(TimeSpan.FromDays(2));
        await SendGridAsync(("delivered", "m3"), ("open", "m3"), ("click", "m3"));
        await ExpectAsync(36, "warm");
        _app.Clock.Advance(TimeSpan.FromMinutes(1));
        await CollectAsync(new
        {
            id = "hit-4",
            type = "pageview",
            anonymousId = AnonymousId,
            title = "Pricing",
            url = "https://www.northwind.test/pricing?utm_source=nurture&utm_medium=email"
        });
        await ExpectAsync(46, "warm");

        // Day 6: a checkout in the shop, not completed; an hour later it is abandoned.
        _app.Clock.Advance(TimeSpan.FromDays(1));
        var checkoutAt = _app.Clock.GetUtcNow();
        await ShopifyAsync(checkoutAt);
        await ExpectAsync(46, "warm"); // cart.updated earns nothing by itself
        _app.Clock.Advance(TimeSpan.FromMinutes(60));
        var hot = await EventuallyAsync(71, "hot");

        var groups = hot.GetProperty("groups").EnumerateArray().ToDictionary(g => g.GetProperty("name").GetString()!, g => g.GetProperty("value").GetDouble());
        Assert.Equal(46, groups["Marketing engagement"]);
        Assert.Equal(25, groups["Buying intent"]);
        Assert.Equal(0, groups["Negative signals"]);
        Assert.Equal(0, groups["Fit"]);
        var contact = await ContactAsync();
        Assert.Equal([AnonymousId], contact.GetProperty("anonymousIds").EnumerateArray().Select(a => a.GetString()));
        // A contact's scores are evaluated on read; the records list follows the scoring subscriber a moment later.
        var hotLeads = await EventuallyRecordsAsync("hot");
        Assert.Equal(Email, Assert.Single(hotLeads).GetProperty("email").GetString());

        // The abandoned cart's points decay 100% over two weeks: exactly then the lead drops back to warm.
        _app.Clock.Advance(TimeSpan.FromDays(14) - TimeSpan.FromSeconds(1));
        await Task.Delay(200);
        await ExpectAsync(71, "hot");
        _app.Clock.Advance(TimeSpan.FromSeconds(1));
        await EventuallyAsync(46, "warm");

        var history = await EventuallyHistoryAsync(h => h.Length > 0 && h[^1].GetProperty("newValue").GetDouble() == 46);
        Assert.Equal(["cold", "warm", "hot", "warm"], LabelChanges(history));
        var leftHot = history[^1];
        Assert.Equal(("time", checkoutAt.AddMinutes(60).AddDays(14)), (leftHot.GetProperty("cause").GetString(), leftHot.GetProperty("at").GetDateTimeOffset()));
    }

    private async Task CollectAsync(object hit)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/sources/scorehub.web/collect?key={_ws.IngestKey}")
        {
            Content = new StringContent(JsonSerializer.Serialize(hit), Encoding.UTF8, "text/plain"),
        };
        request.Headers.TryAddWithoutValidation("User-Agent", Chrome);
        request.Headers.Add("Origin", "https://www.northwind.test");
        await AssertOkAsync(await _app.Client().SendAsync(request), "web hit");
    }

    /// <summary>SendGrid's Event Webhook: a JSON array signed with ECDSA over timestamp + body.</summary>
    private async Task SendGridAsync(params (string Event, string Message)[] events)
    {
        var now = _app.Clock.GetUtcNow();
        var batch = new JsonArray([.. events.Select((e, i) =>
        {
            var item = new JsonObject
            {
                ["email"] = Email,
                ["timestamp"] = now.AddSeconds(i - events.Length).ToUnixTimeSeconds(), // just before the call
                ["event"] = e.Event,
                ["sg_event_id"] = $"sg-{e.Message}-{e.Event}",
                ["sg_message_id"] = e.Message,
                ["category"] = "nurture",
                ["marketing_campaign_name"] = "Spring nurture",
            };
            if (e.Event == "open")
            {
                item["sg_machine_open"] = false;
            }

            if (e.Event == "click")
            {
                item["url"] = e.Message == "m3" ? "https://www.northwind.test/pricing" : "https://www.northwind.test/stories";
            }

            return (JsonNode?)item;
        })]);
        var body = batch.ToJsonString();
        var timestamp = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/sources/scorehub.sendgrid?key={_ws.IngestKey}")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Twilio-Email-Event-Webhook-Signature", Convert.ToBase64String(
            _sendGridKey.SignData(Encoding.UTF8.GetBytes(timestamp + body), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)));
        request.Headers.Add("X-Twilio-Email-Event-Webhook-Timestamp", timestamp);
        await AssertOkAsync(await _app.Client().SendAsync(request), "SendGrid batch");
    }

    /// <summary>Shopify's <c>checkouts/create</c> webhook, from the cart tests' fixture, signed with base64 HMAC-SHA256.</summary>
    private async Task ShopifyAsync(DateTimeOffset updatedAt)
    {
        var checkout = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Cart", "checkout.json")))!.AsObject();
        checkout["email"] = Email;
        checkout["customer"]!["email"] = Email;
        checkout["updated_at"] = updatedAt.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
        var body = checkout.ToJsonString();
        using var request = Shopify.Delivery(_ws.IngestKey, "checkouts/create", body, "wh-maya-checkout", Shopify.Sign(body, ShopifySecret));
        await AssertOkAsync(await _app.Client().SendAsync(request), "Shopify checkout");
    }

    private static async Task AssertOkAsync(HttpResponseMessage response, string what) =>
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");

    private async Task<JsonElement> ContactAsync()
    {
        var contacts = await _client.GetJsonAsync("/api/v1/contacts");
        return Assert.Single(contacts.EnumerateArray());
    }

    private async Task<JsonElement> ScoreAsync()
    {
        var id = (await ContactAsync()).GetProperty("id").GetString();
        return Assert.Single((await _client.GetJsonAsync($"/api/v1/contacts/{id}/scores")).EnumerateArray());
    }

    private async Task ExpectAsync(double value, string label)
    {
        var score = await ScoreAsync();
        Assert.Equal((value, label), (score.GetProperty("value").GetDouble(), score.GetProperty("label").GetString()));
    }

    /// <summary>For changes that happen on a timer (the abandonment, a decay step), which run just after the clock moves.</summary>
    private async Task<JsonElement> EventuallyAsync(double value, string label)
    {
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            var score = await ScoreAsync();
            if ((score.GetProperty("value").GetDouble(), score.GetProperty("label").GetString()) == (value, label))
            {
                return score;
            }

            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10),
                $"Expected {value} {label}, still {score.GetProperty("value").GetDouble()} {score.GetProperty("label").GetString()}.");
            await Task.Delay(25);
        }
    }

    private async Task<JsonElement[]> EventuallyRecordsAsync(string label)
    {
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            JsonElement[] records = [.. (await _client.GetJsonAsync($"/api/v1/scores/lead/records?label={label}")).EnumerateArray()];
            if (records.Length > 0 || stopwatch.Elapsed > TimeSpan.FromSeconds(10))
            {
                return records;
            }

            await Task.Delay(25);
        }
    }

    /// <summary>History is written in batches after each change; waits until it shows what the test expects.</summary>
    private async Task<JsonElement[]> EventuallyHistoryAsync(Func<JsonElement[], bool> complete)
    {
        var id = (await ContactAsync()).GetProperty("id").GetString();
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            JsonElement[] history = [.. (await _client.GetJsonAsync($"/api/v1/contacts/{id}/scores/lead/history")).EnumerateArray()];
            if (complete(history) || stopwatch.Elapsed > TimeSpan.FromSeconds(10))
            {
                return history;
            }

            await Task.Delay(25);
        }
    }

    /// <summary>The label after each change that changed the label, starting with the first one recorded.</summary>
    private static string[] LabelChanges(JsonElement[] history)
    {
        var labels = new List<string>();
        foreach (var label in history.Select(h => h.GetProperty("newLabel").GetString()!))
        {
            if (labels.Count == 0 || labels[^1] != label)
            {
                labels.Add(label);
            }
        }

        return [.. labels];
    }
}
