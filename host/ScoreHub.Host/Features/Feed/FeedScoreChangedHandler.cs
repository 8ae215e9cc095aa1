using Mediator;
using ScoreHub.Host.Features.Scoring;

namespace ScoreHub.Host.Features.Feed;

/// <summary>Runs on the ledger writer's thread before acknowledgement: only records the change for the pump.</summary>
internal sealed class FeedScoreChangedHandler(FeedPump pump) : INotificationHandler<ScoreChanged>
{
    public ValueTask Handle(ScoreChanged notification, CancellationToken cancellationToken)
    {
        pump.Record(notification);
        return ValueTask.CompletedTask;
    }
}
