using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ScoreHub.Sdk.Testing;

/// <summary>Malformed variants of well-formed inputs: broken syntax, and each value swapped for null or a wrong type.</summary>
internal static class Mutations
{
    /// <summary>Bodies no parser should accept as they are.</summary>
    public static IEnumerable<byte[]> BrokenBodies(ReadOnlyMemory<byte> sample)
    {
        foreach (var text in new[] { "", " ", "{", "[", "not json", "null", "[]", "{}", "[{}]", "[null]", "\"text\"", "0", "=&=&%zz", "a=%E0%A4%A" })
        {
            yield return Encoding.UTF8.GetBytes(text);
        }

        yield return [0xFF, 0xFE, 0x00, 0x01, 0xC3];
        yield return Encoding.UTF8.GetBytes(new string('[', 10_000));
        if (sample.Length > 1)
        {
            yield return sample[..(sample.Length / 2)].ToArray();
        }
    }

    /// <summary>
    /// For a JSON body: each value (up to <paramref name="max"/> of them) replaced by <c>null</c> and by a value of
    /// another JSON type, and each object member removed. For a form body: each field removed and emptied.
    /// </summary>
    public static IEnumerable<byte[]> ValueVariants(ReadOnlyMemory<byte> sample, string contentType, int max = 150)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(sample.Span);
        }
        catch (JsonException)
        {
            root = null;
        }

        if (root is not null)
        {
            var count = Paths(root).Count;
            for (var i = 0; i < Math.Min(count, max); i++)
            {
                foreach (var mutation in new Func<JsonNode?, JsonNode?>[] { _ => null, Retype, _ => JsonValue.Create(""), _ => new JsonArray() })
                {
                    var copy = root.DeepClone();
                    var (parent, key) = Paths(copy)[i];
                    Replace(parent, key, mutation(Get(parent, key)));
                    yield return Encoding.UTF8.GetBytes(copy.ToJsonString());
                }

                var removed = root.DeepClone();
                if (Paths(removed)[i] is (JsonObject obj, string name))
                {
                    obj.Remove(name);
                    yield return Encoding.UTF8.GetBytes(removed.ToJsonString());
                }
            }

            yield break;
        }

        if (contentType.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            var fields = Encoding.UTF8.GetString(sample.Span).Split('&');
            for (var i = 0; i < Math.Min(fields.Length, max); i++)
            {
                var name = fields[i].Split('=')[0];
                yield return Encoding.UTF8.GetBytes(string.Join('&', fields.Where((_, j) => j != i)));
                yield return Encoding.UTF8.GetBytes(string.Join('&', fields.Select((f, j) => j == i ? name + "=" : f)));
            }
        }
    }

    private static JsonNode? Retype(JsonNode? node) => node switch
    {
        JsonObject => JsonValue.Create("object?"),
        JsonArray => JsonValue.Create(7),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => JsonValue.Create(-12.5),
        JsonValue => JsonValue.Create("text?"),
        _ => new JsonObject(),
    };

    private static List<(JsonNode Parent, object Key)> Paths(JsonNode root)
    {
        var paths = new List<(JsonNode, object)>();
        Walk(root, paths);
        return paths;
    }

    private static void Walk(JsonNode node, List<(JsonNode, object)> paths)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj.ToList())
                {
                    paths.Add((obj, name));
                    if (child is not null)
                    {
                        Walk(child, paths);
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    paths.Add((array, i));
                    if (array[i] is { } child)
                    {
                        Walk(child, paths);
                    }
                }

                break;
        }
    }

    private static JsonNode? Get(JsonNode parent, object key) => parent is JsonObject o ? o[(string)key] : parent.AsArray()[(int)key];

    private static void Replace(JsonNode parent, object key, JsonNode? value)
    {
        if (parent is JsonObject o)
        {
            o[(string)key] = value;
        }
        else
        {
            parent.AsArray()[(int)key] = value;
        }
    }
}
