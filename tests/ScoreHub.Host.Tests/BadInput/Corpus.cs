using System.IO.Compression;
using System.Text;

namespace ScoreHub.Host.Tests.BadInput;

/// <summary>One bad request body: its bytes, how it is labelled, and whether it is sent without a Content-Length.</summary>
public sealed record CorpusItem(string Name, Func<CorpusTarget, byte[]?> Body, string ContentType = "application/json", string? ContentEncoding = null, bool Chunked = false)
{
    public override string ToString() => Name;
}

/// <summary>
/// The bad-input corpus sent to every endpoint that takes a body. Every item is wrong for every endpoint (a
/// target may name items it accepts by design). Items that only make sense for some endpoints (the body limit) return
/// null for the others and are not sent there.
/// </summary>
public static class Corpus
{
    /// <summary>Strings that mean something to a SQL database, LiteDB, a shell, a browser or a file system.</summary>
    public static readonly string[] InjectionStrings =
    [
        "'; DROP TABLE contacts; --",
        "\" OR \"1\"=\"1",
        "{\"$where\": \"this.a == 1\"}",
        "$where",
        "$.events[*]",
        "$._id",
        "@key",
        "<script>alert(1)</script>",
        "../../etc/passwd",
        "..\\..\\windows\\win.ini",
        "%00",
        "a\u0000b",
        "x\r\nSet-Cookie: injected=1",
        "${jndi:ldap://example.invalid/a}",
        "{{7*7}}",
    ];

    /// <summary>64 MiB of JSON in about 64 KiB of gzip: made once, sent to every endpoint that reads gzip.</summary>
    private static readonly Lazy<byte[]> Bomb = new(() => Gzip(Padded(64 * 1024 * 1024)));

    private const string ValidEvent = """{"id":"evt-bad-input","type":"email.opened","occurredAt":"2026-03-01T10:00:00Z","contact":{"email":"bad-input@example.com"}}""";

    public static readonly IReadOnlyList<CorpusItem> Items =
    [
        new("empty body", _ => []),
        Json("truncated JSON", """{"events":[{"id":"evt-1","type":"email.opened","occ"""),
        Json("trailing garbage", """{"events":[]} }} trailing garbage"""),
        Json("single quotes", "{'events': [{'id': 'evt-1', 'type': 'email.opened'}], 'name': 'x'}"),
        Json("NaN literal", """{"events":[{"id":"evt-1","points":NaN}],"limit":NaN,"name":NaN}"""),
        Json("Infinity literal", """{"limit":Infinity,"name":-Infinity}"""),
        Json("comments", """{/* a comment */ "name": "x" // another"""),
        Json("null root", "null"),
        Json("number root", "42"),
        Json("string root", "\"events\""),
        Json("array of arrays for an object", """[[{"id":"evt-1"}],[1,2,3]]"""),
        Json("wrong types in every known field", """
            {"events":{"id":1},"batch":{"type":"track"},"id":1,"type":[],"name":1,"email":{},"userId":[1],"messageId":{},
             "event":1,"properties":[1],"traits":"x","contact":"x","settings":[],"signingSecret":1,"groups":"x",
             "thresholds":1,"limit":"100","score":1,"when":[],"company":"acme","occurredAt":20260301}
            """),
        Json("string for number and number for string", """
            {"limit":"100","groups":[{"name":7,"rules":[{"event":"email.opened","points":"10"}]}],"name":12,
             "when":{"crosses":{"value":"50"}},"score":7}
            """),
        Json("huge numbers", """
            {"limit":1e400,"floor":-1e400,"groups":[{"rules":[{"event":"a.b","points":1e400}]}],"score":"x",
             "when":{"crosses":{"value":1e400}},"name":1e400,"events":[{"id":1e400}]}
            """),
        new("1 MB string in a field", _ => Utf8(ValidEvent.Replace("evt-bad-input", new string('a', 1_000_000), StringComparison.Ordinal)
            is var e ? $$"""{"events":[{{e}}]}""" : "")),
        new("1 MB name", _ => Utf8($$"""{"name":"{{new string('n', 1_000_000)}}"}""")),
        new("nesting 1,000 arrays", _ => Nested(1_000, '[', ']')),
        new("nesting 100,000 arrays", _ => Nested(100_000, '[', ']')),
        new("nesting 1,000 objects", _ => Utf8($$"""{"events":{{string.Concat(Enumerable.Repeat("{\"a\":", 1_000))}}1{{new string('}', 1_000)}}}""")),
        new("invalid UTF-8 in a value", _ => [.. Utf8("""{"events":[{"id":"""), 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, .. Utf8("}],\"name\":\""), 0xff, .. Utf8("\"}")]),
        new("invalid UTF-8 in a property name", _ => [.. Utf8("{\""), 0xc0, 0xaf, 0xed, 0xa0, 0x80, .. Utf8("\":1}")]),
        Json("lone surrogate escapes", ValidEvent.Replace("evt-bad-input", "\\ud800", StringComparison.Ordinal)
            .Replace("email.opened", "email.\\udc00", StringComparison.Ordinal) is var s
            ? $$"""{"events":[{{s}}],"name":"\udfff","email":"a\ud800@example.com","batch":[{"type":"track","event":"\ud800","userId":"\udc00"}]}"""
            : ""),
        BadDate("2026-13-45"),
        BadDate("yesterday"),
        BadDate("0001-01-01T00:00:00Z"),
        BadDate("9999-12-31T23:59:59Z"),
        BadDate("9999-12-31T23:59:59-14:00"),
        new("bad date in a form body", _ => Utf8("type=subscribe&fired_at=2026-13-45+25%3A61%3A00&data[email]=bad-input%40example.com"),
            "application/x-www-form-urlencoded"),
        Json("unknown fields only", """{"$where":"this.a == 1","__proto__":{"isAdmin":true},"constructor":{"prototype":{}},"zzz":[1,2,3]}"""),
        Json("injection strings in validated fields", Injected()),
        new("wrong content type: XML", _ => Utf8("<?xml version=\"1.0\"?><events><event id=\"1\"/></events>"), "application/xml"),
        new("wrong content type: form", _ => Utf8("events=1&name=x&%24where=1"), "application/x-www-form-urlencoded"),
        new("just over the body limit", t => t.Limit is { } limit ? Padded(limit + 1) : null),
        new("just over the body limit, chunked", t => t.Limit is { } limit ? Padded(limit + 1) : null, Chunked: true),
        new("gzip bomb", t => t.Limit is null ? null : Bomb.Value, ContentEncoding: "gzip"),
        new("gzip bomb without Content-Encoding", t => t.Limit is null ? null : Bomb.Value, "application/x-www-form-urlencoded"),
        new("invalid gzip", t => t.Limit is null ? null : [0x1f, 0x8b, 0x08, 0x00, 0xde, 0xad, 0xbe, 0xef], ContentEncoding: "gzip"),
    ];

    public static CorpusItem Item(string name) => Items.Single(i => i.Name == name);

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static CorpusItem Json(string name, string text) => new(name, _ => Utf8(text));

    /// <summary>A canonical event, valid but for its date; also under the names other payloads use for a date.</summary>
    private static CorpusItem BadDate(string date) => Json($"bad date {date}",
        $$"""
        {"events":[{{ValidEvent.Replace("2026-03-01T10:00:00Z", date, StringComparison.Ordinal)}}],
         "timestamp":"{{date}}","sentAt":"{{date}}","fired_at":"{{date}}","created_at":"{{date}}","updated_at":"{{date}}"}
        """);

    /// <summary>Injection strings where a field is validated (type, email, score id), so every endpoint must refuse them.</summary>
    private static string Injected()
    {
        var events = Corpus.InjectionStrings.Select((s, i) => new Dictionary<string, object>
        {
            ["id"] = s,
            ["type"] = s,
            ["occurredAt"] = "2026-03-01T10:00:00Z",
            ["contact"] = new Dictionary<string, string> { ["email"] = s },
            ["properties"] = new Dictionary<string, string> { [s] = s },
        });
        return System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["events"] = events,
            ["email"] = InjectionStrings[0],
            ["score"] = InjectionStrings[4],
            ["when"] = new Dictionary<string, object> { ["label"] = new Dictionary<string, string> { ["to"] = InjectionStrings[3] } },
            ["groups"] = new object[] { new Dictionary<string, object> { ["rules"] = new object[] { new Dictionary<string, object> { ["event"] = "a.b", ["points"] = 1, ["where"] = new Dictionary<string, object> { ["url"] = new Dictionary<string, string> { ["$where"] = "1" } } } } } },
            ["batch"] = new object[] { new Dictionary<string, object> { ["type"] = InjectionStrings[2], ["messageId"] = InjectionStrings[8] } },
            ["type"] = InjectionStrings[5],
        });
    }

    private static byte[] Nested(int depth, char open, char close) =>
        Utf8("{\"events\":" + new string(open, depth) + new string(close, depth) + "}");

    /// <summary>A JSON object of exactly <paramref name="size"/> bytes: well-formed, so only its size is wrong.</summary>
    public static byte[] Padded(long size)
    {
        var bytes = new byte[size];
        Array.Fill(bytes, (byte)' ');
        "{\"pad\":\""u8.CopyTo(bytes);
        bytes.AsSpan(8, (int)size - 10).Fill((byte)'p');
        bytes[^2] = (byte)'"';
        bytes[^1] = (byte)'}';
        return bytes;
    }

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }
}
