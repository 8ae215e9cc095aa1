using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using FluentValidation;
using FluentValidation.Results;
using Mediator;
using ScoreHub.Host.Core;
using ScoreHub.Host.Core.Events;
using ScoreHub.Host.Core.Leads;
using ScoreHub.Host.Core.Workspaces;
using ScoreHub.Host.Features.Workspaces;
using ScoreHub.Host.Infrastructure;
using ScoreHub.Host.Storage;
using ScoreHub.Sdk;

namespace ScoreHub.Host.Features.Events;

internal static partial class EventEndpoints
{
    public const long MaxBatchBytes = 1_048_576;

    /// <summary>The source name events posted to the canonical API are deduplicated under.</summary>
    public const string ApiSource = "api";

    public static IEndpointRouteBuilder MapEvents(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/events", async (
            HttpContext http, IMediator mediator, IValidator<IngestEvents> validator, CancellationToken ct) =>
        {
            using var body = await ReadBatchAsync(http, ct);
            var (signals, indices, errors) = EventBatchParser.Parse(body.RootElement);
            var command = new IngestEvents(Caller.From(http.User), ApiSource, signals);
            if (errors.Count > 0)
            {
                // Report shape and semantic errors together, so a client fixes its batch in one round trip.
                if (signals.Count > 0)
                {
                    AddSemanticErrors(await validator.ValidateAsync(command, ct), indices, errors);
                }

                throw new RequestValidationException(errors, "The batch was rejected; nothing was stored.");
            }

            var result = await mediator.Send(command, ct);
            return TypedResults.Ok(result);
        })
        .RequireAuthorization(Policies.Ingest)
        .RequireRateLimiting(Overload.IngestPolicy)
        .WithTags("Events")
        .Accepts<JsonElement>("application/json")
        .Produces<IngestResult>()
        .ProducesValidationProblem();

        return app;
    }

    /// <summary>The posted batch; a bare array's invalid text is named <c>events[i]...</c> like every other batch error.</summary>
    private static async Task<JsonDocument> ReadBatchAsync(HttpContext http, CancellationToken ct)
    {
        try
        {
            return await RequestBody.ReadJsonAsync(http, MaxBatchBytes, ct);
        }
        catch (RequestValidationException e)
        {
            throw new RequestValidationException(
                e.Errors.ToDictionary(
                    kv => kv.Key.StartsWith('[') ? "events" + kv.Key : kv.Key,
                    kv => kv.Key.StartsWith('[') ? [.. kv.Value.Select(m => m.Replace($"'{kv.Key}'", $"'events{kv.Key}'", StringComparison.Ordinal))] : kv.Value),
                "The batch was rejected; nothing was stored.");
        }
    }

    /// <summary>
    /// Adds the validator's errors, renaming <c>events[i]</c> (an index among the shape-valid signals) to the
    /// index of that item in the posted batch.
    /// </summary>
    private static void AddSemanticErrors(ValidationResult result, List<int> indices, Dictionary<string, string[]> errors)
    {
        foreach (var group in result.Errors.GroupBy(e => e.PropertyName, StringComparer.Ordinal))
        {
            var match = ItemPath().Match(group.Key);
            var name = match.Success
                ? $"events[{indices[int.Parse(match.Groups[1].ValueSpan, CultureInfo.InvariantCulture)]}]{group.Key[match.Length..]}"
                : group.Key;
            errors[name] = [.. errors.GetValueOrDefault(name, []), .. group.Select(e => e.ErrorMessage)];
        }
    }

    [GeneratedRegex(@"^events\[(\d+)\]")]
    private static partial Regex ItemPath();
}
