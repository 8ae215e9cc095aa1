using ScoreHub.Plugins.Shared;
using ScoreHub.Sdk;

[assembly: ScoreHubPlugin(typeof(ScoreHub.Plugins.EmailFlow.EmailFlowAction))]

namespace ScoreHub.Plugins.EmailFlow;

/// <summary>Runs the preset the trigger names. Stateless; one instance serves every workspace concurrently.</summary>
internal sealed class EmailFlowAction : ILeadAction
{
    public PluginManifest Manifest { get; } = new()
    {
        Id = "scorehub.emailflow",
        Name = "Email flow enrolment",
        Version = typeof(EmailFlowAction).Assembly.GetName().Version?.ToString(3) ?? "1.0.0",
        SdkVersion = ScoreHubSdk.Version,
        Kinds = PluginKinds.Action,
        Description = "Enrols the lead in an email tool's nurture flow: a templated HTTP call, or ActiveCampaign (add to automation) and Mailchimp (tag or journey step) presets.",
        Settings = EmailFlowOptions.Descriptors,
    };

    public ValidationReport ValidateSettings(PluginSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var report = settings.CheckAgainst(EmailFlowOptions.Descriptors);
        var errors = new List<FieldError>();
        if (settings.TryGet(EmailFlowOptions.SettingHeaders, out var headers) && headers.ValueKind == System.Text.Json.JsonValueKind.Object)
        {
            foreach (var header in headers.EnumerateObject())
            {
                if (header.Value.ValueKind != System.Text.Json.JsonValueKind.String)
                {
                    errors.Add(new($"{EmailFlowOptions.SettingHeaders}.{header.Name}", $"'{header.Name}' must be a string."));
                }
            }
        }

        if (settings.GetString(EmailFlowOptions.ActiveCampaignUrl) is { } acUrl && ParameterErrors.HttpUrl(acUrl) is null)
        {
            errors.Add(new(EmailFlowOptions.ActiveCampaignUrl, $"'{EmailFlowOptions.ActiveCampaignUrl}' must be an absolute http or https URL."));
        }

        if (settings.Has(EmailFlowOptions.ActiveCampaignUrl) != settings.Has(EmailFlowOptions.ActiveCampaignApiToken))
        {
            var missing = settings.Has(EmailFlowOptions.ActiveCampaignUrl) ? EmailFlowOptions.ActiveCampaignApiToken : EmailFlowOptions.ActiveCampaignUrl;
            errors.Add(new(missing, $"'{EmailFlowOptions.ActiveCampaignUrl}' and '{EmailFlowOptions.ActiveCampaignApiToken}' go together."));
        }

        if (settings.GetString(EmailFlowOptions.MailchimpBaseUrl) is { } mcUrl && ParameterErrors.HttpUrl(mcUrl) is null)
        {
            errors.Add(new(EmailFlowOptions.MailchimpBaseUrl, $"'{EmailFlowOptions.MailchimpBaseUrl}' must be an absolute http or https URL."));
        }
        else if (settings.GetString(EmailFlowOptions.MailchimpApiKey) is { } key && MailchimpPreset.BaseUrl(settings, key) is null)
        {
            errors.Add(new(EmailFlowOptions.MailchimpApiKey, $"'{EmailFlowOptions.MailchimpApiKey}' must end with the data centre, e.g. '-us21'."));
        }

        return report.Merge(new ValidationReport(errors));
    }

    public async ValueTask<ActionOutcome> ExecuteAsync(ActionRequest request, ActionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var preset = request.Parameters.GetString(EmailFlowOptions.Preset) ?? "custom";
        var outcome = preset switch
        {
            "custom" => await CustomCall.SendAsync(request, context, cancellationToken),
            "activecampaign" => await ActiveCampaignPreset.SendAsync(request, context, cancellationToken),
            "mailchimp" => await MailchimpPreset.SendAsync(request, context, cancellationToken),
            _ => ParameterErrors.Parameter(EmailFlowOptions.Preset, "must be 'custom', 'activecampaign' or 'mailchimp'."),
        };

        if (!outcome.Succeeded)
        {
            // Reasons hold statuses and field names only: no URL, token or address.
            context.Logger.LogEnrolmentFailed(preset, request.TriggerId, outcome.Reason ?? "", outcome.Retryable);
        }

        return outcome;
    }
}
