using System.Text.Json;
using FluentValidation;
using Mediator;
using ScoreHub.Host.Core;
using ScoreHub.Host.Core.Contacts;
using ScoreHub.Host.Core.Events;
using ScoreHub.Host.Core.Leads;
using ScoreHub.Host.Core.Workspaces;
using ScoreHub.Host.Features.Events;
using ScoreHub.Host.Features.Workspaces;
using ScoreHub.Host.Infrastructure;
using ScoreHub.Host.Storage;
using ScoreHub.Sdk;

namespace ScoreHub.Host.Features.Contacts;

internal sealed record ContactDto(
    string Id,
    string? Email,
    string? ExternalId,
    IReadOnlyCollection<string> AnonymousIds,
    string? CompanyId,
    IReadOnlyDictionary<string, string> Properties,
    int EventCount,
    DateTimeOffset? LastTouch,
    DateTimeOffset CreatedAt)
{
    public static ContactDto From(ContactRecord c) => new(
        c.Id, c.Email, c.ExternalId, [.. c.AnonymousIds], c.CompanyId, c.CurrentProperties(),
        c.Events.Length, c.LastTouch, c.CreatedAt);
}

internal sealed record PropertyChangeDto(string Name, string? Value, DateTimeOffset At)
{
    public static PropertyChangeDto From(PropertyChange c) => new(c.Name, c.Value, c.At);
}

internal static class ContactEndpoints
{
    public static IEndpointRouteBuilder MapContacts(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/contacts").WithTags("Contacts");

        group.MapPut("/{id}", async (string id, HttpContext http, IMediator mediator, CancellationToken ct) =>
        {
            using var body = await RequestBody.ReadJsonAsync(http, 256 * 1024, ct);
            var root = body.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw RequestValidationException.For("body", "The body must be a JSON object.");
            }

            var errors = new Dictionary<string, string[]>();
            var email = root.TryGetProperty("email", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
            if (root.TryGetProperty("email", out e) && e.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
            {
                errors["email"] = ["'email' must be a string."];
            }

            var properties = Nullable(root, "properties", "properties", errors);
            string? companyId = null;
            IReadOnlyDictionary<string, string?> companyProperties = new Dictionary<string, string?>();
            if (root.TryGetProperty("company", out var company) && company.ValueKind != JsonValueKind.Null)
            {
                if (company.ValueKind != JsonValueKind.Object || !company.TryGetProperty("id", out var cid) || cid.ValueKind != JsonValueKind.String)
                {
                    errors["company.id"] = ["'company' must be an object with a string 'id'."];
                }
                else
                {
                    companyId = cid.GetString();
                    companyProperties = Nullable(company, "properties", "company.properties", errors);
                }
            }

            if (errors.Count > 0)
            {
                throw new RequestValidationException(errors);
            }

            var caller = Caller.From(http.User);
            var contact = ContactDto.From(await mediator.Send(new UpsertContact(caller, id, email, properties, companyId, companyProperties), ct));
            // An ingest key is write-only (it may sit in a browser): it learns the contact's id, never its data.
            return caller.Kind == KeyKind.Ingest ? Results.Ok(new { contact.Id }) : Results.Ok(contact);
        }).RequireAuthorization(Policies.Ingest).RequireRateLimiting(Overload.IngestPolicy);

        group.MapGet("/{id}", (string id, HttpContext http, Ledger ledger) =>
        {
            var contact = Find(ledger, http, id);
            return TypedResults.Ok(ContactDto.From(contact));
        }).RequireAuthorization(Policies.Secret);

        // Right to erasure: the contact, its events and history go; its companies are re-scored (ADR 0011).
        group.MapDelete("/{id}", async (string id, HttpContext http, IMediator mediator, CancellationToken ct) =>
            await mediator.Send(new EraseContact(Caller.From(http.User), id), ct)
                ? Results.NoContent()
                : throw new NotFoundException($"No contact '{id}'."))
            .RequireAuthorization(Policies.Secret);

        group.MapGet("/{id}/events", (string id, HttpContext http, Ledger ledger) =>
        {
            var contact = Find(ledger, http, id);
            return TypedResults.Ok(contact.Events.Select(ev => new { ev.Id, ev.Type, ev.OccurredAt, ev.Properties }));
        }).RequireAuthorization(Policies.Secret);

        // Every property change ever recorded for the contact (including those of contacts merged into it),
        // oldest first; a null value means the property was cleared.
        group.MapGet("/{id}/properties/history", (string id, HttpContext http, Ledger ledger) =>
        {
            var contact = Find(ledger, http, id);
            return TypedResults.Ok(contact.Changes.OrderBy(c => c.At).Select(PropertyChangeDto.From));
        }).RequireAuthorization(Policies.Secret);

        group.MapGet("/", (HttpContext http, Ledger ledger, string? email, int? limit, int? offset) =>
        {
            var data = ledger.Find(Caller.From(http.User).Workspace);
            var contacts = data is null ? [] : data.Contacts.Values.Where(c => c.MergedInto is null);
            if (email is not null)
            {
                contacts = contacts.Where(c => string.Equals(c.Email, email, StringComparison.OrdinalIgnoreCase));
            }

            return TypedResults.Ok(contacts.OrderBy(c => c.CreatedAt).ThenBy(c => c.Id, StringComparer.Ordinal)
                .Skip(Math.Max(0, offset ?? 0)).Take(Math.Clamp(limit ?? 100, 1, 1000)).Select(ContactDto.From));
        }).RequireAuthorization(Policies.Secret);

        return app;
    }

    internal static ContactRecord Find(Ledger ledger, HttpContext http, string id) =>
        ledger.Find(Caller.From(http.User).Workspace)?.Resolve(id) ?? throw new NotFoundException($"No contact '{id}'.");

    private static Dictionary<string, string?> Nullable(JsonElement parent, string name, string path, Dictionary<string, string[]> errors)
    {
        var map = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return map;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            errors[path] = [$"'{name}' must be an object."];
            return map;
        }

        foreach (var property in value.EnumerateObject())
        {
            map[property.Name] = EventBatchParser.ToText(property.Value);
        }

        return map;
    }
}
