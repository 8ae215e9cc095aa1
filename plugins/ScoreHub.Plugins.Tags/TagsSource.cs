using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using ScoreHub.Sdk;

namespace ScoreHub.Plugins.Tags;

/// <summary>
/// Verifies the webhook's HMAC signature, then maps each <c>tag.added</c>, <c>tag.removed</c> and
/// <c>goal.reached</c> event to one signal. Stateless, so one instance serves every workspace concurrently.
/// </summary>
internal sealed class TagsSource : ISignalSource
{
    private const string SignaturePrefix = "sha256=";

    private static readonly Dictionary<string, string> PropertyByType = new(StringComparer.Ordinal)
    {
        ["tag.added"] = "tag",
        ["tag.removed"] = "tag",
        ["goal.reached"] = "goal",
    };

    public PluginManifest Manifest { get; } = new()
    {
        Id = "scorehub.tags",
        Name = "CRM tags and goals",
        Version = typeof(TagsSource).Assembly.GetName().Version?.ToString(3) ?? "1.0.0",
        SdkVersion = ScoreHubSdk.Version,
        Kinds = PluginKinds.SignalSource,
        Description = "Receives signed CRM webhooks for tags added or removed and goals reached, and records each as a signal.",
        Settings = TagsOptions.Descriptors,
    };

    public ValidationReport ValidateSettings(PluginSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var report = settings.CheckAgainst(TagsOptions.Descriptors);
        var secret = settings.GetString(TagsOptions.SigningSecret);
        if (secret is not null && secret.Length < TagsOptions.MinSigningSecretLength)
        {
            report = report.Merge(ValidationReport.Invalid(new FieldError(TagsOptions.SigningSecret,
                $"'{TagsOptions.SigningSecret}' must be at least {TagsOptions.MinSigningSecretLength} characters.")));
        }

        return report;
    }

    public ValueTask<SourceResponse> HandleAsync(SourceRequest request, SourceContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var secret = context.Settings.GetString(TagsOptions.SigningSecret) ?? "";
        var rejection = VerifySignature(request, secret);
        return ValueTask.FromResult(rejection ?? Parse(request.Body.Span));
    }

    private static SourceResponse? VerifySignature(SourceRequest request, string secret)
    {
        var header = Header(request, TagsOptions.SignatureHeader);
        if (string.IsNullOrEmpty(header))
        {
            return SourceResponse.Unauthorized($"The {TagsOptions.SignatureHeader} header is missing.");
        }

        if (!header.StartsWith(SignaturePrefix, StringComparison.Ordinal) || !TryDecodeHex(header.AsSpan(SignaturePrefix.Length), out var given))
        {
            return SourceResponse.Unauthorized($"The {TagsOptions.SignatureHeader} header must be 'sha256=<hex HMAC-SHA256 of the body>'.");
        }

        var expected = HMACSHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret), request.Body.Span);
        return CryptographicOperations.FixedTimeEquals(expected, given)
            ? null
            : SourceResponse.Unauthorized($"The {TagsOptions.SignatureHeader} header does not match the body.");
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

    private static bool TryDecodeHex(ReadOnlySpan<char> hex, out byte[] bytes)
    {
        bytes = [];
        if (hex.Length != 64)
        {
            return false;
        }

        bytes = new byte[32];
        return Convert.FromHexString(hex, bytes, out _, out var written) == System.Buffers.OperationStatus.Done && written == 32;
    }

    private static SourceResponse Parse(ReadOnlySpan<byte> body)
    {
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(body);
            document = JsonDocument.ParseValue(ref reader);
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
                var (signal, field, problem) = ToSignal(item, $"events[{index}]");
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

    private static (Signal? Signal, string? Field, string? Problem) ToSignal(JsonElement item, string path)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            return (null, path, $"'{path}' must be an object.");
        }

        if (String(item, "id") is not { Length: > 0 } id)
        {
            return (null, path + ".id", $"'{path}.id' must be a non-empty string.");
        }

        var type = String(item, "type");
        if (type is null || !PropertyByType.TryGetValue(type, out var propertyName))
        {
            return (null, path + ".type", $"'{path}.type' must be one of {string.Join(", ", PropertyByType.Keys)}.");
        }

        if (String(item, "occurredAt") is not { } occurredText
            || !DateTimeOffset.TryParse(occurredText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var occurredAt))
        {
            return (null, path + ".occurredAt", $"'{path}.occurredAt' must be an ISO-8601 date and time.");
        }

        var email = item.TryGetProperty("contact", out var contact) && contact.ValueKind == JsonValueKind.Object ? String(contact, "email") : null;
        var externalId = contact.ValueKind == JsonValueKind.Object ? String(contact, "externalId") : null;
        if (string.IsNullOrWhiteSpace(email) && string.IsNullOrWhiteSpace(externalId))
        {
            return (null, path + ".contact", $"'{path}.contact' must be an object with an 'email' or an 'externalId'.");
        }

        if (String(item, propertyName) is not { Length: > 0 } value)
        {
            return (null, $"{path}.{propertyName}", $"'{path}.{propertyName}' must be a non-empty string for '{type}'.");
        }

        var signal = new Signal
        {
            Id = id,
            Type = type,
            OccurredAt = occurredAt,
            Contact = new ContactRef
            {
                Email = string.IsNullOrWhiteSpace(email) ? null : email,
                ExternalId = string.IsNullOrWhiteSpace(externalId) ? null : externalId,
            },
            Properties = new Dictionary<string, string>(StringComparer.Ordinal) { [propertyName] = value },
        };
        return (signal, null, null);
    }

    private static string? String(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
