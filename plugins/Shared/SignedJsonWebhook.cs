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

    /// <summary>The settings' checks plus a minimum length for the signing secret.</summary>
    public static ValidationReport ValidateSettings(
        PluginSettings settings, IReadOnlyList<SettingDescriptor> descriptors, string secretSetting, int minSecretLength)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var report = settings.CheckAgainst(descriptors);
        var secret = settings.GetString(secretSetting);
        if (secret is not null && secret.Length < minSecretLength)
        {
            report = report.Merge(ValidationReport.Invalid(new FieldError(secretSetting,
                $"'{secretSetting}' must be at least {minSecretLength} characters.")));
        }

        return report;
    }

    /// <summary>Null when the header carries the body's HMAC under <paramref name="secret"/>; else the 401 to answer.</summary>
    public static SourceResponse? Verify(SourceRequest request, string headerName, string secret)
    {
        var header = Header(request, headerName);
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
    public static SourceResponse Parse(ReadOnlySpan<byte> body, Func<JsonElement, string, (Signal? Signal, string? Field, string? Problem)> toSignal)
    {
        JsonDocument document;
        try
        {
            document = StrictJson.Parse(body);
        }
        catch (JsonException ex)
        {
            return SourceResponse.BadRequest("body", $"The body is not valid JSON: {ex.Message}");
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

    private static string? Header(SourceRequest request, string name)
    {
        if (request.Headers.TryGetValue(name, out var value))
        {
            return value;
        }

        // The host's dictionary ignores case; a hand-built one may not.
        return request.Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
    }
}
