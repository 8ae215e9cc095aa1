using LiteDB;
using ScoreHub.Host.Core.Leads;
using ScoreHub.Sdk;

namespace ScoreHub.Host.Storage;

/// <summary>Hand-written mapping between in-memory records and LiteDB documents (no reflection mapper).</summary>
internal static class Bson
{
    public static long Ticks(DateTimeOffset at) => at.UtcTicks;

    public static DateTimeOffset At(BsonValue ticks) => new(ticks.AsInt64, TimeSpan.Zero);

    public static BsonArray ToArray(IEnumerable<PropertyChange> changes) =>
        new(changes.Select(c => new BsonDocument
        {
            ["n"] = c.Name,
            ["v"] = c.Value is null ? BsonValue.Null : new BsonValue(c.Value),
            ["at"] = Ticks(c.At),
        }));

    public static IEnumerable<PropertyChange> ToChanges(BsonValue array) =>
        array.IsArray
            ? array.AsArray.Select(v => new PropertyChange(
                SharedNames.Share(v["n"].AsString), v["v"].IsNull ? null : v["v"].AsString, At(v["at"])))
            : [];

    public static BsonDocument ToDocument(string workspaceId, ContactRecord c) => new()
    {
        ["_id"] = workspaceId + "/" + c.Id,
        ["ws"] = workspaceId,
        ["cid"] = c.Id,
        ["email"] = c.Email,
        ["ext"] = c.ExternalId,
        ["anon"] = new BsonArray(c.AnonymousIds.Select(a => new BsonValue(a))),
        ["company"] = c.CompanyId,
        ["merged"] = c.MergedInto,
        ["created"] = Ticks(c.CreatedAt),
        ["h"] = ToArray(c.Changes),
    };

    public static ContactRecord ToContact(BsonDocument doc)
    {
        var c = new ContactRecord(doc["cid"].AsString)
        {
            Email = NullableString(doc["email"]),
            ExternalId = NullableString(doc["ext"]),
            CompanyId = NullableString(doc["company"]),
            MergedInto = NullableString(doc["merged"]),
            CreatedAt = At(doc["created"]),
        };
        c.AnonymousIds = c.AnonymousIds.Union(doc["anon"].AsArray.Select(a => a.AsString));

        c.AddChanges(ToChanges(doc["h"]).ToList());
        return c;
    }

    public static BsonDocument ToDocument(string workspaceId, CompanyRecord c) => new()
    {
        ["_id"] = workspaceId + "/" + c.Id,
        ["ws"] = workspaceId,
        ["co"] = c.Id,
        ["h"] = ToArray(c.Changes),
    };

    private static string? NullableString(BsonValue value) => value.IsNull ? null : value.AsString;
}
