using System.Text.Json;

namespace ScoreHub.Plugins.Shared;

/// <summary>
/// Parses a webhook body as exactly one JSON value whose strings are all valid text. Compiled into each source that
/// reads JSON (plugins reference only the SDK), and into the host for its own request bodies.
/// </summary>
internal static class StrictJson
{
    /// <summary>
    /// The body as a document. Throws <see cref="JsonException"/> for malformed JSON, content after the value (which
    /// <see cref="JsonDocument.ParseValue"/> alone ignores), and strings holding invalid UTF-8 or an escaped lone
    /// surrogate (the parser lets those through, and reading them later throws <see cref="InvalidOperationException"/>).
    /// </summary>
    public static JsonDocument Parse(ReadOnlySpan<byte> body, int maxDepth = 64)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = maxDepth });
        var document = JsonDocument.ParseValue(ref reader);
        try
        {
            if (reader.Read())
            {
                throw new JsonException("The body holds more than one JSON value.");
            }

            if (InvalidText(document.RootElement, "$") is { } path)
            {
                throw new JsonException($"The value at '{path}' is not valid text: invalid UTF-8 or a lone surrogate escape.");
            }
        }
        catch
        {
            document.Dispose();
            throw;
        }

        return document;
    }

    /// <summary>
    /// The path of the first string or property name that is not valid text, or null. The parser checks structure
    /// only: invalid UTF-8 inside a string and escaped lone surrogates (<c>"\ud800"</c>) pass it, and reading such a
    /// string later throws <see cref="InvalidOperationException"/>.
    /// </summary>
    public static string? InvalidText(JsonElement element, string path)
    {
        try
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.String:
                    _ = element.GetString();
                    break;
                case JsonValueKind.Array:
                    var index = 0;
                    foreach (var item in element.EnumerateArray())
                    {
                        if (InvalidText(item, $"{path}[{index++}]") is { } bad)
                        {
                            return bad;
                        }
                    }

                    break;
                case JsonValueKind.Object:
                    foreach (var property in element.EnumerateObject())
                    {
                        if (InvalidText(property.Value, $"{path}.{property.Name}") is { } bad)
                        {
                            return bad;
                        }
                    }

                    break;
            }
        }
        catch (InvalidOperationException)
        {
            return path;
        }

        return null;
    }
}
