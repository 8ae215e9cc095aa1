using ScoreHub.Plugins.Actions.Tests.Support;
using ScoreHub.Plugins.Alerts;
using ScoreHub.Sdk;

namespace ScoreHub.Plugins.Actions.Tests;

public sealed class AlertsFeedTests
{
    private readonly AlertsAction _plugin = new();

    [Fact]
    public async Task Feed_alert_notifies_the_live_feed_with_the_score_and_top_reasons()
    {
        var outcome = await _plugin.ExecuteAsync(Sample.Request("""{"channel":"feed"}"""), Sample.Context("{}"), CancellationToken.None);

        Assert.True(outcome.Succeeded);
        var notification = Assert.Single(outcome.Notifications);
        Assert.Equal("Ann Smith is now hot", notification.Title);
        Assert.Equal("Score 82 (was 65). Top reasons: Sales engagement 30, Fit 28, Marketing engagement 19.", notification.Message);
        Assert.Equal("success", notification.Level);
        Assert.Equal("lead_1", notification.LeadId);
        Assert.Empty(outcome.PropertyChanges);
    }

    [Fact]
    public async Task Falling_score_is_a_warning()
    {
        var transition = Sample.BecameHot(from: 82, fromLabel: "hot", to: 55, toLabel: "warm");

        var outcome = await _plugin.ExecuteAsync(Sample.Request("""{"channel":"feed"}""", transition: transition), Sample.Context("{}"), CancellationToken.None);

        var notification = Assert.Single(outcome.Notifications);
        Assert.Equal("Ann Smith is now warm", notification.Title);
        Assert.Equal("warning", notification.Level);
    }

    [Fact]
    public async Task Level_parameter_overrides_the_direction()
    {
        var outcome = await _plugin.ExecuteAsync(Sample.Request("""{"channel":"feed","level":"info"}"""), Sample.Context("{}"), CancellationToken.None);

        Assert.Equal("info", Assert.Single(outcome.Notifications).Level);
    }

    [Fact]
    public async Task Unknown_level_fails_for_good()
    {
        var outcome = await _plugin.ExecuteAsync(Sample.Request("""{"channel":"feed","level":"loud"}"""), Sample.Context("{}"), CancellationToken.None);

        Assert.False(outcome.Succeeded);
        Assert.False(outcome.Retryable);
        Assert.Equal("parameters.level: must be one of 'info', 'success', 'warning'.", outcome.Reason);
    }

    [Fact]
    public async Task Unlabelled_score_of_a_nameless_lead_is_named_by_email_and_value()
    {
        var lead = new LeadSnapshot { Id = "lead_9", Email = "kim@example.com" };
        var transition = Sample.BecameHot(from: 40, fromLabel: null, to: 52.5, toLabel: null);

        var outcome = await _plugin.ExecuteAsync(Sample.Request("""{"channel":"feed"}""", lead, transition), Sample.Context("{}"), CancellationToken.None);

        var notification = Assert.Single(outcome.Notifications);
        Assert.Equal("kim@example.com now scores 52.5", notification.Title);
        Assert.Equal("lead_9", notification.LeadId);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"channel":"sms"}""")]
    public async Task Missing_or_unknown_channel_fails_for_good(string parameters)
    {
        var outcome = await _plugin.ExecuteAsync(Sample.Request(parameters), Sample.Context("{}"), CancellationToken.None);

        Assert.False(outcome.Retryable);
        Assert.Equal("parameters.channel: must be one of 'webhook', 'email', 'feed'.", outcome.Reason);
    }

    [Fact]
    public void Manifest_names_the_action_and_marks_its_secrets()
    {
        var manifest = _plugin.Manifest;

        Assert.Equal("scorehub.alerts", manifest.Id);
        Assert.Equal(PluginKinds.Action, manifest.Kinds);
        Assert.Equal(ScoreHubSdk.Version, manifest.SdkVersion);
        Assert.Equal(["webhookSecret", "smtpPassword"], manifest.Settings.Where(s => s.Secret).Select(s => s.Name));
        Assert.DoesNotContain(manifest.Settings, s => s.Required);
    }

    [Fact]
    public void Assembly_marker_names_the_public_entry_type()
    {
        var marker = typeof(AlertsAction).Assembly.GetCustomAttributes(typeof(ScoreHubPluginAttribute), false);

        Assert.Equal(typeof(AlertsAction), Assert.IsType<ScoreHubPluginAttribute>(Assert.Single(marker)).PluginType);
    }

    [Fact]
    public void Complete_settings_are_valid()
    {
        var settings = PluginSettings.Parse("""
            {"webhookUrl":"https://hooks.example.com/scorehub","webhookSecret":"whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
             "smtpHost":"smtp.example.com","smtpPort":587,"from":"ScoreHub <alerts@example.com>","smtpUsername":"alerts",
             "smtpPassword":"pw","useStartTls":true,"defaultRecipient":"sales@example.com"}
            """);

        Assert.Empty(_plugin.ValidateSettings(settings).Errors);
    }

    [Theory]
    [InlineData("""{"webhookSecret":"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="}""", "webhookSecret", "'webhookSecret' must start with 'whsec_'.")]
    [InlineData("""{"webhookSecret":"whsec_not base64!"}""", "webhookSecret", "'webhookSecret' must be 'whsec_' followed by base64.")]
    [InlineData("""{"webhookSecret":"whsec_c2hvcnQ="}""", "webhookSecret", "'webhookSecret' must encode 24 to 64 bytes; it encodes 5.")]
    [InlineData("""{"webhookUrl":"/relative"}""", "webhookUrl", "'webhookUrl' must be an absolute http or https URL.")]
    [InlineData("""{"smtpHost":"smtp.example.com"}""", "from", "'from' is required when 'smtpHost' is set.")]
    [InlineData("""{"smtpHost":"smtp.example.com","from":"not an address"}""", "from", "'from' must be an email address.")]
    [InlineData("""{"smtpHost":"smtp.example.com","from":"a@example.com","smtpPort":70000}""", "smtpPort", "'smtpPort' must be a whole number from 1 to 65535.")]
    [InlineData("""{"smtpHost":"smtp.example.com","from":"a@example.com","smtpPort":"587"}""", "smtpPort", "'smtpPort' must be a number.")]
    [InlineData("""{"from":"a@example.com"}""", "smtpHost", "'smtpHost' is required when other email settings are set.")]
    [InlineData("""{"smtpHost":"smtp.example.com","from":"a@example.com","smtpPassword":"pw"}""", "smtpUsername", "'smtpUsername' is required when 'smtpPassword' is set.")]
    [InlineData("""{"smtpHost":"smtp.example.com","from":"a@example.com","defaultRecipient":"sales"}""", "defaultRecipient", "'defaultRecipient' must be an email address.")]
    public void Bad_settings_are_field_errors(string settings, string field, string message)
    {
        var error = Assert.Single(_plugin.ValidateSettings(PluginSettings.Parse(settings)).Errors);

        Assert.Equal(field, error.Field);
        Assert.Equal(message, error.Message);
    }
}
