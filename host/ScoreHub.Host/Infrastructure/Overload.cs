using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using ScoreHub.Host.Core;

namespace ScoreHub.Host.Infrastructure;

/// <summary>
/// Per-key rate limits on the write endpoints. A caller beyond its rate gets 429 with <c>Retry-After</c> and
/// problem details, and nothing of that request is stored; other keys and workspaces are unaffected. Together
/// with the ledger writer's bounded queue (503 when full) this keeps memory bounded under any load.
/// </summary>
internal static class Overload
{
    public const string IngestPolicy = "ingest";

    public static IServiceCollection AddIngestRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(ScoreHubOptions.Section).Get<ScoreHubOptions>() ?? new ScoreHubOptions();
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = async (context, ct) =>
            {
                var http = context.HttpContext;
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
                http.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
                await problems.WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails = new Microsoft.AspNetCore.Mvc.ProblemDetails
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Title = "Too many requests",
                        Detail = $"This key may send {options.IngestRequestsPerSecond} requests per second (bursts of {options.IngestBurst}); retry after {retryAfter} s. Nothing of this request was stored.",
                    },
                });
            };
            limiter.AddPolicy(IngestPolicy, http => RateLimitPartition.GetTokenBucketLimiter(
                PartitionKey(http),
                _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = options.IngestBurst,
                    TokensPerPeriod = options.IngestRequestsPerSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                }));
        });
        return services;
    }

    /// <summary>The verified key's workspace and kind; unauthenticated callers (refused later anyway) by address.</summary>
    private static string PartitionKey(HttpContext http) =>
        http.User.FindFirst(Caller.KindClaim) is { } kind
            ? (http.User.FindFirst(Caller.WorkspaceClaim)?.Value ?? "server") + "/" + kind.Value
            : "anonymous/" + http.Connection.RemoteIpAddress;
}
