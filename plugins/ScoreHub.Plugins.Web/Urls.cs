namespace ScoreHub.Plugins.Web;

/// <summary>Small URL helpers: absolute http(s) parsing, query look-ups, and removing the contact token.</summary>
internal static class Urls
{
    public static Uri? ParseAbsolute(string? text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : null;

    /// <summary>The first value of a query parameter, decoded and trimmed; <c>null</c> when absent or empty.</summary>
    public static string? Query(Uri uri, string name)
    {
        foreach (var (key, value) in Pairs(uri.Query))
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                var trimmed = value.Trim();
                return trimmed.Length == 0 ? null : trimmed;
            }
        }

        return null;
    }

    /// <summary>
    /// The URL as it should be stored: without the contact token (it carries an email address) and without the
    /// fragment (single-page apps and sign-in flows put state there); every other parameter is kept as sent.
    /// </summary>
    public static string Clean(Uri uri)
    {
        var kept = uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Where(part => !string.Equals(Decode(part.Split('=', 2)[0]), WebOptions.ContactTokenParameter, StringComparison.OrdinalIgnoreCase));
        var query = string.Join('&', kept);
        return uri.GetLeftPart(UriPartial.Path) + (query.Length == 0 ? "" : "?" + query);
    }

    private static IEnumerable<(string Key, string Value)> Pairs(string query)
    {
        foreach (var part in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var pieces = part.Split('=', 2);
            yield return (Decode(pieces[0]), pieces.Length > 1 ? Decode(pieces[1]) : "");
        }
    }

    private static string Decode(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));
}
