using System.Security.Cryptography;
using System.Text;
using ScoreHub.Plugins.Actions.Tests.Support;
using ScoreHub.Plugins.Alerts;
using ScoreHub.Sdk;

namespace ScoreHub.Plugins.Actions.Tests;

public sealed class AlertsWebhookTests : IDisposable
{
    /// <summary>whsec_ + base64 of the bytes 0..31.</summary>
    private const string Secret = "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    /// <summary>The exact body, one JSON line (the raw string's line breaks are removed).</summary>
    private static readonly string ExpectedBody = """
        {"type":"lead.score_changed","timestamp":"2026-03-02T09:00:00+00:00","data":{"triggerId":"trg_hot",
        "lead":{"id":"lead_1","kind":"contact","email":"ann@example.com","name":"Ann Smith","company":"Acme","owner":"bob@example.com",
        "properties":{"company":"Acme","firstName":"Ann","lastName":"Smith","owner":"bob@example.com"}},
        "score":{"id":"lead-score","name":"Lead score","value":82,"label":"hot"},
        "transition":{"from":{"value":65,"label":"warm"},"to":{"value":82,"label":"hot"},"cause":"event","at":"2026-03-02T09:00:00+00:00"},
        "breakdown":[
        {"group":"Sales engagement","points":30,"rules":[{"rule":"conversation.started +15","points":15},{"rule":"meeting.booked +10","points":10}]},
        {"group":"Fit","points":28,"rules":[{"rule":"jobTitle = CTO +20","points":20},{"rule":"country = NL +10","points":10},{"rule":"visited careers page -2","points":-2}]},
        {"group":"Marketing engagement","points":19,"rules":[{"rule":"email.clicked +5","points":15},{"rule":"email.opened +2","points":4}]}
        ]}}
        """.ReplaceLineEndings("");

    private readonly LocalHttpServer _server = new();
    private readonly AlertsAction _plugin = new();

    public void Dispose() => _server.Dispose();

    private string Settings(string? url = null) => $$"""{"webhookUrl":"{{url ?? _server.BaseUrl + "/hooks/scorehub"}}","webhookSecret":"{{Secret}}"}""";

    [Fact]
    public async Task Webhook_alert_posts_the_transition_signed_per_standard_webhooks()
    {
        var outcome = await _plugin.ExecuteAsync(Sample.Request("""{"channel":"webhook"}"""), Sample.Context(Settings()), CancellationToken.None);

        Assert.True(outcome.Succeeded, outcome.Reason);
        var request = Assert.Single(_server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/hooks/scorehub", request.Path);
        Assert.Equal("application/json", request.Header("Content-Type"));
        Assert.Equal(Sample.IdempotencyKey, request.Header("webhook-id"));
        Assert.Equal(Sample.NowUnixSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), request.Header("webhook-timestamp"));
        Assert.Equal(ExpectedBody, request.Body);
        Assert.True(SignatureIsValid(request, Secret), $"signature {request.Header("webhook-signature")} does not verify");
    }

    [Fact]
    public async Task Signature_made_with_another_secret_does_not_verify()
    {
        await _plugin.ExecuteAsync(Sample.Request("""{"channel":"webhook"}"""), Sample.Context(Settings()), CancellationToken.None);

        var request = Assert.Single(_server.Requests);
        Assert.False(SignatureIsValid(request, "whsec_" + Convert.ToBase64String(new byte[32])));
    }

    [Fact]
    public async Task Url_parameter_overrides_the_webhook_url_setting()
    {
        var parameters = $$"""{"channel":"webhook","url":"{{_server.BaseUrl}}/other?team=emea"}""";

        var outcome = await _plugin.ExecuteAsync(Sample.Request(parameters), Sample.Context(Settings("https://unused.example.com/")), CancellationToken.None);

        Assert.True(outcome.Succeeded, outcome.Reason);
        Assert.Equal("/other?team=emea", Assert.Single(_server.Requests).Path);
    }

    [Theory]
    [InlineData(500, true, "The webhook answered 500 Internal Server Error.")]
    [InlineData(503, true, "The webhook answered 503 Service Unavailable.")]
    [InlineData(408, true, "The webhook answered 408 Request Timeout.")]
    [InlineData(429, true, "The webhook answered 429 Too Many Requests.")]
    [InlineData(400, false, "The webhook answered 400 Bad Request.")]
    [InlineData(404, false, "The webhook answered 404 Not Found.")]
    [InlineData(410, false, "The webhook answered 410 Gone.")]
    public async Task Receiver_status_maps_to_a_failure_that_is_retryable_only_for_timeouts_throttling_and_server_errors(int status, bool retryable, string reason)
    {
        _server.Respond(status);

        var outcome = await _plugin.ExecuteAsync(Sample.Request("""{"channel":"webhook"}"""), Sample.Context(Settings()), CancellationToken.None);

        Assert.False(outcome.Succeeded);
        Assert.Equal(retryable, outcome.Retryable);
        Assert.Equal(reason, outcome.Reason);
    }

    [Fact]
    public async Task Receiver_that_cannot_be_reached_is_a_retryable_failure()
    {
        var closed = $"http://127.0.0.1:{LocalHttpServer.FreePort()}/hook";

        var outcome = await _plugin.ExecuteAsync(Sample.Request("""{"channel":"webhook"}"""), Sample.Context(Settings(closed)), CancellationToken.None);

        Assert.False(outcome.Succeeded);
        Assert.True(outcome.Retryable);
        Assert.Equal("The webhook: request failed (ConnectionError).", outcome.Reason);
    }

    [Fact]
    public async Task Cancelled_call_is_a_retryable_failure_not_an_exception()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        var outcome = await _plugin.ExecuteAsync(Sample.Request("""{"channel":"webhook"}"""), Sample.Context(Settings()), cancelled.Token);

        Assert.False(outcome.Succeeded);
        Assert.True(outcome.Retryable);
        Assert.Equal("The webhook: cancelled before it answered.", outcome.Reason);
    }

    [Fact]
    public async Task Webhook_without_a_url_fails_for_good_naming_the_parameter()
    {
        var outcome = await _plugin.ExecuteAsync(Sample.Request("""{"channel":"webhook"}"""), Sample.Context($$"""{"webhookSecret":"{{Secret}}"}"""), CancellationToken.None);

        Assert.False(outcome.Retryable);
        Assert.Equal("parameters.url: is required when the 'webhookUrl' setting is not set.", outcome.Reason);
    }

    [Fact]
    public async Task Webhook_url_that_is_not_http_fails_for_good()
    {
        var outcome = await _plugin.ExecuteAsync(Sample.Request("""{"channel":"webhook","url":"ftp://example.com/x"}"""), Sample.Context(Settings()), CancellationToken.None);

        Assert.False(outcome.Retryable);
        Assert.Equal("parameters.url: must be an absolute http or https URL.", outcome.Reason);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task Webhook_is_never_sent_unsigned()
    {
        var outcome = await _plugin.ExecuteAsync(Sample.Request("""{"channel":"webhook"}"""),
            Sample.Context($$"""{"webhookUrl":"{{_server.BaseUrl}}/hook"}"""), CancellationToken.None);

        Assert.False(outcome.Succeeded);
        Assert.False(outcome.Retryable);
        Assert.Equal("settings.webhookSecret: is required for webhook alerts.", outcome.Reason);
        Assert.Empty(_server.Requests);
    }

    /// <summary>Verifies a delivery the way a receiver would, written from the spec and independent of the plugin.</summary>
    private static bool SignatureIsValid(RecordedRequest request, string secret)
    {
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var signed = Encoding.UTF8.GetBytes($"{request.Header("webhook-id")}.{request.Header("webhook-timestamp")}.").Concat(request.BodyBytes).ToArray();
        var expected = HMACSHA256.HashData(key, signed);
        return (request.Header("webhook-signature") ?? "").Split(' ')
            .Where(s => s.StartsWith("v1,", StringComparison.Ordinal))
            .Any(s => CryptographicOperations.FixedTimeEquals(Convert.FromBase64String(s[3..]), expected));
    }
}
