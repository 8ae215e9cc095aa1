using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ScoreHub.Plugins.Shared;
using ScoreHub.Sdk;

namespace ScoreHub.Plugins.EmailFlow;

/// <summary>One HTTP call built from the trigger's method, URL, headers and body templates.</summary>
internal static class CustomCall
{
    private static readonly string[] Methods = ["GET", "POST", "PUT", "PATCH", "DELETE"];

    private const string DefaultMediaType = "application/json";

    public static async Task<ActionOutcome> SendAsync(ActionRequest request, ActionContext context, CancellationToken cancellationToken)
    {
        var parameters = request.Parameters;
        var method = (parameters.GetString(EmailFlowOptions.Method) ?? "POST").ToUpperInvariant();
        if (!Methods.Contains(method, StringComparer.Ordinal))
        {
            return ParameterErrors.Parameter(EmailFlowOptions.Method, $"must be one of {string.Join(", ", Methods)}.");
        }

        if (parameters.GetString(EmailFlowOptions.Url) is not { } urlTemplate)
        {
            return ParameterErrors.Parameter(EmailFlowOptions.Url, "is required.");
        }

        var urlText = Template.Render(urlTemplate, request, Escaping.Url, out var unknown);
        if (urlText is null)
        {
            return Unknown(EmailFlowOptions.Url, unknown!);
        }

        if (ParameterErrors.HttpUrl(urlText) is not { } url)
        {
            return ParameterErrors.Parameter(EmailFlowOptions.Url, "must render to an absolute http or https URL.");
        }

        // Workspace headers first, the trigger's over them (names are case-insensitive).
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (ReadHeaders(context.Settings, EmailFlowOptions.SettingHeaders, request, headers, out var settingsProblem) is false)
        {
            return ParameterErrors.Setting(EmailFlowOptions.SettingHeaders, settingsProblem!);
        }

        if (ReadHeaders(parameters, EmailFlowOptions.Headers, request, headers, out var headersProblem) is false)
        {
            return ParameterErrors.Parameter(EmailFlowOptions.Headers, headersProblem!);
        }

        headers.TryAdd(EmailFlowOptions.IdempotencyHeader, request.IdempotencyKey);

        using var message = new HttpRequestMessage(new HttpMethod(method), url);
        if (parameters.TryGet(EmailFlowOptions.Body, out var body) && body.ValueKind != JsonValueKind.Null)
        {
            if (method == "GET")
            {
                return ParameterErrors.Parameter(EmailFlowOptions.Body, "is not allowed with GET.");
            }

            var mediaTypeText = headers.Remove("Content-Type", out var given) ? given : DefaultMediaType;
            if (!MediaTypeHeaderValue.TryParse(mediaTypeText, out var mediaType) || mediaType.MediaType is null)
            {
                return ParameterErrors.Parameter(EmailFlowOptions.Headers, "Content-Type is not a valid media type.");
            }

            var template = body.ValueKind switch
            {
                JsonValueKind.String => body.GetString()!,
                JsonValueKind.Object or JsonValueKind.Array => body.GetRawText(),
                _ => null,
            };
            if (template is null)
            {
                return ParameterErrors.Parameter(EmailFlowOptions.Body, "must be a string, an object or an array.");
            }

            var rendered = Template.Render(template, request, Template.ForMediaType(mediaType.MediaType), out var bodyUnknown);
            if (rendered is null)
            {
                return Unknown(EmailFlowOptions.Body, bodyUnknown!);
            }

            message.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(rendered));
            message.Content.Headers.ContentType = mediaType;
        }

        foreach (var (name, value) in headers)
        {
            if (!message.Headers.TryAddWithoutValidation(name, value)
                && (message.Content is null || !message.Content.Headers.TryAddWithoutValidation(name, value)))
            {
                return ParameterErrors.Parameter(EmailFlowOptions.Headers, $"'{name}' cannot be set on this request.");
            }
        }

        var reply = await HttpDelivery.SendAsync(context.Http, message, "The email tool", cancellationToken);
        return reply.Failure ?? ActionOutcome.Success();
    }

    /// <summary>Adds rendered headers from an optional object of strings; <c>false</c> with a problem when malformed.</summary>
    private static bool ReadHeaders(PluginSettings source, string name, ActionRequest request, Dictionary<string, string> headers, out string? problem)
    {
        problem = null;
        if (!source.TryGet(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (element.ValueKind != JsonValueKind.Object || element.EnumerateObject().Any(h => h.Value.ValueKind != JsonValueKind.String))
        {
            problem = "must be an object of header names to string values.";
            return false;
        }

        foreach (var header in element.EnumerateObject())
        {
            var value = Template.Render(header.Value.GetString()!, request, Escaping.None, out var unknown);
            if (value is null)
            {
                problem = $"'{header.Name}' has an unknown placeholder {{{{{unknown}}}}}.";
                return false;
            }

            if (value.AsSpan().IndexOfAny('\r', '\n') >= 0)
            {
                problem = $"'{header.Name}' must not contain line breaks.";
                return false;
            }

            headers[header.Name] = value;
        }

        return true;
    }

    private static ActionOutcome Unknown(string field, string placeholder) =>
        ParameterErrors.Parameter(field, $"unknown placeholder {{{{{placeholder}}}}}.");
}
