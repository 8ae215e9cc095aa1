using System.Security.Cryptography;
using System.Text;
using ScoreHub.Plugins.Social;
using ScoreHub.Sdk;

namespace ScoreHub.Plugins.Email.Tests.Social;

public sealed class SocialSourceTests
{
    private const string Secret = "social-signing-secret-0123";
    private const string Settings = $$"""{"signingSecret":"{{Secret}}"}""";

    /// <summary>What a social media tool reports after a campaign post: a like, a comment, a share, a follow and a click-through.</summary>
    private const string Batch = """
        {"events":[
          {"id":"li-9001","network":"LinkedIn","action":"like","occurredAt":"2026-03-01T10:00:00Z","contact":{"email":"ada@example.com"},"campaign":"spring-launch","url":"https://www.linkedin.com/feed/update/urn:li:activity:1"},
          {"id":"li-9002","network":"linkedin","action":"comment","occurredAt":"2026-03-01T10:05:00+01:00","contact":{"externalId":"crm-42"},"campaign":"spring-launch"},
          {"id":"x-77","network":"x","action":"share","occurredAt":"2026-03-01T11:00:00Z","contact":{"anonymousId":"a-77"}},
          {"id":"ig-5","network":"instagram","action":"follow","occurredAt":"2026-03-01T12:00:00Z","contact":{"email":"bob@example.com","externalId":"crm-43"}},
          {"id":"fb-1","network":"facebook","action":"click","occurredAt":"2026-03-01T13:00:00Z","contact":{"anonymousId":"a-78"},"campaign":"spring-launch","url":"https://example.com/pricing?utm_source=facebook"}
        ]}
        """;

    private readonly SocialSource _plugin = new();

    [Fact]
    public void Manifest_marks_the_signing_secret_secret_and_rejects_short_ones()
    {
        Assert.Equal("scorehub.social", _plugin.Manifest.Id);
        var setting = Assert.Single(_plugin.Manifest.Settings);
        Assert.True(setting.Secret);
        var error = Sources.SingleError(_plugin.ValidateSettings(PluginSettings.Parse("""{"signingSecret":"short"}""")));
        Assert.Equal(("signingSecret", "'signingSecret' must be at least 16 characters."), (error.Field, error.Message));
    }

    [Fact]
    public async Task Signed_engagements_become_social_engaged_and_a_click_through_social_clicked()
    {
        var response = await Handle(Signed(Batch));

        Assert.True(response.IsAccepted);
        Assert.Collection(response.Signals,
            s =>
            {
                Assert.Equal(("li-9001", "social.engaged", "ada@example.com"), (s.Id, s.Type, s.Contact.Email));
                Assert.Equal(new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero), s.OccurredAt);
                Assert.Equal(
                    new Dictionary<string, string>
                    {
                        ["network"] = "linkedin",
                        ["action"] = "like",
                        ["campaign"] = "spring-launch",
                        ["url"] = "https://www.linkedin.com/feed/update/urn:li:activity:1",
                    },
                    s.Properties);
            },
            s =>
            {
                Assert.Equal(("li-9002", "crm-42"), (s.Id, s.Contact.ExternalId));
                Assert.Equal(new DateTimeOffset(2026, 3, 1, 9, 5, 0, TimeSpan.Zero), s.OccurredAt.ToUniversalTime());
                Assert.Equal(new Dictionary<string, string> { ["network"] = "linkedin", ["action"] = "comment", ["campaign"] = "spring-launch" }, s.Properties);
            },
            s => Assert.Equal(("social.engaged", "a-77", "share"), (s.Type, s.Contact.AnonymousId, s.Properties["action"])),
            s => Assert.Equal(("social.engaged", "bob@example.com", "crm-43", "follow"), (s.Type, s.Contact.Email, s.Contact.ExternalId, s.Properties["action"])),
            s =>
            {
                Assert.Equal(("fb-1", "social.clicked"), (s.Id, s.Type));
                Assert.Equal("https://example.com/pricing?utm_source=facebook", s.Properties["url"]);
            });
    }

    [Fact]
    public async Task Missing_signature_is_unauthorized()
    {
        var response = await Handle(Sources.Post(Batch));

        Assert.Equal(401, response.StatusCode);
        Assert.Equal("The X-ScoreHub-Signature header is missing.", response.Detail);
    }

    [Fact]
    public async Task Signature_made_with_another_secret_is_unauthorized()
    {
        var response = await Handle(Request(Batch, Sign(Batch, "another-secret-of-16-chars")));

        Assert.Equal(401, response.StatusCode);
        Assert.Equal("The X-ScoreHub-Signature header does not match the body.", response.Detail);
        Assert.Empty(response.Signals);
    }

    [Theory]
    [InlineData("sha256=zz")]
    [InlineData("sha1=0000000000000000000000000000000000000000")]
    public async Task Signature_in_the_wrong_format_is_unauthorized(string header)
    {
        var response = await Handle(Request(Batch, header));

        Assert.Equal(401, response.StatusCode);
    }

    [Theory]
    [InlineData("{not json", "body")]
    [InlineData("[]", "events")]
    [InlineData("""{"events":["x"]}""", "events[0]")]
    [InlineData("""{"events":[{"network":"x","action":"like","occurredAt":"2026-03-01T10:00:00Z","contact":{"email":"a@example.com"}}]}""", "events[0].id")]
    [InlineData("""{"events":[{"id":"1","action":"like","occurredAt":"2026-03-01T10:00:00Z","contact":{"email":"a@example.com"}}]}""", "events[0].network")]
    [InlineData("""{"events":[{"id":"1","network":"x","occurredAt":"2026-03-01T10:00:00Z","contact":{"email":"a@example.com"}}]}""", "events[0].action")]
    [InlineData("""{"events":[{"id":"1","network":"x","action":"like","occurredAt":"soon","contact":{"email":"a@example.com"}}]}""", "events[0].occurredAt")]
    [InlineData("""{"events":[{"id":"1","network":"x","action":"like","occurredAt":"2026-03-01T10:00:00Z","contact":{"email":" "}}]}""", "events[0].contact")]
    public async Task Malformed_payload_is_a_bad_request_naming_the_field(string body, string field)
    {
        var response = await Handle(Signed(body));

        Assert.Equal(400, response.StatusCode);
        Assert.Equal(field, response.Field);
        Assert.Empty(response.Signals);
    }

    private ValueTask<SourceResponse> Handle(SourceRequest request) =>
        _plugin.HandleAsync(request, Sources.Context(Settings), CancellationToken.None);

    private static SourceRequest Signed(string body) => Request(body, Sign(body, Secret));

    private static SourceRequest Request(string body, string signature) =>
        Sources.Post(body, new Dictionary<string, string> { ["X-ScoreHub-Signature"] = signature });

    private static string Sign(string body, string secret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));
}
