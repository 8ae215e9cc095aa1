using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ScoreHub.Plugins.Email.Tests.Mailchimp;
using ScoreHub.Plugins.Email.Tests.Mailgun;
using ScoreHub.Plugins.Email.Tests.SendGrid;
using ScoreHub.Plugins.Mailchimp;
using ScoreHub.Plugins.Mailgun;
using ScoreHub.Plugins.SendGrid;
using ScoreHub.Plugins.Social;
using ScoreHub.Sdk;
using ScoreHub.Sdk.Testing;

namespace ScoreHub.Plugins.Email.Tests;

/// <summary>The signal-source contract, checked against scorehub.sendgrid with the fixtures' batch.</summary>
public sealed class SendGridSourceCompliance : SignalSourceCompliance<ISignalSource>, IDisposable
{
    private readonly SendGridFixtures _fixtures = new();

    protected override ISignalSource CreatePlugin() => new SendGridSource();

    protected override PluginSettings ValidSettings => PluginSettings.Parse(_fixtures.Settings());

    protected override IEnumerable<SourceRequest> SampleRequests() =>
        [Signed(Encoding.UTF8.GetBytes(SendGridFixtures.Batch)), Signed(Encoding.UTF8.GetBytes(SendGridFixtures.MachineOpen))];

    protected override SourceRequest WithBody(SourceRequest sample, ReadOnlyMemory<byte> body) => Signed(body);

    protected override SourceRequest? UnverifiedRequest =>
        SendGridFixtures.Request(SendGridFixtures.Batch, SendGridFixtures.Timestamp, Convert.ToBase64String(new byte[70]));

    public void Dispose() => _fixtures.Dispose();

    private SourceRequest Signed(ReadOnlyMemory<byte> body)
    {
        // Signed over the raw bytes, so bodies that are not valid UTF-8 still pass verification and reach the parser.
        byte[] signed = [.. Encoding.UTF8.GetBytes(SendGridFixtures.Timestamp), .. body.Span];
        var signature = Convert.ToBase64String(_fixtures.Key.SignData(signed, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
        return TestRequests.Post(body, "application/json", new Dictionary<string, string>
        {
            [SendGridOptions.SignatureHeader] = signature,
            [SendGridOptions.TimestampHeader] = SendGridFixtures.Timestamp,
        });
    }
}

/// <summary>The signal-source contract, checked against scorehub.mailgun with the fixtures' events.</summary>
public sealed class MailgunSourceCompliance : SignalSourceCompliance<ISignalSource>
{
    protected override ISignalSource CreatePlugin() => new MailgunSource();

    protected override PluginSettings ValidSettings => PluginSettings.Parse(MailgunFixtures.Settings);

    protected override IEnumerable<SourceRequest> SampleRequests() =>
        new[] { MailgunFixtures.Opened, MailgunFixtures.Clicked, MailgunFixtures.Unsubscribed, MailgunFixtures.Complained, MailgunFixtures.Delivered }
            .Select((eventData, i) => TestRequests.Json(MailgunFixtures.Body(eventData, Now, token: $"{i:D6}{new string('s', 44)}")));

    /// <summary>
    /// Mailgun signs a token, not the body, and refuses a token reused with another body: each malformed body gets a
    /// fresh token, so it reaches the parser. Bodies that are not an object with <c>event-data</c> are sent as they are.
    /// </summary>
    protected override SourceRequest WithBody(SourceRequest sample, ReadOnlyMemory<byte> body)
    {
        try
        {
            if (JsonNode.Parse(body.Span) is JsonObject root && root["event-data"] is { } eventData)
            {
                return TestRequests.Json(MailgunFixtures.Body(eventData.ToJsonString(), Now));
            }
        }
        catch (System.Text.Json.JsonException)
        {
            // Not JSON: sent as it is.
        }

        return TestRequests.Copy(sample, body: body);
    }

    protected override SourceRequest? UnverifiedRequest =>
        TestRequests.Json(MailgunFixtures.Body(MailgunFixtures.Opened, Now, key: "key-not-the-configured-one"));
}

/// <summary>The signal-source contract, checked against scorehub.mailchimp with the fixtures' form posts.</summary>
public sealed class MailchimpSourceCompliance : SignalSourceCompliance<ISignalSource>
{
    protected override ISignalSource CreatePlugin() => new MailchimpSource();

    protected override PluginSettings ValidSettings => PluginSettings.Parse(MailchimpFixtures.Settings);

    protected override IEnumerable<SourceRequest> SampleRequests() =>
        new[] { MailchimpFixtures.Subscribe, MailchimpFixtures.Unsubscribe, MailchimpFixtures.Profile, MailchimpFixtures.UpEmail, MailchimpFixtures.Cleaned }
            .Select(body => TestRequests.Post(Encoding.UTF8.GetBytes(body), "application/x-www-form-urlencoded", query: MailchimpFixtures.Query));

    protected override SourceRequest? UnverifiedRequest =>
        TestRequests.Post(Encoding.UTF8.GetBytes(MailchimpFixtures.Subscribe), "application/x-www-form-urlencoded",
            query: new Dictionary<string, string> { ["key"] = "shk_ingest_x", [MailchimpOptions.SecretParameter] = "not-the-secret-0000" });
}

/// <summary>The signal-source contract, checked against scorehub.social.</summary>
public sealed class SocialSourceCompliance : SignalSourceCompliance<ISignalSource>
{
    private const string Secret = "social-signing-secret-0123";

    private const string Batch = """
        {"events":[
          {"id":"li-9001","network":"LinkedIn","action":"like","occurredAt":"2026-03-01T10:00:00Z","contact":{"email":"ada@example.com"},"campaign":"spring-launch","url":"https://www.linkedin.com/feed/update/urn:li:activity:1"},
          {"id":"li-9002","network":"linkedin","action":"comment","occurredAt":"2026-03-01T10:05:00+01:00","contact":{"externalId":"crm-42"},"campaign":"spring-launch"},
          {"id":"x-77","network":"x","action":"share","occurredAt":"2026-03-01T11:00:00Z","contact":{"anonymousId":"a-77"}},
          {"id":"fb-1","network":"facebook","action":"click","occurredAt":"2026-03-01T13:00:00Z","contact":{"anonymousId":"a-78"},"campaign":"spring-launch","url":"https://example.com/pricing?utm_source=facebook"}
        ]}
        """;

    protected override ISignalSource CreatePlugin() => new SocialSource();

    protected override PluginSettings ValidSettings => new SettingsBuilder().With(SocialOptions.SigningSecret, Secret).Build();

    protected override IEnumerable<SourceRequest> SampleRequests() => [Signed(Encoding.UTF8.GetBytes(Batch))];

    protected override SourceRequest WithBody(SourceRequest sample, ReadOnlyMemory<byte> body) => Signed(body);

    protected override SourceRequest? UnverifiedRequest => TestRequests.Json(Batch);

    private static SourceRequest Signed(ReadOnlyMemory<byte> body) => TestRequests.Post(body, "application/json", new Dictionary<string, string>
    {
        [SocialOptions.SignatureHeader] = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), body.Span)),
    });
}
