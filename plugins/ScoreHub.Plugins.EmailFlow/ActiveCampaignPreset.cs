using System.Net.Http.Headers;
using System.Text.Json;
using ScoreHub.Plugins.Shared;
using ScoreHub.Sdk;

namespace ScoreHub.Plugins.EmailFlow;

/// <summary>
/// ActiveCampaign API v3 "add contact to automation": <c>POST /api/3/contact/sync</c> (create or update the contact
/// by email) then <c>POST /api/3/contactAutomations</c> with the returned contact id and the automation id.
/// </summary>
/// <remarks>
/// ActiveCampaign takes no idempotency key. The sync is idempotent by email; whether a repeated enrolment (a retry
/// after a lost answer) re-enters the contact is the automation's own "enter more than once" setting.
/// </remarks>
internal static class ActiveCampaignPreset
{
    public static async Task<ActionOutcome> SendAsync(ActionRequest request, ActionContext context, CancellationToken cancellationToken)
    {
        var settings = context.Settings;
        if (ParameterErrors.HttpUrl(settings.GetString(EmailFlowOptions.ActiveCampaignUrl)) is not { } baseUrl)
        {
            return ParameterErrors.Setting(EmailFlowOptions.ActiveCampaignUrl, "is required for the activecampaign preset.");
        }

        if (settings.GetString(EmailFlowOptions.ActiveCampaignApiToken) is not { Length: > 0 } token)
        {
            return ParameterErrors.Setting(EmailFlowOptions.ActiveCampaignApiToken, "is required for the activecampaign preset.");
        }

        if (Id(request.Parameters, EmailFlowOptions.AutomationId) is not { } automationId)
        {
            return ParameterErrors.Parameter(EmailFlowOptions.AutomationId, "is required: the automation's id, a string or a whole number.");
        }

        if (string.IsNullOrWhiteSpace(request.Lead.Email))
        {
            return ActionOutcome.Failed("The lead has no email address; ActiveCampaign contacts are keyed by email.", retryable: false);
        }

        var root = baseUrl.AbsoluteUri.TrimEnd('/');
        var lead = request.Lead;
        var sync = Template.Json(json =>
        {
            json.WriteStartObject();
            json.WriteStartObject("contact");
            json.WriteString("email", lead.Email!.Trim());
            WriteIfPresent(json, "firstName", lead, "firstName");
            WriteIfPresent(json, "lastName", lead, "lastName");
            WriteIfPresent(json, "phone", lead, "phone");
            json.WriteEndObject();
            json.WriteEndObject();
        });

        using var syncRequest = Post($"{root}/api/3/contact/sync", token, sync);
        var synced = await HttpDelivery.SendAsync(context.Http, syncRequest, "ActiveCampaign contact sync", cancellationToken);
        if (synced.Failure is { } syncFailure)
        {
            return syncFailure;
        }

        if (ContactId(synced.Body) is not { } contactId)
        {
            return ActionOutcome.Failed("ActiveCampaign contact sync answered without a contact id.", retryable: false);
        }

        var enrol = Template.Json(json =>
        {
            json.WriteStartObject();
            json.WriteStartObject("contactAutomation");
            WriteId(json, "contact", contactId);
            WriteId(json, "automation", automationId);
            json.WriteEndObject();
            json.WriteEndObject();
        });

        using var enrolRequest = Post($"{root}/api/3/contactAutomations", token, enrol);
        var enrolled = await HttpDelivery.SendAsync(context.Http, enrolRequest, "ActiveCampaign contactAutomations", cancellationToken);
        return enrolled.Failure ?? ActionOutcome.Success();
    }

    private static HttpRequestMessage Post(string url, string token, byte[] body)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        message.Headers.Add("Api-Token", token);
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return message;
    }

    private static void WriteIfPresent(Utf8JsonWriter json, string name, LeadSnapshot lead, string property)
    {
        if (lead.Properties.TryGetValue(property, out var value) && !string.IsNullOrWhiteSpace(value))
        {
            json.WriteString(name, value.Trim());
        }
    }

    /// <summary>ActiveCampaign ids are integers; it returns them as strings. Numbers go out as numbers when they are.</summary>
    private static void WriteId(Utf8JsonWriter json, string name, string id)
    {
        if (long.TryParse(id, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number))
        {
            json.WriteNumber(name, number);
        }
        else
        {
            json.WriteString(name, id);
        }
    }

    /// <summary>A string or whole-number id parameter.</summary>
    internal static string? Id(PluginSettings parameters, string name)
    {
        if (!parameters.TryGet(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String when !string.IsNullOrWhiteSpace(value.GetString()) => value.GetString()!.Trim(),
            JsonValueKind.Number when value.TryGetInt64(out var number) => number.ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => null,
        };
    }

    private static string? ContactId(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("contact", out var contact) && contact.ValueKind == JsonValueKind.Object
                && contact.TryGetProperty("id", out var id))
            {
                return id.ValueKind switch
                {
                    JsonValueKind.String when !string.IsNullOrWhiteSpace(id.GetString()) => id.GetString(),
                    JsonValueKind.Number => id.GetRawText(),
                    _ => null,
                };
            }
        }
        catch (JsonException)
        {
            // Not JSON: treated like a missing id.
        }

        return null;
    }
}
