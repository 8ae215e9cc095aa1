using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ScoreHub.Sdk;

namespace ScoreHub.Plugins.Web.Tests;

/// <summary>Builds snippet hits and the context a workspace's activation gives the source.</summary>
internal static class Hits
{
    public const string LinkSecret = "link-secret-0123456789";
    public const string Chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    public static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    public static SourceContext Context(string settings = $$"""{"linkSecret":"{{LinkSecret}}"}""") => new()
    {
        WorkspaceId = "ws_1",
        Settings = PluginSettings.Parse(settings),
        Clock = new FakeTimeProvider(Now),
        Logger = NullLogger.Instance,
    };

    public static SourceRequest Post(object hit, string userAgent = Chrome) => Raw(JsonSerializer.Serialize(hit), userAgent);

    public static SourceRequest Raw(string body, string? userAgent = Chrome, string path = "/collect", string method = "POST")
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (userAgent is not null)
        {
            headers["User-Agent"] = userAgent;
        }

        return new SourceRequest
        {
            Method = method,
            Path = path,
            Body = Encoding.UTF8.GetBytes(body),
            ContentType = "text/plain;charset=UTF-8",
            Headers = headers,
        };
    }

    public static Dictionary<string, string> Props(params (string Name, string Value)[] pairs) =>
        pairs.ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);

    public static object PageView(string url, string? referrer = null, string? contactToken = null, string id = "hit-1") =>
        new { id, type = "pageview", anonymousId = "anon-1", url, title = "Pricing | Acme", referrer, contactToken };
}
