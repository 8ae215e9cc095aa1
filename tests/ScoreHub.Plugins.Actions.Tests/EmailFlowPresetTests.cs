using ScoreHub.Plugins.Actions.Tests.Support;
using ScoreHub.Plugins.EmailFlow;
using ScoreHub.Sdk;

namespace ScoreHub.Plugins.Actions.Tests;

public sealed class EmailFlowPresetTests : IDisposable
{
    private const string ApiKey = "0123abcd-us21";

    /// <summary>MD5 of "ann@example.com".</summary>
    private const string AnnHash = "257c57037d384ae37ea27a07e8a01665";

    private readonly LocalHttpServer _server = new();
    private readonly EmailFlowAction _plugin = new();

    public void Dispose() => _server.Dispose();

    private string ActiveCampaign => $$"""{"activeCampaignUrl":"{{_server.BaseUrl}}/","activeCampaignApiToken":"ac-token"}""";

    private string Mailchimp => $$"""{"mailchimpApiKey":"{{ApiKey}}","mailchimpBaseUrl":"{{_server.BaseUrl}}"}""";

    private async Task<ActionOutcome> Run(string parameters, string settings, LeadSnapshot? lead = null) =>
        await _plugin.ExecuteAsync(Sample.Request(parameters, lead), Sample.Context(settings), CancellationToken.None);

    [Fact]
    public async Task Activecampaign_syncs_the_contact_by_email_then_adds_it_to_the_automation()
    {
        _server.Respond(201, """{"contact":{"email":"ann@example.com","id":"113"}}""").Respond(201, """{"contactAutomation":{"id":"7"}}""");

        var outcome = await Run("""{"preset":"activecampaign","automationId":42}""", ActiveCampaign);

        Assert.True(outcome.Succeeded, outcome.Reason);
        Assert.Collection(_server.Requests,
            sync =>
            {
                Assert.Equal("POST", sync.Method);
                Assert.Equal("/api/3/contact/sync", sync.Path);
                Assert.Equal("ac-token", sync.Header("Api-Token"));
                Assert.Equal("application/json", sync.Header("Accept"));
                Assert.Equal("application/json", sync.Header("Content-Type"));
                Assert.Equal("""{"contact":{"email":"ann@example.com","firstName":"Ann","lastName":"Smith"}}""", sync.Body);
            },
            enrol =>
            {
                Assert.Equal("POST", enrol.Method);
                Assert.Equal("/api/3/contactAutomations", enrol.Path);
                Assert.Equal("ac-token", enrol.Header("Api-Token"));
                Assert.Equal("""{"contactAutomation":{"contact":113,"automation":42}}""", enrol.Body);
            });
    }

    [Fact]
    public async Task Activecampaign_contact_refused_stops_before_enrolment_for_good()
    {
        _server.Respond(422, """{"errors":[{"title":"Email address is invalid"}]}""");

        var outcome = await Run("""{"preset":"activecampaign","automationId":"42"}""", ActiveCampaign);

        Assert.False(outcome.Retryable);
        Assert.Equal("ActiveCampaign contact sync answered 422 Unprocessable Entity.", outcome.Reason);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task Activecampaign_enrolment_server_error_is_retried()
    {
        _server.Respond(200, """{"contact":{"id":113}}""").Respond(500);

        var outcome = await Run("""{"preset":"activecampaign","automationId":"42"}""", ActiveCampaign);

        Assert.True(outcome.Retryable);
        Assert.Equal("ActiveCampaign contactAutomations answered 500 Internal Server Error.", outcome.Reason);
        Assert.Equal("""{"contactAutomation":{"contact":113,"automation":42}}""", _server.Requests[1].Body);
    }

    [Fact]
    public async Task Activecampaign_sync_answer_without_an_id_fails_for_good()
    {
        _server.Respond(200, """{"contact":{}}""");

        var outcome = await Run("""{"preset":"activecampaign","automationId":"42"}""", ActiveCampaign);

        Assert.False(outcome.Retryable);
        Assert.Equal("ActiveCampaign contact sync answered without a contact id.", outcome.Reason);
    }

    [Theory]
    [InlineData("""{"preset":"activecampaign"}""", "ACTIVE", "parameters.automationId: is required: the automation's id, a string or a whole number.")]
    [InlineData("""{"preset":"activecampaign","automationId":4.5}""", "ACTIVE", "parameters.automationId: is required: the automation's id, a string or a whole number.")]
    [InlineData("""{"preset":"activecampaign","automationId":"42"}""", "{}", "settings.activeCampaignUrl: is required for the activecampaign preset.")]
    [InlineData("""{"preset":"mailchimp","listId":"abc"}""", "MAILCHIMP", "parameters.listId: set either 'listId' and 'tag' (add a tag) or 'journeyId' and 'stepId' (trigger a journey step).")]
    [InlineData("""{"preset":"mailchimp","listId":"abc","tag":"hot","journeyId":1,"stepId":2}""", "MAILCHIMP", "parameters.listId: set either 'listId' and 'tag' (add a tag) or 'journeyId' and 'stepId' (trigger a journey step).")]
    [InlineData("""{"preset":"mailchimp","listId":"abc","tag":"{{score.band}}"}""", "MAILCHIMP", "parameters.tag: unknown placeholder {{score.band}}.")]
    [InlineData("""{"preset":"mailchimp","listId":"abc","tag":"hot"}""", "{}", "settings.mailchimpApiKey: is required for the mailchimp preset.")]
    public async Task Preset_without_what_it_needs_fails_for_good_without_a_request(string parameters, string settings, string reason)
    {
        var resolved = settings switch { "ACTIVE" => ActiveCampaign, "MAILCHIMP" => Mailchimp, _ => settings };

        var outcome = await Run(parameters, resolved);

        Assert.False(outcome.Retryable);
        Assert.Equal(reason, outcome.Reason);
        Assert.Empty(_server.Requests);
    }

    [Theory]
    [InlineData("""{"preset":"activecampaign","automationId":"42"}""", "ACTIVE", "The lead has no email address; ActiveCampaign contacts are keyed by email.")]
    [InlineData("""{"preset":"mailchimp","listId":"abc","tag":"hot"}""", "MAILCHIMP", "The lead has no email address; Mailchimp members are keyed by email.")]
    public async Task Lead_without_email_cannot_be_enrolled_by_a_preset(string parameters, string settings, string reason)
    {
        var outcome = await Run(parameters, settings == "ACTIVE" ? ActiveCampaign : Mailchimp, new LeadSnapshot { Id = "lead_2" });

        Assert.False(outcome.Retryable);
        Assert.Equal(reason, outcome.Reason);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task Mailchimp_tags_the_member_addressed_by_the_md5_of_the_lower_case_email()
    {
        _server.Respond(204);
        var lead = new LeadSnapshot { Id = "lead_1", Email = "Ann@Example.com" };

        var outcome = await Run("""{"preset":"mailchimp","listId":"a1b2c3","tag":"scorehub-{{score.label}}"}""", Mailchimp, lead);

        Assert.True(outcome.Succeeded, outcome.Reason);
        var request = Assert.Single(_server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal($"/3.0/lists/a1b2c3/members/{AnnHash}/tags", request.Path);
        Assert.Equal("Basic c2NvcmVodWI6MDEyM2FiY2QtdXMyMQ==", request.Header("Authorization"));
        Assert.Equal("application/json", request.Header("Content-Type"));
        Assert.Equal("""{"tags":[{"name":"scorehub-hot","status":"active"}]}""", request.Body);
    }

    [Fact]
    public async Task Mailchimp_triggers_a_customer_journey_step_for_the_email()
    {
        _server.Respond(204);

        var outcome = await Run("""{"preset":"mailchimp","journeyId":12,"stepId":"34"}""", Mailchimp);

        Assert.True(outcome.Succeeded, outcome.Reason);
        var request = Assert.Single(_server.Requests);
        Assert.Equal("/3.0/customer-journeys/journeys/12/steps/34/actions/trigger", request.Path);
        Assert.Equal("Basic c2NvcmVodWI6MDEyM2FiY2QtdXMyMQ==", request.Header("Authorization"));
        Assert.Equal("""{"email_address":"ann@example.com"}""", request.Body);
    }

    [Theory]
    [InlineData(404, false, "Mailchimp member tags answered 404 Not Found.")]
    [InlineData(429, true, "Mailchimp member tags answered 429 Too Many Requests.")]
    [InlineData(503, true, "Mailchimp member tags answered 503 Service Unavailable.")]
    public async Task Mailchimp_errors_map_to_the_outcome(int status, bool retryable, string reason)
    {
        _server.Respond(status);

        var outcome = await Run("""{"preset":"mailchimp","listId":"a1b2c3","tag":"hot"}""", Mailchimp);

        Assert.False(outcome.Succeeded);
        Assert.Equal(retryable, outcome.Retryable);
        Assert.Equal(reason, outcome.Reason);
    }

    [Fact]
    public void Mailchimp_base_url_comes_from_the_keys_data_centre()
    {
        Assert.Equal("https://us21.api.mailchimp.com", MailchimpPreset.BaseUrl(PluginSettings.Empty, ApiKey));
        Assert.Null(MailchimpPreset.BaseUrl(PluginSettings.Empty, "0123abcd"));
    }

    [Fact]
    public void Manifest_marks_tokens_and_headers_secret()
    {
        var manifest = _plugin.Manifest;

        Assert.Equal("scorehub.emailflow", manifest.Id);
        Assert.Equal(PluginKinds.Action, manifest.Kinds);
        Assert.Equal(["headers", "activeCampaignApiToken", "mailchimpApiKey"], manifest.Settings.Where(s => s.Secret).Select(s => s.Name));
    }

    [Theory]
    [InlineData("""{"mailchimpApiKey":"0123abcd"}""", "mailchimpApiKey", "'mailchimpApiKey' must end with the data centre, e.g. '-us21'.")]
    [InlineData("""{"mailchimpApiKey":"k-us1","mailchimpBaseUrl":"localhost"}""", "mailchimpBaseUrl", "'mailchimpBaseUrl' must be an absolute http or https URL.")]
    [InlineData("""{"activeCampaignUrl":"https://acme.api-us1.com"}""", "activeCampaignApiToken", "'activeCampaignUrl' and 'activeCampaignApiToken' go together.")]
    [InlineData("""{"activeCampaignUrl":"acme","activeCampaignApiToken":"t"}""", "activeCampaignUrl", "'activeCampaignUrl' must be an absolute http or https URL.")]
    [InlineData("""{"headers":{"Authorization":1}}""", "headers.Authorization", "'Authorization' must be a string.")]
    public void Bad_settings_are_field_errors(string settings, string field, string message)
    {
        var error = Assert.Single(_plugin.ValidateSettings(PluginSettings.Parse(settings)).Errors);

        Assert.Equal(field, error.Field);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Key_without_data_centre_is_fine_with_a_base_url()
    {
        Assert.True(_plugin.ValidateSettings(PluginSettings.Parse("""{"mailchimpApiKey":"0123abcd","mailchimpBaseUrl":"https://proxy.example.com"}""")).IsValid);
    }
}
