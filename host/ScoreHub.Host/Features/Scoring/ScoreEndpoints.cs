using System.Globalization;
using Mediator;
using ScoreHub.Host.Core;
using ScoreHub.Host.Core.Contacts;
using ScoreHub.Host.Core.Feed;
using ScoreHub.Host.Core.Leads;
using ScoreHub.Host.Core.Scoring;
using ScoreHub.Host.Core.Workspaces;
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

internal sealed record CompanyScoreRecordDto(string CompanyId, string? Name, int Contacts, double Value, string? Label, DateTimeOffset? LastTouch);

internal sealed record CompanyDto(string Id, IReadOnlyDictionary<string, string> Properties, IReadOnlyList<string> ContactIds);

internal static class ScoreEndpoints
{
    public static IEndpointRouteBuilder MapScores(this IEndpointRouteBuilder app)
    {
        var scores = app.MapGroup("/api/v1/scores").WithTags("Scores");

        scores.MapPut("/{id}", async (string id, HttpContext http, IMediator mediator, CancellationToken ct) =>
        {
            using var body = await RequestBody.ReadJsonAsync(http, 256 * 1024, ct);
            return TypedResults.Ok(await mediator.Send(new SaveScoreDraft(Caller.From(http.User), id, body.RootElement), ct));
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

        scores.MapDelete("/{id}", async (string id, HttpContext http, IMediator mediator, CancellationToken ct) =>
            await mediator.Send(new DeleteScore(Caller.From(http.User), id), ct) ? Results.NoContent() : throw new NotFoundException($"No score '{id}'."))
            .RequireAuthorization(Policies.Secret);

        // Waits up to ?wait= seconds (default 10) for the re-evaluation: 200 when done, else 202 with where to follow it.
        scores.MapPost("/{id}/publish", async (string id, HttpContext http, IMediator mediator, double? wait, CancellationToken ct) =>
        {
            var result = await mediator.Send(new PublishScore(Caller.From(http.User), id, TimeSpan.FromSeconds(Math.Clamp(wait ?? 10, 0, 60))), ct);
            return result.Status == "done"
                ? Results.Ok(result)
                : Results.Accepted($"/api/v1/scores/{id}/publication", result);
        }).RequireAuthorization(Policies.Secret);

        scores.MapGet("/{id}/publication", (string id, HttpContext http, ScoreModels models) =>
            TypedResults.Ok(models.Publication(Caller.From(http.User).Workspace, id) ?? throw new NotFoundException($"Score '{id}' is not published.")))
            .RequireAuthorization(Policies.Secret);

        scores.MapGet("/{id}/records", (string id, HttpContext http, ScoreEngine engine, Ledger ledger, string? label, string? sort, int? limit, int? offset) =>
        {
            var workspace = Caller.From(http.User).Workspace;
            var score = engine.Find(workspace, id) ?? throw new NotFoundException($"Score '{id}' is not published.");
            var data = ledger.Find(workspace);
            var matching = score.Current
                .Where(kv => kv.Value.Included && (label is null || string.Equals(kv.Value.Label, label, StringComparison.OrdinalIgnoreCase)));
            var ordered = sort is "score" ? matching.OrderBy(kv => kv.Value.Value) : matching.OrderByDescending(kv => kv.Value.Value);
            var page = ordered.ThenBy(kv => kv.Key, StringComparer.Ordinal)
                .Skip(Math.Max(0, offset ?? 0)).Take(Math.Clamp(limit ?? 100, 1, 1000));
            if (score.Kind == LeadKind.Company)
            {
                return Results.Ok(page
                    .Select(kv => (Company: data?.Companies.GetValueOrDefault(kv.Key), kv.Value))
                    .Where(r => r.Company is not null)
                    .Select(r => new CompanyScoreRecordDto(r.Company!.Id, r.Company.History.ValueAt("name", DateTimeOffset.MaxValue),
                        r.Company.ContactIds.Count, r.Value.Value, r.Value.Label, LastTouch(data!, r.Company)))
                    .ToList());
            }

            return Results.Ok(page
                .Select(kv => (Contact: data?.Find(kv.Key), kv.Value))
                .Where(r => r.Contact is not null)
                .Select(r => (r.Contact, r.Value, Card: LeadCard.From(data, r.Contact!)))
                .Select(r => new ScoreRecordDto(r.Contact!.Id, r.Contact.Email, r.Value.Value, r.Value.Label, r.Contact.LastTouch, r.Card.Name, r.Card.Company, r.Card.Owner))
                .ToList());
        }).RequireAuthorization(Policies.Feed);

        var contacts = app.MapGroup("/api/v1/contacts").WithTags("Scores");

        contacts.MapGet("/{id}/scores", (string id, HttpContext http, ScoreEngine engine, Ledger ledger, TimeProvider clock, string? asOf) =>
        {
            var contact = ContactEndpoints.Find(ledger, http, id);
            return TypedResults.Ok(Scores(engine, http, LeadKind.Contact, ScoreEngine.View(contact), ParseInstant(asOf) ?? clock.GetUtcNow()));
        }).RequireAuthorization(Policies.Feed);

        contacts.MapGet("/{id}/scores/{scoreId}/history", async (string id, string scoreId, HttpContext http, ScoreEngine engine, ScoreHistoryStore history, Ledger ledger, CancellationToken ct) =>
        {
            var contact = ContactEndpoints.Find(ledger, http, id);
            var score = engine.Find(Caller.From(http.User).Workspace, scoreId) ?? throw new NotFoundException($"Score '{scoreId}' is not published.");
            return TypedResults.Ok(await history.ReadAsync(score.WorkspaceId, score.Id, contact.Id, ct));
        }).RequireAuthorization(Policies.Feed);

        var companies = app.MapGroup("/api/v1/companies").WithTags("Companies");

        companies.MapGet("/{id}", (string id, HttpContext http, Ledger ledger) =>
        {
            var company = FindCompany(ledger, http, id);
            return TypedResults.Ok(new CompanyDto(company.Id, company.CurrentProperties(), [.. company.ContactIds.Keys.Order(StringComparer.Ordinal)]));
        }).RequireAuthorization(Policies.Secret);

        companies.MapGet("/{id}/scores", (string id, HttpContext http, ScoreEngine engine, Ledger ledger, TimeProvider clock, string? asOf) =>
        {
            var company = FindCompany(ledger, http, id);
            var lead = ScoreEngine.View(ledger.Find(Caller.From(http.User).Workspace)!, company);
            return TypedResults.Ok(Scores(engine, http, LeadKind.Company, lead, ParseInstant(asOf) ?? clock.GetUtcNow()));
        }).RequireAuthorization(Policies.Feed);

        companies.MapGet("/{id}/scores/{scoreId}/history", async (string id, string scoreId, HttpContext http, ScoreEngine engine, ScoreHistoryStore history, Ledger ledger, CancellationToken ct) =>
        {
            var company = FindCompany(ledger, http, id);
            var score = engine.Find(Caller.From(http.User).Workspace, scoreId) ?? throw new NotFoundException($"Score '{scoreId}' is not published.");
            return TypedResults.Ok(await history.ReadAsync(score.WorkspaceId, score.Id, company.Id, ct));
        }).RequireAuthorization(Policies.Feed);

        return app;
    }

    private static List<ScoreValueDto> Scores(ScoreEngine engine, HttpContext http, LeadKind kind, LeadView lead, DateTimeOffset at) =>
        [.. engine.ForWorkspace(Caller.From(http.User).Workspace)
            .Where(score => score.Kind == kind)
            .Select(score => ToDto(score, engine.EvaluateAt(score, lead, at), at))];

    private static CompanyRecord FindCompany(Ledger ledger, HttpContext http, string id) =>
        ledger.Find(Caller.From(http.User).Workspace)?.Companies.GetValueOrDefault(id)
            ?? throw new NotFoundException($"No company '{id}'.");

    private static DateTimeOffset? LastTouch(WorkspaceData data, CompanyRecord company) =>
        company.ContactIds.Keys.Select(c => data.Find(c)?.LastTouch).Max();

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
