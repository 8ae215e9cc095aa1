using System.Net;
using System.Net.Mail;
using System.Net.Mime;
using System.Text;
using ScoreHub.Plugins.Shared;
using ScoreHub.Sdk;

namespace ScoreHub.Plugins.Alerts;

/// <summary>
/// Sends a plain-text alert over SMTP (with STARTTLS by default) to the trigger's <c>to</c>, else the lead's owner
/// when that is an email address, else the workspace's default recipient.
/// </summary>
/// <remarks>
/// <see cref="SmtpClient"/> from the BCL is enough for one short message per call over plain SMTP or STARTTLS;
/// it lacks implicit TLS (port 465) and OAuth, which alerts do not need, so no MailKit dependency.
/// </remarks>
internal static class EmailChannel
{
    /// <summary>Carries the idempotency key, so a duplicate delivered after a retry can be recognised and filtered.</summary>
    public const string IdempotencyHeader = "X-ScoreHub-Idempotency-Key";

    public static async Task<ActionOutcome> SendAsync(ActionRequest request, ActionContext context, CancellationToken cancellationToken)
    {
        var settings = context.Settings;
        var host = settings.GetString(AlertsOptions.SmtpHost);
        if (string.IsNullOrWhiteSpace(host))
        {
            return ParameterErrors.Setting(AlertsOptions.SmtpHost, "is required for email alerts.");
        }

        if (!MailAddress.TryCreate(settings.GetString(AlertsOptions.From), out var from))
        {
            return ParameterErrors.Setting(AlertsOptions.From, "is required for email alerts and must be an email address.");
        }

        var recipient = Recipient(request, settings, out var failure);
        if (recipient is null)
        {
            return failure!;
        }

        using var message = new MailMessage
        {
            From = from,
            Subject = AlertText.Subject(request.Lead, request.Transition),
            SubjectEncoding = Encoding.UTF8,
            Body = AlertText.EmailBody(request).ReplaceLineEndings("\r\n"),
            BodyEncoding = Encoding.UTF8,
            BodyTransferEncoding = TransferEncoding.QuotedPrintable,
            IsBodyHtml = false,
        };
        message.To.Add(recipient);
        message.Headers.Add(IdempotencyHeader, request.IdempotencyKey);

        var useStartTls = settings.GetBoolean(AlertsOptions.UseStartTls, fallback: true);
        var port = (int)settings.GetNumber(AlertsOptions.SmtpPort, useStartTls ? 587 : 25);
        using var client = new SmtpClient(host, port)
        {
            EnableSsl = useStartTls,
            DeliveryMethod = SmtpDeliveryMethod.Network,
            UseDefaultCredentials = false,
        };
        if (settings.GetString(AlertsOptions.SmtpUsername) is { Length: > 0 } username)
        {
            client.Credentials = new NetworkCredential(username, settings.GetString(AlertsOptions.SmtpPassword) ?? "");
        }

        try
        {
            await client.SendMailAsync(message, cancellationToken);
            return ActionOutcome.Success();
        }
        catch (OperationCanceledException)
        {
            return ActionOutcome.Failed("The SMTP server: cancelled before it answered.", retryable: true);
        }
        catch (SmtpException ex)
        {
            return ForSmtpError(ex);
        }
    }

    /// <summary>
    /// SMTP's own rule: 4xx replies are transient, 5xx permanent. Without a reply code
    /// (<see cref="SmtpStatusCode.GeneralFailure"/>), a broken connection may work next time, while a refusal by
    /// SmtpClient itself (STARTTLS asked for but not offered) or a failed TLS handshake needs the settings fixed.
    /// </summary>
    internal static ActionOutcome ForSmtpError(SmtpException ex)
    {
        if (ex.StatusCode != SmtpStatusCode.GeneralFailure)
        {
            var code = (int)ex.StatusCode;
            return ActionOutcome.Failed($"The SMTP server answered {code} ({ex.StatusCode}).", retryable: code is >= 400 and < 500);
        }

        return ex.InnerException switch
        {
            System.Security.Authentication.AuthenticationException =>
                ActionOutcome.Failed("The SMTP server: the TLS handshake failed (certificate or protocol).", retryable: false),
            IOException or System.Net.Sockets.SocketException =>
                ActionOutcome.Failed("The SMTP server: could not be reached or closed the connection.", retryable: true),
            _ => ActionOutcome.Failed("The SMTP server: refused the connection settings (is STARTTLS offered? set 'useStartTls' to match).", retryable: false),
        };
    }

    private static MailAddress? Recipient(ActionRequest request, PluginSettings settings, out ActionOutcome? failure)
    {
        failure = null;
        if (request.Parameters.GetString(AlertsOptions.To) is { } to)
        {
            if (MailAddress.TryCreate(to, out var address))
            {
                return address;
            }

            failure = ParameterErrors.Parameter(AlertsOptions.To, "must be an email address.");
            return null;
        }

        if (AlertText.Property(request.Lead, AlertsOptions.OwnerProperty) is { } owner && owner.Contains('@', StringComparison.Ordinal)
            && MailAddress.TryCreate(owner, out var ownerAddress))
        {
            return ownerAddress;
        }

        if (MailAddress.TryCreate(settings.GetString(AlertsOptions.DefaultRecipient), out var fallback))
        {
            return fallback;
        }

        failure = ParameterErrors.Parameter(AlertsOptions.To,
            $"is required: the lead's '{AlertsOptions.OwnerProperty}' is not an email address and the '{AlertsOptions.DefaultRecipient}' setting is not set.");
        return null;
    }
}
