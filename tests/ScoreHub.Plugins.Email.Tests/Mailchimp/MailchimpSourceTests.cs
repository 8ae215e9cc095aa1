using ScoreHub.Plugins.Mailchimp;
using ScoreHub.Sdk;
using static ScoreHub.Plugins.Email.Tests.Mailchimp.MailchimpFixtures;

namespace ScoreHub.Plugins.Email.Tests.Mailchimp;

public sealed class MailchimpSourceTests
{
    private readonly MailchimpSource _plugin = new();

    [Fact]
    public void Manifest_marks_the_url_secret_secret()
    {
        Assert.Equal("scorehub.mailchimp", _plugin.Manifest.Id);
        var setting = Assert.Single(_plugin.Manifest.Settings);
        Assert.Equal("secret", setting.Name);
        Assert.True(setting.Required);
        Assert.True(setting.Secret);
    }

    [Theory]
    [InlineData("{}", "'secret' is required.")]
    [InlineData("""{"secret":"too-short"}""", "'secret' must be at least 16 characters of letters, digits, '-', '.', '_' or '~'.")]
    [InlineData("""{"secret":"long enough but has spaces&"}""", "'secret' must be at least 16 characters of letters, digits, '-', '.', '_' or '~'.")]
    public void Missing_short_or_url_unsafe_secret_is_a_field_error(string settings, string message)
    {
        var error = Sources.SingleError(_plugin.ValidateSettings(PluginSettings.Parse(settings)));

        Assert.Equal("secret", error.Field);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public async Task Validation_get_with_the_secret_is_answered_200_and_stores_nothing()
    {
        var response = await _plugin.HandleAsync(Sources.Get(Query), Sources.Context(Settings), CancellationToken.None);

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("", response.ReplyBody);
        Assert.Empty(response.Signals);
    }

    [Fact]
    public async Task Validation_get_with_a_wrong_secret_is_unauthorized()
    {
        var response = await _plugin.HandleAsync(Sources.Get(new Dictionary<string, string> { ["secret"] = "mc-webhook-secret-0124" }), Sources.Context(Settings), CancellationToken.None);

        Assert.Equal(401, response.StatusCode);
        Assert.Null(response.ReplyBody);
    }

    [Fact]
    public async Task Post_with_a_wrong_secret_is_unauthorized_and_stores_nothing()
    {
        var response = await Handle(Subscribe, new Dictionary<string, string> { ["secret"] = Secret + "x" });

        Assert.Equal(401, response.StatusCode);
        Assert.Equal("The 'secret' query parameter is missing or does not match the configured secret.", response.Detail);
        Assert.Empty(response.Signals);
    }

    [Fact]
    public async Task Post_without_a_secret_is_unauthorized()
    {
        var response = await Handle(Subscribe, new Dictionary<string, string> { ["key"] = "shk_ingest_x" });

        Assert.Equal(401, response.StatusCode);
    }

    [Fact]
    public async Task Subscribe_is_email_subscribed_with_merge_fields_as_contact_properties()
    {
        var response = await Handle(Subscribe);

        Assert.True(response.IsAccepted);
        var signal = Assert.Single(response.Signals);
        Assert.Equal("email.subscribed", signal.Type);
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero), signal.OccurredAt);
        Assert.Equal("ada@example.com", signal.Contact.Email);
        Assert.Equal(new Dictionary<string, string> { ["list"] = "a6b5da1054" }, signal.Properties);
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["firstName"] = "Ada",
                ["lastName"] = "Lovelace",
                ["company"] = "Analytical Engines",
                ["address"] = "1 Main St",
                ["city"] = "Rotterdam",
                ["country"] = "NL",
                ["plan"] = "trial",
            },
            signal.ContactProperties);
        Assert.StartsWith("mc_", signal.Id, StringComparison.Ordinal);
        Assert.Equal(35, signal.Id.Length);
    }

    [Fact]
    public async Task Unsubscribe_carries_list_campaign_reason_and_action()
    {
        var signal = Assert.Single((await Handle(Unsubscribe)).Signals);

        Assert.Equal(("email.unsubscribed", "dana@example.com"), (signal.Type, signal.Contact.Email));
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 11, 0, 0, TimeSpan.Zero), signal.OccurredAt);
        Assert.Equal(
            new Dictionary<string, string> { ["list"] = "a6b5da1054", ["campaignId"] = "cb398d21d2", ["reason"] = "manual", ["action"] = "unsub" },
            signal.Properties);
        Assert.Equal(new Dictionary<string, string> { ["firstName"] = "Dana", ["lastName"] = "Scully" }, signal.ContactProperties);
    }

    [Fact]
    public async Task Profile_update_is_contact_updated_with_the_new_values()
    {
        var signal = Assert.Single((await Handle(Profile)).Signals);

        Assert.Equal("contact.updated", signal.Type);
        Assert.Equal(new Dictionary<string, string> { ["firstName"] = "Ada", ["lastName"] = "King", ["jobTitle"] = "CTO" }, signal.ContactProperties);
    }

    [Fact]
    public async Task Email_change_is_recorded_on_the_old_address_with_the_new_one()
    {
        var signal = Assert.Single((await Handle(UpEmail)).Signals);

        Assert.Equal(("contact.email_changed", "ada@example.com"), (signal.Type, signal.Contact.Email));
        Assert.Equal(new Dictionary<string, string> { ["list"] = "a6b5da1054", ["newEmail"] = "ada.king@example.com" }, signal.Properties);
    }

    [Fact]
    public async Task Cleaned_address_is_email_cleaned_with_its_reason()
    {
        var signal = Assert.Single((await Handle(Cleaned)).Signals);

        Assert.Equal(("email.cleaned", "bob@example.com"), (signal.Type, signal.Contact.Email));
        Assert.Equal(new Dictionary<string, string> { ["list"] = "a6b5da1054", ["campaignId"] = "4fjk2ma9xd", ["reason"] = "hard" }, signal.Properties);
    }

    [Fact]
    public async Task Campaign_sent_is_accepted_with_nothing_to_store()
    {
        var response = await Handle(Campaign);

        Assert.True(response.IsAccepted);
        Assert.Empty(response.Signals);
    }

    [Fact]
    public async Task Retried_event_gets_the_same_id_whatever_the_field_order()
    {
        var reordered = string.Join('&', SubscribeReadable.Split('&').Reverse());

        var first = Assert.Single((await Handle(SubscribeReadable)).Signals);
        var retry = Assert.Single((await Handle(SubscribeReadable)).Signals);
        var shuffled = Assert.Single((await Handle(reordered)).Signals);

        Assert.Equal(first.Id, retry.Id);
        Assert.Equal(first.Id, shuffled.Id);
    }

    [Fact]
    public async Task Same_contact_subscribing_again_later_is_a_different_event()
    {
        var later = SubscribeReadable.Replace("10:00:00", "10:00:01", StringComparison.Ordinal);

        var first = Assert.Single((await Handle(SubscribeReadable)).Signals);
        var second = Assert.Single((await Handle(later)).Signals);

        Assert.NotEqual(first.Id, second.Id);
    }

    [Theory]
    [InlineData("fired_at=2026-03-01 10:00:00&data[email]=a@example.com", "type")]
    [InlineData("type=subscribe&data[email]=a@example.com", "fired_at")]
    [InlineData("type=subscribe&fired_at=2026-03-01T10:00:00Z&data[email]=a@example.com", "fired_at")]
    [InlineData("type=subscribe&fired_at=2026-03-01 10:00:00&data[list_id]=x", "data[email]")]
    [InlineData("type=upemail&fired_at=2026-03-01 10:00:00&data[new_email]=b@example.com", "data[old_email]")]
    [InlineData("type=upemail&fired_at=2026-03-01 10:00:00&data[old_email]=a@example.com", "data[new_email]")]
    [InlineData("{\"type\":\"subscribe\"}", "type")]
    public async Task Malformed_payload_is_a_bad_request_naming_the_field(string body, string field)
    {
        var response = await Handle(body);

        Assert.Equal(400, response.StatusCode);
        Assert.Equal(field, response.Field);
        Assert.Empty(response.Signals);
    }

    private ValueTask<SourceResponse> Handle(string body, IDictionary<string, string>? query = null) =>
        _plugin.HandleAsync(Sources.Post(body, query: query ?? Query, contentType: "application/x-www-form-urlencoded"), Sources.Context(Settings), CancellationToken.None);
}
