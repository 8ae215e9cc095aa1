using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ScoreHub.Plugins.Segment;

/// <summary>Turns a track name into the tail of an event type: <c>Demo Requested</c> -> <c>demo_requested</c>.</summary>
internal static class SnakeCase
{
    /// <summary>
    /// Lower-case ASCII letters and digits; every other run of characters, and each lower-to-upper step of a camelCase
    /// name, becomes one '_'. Empty when the name has no ASCII letter or digit.
    /// </summary>
    public static string From(string name, int maxLength)
    {
        var builder = new StringBuilder(name.Length + 8);
        var pendingSeparator = false;
        char previous = '\0';
        foreach (var c in name)
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                if (char.IsAsciiLetterUpper(c) && (char.IsAsciiLetterLower(previous) || char.IsAsciiDigit(previous)))
                {
                    pendingSeparator = true;
                }

                if (pendingSeparator && builder.Length > 0)
                {
                    builder.Append('_');
                }

                pendingSeparator = false;
                builder.Append(char.ToLowerInvariant(c));
            }
            else
            {
                pendingSeparator = true;
            }

            previous = c;
        }

        var text = builder.ToString();
        return text.Length <= maxLength ? text : text[..maxLength].TrimEnd('_');
    }
}

/// <summary>Flattens a JSON object into the scalar string properties signals carry.</summary>
internal static class Flattening
{
    public const int MaxProperties = 100;
    public const int MaxNameLength = 100;
    public const int MaxValueLength = 8_192;

    /// <summary>
    /// Nested objects become dotted names (<c>address.city</c>); arrays are kept as their JSON text; numbers keep their
    /// JSON text, booleans become <c>true</c>/<c>false</c>; <c>null</c> is dropped. Adds into <paramref name="into"/>
    /// without overwriting, and reports the first limit broken as (field, message), field relative to <paramref name="path"/>.
    /// </summary>
    public static (string Field, string Message)? Flatten(JsonElement obj, string path, Dictionary<string, string> into, IReadOnlySet<string>? skip = null)
    {
        if (obj.ValueKind != JsonValueKind.Object)
        {
            return obj.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined
                ? null
                : (path, $"'{path}' must be an object.");
        }

        return Walk(obj, "", path, into, skip);
    }

    private static (string Field, string Message)? Walk(JsonElement obj, string namePrefix, string path, Dictionary<string, string> into, IReadOnlySet<string>? skip)
    {
        foreach (var property in obj.EnumerateObject())
        {
            var name = namePrefix + property.Name;
            if (namePrefix.Length == 0 && skip is not null && skip.Contains(property.Name))
            {
                continue;
            }

            var field = $"{path}.{name}";
            if (property.Value.ValueKind == JsonValueKind.Object)
            {
                if (Walk(property.Value, name + ".", path, into, skip: null) is { } nested)
                {
                    return nested;
                }

                continue;
            }

            string? value = property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString(),
                JsonValueKind.Number => property.Value.GetRawText(),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                JsonValueKind.Array => property.Value.GetRawText(),
                _ => null,
            };
            if (value is null || into.ContainsKey(name))
            {
                continue;
            }

            if (name.Length is 0 or > MaxNameLength)
            {
                return (field, $"Property names must be 1-{MaxNameLength} characters; '{field}' is not.");
            }

            if (value.Length > MaxValueLength)
            {
                return (field, $"'{field}' is longer than {MaxValueLength.ToString(CultureInfo.InvariantCulture)} characters.");
            }

            if (into.Count == MaxProperties)
            {
                return (path, $"'{path}' has more than {MaxProperties} properties once nested objects are flattened.");
            }

            into[name] = value;
        }

        return null;
    }
}
