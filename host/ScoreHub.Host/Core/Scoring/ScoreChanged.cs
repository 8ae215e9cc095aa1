using ScoreHub.Sdk;

namespace ScoreHub.Host.Core.Scoring;

/// <summary>
/// A record's score changed (value, label or inclusion), with the transition. Fanned out to the history store, the
/// live feed and the actions. <paramref name="RecordId"/> is a contact id, or a company id for company scores.
/// Causes: <c>event</c> (the ledger changed), <c>time</c> (decay, expiry, a window closing), <c>publish</c>
/// (a new model version re-evaluated history), <c>restart</c> (differences found when scores were rebuilt at start).
/// </summary>
internal sealed record ScoreChanged(
    string WorkspaceId, string ScoreId, string ScoreName, LeadKind Kind, string RecordId,
    double? FromValue, double ToValue, string? FromLabel, string? ToLabel, bool Included, DateTimeOffset At, string Cause)
{
    /// <summary>The label changed: e.g. became hot (<c>ToLabel == "hot"</c>) or left hot (<c>FromLabel == "hot"</c>).</summary>
    public bool LabelChanged => !string.Equals(FromLabel, ToLabel, StringComparison.Ordinal);
}

/// <summary>One point in a record's score history.</summary>
internal sealed record ScoreHistoryEntry(DateTimeOffset At, double? OldValue, double NewValue, string? OldLabel, string? NewLabel, string Cause);
