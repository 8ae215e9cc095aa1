using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ScoreHub.Sdk;

namespace ScoreHub.Plugins.Segment.Tests;

public sealed class SegmentSourceTests
{
    /// <summary>The host's clock when the request arrives.</summary>
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private readonly SegmentSource _plugin = new();

    [Fact]
    public void Manifest_names_the_plugin_and_its_optional_settings()
    {
        var manifest = _plugin.Manifest;

        Assert.Equal("scorehub.segment", manifest.Id);
        Assert.Equal(ScoreHubSdk.Version, manifest.SdkVersion);
        Assert.Equal(PluginKinds.SignalSource, manifest.Kinds);
        Assert.Equal(["eventMap", "unmappedTrackPrefix", "ignoreUnmappedTracks"], manifest.Settings.Select(s => s.Name));
        Assert.All(manifest.Settings, s => Assert.False(s.Required));
        Assert.All(manifest.Settings, s => Assert.False(s.Secret));
    }

    [Fact]
    public void Assembly_marker_names_the_public_entry_type()
    {
        var marker = typeof(SegmentSource).Assembly.GetCustomAttributes(typeof(ScoreHubPluginAttribute), false);

        Assert.Equal(typeof(SegmentSource), Assert.IsType<ScoreHubPluginAttribute>(Assert.Single(marker)).PluginType);
    }

    [Fact]
    public void No_settings_at_all_is_valid()
    {
        Assert.True(_plugin.ValidateSettings(PluginSettings.Empty).IsValid);
    }

    [Theory]
    [InlineData("""{"eventMap":{"Demo Requested":"Demo"}}""", "eventMap['Demo Requested']")]
    [InlineData("""{"eventMap":{"Demo Requested":42}}""", "eventMap['Demo Requested']")]
    [InlineData("""{"eventMap":[]}""", "eventMap")]
    [InlineData("""{"unmappedTrackPrefix":"Segment Events"}""", "unmappedTrackPrefix")]
    [InlineData("""{"ignoreUnmappedTracks":"yes"}""", "ignoreUnmappedTracks")]
    public void Invalid_settings_are_a_field_error_naming_the_setting(string settings, string field)
    {
        var report = _plugin.ValidateSettings(PluginSettings.Parse(settings));

        Assert.Equal(field, Assert.Single(report.Errors).Field);
    }

    [Fact]
    public void Event_map_may_drop_an_event_with_null()
    {
        Assert.True(_plugin.ValidateSettings(PluginSettings.Parse("""{"eventMap":{"Email Delivered":null,"Trial Started":"trial.started"}}""")).IsValid);
    }

    [Fact]
    public async Task Track_of_a_semantic_event_becomes_its_built_in_type_with_properties_flattened_to_scalars()
    {
        var body = """
            {"batch":[{"type":"track","messageId":"m-1","userId":"u-42","event":"Order Completed",
              "timestamp":"2026-03-01T10:00:00.000Z",
              "properties":{"orderId":"o-1","revenue":99.50,"paid":true,"coupon":null,
                            "shipping":{"city":"Rotterdam","express":false},"products":[{"sku":"a"},{"sku":"b"}]},
              "context":{"traits":{"email":"ada@example.com"}}}]}
            """;

        var signal = Assert.Single(await AcceptAsync("/v1/batch", body));

        Assert.Equal("m-1", signal.Id);
        Assert.Equal("checkout.completed", signal.Type);
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero), signal.OccurredAt);
        Assert.Equal(("ada@example.com", "u-42", (string?)null), (signal.Contact.Email, signal.Contact.ExternalId, signal.Contact.AnonymousId));
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["orderId"] = "o-1",
                ["revenue"] = "99.50",
                ["paid"] = "true",
                ["shipping.city"] = "Rotterdam",
                ["shipping.express"] = "false",
                ["products"] = """[{"sku":"a"},{"sku":"b"}]""",
            },
            signal.Properties);
        Assert.Empty(signal.ContactProperties);
        Assert.Null(signal.Company);
    }

    [Theory]
    [InlineData("Email Opened", "email.opened")]
    [InlineData("Email Link Clicked", "email.clicked")]
    [InlineData("Unsubscribed", "email.unsubscribed")]
    [InlineData("Email Marked as Spam", "email.spam_reported")]
    [InlineData("Product Added", "cart.updated")]
    [InlineData("Cart Viewed", "cart.updated")]
    [InlineData("Checkout Started", "checkout.started")]
    [InlineData("order completed", "checkout.completed")]
    [InlineData("Demo Requested", "track.demo_requested")]
    [InlineData("signupCompleted", "track.signup_completed")]
    [InlineData("  Whitepaper -- Downloaded (v2)! ", "track.whitepaper_downloaded_v2")]
    public async Task Track_names_map_to_built_in_types_or_to_track_snake_case(string name, string type)
    {
        var signal = Assert.Single(await AcceptAsync("/v1/track", Track(name)));

        Assert.Equal(type, signal.Type);
    }

    [Fact]
    public async Task Workspace_event_map_overrides_the_built_in_mapping_ignoring_case_and_null_drops_the_event()
    {
        var settings = """{"eventMap":{"demo requested":"web.form_submitted","Order Completed":"shop.purchased","Email Opened":null}}""";
        var body = $$"""{"batch":[{{Track("Demo Requested", "m-1")}},{{Track("Order Completed", "m-2")}},{{Track("Email Opened", "m-3")}}]}""";

        var signals = await AcceptAsync("/v1/batch", body, settings);

        Assert.Equal([("m-1", "web.form_submitted"), ("m-2", "shop.purchased")], signals.Select(s => (s.Id, s.Type)));
    }

    [Fact]
    public async Task Unmapped_track_names_go_under_the_configured_prefix()
    {
        var signal = Assert.Single(await AcceptAsync("/v1/track", Track("Demo Requested"), """{"unmappedTrackPrefix":"segment"}"""));

        Assert.Equal("segment.demo_requested", signal.Type);
    }

    [Fact]
    public async Task Unmapped_track_names_are_dropped_when_the_workspace_ignores_them_but_mapped_ones_are_kept()
    {
        var body = $$"""{"batch":[{{Track("Demo Requested", "m-1")}},{{Track("Order Completed", "m-2")}}]}""";

        var signals = await AcceptAsync("/v1/batch", body, """{"ignoreUnmappedTracks":true}""");

        Assert.Equal(["m-2"], signals.Select(s => s.Id));
    }

    [Fact]
    public async Task Page_becomes_page_viewed_with_page_fields_from_properties_then_context_and_utm_from_the_campaign()
    {
        var body = """
            {"type":"page","messageId":"p-1","anonymousId":"anon-7","name":"Pricing","category":"Product",
             "properties":{"title":"Pricing | Acme","plan":"pro"},
             "context":{"page":{"url":"https://acme.example/pricing","title":"ignored: properties win","path":"/pricing","referrer":"https://google.com/","search":"?q=1"},
                        "campaign":{"name":"spring","source":"newsletter","medium":"email","term":"crm","content":"hero"}},
             "timestamp":"2026-03-01T10:00:00Z"}
            """;

        var signal = Assert.Single(await AcceptAsync("/v1/page", body));

        Assert.Equal("web.page_viewed", signal.Type);
        Assert.Equal(("anon-7", (string?)null), (signal.Contact.AnonymousId, signal.Contact.ExternalId));
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["title"] = "Pricing | Acme",
                ["plan"] = "pro",
                ["name"] = "Pricing",
                ["category"] = "Product",
                ["url"] = "https://acme.example/pricing",
                ["path"] = "/pricing",
                ["referrer"] = "https://google.com/",
                ["search"] = "?q=1",
                ["campaign"] = "spring",
                ["utmCampaign"] = "spring",
                ["utmSource"] = "newsletter",
                ["utmMedium"] = "email",
                ["utmTerm"] = "crm",
                ["utmContent"] = "hero",
            },
            signal.Properties);
    }

    [Fact]
    public async Task Screen_becomes_screen_viewed_with_its_name()
    {
        var body = """{"type":"screen","messageId":"s-1","userId":"u-1","name":"Checkout","properties":{"step":2}}""";

        var signal = Assert.Single(await AcceptAsync("/v1/screen", body));

        Assert.Equal("app.screen_viewed", signal.Type);
        Assert.Equal(new Dictionary<string, string> { ["step"] = "2", ["name"] = "Checkout" }, signal.Properties);
    }

    [Fact]
    public async Task Identify_becomes_contact_identified_carrying_the_traits_as_contact_properties()
    {
        var body = """
            {"type":"identify","messageId":"i-1","userId":"u-42","anonymousId":"anon-7","timestamp":"2026-03-01T10:00:00Z",
             "traits":{"email":"Ada@Example.com","name":"Ada","title":"CTO","employees":240,"company":{"name":"Acme"},"fax":null}}
            """;

        var signal = Assert.Single(await AcceptAsync("/v1/identify", body));

        Assert.Equal("contact.identified", signal.Type);
        Assert.Equal(("Ada@Example.com", "u-42", "anon-7"), (signal.Contact.Email, signal.Contact.ExternalId, signal.Contact.AnonymousId));
        Assert.Empty(signal.Properties);
        Assert.Equal(
            new Dictionary<string, string> { ["name"] = "Ada", ["title"] = "CTO", ["employees"] = "240", ["company.name"] = "Acme" },
            signal.ContactProperties);
    }

    [Fact]
    public async Task Group_names_the_company_with_its_traits_and_takes_the_email_from_context_not_the_company_traits()
    {
        var body = """
            {"type":"group","messageId":"g-1","userId":"u-42","groupId":"acme","timestamp":"2026-03-01T10:00:00Z",
             "traits":{"name":"Acme","email":"billing@acme.example","employees":240,"industry":"Software"},
             "context":{"traits":{"email":"ada@example.com"}}}
            """;

        var signal = Assert.Single(await AcceptAsync("/v1/group", body));

        Assert.Equal("company.linked", signal.Type);
        Assert.Equal("ada@example.com", signal.Contact.Email);
        Assert.Equal(new Dictionary<string, string> { ["groupId"] = "acme" }, signal.Properties);
        Assert.NotNull(signal.Company);
        Assert.Equal("acme", signal.Company.Id);
        Assert.Equal(
            new Dictionary<string, string> { ["name"] = "Acme", ["email"] = "billing@acme.example", ["employees"] = "240", ["industry"] = "Software" },
            signal.Company.Properties);
    }

    [Fact]
    public async Task Alias_links_the_previous_id_to_the_user_as_an_anonymous_id()
    {
        var body = """{"type":"alias","messageId":"a-1","userId":"u-42","previousId":"anon-7"}""";

        var signal = Assert.Single(await AcceptAsync("/v1/alias", body));

        Assert.Equal("contact.aliased", signal.Type);
        Assert.Equal(("u-42", "anon-7"), (signal.Contact.ExternalId, signal.Contact.AnonymousId));
        Assert.Equal(new Dictionary<string, string> { ["previousId"] = "anon-7" }, signal.Properties);
    }

    [Fact]
    public async Task Event_time_is_corrected_for_the_clients_clock_skew_using_sent_at()
    {
        // The client's clock runs 2 hours fast: it stamped the event 5 s before sending.
        var body = """
            {"sentAt":"2026-03-02T11:00:05Z","batch":[
              {"type":"track","event":"A","userId":"u","messageId":"m-1","timestamp":"2026-03-02T11:00:00Z"},
              {"type":"track","event":"A","userId":"u","messageId":"m-2","originalTimestamp":"2026-03-02T10:59:50Z","sentAt":"2026-03-02T11:00:00Z"}]}
            """;

        var signals = await AcceptAsync("/v1/batch", body);

        Assert.Equal([Now.AddSeconds(-5), Now.AddSeconds(-10)], signals.Select(s => s.OccurredAt));
    }

    [Fact]
    public async Task Event_time_without_sent_at_is_taken_as_sent_and_a_message_without_time_gets_the_received_time()
    {
        var body = """
            {"batch":[
              {"type":"track","event":"A","userId":"u","messageId":"m-1","timestamp":"2025-12-24T18:00:00+01:00"},
              {"type":"track","event":"A","userId":"u","messageId":"m-2"}]}
            """;

        var signals = await AcceptAsync("/v1/batch", body);

        Assert.Equal([new DateTimeOffset(2025, 12, 24, 17, 0, 0, TimeSpan.Zero), Now], signals.Select(s => s.OccurredAt.ToUniversalTime()));
    }

    [Fact]
    public async Task Message_without_message_id_gets_an_id_derived_from_its_content_so_a_resend_still_dedupes()
    {
        var body = """{"type":"track","event":"A","userId":"u","timestamp":"2026-03-01T10:00:00Z"}""";

        var first = Assert.Single(await AcceptAsync("/v1/track", body));
        var again = Assert.Single(await AcceptAsync("/v1/track", body));
        var other = Assert.Single(await AcceptAsync("/v1/track", body.Replace("\"A\"", "\"B\"", StringComparison.Ordinal)));

        Assert.StartsWith("sha256-", first.Id, StringComparison.Ordinal);
        Assert.Equal(first.Id, again.Id);
        Assert.NotEqual(first.Id, other.Id);
    }

    [Fact]
    public async Task Numeric_user_and_group_ids_are_taken_as_text()
    {
        var body = """{"type":"group","messageId":"g-1","userId":4711,"groupId":12}""";

        var signal = Assert.Single(await AcceptAsync("/v1/group", body));

        Assert.Equal(("4711", "12"), (signal.Contact.ExternalId, signal.Company!.Id));
    }

    [Fact]
    public async Task An_email_trait_that_is_not_an_address_is_not_used_to_identify_the_contact()
    {
        var body = """{"type":"identify","messageId":"i-1","userId":"u-1","traits":{"email":"n/a"}}""";

        var signal = Assert.Single(await AcceptAsync("/v1/identify", body));

        Assert.Null(signal.Contact.Email);
        Assert.Equal("u-1", signal.Contact.ExternalId);
    }

    [Fact]
    public async Task Empty_batch_is_accepted_with_no_signals()
    {
        Assert.Empty(await AcceptAsync("/v1/batch", """{"batch":[],"writeKey":"ignored"}"""));
    }

    [Theory]
    [InlineData("/v1/batch", """{"batch":[{"type":"track","userId":"u","event":"A"},{"type":"track","userId":"u"}]}""", "batch[1].event")]
    [InlineData("/v1/batch", """{"batch":[{"type":"track","event":"A"}]}""", "batch[0].userId")]
    [InlineData("/v1/batch", """{"batch":[{"type":"purchase","userId":"u"}]}""", "batch[0].type")]
    [InlineData("/v1/batch", """{"batch":[{"userId":"u","event":"A"}]}""", "batch[0].type")]
    [InlineData("/v1/batch", """{"batch":["track"]}""", "batch[0]")]
    [InlineData("/v1/batch", """{"batch":[{"type":"group","userId":"u"}]}""", "batch[0].groupId")]
    [InlineData("/v1/batch", """{"batch":[{"type":"alias","userId":"u"}]}""", "batch[0].previousId")]
    [InlineData("/v1/batch", """{"batch":[{"type":"track","userId":"u","event":"A","timestamp":"yesterday"}]}""", "batch[0].timestamp")]
    [InlineData("/v1/batch", """{"batch":[{"type":"track","userId":"u","event":"A","properties":"cheap"}]}""", "batch[0].properties")]
    [InlineData("/v1/batch", """{"batch":[{"type":"track","userId":"u","event":"%%%"}]}""", "batch[0].event")]
    [InlineData("/v1/batch", """{"events":[]}""", "batch")]
    [InlineData("/v1/batch", """{"batch":[""", "body")]
    [InlineData("/v1/track", """{"userId":"u","properties":{}}""", "event")]
    [InlineData("/v1/identify", """{"traits":{"email":"ada@example.com"}}""", "userId")]
    [InlineData("/v1/page", "[]", "body")]
    public async Task Malformed_message_is_a_bad_request_naming_the_field(string path, string body, string field)
    {
        var response = await HandleAsync(path, body);

        Assert.Equal(400, response.StatusCode);
        Assert.Equal(field, response.Field);
        Assert.Empty(response.Signals);
    }

    [Fact]
    public async Task Property_value_over_the_hosts_limit_is_a_bad_request_naming_the_property()
    {
        var body = $$$"""{"type":"track","userId":"u","event":"A","properties":{"notes":"{{{new string('x', 8_193)}}}"}}""";

        var response = await HandleAsync("/v1/track", body);

        Assert.Equal(400, response.StatusCode);
        Assert.Equal("properties.notes", response.Field);
    }

    [Fact]
    public async Task Event_over_32_KB_in_a_batch_is_a_bad_request_naming_the_item_and_nothing_is_accepted()
    {
        var big = $$$"""{"type":"track","userId":"u","event":"A","properties":{"blob":"{{{new string('x', 33_000)}}}"}}""";
        var body = $$"""{"batch":[{{Track("A", "m-1")}},{{Track("A", "m-2")}},{{big}}]}""";

        var response = await HandleAsync("/v1/batch", body);

        Assert.Equal(400, response.StatusCode);
        Assert.Equal("batch[2]", response.Field);
        Assert.StartsWith("'batch[2]' is 330", response.Detail, StringComparison.Ordinal);
        Assert.EndsWith("the limit is 32 KB (32768 bytes) per event. Nothing was stored.", response.Detail, StringComparison.Ordinal);
        Assert.Empty(response.Signals);
    }

    [Fact]
    public async Task Event_of_exactly_32_KB_is_accepted()
    {
        // Five values, each within the host's 8,192-character limit, padded so the whole message is exactly 32,768 bytes.
        var template = """{"type":"track","userId":"u","event":"A","properties":{"a":"","b":"","c":"","d":"","e":""}}""";
        var pad = 32 * 1024 - template.Length;
        var item = template
            .Replace("\"a\":\"\"", $"\"a\":\"{new string('x', 8_000)}\"", StringComparison.Ordinal)
            .Replace("\"b\":\"\"", $"\"b\":\"{new string('x', 8_000)}\"", StringComparison.Ordinal)
            .Replace("\"c\":\"\"", $"\"c\":\"{new string('x', 8_000)}\"", StringComparison.Ordinal)
            .Replace("\"d\":\"\"", $"\"d\":\"{new string('x', 8_000)}\"", StringComparison.Ordinal)
            .Replace("\"e\":\"\"", $"\"e\":\"{new string('x', pad - 32_000)}\"", StringComparison.Ordinal);
        Assert.Equal(32 * 1024, Encoding.UTF8.GetByteCount(item));

        Assert.Single(await AcceptAsync("/v1/batch", $$"""{"batch":[{{item}}]}"""));
    }

    [Fact]
    public async Task Single_call_over_32_KB_is_a_bad_request_naming_the_body()
    {
        var body = $$$"""{"userId":"u","event":"A","properties":{"blob":"{{{new string('x', 33_000)}}}"}}""";

        var response = await HandleAsync("/v1/track", body);

        Assert.Equal(400, response.StatusCode);
        Assert.Equal("body", response.Field);
    }

    [Fact]
    public async Task Batch_over_500_KB_is_a_bad_request_naming_the_batch()
    {
        var item = Track("A", "m-x").Replace("\"A\"", $"\"{new string('a', 20_000)}\"", StringComparison.Ordinal);
        var body = $$"""{"batch":[{{string.Join(',', Enumerable.Repeat(item, 26))}}]}""";

        var response = await HandleAsync("/v1/batch", body);

        Assert.Equal(400, response.StatusCode);
        Assert.Equal("batch", response.Field);
    }

    [Fact]
    public async Task Unknown_call_is_a_404_reply_and_other_methods_than_post_a_405()
    {
        var unknown = await HandleAsync("/v1/purchase", "{}");
        var get = await HandleAsync("/v1/track", "", method: "GET");

        Assert.Equal(404, unknown.StatusCode);
        Assert.NotNull(unknown.ReplyBody);
        Assert.Equal(405, get.StatusCode);
    }

    [Fact]
    public async Task Calls_are_accepted_with_or_without_the_v1_prefix_as_the_generic_sources_route_passes_them()
    {
        Assert.Single(await AcceptAsync("/track", Track("A")));
    }

    private static string Track(string name, string id = "m-1") =>
        $$"""{"type":"track","messageId":"{{id}}","userId":"u-1","event":"{{name}}","timestamp":"2026-03-01T10:00:00Z"}""";

    private async Task<IReadOnlyList<Signal>> AcceptAsync(string path, string body, string settings = "{}")
    {
        var response = await HandleAsync(path, body, settings);
        Assert.True(response.IsAccepted, $"{response.StatusCode} {response.Field}: {response.Detail}");
        return response.Signals;
    }

    private async Task<SourceResponse> HandleAsync(string path, string body, string settings = "{}", string method = "POST")
    {
        var context = new SourceContext
        {
            WorkspaceId = "ws_1",
            Settings = PluginSettings.Parse(settings),
            Clock = new FakeTimeProvider(Now),
            Logger = NullLogger.Instance,
        };
        var request = new SourceRequest { Method = method, Path = path, Body = Encoding.UTF8.GetBytes(body), ContentType = "application/json" };
        return await _plugin.HandleAsync(request, context, CancellationToken.None);
    }
}
