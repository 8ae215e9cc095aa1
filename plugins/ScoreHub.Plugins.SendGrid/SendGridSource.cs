using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ScoreHub.Plugins.Shared;
using ScoreHub.Sdk;

namespace ScoreHub.Plugins.SendGrid;

/// <summary>
/// Verifies SendGrid's Signed Event Webhook (ECDSA P-256 over timestamp + body), then maps engagement events to
/// email signals. Delivery events (processed, delivered, deferred, bounce, dropped, ...) and event kinds it does not
/// know are acknowledged and skipped: they describe the mail system, not what the lead did, and answering them with
/// an error would only make SendGrid retry the whole batch. Stateless.
/// </summary>
internal sealed class SendGridSource : ISignalSource
{
    private static readonly HashSet<string> Engagement = new(StringComparer.Ordinal)
    {
        "open", "click", "spamreport", "unsubscribe", "group_unsubscribe", "group_resubscribe",
    };

    public PluginManifest Manifest { get; } = new()
    {
        Id = "scorehub.sendgrid",
        Name = "SendGrid Event Webhook",
        Version = typeof(SendGridSource).Assembly.GetName().Version?.ToString(3) ?? "1.0.0",
        SdkVersion = ScoreHubSdk.Version,
        Kinds = PluginKinds.SignalSource,
        Description = "Receives SendGrid's signed Event Webhook and records opens, clicks, spam reports and unsubscribes as email signals.",
        Settings = SendGridOptions.Descriptors,
    };

    public ValidationReport ValidateSettings(PluginSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var report = settings.CheckAgainst(SendGridOptions.Descriptors);
        if (settings.GetString(SendGridOptions.PublicKey) is { } key && ImportKey(key) is null)
        {
            report = report.Merge(ValidationReport.Invalid(new FieldError(SendGridOptions.PublicKey,
                $"'{SendGridOptions.PublicKey}' must be the base64 ECDSA P-256 public key SendGrid shows for the Signed Event Webhook.")));
        }

        return report;
    }

    public ValueTask<SourceResponse> HandleAsync(SourceRequest request, SourceContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var rejection = Verify(request, context.Settings.GetString(SendGridOptions.PublicKey) ?? "");
        if (rejection is not null)
        {
            return ValueTask.FromResult(rejection);
        }

        var scoreMachineOpens = context.Settings.GetBoolean(SendGridOptions.ScoreMachineOpens);
        return ValueTask.FromResult(Parse(request.Body.Span, scoreMachineOpens));
    }

    /// <summary>The key as an <see cref="ECDsa"/> on P-256, or <c>null</c> when it is not one.</summary>
    internal static ECDsa? ImportKey(string text)
    {
        var base64 = string.Concat(text.Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith("-----", StringComparison.Ordinal)));
        var der = new byte[base64.Length];
        if (!Convert.TryFromBase64String(base64, der, out var length))
        {
            return null;
        }

        var key = ECDsa.Create();
        try
        {
            key.ImportSubjectPublicKeyInfo(der.AsSpan(0, length), out _);
            var curve = key.ExportParameters(includePrivateParameters: false).Curve;
            if (curve.Oid.Value == ECCurve.NamedCurves.nistP256.Oid.Value)
            {
                return key;
            }
        }
        catch (CryptographicException)
        {
        }

        key.Dispose();
        return null;
    }

    private static SourceResponse? Verify(SourceRequest request, string publicKey)
    {
        var signature = Header(request, SendGridOptions.SignatureHeader);
        var timestamp = Header(request, SendGridOptions.TimestampHeader);
        if (string.IsNullOrEmpty(signature) || string.IsNullOrEmpty(timestamp))
        {
            return SourceResponse.Unauthorized(
                $"The {SendGridOptions.SignatureHeader} and {SendGridOptions.TimestampHeader} headers are required; enable the Signed Event Webhook in SendGrid.");
        }

        var der = new byte[signature.Length];
        if (!Convert.TryFromBase64String(signature, der, out var derLength))
        {
            return SourceResponse.Unauthorized($"The {SendGridOptions.SignatureHeader} header is not base64.");
        }

        using var key = ImportKey(publicKey);
        if (key is null)
        {
            // Settings are validated at activation, so this only happens if a stored key became unreadable.
            return SourceResponse.Unauthorized($"The configured '{SendGridOptions.PublicKey}' is not a usable ECDSA P-256 key.");
        }

        var timestampBytes = Encoding.UTF8.GetByteCount(timestamp);
        var signed = new byte[timestampBytes + request.Body.Length];
        Encoding.UTF8.GetBytes(timestamp, signed);
        request.Body.Span.CopyTo(signed.AsSpan(timestampBytes));
        return key.VerifyData(signed, der.AsSpan(0, derLength), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)
            ? null
            : SourceResponse.Unauthorized($"The {SendGridOptions.SignatureHeader} header does not match the timestamp and body.");
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

    private static SourceResponse Parse(ReadOnlySpan<byte> body, bool scoreMachineOpens)
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
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                return SourceResponse.BadRequest("body", "The body must be a JSON array of SendGrid events.");
            }

            var signals = new List<Signal>();
            var index = 0;
            foreach (var item in document.RootElement.EnumerateArray())
            {
                var path = $"[{index}]";
                index++;
                if (item.ValueKind != JsonValueKind.Object)
                {
                    return SourceResponse.BadRequest(path, $"'{path}' must be an object.");
                }

                if (String(item, "event") is not { Length: > 0 } kind)
                {
                    return SourceResponse.BadRequest(path + ".event", $"'{path}.event' must be a non-empty string.");
                }

                if (!Engagement.Contains(kind))
                {
                    continue;
                }

                var (signal, field, problem) = ToSignal(item, kind, path, scoreMachineOpens);
                if (signal is null)
                {
                    return SourceResponse.BadRequest(field!, problem!);
                }

                signals.Add(signal);
            }

            return SourceResponse.Accept(signals);
        }
    }

    private static (Signal? Signal, string? Field, string? Problem) ToSignal(JsonElement item, string kind, string path, bool scoreMachineOpens)
    {
        if (String(item, "sg_event_id") is not { Length: > 0 } id)
        {
            return Fail(path + ".sg_event_id", "must be a non-empty string");
        }

        if (String(item, "email") is not { Length: > 0 } email)
        {
            return Fail(path + ".email", "must be a non-empty string");
        }

        if (!item.TryGetProperty("timestamp", out var timestamp) || !TryUnixSeconds(timestamp, out var occurredAt))
        {
            return Fail(path + ".timestamp", "must be a unix time in seconds");
        }

        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        Copy(item, "sg_message_id", properties, "emailId");
        if ((String(item, "marketing_campaign_name") ?? String(item, "singlesend_name")) is { Length: > 0 } campaign)
        {
            properties["campaign"] = campaign;
        }

        if (Category(item) is { Length: > 0 } category)
        {
            properties["category"] = category;
        }

        string type;
        switch (kind)
        {
            case "open" when item.TryGetProperty("sg_machine_open", out var machine) && machine.ValueKind == JsonValueKind.True:
                if (scoreMachineOpens)
                {
                    type = "email.opened";
                    properties["machineOpen"] = "true";
                }
                else
                {
                    type = "email.machine_opened";
                }

                break;
            case "open":
                type = "email.opened";
                break;
            case "click":
                if (String(item, "url") is not { Length: > 0 } url)
                {
                    return Fail(path + ".url", "must be a non-empty string for a click");
                }

                properties["url"] = url;
                type = "email.clicked";
                break;
            case "spamreport":
                type = "email.spam_reported";
                break;
            case "group_resubscribe":
                type = "email.subscribed";
                CopyScalar(item, "asm_group_id", properties, "list");
                break;
            default: // unsubscribe, group_unsubscribe
                type = "email.unsubscribed";
                CopyScalar(item, "asm_group_id", properties, "list");
                break;
        }

        return (new Signal
        {
            Id = id,
            Type = type,
            OccurredAt = occurredAt,
            Contact = new ContactRef { Email = email },
            Properties = properties,
        }, null, null);

        static (Signal?, string?, string?) Fail(string field, string rule) => (null, field, $"'{field}' {rule}.");
    }

    private static bool TryUnixSeconds(JsonElement value, out DateTimeOffset at)
    {
        at = default;
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var seconds) || seconds < 0 || seconds > 253_402_300_799)
        {
            return false;
        }

        at = DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000));
        return true;
    }

    /// <summary>SendGrid sends <c>category</c> as a string or an array of strings; arrays are joined with commas.</summary>
    private static string? Category(JsonElement item)
    {
        if (!item.TryGetProperty("category", out var category))
        {
            return null;
        }

        return category.ValueKind switch
        {
            JsonValueKind.String => category.GetString(),
            JsonValueKind.Array => string.Join(",", category.EnumerateArray()
                .Where(c => c.ValueKind == JsonValueKind.String)
                .Select(c => c.GetString())),
            _ => null,
        };
    }

    private static void Copy(JsonElement item, string name, Dictionary<string, string> properties, string target)
    {
        if (String(item, name) is { Length: > 0 } value)
        {
            properties[target] = value;
        }
    }

    private static void CopyScalar(JsonElement item, string name, Dictionary<string, string> properties, string target)
    {
        if (!item.TryGetProperty(name, out var value))
        {
            return;
        }

        var text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        };
        if (!string.IsNullOrEmpty(text))
        {
            properties[target] = text;
        }
    }

    private static string? String(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
