using System.Text.Json;

namespace ScoreHub.Sdk;

/// <summary>
/// Strict JSON for payloads from outside: exactly one JSON value whose strings are all valid text. Sources answer a
/// body that fails it with a 400 (<see cref="SourceRequest.TryReadJson"/> does both); the host uses the same rules for
/// its own request bodies. Since SDK 1.2.
/// </summary>
/// <remarks>
/// <see cref="JsonDocument.Parse(ReadOnlyMemory{byte}, JsonDocumentOptions)"/> checks structure only: it ignores content
/// after the value when reading one value, and lets invalid UTF-8 inside a string and escaped lone surrogates
/// (<c>"\ud800"</c>) through, so that reading such a string later throws <see cref="InvalidOperationException"/> far
/// from the parse. These methods are pure and thread-safe.
/// </remarks>
public static class StrictJson
{
    /// <summary>The nesting depth <see cref="Parse"/> accepts unless told otherwise (System.Text.Json's default).</summary>
    public const int DefaultMaxDepth = 64;

    /// <summary>
    /// The body as a document, which the caller must dispose. Throws <see cref="JsonException"/> for malformed JSON,
    /// nesting deeper than <paramref name="maxDepth"/>, content after the value, and strings or property names that
    /// are not valid text.
    /// </summary>
    /// <exception cref="JsonException">The body is not exactly one valid JSON value of valid text.</exception>
    public static JsonDocument Parse(ReadOnlySpan<byte> body, int maxDepth = DefaultMaxDepth)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = maxDepth });
        var document = JsonDocument.ParseValue(ref reader);
        try
        {
            if (reader.Read())
            {
                throw new JsonException("The body holds more than one JSON value.");
            }

            if (FindInvalidText(document.RootElement) is { } path)
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
    /// The path of the first string or property name below <paramref name="element"/> that is not valid text (invalid
    /// UTF-8 or an escaped lone surrogate), or <c>null</c> when there is none. Paths start at <paramref name="path"/>:
    /// <c>$.events[2].name</c>.
    /// </summary>
    public static string? FindInvalidText(JsonElement element, string path = "$")
    {
        ArgumentNullException.ThrowIfNull(path);
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
                        if (FindInvalidText(item, $"{path}[{index++}]") is { } bad)
                        {
                            return bad;
                        }
                    }

                    break;
                case JsonValueKind.Object:
                    foreach (var property in element.EnumerateObject())
                    {
                        if (FindInvalidText(property.Value, $"{path}.{property.Name}") is { } bad)
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
