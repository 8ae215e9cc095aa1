using LiteDB;
using Microsoft.Extensions.Options;
using ScoreHub.Host.Core.Leads;

namespace ScoreHub.Host.Storage;

/// <summary>
/// The one <see cref="LiteDatabase"/> of the process and its collections (<see cref="LiteFile"/>). Never open the
/// same file from a second process (measured: silent loss and corruption).
/// </summary>
internal sealed class Database : IDisposable
{
    private readonly LiteFile _file;

    public Database(IOptions<ScoreHubOptions> options)
    {
        _file = new LiteFile(Path.GetFullPath(options.Value.DatabasePath));
        Lite.Pragma("UTC_DATE", true);
        Workspaces.EnsureIndex("name");
        Keys.EnsureIndex("ws");
        Activations.EnsureIndex("ws");
        Contacts.EnsureIndex("ws");
        Companies.EnsureIndex("ws");
        EventBlocks.EnsureIndex("ws");
    }

    public LiteDatabase Lite => _file.Lite;

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

    /// <summary>Commits the calling thread's transaction; follow with <see cref="WaitUntilDurable"/> before acknowledging.</summary>
    public void Commit() => _file.Commit();

    /// <summary>Blocks until everything committed so far is on the device (one flush for all of it; ADR 0012).</summary>
    public void WaitUntilDurable() => _file.WaitUntilDurable();

    public void Dispose() => _file.Dispose();
}
