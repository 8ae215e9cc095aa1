using Microsoft.Extensions.Logging;

namespace ScoreHub.Plugins.Alerts;

internal static partial class Log
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert by {Channel} for trigger {TriggerId} failed (retryable: {Retryable}): {Reason}")]
    public static partial void LogAlertFailed(this ILogger logger, string channel, string triggerId, string reason, bool retryable);
}
