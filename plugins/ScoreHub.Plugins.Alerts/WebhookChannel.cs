using System.Net.Http.Headers;
using System.Text.Encodings.Web;
using System.Text.Json;
using ScoreHub.Plugins.Shared;
using ScoreHub.Sdk;

namespace ScoreHub.Plugins.Alerts;

/// <summary>Posts the transition as JSON, signed per Standard Webhooks, with the idempotency key as <c>webhook-id</c>.</summary>
internal static class WebhookChannel
{
    public static async Task<ActionOutcome> SendAsync(ActionRequest request, ActionContext context, CancellationToken cancellationToken)
    {
        var urlText = request.Parameters.GetString(AlertsOptions.Url);
        Uri? url;
        if (urlText is not null)
        {
            url = ParameterErrors.HttpUrl(urlText);
            if (url is null)
            {
                return ParameterErrors.Parameter(AlertsOptions.Url, "must be an absolute http or https URL.");
            }
        }
        else
        {
            url = ParameterErrors.HttpUrl(context.Settings.GetString(AlertsOptions.WebhookUrl));
            if (url is null)
            {
                return ParameterErrors.Parameter(AlertsOptions.Url, $"is required when the '{AlertsOptions.WebhookUrl}' setting is not set.");
            }
        }

        var secret = context.Settings.GetString(AlertsOptions.WebhookSecret);
        if (secret is null)
        {
            return ParameterErrors.Setting(AlertsOptions.WebhookSecret, "is required for webhook alerts.");
        }

        var key = StandardWebhooks.DecodeSecret(secret, out var problem);
        if (key is null)
        {
            return ParameterErrors.Setting(AlertsOptions.WebhookSecret, problem!);
        }

        var body = Payload(request);
        var timestamp = context.Clock.GetUtcNow().ToUnixTimeSeconds();
        using var message = new HttpRequestMessage(HttpMethod.Post, url);
        message.Content = new ByteArrayContent(body);
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        message.Headers.Add(StandardWebhooks.IdHeader, request.IdempotencyKey);
        message.Headers.Add(StandardWebhooks.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        message.Headers.Add(StandardWebhooks.SignatureHeader, StandardWebhooks.Sign(key, request.IdempotencyKey, timestamp, body));

        var reply = await HttpDelivery.SendAsync(context.Http, message, "The webhook", cancellationToken);
        return reply.Failure ?? ActionOutcome.Success();
    }

    /// <summary>
    /// The Standard Webhooks envelope (<c>type</c>, <c>timestamp</c>, <c>data</c>) around the lead, the score,
    /// the transition and a short breakdown. Every member is always written (null when unknown), so receivers
    /// can rely on the shape.
    /// </summary>
    internal static byte[] Payload(ActionRequest request)
    {
        var lead = request.Lead;
        var transition = request.Transition;
        using var buffer = new MemoryStream();
        // Relaxed escaping: the body goes to an HTTP receiver, not into HTML, so "+10" stays readable.
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("type", AlertsOptions.WebhookEventType);
            json.WriteString("timestamp", transition.At.ToUniversalTime());
            json.WriteStartObject("data");
            json.WriteString("triggerId", request.TriggerId);

            json.WriteStartObject("lead");
            json.WriteString("id", lead.Id);
            json.WriteString("kind", lead.Kind == LeadKind.Company ? "company" : "contact");
            json.WriteString("email", lead.Email);
            json.WriteString("name", AlertText.LeadName(lead));
            json.WriteString("company", AlertText.Property(lead, "company"));
            json.WriteString("owner", AlertText.Property(lead, AlertsOptions.OwnerProperty));
            json.WriteStartObject("properties");
            foreach (var (name, value) in lead.Properties.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                json.WriteString(name, value);
            }

            json.WriteEndObject();
            json.WriteEndObject();

            json.WriteStartObject("score");
            json.WriteString("id", transition.ScoreId);
            json.WriteString("name", transition.ScoreName);
            json.WriteNumber("value", transition.ToValue);
            json.WriteString("label", transition.ToLabel);
            json.WriteEndObject();

            json.WriteStartObject("transition");
            json.WriteStartObject("from");
            if (transition.FromValue is { } from)
            {
                json.WriteNumber("value", from);
            }
            else
            {
                json.WriteNull("value");
            }

            json.WriteString("label", transition.FromLabel);
            json.WriteEndObject();
            json.WriteStartObject("to");
            json.WriteNumber("value", transition.ToValue);
            json.WriteString("label", transition.ToLabel);
            json.WriteEndObject();
            json.WriteString("cause", transition.Cause);
            json.WriteString("at", transition.At.ToUniversalTime());
            json.WriteEndObject();

            json.WriteStartArray("breakdown");
            foreach (var (group, rules) in AlertText.TopReasons(transition))
            {
                json.WriteStartObject();
                json.WriteString("group", group.Name);
                json.WriteNumber("points", group.Value);
                json.WriteStartArray("rules");
                foreach (var rule in rules)
                {
                    json.WriteStartObject();
                    json.WriteString("rule", rule.Description);
                    json.WriteNumber("points", rule.Points);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
