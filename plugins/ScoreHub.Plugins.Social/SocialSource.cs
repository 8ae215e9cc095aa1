using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using ScoreHub.Sdk;

namespace ScoreHub.Plugins.Social;

/// <summary>
/// A generic social-engagement webhook (a social media tool reporting likes, shares, comments, follows and
/// click-throughs): verifies the HMAC signature the way the tags source does, then maps each event to
/// <c>social.engaged</c> (or <c>social.clicked</c> for a click-through). Stateless.
/// </summary>
internal sealed class SocialSource : ISignalSource
{
    private const string SignaturePrefix = "sha256=";

    public PluginManifest Manifest { get; } = new()
    {
        Id = "scorehub.social",
        Name = "Social engagement",
        Version = typeof(SocialSource).Assembly.GetName().Version?.ToString(3) ?? "1.0.0",
        SdkVersion = ScoreHubSdk.Version,
        Kinds = PluginKinds.SignalSource,
        Description = "Receives signed webhooks from a social media tool and records likes, shares, comments, follows and click-throughs as social signals.",
        Settings = SocialOptions.Descriptors,
    };

    public ValidationReport ValidateSettings(PluginSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var report = settings.CheckAgainst(SocialOptions.Descriptors);
        var secret = settings.GetString(SocialOptions.SigningSecret);
        if (secret is not null && secret.Length < SocialOptions.MinSigningSecretLength)
        {
            report = report.Merge(ValidationReport.Invalid(new FieldError(SocialOptions.SigningSecret,
                $"'{SocialOptions.SigningSecret}' must be at least {SocialOptions.MinSigningSecretLength} characters.")));
        }

        return report;
    }

    public ValueTask<SourceResponse> HandleAsync(SourceRequest request, SourceContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var rejection = VerifySignature(request, context.Settings.GetString(SocialOptions.SigningSecret) ?? "");
        return ValueTask.FromResult(rejection ?? Parse(request.Body.Span));
    }

    private static SourceResponse? VerifySignature(SourceRequest request, string secret)
    {
        var header = Header(request, SocialOptions.SignatureHeader);
        if (string.IsNullOrEmpty(header))
        {
            return SourceResponse.Unauthorized($"The {SocialOptions.SignatureHeader} header is missing.");
        }

        var given = new byte[32];
        if (!header.StartsWith(SignaturePrefix, StringComparison.Ordinal)
            || header.Length != SignaturePrefix.Length + 64
            || Convert.FromHexString(header.AsSpan(SignaturePrefix.Length), given, out _, out _) != System.Buffers.OperationStatus.Done)
        {
            return SourceResponse.Unauthorized($"The {SocialOptions.SignatureHeader} header must be 'sha256=<hex HMAC-SHA256 of the body>'.");
        }

        var expected = HMACSHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret), request.Body.Span);
        return CryptographicOperations.FixedTimeEquals(expected, given)
            ? null
            : SourceResponse.Unauthorized($"The {SocialOptions.SignatureHeader} header does not match the body.");
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
            return Fail(path + ".id", "must be a non-empty string");
        }

        if (String(item, "network") is not { Length: > 0 } network)
        {
            return Fail(path + ".network", "must be a non-empty string, e.g. linkedin");
        }

        if (String(item, "action") is not { Length: > 0 } action)
        {
            return Fail(path + ".action", "must be a non-empty string, e.g. like, share, comment, follow or click");
        }

        if (String(item, "occurredAt") is not { } occurredText
            || !DateTimeOffset.TryParse(occurredText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var occurredAt))
        {
            return Fail(path + ".occurredAt", "must be an ISO-8601 date and time");
        }

        var contact = item.TryGetProperty("contact", out var c) && c.ValueKind == JsonValueKind.Object ? c : default;
        var email = NonBlank(contact, "email");
        var externalId = NonBlank(contact, "externalId");
        var anonymousId = NonBlank(contact, "anonymousId");
        if (email is null && externalId is null && anonymousId is null)
        {
            return Fail(path + ".contact", "must be an object with an 'email', an 'externalId' or an 'anonymousId'");
        }

        action = action.ToLowerInvariant();
        var properties = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["network"] = network.ToLowerInvariant(),
            ["action"] = action,
        };
        if (String(item, "campaign") is { Length: > 0 } campaign)
        {
            properties["campaign"] = campaign;
        }

        if (String(item, "url") is { Length: > 0 } url)
        {
            properties["url"] = url;
        }

        return (new Signal
        {
            Id = id,
            Type = action == "click" ? "social.clicked" : "social.engaged",
            OccurredAt = occurredAt,
            Contact = new ContactRef { Email = email, ExternalId = externalId, AnonymousId = anonymousId },
            Properties = properties,
        }, null, null);

        static (Signal?, string?, string?) Fail(string field, string rule) => (null, field, $"'{field}' {rule}.");
    }

    private static string? NonBlank(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && String(obj, name) is { } value && !string.IsNullOrWhiteSpace(value) ? value : null;

    private static string? String(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
