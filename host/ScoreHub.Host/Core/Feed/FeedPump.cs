using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using ScoreHub.Host.Core.Leads;
using ScoreHub.Host.Core.Scoring;
using ScoreHub.Host.Storage;
using ScoreHub.Sdk;

namespace ScoreHub.Host.Core.Feed;

/// <summary>
/// Moves score changes from the scoring thread to the reps' connections. <see cref="Record"/> runs on the ledger
/// writer's thread before writes are acknowledged, so it only folds the change into its workspace's pending map
/// (latest state per score and lead) and signals; the pump's own loop reads the display fields, hands each
/// connection of the workspace its share and goes on. Sends never run on the caller's thread and are never awaited
/// by the pump (see <see cref="FeedSubscriber"/>).
/// </summary>
internal sealed class FeedPump(Ledger ledger, IOptions<FeedOptions> options, ILogger<FeedPump> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<string, Pending> _pending = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, FeedSubscriber>> _subscribers = new(StringComparer.Ordinal);
    private readonly Channel<string> _dirty = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

    public static string GroupName(string workspaceId) => "ws:" + workspaceId;

    public void Subscribe(string workspaceId, string connectionId, Func<string, object, Task> send, Action abort) =>
        _subscribers.GetOrAdd(workspaceId, _ => new(StringComparer.Ordinal))[connectionId] =
            new FeedSubscriber(connectionId, workspaceId, send, abort, options.Value, logger);

    public void Unsubscribe(string workspaceId, string connectionId)
    {
        if (_subscribers.TryGetValue(workspaceId, out var connections))
        {
            connections.TryRemove(connectionId, out _);
        }
    }

    public bool IsSubscribed(string workspaceId, string connectionId) =>
        _subscribers.TryGetValue(workspaceId, out var c) && c.ContainsKey(connectionId);

    public int ConnectionCount(string workspaceId) => _subscribers.TryGetValue(workspaceId, out var c) ? c.Count : 0;

    /// <summary>Called on the scoring thread: O(1), no I/O, no waiting. Contact scores only: the feed is about leads.</summary>
    public void Record(ScoreChanged change)
    {
        if (change.Kind != LeadKind.Contact || ConnectionCount(change.WorkspaceId) == 0)
        {
            return; // nobody watching; a client that connects later loads the current state over REST
        }

        var pending = _pending.GetOrAdd(change.WorkspaceId, _ => new Pending());
        bool signal;
        lock (pending.Lock)
        {
            if (pending.Changes.TryGetValue((change.ScoreId, change.RecordId), out var existing))
            {
                existing.Absorb(PendingChange.From(change));
            }
            else
            {
                pending.Changes[(change.ScoreId, change.RecordId)] = PendingChange.From(change);
            }

            signal = Signal(pending);
        }

        if (signal)
        {
            _dirty.Writer.TryWrite(change.WorkspaceId);
        }
    }

    /// <summary>Queues an in-app notification for every connection of the workspace.</summary>
    public void Notify(string workspaceId, FeedNotification notification)
    {
        if (ConnectionCount(workspaceId) == 0)
        {
            return;
        }

        var pending = _pending.GetOrAdd(workspaceId, _ => new Pending());
        bool signal;
        lock (pending.Lock)
        {
            pending.Notes.Add(notification);
            if (pending.Notes.Count > options.Value.MaxPendingNotifications)
            {
                pending.Notes.RemoveAt(0);
            }

            signal = Signal(pending);
        }

        if (signal)
        {
            _dirty.Writer.TryWrite(workspaceId);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = _dirty.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                while (reader.TryRead(out var workspaceId))
                {
                    try
                    {
                        Flush(workspaceId);
                    }
                    catch (Exception ex)
                    {
                        logger.LogError(ex, "Feed flush failed for {Workspace}", workspaceId);
                    }
                }

                // The coalescing window. Wall-clock pacing, deliberately not the injected (possibly fake) domain clock.
                var interval = options.Value.FlushInterval;
                if (interval > TimeSpan.Zero)
                {
                    await Task.Delay(interval, TimeProvider.System, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private void Flush(string workspaceId)
    {
        if (!_pending.TryGetValue(workspaceId, out var pending))
        {
            return;
        }

        List<PendingChange> changes;
        List<FeedNotification> notes;
        lock (pending.Lock)
        {
            changes = [.. pending.Changes.Values];
            notes = pending.Notes;
            pending.Changes.Clear();
            pending.Notes = [];
            pending.Signalled = false;
        }

        if (!_subscribers.TryGetValue(workspaceId, out var connections) || connections.IsEmpty)
        {
            return;
        }

        var data = ledger.Find(workspaceId);
        foreach (var change in changes)
        {
            change.Card = LeadCard.From(data, change.ContactId);
        }

        foreach (var subscriber in connections.Values)
        {
            subscriber.Enqueue(changes, notes);
        }
    }

    private static bool Signal(Pending pending)
    {
        if (pending.Signalled)
        {
            return false;
        }

        pending.Signalled = true;
        return true;
    }

    private sealed class Pending
    {
        public Lock Lock { get; } = new();
        public Dictionary<(string Score, string Contact), PendingChange> Changes { get; } = [];
        public List<FeedNotification> Notes { get; set; } = [];
        public bool Signalled { get; set; }
    }
}
