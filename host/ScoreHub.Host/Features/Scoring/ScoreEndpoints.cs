using System.Globalization;
using ScoreHub.Host.Features.Contacts;
using ScoreHub.Host.Features.Feed;
using ScoreHub.Host.Features.Workspaces;
using ScoreHub.Host.Infrastructure;
using ScoreHub.Host.Storage;
using ScoreHub.Sdk;

namespace ScoreHub.Host.Features.Scoring;

internal sealed record ScoreValueDto(
    string ScoreId, string Name, int Version, double? Value, string? Label, bool Included,
    double? Engagement, double? Fit, string? EngagementLabel, string? FitLabel,
    DateTimeOffset AsOf, DateTimeOffset? NextChangeAt, IReadOnlyList<GroupBreakdown> Groups);

internal sealed record ScoreRecordDto(
    string ContactId, string? Email, double Value, string? Label, DateTimeOffset? LastTouch, string? Name, string? Company, string? Owner);

internal static class ScoreEndpoints
{
    public static IEndpointRouteBuilder MapScores(this IEndpointRouteBuilder app)
    {
        var scores = app.MapGroup("/api/v1/scores").WithTags("Scores");

        scores.MapPut("/{id}", async (string id, HttpContext http, ScoreModels models, CancellationToken ct) =>
        {
            using var body = await RequestBody.ReadJsonAsync(http, 256 * 1024, ct);
            return TypedResults.Ok(models.SaveDraft(Caller.From(http.User).Workspace, id, body.RootElement));
        }).RequireAuthorization(Policies.Secret);

        // A feed key (sales reps) sees the published scores only: drafts are the marketers' work in progress.
        scores.MapGet("/", (HttpContext http, ScoreModels models) =>
        {
            var caller = Caller.From(http.User);
            var list = models.List(caller.Workspace);
            return TypedResults.Ok(caller.Kind == KeyKind.Feed ? [.. list.Where(s => s.PublishedVersion is not null)] : list);
        }).RequireAuthorization(Policies.Feed);

        scores.MapGet("/{id}", (string id, HttpContext http, ScoreModels models) =>
            TypedResults.Ok(models.Find(Caller.From(http.User).Workspace, id) ?? throw new NotFoundException($"No score '{id}'.")))
            .RequireAuthorization(Policies.Secret);

        scores.MapDelete("/{id}", (string id, HttpContext http, ScoreModels models) =>
            models.Delete(Caller.From(http.User).Workspace, id) ? Results.NoContent() : throw new NotFoundException($"No score '{id}'."))
            .RequireAuthorization(Policies.Secret);

        scores.MapPost("/{id}/publish", (string id, HttpContext http, ScoreModels models) =>
            TypedResults.Ok(models.Publish(Caller.From(http.User).Workspace, id))).RequireAuthorization(Policies.Secret);

        scores.MapGet("/{id}/records", (string id, HttpContext http, ScoreEngine engine, Ledger ledger, string? label, string? sort, int? limit, int? offset) =>
        {
            var workspace = Caller.From(http.User).Workspace;
            var score = engine.Find(workspace, id) ?? throw new NotFoundException($"Score '{id}' is not published.");
            var data = ledger.Find(workspace);
            var rows = score.Current
                .Where(kv => kv.Value.Included && (label is null || string.Equals(kv.Value.Label, label, StringComparison.OrdinalIgnoreCase)))
                .Select(kv => (Contact: data?.Find(kv.Key), kv.Value))
                .Where(r => r.Contact is not null)
                .Select(r => (r.Contact, r.Value, Card: LeadCard.From(data, r.Contact!)))
                .Select(r => new ScoreRecordDto(r.Contact!.Id, r.Contact.Email, r.Value.Value, r.Value.Label, r.Contact.LastTouch, r.Card.Name, r.Card.Company, r.Card.Owner));
            var ordered = sort is "score" ? rows.OrderBy(r => r.Value) : rows.OrderByDescending(r => r.Value);
            return TypedResults.Ok(ordered.ThenBy(r => r.ContactId, StringComparer.Ordinal)
                .Skip(Math.Max(0, offset ?? 0)).Take(Math.Clamp(limit ?? 100, 1, 1000)).ToList());
        }).RequireAuthorization(Policies.Feed);

        var contacts = app.MapGroup("/api/v1/contacts").WithTags("Scores");

        contacts.MapGet("/{id}/scores", (string id, HttpContext http, ScoreEngine engine, Ledger ledger, TimeProvider clock, string? asOf) =>
        {
            var contact = ContactEndpoints.Find(ledger, http, id);
            var at = ParseInstant(asOf) ?? clock.GetUtcNow();
            var workspace = Caller.From(http.User).Workspace;
            return TypedResults.Ok(engine.ForWorkspace(workspace)
                .Select(score => (score, evaluation: engine.EvaluateAt(score, contact, at)))
                .Select(x => ToDto(x.score, x.evaluation, at)).ToList());
        }).RequireAuthorization(Policies.Feed);

        contacts.MapGet("/{id}/scores/{scoreId}/history", (string id, string scoreId, HttpContext http, ScoreEngine engine, Ledger ledger) =>
        {
            var contact = ContactEndpoints.Find(ledger, http, id);
            var score = engine.Find(Caller.From(http.User).Workspace, scoreId) ?? throw new NotFoundException($"Score '{scoreId}' is not published.");
            return TypedResults.Ok(score.History.GetValueOrDefault(contact.Id)?.ToList() ?? []);
        }).RequireAuthorization(Policies.Feed);

        return app;
    }

    private static ScoreValueDto ToDto(PublishedScore score, ScoreEvaluation? e, DateTimeOffset at) => new(
        score.Id, score.Name, score.Version, e?.Included == true ? e.Value : null, e?.Included == true ? e.Label : null, e?.Included ?? false,
        e?.Engagement, e?.Fit, e?.EngagementLabel, e?.FitLabel, at, e?.NextChangeAt, e?.Groups ?? []);

    private static DateTimeOffset? ParseInstant(string? text)
    {
        if (text is null)
        {
            return null;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at.ToUniversalTime()
            : throw RequestValidationException.For("asOf", "'asOf' must be an ISO 8601 instant, e.g. 2026-05-01T09:30:00Z.");
    }
}
