using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using ScoreHub.Sdk;

namespace ScoreHub.Plugins.Segment;

/// <summary>Maps one Segment message (a call, or one item of a batch) to a signal; see the README for the table.</summary>
internal sealed class SegmentMessage(SegmentSettings settings, DateTimeOffset receivedAt, JsonElement root)
{
    public static readonly HashSet<string> Calls = new(StringComparer.Ordinal) { "track", "identify", "page", "screen", "group", "alias" };

    private static readonly HashSet<string> EmailTrait = new(StringComparer.Ordinal) { "email" };

    private static readonly (string Name, string Property)[] PageFields =
        [("url", "url"), ("title", "title"), ("referrer", "referrer"), ("path", "path"), ("search", "search")];

    private static readonly (string Name, string Property)[] CampaignFields =
        [("name", "utmCampaign"), ("source", "utmSource"), ("medium", "utmMedium"), ("term", "utmTerm"), ("content", "utmContent")];

    /// <summary>
    /// The signal for <paramref name="item"/>, or an error naming the field (prefixed with <paramref name="prefix"/>, e.g.
    /// <c>batch[3].</c>), or neither when the workspace's settings drop the message.
    /// </summary>
    public (Signal? Signal, (string Field, string Message)? Error) Map(JsonElement item, string call, string prefix)
    {
        var id = MessageId(item, prefix, out var idError);
        if (idError is not null)
        {
            return (null, idError);
        }

        var contact = Contact(item, call, prefix, out var contactError);
        if (contactError is not null)
        {
            return (null, contactError);
        }

        var occurredAt = OccurredAt(item, prefix, out var timeError);
        if (timeError is not null)
        {
            return (null, timeError);
        }

        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        var contactProperties = new Dictionary<string, string>(StringComparer.Ordinal);
        CompanyRef? company = null;
        string type;
        (string, string)? error = null;
        switch (call)
        {
            case "track":
                if (Text(item, "event") is not { Length: > 0 } eventName)
                {
                    return (null, (prefix + "event", $"'{prefix}event' must be a non-empty string: the name of the track call."));
                }

                var (mapped, dropped) = settings.TypeFor(eventName);
                if (dropped)
                {
                    return (null, null);
                }

                if (mapped is null)
                {
                    return (null, (prefix + "event",
                        $"'{prefix}event' ('{eventName}') has no letter or digit to build an event type from; map it in the '{SegmentOptions.EventMap}' setting."));
                }

                type = mapped;
                error = Flattening.Flatten(Property(item, "properties"), prefix + "properties", properties);
                break;

            case "page":
            case "screen":
                type = call == "page" ? "web.page_viewed" : "app.screen_viewed";
                error = Flattening.Flatten(Property(item, "properties"), prefix + "properties", properties);
                AddText(properties, "name", Text(item, "name"));
                AddText(properties, "category", Text(item, "category"));
                if (call == "page")
                {
                    var page = ContextObject(item, "page");
                    foreach (var (name, property) in PageFields)
                    {
                        AddText(properties, property, Text(page, name));
                    }
                }

                var campaign = ContextObject(item, "campaign");
                AddText(properties, "campaign", Text(campaign, "name"));
                foreach (var (name, property) in CampaignFields)
                {
                    AddText(properties, property, Text(campaign, name));
                }

                break;

            case "identify":
                type = "contact.identified";
                error = Flattening.Flatten(Property(item, "traits"), prefix + "traits", contactProperties, skip: EmailTrait);
                break;

            case "group":
                if (Scalar(item, "groupId") is not { Length: > 0 } groupId)
                {
                    return (null, (prefix + "groupId", $"'{prefix}groupId' must be a non-empty string: the company's id."));
                }

                if (groupId.Length > 200)
                {
                    return (null, (prefix + "groupId", $"'{prefix}groupId' must be at most 200 characters."));
                }

                type = "company.linked";
                properties["groupId"] = groupId;
                var companyProperties = new Dictionary<string, string>(StringComparer.Ordinal);
                error = Flattening.Flatten(Property(item, "traits"), prefix + "traits", companyProperties);
                company = new CompanyRef { Id = groupId, Properties = companyProperties };
                break;

            default: // alias; Contact() checked previousId
                type = "contact.aliased";
                properties["previousId"] = Scalar(item, "previousId")!;
                break;
        }

        if (error is not null)
        {
            return (null, error);
        }

        if (properties.Count > Flattening.MaxProperties)
        {
            return (null, (prefix + "properties", $"'{prefix}properties' has more than {Flattening.MaxProperties} properties once flattened."));
        }

        var signal = new Signal
        {
            Id = id,
            Type = type,
            OccurredAt = occurredAt,
            Contact = contact!,
            Properties = properties,
            ContactProperties = contactProperties,
            Company = company,
        };
        return (signal, null);
    }

    /// <summary>Segment's <c>messageId</c>; without one, a hash of the message, so a retried identical message still dedupes.</summary>
    private static string MessageId(JsonElement item, string prefix, out (string, string)? error)
    {
        error = null;
        if (Scalar(item, "messageId") is { Length: > 0 } messageId)
        {
            if (messageId.Length > 200)
            {
                error = (prefix + "messageId", $"'{prefix}messageId' must be at most 200 characters.");
            }

            return messageId;
        }

        return "sha256-" + Convert.ToHexStringLower(SHA256.HashData(JsonMarshal.GetRawUtf8Value(item)));
    }

    private ContactRef? Contact(JsonElement item, string call, string prefix, out (string, string)? error)
    {
        error = null;
        var userId = Scalar(item, "userId");
        var anonymousId = Scalar(item, "anonymousId");
        if (call == "alias")
        {
            var previousId = Scalar(item, "previousId");
            if (string.IsNullOrEmpty(userId) || string.IsNullOrEmpty(previousId))
            {
                error = (prefix + (string.IsNullOrEmpty(userId) ? "userId" : "previousId"),
                    $"An alias call needs both '{prefix}userId' and '{prefix}previousId'.");
                return null;
            }

            // The earlier id is treated as an anonymous id of the user, so the host links the visitor's history.
            anonymousId = previousId;
        }

        if (string.IsNullOrEmpty(userId) && string.IsNullOrEmpty(anonymousId))
        {
            error = (prefix + "userId", $"'{prefix}userId' or '{prefix}anonymousId' is required.");
            return null;
        }

        foreach (var (name, value) in new[] { ("userId", userId), ("anonymousId", anonymousId) })
        {
            if (value is { Length: > 200 })
            {
                error = (prefix + name, $"'{prefix}{name}' must be at most 200 characters.");
                return null;
            }
        }

        // identify traits describe the user; group traits describe the company, so only context.traits names the user there.
        var email = call == "identify" ? Text(Property(item, "traits"), "email") : null;
        email ??= Text(ContextObject(item, "traits"), "email");
        return new ContactRef
        {
            ExternalId = string.IsNullOrEmpty(userId) ? null : userId,
            AnonymousId = string.IsNullOrEmpty(anonymousId) ? null : anonymousId,
            Email = LooksLikeEmail(email) ? email!.Trim() : null,
        };
    }

    /// <summary>
    /// The client's event time (<c>timestamp</c>, else <c>originalTimestamp</c>) corrected for the client's clock skew as
    /// Segment does: <c>receivedAt - (sentAt - timestamp)</c> when <c>sentAt</c> is known; as sent otherwise; the
    /// received time when the message has no time at all.
    /// </summary>
    private DateTimeOffset OccurredAt(JsonElement item, string prefix, out (string, string)? error)
    {
        error = null;
        var eventTime = Time(item, "timestamp", prefix, ref error) ?? Time(item, "originalTimestamp", prefix, ref error);
        var sentAt = Time(item, "sentAt", prefix, ref error) ?? Time(root, "sentAt", "", ref error);
        if (error is not null || eventTime is null)
        {
            return receivedAt;
        }

        return sentAt is null ? eventTime.Value : receivedAt - (sentAt.Value - eventTime.Value);
    }

    private static DateTimeOffset? Time(JsonElement obj, string name, string prefix, ref (string, string)? error)
    {
        var value = Property(obj, name);
        if (value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.String
            && DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            return parsed;
        }

        error ??= (prefix + name, $"'{prefix}{name}' must be an ISO 8601 date and time, e.g. 2026-05-01T09:30:00.000Z.");
        return null;
    }

    /// <summary><c>context.&lt;name&gt;</c> of the message, else of the batch (Segment merges the batch's context into each item).</summary>
    private JsonElement ContextObject(JsonElement item, string name)
    {
        var own = Property(Property(item, "context"), name);
        return own.ValueKind == JsonValueKind.Object ? own : Property(Property(root, "context"), name);
    }

    private static JsonElement Property(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value) ? value : default;

    private static string? Text(JsonElement obj, string name) =>
        Property(obj, name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    /// <summary>A string, or a number's text (some clients send numeric user and group ids).</summary>
    private static string? Scalar(JsonElement obj, string name) => Property(obj, name) switch
    {
        { ValueKind: JsonValueKind.String } value => value.GetString(),
        { ValueKind: JsonValueKind.Number } value => value.GetRawText(),
        _ => null,
    };

    private static void AddText(Dictionary<string, string> properties, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value) && value.Length <= Flattening.MaxValueLength)
        {
            properties.TryAdd(name, value);
        }
    }

    private static bool LooksLikeEmail(string? email)
    {
        if (string.IsNullOrWhiteSpace(email))
        {
            return false;
        }

        email = email.Trim();
        var at = email.IndexOf('@', StringComparison.Ordinal);
        return email.Length <= 254 && at > 0 && at < email.Length - 1 && email.IndexOf('@', at + 1) < 0 && !email.Any(char.IsWhiteSpace);
    }
}
