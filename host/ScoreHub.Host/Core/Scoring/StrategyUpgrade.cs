using Mediator;
using ScoreHub.Sdk;
using ScoreHub.Host.Core.Plugins;

namespace ScoreHub.Host.Core.Scoring;

/// <summary>A published score holds an evaluator compiled by its strategy: a new strategy version recompiles it.</summary>
internal sealed class StrategyUpgrade(ScoreModels models, ILogger<StrategyUpgrade> logger) : INotificationHandler<PluginInstalled>
{
    public ValueTask Handle(PluginInstalled notification, CancellationToken cancellationToken)
    {
        if (notification.PreviousVersion is not null && notification.Kinds.HasFlag(PluginKinds.ScoringStrategy))
        {
            models.Recompile(notification.PluginId, logger);
        }

        return ValueTask.CompletedTask;
    }
}
