using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using ScoreHub.Plugins.Mailgun;
using ScoreHub.Sdk;
using static ScoreHub.Plugins.Email.Tests.Mailgun.MailgunFixtures;

namespace ScoreHub.Plugins.Email.Tests.Mailgun;

public sealed class MailgunSourceTests
{
    private readonly MailgunSource _plugin = new();
    private readonly FakeTimeProvider _clock = new(Sources.Now);

    [Fact]
    public void Manifest_marks_the_signing_key_secret()
    {
        var manifest = _plugin.Manifest;

        Assert.Equal("scorehub.mailgun", manifest.Id);
        Assert.Equal(ScoreHubSdk.Version, manifest.SdkVersion);
        var key = Assert.Single(manifest.Settings, s => s.Name == "signingKey");
        Assert.True(key.Required);
        Assert.True(key.Secret);
        var age = Assert.Single(manifest.Settings, s => s.Name == "maxAgeSeconds");
        Assert.False(age.Required);
        Assert.Equal(SettingType.Number, age.Type);
    }

    [Theory]
    [InlineData("{}", "signingKey", "'signingKey' is required.")]
    [InlineData("""{"signingKey":"short"}""", "signingKey", "'signingKey' must be at least 16 characters.")]
    [InlineData("""{"signingKey":"key-3ax6xnjp29jd6fds4gc373sgvjxteol0","maxAgeSeconds":5}""", "maxAgeSeconds", "'maxAgeSeconds' must be a whole number from 30 to 86400.")]
    [InlineData("""{"signingKey":"key-3ax6xnjp29jd6fds4gc373sgvjxteol0","maxAgeSeconds":90000}""", "maxAgeSeconds", "'maxAgeSeconds' must be a whole number from 30 to 86400.")]
    [InlineData("""{"signingKey":"key-3ax6xnjp29jd6fds4gc373sgvjxteol0","maxAgeSeconds":"300"}""", "maxAgeSeconds", "'maxAgeSeconds' must be a number.")]
    public void Invalid_settings_are_field_errors(string settings, string field, string message)
    {
        var error = Sources.SingleError(_plugin.ValidateSettings(PluginSettings.Parse(settings)));

        Assert.Equal(field, error.Field);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public async Task Signed_open_becomes_an_email_opened_signal()
    {
        var response = await Handle(Body(Opened, Sources.Now));

        Assert.True(response.IsAccepted);
        var signal = Assert.Single(response.Signals);
        Assert.Equal("CPgfbmQMTCKtHW6uIWtuVe", signal.Id);
        Assert.Equal("email.opened", signal.Type);
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 10, 0, 0, 250, TimeSpan.Zero), signal.OccurredAt);
        Assert.Equal("ada@example.com", signal.Contact.Email);
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["emailId"] = "20260301095959.1.ABC@mg.example.com",
                ["subject"] = "Your trial, week 1",
                ["campaign"] = "Spring nurture",
                ["category"] = "nurture,week-1",
            },
            signal.Properties);
    }

    [Fact]
    public async Task Click_carries_its_url_and_the_campaign_user_variable()
    {
        var signal = Assert.Single((await Handle(Body(Clicked, Sources.Now))).Signals);

        Assert.Equal(("Ase7i2zsRYeDXztHGENqRA", "email.clicked"), (signal.Id, signal.Type));
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["emailId"] = "20260301095959.2.ABC@mg.example.com",
                ["campaign"] = "March newsletter",
                ["url"] = "https://example.com/pricing",
            },
            signal.Properties);
    }

    [Fact]
    public async Task Unsubscribe_names_the_mailing_list()
    {
        var signal = Assert.Single((await Handle(Body(Unsubscribed, Sources.Now))).Signals);

        Assert.Equal(("email.unsubscribed", "dana@example.com"), (signal.Type, signal.Contact.Email));
        Assert.Equal("news@mg.example.com", signal.Properties["list"]);
    }

    [Fact]
    public async Task Complaint_is_a_spam_report()
    {
        var signal = Assert.Single((await Handle(Body(Complained, Sources.Now))).Signals);

        Assert.Equal(("c1", "email.spam_reported", "carl@example.com"), (signal.Id, signal.Type, signal.Contact.Email));
    }

    [Theory]
    [InlineData(Delivered)]
    [InlineData(Failed)]
    public async Task Delivery_events_are_accepted_with_nothing_to_store(string eventData)
    {
        var response = await Handle(Body(eventData, Sources.Now));

        Assert.Equal(200, response.StatusCode);
        Assert.True(response.IsAccepted);
        Assert.Empty(response.Signals);
    }

    [Fact]
    public async Task Signature_made_with_another_key_is_unauthorized()
    {
        var response = await Handle(Body(Opened, Sources.Now, key: "key-not-the-configured-one-000"));

        Assert.Equal(401, response.StatusCode);
        Assert.Equal("'signature.signature' does not match the timestamp and token for the configured signing key.", response.Detail);
        Assert.Empty(response.Signals);
    }

    [Fact]
    public async Task Body_without_a_signature_object_is_unauthorized()
    {
        var response = await Handle($$"""{"event-data":{{Opened}}}""");

        Assert.Equal(401, response.StatusCode);
        Assert.Equal("The body has no 'signature' object; is this a Mailgun webhook?", response.Detail);
    }

    [Fact]
    public async Task Token_changed_after_signing_is_unauthorized()
    {
        var body = JsonNode.Parse(Body(Opened, Sources.Now))!;
        body["signature"]!["token"] = NewToken();

        var response = await Handle(body.ToJsonString());

        Assert.Equal(401, response.StatusCode);
    }

    [Fact]
    public async Task Signature_older_than_five_minutes_is_refused_as_stale()
    {
        var response = await Handle(Body(Opened, Sources.Now.AddSeconds(-301)));

        Assert.Equal(401, response.StatusCode);
        Assert.Equal("'signature.timestamp' is more than 300 seconds away from now; stale or replayed requests are refused.", response.Detail);
        Assert.Empty(response.Signals);
    }

    [Fact]
    public async Task Signature_just_inside_five_minutes_is_accepted()
    {
        var response = await Handle(Body(Opened, Sources.Now.AddSeconds(-300)));

        Assert.True(response.IsAccepted);
    }

    [Fact]
    public async Task Signature_from_more_than_five_minutes_in_the_future_is_refused()
    {
        var response = await Handle(Body(Opened, Sources.Now.AddSeconds(301)));

        Assert.Equal(401, response.StatusCode);
    }

    [Fact]
    public async Task Longer_configured_window_accepts_an_older_signature()
    {
        var settings = $$"""{"signingKey":"{{SigningKey}}","maxAgeSeconds":900}""";

        var response = await Handle(Body(Opened, Sources.Now.AddSeconds(-600)), settings);

        Assert.True(response.IsAccepted);
    }

    [Fact]
    public async Task Token_reused_with_another_event_is_refused_as_a_replay()
    {
        var token = NewToken();
        var first = await Handle(Body(Opened, Sources.Now, token));

        var replay = await Handle(Body(Clicked, Sources.Now, token));

        Assert.True(first.IsAccepted);
        Assert.Equal(401, replay.StatusCode);
        Assert.Equal("'signature.token' was already used with another body; replayed signatures are refused.", replay.Detail);
        Assert.Empty(replay.Signals);
    }

    [Fact]
    public async Task Byte_identical_resend_is_accepted_with_the_same_event_id_for_the_ledger_to_dedupe()
    {
        var body = Body(Opened, Sources.Now);
        var first = await Handle(body);
        _clock.Advance(TimeSpan.FromSeconds(10));

        var resend = await Handle(body);

        Assert.True(resend.IsAccepted);
        Assert.Equal(Assert.Single(first.Signals).Id, Assert.Single(resend.Signals).Id);
    }

    [Fact]
    public async Task Token_reused_after_the_window_is_refused_as_stale()
    {
        var token = NewToken();
        await Handle(Body(Opened, Sources.Now, token));
        _clock.Advance(TimeSpan.FromSeconds(301));

        var replay = await Handle(Body(Clicked, Sources.Now, token));

        Assert.Equal(401, replay.StatusCode);
        Assert.Contains("stale", replay.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tokens_are_remembered_per_workspace()
    {
        var token = NewToken();
        await Handle(Body(Opened, Sources.Now, token), workspace: "ws_1");

        var other = await Handle(Body(Clicked, Sources.Now, token), workspace: "ws_2");

        Assert.True(other.IsAccepted);
    }

    [Theory]
    [InlineData("{not json", "body")]
    [InlineData("""{"id":"x","timestamp":1772359200,"recipient":"a@example.com"}""", "event-data.event")]
    [InlineData("""{"event":"opened","timestamp":1772359200,"recipient":"a@example.com"}""", "event-data.id")]
    [InlineData("""{"id":"x","event":"opened","timestamp":"now","recipient":"a@example.com"}""", "event-data.timestamp")]
    [InlineData("""{"id":"x","event":"opened","timestamp":1772359200}""", "event-data.recipient")]
    [InlineData("""{"id":"x","event":"clicked","timestamp":1772359200,"recipient":"a@example.com"}""", "event-data.url")]
    public async Task Malformed_payload_is_a_bad_request_naming_the_field(string eventData, string field)
    {
        var body = eventData.StartsWith('{') && eventData != "{not json" ? Body(eventData, Sources.Now) : eventData;

        var response = await Handle(body);

        Assert.Equal(400, response.StatusCode);
        Assert.Equal(field, response.Field);
        Assert.Empty(response.Signals);
    }

    [Fact]
    public async Task Signed_body_without_event_data_is_a_bad_request()
    {
        var body = JsonNode.Parse(Body(Opened, Sources.Now))!.AsObject();
        body.Remove("event-data");

        var response = await Handle(body.ToJsonString());

        Assert.Equal(400, response.StatusCode);
        Assert.Equal("event-data", response.Field);
    }

    private ValueTask<SourceResponse> Handle(string body, string settings = Settings, string workspace = "ws_1") =>
        _plugin.HandleAsync(Sources.Post(body), Sources.Context(settings, _clock, workspace), CancellationToken.None);
}
