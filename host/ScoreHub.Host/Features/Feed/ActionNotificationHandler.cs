using Mediator;
using ScoreHub.Host.Features.Actions;

namespace ScoreHub.Host.Features.Feed;

/// <summary>An action plugin's in-app notification (the alerts plugin's <c>feed</c> channel) onto the workspace's live feed.</summary>
internal sealed class ActionNotificationHandler(FeedNotifications notifications) : INotificationHandler<ActionNotification>
{
    public ValueTask Handle(ActionNotification notification, CancellationToken cancellationToken)
    {
        var n = notification.Notification;
        notifications.Publish(notification.WorkspaceId, n.Title, n.Message, n.Level, n.LeadId);
        return ValueTask.CompletedTask;
    }
}
