using ScoreHub.Plugins.Actions.Tests.Support;
using ScoreHub.Plugins.EmailFlow;
using ScoreHub.Sdk;

namespace ScoreHub.Plugins.Actions.Tests;

public sealed class EmailFlowCustomCallTests : IDisposable
{
    private readonly LocalHttpServer _server = new();
    private readonly EmailFlowAction _plugin = new();

    public void Dispose() => _server.Dispose();

    /// <summary>A lead whose values need escaping: quotes for JSON, spaces, '&amp;' and '/' for URLs.</summary>
    private static LeadSnapshot Annie => Sample.Ann(new Dictionary<string, string>
    {
        ["firstName"] = "Ann \"Annie\"",
        ["lastName"] = "Smith",
        ["company"] = "Acme & Co/EU",
    });

    private async Task<ActionOutcome> Run(string parameters, string settings = "{}", LeadSnapshot? lead = null) =>
        await _plugin.ExecuteAsync(Sample.Request(parameters.Replace("BASE", _server.BaseUrl, StringComparison.Ordinal), lead ?? Annie),
            Sample.Context(settings), CancellationToken.None);

    [Fact]
    public async Task Custom_call_renders_url_headers_and_json_body_with_escaping_for_each()
    {
        var outcome = await Run("""
            {"url":"BASE/flows/{{lead.properties.company}}/enrol?email={{lead.email}}",
             "headers":{"X-Flow":"nurture-{{score.label}}"},
             "body":{"email":"{{lead.email}}","firstName":"{{lead.properties.firstName}}","score":"{{score.value}}","ref":"{{idempotencyKey}}"}}
            """, settings: """{"headers":{"Authorization":"Bearer flow-token"}}""");

        Assert.True(outcome.Succeeded, outcome.Reason);
        var request = Assert.Single(_server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/flows/Acme%20%26%20Co%2FEU/enrol?email=ann%40example.com", request.Path);
        Assert.Equal("application/json", request.Header("Content-Type"));
        Assert.Equal("Bearer flow-token", request.Header("Authorization"));
        Assert.Equal("nurture-hot", request.Header("X-Flow"));
        Assert.Equal(Sample.IdempotencyKey, request.Header("Idempotency-Key"));
        Assert.Equal("""{"email":"ann@example.com","firstName":"Ann \"Annie\"","score":"82","ref":"trg_hot:lead_1:7"}""", request.Body);
    }

    [Fact]
    public async Task String_body_can_put_numbers_outside_quotes()
    {
        await Run("""{"method":"put","url":"BASE/c","body":"{\"value\":{{score.value}},\"from\":{{score.fromValue}},\"cause\":\"{{transition.cause}}\",\"at\":\"{{transition.at}}\"}"}""");

        var request = Assert.Single(_server.Requests);
        Assert.Equal("PUT", request.Method);
        Assert.Equal("""{"value":82,"from":65,"cause":"event","at":"2026-03-02T09:00:00Z"}""", request.Body);
    }

    [Fact]
    public async Task Form_body_is_url_encoded()
    {
        await Run("""{"url":"BASE/form","headers":{"Content-Type":"application/x-www-form-urlencoded"},"body":"company={{lead.properties.company}}&lead={{lead.id}}"}""");

        var request = Assert.Single(_server.Requests);
        Assert.Equal("application/x-www-form-urlencoded", request.Header("Content-Type"));
        Assert.Equal("company=Acme%20%26%20Co%2FEU&lead=lead_1", request.Body);
    }

    [Fact]
    public async Task Trigger_headers_override_workspace_headers_and_may_replace_the_idempotency_header()
    {
        await Run("""{"url":"BASE/x","headers":{"authorization":"Bearer trigger","Idempotency-Key":"flow-{{sequence}}"}}""",
            settings: """{"headers":{"Authorization":"Bearer workspace"}}""");

        var request = Assert.Single(_server.Requests);
        Assert.Equal("Bearer trigger", request.Header("Authorization"));
        Assert.Equal("flow-7", request.Header("Idempotency-Key"));
        Assert.Empty(request.BodyBytes);
    }

    [Fact]
    public async Task Missing_lead_property_renders_empty()
    {
        await Run("""{"url":"BASE/x","body":{"job":"{{lead.properties.jobTitle}}"}}""");

        Assert.Equal("""{"job":""}""", Assert.Single(_server.Requests).Body);
    }

    [Theory]
    [InlineData(200, true, false, null)]
    [InlineData(201, true, false, null)]
    [InlineData(204, true, false, null)]
    [InlineData(400, false, false, "The email tool answered 400 Bad Request.")]
    [InlineData(401, false, false, "The email tool answered 401 Unauthorized.")]
    [InlineData(422, false, false, "The email tool answered 422 Unprocessable Entity.")]
    [InlineData(429, false, true, "The email tool answered 429 Too Many Requests.")]
    [InlineData(502, false, true, "The email tool answered 502 Bad Gateway.")]
    public async Task Status_maps_to_the_outcome(int status, bool succeeded, bool retryable, string? reason)
    {
        _server.Respond(status);

        var outcome = await Run("""{"url":"BASE/x"}""");

        Assert.Equal(succeeded, outcome.Succeeded);
        Assert.Equal(retryable, outcome.Retryable);
        Assert.Equal(reason, outcome.Reason);
    }

    [Theory]
    [InlineData("""{}""", "parameters.url: is required.")]
    [InlineData("""{"url":"BASE/{{lead.nickname}}"}""", "parameters.url: unknown placeholder {{lead.nickname}}.")]
    [InlineData("""{"url":"{{lead.properties.company}}"}""", "parameters.url: must render to an absolute http or https URL.")]
    [InlineData("""{"url":"BASE/x","method":"TRACE"}""", "parameters.method: must be one of GET, POST, PUT, PATCH, DELETE.")]
    [InlineData("""{"url":"BASE/x","method":"GET","body":"x"}""", "parameters.body: is not allowed with GET.")]
    [InlineData("""{"url":"BASE/x","body":{"a":"{{score}}"}}""", "parameters.body: unknown placeholder {{score}}.")]
    [InlineData("""{"url":"BASE/x","headers":["X"]}""", "parameters.headers: must be an object of header names to string values.")]
    [InlineData("""{"url":"BASE/x","headers":{"X-Name":"{{lead.properties.company}}\r\nX-Evil: 1"}}""", "parameters.headers: 'X-Name' must not contain line breaks.")]
    [InlineData("""{"preset":"hubspot"}""", "parameters.preset: must be 'custom', 'activecampaign' or 'mailchimp'.")]
    public async Task Bad_parameters_fail_for_good_without_a_request(string parameters, string reason)
    {
        var outcome = await Run(parameters);

        Assert.False(outcome.Succeeded);
        Assert.False(outcome.Retryable);
        Assert.Equal(reason, outcome.Reason);
        Assert.Empty(_server.Requests);
    }
}
