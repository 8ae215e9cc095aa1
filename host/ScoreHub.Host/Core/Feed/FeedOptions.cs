namespace ScoreHub.Host.Core.Feed;

/// <summary>The <c>ScoreHub:Feed</c> configuration section: pacing of the live feed.</summary>
internal sealed class FeedOptions
{
    public const string Section = "ScoreHub:Feed";

    /// <summary>
    /// After a flush the pump waits this long before the next one, so a burst on one lead becomes one message
    /// with its latest state. The first change after a quiet period is sent at once.
    /// </summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromMilliseconds(25);

    /// <summary>A connection whose previous send has not completed for this long is closed (it reconnects and reloads).</summary>
    public TimeSpan StallTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Notifications kept per connection while its send is in flight; the oldest are dropped beyond this.</summary>
    public int MaxPendingNotifications { get; set; } = 100;
}
