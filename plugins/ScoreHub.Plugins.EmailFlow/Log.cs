using Microsoft.Extensions.Logging;

namespace ScoreHub.Plugins.EmailFlow;

internal static partial class Log
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Email flow enrolment ({Preset}) for trigger {TriggerId} failed (retryable: {Retryable}): {Reason}")]
    public static partial void LogEnrolmentFailed(this ILogger logger, string preset, string triggerId, string reason, bool retryable);
}
