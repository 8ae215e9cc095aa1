using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using ScoreHub.Plugins.Shared;
using ScoreHub.Sdk;

namespace ScoreHub.Plugins.EmailFlow;

/// <summary>
/// Mailchimp Marketing API: add a tag to the audience member (a tag can start a Customer Journey), or trigger a
/// journey's API step for the member. Basic auth with the API key; the data centre comes from the key's suffix.
/// </summary>
/// <remarks>
/// Mailchimp takes no idempotency key. Adding a tag that is already active changes nothing, so the tag mode is
/// safe to retry; a repeated journey trigger is handled by the journey's own re-entry rule.
/// </remarks>
internal static class MailchimpPreset
{
    public static async Task<ActionOutcome> SendAsync(ActionRequest request, ActionContext context, CancellationToken cancellationToken)
    {
        var settings = context.Settings;
        if (settings.GetString(EmailFlowOptions.MailchimpApiKey) is not { Length: > 0 } apiKey)
        {
            return ParameterErrors.Setting(EmailFlowOptions.MailchimpApiKey, "is required for the mailchimp preset.");
        }

        var root = BaseUrl(settings, apiKey);
        if (root is null)
        {
            return ParameterErrors.Setting(EmailFlowOptions.MailchimpApiKey, $"must end with the data centre, e.g. '-us21' (or set '{EmailFlowOptions.MailchimpBaseUrl}').");
        }

        var parameters = request.Parameters;
        var listId = ActiveCampaignPreset.Id(parameters, EmailFlowOptions.ListId);
        var tagTemplate = parameters.GetString(EmailFlowOptions.Tag);
        var journeyId = ActiveCampaignPreset.Id(parameters, EmailFlowOptions.JourneyId);
        var stepId = ActiveCampaignPreset.Id(parameters, EmailFlowOptions.StepId);
        var tagMode = listId is not null && !string.IsNullOrWhiteSpace(tagTemplate);
        var journeyMode = journeyId is not null && stepId is not null;
        if (tagMode == journeyMode)
        {
            return ParameterErrors.Parameter(EmailFlowOptions.ListId,
                $"set either '{EmailFlowOptions.ListId}' and '{EmailFlowOptions.Tag}' (add a tag) or '{EmailFlowOptions.JourneyId}' and '{EmailFlowOptions.StepId}' (trigger a journey step).");
        }

        if (string.IsNullOrWhiteSpace(request.Lead.Email))
        {
            return ActionOutcome.Failed("The lead has no email address; Mailchimp members are keyed by email.", retryable: false);
        }

        var email = request.Lead.Email.Trim();
        string url;
        byte[] body;
        string receiver;
        if (tagMode)
        {
            var tag = Template.Render(tagTemplate!, request, Escaping.None, out var unknown);
            if (tag is null)
            {
                return ParameterErrors.Parameter(EmailFlowOptions.Tag, $"unknown placeholder {{{{{unknown}}}}}.");
            }

            url = $"{root}/3.0/lists/{Uri.EscapeDataString(listId!)}/members/{SubscriberHash(email)}/tags";
            body = Template.Json(json =>
            {
                json.WriteStartObject();
                json.WriteStartArray("tags");
                json.WriteStartObject();
                json.WriteString("name", tag);
                json.WriteString("status", "active");
                json.WriteEndObject();
                json.WriteEndArray();
                json.WriteEndObject();
            });
            receiver = "Mailchimp member tags";
        }
        else
        {
            url = $"{root}/3.0/customer-journeys/journeys/{Uri.EscapeDataString(journeyId!)}/steps/{Uri.EscapeDataString(stepId!)}/actions/trigger";
            body = Template.Json(json =>
            {
                json.WriteStartObject();
                json.WriteString("email_address", email);
                json.WriteEndObject();
            });
            receiver = "Mailchimp journey trigger";
        }

        using var message = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        message.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"scorehub:{apiKey}")));
        var reply = await HttpDelivery.SendAsync(context.Http, message, receiver, cancellationToken);
        return reply.Failure ?? ActionOutcome.Success();
    }

    /// <summary>The setting's URL without a trailing slash, else <c>https://{dc}.api.mailchimp.com</c>; null without a data centre.</summary>
    internal static string? BaseUrl(PluginSettings settings, string apiKey)
    {
        if (ParameterErrors.HttpUrl(settings.GetString(EmailFlowOptions.MailchimpBaseUrl)) is { } overridden)
        {
            return overridden.AbsoluteUri.TrimEnd('/');
        }

        var dash = apiKey.LastIndexOf('-');
        var dc = dash >= 0 ? apiKey[(dash + 1)..] : "";
        return dc.Length > 0 && dc.All(char.IsAsciiLetterOrDigit) ? $"https://{dc}.api.mailchimp.com" : null;
    }

    /// <summary>Mailchimp addresses a member by the MD5 of the lower-case email.</summary>
    internal static string SubscriberHash(string email)
    {
#pragma warning disable CA5351 // MD5 is Mailchimp's addressing scheme here, not a security measure.
        var hash = MD5.HashData(Encoding.UTF8.GetBytes(email.Trim().ToLowerInvariant()));
#pragma warning restore CA5351
        return Convert.ToHexStringLower(hash);
    }
}
