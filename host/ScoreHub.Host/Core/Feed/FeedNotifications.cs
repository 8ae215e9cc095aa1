namespace ScoreHub.Host.Core.Feed;

/// <summary>
/// In-app notifications for the reps watching a workspace's feed (e.g. from the actions feature). Fire and forget:
/// delivered to the connections open now, not stored. Never blocks.
/// </summary>
internal sealed class FeedNotifications(FeedPump pump, TimeProvider clock)
{
    public FeedNotification Publish(string workspaceId, string title, string? text = null, string level = "info", string? contactId = null, string? scoreId = null)
    {
        var notification = new FeedNotification("n_" + Guid.NewGuid().ToString("N"), clock.GetUtcNow(), level, title, text, contactId, scoreId);
        pump.Notify(workspaceId, notification);
        return notification;
    }
}
