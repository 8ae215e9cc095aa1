using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using ScoreHub.Sdk;

namespace ScoreHub.Plugins.EmailFlow;

/// <summary>How a placeholder's value is escaped for where it lands.</summary>
internal enum Escaping
{
    /// <summary>As is (headers, plain-text bodies).</summary>
    None,

    /// <summary>JSON string content, without the quotes: the template writes <c>"{{lead.email}}"</c>.</summary>
    Json,

    /// <summary>Percent-encoded (URLs, form bodies).</summary>
    Url,
}

/// <summary>
/// <c>{{name}}</c> placeholders over the request: <c>lead.id</c>, <c>lead.email</c>, <c>lead.kind</c>,
/// <c>lead.properties.X</c>, <c>score.id</c>, <c>score.name</c>, <c>score.value</c>, <c>score.label</c>,
/// <c>score.fromValue</c>, <c>score.fromLabel</c>, <c>transition.cause</c>, <c>transition.at</c>,
/// <c>idempotencyKey</c>, <c>triggerId</c>, <c>sequence</c>. A missing value (no such property) renders empty;
/// an unknown name is an error, so a typo fails loudly instead of enrolling with blanks.
/// </summary>
internal static partial class Template
{
    private const string PropertyPrefix = "lead.properties.";

    [GeneratedRegex(@"\{\{\s*([A-Za-z0-9_.\-]+)\s*\}\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();

    /// <summary>The rendered text, or <c>null</c> with the first unknown placeholder.</summary>
    public static string? Render(string template, ActionRequest request, Escaping escaping, out string? unknown)
    {
        string? firstUnknown = null;
        var rendered = Placeholder().Replace(template, match =>
        {
            var value = Value(match.Groups[1].Value, request);
            if (value is null)
            {
                firstUnknown ??= match.Groups[1].Value;
                return "";
            }

            return Escape(value, escaping);
        });
        unknown = firstUnknown;
        return unknown is null ? rendered : null;
    }

    public static string Escape(string value, Escaping escaping) => escaping switch
    {
        Escaping.Json => JsonEncodedText.Encode(value, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString(),
        Escaping.Url => Uri.EscapeDataString(value),
        _ => value,
    };

    /// <summary>A placeholder's value: empty when the lead lacks it, <c>null</c> when the name is unknown.</summary>
    internal static string? Value(string name, ActionRequest request)
    {
        var lead = request.Lead;
        var transition = request.Transition;
        if (name.StartsWith(PropertyPrefix, StringComparison.Ordinal) && name.Length > PropertyPrefix.Length)
        {
            return lead.Properties.TryGetValue(name[PropertyPrefix.Length..], out var property) ? property : "";
        }

        return name switch
        {
            "lead.id" => lead.Id,
            "lead.email" => lead.Email ?? "",
            "lead.kind" => lead.Kind == LeadKind.Company ? "company" : "contact",
            "score.id" => transition.ScoreId,
            "score.name" => transition.ScoreName,
            "score.value" => Number(transition.ToValue),
            "score.label" => transition.ToLabel ?? "",
            "score.fromValue" => transition.FromValue is { } from ? Number(from) : "",
            "score.fromLabel" => transition.FromLabel ?? "",
            "transition.cause" => transition.Cause,
            "transition.at" => transition.At.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            "idempotencyKey" => request.IdempotencyKey,
            "triggerId" => request.TriggerId,
            "sequence" => request.Sequence.ToString(CultureInfo.InvariantCulture),
            _ => null,
        };
    }

    private static string Number(double value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The escaping for a body of this media type.</summary>
    public static Escaping ForMediaType(string mediaType) =>
        mediaType.Contains("json", StringComparison.OrdinalIgnoreCase) ? Escaping.Json
        : mediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) ? Escaping.Url
        : Escaping.None;

    /// <summary>Compact UTF-8 JSON written by <paramref name="write"/>, with readable (relaxed) escaping.</summary>
    public static byte[] Json(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            write(json);
        }

        return buffer.ToArray();
    }
}
