using ScoreHub.Plugins.Shared;
using ScoreHub.Sdk;

namespace ScoreHub.Plugins.Alerts;

/// <summary>A toast on the workspace's live feed; the host delivers it.</summary>
internal static class FeedChannel
{
    public static ActionOutcome Notify(ActionRequest request)
    {
        var level = request.Parameters.GetString(AlertsOptions.Level) ?? AlertText.Direction(request.Transition);
        if (!AlertsOptions.Levels.Contains(level, StringComparer.Ordinal))
        {
            return ParameterErrors.Parameter(AlertsOptions.Level, $"must be one of {string.Join(", ", AlertsOptions.Levels.Select(l => $"'{l}'"))}.");
        }

        return ActionOutcome.Notify(new FeedNotification
        {
            Title = AlertText.Headline(request.Lead, request.Transition),
            Message = AlertText.FeedMessage(request.Transition),
            Level = level,
            LeadId = request.Lead.Id,
        });
    }
}
