namespace ScoreHub.Host.Core.Feed;

/// <summary>
/// The client methods the hub calls. Payloads are camelCase JSON; <c>docs/feed.md</c> shows each shape.
/// </summary>
internal static class FeedMethods
{
    public const string Subscribed = "subscribed";
    public const string ScoreChanged = "scoreChanged";
    public const string LabelChanged = "labelChanged";
    public const string Notification = "notification";
}

/// <summary>
/// The first message on every connection (and again after each reconnect): from now on every change reaches this
/// connection, so this is when to read the current state over REST.
/// </summary>
internal sealed record SubscribedMessage(string WorkspaceId);

/// <summary>
/// A lead's latest score. When several changes were coalesced, <c>FromValue</c>/<c>FromLabel</c> are the values
/// before the first of them and <c>Changes</c> says how many there were.
/// </summary>
internal sealed record ScoreChangedMessage(
    string ScoreId, string ScoreName, string ContactId, string? Name, string? Email, string? Company, string? Owner,
    double Value, string? Label, double? FromValue, string? FromLabel, DateTimeOffset? LastTouch, DateTimeOffset At,
    string Cause, int Changes);

/// <summary>A lead's label differs from the one the client last saw; <c>Kind</c> is becameHot, leftHot or changed.</summary>
internal sealed record LabelChangedMessage(
    string ScoreId, string ScoreName, string ContactId, string? Name, string? Email, string? Company, string? Owner,
    double Value, string? FromLabel, string? ToLabel, string Kind, DateTimeOffset At);

/// <summary>An in-app notification for a workspace's reps (published by other features through <see cref="FeedNotifications"/>).</summary>
internal sealed record FeedNotification(
    string Id, DateTimeOffset At, string Level, string Title, string? Text, string? ContactId, string? ScoreId);

/// <summary>Which labels count as hot for became-hot/left-hot (the cold/warm/hot bands; case-insensitive).</summary>
internal static class HotLabel
{
    public static bool Is(string? label) => string.Equals(label, "hot", StringComparison.OrdinalIgnoreCase);

    public static string Kind(string? from, string? to) =>
        Is(to) && !Is(from) ? "becameHot" : Is(from) && !Is(to) ? "leftHot" : "changed";
}
