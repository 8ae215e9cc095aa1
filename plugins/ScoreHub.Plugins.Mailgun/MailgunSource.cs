using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ScoreHub.Plugins.Shared;
using ScoreHub.Sdk;

namespace ScoreHub.Plugins.Mailgun;

/// <summary>
/// Verifies a Mailgun webhook (HMAC-SHA256 of timestamp + token, inside the body), refuses stale signatures and
/// reused tokens, then maps the event to an email signal. Delivery events (accepted, delivered, failed, ...) are
/// acknowledged and skipped: they describe the mail system, not what the lead did.
/// </summary>
/// <remarks>
/// Mailgun's signature covers the timestamp and token only, not the event, so whoever captures one signed request
/// could attach any event to it. That is why this source, unlike most, keeps state: a <see cref="TokenReplayCache"/>
/// per workspace, thread-safe and bounded.
/// </remarks>
internal sealed class MailgunSource(TokenReplayCache tokens) : ISignalSource
{
    public MailgunSource()
        : this(new TokenReplayCache())
    {
    }

    public PluginManifest Manifest { get; } = new()
    {
        Id = "scorehub.mailgun",
        Name = "Mailgun webhooks",
        Version = typeof(MailgunSource).Assembly.GetName().Version?.ToString(3) ?? "1.0.0",
        SdkVersion = ScoreHubSdk.Version,
        Kinds = PluginKinds.SignalSource,
        Description = "Receives Mailgun's signed webhooks and records opens, clicks, unsubscribes and complaints as email signals.",
        Settings = MailgunOptions.Descriptors,
    };

    public ValidationReport ValidateSettings(PluginSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var report = settings.CheckAgainst(MailgunOptions.Descriptors);
        if (settings.GetString(MailgunOptions.SigningKey) is { } key && key.Length < MailgunOptions.MinSigningKeyLength)
        {
            report = report.Merge(ValidationReport.Invalid(new FieldError(MailgunOptions.SigningKey,
                $"'{MailgunOptions.SigningKey}' must be at least {MailgunOptions.MinSigningKeyLength} characters.")));
        }

        if (settings.TryGet(MailgunOptions.MaxAgeSeconds, out var age) && age.ValueKind == JsonValueKind.Number
            && (!age.TryGetInt32(out var seconds) || seconds is < MailgunOptions.MinMaxAgeSeconds or > MailgunOptions.MaxMaxAgeSeconds))
        {
            report = report.Merge(ValidationReport.Invalid(new FieldError(MailgunOptions.MaxAgeSeconds,
                $"'{MailgunOptions.MaxAgeSeconds}' must be a whole number from {MailgunOptions.MinMaxAgeSeconds} to {MailgunOptions.MaxMaxAgeSeconds}.")));
        }

        return report;
    }

    public ValueTask<SourceResponse> HandleAsync(SourceRequest request, SourceContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        // Mailgun puts its signature inside the JSON body, so parsing comes first; nothing is mapped before it is verified.
        JsonDocument document;
        try
        {
            document = StrictJson.Parse(request.Body.Span);
        }
        catch (JsonException ex)
        {
            return ValueTask.FromResult(SourceResponse.BadRequest("body", $"The body is not valid JSON: {ex.Message}"));
        }

        using (document)
        {
            var root = document.RootElement;
            var rejection = Verify(root, request.Body.Span, context);
            return ValueTask.FromResult(rejection ?? Map(root));
        }
    }

    private SourceResponse? Verify(JsonElement root, ReadOnlySpan<byte> body, SourceContext context)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("signature", out var signature) || signature.ValueKind != JsonValueKind.Object)
        {
            return SourceResponse.Unauthorized("The body has no 'signature' object; is this a Mailgun webhook?");
        }

        var timestampText = Scalar(signature, "timestamp");
        var token = String(signature, "token");
        var given = String(signature, "signature");
        if (string.IsNullOrEmpty(timestampText) || string.IsNullOrEmpty(token) || string.IsNullOrEmpty(given))
        {
            return SourceResponse.Unauthorized("'signature' must have a timestamp, a token and a signature.");
        }

        var key = Encoding.UTF8.GetBytes(context.Settings.GetString(MailgunOptions.SigningKey) ?? "");
        var expected = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(timestampText + token));
        if (!TryDecodeHex(given, out var givenBytes) || !CryptographicOperations.FixedTimeEquals(expected, givenBytes))
        {
            return SourceResponse.Unauthorized("'signature.signature' does not match the timestamp and token for the configured signing key.");
        }

        var maxAge = TimeSpan.FromSeconds(context.Settings.GetNumber(MailgunOptions.MaxAgeSeconds, MailgunOptions.DefaultMaxAgeSeconds));
        var now = context.Clock.GetUtcNow();
        if (!long.TryParse(timestampText, NumberStyles.None, CultureInfo.InvariantCulture, out var unix) || unix > 253_402_300_799)
        {
            return SourceResponse.Unauthorized("'signature.timestamp' must be a unix time in seconds.");
        }

        var signedAt = DateTimeOffset.FromUnixTimeSeconds(unix);
        if (signedAt < now - maxAge || signedAt > now + maxAge)
        {
            return SourceResponse.Unauthorized(
                $"'signature.timestamp' is more than {maxAge.TotalSeconds.ToString(CultureInfo.InvariantCulture)} seconds away from now; stale or replayed requests are refused.");
        }

        var use = tokens.Record(context.WorkspaceId, token, SHA256.HashData(body), now, signedAt + maxAge);
        return use == TokenReplayCache.Use.Replayed
            ? SourceResponse.Unauthorized("'signature.token' was already used with another body; replayed signatures are refused.")
            : null;
    }

    private static SourceResponse Map(JsonElement root)
    {
        if (!root.TryGetProperty("event-data", out var data) || data.ValueKind != JsonValueKind.Object)
        {
            return SourceResponse.BadRequest("event-data", "'event-data' must be an object.");
        }

        if (String(data, "event") is not { Length: > 0 } kind)
        {
            return BadRequest("event-data.event", "must be a non-empty string");
        }

        var type = kind switch
        {
            "opened" => "email.opened",
            "clicked" => "email.clicked",
            "unsubscribed" => "email.unsubscribed",
            "complained" => "email.spam_reported",
            _ => null,
        };
        if (type is null)
        {
            return SourceResponse.Accept([]);
        }

        if (String(data, "id") is not { Length: > 0 } id)
        {
            return BadRequest("event-data.id", "must be a non-empty string");
        }

        if (!data.TryGetProperty("timestamp", out var timestamp) || timestamp.ValueKind != JsonValueKind.Number
            || !timestamp.TryGetDouble(out var seconds) || seconds is < 0 or > 253_402_300_799)
        {
            return BadRequest("event-data.timestamp", "must be a unix time in seconds");
        }

        if (String(data, "recipient") is not { Length: > 0 } recipient)
        {
            return BadRequest("event-data.recipient", "must be a non-empty string");
        }

        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        if (data.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.Object
            && message.TryGetProperty("headers", out var headers) && headers.ValueKind == JsonValueKind.Object)
        {
            Put(properties, "emailId", String(headers, "message-id"));
            Put(properties, "subject", String(headers, "subject"));
        }

        Put(properties, "campaign", Campaign(data));
        if (data.TryGetProperty("tags", out var tags) && tags.ValueKind == JsonValueKind.Array)
        {
            Put(properties, "category", string.Join(",", tags.EnumerateArray().Where(t => t.ValueKind == JsonValueKind.String).Select(t => t.GetString())));
        }

        if (data.TryGetProperty("mailing-list", out var list) && list.ValueKind == JsonValueKind.Object)
        {
            Put(properties, "list", String(list, "address"));
        }

        if (type == "email.clicked")
        {
            if (String(data, "url") is not { Length: > 0 } url)
            {
                return BadRequest("event-data.url", "must be a non-empty string for a click");
            }

            properties["url"] = url;
        }

        return SourceResponse.Accept(
        [
            new Signal
            {
                Id = id,
                Type = type,
                OccurredAt = DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000)),
                Contact = new ContactRef { Email = recipient },
                Properties = properties,
            },
        ]);
    }

    /// <summary>The campaign's name: from Mailgun's (legacy) campaigns, else a <c>campaign</c> user variable.</summary>
    private static string? Campaign(JsonElement data)
    {
        if (data.TryGetProperty("campaigns", out var campaigns) && campaigns.ValueKind == JsonValueKind.Array)
        {
            foreach (var campaign in campaigns.EnumerateArray())
            {
                if (campaign.ValueKind == JsonValueKind.Object && String(campaign, "name") is { Length: > 0 } name)
                {
                    return name;
                }
            }
        }

        return data.TryGetProperty("user-variables", out var variables) && variables.ValueKind == JsonValueKind.Object
            ? String(variables, "campaign")
            : null;
    }

    private static SourceResponse BadRequest(string field, string rule) => SourceResponse.BadRequest(field, $"'{field}' {rule}.");

    private static void Put(Dictionary<string, string> properties, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            properties[name] = value;
        }
    }

    private static bool TryDecodeHex(string hex, out byte[] bytes)
    {
        bytes = [];
        if (hex.Length != 64)
        {
            return false;
        }

        bytes = new byte[32];
        return Convert.FromHexString(hex, bytes, out _, out var written) == System.Buffers.OperationStatus.Done && written == 32;
    }

    /// <summary>Mailgun documents the timestamp as a string; accept a JSON number too, as its raw digits.</summary>
    private static string? Scalar(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            }
            : null;

    private static string? String(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
