using System.IO.Compression;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;

namespace ScoreHub.Host.Infrastructure;

/// <summary>Reads request bodies with a size limit, un-gzipping when the client says so.</summary>
internal static class RequestBody
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 32 };

    public static async Task<byte[]> ReadAsync(HttpContext http, long maxBytes, CancellationToken ct)
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
        try
        {
            return JsonDocument.Parse(bytes, Options);
        }
        catch (JsonException ex)
        {
            throw new JsonException($"The body is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine}).", ex);
        }
        catch (ArgumentException ex)
        {
            // Invalid UTF-8 surfaces as ArgumentException from the reader.
            throw new JsonException("The body is not valid UTF-8 JSON.", ex);
        }
    }

    private static BadHttpRequestException TooLarge(long maxBytes) =>
        new($"The body is larger than the limit of {maxBytes} bytes.", StatusCodes.Status413PayloadTooLarge);
}
