using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using Mediator;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using ScoreHub.Host.Storage;
using ScoreHub.Sdk;
using ScoreHub.Host.Core.Plugins;
using ScoreHub.Host.Core.Scoring;
using ScoreHub.Host.Core.Leads;

namespace ScoreHub.Host.Core.Actions;

/// <summary>An action asked to show a notification on a workspace's live feed.</summary>
internal sealed record ActionNotification(string WorkspaceId, FeedNotification Notification) : INotification;

/// <summary>
/// Turns score transitions into recorded deliveries (edge-triggered, filtered, cooled down) and performs them:
/// each through the plugin invoker inside a Polly retry pipeline with exponential backoff, every attempt written
/// back to the outbox; exhausted or non-retryable ones become dead letters (status <c>failed</c>) that can be
/// re-driven. Pending deliveries are picked up again at start.
/// </summary>
internal sealed class ActionDispatcher : BackgroundService, INotificationHandler<ScoreChanged>
{
    private const int MaxConcurrentDeliveries = 8;
    private readonly Channel<Delivery> _queue = Channel.CreateUnbounded<Delivery>();
    private readonly ConcurrentDictionary<(string Workspace, string Trigger), long> _sequences = new();
    private readonly ConcurrentDictionary<(string Workspace, string Trigger, string Record), DateTimeOffset> _lastFired = new();
    private readonly Triggers _triggers;
    private readonly Outbox _outbox;
    private readonly Ledger _ledger;
    private readonly LedgerWriter _writer;
    private readonly ScoreEngine _engine;
    private readonly PluginCatalog _catalog;
    private readonly Activations _activations;
    private readonly PluginInvoker _invoker;
    private readonly IPublisher _publisher;
    private readonly IHttpClientFactory _http;
    private readonly TimeProvider _clock;
    private readonly ScoreHubOptions _options;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger<ActionDispatcher> _logger;

    public ActionDispatcher(
        Triggers triggers, Outbox outbox, Ledger ledger, LedgerWriter writer, ScoreEngine engine, PluginCatalog catalog,
        Activations activations, PluginInvoker invoker, IPublisher publisher, IHttpClientFactory http, TimeProvider clock,
        IOptions<ScoreHubOptions> options, ILoggerFactory loggers)
    {
        _triggers = triggers;
        _outbox = outbox;
        _ledger = ledger;
        _writer = writer;
        _engine = engine;
        _catalog = catalog;
        _activations = activations;
        _invoker = invoker;
        _publisher = publisher;
        _http = http;
        _clock = clock;
        _options = options.Value;
        _loggers = loggers;
        _logger = loggers.CreateLogger<ActionDispatcher>();
    }

    /// <summary>At start: sequences and cool-downs from the outbox; pending deliveries queued again.</summary>
    public void Load()
    {
        foreach (var d in _outbox.All())
        {
            _sequences.AddOrUpdate((d.WorkspaceId, d.TriggerId), d.Sequence, (_, s) => Math.Max(s, d.Sequence));
            _lastFired.AddOrUpdate((d.WorkspaceId, d.TriggerId, d.RecordId), d.At, (_, at) => at > d.At ? at : d.At);
            if (d.Status == DeliveryStatus.Pending)
            {
                _queue.Writer.TryWrite(d);
            }
        }
    }

    /// <summary>
    /// Runs on the scoring thread (before the triggering write is acknowledged): match, record durably, enqueue.
    /// Never calls a plugin here.
    /// </summary>
    public ValueTask Handle(ScoreChanged change, CancellationToken cancellationToken)
    {
        var fired = new List<Delivery>();
        foreach (var trigger in _triggers.ForScore(change.WorkspaceId, change.ScoreId))
        {
            if (!trigger.Fires(change) || !PassesFilters(trigger, change) || CoolingDown(trigger, change))
            {
                continue;
            }

            var sequence = _sequences.AddOrUpdate((trigger.WorkspaceId, trigger.Id), 1, (_, s) => s + 1);
            _lastFired[(trigger.WorkspaceId, trigger.Id, change.RecordId)] = change.At;
            for (var i = 0; i < trigger.Actions.Count; i++)
            {
                var key = Outbox.IdempotencyKey(change.WorkspaceId, trigger.Id, i, change);
                fired.Add(new Delivery
                {
                    Id = key,
                    IdempotencyKey = key,
                    WorkspaceId = change.WorkspaceId,
                    TriggerId = trigger.Id,
                    ActionIndex = i,
                    Plugin = trigger.Actions[i].Plugin,
                    Parameters = trigger.Actions[i].Parameters.GetRawText(),
                    Kind = change.Kind,
                    RecordId = change.RecordId,
                    ScoreId = change.ScoreId,
                    ScoreName = change.ScoreName,
                    FromValue = change.FromValue,
                    ToValue = change.ToValue,
                    FromLabel = change.FromLabel,
                    ToLabel = change.ToLabel,
                    Cause = change.Cause,
                    At = change.At,
                    Sequence = sequence,
                    CreatedAt = _clock.GetUtcNow(),
                });
            }
        }

        if (fired.Count > 0)
        {
            foreach (var delivery in _outbox.Record(fired))
            {
                _queue.Writer.TryWrite(delivery);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Forgets the cool-downs of erased contacts.</summary>
    public void Forget(string workspaceId, IReadOnlySet<string> contactIds)
    {
        foreach (var key in _lastFired.Keys.Where(k => k.Workspace == workspaceId && contactIds.Contains(k.Record)))
        {
            _lastFired.TryRemove(key, out _);
        }
    }

    /// <summary>Sends a dead letter (or any delivery) round again, from a fresh set of attempts.</summary>
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
        _queue.Writer.TryWrite(delivery);
        return delivery;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var slots = new SemaphoreSlim(MaxConcurrentDeliveries);
        var running = new List<Task>();
        try
        {
            await foreach (var delivery in _queue.Reader.ReadAllAsync(stoppingToken))
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
        var pipeline = new ResiliencePipelineBuilder<ActionOutcome> { TimeProvider = _clock }
            .AddRetry(new RetryStrategyOptions<ActionOutcome>
            {
                MaxRetryAttempts = _options.ActionMaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                Delay = _options.ActionRetryDelay,
                MaxDelay = TimeSpan.FromHours(1),
                UseJitter = false,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result is { Succeeded: false, Retryable: true }),
                OnRetry = args =>
                {
                    // The attempt that just failed is written down before waiting for the next.
                    _outbox.Update(delivery);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();

        ActionOutcome outcome;
        try
        {
            outcome = await pipeline.ExecuteAsync(async token => await AttemptAsync(delivery, token), stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return; // stays pending
        }

        delivery.Status = outcome.Succeeded ? DeliveryStatus.Delivered : DeliveryStatus.Failed;
        delivery.LastError = outcome.Succeeded ? null : outcome.Reason;
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

    private async Task<ActionOutcome> AttemptAsync(Delivery delivery, CancellationToken ct)
    {
        delivery.Attempts++;
        if (_catalog.Find(delivery.Plugin)?.Instance is not ILeadAction action ||
            _activations.Find(delivery.WorkspaceId, delivery.Plugin) is not { } activation)
        {
            return Failed(delivery, ActionOutcome.Failed($"The action plugin '{delivery.Plugin}' is not loaded or not active in this workspace.", retryable: false));
        }

        if (!activation.Usable)
        {
            return Failed(delivery, ActionOutcome.Failed($"The action plugin '{delivery.Plugin}' needs attention in this workspace: {activation.Attention}", retryable: false));
        }

        var request = BuildRequest(delivery);
        if (request is null)
        {
            return Failed(delivery, ActionOutcome.Failed($"The {delivery.Kind.ToString().ToLowerInvariant()} '{delivery.RecordId}' no longer exists.", retryable: false));
        }

        var context = new ActionContext
        {
            WorkspaceId = delivery.WorkspaceId,
            Settings = activation.Settings,
            Clock = _clock,
            Logger = _loggers.CreateLogger("ScoreHub.Plugins." + delivery.Plugin),
            Http = _http.CreateClient("actions"),
        };
        var call = await _invoker.InvokeAsync(delivery.WorkspaceId, delivery.Plugin, token => action.ExecuteAsync(request, context, token), ct);
        var outcome = call.Succeeded ? call.Value! : ActionOutcome.Failed(call.Error ?? "The plugin failed.", retryable: true);
        return Failed(delivery, outcome);
    }

    private static ActionOutcome Failed(Delivery delivery, ActionOutcome outcome)
    {
        delivery.LastError = outcome.Succeeded ? null : outcome.Reason;
        return outcome;
    }

    private ActionRequest? BuildRequest(Delivery delivery)
    {
        var data = _ledger.Find(delivery.WorkspaceId);
        LeadView? view = null;
        LeadSnapshot? lead = null;
        if (delivery.Kind == LeadKind.Company && data?.Companies.GetValueOrDefault(delivery.RecordId) is { } company)
        {
            view = ScoreEngine.View(data, company);
            lead = new LeadSnapshot { Id = company.Id, Kind = LeadKind.Company, Properties = company.CurrentProperties() };
        }
        else if (delivery.Kind == LeadKind.Contact && data?.Find(delivery.RecordId) is { } contact)
        {
            view = ScoreEngine.View(contact);
            lead = new LeadSnapshot { Id = contact.Id, Email = contact.Email, Properties = contact.CurrentProperties() };
        }

        if (view is null || lead is null)
        {
            return null;
        }

        var score = _engine.Find(delivery.WorkspaceId, delivery.ScoreId);
        var breakdown = score is null ? null : _engine.EvaluateAt(score, view, delivery.At)?.Groups;
        using var parameters = JsonDocument.Parse(delivery.Parameters);
        return new ActionRequest
        {
            IdempotencyKey = delivery.IdempotencyKey,
            TriggerId = delivery.TriggerId,
            Sequence = delivery.Sequence,
            Parameters = new PluginSettings(parameters.RootElement),
            Lead = lead,
            Transition = new ScoreTransition
            {
                ScoreId = delivery.ScoreId,
                ScoreName = delivery.ScoreName,
                FromValue = delivery.FromValue,
                ToValue = delivery.ToValue,
                FromLabel = delivery.FromLabel,
                ToLabel = delivery.ToLabel,
                At = delivery.At,
                Cause = delivery.Cause,
                Breakdown = breakdown ?? [],
            },
        };
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

        foreach (var notification in outcome.Notifications)
        {
            await _publisher.Publish(new ActionNotification(delivery.WorkspaceId, notification), ct);
        }
    }

    private bool PassesFilters(Trigger trigger, ScoreChanged change)
    {
        if (trigger.Filters.Count == 0)
        {
            return true;
        }

        var data = _ledger.Find(change.WorkspaceId);
        Func<string, string?>? value = change.Kind == LeadKind.Company
            ? data?.Companies.GetValueOrDefault(change.RecordId) is { } company ? name => company.History.ValueAt(name, DateTimeOffset.MaxValue) : null
            : data?.Find(change.RecordId) is { } contact ? contact.CurrentValue : null;
        return value is not null && trigger.Filters.All(f => f.Matches(value(f.Property)));
    }

    private bool CoolingDown(Trigger trigger, ScoreChanged change) =>
        trigger.Cooldown is { } cooldown &&
        _lastFired.TryGetValue((trigger.WorkspaceId, trigger.Id, change.RecordId), out var last) &&
        change.At - last < cooldown;
}
