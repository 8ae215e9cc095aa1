using System.Security.Cryptography;
using ScoreHub.Plugins.SendGrid;
using ScoreHub.Sdk;

namespace ScoreHub.Plugins.Email.Tests.SendGrid;

public sealed class SendGridSourceTests : IDisposable
{
    private readonly SendGridFixtures _fixtures = new();
    private readonly SendGridSource _plugin = new();

    public void Dispose() => _fixtures.Dispose();

    [Fact]
    public void Manifest_declares_the_public_key_as_required_and_machine_opens_as_an_optional_boolean()
    {
        var manifest = _plugin.Manifest;

        Assert.Equal("scorehub.sendgrid", manifest.Id);
        Assert.Equal(ScoreHubSdk.Version, manifest.SdkVersion);
        Assert.Equal(PluginKinds.SignalSource, manifest.Kinds);
        Assert.Collection(manifest.Settings,
            s =>
            {
                Assert.Equal("publicKey", s.Name);
                Assert.True(s.Required);
                Assert.False(s.Secret);
            },
            s =>
            {
                Assert.Equal("scoreMachineOpens", s.Name);
                Assert.Equal(SettingType.Boolean, s.Type);
                Assert.False(s.Required);
            });
        var marker = typeof(SendGridSource).Assembly.GetCustomAttributes(typeof(ScoreHubPluginAttribute), false);
        Assert.Equal(typeof(SendGridSource), Assert.IsType<ScoreHubPluginAttribute>(Assert.Single(marker)).PluginType);
    }

    [Fact]
    public void Public_key_as_sendgrid_shows_it_is_valid_and_so_is_the_same_key_in_pem_armour()
    {
        var pem = "-----BEGIN PUBLIC KEY-----\n" + _fixtures.PublicKey + "\n-----END PUBLIC KEY-----\n";

        Assert.True(_plugin.ValidateSettings(PluginSettings.Parse(_fixtures.Settings())).IsValid);
        Assert.True(_plugin.ValidateSettings(PluginSettings.Parse($$"""{"publicKey":{{System.Text.Json.JsonSerializer.Serialize(pem)}}}""")).IsValid);
    }

    [Fact]
    public void Missing_public_key_is_a_field_error()
    {
        var error = Sources.SingleError(_plugin.ValidateSettings(PluginSettings.Parse("{}")));

        Assert.Equal("publicKey", error.Field);
        Assert.Equal("'publicKey' is required.", error.Message);
    }

    [Fact]
    public void Public_key_that_is_not_base64_p256_is_a_field_error()
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        foreach (var key in new[] { "not base64!", Convert.ToBase64String([1, 2, 3]), Convert.ToBase64String(p384.ExportSubjectPublicKeyInfo()) })
        {
            var error = Sources.SingleError(_plugin.ValidateSettings(PluginSettings.Parse($$"""{"publicKey":"{{key}}"}""")));

            Assert.Equal("publicKey", error.Field);
            Assert.Equal("'publicKey' must be the base64 ECDSA P-256 public key SendGrid shows for the Signed Event Webhook.", error.Message);
        }
    }

    [Fact]
    public void Score_machine_opens_must_be_a_boolean()
    {
        var settings = $$"""{"publicKey":"{{_fixtures.PublicKey}}","scoreMachineOpens":"yes"}""";

        var error = Sources.SingleError(_plugin.ValidateSettings(PluginSettings.Parse(settings)));

        Assert.Equal("scoreMachineOpens", error.Field);
    }

    [Fact]
    public async Task Signed_batch_maps_engagement_events_and_skips_delivery_events()
    {
        var response = await Handle(_fixtures.Signed(SendGridFixtures.Batch));

        Assert.True(response.IsAccepted);
        Assert.Collection(response.Signals,
            s =>
            {
                Assert.Equal("sg-open-1", s.Id);
                Assert.Equal("email.opened", s.Type);
                Assert.Equal(new DateTimeOffset(2026, 3, 1, 10, 1, 0, TimeSpan.Zero), s.OccurredAt);
                Assert.Equal("ada@example.com", s.Contact.Email);
                Assert.Equal(
                    new Dictionary<string, string>
                    {
                        ["emailId"] = "14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0",
                        ["campaign"] = "Spring nurture",
                        ["category"] = "nurture,week-1",
                    },
                    s.Properties);
            },
            s =>
            {
                Assert.Equal("sg-click-1", s.Id);
                Assert.Equal("email.clicked", s.Type);
                Assert.Equal(new DateTimeOffset(2026, 3, 1, 10, 2, 0, TimeSpan.Zero), s.OccurredAt);
                Assert.Equal(
                    new Dictionary<string, string>
                    {
                        ["emailId"] = "14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0",
                        ["campaign"] = "March newsletter",
                        ["category"] = "nurture",
                        ["url"] = "https://example.com/pricing",
                    },
                    s.Properties);
            },
            s =>
            {
                Assert.Equal(("sg-spam-1", "email.spam_reported", "carl@example.com"), (s.Id, s.Type, s.Contact.Email));
                Assert.Equal(new Dictionary<string, string> { ["emailId"] = "14c5d75ce93.dfd.64b469.filter0003.16648.5515E0B88.0" }, s.Properties);
            },
            s => Assert.Equal(("sg-unsub-1", "email.unsubscribed", "dana@example.com"), (s.Id, s.Type, s.Contact.Email)),
            s =>
            {
                Assert.Equal(("sg-gunsub-1", "email.unsubscribed", "erin@example.com"), (s.Id, s.Type, s.Contact.Email));
                Assert.Equal("42", s.Properties["list"]);
                Assert.False(s.Properties.ContainsKey("url"));
            },
            s =>
            {
                Assert.Equal(("sg-gresub-1", "email.subscribed"), (s.Id, s.Type));
                Assert.Equal(new Dictionary<string, string> { ["list"] = "42" }, s.Properties);
            });
    }

    [Fact]
    public async Task Batch_of_delivery_events_only_is_accepted_with_nothing_to_store()
    {
        const string body = """[{"email":"bob@example.com","timestamp":1772359205,"event":"delivered","sg_event_id":"sg-d","response":"250 OK"},{"email":"bob@example.com","timestamp":1772359205,"event":"some_future_event","sg_event_id":"sg-f"}]""";

        var response = await Handle(_fixtures.Signed(body));

        Assert.True(response.IsAccepted);
        Assert.Empty(response.Signals);
    }

    [Fact]
    public async Task Machine_open_is_recorded_as_machine_opened_by_default()
    {
        var response = await Handle(_fixtures.Signed(SendGridFixtures.MachineOpen));

        var signal = Assert.Single(response.Signals);
        Assert.Equal("sg-machine-open-1", signal.Id);
        Assert.Equal("email.machine_opened", signal.Type);
        Assert.Equal(new Dictionary<string, string> { ["emailId"] = "msg-1", ["campaign"] = "Spring nurture" }, signal.Properties);
    }

    [Fact]
    public async Task Machine_open_is_recorded_as_machine_opened_when_scoring_them_is_switched_off_explicitly()
    {
        var response = await Handle(_fixtures.Signed(SendGridFixtures.MachineOpen), _fixtures.Settings(scoreMachineOpens: false));

        Assert.Equal("email.machine_opened", Assert.Single(response.Signals).Type);
    }

    [Fact]
    public async Task Machine_open_is_an_open_marked_machineOpen_when_the_workspace_opts_in()
    {
        var response = await Handle(_fixtures.Signed(SendGridFixtures.MachineOpen), _fixtures.Settings(scoreMachineOpens: true));

        var signal = Assert.Single(response.Signals);
        Assert.Equal("email.opened", signal.Type);
        Assert.Equal(new Dictionary<string, string> { ["emailId"] = "msg-1", ["campaign"] = "Spring nurture", ["machineOpen"] = "true" }, signal.Properties);
    }

    [Fact]
    public async Task Human_open_carries_no_machineOpen_property_even_when_machine_opens_are_scored()
    {
        var response = await Handle(_fixtures.Signed(SendGridFixtures.Batch), _fixtures.Settings(scoreMachineOpens: true));

        Assert.False(response.Signals[0].Properties.ContainsKey("machineOpen"));
    }

    [Fact]
    public async Task Missing_signature_headers_are_unauthorized()
    {
        var response = await Handle(Sources.Post(SendGridFixtures.Batch));

        Assert.Equal(401, response.StatusCode);
        Assert.Equal(
            "The X-Twilio-Email-Event-Webhook-Signature and X-Twilio-Email-Event-Webhook-Timestamp headers are required; enable the Signed Event Webhook in SendGrid.",
            response.Detail);
        Assert.Empty(response.Signals);
    }

    [Fact]
    public async Task Signature_by_another_key_is_unauthorized()
    {
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = SendGridFixtures.Request(SendGridFixtures.Batch, SendGridFixtures.Timestamp, SendGridFixtures.Sign(other, SendGridFixtures.Timestamp, SendGridFixtures.Batch));

        var response = await Handle(request);

        Assert.Equal(401, response.StatusCode);
        Assert.Equal("The X-Twilio-Email-Event-Webhook-Signature header does not match the timestamp and body.", response.Detail);
        Assert.Empty(response.Signals);
    }

    [Fact]
    public async Task Body_changed_after_signing_is_unauthorized()
    {
        var signature = SendGridFixtures.Sign(_fixtures.Key, SendGridFixtures.Timestamp, SendGridFixtures.MachineOpen);
        var tampered = SendGridFixtures.MachineOpen.Replace("\"sg_machine_open\":true", "\"sg_machine_open\":false", StringComparison.Ordinal);

        var response = await Handle(SendGridFixtures.Request(tampered, SendGridFixtures.Timestamp, signature));

        Assert.Equal(401, response.StatusCode);
    }

    [Fact]
    public async Task Timestamp_changed_after_signing_is_unauthorized()
    {
        var signature = SendGridFixtures.Sign(_fixtures.Key, SendGridFixtures.Timestamp, SendGridFixtures.Batch);

        var response = await Handle(SendGridFixtures.Request(SendGridFixtures.Batch, "1772442001", signature));

        Assert.Equal(401, response.StatusCode);
    }

    [Fact]
    public async Task Signature_that_is_not_base64_is_unauthorized()
    {
        var response = await Handle(SendGridFixtures.Request(SendGridFixtures.Batch, SendGridFixtures.Timestamp, "%%%"));

        Assert.Equal(401, response.StatusCode);
        Assert.Equal("The X-Twilio-Email-Event-Webhook-Signature header is not base64.", response.Detail);
    }

    [Theory]
    [InlineData("{not json", "body")]
    [InlineData("""{"events":[]}""", "body")]
    [InlineData("[42]", "[0]")]
    [InlineData("""[{"email":"a@example.com","timestamp":1772359200,"sg_event_id":"x"}]""", "[0].event")]
    [InlineData("""[{"email":"a@example.com","timestamp":1772359200,"event":"open"}]""", "[0].sg_event_id")]
    [InlineData("""[{"timestamp":1772359200,"event":"open","sg_event_id":"x"}]""", "[0].email")]
    [InlineData("""[{"email":"a@example.com","timestamp":"yesterday","event":"open","sg_event_id":"x"}]""", "[0].timestamp")]
    [InlineData("""[{"email":"a@example.com","event":"open","sg_event_id":"x"}]""", "[0].timestamp")]
    [InlineData("""[{"email":"a@example.com","timestamp":1772359200,"event":"click","sg_event_id":"x"}]""", "[0].url")]
    [InlineData("""[{"email":"a@example.com","timestamp":1772359200,"event":"open","sg_event_id":"x"},{"email":"a@example.com","timestamp":1772359200,"event":"click","sg_event_id":"y"}]""", "[1].url")]
    public async Task Malformed_payload_is_a_bad_request_naming_the_field(string body, string field)
    {
        var response = await Handle(_fixtures.Signed(body));

        Assert.Equal(400, response.StatusCode);
        Assert.Equal(field, response.Field);
        Assert.Empty(response.Signals);
    }

    [Fact]
    public async Task Bad_request_detail_names_the_field_and_the_rule()
    {
        var response = await Handle(_fixtures.Signed("""[{"email":"a@example.com","timestamp":1772359200,"event":"click","sg_event_id":"x"}]"""));

        Assert.Equal("'[0].url' must be a non-empty string for a click.", response.Detail);
    }

    private ValueTask<SourceResponse> Handle(SourceRequest request, string? settings = null) =>
        _plugin.HandleAsync(request, Sources.Context(settings ?? _fixtures.Settings()), CancellationToken.None);
}
