using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using LiteDB;
using ScoreHub.Host.Core;
using ScoreHub.Host.Core.Leads;
using ScoreHub.Host.Core.Plugins;
using ScoreHub.Host.Storage;
using ScoreHub.Sdk;

namespace ScoreHub.Host.Core.Scoring;

/// <summary>A score model as stored: the draft and every published version.</summary>
internal sealed record ScoreModelDto(
    string Id, string Name, string Strategy, JsonElement Draft, int? PublishedVersion, IReadOnlyList<ScoreVersionDto> Versions);

internal sealed record ScoreVersionDto(int Version, DateTimeOffset PublishedAt, JsonElement Model);

/// <summary>A publication's progress: <c>running</c> while records are re-evaluated, then <c>done</c>.</summary>
internal sealed record PublishResult(
    string Id, int Version, string Status, int Records, int Evaluated, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, double? ElapsedMilliseconds)
{
    public static PublishResult From(string scoreId, Publication p) => new(
        scoreId, p.Version, p.Status, p.Total, p.Evaluated, p.StartedAt, p.FinishedAt,
        p.FinishedAt is { } end ? (end - p.StartedAt).TotalMilliseconds : null);
}

/// <summary>
/// Score models per workspace: drafts validated by their strategy plugin, versions kept on publish, and the
/// published versions restored (re-evaluated from the ledger) at start.
/// </summary>
internal sealed partial class ScoreModels(
    Database db, ScoreEngine engine, ScoreHistoryStore history, PluginCatalog catalog, PluginInvoker invoker, TimeProvider clock,
    ILogger<ScoreModels> logger)
{
    public const string DefaultStrategy = "scorehub.points";

    private ILiteCollection<BsonDocument> Collection => db.Lite.GetCollection("score_models");

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,63}$")]
    private static partial Regex IdPattern();

    public ScoreModelDto SaveDraft(string workspaceId, string scoreId, JsonElement model)
    {
        if (!IdPattern().IsMatch(scoreId))
        {
            throw RequestValidationException.For("id", "A score id is 1-64 lower-case letters, digits, '-' or '_'.");
        }

        if (model.ValueKind != JsonValueKind.Object)
        {
            throw RequestValidationException.For("body", "The score model must be a JSON object.");
        }

        if (model.TryGetProperty("object", out var o) && !(o.ValueKind == JsonValueKind.String && o.GetString() is "contact" or "company"))
        {
            throw RequestValidationException.For("object", "'object' must be 'contact' or 'company'.");
        }

        var strategyId = model.TryGetProperty("strategy", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString()! : DefaultStrategy;
        if (catalog.Find(strategyId)?.Instance is not IScoringStrategy strategy)
        {
            throw RequestValidationException.For("strategy", $"No scoring strategy '{strategyId}' is loaded.");
        }

        var report = invoker.Invoke(workspaceId, strategyId, () => strategy.ValidateModel(model));
        if (!report.Succeeded)
        {
            throw new ConflictException($"Strategy '{strategyId}' failed to validate the model: {report.Error}");
        }

        if (!report.Value!.IsValid)
        {
            throw new RequestValidationException(
                report.Value.Errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()),
                "The score model is invalid; the draft was not saved.");
        }

        var doc = Collection.FindById(Key(workspaceId, scoreId)) ?? new BsonDocument
        {
            ["_id"] = Key(workspaceId, scoreId),
            ["ws"] = workspaceId,
            ["sid"] = scoreId,
            ["versions"] = new BsonArray(),
            ["published"] = BsonValue.Null,
        };
        doc["strategy"] = strategyId;
        doc["draft"] = model.GetRawText();
        Collection.Upsert(doc);
        return ToDto(doc);
    }

    /// <summary>
    /// Publishes the draft as a new version and starts re-evaluating every record; waits up to
    /// <paramref name="wait"/> for that to finish. The result says whether it is done or still running.
    /// </summary>
    public async Task<PublishResult> PublishAsync(string workspaceId, string scoreId, TimeSpan wait, CancellationToken ct)
    {
        var doc = Collection.FindById(Key(workspaceId, scoreId)) ?? throw new NotFoundException($"No score '{scoreId}'.");
        using var model = JsonDocument.Parse(doc["draft"].AsString);
        var kind = ObjectKind(model.RootElement);
        var (evaluator, error) = engine.Compile(workspaceId, doc["strategy"].AsString, model.RootElement);
        if (evaluator is null)
        {
            throw new ConflictException(error!);
        }

        var versions = doc["versions"].AsArray;
        var version = versions.Count + 1;
        versions.Add(new BsonDocument { ["v"] = version, ["at"] = Bson.Ticks(clock.GetUtcNow()), ["model"] = doc["draft"].AsString });
        doc["published"] = version;
        Collection.Upsert(doc);

        var score = new PublishedScore(workspaceId, scoreId, Name(model.RootElement, scoreId), version, doc["strategy"].AsString, kind, evaluator);
        var publication = engine.Publish(score);
        try
        {
            await publication.Completion.WaitAsync(wait, ct);
        }
        catch (TimeoutException)
        {
            // Still running: the caller follows progress at GET /api/v1/scores/{id}/publication.
        }

        return PublishResult.From(scoreId, publication);
    }

    /// <summary>The progress of the score's latest publication, or null when it is not published.</summary>
    public PublishResult? Publication(string workspaceId, string scoreId) =>
        engine.Find(workspaceId, scoreId) is { Publication: { } p } ? PublishResult.From(scoreId, p) : null;

    public IReadOnlyList<ScoreModelDto> List(string workspaceId) =>
        [.. Collection.Find(Query.EQ("ws", workspaceId)).Select(ToDto).OrderBy(d => d.Id, StringComparer.Ordinal)];

    public ScoreModelDto? Find(string workspaceId, string scoreId) =>
        Collection.FindById(Key(workspaceId, scoreId)) is { } doc ? ToDto(doc) : null;

    public async Task<bool> DeleteAsync(string workspaceId, string scoreId, CancellationToken ct)
    {
        engine.Remove(workspaceId, scoreId);
        var deleted = Collection.Delete(Key(workspaceId, scoreId));
        await history.DeleteAsync(workspaceId, scoreId, ct);
        return deleted;
    }

    /// <summary>At start: compile every published version and re-evaluate it against the ledger.</summary>
    public async Task RestorePublishedAsync()
    {
        // Read whole before the first await: a LiteDB cursor belongs to its thread.
        foreach (var doc in Collection.Find(Query.Not("published", BsonValue.Null)).ToList())
        {
            var workspaceId = doc["ws"].AsString;
            var version = doc["published"].AsInt32;
            var json = doc["versions"].AsArray.First(v => v["v"].AsInt32 == version)["model"].AsString;
            using var model = JsonDocument.Parse(json);
            var (evaluator, error) = engine.Compile(workspaceId, doc["strategy"].AsString, model.RootElement);
            if (evaluator is null)
            {
                logger.LogWarning("Score {Score} of {Workspace} not restored: {Error}", doc["sid"].AsString, workspaceId, error);
                continue;
            }

            var scoreId = doc["sid"].AsString;
            var score = new PublishedScore(workspaceId, scoreId, Name(model.RootElement, scoreId), version, doc["strategy"].AsString,
                ObjectKind(model.RootElement), evaluator);
            await engine.Publish(score, "restart", history.LoadState(workspaceId, scoreId)).Completion;
        }
    }

    /// <summary>
    /// After a new version of a strategy plugin is installed: compiles every published model that uses it with the new
    /// version and re-evaluates (records keep their state until re-evaluated, so only real changes are
    /// reported). A model the new version cannot compile keeps its old evaluator, logged: scores are not dropped.
    /// </summary>
    public void OnPluginInstalled(PluginInstalled installed)
    {
        if (installed.PreviousVersion is not null && installed.Kinds.HasFlag(PluginKinds.ScoringStrategy))
        {
            Recompile(installed.PluginId);
        }
    }

    private void Recompile(string strategyId)
    {
        foreach (var doc in Collection.Find(Query.And(Query.Not("published", BsonValue.Null), Query.EQ("strategy", strategyId))))
        {
            var workspaceId = doc["ws"].AsString;
            var scoreId = doc["sid"].AsString;
            var version = doc["published"].AsInt32;
            var json = doc["versions"].AsArray.First(v => v["v"].AsInt32 == version)["model"].AsString;
            using var model = JsonDocument.Parse(json);
            var (evaluator, error) = engine.Compile(workspaceId, strategyId, model.RootElement);
            if (evaluator is null)
            {
                logger.LogWarning("Score {Score} of {Workspace} keeps the previous strategy version: {Error}", scoreId, workspaceId, error);
                continue;
            }

            engine.Publish(new PublishedScore(workspaceId, scoreId, Name(model.RootElement, scoreId), version, strategyId,
                ObjectKind(model.RootElement), evaluator), "plugin-upgrade");
        }
    }

    /// <summary>What the model scores: <c>"object": "contact"</c> (the default) or <c>"company"</c>.</summary>
    private static LeadKind ObjectKind(JsonElement model) =>
        model.TryGetProperty("object", out var o) && o.ValueKind == JsonValueKind.String && o.GetString() == "company"
            ? LeadKind.Company
            : LeadKind.Contact;

    private static string Key(string workspaceId, string scoreId) => workspaceId + "/" + scoreId;

    private static string Name(JsonElement model, string fallback) =>
        model.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : fallback;

    private static ScoreModelDto ToDto(BsonDocument doc)
    {
        using var draft = JsonDocument.Parse(doc["draft"].AsString);
        return new ScoreModelDto(
            doc["sid"].AsString,
            Name(draft.RootElement, doc["sid"].AsString),
            doc["strategy"].AsString,
            draft.RootElement.Clone(),
            doc["published"].IsNull ? null : doc["published"].AsInt32,
            [.. doc["versions"].AsArray.Select(v =>
            {
                using var model = JsonDocument.Parse(v["model"].AsString);
                return new ScoreVersionDto(v["v"].AsInt32, Bson.At(v["at"]), model.RootElement.Clone());
            })]);
    }
}
