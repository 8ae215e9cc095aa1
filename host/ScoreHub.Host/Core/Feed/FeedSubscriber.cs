namespace ScoreHub.Host.Core.Feed;

/// <summary>
/// One hub connection's outbox. At most one send is in flight per connection; whatever arrives meanwhile is
/// coalesced here per (score, lead), so a slow client costs one map of its workspace's changed leads (plus SignalR's
/// transport buffer), never a growing queue, and never delays anyone else. A connection whose send has not
/// completed within the stall timeout is aborted: its client reconnects and reloads.
/// </summary>
internal sealed class FeedSubscriber(
    string connectionId, string workspaceId, Func<string, object, Task> send, Action abort, FeedOptions options, ILogger logger)
{
    private readonly Lock _lock = new();
    private Dictionary<(string Score, string Contact), PendingChange> _changes = [];
    private List<FeedNotification> _notes = [];
    private bool _sending;
    private long _sendingSince;
    private bool _aborted;

    public string ConnectionId { get; } = connectionId;
    public string WorkspaceId { get; } = workspaceId;

    /// <summary>Adds a flush's changes and notifications and starts a send if none is in flight. Never blocks.</summary>
    public void Enqueue(IReadOnlyCollection<PendingChange> changes, IReadOnlyList<FeedNotification> notes)
    {
        Batch? batch;
        var abortNow = false;
        lock (_lock)
        {
            if (_aborted)
            {
                return;
            }

            foreach (var change in changes)
            {
                if (_changes.TryGetValue((change.ScoreId, change.ContactId), out var existing))
                {
                    existing.Absorb(change);
                }
                else
                {
                    _changes[(change.ScoreId, change.ContactId)] = change.Copy();
                }
            }

            _notes.AddRange(notes);
            if (_notes.Count > options.MaxPendingNotifications)
            {
                _notes.RemoveRange(0, _notes.Count - options.MaxPendingNotifications);
            }

            if (_sending)
            {
                abortNow = _aborted = TimeProvider.System.GetElapsedTime(_sendingSince) > options.StallTimeout;
                batch = null;
            }
            else
            {
                batch = TakeLocked();
            }
        }

        if (abortNow)
        {
            logger.LogWarning("Feed connection {Connection} stalled for more than {Timeout}; closing it", ConnectionId, options.StallTimeout);
            abort();
        }
        else if (batch is not null)
        {
            _ = SendLoopAsync(batch);
        }
    }

    private Batch? TakeLocked()
    {
        if (_changes.Count == 0 && _notes.Count == 0)
        {
            _sending = false;
            return null;
        }

        var batch = new Batch(_changes, _notes);
        _changes = [];
        _notes = [];
        _sending = true;
        // Pacing and stall detection are wall-clock I/O behaviour, not domain time: the fake clock of tests must not freeze them.
        _sendingSince = TimeProvider.System.GetTimestamp();
        return batch;
    }

    private async Task SendLoopAsync(Batch? batch)
    {
        while (batch is not null)
        {
            try
            {
                // New scores first, then label transitions (a client shows the lead before it toasts it), then notifications.
                foreach (var change in batch.Changes.Values)
                {
                    await send(FeedMethods.ScoreChanged, change.ToScoreMessage());
                }

                foreach (var change in batch.Changes.Values)
                {
                    if (change.ToLabelMessage() is { } label)
                    {
                        await send(FeedMethods.LabelChanged, label);
                    }
                }

                foreach (var note in batch.Notes)
                {
                    await send(FeedMethods.Notification, note);
                }
            }
            catch (Exception ex)
            {
                // The connection is going away; SignalR reports that through OnDisconnectedAsync.
                logger.LogDebug(ex, "Feed send to {Connection} failed", ConnectionId);
            }

            lock (_lock)
            {
                batch = _aborted ? null : TakeLocked();
            }
        }
    }

    private sealed record Batch(Dictionary<(string Score, string Contact), PendingChange> Changes, List<FeedNotification> Notes);
}
