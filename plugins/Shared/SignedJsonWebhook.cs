using System.Security.Cryptography;
using System.Text.Json;
using ScoreHub.Sdk;

namespace ScoreHub.Plugins.Shared;

/// <summary>
/// ScoreHub's own webhook format, shared by the sources that use it (tags, social): a JSON body
/// <c>{"events": [...]}</c> signed with <c>sha256=&lt;hex HMAC-SHA256 of the raw body&gt;</c> in a header.
/// Compiled into each plugin that uses it (plugins reference only the SDK).
/// </summary>
internal static class SignedJsonWebhook
{
    private const string SignaturePrefix = "sha256=";

    /// <summary>Null when the header carries the body's HMAC under <paramref name="secret"/>; else the 401 to answer.</summary>
    public static SourceResponse? Verify(SourceRequest request, string headerName, string secret)
    {
        var header = request.GetHeader(headerName);
        if (string.IsNullOrEmpty(header))
        {
            return SourceResponse.Unauthorized($"The {headerName} header is missing.");
        }

        var given = new byte[32];
        if (!header.StartsWith(SignaturePrefix, StringComparison.Ordinal)
            || header.Length != SignaturePrefix.Length + 64
            || Convert.FromHexString(header.AsSpan(SignaturePrefix.Length), given, out _, out var written) != System.Buffers.OperationStatus.Done
            || written != 32)
        {
            return SourceResponse.Unauthorized($"The {headerName} header must be 'sha256=<hex HMAC-SHA256 of the body>'.");
        }

        var expected = HMACSHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret), request.Body.Span);
        return CryptographicOperations.FixedTimeEquals(expected, given)
            ? null
            : SourceResponse.Unauthorized($"The {headerName} header does not match the body.");
    }

    /// <summary>
    /// Reads <c>{"events": [...]}</c> and maps each item with <paramref name="toSignal"/> (given the item and its path,
    /// e.g. <c>events[2]</c>); the first bad item rejects the whole body with a 400 naming the field.
    /// </summary>
    public static SourceResponse Parse(SourceRequest request, Func<JsonElement, string, (Signal? Signal, string? Field, string? Problem)> toSignal)
    {
        if (!request.TryReadJson(out var document, out var rejection))
        {
            return rejection;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("events", out var events) || events.ValueKind != JsonValueKind.Array)
            {
                return SourceResponse.BadRequest("events", "The body must be an object with an 'events' array.");
            }

            var signals = new List<Signal>(events.GetArrayLength());
            var index = 0;
            foreach (var item in events.EnumerateArray())
            {
                var (signal, field, problem) = toSignal(item, $"events[{index}]");
                if (signal is null)
                {
                    return SourceResponse.BadRequest(field!, problem!);
                }

                signals.Add(signal);
                index++;
            }

            return SourceResponse.Accept(signals);
        }
    }
}
