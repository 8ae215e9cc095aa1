using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace ScoreHub.Host.Tests.BadInput;

/// <summary>What an endpoint answers to the corpus.</summary>
public enum Answer
{
    /// <summary>A 4xx <c>application/problem+json</c> with <c>title</c> and <c>status</c>, and nothing stored.</summary>
    Problem,

    /// <summary>The endpoint never reads a body (health check): 200 whatever is sent, and nothing stored.</summary>
    IgnoresBody,
}

/// <summary>
/// One way to call a host endpoint with a body: the route template and method as ASP.NET Core registered them, the
/// concrete path with valid route values, the key kind, the documented body limit, and for a webhook how to sign a
/// payload so it gets past the source's authentication to its parser.
/// </summary>
public sealed record CorpusTarget(string Name, string Method, string Route, string Key, Func<BadInputHost, string> Path)
{
    /// <summary>The documented body limit in bytes, or null when the endpoint has none of its own.</summary>
    public long? Limit { get; init; }

    /// <summary>Adds what the sender's authentication needs (a signature header), or rewrites the body (Mailgun signs inside it).</summary>
    public Func<BadInputHost, HttpRequestMessage, byte[], byte[]>? Sign { get; init; }

    public Answer Answer { get; init; } = Answer.Problem;

    /// <summary>
    /// When set, a JSON object body naming none of these fields is a valid request (all fields optional, unknown ones
    /// ignored): it may be accepted, and then may store.
    /// </summary>
    public IReadOnlyList<string>? KnownFields { get; init; }

    /// <summary>Expected 4xx status when it is always the same (an unknown resource named in the route).</summary>
    public int? Status { get; init; }

    public override string ToString() => Name;
}

/// <summary>
/// The explicit table behind the corpus test: every body-taking endpoint the host registers (route template and
/// method, as <c>EndpointDataSource</c> lists them) maps to one or more targets here, or to an exclusion with its reason.
/// An endpoint missing from both fails <c>Every_endpoint_that_takes_a_body_is_in_the_corpus_table</c>.
/// </summary>
public static class CorpusTargets
{
    public const string Admin = "admin";
    public const string Secret = "secret";
    public const string Ingest = "ingest";

    private const string Sources = "/api/v1/sources/{pluginId}/{**path}";
    private const string Segment = "/v1/{call:regex(^(batch|import|track|identify|page|screen|group|alias)$)}";
    private const long OneMiB = 1_048_576;

    /// <summary>Body-taking endpoints deliberately not in the corpus, with why.</summary>
    public static readonly IReadOnlyDictionary<string, string> Excluded = new Dictionary<string, string>
    {
        ["* /hubs/leads/negotiate"] = "SignalR's negotiate handshake (framework code, no JSON body of ours); the hub's auth is in Feed/FeedKeyAccessTests",
        ["* /hubs/leads"] = "SignalR transport (WebSockets, SSE, long polling), framework code; covered by Feed/FeedHubTests",
    };

    public static readonly IReadOnlyList<CorpusTarget> All =
    [
        new("create workspace", "POST", "/api/v1/workspaces/", Admin, _ => "/api/v1/workspaces"),
        // Packages are zips (a JSON or form body is a 415); PluginInstallTests covers corrupt and hostile zips.
        new("install a plugin package", "POST", "/api/v1/plugins/", Admin, _ => "/api/v1/plugins"),
        new("activate a plugin", "PUT", "/api/v1/plugins/{id}/activation", Secret, _ => "/api/v1/plugins/scorehub.social/activation") { Limit = 64 * 1024 },
        new("canonical events", "POST", "/api/v1/events", Ingest, _ => "/api/v1/events") { Limit = OneMiB },
        new("upsert contact", "PUT", "/api/v1/contacts/{id}", Ingest, _ => "/api/v1/contacts/crm-bad-input")
        {
            Limit = 256 * 1024,
            // Every field of an upsert is optional and unknown fields are ignored: an object naming none of these is a
            // valid (empty) upsert, so the contact may be created.
            KnownFields = ["email", "properties", "company"],
        },
        new("save score model", "PUT", "/api/v1/scores/{id}", Secret, _ => "/api/v1/scores/bad-input") { Limit = 256 * 1024 },
        new("publish a score that does not exist", "POST", "/api/v1/scores/{id}/publish", Secret, _ => "/api/v1/scores/no-such-score/publish") { Status = 404 },
        new("save trigger", "PUT", "/api/v1/triggers/{id}", Secret, _ => "/api/v1/triggers/bad-input") { Limit = 64 * 1024 },
        new("retry a delivery that does not exist", "POST", "/api/v1/actions/deliveries/{id}/retry", Secret, _ => "/api/v1/actions/deliveries/no-such-delivery/retry") { Status = 404 },
        new("health check", "*", "/healthz", Secret, _ => "/healthz") { Answer = Answer.IgnoresBody },
        Source("scorehub.tags", "", HmacHex),
        Source("scorehub.social", "", HmacHex),
        Source("scorehub.sendgrid", "", SendGridSignature),
        Source("scorehub.mailgun", "", MailgunSignature),
        Source("scorehub.mailchimp", "", null, $"&secret={BadInputHost.MailchimpSecret}"),
        Source("scorehub.cart", "shopify", ShopifySignature),
        Source("scorehub.cart", "carts", null),
        Source("scorehub.web", "collect", BrowserHeaders),
        Source("scorehub.segment", "v1/batch", null),
        .. new[] { "batch", "import", "track", "identify", "page", "screen", "group", "alias" }.Select(call =>
            new CorpusTarget($"segment /v1/{call}", "POST", Segment, Ingest, _ => "/v1/" + call) { Limit = 500 * 1024 }),
    ];

    public static CorpusTarget Find(string name) => All.Single(t => t.Name == name);

    private static CorpusTarget Source(string pluginId, string path, Func<BadInputHost, HttpRequestMessage, byte[], byte[]>? sign, string query = "") =>
        new($"source {pluginId}/{path}", "*", Sources, Ingest,
            host => $"/api/v1/sources/{pluginId}/{path}?key={Uri.EscapeDataString(host.Ws.IngestKey)}{query}")
        {
            Limit = OneMiB,
            Sign = sign,
        };

    private static byte[] HmacHex(BadInputHost host, HttpRequestMessage request, byte[] body)
    {
        request.Headers.Add("X-ScoreHub-Signature",
            "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(BadInputHost.SigningSecret), body)));
        return body;
    }

    private static byte[] SendGridSignature(BadInputHost host, HttpRequestMessage request, byte[] body)
    {
        byte[] signed = [.. Encoding.UTF8.GetBytes(BadInputHost.SendGridTimestamp), .. body];
        request.Headers.Add("X-Twilio-Email-Event-Webhook-Signature",
            Convert.ToBase64String(host.SendGridKey.SignData(signed, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)));
        request.Headers.Add("X-Twilio-Email-Event-Webhook-Timestamp", BadInputHost.SendGridTimestamp);
        return body;
    }

    private static byte[] ShopifySignature(BadInputHost host, HttpRequestMessage request, byte[] body)
    {
        request.Headers.Add("X-Shopify-Topic", "checkouts/create");
        request.Headers.Add("X-Shopify-Hmac-Sha256",
            Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(BadInputHost.ShopifySecret), body)));
        request.Headers.Add("X-Shopify-Webhook-Id", "wh-" + Guid.NewGuid().ToString("N"));
        request.Headers.Add("X-Shopify-Shop-Domain", "bad-input.myshopify.com");
        return body;
    }

    /// <summary>Mailgun signs inside the body: a JSON object gets a fresh, valid signature; anything else goes as it is.</summary>
    private static byte[] MailgunSignature(BadInputHost host, HttpRequestMessage request, byte[] body)
    {
        try
        {
            return JsonNode.Parse(body) is JsonObject root ? Signed(host, root) : body;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or ArgumentException or InvalidOperationException)
        {
            return body;
        }
    }

    private static byte[] Signed(BadInputHost host, JsonObject root)
    {
        var timestamp = host.App.Clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var token = Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N")[..18];
        root["signature"] = new JsonObject
        {
            ["timestamp"] = timestamp,
            ["token"] = token,
            ["signature"] = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(BadInputHost.MailgunKey), Encoding.UTF8.GetBytes(timestamp + token))),
        };
        return Encoding.UTF8.GetBytes(root.ToJsonString());
    }

    /// <summary>The web source drops hits from bots silently; a browser's headers get the body to its parser.</summary>
    private static byte[] BrowserHeaders(BadInputHost host, HttpRequestMessage request, byte[] body)
    {
        request.Headers.TryAddWithoutValidation("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36");
        request.Headers.Add("Origin", "https://www.bad-input.test");
        return body;
    }
}
