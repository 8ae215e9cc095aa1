using System.Threading.Channels;
using LiteDB;
using Microsoft.Extensions.Options;
using ScoreHub.Host.Core.Leads;
using ScoreHub.Host.Storage;

namespace ScoreHub.Host.Core.Scoring;

/// <summary>The last known score of one record, kept so a restart reports only real changes.</summary>
internal sealed record ScoreState(double Value, string? Label, bool Included);

/// <summary>
/// Persists every score change (history) and each record's latest score (state) in their own LiteDB file,
/// <c>scores.db</c>, beside the ledger. Scores are derived data - deleting the file loses the history but no score -
/// so they stay out of the ledger's file and its writer: a publish that changes 100,000 records never delays
/// an ingest commit. Changes are queued by <see cref="Enqueue"/> (which must not block the ledger writer's
/// thread) and written in batches by a background loop.
/// </summary>
internal sealed class ScoreHistoryStore : BackgroundService
{
    private const int MaxBatch = 5_000;
    private readonly Channel<object> _queue = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
    private readonly LiteFile _file;
    private readonly ILogger<ScoreHistoryStore> _logger;

    public ScoreHistoryStore(IOptions<ScoreHubOptions> options, ILogger<ScoreHistoryStore> logger)
    {
        _logger = logger;
        var path = Path.Combine(Path.GetFullPath(options.Value.DataDirectory), "scores.db");
        _file = new LiteFile(path);
        History.EnsureIndex("k");
        State.EnsureIndex("s");
    }

    private ILiteCollection<BsonDocument> History => _file.Lite.GetCollection("history", BsonAutoId.Int64);

    private ILiteCollection<BsonDocument> State => _file.Lite.GetCollection("state");

    /// <summary>Queues a change for the background writer: O(1), never blocks (the <c>CommitPipeline</c> calls it).</summary>
    public void Enqueue(ScoreChanged change) => _queue.Writer.TryWrite(change);

    /// <summary>Completes when everything queued before the call is written (reads call it for read-your-writes).</summary>
    public async Task FlushAsync(CancellationToken ct)
    {
        var barrier = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite(barrier))
        {
            return;
        }

        await barrier.Task.WaitAsync(ct);
    }

    /// <summary>Every change of one record's score, oldest first.</summary>
    public async Task<IReadOnlyList<ScoreHistoryEntry>> ReadAsync(string workspaceId, string scoreId, string recordId, CancellationToken ct)
    {
        await FlushAsync(ct);
        return [.. History.Find(Query.EQ("k", RecordKey(workspaceId, scoreId, recordId)))
            .OrderBy(d => d["_id"].AsInt64)
            .Select(d => new ScoreHistoryEntry(
                Bson.At(d["at"]), d["ov"].IsNull ? null : d["ov"].AsDouble, d["nv"].AsDouble,
                NullableString(d["ol"]), NullableString(d["nl"]), d["c"].AsString))];
    }

    /// <summary>The last persisted score of every record of a score: the baseline a restored score compares against.</summary>
    public Dictionary<string, ScoreState> LoadState(string workspaceId, string scoreId) =>
        State.Find(Query.EQ("s", ScoreKey(workspaceId, scoreId)))
            .ToDictionary(d => d["r"].AsString, d => new ScoreState(d["v"].AsDouble, NullableString(d["l"]), d["i"].AsBoolean), StringComparer.Ordinal);

    /// <summary>Forgets a deleted score's history and state.</summary>
    public async Task DeleteAsync(string workspaceId, string scoreId, CancellationToken ct)
    {
        await FlushAsync(ct);
        var prefix = RecordKey(workspaceId, scoreId, "");
        History.DeleteMany(Query.StartsWith("k", prefix));
        State.DeleteMany(Query.EQ("s", ScoreKey(workspaceId, scoreId)));
    }

    /// <summary>
    /// Forgets every score's history and last state of erased records, after writing what is queued (so a change
    /// queued before the erasure cannot land after it).
    /// </summary>
    public async Task EraseAsync(string workspaceId, IReadOnlySet<string> recordIds, CancellationToken ct)
    {
        await FlushAsync(ct);
        Erase(workspaceId, recordIds);
    }

    /// <summary>As <see cref="EraseAsync"/>, without the flush: at start, before anything is queued.</summary>
    public void Erase(string workspaceId, IReadOnlySet<string> recordIds)
    {
        // Keys are "{workspace}/{score}/{record}"; workspace and score ids hold no '/', a record id may.
        bool Erased(BsonValue key) => recordIds.Contains(key.AsString.Split('/', 3)[2]);
        var prefix = workspaceId + "/";
        _file.Lite.BeginTrans();
        try
        {
            foreach (var id in History.Find(Query.StartsWith("k", prefix)).Where(d => Erased(d["k"])).Select(d => d["_id"]).ToList())
            {
                History.Delete(id);
            }

            foreach (var id in State.Find(Query.StartsWith("_id", prefix)).Where(d => Erased(d["_id"])).Select(d => d["_id"]).ToList())
            {
                State.Delete(id);
            }

            _file.Commit();
            _file.WaitUntilDurable();
        }
        catch
        {
            _file.Lite.Rollback();
            throw;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Runs until the queue is completed by StopAsync, so a graceful stop writes every queued change.
        var batch = new List<object>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync(CancellationToken.None))
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            Write(batch);
            batch.Clear();
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        if (ExecuteTask is { } running)
        {
            await running.WaitAsync(cancellationToken);
        }
    }

    private void Write(List<object> batch)
    {
        var changes = batch.OfType<ScoreChanged>().ToList();
        if (changes.Count > 0)
        {
            try
            {
                _file.Lite.BeginTrans();
                History.InsertBulk(changes.Select(ToHistory));
                foreach (var latest in changes.GroupBy(c => (c.WorkspaceId, c.ScoreId, c.RecordId)).Select(g => g.Last()))
                {
                    State.Upsert(ToState(latest));
                }

                _file.Commit();
                _file.WaitUntilDurable();
            }
            catch (Exception ex) when (ex is LiteException or IOException)
            {
                _file.Lite.Rollback();
                _logger.LogError(ex, "Could not persist {Count} score changes; the scores are unaffected", changes.Count);
            }
        }

        foreach (var barrier in batch.OfType<TaskCompletionSource>())
        {
            barrier.TrySetResult();
        }
    }

    private static BsonDocument ToHistory(ScoreChanged c) => new()
    {
        ["k"] = RecordKey(c.WorkspaceId, c.ScoreId, c.RecordId),
        ["at"] = Bson.Ticks(c.At),
        ["ov"] = c.FromValue is { } from ? new BsonValue(from) : BsonValue.Null,
        ["nv"] = c.ToValue,
        ["ol"] = c.FromLabel,
        ["nl"] = c.ToLabel,
        ["c"] = c.Cause,
    };

    private static BsonDocument ToState(ScoreChanged c) => new()
    {
        ["_id"] = RecordKey(c.WorkspaceId, c.ScoreId, c.RecordId),
        ["s"] = ScoreKey(c.WorkspaceId, c.ScoreId),
        ["r"] = c.RecordId,
        ["v"] = c.ToValue,
        ["l"] = c.ToLabel,
        ["i"] = c.Included,
    };

    private static string ScoreKey(string workspaceId, string scoreId) => workspaceId + "/" + scoreId;

    private static string RecordKey(string workspaceId, string scoreId, string recordId) => workspaceId + "/" + scoreId + "/" + recordId;

    private static string? NullableString(BsonValue value) => value.IsNull ? null : value.AsString;

    public override void Dispose()
    {
        _file.Dispose();
        base.Dispose();
    }
}
