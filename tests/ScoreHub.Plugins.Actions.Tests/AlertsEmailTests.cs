using ScoreHub.Plugins.Actions.Tests.Support;
using ScoreHub.Plugins.Alerts;

namespace ScoreHub.Plugins.Actions.Tests;

public sealed class AlertsEmailTests : IDisposable
{
    private const string ExpectedBody = """
        Ann Smith is now hot (82)

        Score: Lead score
        Now: 82 (hot)
        Before: 65 (warm)
        Cause: event
        At: 2026-03-02 09:00 UTC

        Why:
        - Sales engagement: 30
            conversation.started +15: 15
            meeting.booked +10: 10
        - Fit: 28
            jobTitle = CTO +20: 20
            country = NL +10: 10
            visited careers page -2: -2
        - Marketing engagement: 19
            email.clicked +5: 15
            email.opened +2: 4

        Lead:
        Name: Ann Smith
        Email: ann@example.com
        Company: Acme
        Owner: bob@example.com
        Id: lead_1
        """;

    private readonly SmtpTestServer _smtp = new();
    private readonly AlertsAction _plugin = new();

    public void Dispose() => _smtp.Dispose();

    private string Settings(string extra = "") =>
        $$"""{"smtpHost":"127.0.0.1","smtpPort":{{_smtp.Port}},"from":"ScoreHub <alerts@scorehub.test>","useStartTls":false{{extra}}}""";

    [Fact]
    public async Task Email_alert_goes_to_the_leads_owner_with_subject_why_and_details()
    {
        var outcome = await _plugin.ExecuteAsync(Sample.Request("""{"channel":"email"}"""), Sample.Context(Settings()), CancellationToken.None);

        Assert.True(outcome.Succeeded, outcome.Reason);
        var message = Assert.Single(_smtp.Messages);
        Assert.Equal("alerts@scorehub.test", message.MailFrom);
        Assert.Equal(["bob@example.com"], message.Recipients);
        Assert.Equal("Ann Smith is now hot (82)", message.Subject);
        Assert.Equal("bob@example.com", message.Headers["To"]);
        Assert.Equal("\"ScoreHub\" <alerts@scorehub.test>", message.Headers["From"]);
        Assert.Equal(Sample.IdempotencyKey, message.Headers["X-ScoreHub-Idempotency-Key"]);
        Assert.StartsWith("text/plain", message.Headers["Content-Type"], StringComparison.Ordinal);
        Assert.Equal(ExpectedBody.ReplaceLineEndings("\r\n"), message.Body);
        Assert.Null(message.AuthUser);
    }

    [Fact]
    public async Task Non_ascii_names_survive_subject_and_body_encoding()
    {
        var lead = Sample.Ann(new Dictionary<string, string> { ["name"] = "Zoë Müller", ["owner"] = "bob@example.com" });

        await _plugin.ExecuteAsync(Sample.Request("""{"channel":"email"}""", lead), Sample.Context(Settings()), CancellationToken.None);

        var message = Assert.Single(_smtp.Messages);
        Assert.Equal("Zoë Müller is now hot (82)", message.Subject);
        Assert.Contains("\r\nName: Zoë Müller\r\n", message.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task To_parameter_overrides_the_owner()
    {
        await _plugin.ExecuteAsync(Sample.Request("""{"channel":"email","to":"sales-lead@example.com"}"""), Sample.Context(Settings()), CancellationToken.None);

        Assert.Equal(["sales-lead@example.com"], Assert.Single(_smtp.Messages).Recipients);
    }

    [Fact]
    public async Task Lead_whose_owner_is_not_an_address_goes_to_the_default_recipient()
    {
        var lead = Sample.Ann(new Dictionary<string, string> { ["name"] = "Ann Smith", ["owner"] = "Bob" });

        var outcome = await _plugin.ExecuteAsync(Sample.Request("""{"channel":"email"}""", lead),
            Sample.Context(Settings(""","defaultRecipient":"sales@example.com" """)), CancellationToken.None);

        Assert.True(outcome.Succeeded, outcome.Reason);
        Assert.Equal(["sales@example.com"], Assert.Single(_smtp.Messages).Recipients);
    }

    [Fact]
    public async Task Lead_without_an_owner_address_or_default_recipient_fails_for_good()
    {
        var lead = Sample.Ann(new Dictionary<string, string> { ["name"] = "Ann Smith" });

        var outcome = await _plugin.ExecuteAsync(Sample.Request("""{"channel":"email"}""", lead), Sample.Context(Settings()), CancellationToken.None);

        Assert.False(outcome.Retryable);
        Assert.Equal("parameters.to: is required: the lead's 'owner' is not an email address and the 'defaultRecipient' setting is not set.", outcome.Reason);
        Assert.Empty(_smtp.Messages);
    }

    [Fact]
    public async Task Smtp_credentials_are_sent_with_auth_login()
    {
        var outcome = await _plugin.ExecuteAsync(Sample.Request("""{"channel":"email"}"""),
            Sample.Context(Settings(""","smtpUsername":"alerts","smtpPassword":"s3cret" """)), CancellationToken.None);

        Assert.True(outcome.Succeeded, outcome.Reason);
        var message = Assert.Single(_smtp.Messages);
        Assert.Equal("alerts", message.AuthUser);
        Assert.Equal("s3cret", message.AuthPassword);
    }

    [Fact]
    public async Task Recipient_refused_permanently_is_not_retried()
    {
        _smtp.RcptToReply = "550 5.1.1 No such user";

        var outcome = await _plugin.ExecuteAsync(Sample.Request("""{"channel":"email"}"""), Sample.Context(Settings()), CancellationToken.None);

        Assert.False(outcome.Succeeded);
        Assert.False(outcome.Retryable);
        Assert.Equal("The SMTP server answered 550 (MailboxUnavailable).", outcome.Reason);
    }

    [Fact]
    public async Task Transient_smtp_refusal_is_retried()
    {
        _smtp.MailFromReply = "451 4.3.0 Try again later";

        var outcome = await _plugin.ExecuteAsync(Sample.Request("""{"channel":"email"}"""), Sample.Context(Settings()), CancellationToken.None);

        Assert.False(outcome.Succeeded);
        Assert.True(outcome.Retryable);
        Assert.Equal("The SMTP server answered 451 (LocalErrorInProcessing).", outcome.Reason);
    }

    [Fact]
    public async Task Smtp_server_that_cannot_be_reached_is_retried()
    {
        var settings = $$"""{"smtpHost":"127.0.0.1","smtpPort":{{LocalHttpServer.FreePort()}},"from":"alerts@scorehub.test","useStartTls":false}""";

        var outcome = await _plugin.ExecuteAsync(Sample.Request("""{"channel":"email"}"""), Sample.Context(settings), CancellationToken.None);

        Assert.False(outcome.Succeeded);
        Assert.True(outcome.Retryable);
        Assert.Equal("The SMTP server: could not be reached or closed the connection.", outcome.Reason);
    }

    [Fact]
    public async Task Starttls_required_but_not_offered_fails_for_good()
    {
        var settings = $$"""{"smtpHost":"127.0.0.1","smtpPort":{{_smtp.Port}},"from":"alerts@scorehub.test"}""";

        var outcome = await _plugin.ExecuteAsync(Sample.Request("""{"channel":"email"}"""), Sample.Context(settings), CancellationToken.None);

        Assert.False(outcome.Succeeded);
        Assert.False(outcome.Retryable);
        Assert.Equal("The SMTP server: refused the connection settings (is STARTTLS offered? set 'useStartTls' to match).", outcome.Reason);
        Assert.Empty(_smtp.Messages);
    }

    [Fact]
    public async Task Email_without_smtp_settings_fails_for_good()
    {
        var outcome = await _plugin.ExecuteAsync(Sample.Request("""{"channel":"email"}"""), Sample.Context("{}"), CancellationToken.None);

        Assert.False(outcome.Retryable);
        Assert.Equal("settings.smtpHost: is required for email alerts.", outcome.Reason);
    }
}
