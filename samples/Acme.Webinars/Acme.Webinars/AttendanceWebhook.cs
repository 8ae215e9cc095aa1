using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using ScoreHub.Sdk;

namespace Acme.Webinars;

/// <summary>
/// Acme Webinars' webhook: <c>{"event", "event_ts", "payload": {"object": {webinar, "registrant" | "participant"}}}</c>,
/// signed like Zoom's (<see cref="AcmeWebinarsOptions.SignatureHeader"/> over <c>v0:{timestamp}:{body}</c>).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>webinar.registration_created</c>: <c>webinar.registered</c>, with job title, company and name as contact
/// properties (the seniority fit score reads <c>jobTitle</c>).</item>
/// <item><c>webinar.participant_joined</c>: nothing yet; the attendance is recorded when the participant leaves, with
/// the minutes watched.</item>
/// <item><c>webinar.participant_left</c>: <c>webinar.attended</c> with <c>minutesWatched</c>.</item>
/// <item><c>endpoint.url_validation</c>: the handshake Acme sends when the webhook is saved, answered with the token
/// signed by the secret.</item>
/// <item>Any other event: accepted with no signal, so Acme does not retry it.</item>
/// </list>
/// Signal ids come from what the signal is about (webinar and email), not from the delivery, so a retried or
/// repeated delivery is stored once: a participant who drops out and rejoins counts as one attendance, with the
/// minutes of the first session.
/// </remarks>
internal static partial class AttendanceWebhook
{
    private static readonly DateTimeOffset Earliest = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static ValueTask<SourceResponse> HandleAsync(SourceRequest request, SourceContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        cancellationToken.ThrowIfCancellationRequested();

        var secret = context.Settings.GetString(AcmeWebinarsOptions.SigningSecret) ?? "";
        if (Verify(request, secret, context.Clock.GetUtcNow()) is { } problem)
        {
            return ValueTask.FromResult(SourceResponse.Unauthorized(problem));
        }

        if (!request.TryReadJson(out var document, out var malformed))
        {
            return ValueTask.FromResult(malformed);
        }

        using (document)
        {
            return ValueTask.FromResult(Map(document.RootElement, secret, context));
        }
    }

    /// <summary>Null when the request was signed with <paramref name="secret"/> within the tolerance; else why not.</summary>
    private static string? Verify(SourceRequest request, string secret, DateTimeOffset now)
    {
        var stamp = request.GetHeader(AcmeWebinarsOptions.TimestampHeader);
        if (stamp is null ||
            !long.TryParse(stamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ||
            seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            return $"The {AcmeWebinarsOptions.TimestampHeader} header is missing or not Unix seconds.";
        }

        if ((now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > AcmeWebinarsOptions.SignatureTolerance)
        {
            return "The request was signed too long ago (or ahead of this server's clock); it may be a replay.";
        }

        if (request.GetHeader(AcmeWebinarsOptions.SignatureHeader) is not { } signature)
        {
            return $"The {AcmeWebinarsOptions.SignatureHeader} header is missing.";
        }

        var expected = Encoding.ASCII.GetBytes(Sign(secret, stamp, request.Body.Span));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature))
            ? null
            : $"The {AcmeWebinarsOptions.SignatureHeader} header does not match the body.";
    }

    /// <summary>The signature header's value: <c>v0=</c> and the hex HMAC-SHA256 of <c>v0:{timestamp}:{body}</c>.</summary>
    internal static string Sign(string secret, string timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes($"v0:{timestamp}:");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        return "v0=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message));
    }

    private static SourceResponse Map(JsonElement root, string secret, SourceContext context)
    {
        if (root.ValueKind != JsonValueKind.Object || Text(root, "event") is not { Length: > 0 } eventName)
        {
            return SourceResponse.BadRequest("event", "'event' must be the event name, e.g. webinar.participant_left.");
        }

        if (!root.TryGetProperty("payload", out var payload) || payload.ValueKind != JsonValueKind.Object)
        {
            return SourceResponse.BadRequest("payload", "'payload' must be an object.");
        }

        switch (eventName)
        {
            case "endpoint.url_validation":
                return Text(payload, "plainToken") is { Length: > 0 and <= 200 } token
                    ? SourceResponse.Reply(200, JsonSerializer.Serialize(new
                    {
                        plainToken = token,
                        encryptedToken = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(token))),
                    }), "application/json")
                    : SourceResponse.BadRequest("payload.plainToken", "'plainToken' must be a string of 1-200 characters.");
            case "webinar.registration_created":
                return Person(payload, "registrant", out var webinar, out var person, out var problem)
                    ? Registered(webinar, person, context)
                    : problem;
            case "webinar.participant_left":
                return Person(payload, "participant", out webinar, out person, out problem)
                    ? Attended(webinar, person, context)
                    : problem;
            default:
                Log.Ignored(context.Logger, eventName.Length <= 100 ? eventName : eventName[..100]);
                return SourceResponse.Accept([]);
        }
    }

    private static SourceResponse Registered(Webinar webinar, JsonElement registrant, SourceContext context)
    {
        const string path = "payload.object.registrant";
        if (Email(registrant, path, out var email) is { } badEmail)
        {
            return badEmail;
        }

        if (Instant(registrant, "create_time", path, context, out var registeredAt) is { } badTime)
        {
            return badTime;
        }

        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (field, property) in new[] { ("first_name", "firstName"), ("last_name", "lastName"), ("job_title", "jobTitle"), ("org", "company") })
        {
            if (!registrant.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            if (value.ValueKind != JsonValueKind.String || value.GetString()!.Length > 500)
            {
                return SourceResponse.BadRequest($"{path}.{field}", $"'{field}' must be a string of at most 500 characters.");
            }

            if (value.GetString()!.Trim() is { Length: > 0 } text)
            {
                properties[property] = text;
            }
        }

        return SourceResponse.Accept([new Signal
        {
            Id = $"registered:{webinar.Id}:{email}",
            Type = AcmeWebinarsOptions.Registered,
            OccurredAt = registeredAt,
            Contact = new ContactRef { Email = email },
            Properties = webinar.Properties(),
            ContactProperties = properties,
        }]);
    }

    private static SourceResponse Attended(Webinar webinar, JsonElement participant, SourceContext context)
    {
        const string path = "payload.object.participant";
        if (Email(participant, path, out var email) is { } badEmail)
        {
            return badEmail;
        }

        if (Instant(participant, "join_time", path, context, out var joinedAt) is { } badJoin)
        {
            return badJoin;
        }

        if (Instant(participant, "leave_time", path, context, out var leftAt) is { } badLeave)
        {
            return badLeave;
        }

        if (leftAt < joinedAt)
        {
            return SourceResponse.BadRequest($"{path}.leave_time", "'leave_time' is before 'join_time'.");
        }

        var properties = webinar.Properties();
        properties["minutesWatched"] = ((int)(leftAt - joinedAt).TotalMinutes).ToString(CultureInfo.InvariantCulture);
        return SourceResponse.Accept([new Signal
        {
            Id = $"attended:{webinar.Id}:{email}",
            Type = AcmeWebinarsOptions.Attended,
            OccurredAt = leftAt,
            Contact = new ContactRef { Email = email },
            Properties = properties,
        }]);
    }

    /// <summary>Reads <c>payload.object</c> (the webinar) and its <paramref name="member"/> (the person).</summary>
    private static bool Person(JsonElement payload, string member, out Webinar webinar, out JsonElement person, out SourceResponse problem)
    {
        webinar = default;
        person = default;
        problem = null!;
        if (!payload.TryGetProperty("object", out var item) || item.ValueKind != JsonValueKind.Object)
        {
            problem = SourceResponse.BadRequest("payload.object", "'object' must be the webinar.");
            return false;
        }

        // Webinar ids are numbers in Acme's payloads; strings are accepted too.
        var id = item.TryGetProperty("id", out var idValue) ? idValue.ValueKind switch
        {
            JsonValueKind.Number when idValue.TryGetInt64(out var number) && number > 0 => number.ToString(CultureInfo.InvariantCulture),
            JsonValueKind.String => idValue.GetString(),
            _ => null,
        } : null;
        if (id is not { Length: > 0 and <= 64 })
        {
            problem = SourceResponse.BadRequest("payload.object.id", "'id' must be the webinar's id: a positive number or a string of 1-64 characters.");
            return false;
        }

        if (item.TryGetProperty("topic", out var topic) && topic.ValueKind is not (JsonValueKind.String or JsonValueKind.Null) ||
            topic.ValueKind == JsonValueKind.String && topic.GetString()!.Length > 500)
        {
            problem = SourceResponse.BadRequest("payload.object.topic", "'topic' must be a string of at most 500 characters.");
            return false;
        }

        if (!item.TryGetProperty(member, out person) || person.ValueKind != JsonValueKind.Object)
        {
            problem = SourceResponse.BadRequest($"payload.object.{member}", $"'{member}' must be an object.");
            return false;
        }

        webinar = new Webinar(id, topic.ValueKind == JsonValueKind.String ? topic.GetString() : null);
        return true;
    }

    private static SourceResponse? Email(JsonElement person, string path, out string email)
    {
        email = (Text(person, "email") ?? "").Trim().ToLowerInvariant();
        return email is { Length: >= 3 and <= 254 } && email.IndexOf('@', StringComparison.Ordinal) is > 0 and var at && at < email.Length - 1
            ? null
            : SourceResponse.BadRequest($"{path}.email", "'email' must be an email address.");
    }

    private static SourceResponse? Instant(JsonElement person, string field, string path, SourceContext context, out DateTimeOffset instant)
    {
        if (!DateTimeOffset.TryParse(Text(person, field), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out instant))
        {
            return SourceResponse.BadRequest($"{path}.{field}", $"'{field}' must be an ISO-8601 instant, e.g. 2026-03-01T16:49:40Z.");
        }

        return instant < Earliest || instant > context.Clock.GetUtcNow().AddDays(1)
            ? SourceResponse.BadRequest($"{path}.{field}", $"'{field}' is not a plausible instant (before 2000 or in the future).")
            : null;
    }

    private static string? Text(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private readonly record struct Webinar(string Id, string? Topic)
    {
        public Dictionary<string, string> Properties()
        {
            var properties = new Dictionary<string, string>(StringComparer.Ordinal) { ["webinarId"] = Id };
            if (Topic is { Length: > 0 })
            {
                properties["webinarTopic"] = Topic;
            }

            return properties;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Debug, Message = "Acme Webinars event {EventName} is not scored; accepted with no signal")]
        public static partial void Ignored(ILogger logger, string eventName);
    }
}
