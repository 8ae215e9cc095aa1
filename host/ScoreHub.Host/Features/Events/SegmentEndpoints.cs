using ScoreHub.Host.Core;
using ScoreHub.Host.Core.Events;
using ScoreHub.Host.Core.Workspaces;
using ScoreHub.Host.Features.Workspaces;
using ScoreHub.Host.Infrastructure;

namespace ScoreHub.Host.Features.Events;

/// <summary>
/// Segment's HTTP Tracking API at the root (<c>POST /v1/batch</c>, <c>/v1/track</c>, ...), so Segment and RudderStack
/// clients, and Segment itself as a destination, can point at ScoreHub unchanged. Each call is handed to the workspace's
/// <c>scorehub.segment</c> source through the same path as <c>/api/v1/sources/...</c>. The write key is the workspace's
/// ingest key, sent by the clients as <c>Authorization: Basic base64(key:)</c>.
/// </summary>
internal static class SegmentEndpoints
{
    public const string PluginId = "scorehub.segment";

    /// <summary>Segment's limit on a batch request; the plugin checks the 32 KB limit per message.</summary>
    public const long MaxBodyBytes = 500 * 1024;

    public static IEndpointRouteBuilder MapSegment(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/{call:regex(^(batch|import|track|identify|page|screen|group|alias)$)}", HandleAsync)
            .RequireAuthorization(Policies.Ingest)
            .RequireRateLimiting(Overload.IngestPolicy)
            .WithTags("Segment")
            .Produces<SegmentAck>()
            .ProducesValidationProblem();
        return app;
    }

    private static async Task<IResult> HandleAsync(string call, HttpContext http, SourceDispatcher sources, CancellationToken ct)
    {
        var source = sources.Resolve(http, PluginId);
        byte[] body;
        try
        {
            body = await RequestBody.ReadAsync(http, MaxBodyBytes, detectGzip: true, ct);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            // Segment answers 400 to an oversized request; its clients retry other errors, and resending cannot help.
            var field = call is "batch" or "import" ? "batch" : "body";
            var message = $"The request is larger than 500 KB ({MaxBodyBytes} bytes); nothing was stored.";
            throw new RequestValidationException(new Dictionary<string, string[]> { [field] = [message] }, message);
        }

        return await sources.DispatchAsync(source, http, "/v1/" + call, body, _ => TypedResults.Ok(SegmentAck.Accepted), ct);
    }
}

/// <summary>Segment's answer to an accepted call: <c>{"success": true}</c>.</summary>
internal sealed record SegmentAck(bool Success)
{
    public static readonly SegmentAck Accepted = new(true);
}
