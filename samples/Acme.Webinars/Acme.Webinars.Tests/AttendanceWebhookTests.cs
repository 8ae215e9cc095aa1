using System.Text;
using System.Text.Json;
using ScoreHub.Sdk;
using ScoreHub.Sdk.Testing;

namespace Acme.Webinars.Tests;

/// <summary>Every check of the signal-source contract, run against the plugin's webhook.</summary>
public sealed class AttendanceWebhookCompliance : SignalSourceCompliance<ISignalSource>
{
    protected override ISignalSource CreatePlugin() => new AcmeWebinarsPlugin();

    protected override PluginSettings ValidSettings => Webhooks.Settings;

    protected override IEnumerable<SourceRequest> SampleRequests() =>
        [Webhooks.Signed(Webhooks.Registration), Webhooks.Signed(Webhooks.Joined), Webhooks.Signed(Webhooks.Left)];

    // Malformed bodies are re-signed so that they reach the parser.
    protected override SourceRequest WithBody(SourceRequest sample, ReadOnlyMemory<byte> body) => Webhooks.Signed(body);

    protected override SourceRequest? UnverifiedRequest => TestRequests.Json(Webhooks.Text(Webhooks.Left));
}

public sealed class AttendanceWebhookTests
{
    private readonly SignalRecorder _recorder = new(new AcmeWebinarsPlugin(), TestContexts.Source(Webhooks.Settings));

    [Fact]
    public async Task A_registration_becomes_webinar_registered_with_the_registrants_job_title_and_company()
    {
        await _recorder.HandleAsync(Webhooks.Signed(Webhooks.Registration));

        var signal = Assert.Single(_recorder.Signals);
        Assert.Equal("webinar.registered", signal.Type);
        Assert.Equal("registered:86452109773:ada.lovelace@example.com", signal.Id);
        Assert.Equal(DateTimeOffset.Parse("2026-02-20T09:14:03Z", System.Globalization.CultureInfo.InvariantCulture), signal.OccurredAt);
        Assert.Equal("ada.lovelace@example.com", signal.Contact.Email);
        Assert.Equal("VP of Marketing", signal.ContactProperties["jobTitle"]);
        Assert.Equal("Analytical Engines Ltd", signal.ContactProperties["company"]);
        Assert.Equal("Lead scoring that sales trusts", signal.Properties["webinarTopic"]);
    }

    [Fact]
    public async Task Leaving_the_webinar_becomes_webinar_attended_with_the_minutes_watched()
    {
        await _recorder.HandleAsync(Webhooks.Signed(Webhooks.Left));

        var signal = Assert.Single(_recorder.Signals);
        Assert.Equal("webinar.attended", signal.Type);
        Assert.Equal("47", signal.Properties["minutesWatched"]);
        Assert.Equal("86452109773", signal.Properties["webinarId"]);
    }

    [Fact]
    public async Task Joining_is_accepted_but_stores_nothing_until_the_participant_leaves()
    {
        var response = await _recorder.HandleAsync(Webhooks.Signed(Webhooks.Joined));

        Assert.Equal(200, response.StatusCode);
        Assert.Empty(_recorder.Signals);
    }

    [Fact]
    public async Task Rejoining_after_a_dropout_gives_the_same_attendance_id_so_it_counts_once()
    {
        var rejoined = Encoding.UTF8.GetBytes(Webhooks.Text(Webhooks.Left)
            .Replace("2026-03-01T16:02:11Z", "2026-03-01T16:51:00Z", StringComparison.Ordinal)
            .Replace("2026-03-01T16:49:40Z", "2026-03-01T16:58:00Z", StringComparison.Ordinal));

        await _recorder.HandleAsync(Webhooks.Signed(Webhooks.Left));
        await _recorder.HandleAsync(Webhooks.Signed(rejoined));

        Assert.Single(_recorder.Signals.Select(s => s.Id).Distinct());
    }

    [Fact]
    public async Task A_request_signed_with_another_secret_is_unauthorized()
    {
        var response = await _recorder.HandleAsync(Webhooks.Signed(Webhooks.Left, secret: "someone-elses-secret-token"));

        Assert.Equal(401, response.StatusCode);
        Assert.Empty(_recorder.Signals);
    }

    [Fact]
    public async Task A_correctly_signed_request_replayed_ten_minutes_later_is_unauthorized()
    {
        var response = await _recorder.HandleAsync(Webhooks.Signed(Webhooks.Left, at: TestDefaults.Now.AddMinutes(-10)));

        Assert.Equal(401, response.StatusCode);
    }

    [Fact]
    public async Task A_participant_without_an_email_is_a_bad_request_naming_the_field()
    {
        var body = Encoding.UTF8.GetBytes(Webhooks.Text(Webhooks.Left).Replace("\"ada.lovelace@example.com\"", "null", StringComparison.Ordinal));

        var response = await _recorder.HandleAsync(Webhooks.Signed(body));

        Assert.Equal(400, response.StatusCode);
        Assert.Equal("payload.object.participant.email", response.Field);
    }

    [Fact]
    public async Task The_url_validation_handshake_is_answered_with_the_token_signed_by_the_secret()
    {
        var body = Encoding.UTF8.GetBytes("""{"event":"endpoint.url_validation","event_ts":1772380000000,"payload":{"plainToken":"qgg8vlvZRS6UYooatFL8Aw"}}""");

        var response = await _recorder.HandleAsync(Webhooks.Signed(body));

        Assert.Equal(200, response.StatusCode);
        Assert.False(response.IsAccepted);
        using var reply = JsonDocument.Parse(response.ReplyBody!);
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(
            Encoding.UTF8.GetBytes(Webhooks.Secret), Encoding.UTF8.GetBytes("qgg8vlvZRS6UYooatFL8Aw")));
        Assert.Equal(expected, reply.RootElement.GetProperty("encryptedToken").GetString());
    }

    [Fact]
    public void A_signing_secret_shorter_than_16_characters_is_refused_by_name()
    {
        var report = new AcmeWebinarsPlugin().ValidateSettings(new SettingsBuilder().With(AcmeWebinarsOptions.SigningSecret, "short").Build());

        Assert.Equal([AcmeWebinarsOptions.SigningSecret], report.Errors.Select(e => e.Field));
    }
}
