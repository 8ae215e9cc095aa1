using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ScoreHub.Sdk;

namespace ScoreHub.Plugins.Tags.Tests;

public sealed class TagsSourceTests
{
    private const string Secret = "0123456789abcdef-secret";

    private readonly TagsSource _plugin = new();

    private static readonly SourceContext Context = new()
    {
        WorkspaceId = "ws_1",
        Settings = PluginSettings.Parse($$"""{"signingSecret":"{{Secret}}"}"""),
        Clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero)),
        Logger = NullLogger.Instance,
    };

    [Fact]
    public void Manifest_names_the_plugin_and_the_sdk_it_was_built_against()
    {
        var manifest = _plugin.Manifest;

        Assert.Equal("scorehub.tags", manifest.Id);
        Assert.Equal(ScoreHubSdk.Version, manifest.SdkVersion);
        Assert.Equal(PluginKinds.SignalSource, manifest.Kinds);
        var setting = Assert.Single(manifest.Settings);
        Assert.Equal("signingSecret", setting.Name);
        Assert.True(setting.Required);
        Assert.True(setting.Secret);
    }

    [Fact]
    public void Assembly_marker_names_the_public_entry_type()
    {
        var marker = typeof(TagsSource).Assembly.GetCustomAttributes(typeof(ScoreHubPluginAttribute), false);

        Assert.Equal(typeof(TagsSource), Assert.IsType<ScoreHubPluginAttribute>(Assert.Single(marker)).PluginType);
    }

    [Theory]
    [InlineData("{}", "'signingSecret' is required.")]
    [InlineData("""{"signingSecret":42}""", "'signingSecret' must be a string.")]
    [InlineData("""{"signingSecret":"too-short"}""", "'signingSecret' must be at least 16 characters.")]
    public void Missing_or_weak_signing_secret_is_a_field_error(string settings, string message)
    {
        var report = _plugin.ValidateSettings(PluginSettings.Parse(settings));

        var error = Assert.Single(report.Errors);
        Assert.Equal("signingSecret", error.Field);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Signing_secret_of_sixteen_characters_is_valid()
    {
        Assert.True(_plugin.ValidateSettings(PluginSettings.Parse("""{"signingSecret":"0123456789abcdef"}""")).IsValid);
    }

    [Fact]
    public async Task Signed_tag_and_goal_events_become_signals()
    {
        var body = """
            {"events":[
              {"id":"evt_1","type":"tag.added","occurredAt":"2026-03-01T10:00:00Z","contact":{"email":"ada@example.com","externalId":"crm-42"},"tag":"vip"},
              {"id":"evt_2","type":"tag.removed","occurredAt":"2026-03-01T10:01:00+01:00","contact":{"externalId":"crm-42"},"tag":"cold"},
              {"id":"evt_3","type":"goal.reached","occurredAt":"2026-03-01T10:02:00Z","contact":{"email":"ada@example.com"},"goal":"trial-started"}
            ]}
            """;

        var response = await _plugin.HandleAsync(Signed(body), Context, CancellationToken.None);

        Assert.True(response.IsAccepted);
        Assert.Collection(response.Signals,
            s =>
            {
                Assert.Equal("evt_1", s.Id);
                Assert.Equal("tag.added", s.Type);
                Assert.Equal(new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero), s.OccurredAt);
                Assert.Equal("ada@example.com", s.Contact.Email);
                Assert.Equal("crm-42", s.Contact.ExternalId);
                Assert.Equal("vip", s.Properties["tag"]);
            },
            s =>
            {
                Assert.Equal("tag.removed", s.Type);
                Assert.Equal(new DateTimeOffset(2026, 3, 1, 9, 1, 0, TimeSpan.Zero), s.OccurredAt.ToUniversalTime());
                Assert.Null(s.Contact.Email);
                Assert.Equal("cold", s.Properties["tag"]);
            },
            s =>
            {
                Assert.Equal("goal.reached", s.Type);
                Assert.Equal("trial-started", s.Properties["goal"]);
                Assert.False(s.Properties.ContainsKey("tag"));
            });
    }

    [Fact]
    public async Task Missing_signature_is_unauthorized()
    {
        var request = new SourceRequest { Method = "POST", Body = Encoding.UTF8.GetBytes("""{"events":[]}""") };

        var response = await _plugin.HandleAsync(request, Context, CancellationToken.None);

        Assert.Equal(401, response.StatusCode);
        Assert.Equal("The X-ScoreHub-Signature header is missing.", response.Detail);
        Assert.Empty(response.Signals);
    }

    [Theory]
    [InlineData("sha256=0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("sha256=not-hex")]
    [InlineData("sha1=abc")]
    public async Task Wrong_signature_is_unauthorized(string header)
    {
        var response = await _plugin.HandleAsync(Request(ValidBody, header), Context, CancellationToken.None);

        Assert.Equal(401, response.StatusCode);
        Assert.Empty(response.Signals);
    }

    [Fact]
    public async Task Signature_made_with_another_secret_is_unauthorized()
    {
        var response = await _plugin.HandleAsync(Request(ValidBody, Signature(ValidBody, "another-secret-of-16")), Context, CancellationToken.None);

        Assert.Equal(401, response.StatusCode);
        Assert.Equal("The X-ScoreHub-Signature header does not match the body.", response.Detail);
    }

    [Fact]
    public async Task Body_changed_after_signing_is_unauthorized()
    {
        var response = await _plugin.HandleAsync(Request(ValidBody.Replace("vip", "vvip", StringComparison.Ordinal), Signature(ValidBody, Secret)), Context, CancellationToken.None);

        Assert.Equal(401, response.StatusCode);
    }

    [Fact]
    public async Task Signature_header_name_ignores_case()
    {
        var request = new SourceRequest
        {
            Method = "POST",
            Body = Encoding.UTF8.GetBytes(ValidBody),
            Headers = new Dictionary<string, string>(StringComparer.Ordinal) { ["x-scorehub-signature"] = Signature(ValidBody, Secret) },
        };

        var response = await _plugin.HandleAsync(request, Context, CancellationToken.None);

        Assert.True(response.IsAccepted);
    }

    [Theory]
    [InlineData("{not json", "body")]
    [InlineData("[]", "events")]
    [InlineData("""{"events":{}}""", "events")]
    [InlineData("""{"events":[42]}""", "events[0]")]
    [InlineData("""{"events":[{"type":"tag.added","occurredAt":"2026-03-01T10:00:00Z","contact":{"email":"a@example.com"},"tag":"vip"}]}""", "events[0].id")]
    [InlineData("""{"events":[{"id":"e","type":"tag.exploded","occurredAt":"2026-03-01T10:00:00Z","contact":{"email":"a@example.com"},"tag":"vip"}]}""", "events[0].type")]
    [InlineData("""{"events":[{"id":"e","occurredAt":"2026-03-01T10:00:00Z","contact":{"email":"a@example.com"},"tag":"vip"}]}""", "events[0].type")]
    [InlineData("""{"events":[{"id":"e","type":"tag.added","occurredAt":"yesterday","contact":{"email":"a@example.com"},"tag":"vip"}]}""", "events[0].occurredAt")]
    [InlineData("""{"events":[{"id":"e","type":"tag.added","occurredAt":"2026-03-01T10:00:00Z","contact":{},"tag":"vip"}]}""", "events[0].contact")]
    [InlineData("""{"events":[{"id":"e","type":"tag.added","occurredAt":"2026-03-01T10:00:00Z","contact":{"email":"a@example.com"},"goal":"x"}]}""", "events[0].tag")]
    [InlineData("""{"events":[{"id":"e","type":"goal.reached","occurredAt":"2026-03-01T10:00:00Z","contact":{"email":"a@example.com"},"tag":"x"}]}""", "events[0].goal")]
    public async Task Malformed_payload_is_a_bad_request_naming_the_field(string body, string field)
    {
        var response = await _plugin.HandleAsync(Signed(body), Context, CancellationToken.None);

        Assert.Equal(400, response.StatusCode);
        Assert.Equal(field, response.Field);
        Assert.Empty(response.Signals);
    }

    [Fact]
    public async Task Bad_event_after_good_ones_is_named_by_its_index()
    {
        var body = """
            {"events":[
              {"id":"evt_1","type":"tag.added","occurredAt":"2026-03-01T10:00:00Z","contact":{"email":"a@example.com"},"tag":"vip"},
              {"id":"evt_2","type":"deal.won","occurredAt":"2026-03-01T10:00:00Z","contact":{"email":"a@example.com"}}
            ]}
            """;

        var response = await _plugin.HandleAsync(Signed(body), Context, CancellationToken.None);

        Assert.Equal(400, response.StatusCode);
        Assert.Equal("events[1].type", response.Field);
        Assert.Equal("'events[1].type' must be one of tag.added, tag.removed, goal.reached.", response.Detail);
    }

    private const string ValidBody =
        """{"events":[{"id":"evt_1","type":"tag.added","occurredAt":"2026-03-01T10:00:00Z","contact":{"email":"ada@example.com"},"tag":"vip"}]}""";

    private static SourceRequest Signed(string body) => Request(body, Signature(body, Secret));

    private static SourceRequest Request(string body, string signature) => new()
    {
        Method = "POST",
        Body = Encoding.UTF8.GetBytes(body),
        ContentType = "application/json",
        Headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["X-ScoreHub-Signature"] = signature },
    };

    private static string Signature(string body, string secret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));
}
