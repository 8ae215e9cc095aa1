using System.Text;

namespace ScoreHub.Plugins.Mailchimp;

/// <summary>Parses an <c>application/x-www-form-urlencoded</c> body into its fields, in order.</summary>
internal static class FormBody
{
    public static IReadOnlyList<KeyValuePair<string, string>> Parse(ReadOnlySpan<byte> body)
    {
        var fields = new List<KeyValuePair<string, string>>();
        var text = Encoding.UTF8.GetString(body);
        foreach (var pair in text.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Decode(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? "" : Decode(pair[(equals + 1)..]);
            fields.Add(new(name, value));
        }

        return fields;
    }

    /// <summary>'+' is a space in form encoding; <see cref="Uri.UnescapeDataString(string)"/> leaves it alone.</summary>
    private static string Decode(string value) => Uri.UnescapeDataString(value.Replace('+', ' '));
}
