using System.Security.Cryptography;
using System.Text;
using LiteDB;
using ScoreHub.Host.Core.Leads;
using ScoreHub.Host.Core.Scoring;
using ScoreHub.Host.Storage;
using ScoreHub.Sdk;

namespace ScoreHub.Host.Core.Actions;

/// <summary>One action to perform for one transition: recorded before it is attempted, kept after.</summary>
internal sealed class Delivery
{
    public required string Id { get; init; }
    public required string WorkspaceId { get; init; }
    public required string TriggerId { get; init; }
    public required int ActionIndex { get; init; }
    public required string Plugin { get; init; }
    public required string Parameters { get; init; }
    public required LeadKind Kind { get; init; }
    public required string RecordId { get; init; }
    public required string ScoreId { get; init; }
    public required string ScoreName { get; init; }
    public double? FromValue { get; init; }
    public required double ToValue { get; init; }
    public string? FromLabel { get; init; }
    public string? ToLabel { get; init; }
    public required string Cause { get; init; }
    public required DateTimeOffset At { get; init; }
    public required string IdempotencyKey { get; init; }
    public required long Sequence { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public string Status { get; set; } = DeliveryStatus.Pending;
    public int Attempts { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>The delivery of a trigger's action <paramref name="actionIndex"/> for one transition, not yet attempted.</summary>
    public static Delivery For(ScoreChanged change, Trigger trigger, int actionIndex, long sequence, DateTimeOffset now)
    {
        var key = Outbox.IdempotencyKey(change.WorkspaceId, trigger.Id, actionIndex, change);
        return new Delivery
        {
            Id = key,
            IdempotencyKey = key,
            WorkspaceId = change.WorkspaceId,
            TriggerId = trigger.Id,
            ActionIndex = actionIndex,
            Plugin = trigger.Actions[actionIndex].Plugin,
            Parameters = trigger.Actions[actionIndex].Parameters.GetRawText(),
            Kind = change.Kind,
            RecordId = change.RecordId,
            ScoreId = change.ScoreId,
            ScoreName = change.ScoreName,
            FromValue = change.FromValue,
            ToValue = change.ToValue,
            FromLabel = change.FromLabel,
            ToLabel = change.ToLabel,
            Cause = change.Cause,
            At = change.At,
            Sequence = sequence,
            CreatedAt = now,
        };
    }
}

internal static class DeliveryStatus
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    public const string Failed = "failed";
}

/// <summary>
/// The durable outbox of actions, in the ledger's LiteDB file. A delivery is inserted (committed) before anything
/// attempts it and updated after every attempt, so a crash loses no intent; a repeat after a crash carries the same
/// idempotency key, which receivers use to absorb it.
/// </summary>
internal sealed class Outbox
{
    /// <summary>The record id of a delivery whose contact was erased.</summary>
    public const string ErasedRecord = "erased";

    private readonly ILiteCollection<BsonDocument> _deliveries;
    private readonly Lock _gate = new();

    // Contacts erased since start whose deliveries may still be in the dispatcher's queue (ids only; random).
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Workspace, string Record), byte> _erased = new();

    public Outbox(Database db)
    {
        _deliveries = db.Lite.GetCollection("deliveries");
        _deliveries.EnsureIndex("ws");
        _deliveries.EnsureIndex("status");
    }

    private ILiteCollection<BsonDocument> Collection => _deliveries;

    /// <summary>Stable across retries and restarts: the same (trigger, action, record, transition) gives the same key.</summary>
    public static string IdempotencyKey(string workspaceId, string triggerId, int actionIndex, ScoreChanged change)
    {
        var text = string.Join('\n', workspaceId, triggerId, actionIndex, change.RecordId, change.ScoreId,
            change.At.UtcTicks, change.FromValue, change.ToValue, change.FromLabel, change.ToLabel);
        return "act_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32];
    }

    /// <summary>Records new deliveries; ones whose idempotency key is already recorded are skipped.</summary>
    public IReadOnlyList<Delivery> Record(IReadOnlyList<Delivery> deliveries)
    {
        var fresh = deliveries.Where(d => Collection.FindById(d.Id) is null).ToList();
        if (fresh.Count > 0)
        {
            Collection.InsertBulk(fresh.Select(ToDocument));
        }

        return fresh;
    }

    /// <summary>Writes an attempt's outcome back, unless the delivery's contact was erased meanwhile.</summary>
    public void Update(Delivery delivery)
    {
        // Under the gate: an attempt in flight must not write the contact's id back over a redaction.
        lock (_gate)
        {
            if (delivery.Kind == LeadKind.Contact && _erased.ContainsKey((delivery.WorkspaceId, delivery.RecordId)))
            {
                return;
            }

            Collection.Update(ToDocument(delivery));
        }
    }

    /// <summary>
    /// Redacts every delivery of erased contacts: the record id becomes <see cref="ErasedRecord"/> and the last error a
    /// fixed text (a plugin's message may quote the contact); pending ones become failed, so they are never sent.
    /// Kept rather than deleted so sequence numbers (round-robin) stay monotonic across restarts. Runs inside the
    /// erasure's ledger transaction.
    /// </summary>
    public int Redact(string workspaceId, IReadOnlySet<string> contactIds)
    {
        lock (_gate)
        {
            foreach (var id in contactIds)
            {
                _erased[(workspaceId, id)] = 0;
            }

            var redacted = 0;
            foreach (var doc in Collection.Find(Query.EQ("ws", workspaceId))
                .Where(d => d["kind"].AsString == nameof(LeadKind.Contact) && contactIds.Contains(d["record"].AsString)).ToList())
            {
                doc["record"] = ErasedRecord;
                doc["error"] = "The contact was erased.";
                if (doc["status"].AsString == DeliveryStatus.Pending)
                {
                    doc["status"] = DeliveryStatus.Failed;
                }

                Collection.Update(doc);
                redacted++;
            }

            return redacted;
        }
    }

    public Delivery? Find(string workspaceId, string id) =>
        Collection.FindById(id) is { } doc && doc["ws"].AsString == workspaceId ? FromDocument(doc) : null;

    public IReadOnlyList<Delivery> Pending() => [.. Collection.Find(Query.EQ("status", DeliveryStatus.Pending)).Select(FromDocument)];

    public IReadOnlyList<Delivery> List(string workspaceId, string? status, string? triggerId, int limit, int offset) =>
        [.. Collection.Find(Query.EQ("ws", workspaceId)).Select(FromDocument)
            .Where(d => (status is null || d.Status == status) && (triggerId is null || d.TriggerId == triggerId))
            .OrderByDescending(d => d.CreatedAt).ThenBy(d => d.Id, StringComparer.Ordinal)
            .Skip(offset).Take(limit)];

    /// <summary>For sequences and cool-downs at start: the highest sequence per trigger and the last firing per record.</summary>
    public IEnumerable<Delivery> All() => Collection.FindAll().Select(FromDocument);

    private static BsonDocument ToDocument(Delivery d) => new()
    {
        ["_id"] = d.Id,
        ["ws"] = d.WorkspaceId,
        ["trigger"] = d.TriggerId,
        ["action"] = d.ActionIndex,
        ["plugin"] = d.Plugin,
        ["params"] = d.Parameters,
        ["kind"] = d.Kind.ToString(),
        ["record"] = d.RecordId,
        ["score"] = d.ScoreId,
        ["scoreName"] = d.ScoreName,
        ["from"] = d.FromValue is { } from ? new BsonValue(from) : BsonValue.Null,
        ["to"] = d.ToValue,
        ["fromLabel"] = d.FromLabel,
        ["toLabel"] = d.ToLabel,
        ["cause"] = d.Cause,
        ["at"] = Bson.Ticks(d.At),
        ["key"] = d.IdempotencyKey,
        ["seq"] = d.Sequence,
        ["created"] = Bson.Ticks(d.CreatedAt),
        ["status"] = d.Status,
        ["attempts"] = d.Attempts,
        ["error"] = d.LastError,
        ["completed"] = d.CompletedAt is { } done ? Bson.Ticks(done) : BsonValue.Null,
    };

    private static Delivery FromDocument(BsonDocument doc) => new()
    {
        Id = doc["_id"].AsString,
        WorkspaceId = doc["ws"].AsString,
        TriggerId = doc["trigger"].AsString,
        ActionIndex = doc["action"].AsInt32,
        Plugin = doc["plugin"].AsString,
        Parameters = doc["params"].AsString,
        Kind = Enum.Parse<LeadKind>(doc["kind"].AsString),
        RecordId = doc["record"].AsString,
        ScoreId = doc["score"].AsString,
        ScoreName = doc["scoreName"].AsString,
        FromValue = doc["from"].IsNull ? null : doc["from"].AsDouble,
        ToValue = doc["to"].AsDouble,
        FromLabel = doc["fromLabel"].IsNull ? null : doc["fromLabel"].AsString,
        ToLabel = doc["toLabel"].IsNull ? null : doc["toLabel"].AsString,
        Cause = doc["cause"].AsString,
        At = Bson.At(doc["at"]),
        IdempotencyKey = doc["key"].AsString,
        Sequence = doc["seq"].AsInt64,
        CreatedAt = Bson.At(doc["created"]),
        Status = doc["status"].AsString,
        Attempts = doc["attempts"].AsInt32,
        LastError = doc["error"].IsNull ? null : doc["error"].AsString,
        CompletedAt = doc["completed"].IsNull ? null : Bson.At(doc["completed"]),
    };
}
