using ScoreHub.Host.Core.Actions;
using ScoreHub.Host.Core.Feed;
using ScoreHub.Host.Core.Leads;
using ScoreHub.Host.Core.Scoring;
using ScoreHub.Host.Storage;

namespace ScoreHub.Host.Core;

/// <summary>
/// What follows a ledger commit, in order, on the ledger writer's thread. Nothing here awaits: every step either
/// computes in memory or hands off to a loop of its own.
/// </summary>
/// <remarks>
/// The order is the contract: a client that reads right after its write is acknowledged sees the scores it caused,
/// and a trigger's delivery is on disk before the write that fired it is acknowledged, so a crash loses no action.
/// </remarks>
internal sealed class CommitPipeline(ScoreEngine scores, Database store, ILogger<CommitPipeline> logger)
{
    /// <summary>Runs after the ledger committed <paramref name="changes"/> and acknowledges the writes.</summary>
    public void Run(IReadOnlyList<LedgerChanged> changes, Action acknowledge)
    {
        // Before the acknowledgement:
        // 1. Scores: every published score of the workspace re-evaluates the leads the commit changed; each change
        //    goes through ScoreChangeFanOut below (history, triggers, feed), in that order.
        foreach (var change in changes)
        {
            try
            {
                scores.Reevaluate(change);
            }
            catch (Exception ex)
            {
                // The data is committed: a scoring failure must neither stop the writer nor withhold the answers.
                logger.LogError(ex, "Re-scoring after a commit in {Workspace} failed", change.WorkspaceId);
            }
        }

        // 2. Durable: the commit's pages and the outbox records step 1 wrote are on the device.
        store.WaitUntilDurable();

        // 3. The writers get their answers.
        acknowledge();

        // After the acknowledgement, on their own loops: ScoreHistoryStore writes the history, ActionDelivery performs
        // the deliveries, FeedPump sends the changes to the reps' connections.
    }
}

/// <summary>
/// Every score change, whatever caused it (a commit, time passing, a publish, a restart), in this order. Runs on the
/// evaluating thread under the score's lock: each step is O(1) or a small durable write, and never calls a plugin.
/// </summary>
internal sealed class ScoreChangeFanOut(ScoreHistoryStore history, TriggerMatcher triggers, FeedPump feed, ILogger<ScoreChangeFanOut> logger)
    : IScoreChangeSink
{
    public void ScoreChanged(ScoreChanged change)
    {
        try
        {
            // 1. Score history: queued; written to scores.db in batches by its own loop.
            history.Enqueue(change);

            // 2. Triggers: matched; their deliveries recorded in the outbox (the ledger's file) and queued.
            triggers.Fire(change);

            // 3. Feed hand-off: folded into the workspace's pending changes; the pump sends them on its own loop.
            feed.Record(change);
        }
        catch (Exception ex)
        {
            // The score itself is already updated; a failing consumer must not fail scoring or the commit.
            logger.LogError(ex, "Handing on a change of score {Score} in {Workspace} failed", change.ScoreId, change.WorkspaceId);
        }
    }
}
