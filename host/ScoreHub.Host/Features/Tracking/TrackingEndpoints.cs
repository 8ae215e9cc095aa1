using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;

namespace ScoreHub.Host.Features.Tracking;

/// <summary>
/// Serves the website tracking snippet at <c>GET /t.js</c>. A site embeds it with
/// <c>&lt;script async src="https://scorehub.example/t.js" data-key="PUBLIC_INGEST_KEY"&gt;</c>; the browser fetches it
/// anonymously, so it needs no key. The hits it sends go to the <c>scorehub.web</c> source plugin
/// (<c>/api/v1/sources/scorehub.web/collect</c>), which must be active in the key's workspace.
/// </summary>
internal static class TrackingEndpoints
{
    public const string ScriptPath = "/t.js";

    public static IEndpointRouteBuilder MapTracking(this IEndpointRouteBuilder app)
    {
        app.MapGet(ScriptPath, (HttpContext http) =>
        {
            var script = TrackingScript.Instance;
            var headers = http.Response.Headers;
            headers.ETag = script.ETag;
            // Browsers revalidate hourly, so a new host version reaches every site within the hour.
            headers.CacheControl = "public, max-age=3600";
            headers.XContentTypeOptions = "nosniff";
            // Lets sites that load it with crossorigin (or with subresource integrity) do so.
            headers.AccessControlAllowOrigin = "*";
            if (http.Request.Headers.IfNoneMatch.Any(tag => string.Equals(tag, script.ETag, StringComparison.Ordinal)))
            {
                return Results.StatusCode(StatusCodes.Status304NotModified);
            }

            return Results.Bytes(script.Content, "application/javascript; charset=utf-8");
        })
        .AllowAnonymous()
        .ExcludeFromDescription();
        return app;
    }
}

/// <summary>The snippet's text, embedded in the host assembly (<c>Features/Tracking/t.js</c>), read once.</summary>
internal sealed class TrackingScript
{
    private const string ResourceName = "ScoreHub.Host.Features.Tracking.t.js";

    private TrackingScript(byte[] content)
    {
        Content = content;
        ETag = new EntityTagHeaderValue("\"" + Convert.ToHexStringLower(SHA256.HashData(content))[..16] + "\"").ToString();
    }

    public static TrackingScript Instance { get; } = Load();

    public byte[] Content { get; }

    public string ETag { get; }

    private static TrackingScript Load()
    {
        using var stream = typeof(TrackingScript).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The tracking snippet resource '{ResourceName}' is missing from the host assembly.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return new TrackingScript(buffer.ToArray());
    }
}
