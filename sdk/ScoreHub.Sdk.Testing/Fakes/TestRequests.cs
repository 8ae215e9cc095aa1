using System.Text;

namespace ScoreHub.Sdk.Testing;

/// <summary>Builds the <see cref="SourceRequest"/>s the host would hand a signal source.</summary>
public static class TestRequests
{
    /// <summary>A <c>POST</c> with a JSON body.</summary>
    public static SourceRequest Json(
        string body, IReadOnlyDictionary<string, string>? headers = null, IReadOnlyDictionary<string, string>? query = null, string path = "") =>
        Post(Encoding.UTF8.GetBytes(body), "application/json", headers, query, path);

    /// <summary>A <c>POST</c> with a form body (<c>application/x-www-form-urlencoded</c>), fields in the given order.</summary>
    public static SourceRequest Form(
        IEnumerable<KeyValuePair<string, string>> fields, IReadOnlyDictionary<string, string>? headers = null,
        IReadOnlyDictionary<string, string>? query = null, string path = "")
    {
        ArgumentNullException.ThrowIfNull(fields);
        var body = string.Join('&', fields.Select(f => Uri.EscapeDataString(f.Key) + "=" + Uri.EscapeDataString(f.Value)));
        return Post(Encoding.UTF8.GetBytes(body), "application/x-www-form-urlencoded", headers, query, path);
    }

    /// <summary>A <c>POST</c> with any body and content type.</summary>
    public static SourceRequest Post(
        ReadOnlyMemory<byte> body, string contentType, IReadOnlyDictionary<string, string>? headers = null,
        IReadOnlyDictionary<string, string>? query = null, string path = "") => new()
        {
            Method = "POST",
            Path = path,
            Body = body,
            ContentType = contentType,
            Headers = HeaderDictionary(headers),
            Query = QueryDictionary(query),
        };

    /// <summary>A <c>GET</c> (a tracking pixel, a provider's URL verification).</summary>
    public static SourceRequest Get(
        IReadOnlyDictionary<string, string>? query = null, IReadOnlyDictionary<string, string>? headers = null, string path = "") => new()
        {
            Method = "GET",
            Path = path,
            Headers = HeaderDictionary(headers),
            Query = QueryDictionary(query),
        };

    /// <summary>A copy of <paramref name="request"/> with the given parts replaced; headers keep ignoring case.</summary>
    public static SourceRequest Copy(
        SourceRequest request, ReadOnlyMemory<byte>? body = null, IReadOnlyDictionary<string, string>? headers = null,
        IReadOnlyDictionary<string, string>? query = null, string? method = null, string? path = null, string? contentType = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new SourceRequest
        {
            Method = method ?? request.Method,
            Path = path ?? request.Path,
            Body = body ?? request.Body,
            ContentType = contentType ?? request.ContentType,
            Headers = HeaderDictionary(headers ?? request.Headers),
            Query = QueryDictionary(query ?? request.Query),
        };
    }

    /// <summary>The request's body as UTF-8 text.</summary>
    public static string BodyText(SourceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Encoding.UTF8.GetString(request.Body.Span);
    }

    private static Dictionary<string, string> HeaderDictionary(IReadOnlyDictionary<string, string>? headers) =>
        new(headers ?? new Dictionary<string, string>(), StringComparer.OrdinalIgnoreCase);

    private static Dictionary<string, string> QueryDictionary(IReadOnlyDictionary<string, string>? query) =>
        new(query ?? new Dictionary<string, string>(), StringComparer.Ordinal);
}
