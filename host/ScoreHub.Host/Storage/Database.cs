using System.Reflection;
using LiteDB;
using Microsoft.Extensions.Options;

namespace ScoreHub.Host.Storage;

/// <summary>
/// The one <see cref="LiteDatabase"/> of the process and its collections. Opened in direct mode: never open the
/// same file from a second process (measured: silent loss and corruption).
/// </summary>
internal sealed class Database : IDisposable
{
    private readonly ManualResetEventSlim _logWritten;

    public Database(IOptions<ScoreHubOptions> options)
    {
        var path = Path.GetFullPath(options.Value.DatabasePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        Lite = new LiteDatabase(new ConnectionString { Filename = path, Connection = ConnectionType.Direct });
        _logWritten = LogWrittenSignal(Lite);
        Lite.Pragma("UTC_DATE", true);
        Workspaces.EnsureIndex("name");
        Keys.EnsureIndex("ws");
        Activations.EnsureIndex("ws");
        Contacts.EnsureIndex("ws");
        Companies.EnsureIndex("ws");
        EventBlocks.EnsureIndex("ws");
    }

    public LiteDatabase Lite { get; }

    public ILiteCollection<BsonDocument> Workspaces => Lite.GetCollection("workspaces");
    public ILiteCollection<BsonDocument> Keys => Lite.GetCollection("keys");
    public ILiteCollection<BsonDocument> Activations => Lite.GetCollection("activations");
    public ILiteCollection<BsonDocument> Contacts => Lite.GetCollection("contacts");
    public ILiteCollection<BsonDocument> Companies => Lite.GetCollection("companies");

    /// <summary>Events in packed blocks: one document per workspace per group commit.</summary>
    public ILiteCollection<BsonDocument> EventBlocks => Lite.GetCollection("event_blocks", BsonAutoId.Int64);

    /// <summary>Signals source plugins asked to emit later; <c>_id</c> is <c>workspace/plugin/key</c>.</summary>
    public ILiteCollection<BsonDocument> ScheduledSignals => Lite.GetCollection("scheduled_signals");

    /// <summary>
    /// Erasures whose clean-up outside this file (score history in <c>scores.db</c>) may not be finished; each holds
    /// only ScoreHub's random contact ids and is deleted once the clean-up is done (see <c>ContactErasure</c>).
    /// </summary>
    public ILiteCollection<BsonDocument> Erasures => Lite.GetCollection("erasures");

    /// <summary>
    /// Commits the calling thread's transaction. LiteDB 5.0.20 runs its log writer inline here (it wakes the writer
    /// with a continuation that runs on this thread), so the pages are written and flushed before this returns.
    /// Committing without that inlining was measured 30x faster but made a reopen fail ("ReadFull must read
    /// PAGE_SIZE bytes") in 2 of about 8 full runs, so it is not used (ADR 0012).
    /// </summary>
    public void Commit() => Lite.Commit();

    /// <summary>
    /// Blocks until every page committed so far is written to the log file. LiteDB 5's <c>Commit</c> only queues the
    /// log pages for its writer (ADR 0012): without this wait, an acknowledged write could still be in the process's
    /// memory when it is killed. (Today that writer runs inline in <see cref="Commit"/>, so this returns at once.)
    /// </summary>
    public void WaitUntilDurable() => _logWritten.Wait();

    public void Dispose() => Lite.Dispose();

    /// <summary>
    /// LiteDB 5.0.20's log writer queue signals "every queued page is written" with a private event; nothing public
    /// exposes it. Reached once by reflection and checked at start, so an upgrade that changes it fails loudly.
    /// </summary>
    private static ManualResetEventSlim LogWrittenSignal(LiteDatabase lite)
    {
        const BindingFlags Private = BindingFlags.NonPublic | BindingFlags.Instance;
        var engine = typeof(LiteDatabase).GetField("_engine", Private)?.GetValue(lite);
        var disk = engine?.GetType().GetField("_disk", Private)?.GetValue(engine);
        var lazyQueue = disk?.GetType().GetProperty("Queue")?.GetValue(disk);
        var queue = lazyQueue?.GetType().GetProperty("Value")?.GetValue(lazyQueue);
        return queue?.GetType().GetField("_queueIsEmpty", Private)?.GetValue(queue) as ManualResetEventSlim
            ?? throw new InvalidOperationException(
                "This LiteDB version does not expose its log writer queue as 5.0.20 does; see docs/adr/0012-durable-acknowledgement.md.");
    }
}
