using System.Globalization;
using System.Text.Json;
using ScoreHub.Host.Core.Events;
using ScoreHub.Host.Core.Leads;
using ScoreHub.Sdk;

namespace ScoreHub.Host.Core.Events;

/// <summary>
/// Reads the canonical batch <c>{"events":[{id,type,occurredAt,contact,properties}]}</c> (or a bare array) from JSON,
/// collecting a shape error for every bad item and field rather than stopping at the first.
/// </summary>
internal static class EventBatchParser
{
    public const int MaxEvents = 1_000;

    /// <summary>
    /// Reads every item. <c>Signals</c> holds the shape-valid ones; <c>Indices[i]</c> is the position of
    /// <c>Signals[i]</c> in the posted array, so later errors can name the item the client sent.
    /// </summary>
    public static (List<Signal> Signals, List<int> Indices, Dictionary<string, string[]> Errors) Parse(JsonElement root)
    {
        var signals = new List<Signal>();
        var indices = new List<int>();
        var errors = new Dictionary<string, string[]>();
        JsonElement events;
        if (root.ValueKind == JsonValueKind.Array)
        {
            events = root;
        }
        else if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("events", out events) && events.ValueKind == JsonValueKind.Array)
        {
        }
        else
        {
            errors["events"] = ["The body must be {\"events\": [...]} or an array of events."];
            return (signals, indices, errors);
        }

        var count = events.GetArrayLength();
        if (count == 0)
        {
            errors["events"] = ["The batch is empty."];
        }
        else if (count > MaxEvents)
        {
            errors["events"] = [$"A batch holds at most {MaxEvents} events; this one has {count}."];
            return (signals, indices, errors);
        }

        var index = 0;
        foreach (var item in events.EnumerateArray())
        {
            var position = index++;
            var path = $"events[{position}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                errors[path] = ["Each event must be a JSON object."];
                continue;
            }

            var before = errors.Count;
            var id = String(item, "id", path, errors, required: true);
            var type = String(item, "type", path, errors, required: true);
            var occurredAt = Instant(item, "occurredAt", path, errors);
            var contact = Contact(item, path, errors);
            var properties = Scalars(item, "properties", path, errors);
            var contactProperties = Scalars(item, "contactProperties", path, errors);
            var company = Company(item, path, errors);
            if (errors.Count == before)
            {
                signals.Add(new Signal
                {
                    Id = id!,
                    Type = type!,
                    OccurredAt = occurredAt!.Value,
                    Contact = contact!,
                    Properties = properties,
                    ContactProperties = contactProperties,
                    Company = company,
                });
                indices.Add(position);
            }
        }

        return (signals, indices, errors);
    }

    private static string? String(JsonElement item, string name, string path, Dictionary<string, string[]> errors, bool required)
    {
        if (!item.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                errors[$"{path}.{name}"] = [$"'{name}' is required."];
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            errors[$"{path}.{name}"] = [$"'{name}' must be a string."];
            return null;
        }

        return value.GetString();
    }

    private static DateTimeOffset? Instant(JsonElement item, string name, string path, Dictionary<string, string[]> errors)
    {
        var text = String(item, name, path, errors, required: true);
        if (text is null)
        {
            return null;
        }

        // ISO 8601 with an explicit offset or Z: an instant without a zone is ambiguous.
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at) &&
            (text.EndsWith('Z') || text.EndsWith('z') || text.Contains('+', StringComparison.Ordinal) || text.LastIndexOf('-') > 9))
        {
            return at.ToUniversalTime();
        }

        errors[$"{path}.{name}"] = [$"'{name}' must be an ISO 8601 instant with a time zone, e.g. 2026-05-01T09:30:00Z."];
        return null;
    }

    private static ContactRef? Contact(JsonElement item, string path, Dictionary<string, string[]> errors)
    {
        if (!item.TryGetProperty("contact", out var contact) || contact.ValueKind != JsonValueKind.Object)
        {
            errors[$"{path}.contact"] = ["'contact' must be an object with email, externalId or anonymousId."];
            return null;
        }

        var contactPath = path + ".contact";
        return new ContactRef
        {
            Email = String(contact, "email", contactPath, errors, required: false),
            ExternalId = String(contact, "externalId", contactPath, errors, required: false),
            AnonymousId = String(contact, "anonymousId", contactPath, errors, required: false),
        };
    }

    private static CompanyRef? Company(JsonElement item, string path, Dictionary<string, string[]> errors)
    {
        if (!item.TryGetProperty("company", out var company) || company.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var companyPath = path + ".company";
        if (company.ValueKind != JsonValueKind.Object)
        {
            errors[companyPath] = ["'company' must be an object with an id and optional properties."];
            return null;
        }

        var id = String(company, "id", companyPath, errors, required: true);
        var properties = Scalars(company, "properties", companyPath, errors);
        return id is null ? null : new CompanyRef { Id = id, Properties = properties };
    }

    public static IReadOnlyDictionary<string, string> Scalars(JsonElement item, string name, string path, Dictionary<string, string[]> errors)
    {
        if (!item.TryGetProperty(name, out var properties) || properties.ValueKind == JsonValueKind.Null)
        {
            return EventProperties.Empty;
        }

        if (properties.ValueKind != JsonValueKind.Object)
        {
            errors[$"{path}.{name}"] = [$"'{name}' must be an object."];
            return EventProperties.Empty;
        }

        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in properties.EnumerateObject())
        {
            var text = ToText(property.Value);
            if (text is not null)
            {
                map[property.Name] = text;
            }
        }

        return map;
    }

    /// <summary>Scalars as invariant strings; nested objects and arrays as their JSON text; null as absent.</summary>
    public static string? ToText(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => value.GetRawText(),
    };
}
