using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using ScoreHub.Host.Core.Feed;
using ScoreHub.Host.Core.Leads;
using ScoreHub.Host.Core.Scheduling;
using ScoreHub.Sdk;

namespace ScoreHub.Host.Core.Actions;

/// <summary>
/// Performs queued deliveries, at most <see cref="MaxConcurrentDeliveries"/> at a time. Every attempt is written back
/// to the outbox; a retryable failure is attempted again after an exponential backoff (<c>ActionRetryDelay</c>,
/// doubling, at most an hour apart) on the host's <see cref="DueTimeScheduler{TKey}"/>; exhausted or non-retryable
/// ones become dead letters (status <c>failed</c>) that can be re-driven. A delivery waiting for its retry is pending
/// in the outbox, so a restart attempts it again at once.
/// </summary>
internal sealed class ActionDelivery : BackgroundService
{
    private const int MaxConcurrentDeliveries = 8;
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromHours(1);

    private readonly ConcurrentDictionary<string, Delivery> _waiting = new(StringComparer.Ordinal);
    private readonly DueTimeScheduler<string> _retries;
    private readonly DeliveryQueue _queue;
    private readonly Outbox _outbox;
    private readonly ActionAttempt _attempt;
    private readonly LedgerWriter _writer;
    private readonly FeedNotifications _notifications;
    private readonly TimeProvider _clock;
    private readonly ScoreHubOptions _options;
    private readonly ILogger<ActionDelivery> _logger;

    public ActionDelivery(
        DeliveryQueue queue, Outbox outbox, ActionAttempt attempt, LedgerWriter writer, FeedNotifications notifications,
        TimeProvider clock, IOptions<ScoreHubOptions> options, ILogger<ActionDelivery> logger)
    {
        _queue = queue;
        _outbox = outbox;
        _attempt = attempt;
        _writer = writer;
        _notifications = notifications;
        _clock = clock;
        _options = options.Value;
        _logger = logger;
        _retries = new DueTimeScheduler<string>(clock, RetryDue, StringComparer.Ordinal);
    }

    /// <summary>Sends a dead letter (or any finished delivery) round again, from a fresh set of attempts.</summary>
    public Delivery? Redrive(string workspaceId, string id)
    {
        var delivery = _outbox.Find(workspaceId, id);
        if (delivery is null || delivery.Status == DeliveryStatus.Pending)
        {
            return delivery;
        }

        delivery.Status = DeliveryStatus.Pending;
        delivery.Attempts = 0;
        delivery.LastError = null;
        delivery.CompletedAt = null;
        _outbox.Update(delivery);
        _queue.Enqueue(delivery);
        return delivery;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var slots = new SemaphoreSlim(MaxConcurrentDeliveries);
        var running = new List<Task>();
        try
        {
            await foreach (var delivery in _queue.ReadAllAsync(stoppingToken))
            {
                await slots.WaitAsync(stoppingToken);
                running.RemoveAll(t => t.IsCompleted);
                running.Add(Task.Run(async () =>
                {
                    try
                    {
                        await DeliverAsync(delivery, stoppingToken);
                    }
                    finally
                    {
                        slots.Release();
                    }
                }, CancellationToken.None));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: what is not delivered stays pending and is picked up at the next start.
        }

        await Task.WhenAll(running);
    }

    private async Task DeliverAsync(Delivery delivery, CancellationToken stoppingToken)
    {
        ActionOutcome outcome;
        try
        {
            outcome = await _attempt.RunAsync(delivery, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return; // stays pending
        }

        if (outcome is { Succeeded: false, Retryable: true } && delivery.Attempts <= _options.ActionMaxRetries)
        {
            // The attempt that just failed is written down before waiting for the next.
            _outbox.Update(delivery);
            _waiting[delivery.Id] = delivery;
            _retries.Schedule(delivery.Id, _clock.GetUtcNow() + RetryDelay(delivery.Attempts));
            return;
        }

        delivery.Status = outcome.Succeeded ? DeliveryStatus.Delivered : DeliveryStatus.Failed;
        delivery.CompletedAt = _clock.GetUtcNow();
        if (outcome.Succeeded)
        {
            await ApplyAsync(delivery, outcome, stoppingToken);
        }

        _outbox.Update(delivery);
        if (!outcome.Succeeded)
        {
            _logger.LogWarning("Delivery {Delivery} of trigger {Trigger} failed after {Attempts} attempts: {Reason}",
                delivery.Id, delivery.TriggerId, delivery.Attempts, outcome.Reason);
        }
    }

    /// <summary>The wait after the <paramref name="attempts"/>-th failed attempt: the first retry delay, doubling.</summary>
    private TimeSpan RetryDelay(int attempts)
    {
        var delay = _options.ActionRetryDelay * Math.Pow(2, Math.Min(attempts - 1, 30));
        return delay < MaxRetryDelay ? delay : MaxRetryDelay;
    }

    private void RetryDue(IReadOnlyList<string> ids)
    {
        foreach (var id in ids)
        {
            if (_waiting.TryRemove(id, out var delivery))
            {
                _queue.Enqueue(delivery);
            }
        }
    }

    private async Task ApplyAsync(Delivery delivery, ActionOutcome outcome, CancellationToken ct)
    {
        if (outcome.PropertyChanges.Count > 0 && delivery.Kind == LeadKind.Contact)
        {
            // Through the normal write path: the change lands in the property history and re-scores fit.
            await _writer.UpsertContactAsync(new ContactUpsert
            {
                WorkspaceId = delivery.WorkspaceId,
                ContactId = delivery.RecordId,
                Properties = outcome.PropertyChanges,
            }, ct);
        }

        foreach (var n in outcome.Notifications)
        {
            _notifications.Publish(delivery.WorkspaceId, n.Title, n.Message, n.Level, n.LeadId);
        }
    }

    public override void Dispose()
    {
        _retries.Dispose();
        base.Dispose();
    }
}
