using ScoreHub.Host.Core.Actions;
using ScoreHub.Host.Core.Feed;
using ScoreHub.Host.Core.Leads;
using ScoreHub.Host.Core.Scoring;

namespace ScoreHub.Host.Core.Pipeline;

/// <summary>
/// The ledger's write loop: what happens to queued writes, in order, from the group commit to the answers and
/// beyond. One thread; nothing between the commit and the acknowledgement awaits - every step computes in memory,
/// writes a little, or hands off to a loop of its own.
/// </summary>
/// <remarks>
/// The order is the contract: a client that reads right after its write is acknowledged sees the scores it caused,
/// and a trigger's delivery is on disk before the write that fired it is acknowledged, so a crash loses no action.
/// </remarks>
internal sealed class CommitPipeline(LedgerWriter writer, ILedgerStore store, ScoreEngine scores, ILogger<CommitPipeline> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (await writer.NextBatchAsync(stoppingToken) is { } batch)
        {
            Run(batch);
        }

        // Stopping: what was accepted into the queue is still committed and answered (nothing is scored any more).
        while (writer.TakeQueued() is { } rest)
        {
            writer.Commit(rest);
            store.WaitUntilDurable();
            LedgerWriter.Acknowledge(rest);
        }
    }

    private void Run(LedgerWriter.Batch batch)
    {
        // 1. Group commit: the batch's appends, upserts and erasures in one store transaction; the in-memory ledger
        //    changes with it.
        var changes = writer.Commit(batch);

        // 2. Scores: every published score of each workspace re-evaluates the leads the commit changed. Each change
        //    goes through ScoreChangeFanOut (below): score history, triggers (outbox records), feed hand-off.
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

        // 3. Durable: the commit and the outbox records of step 2 (in the same store) are on the device.
        store.WaitUntilDurable();

        // 4. Acknowledge: the writers get their answers.
        LedgerWriter.Acknowledge(batch);

        // After the acknowledgement, each on its own loop: ScoreHistoryStore writes the history, ActionDelivery
        // performs the deliveries, FeedPump sends the changes to the reps' connections.
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

            // 2. Triggers: matched; their deliveries recorded in the outbox (the ledger's store) and queued.
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
