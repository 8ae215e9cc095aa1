using System.Net.Mail;
using ScoreHub.Plugins.Shared;
using ScoreHub.Sdk;

[assembly: ScoreHubPlugin(typeof(ScoreHub.Plugins.Alerts.AlertsAction))]

namespace ScoreHub.Plugins.Alerts;

/// <summary>
/// Sends one alert through the channel the trigger names. Stateless, so one instance serves every workspace
/// concurrently; everything per call comes from the request and the context.
/// </summary>
internal sealed class AlertsAction : ILeadAction
{
    public PluginManifest Manifest { get; } = new()
    {
        Id = "scorehub.alerts",
        Name = "Alerts",
        Version = typeof(AlertsAction).Assembly.GetName().Version?.ToString(3) ?? "1.0.0",
        SdkVersion = ScoreHubSdk.Version,
        Kinds = PluginKinds.Action,
        Description = "Alerts on a score transition: a signed webhook (Standard Webhooks), an email to the lead's owner, or a toast on the live feed.",
        Settings = AlertsOptions.Descriptors,
    };

    public ValidationReport ValidateSettings(PluginSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var report = settings.CheckAgainst(AlertsOptions.Descriptors);
        var errors = new List<FieldError>();

        if (settings.GetString(AlertsOptions.WebhookUrl) is { } url && ParameterErrors.HttpUrl(url) is null)
        {
            errors.Add(new(AlertsOptions.WebhookUrl, $"'{AlertsOptions.WebhookUrl}' must be an absolute http or https URL."));
        }

        if (settings.GetString(AlertsOptions.WebhookSecret) is { } secret && StandardWebhooks.DecodeSecret(secret, out var problem) is null)
        {
            errors.Add(new(AlertsOptions.WebhookSecret, $"'{AlertsOptions.WebhookSecret}' {problem}"));
        }

        if (settings.TryGet(AlertsOptions.SmtpPort, out var port) && port.ValueKind == System.Text.Json.JsonValueKind.Number
            && !(port.TryGetInt32(out var number) && number is >= 1 and <= 65535))
        {
            errors.Add(new(AlertsOptions.SmtpPort, $"'{AlertsOptions.SmtpPort}' must be a whole number from 1 to 65535."));
        }

        var hasHost = settings.GetString(AlertsOptions.SmtpHost) is { Length: > 0 };
        var from = settings.GetString(AlertsOptions.From);
        if (from is not null && !MailAddress.TryCreate(from, out _))
        {
            errors.Add(new(AlertsOptions.From, $"'{AlertsOptions.From}' must be an email address."));
        }
        else if (hasHost && from is null)
        {
            errors.Add(new(AlertsOptions.From, $"'{AlertsOptions.From}' is required when '{AlertsOptions.SmtpHost}' is set."));
        }

        if (!hasHost && (from is not null || settings.Has(AlertsOptions.SmtpUsername) || settings.Has(AlertsOptions.DefaultRecipient)))
        {
            errors.Add(new(AlertsOptions.SmtpHost, $"'{AlertsOptions.SmtpHost}' is required when other email settings are set."));
        }

        if (settings.Has(AlertsOptions.SmtpPassword) && !settings.Has(AlertsOptions.SmtpUsername))
        {
            errors.Add(new(AlertsOptions.SmtpUsername, $"'{AlertsOptions.SmtpUsername}' is required when '{AlertsOptions.SmtpPassword}' is set."));
        }

        if (settings.GetString(AlertsOptions.DefaultRecipient) is { } recipient && !MailAddress.TryCreate(recipient, out _))
        {
            errors.Add(new(AlertsOptions.DefaultRecipient, $"'{AlertsOptions.DefaultRecipient}' must be an email address."));
        }

        return report.Merge(new ValidationReport(errors));
    }

    public async ValueTask<ActionOutcome> ExecuteAsync(ActionRequest request, ActionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var channel = request.Parameters.GetString(AlertsOptions.Channel);
        var outcome = channel switch
        {
            "webhook" => await WebhookChannel.SendAsync(request, context, cancellationToken),
            "email" => await EmailChannel.SendAsync(request, context, cancellationToken),
            "feed" => FeedChannel.Notify(request),
            _ => ParameterErrors.Parameter(AlertsOptions.Channel, $"must be one of {string.Join(", ", AlertsOptions.Channels.Select(c => $"'{c}'"))}."),
        };

        if (!outcome.Succeeded)
        {
            // The reason never holds a secret, a URL or an address: only statuses and field names.
            context.Logger.LogAlertFailed(channel ?? "(none)", request.TriggerId, outcome.Reason ?? "", outcome.Retryable);
        }

        return outcome;
    }
}
