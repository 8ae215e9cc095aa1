using System.Globalization;
using System.Text.Json;
using ScoreHub.Sdk;

namespace ScoreHub.Plugins.Cart;

/// <summary>A field that could not be read: the JSON path (or header) at fault and what is wrong with it.</summary>
internal sealed class PayloadException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}

/// <summary>Reading typed fields from a JSON object, failing with the field's name.</summary>
internal static class Json
{
    public static JsonDocument ParseObject(SourceRequest request)
    {
        if (!request.TryReadJson(out var document, out var rejection))
        {
            throw new PayloadException(rejection.Field!, rejection.Detail!);
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            throw new PayloadException("body", "The body must be a JSON object.");
        }

        return document;
    }

    /// <summary>A string, or null when absent, null or empty.</summary>
    public static string? OptionalString(JsonElement obj, string name, string? path = null)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw new PayloadException(path ?? name, $"'{path ?? name}' must be a string.");
        }

        return value.GetString() is { Length: > 0 } text ? text : null;
    }

    public static string RequiredString(JsonElement obj, string name, int maxLength = 200) =>
        OptionalString(obj, name) is { } text && text.Length <= maxLength
            ? text
            : throw new PayloadException(name, $"'{name}' must be a non-empty string of at most {maxLength} characters.");

    /// <summary>An id Shopify sends as a number (or, from some tools, a string), as text.</summary>
    public static string? OptionalId(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.Null => null,
            JsonValueKind.Number when value.TryGetInt64(out var id) => id.ToString(CultureInfo.InvariantCulture),
            JsonValueKind.String when value.GetString() is { Length: > 0 and <= 100 } text => text,
            _ => throw new PayloadException(name, $"'{name}' must be a whole number or a string."),
        } : null;

    public static DateTimeOffset? OptionalInstant(JsonElement obj, string name) =>
        OptionalString(obj, name) is not { } text
            ? null
            : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
                ? at
                : throw new PayloadException(name, $"'{name}' must be an ISO-8601 date and time.");

    public static DateTimeOffset RequiredInstant(JsonElement obj, string name) =>
        OptionalInstant(obj, name) ?? throw new PayloadException(name, $"'{name}' must be an ISO-8601 date and time.");

    /// <summary>A non-negative amount, given as a JSON number or a decimal string (Shopify sends <c>"398.00"</c>).</summary>
    public static decimal? OptionalAmount(JsonElement obj, string name)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var ok = value.ValueKind switch
        {
            JsonValueKind.Number => value.TryGetDecimal(out var number) ? number : (decimal?)null,
            JsonValueKind.String => decimal.TryParse(value.GetString(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var parsed) ? parsed : null,
            _ => null,
        };
        return ok is >= 0 ? ok : throw new PayloadException(name, $"'{name}' must be a non-negative amount, e.g. 398.00.");
    }

    public static decimal RequiredAmount(JsonElement obj, string name) =>
        OptionalAmount(obj, name) ?? throw new PayloadException(name, $"'{name}' must be a non-negative amount, e.g. 398.00.");

    public static int? OptionalCount(JsonElement obj, string name, string? path = null)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var count) && count >= 0
            ? count
            : throw new PayloadException(path ?? name, $"'{path ?? name}' must be a whole number of at least 0.");
    }
}
