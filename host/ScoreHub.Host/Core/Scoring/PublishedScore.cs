using System.Collections.Concurrent;
using ScoreHub.Sdk;

namespace ScoreHub.Host.Core.Scoring;

/// <summary>A published score model, compiled, with the current evaluation of every record (contacts or companies).</summary>
internal sealed class PublishedScore(string workspaceId, string id, string name, int version, string strategyId, LeadKind kind, IScoreEvaluator evaluator)
{
    public string WorkspaceId { get; } = workspaceId;
    public string Id { get; } = id;
    public string Name { get; } = name;
    public int Version { get; } = version;
    public string StrategyId { get; } = strategyId;
    public LeadKind Kind { get; } = kind;
    public IScoreEvaluator Evaluator { get; } = evaluator;
    public ConcurrentDictionary<string, ScoreState> Current { get; private set; } = new(StringComparer.Ordinal);
    public Publication? Publication { get; set; }

    /// <summary>
    /// Set when a newer version took over its states: from then on it must not evaluate (it would write the old
    /// model's results into the newer version's states); its evaluations go to the newer version.
    /// </summary>
    public bool Superseded { get; private set; }

    /// <summary>Starts from persisted states (at start); only before the score is published.</summary>
    public void StartFrom(IEnumerable<KeyValuePair<string, ScoreState>> states) =>
        // Built in one go, without a lock per entry.
        Current = new(states, StringComparer.Ordinal);

    /// <summary>
    /// Starts from the previous version's states by taking its map over rather than copying it (a copy of 100,000
    /// states was a third of a re-publish), and supersedes it. The caller holds the previous version's lock, so no
    /// evaluation of it is running.
    /// </summary>
    public void TakeOver(PublishedScore previous)
    {
        previous.Superseded = true;
        Current = previous.Current;
    }

    /// <summary>Drops the states of ids that are not (or no longer) records of this score.</summary>
    public void KeepOnly(Func<string, bool> isRecord)
    {
        foreach (var (id, _) in Current)
        {
            if (!isRecord(id))
            {
                Current.TryRemove(id, out _);
            }
        }
    }
}
