using System.IO.Compression;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using ScoreHub.Host.Core;

namespace ScoreHub.Host.Infrastructure;

/// <summary>Reads request bodies with a size limit, un-gzipping when the client says so.</summary>
internal static class RequestBody
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 32 };

    /// <summary>The body, at most <paramref name="maxBytes"/> both as sent and un-gzipped.</summary>
    public static Task<byte[]> ReadAsync(HttpContext http, long maxBytes, CancellationToken ct) => ReadAsync(http, maxBytes, detectGzip: false, ct);

    /// <summary>
    /// The body, at most <paramref name="maxBytes"/> both as sent and un-gzipped. With <paramref name="detectGzip"/>, a body
    /// starting with gzip's magic bytes is un-gzipped even without <c>Content-Encoding: gzip</c>: some clients (older
    /// RudderStack node SDKs) send gzip labelled only as <c>application/x-www-form-urlencoded</c>. JSON never starts
    /// with byte 0x1f, so the sniff cannot misread a plain JSON body.
    /// </summary>
    public static async Task<byte[]> ReadAsync(HttpContext http, long maxBytes, bool detectGzip, CancellationToken ct)
    {
        var body = await ReadStreamAsync(http, maxBytes, ct);
        if (detectGzip && body is [0x1f, 0x8b, ..])
        {
            using var compressed = new MemoryStream(body, writable: false);
            await using var gzip = new GZipStream(compressed, CompressionMode.Decompress);
            return await CopyLimitedAsync(gzip, maxBytes, ct);
        }

        return body;
    }

    private static async Task<byte[]> ReadStreamAsync(HttpContext http, long maxBytes, CancellationToken ct)
    {
        var sizeFeature = http.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            sizeFeature.MaxRequestBodySize = maxBytes + 1;
        }

        if (http.Request.ContentLength > maxBytes)
        {
            throw TooLarge(maxBytes);
        }

        Stream source = http.Request.Body;
        if (http.Request.Headers.ContentEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase))
        {
            source = new GZipStream(source, CompressionMode.Decompress);
        }

        return await CopyLimitedAsync(source, maxBytes, ct);
    }

    private static async Task<byte[]> CopyLimitedAsync(Stream source, long maxBytes, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        try
        {
            while ((read = await source.ReadAsync(chunk, ct)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    throw TooLarge(maxBytes);
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (InvalidDataException)
        {
            throw new BadHttpRequestException("The body is not valid gzip.", 400);
        }

        return buffer.ToArray();
    }

    public static async Task<JsonDocument> ReadJsonAsync(HttpContext http, long maxBytes, CancellationToken ct)
    {
        var bytes = await ReadAsync(http, maxBytes, ct);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes, Options);
        }
        catch (JsonException ex)
        {
            var reason = ex.Message.Split(" LineNumber:", 2)[0];
            throw new JsonException($"The body is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine}): {reason}", ex);
        }
        catch (ArgumentException ex)
        {
            // Invalid UTF-8 surfaces as ArgumentException from the reader.
            throw new JsonException("The body is not valid UTF-8 JSON.", ex);
        }

        if (ScoreHub.Sdk.StrictJson.FindInvalidText(document.RootElement) is { } path)
        {
            document.Dispose();
            var field = path == "$" ? "body" : path.TrimStart('$').TrimStart('.');
            throw RequestValidationException.For(field, $"'{field}' is not valid text: invalid UTF-8 or a lone surrogate escape.");
        }

        return document;
    }

    private static BadHttpRequestException TooLarge(long maxBytes) =>
        new($"The body is larger than the limit of {maxBytes} bytes.", StatusCodes.Status413PayloadTooLarge);
}
