using System.Threading.Channels;
using Microsoft.Extensions.Options;
using ScoreHub.Sdk;


namespace ScoreHub.Host.Core.Leads;

/// <summary>A signal to append, with the source that produced it (the dedupe scope).</summary>
internal sealed record IncomingSignal(string Source, Signal Signal);

/// <summary>What happened to one appended signal.</summary>
internal sealed record AppendOutcome(string EventId, bool Duplicate, string ContactId);

/// <summary>A property upsert for one contact, optionally with its company.</summary>
internal sealed class ContactUpsert
{
    public required string WorkspaceId { get; init; }
    public string? ExternalId { get; init; }
    public string? ContactId { get; init; }
    public string? Email { get; init; }
    public IReadOnlyDictionary<string, string?> Properties { get; init; } = new Dictionary<string, string?>();
    public string? CompanyId { get; init; }
    public IReadOnlyDictionary<string, string?> CompanyProperties { get; init; } = new Dictionary<string, string?>();
}

/// <summary>After a commit: which leads of which workspace changed, for scoring and the feed.</summary>
internal sealed record LedgerChanged(string WorkspaceId, IReadOnlySet<string> ContactIds, IReadOnlySet<string> CompanyIds);

/// <summary>
/// The single writer of the ledger. Requests are queued on a channel; the <c>CommitPipeline</c>'s loop takes
/// everything queued (up to a batch limit), and <see cref="Commit"/> applies it in one store transaction (group
/// commit). A request's task completes only when the pipeline acknowledges it, after its data is durable, so an
/// acknowledged event survives <c>kill -9</c>. Dedupe and identity resolution happen here, on one thread, so
/// concurrent requests cannot race.
/// </summary>
internal sealed partial class LedgerWriter
{
    private const int MaxOperationsPerCommit = 2_000;
    private readonly Channel<Operation> _queue = Channel.CreateBounded<Operation>(
        new BoundedChannelOptions(20_000) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly ILedgerStore _store;
    private readonly Ledger _ledger;
    private readonly TimeProvider _clock;
    private readonly ILogger<LedgerWriter> _logger;
    private readonly TimeSpan _queueTimeout;

    public LedgerWriter(
        ILedgerStore store, Ledger ledger, TimeProvider clock, IOptions<ScoreHubOptions> options, ILogger<LedgerWriter> logger)
    {
        _queueTimeout = options.Value.LedgerQueueTimeout;
        _store = store;
        _ledger = ledger;
        _clock = clock;
        _logger = logger;
    }

    /// <summary>Appends signals for one workspace; completes after they are durable. Duplicates are reported, not stored.</summary>
    public Task<IReadOnlyList<AppendOutcome>> AppendAsync(string workspaceId, IReadOnlyList<IncomingSignal> signals, CancellationToken ct) =>
        EnqueueAsync(new AppendOperation(workspaceId, signals), ct);

    /// <summary>Creates or updates a contact's properties; completes with the contact id after commit.</summary>
    public Task<string> UpsertContactAsync(ContactUpsert upsert, CancellationToken ct) =>
        EnqueueAsync(new UpsertOperation(upsert), ct);

    /// <summary>
    /// Erases a contact and every contact merged into it: their documents, identities and events (the event blocks
    /// holding them are rewritten), in one commit; their companies are reported changed so company scores follow.
    /// <paramref name="inTransaction"/> runs on the writer's thread inside that commit's transaction (no await), for
    /// other records in the ledger's file that must go with the contact. Completes with null when the contact is
    /// not (or no longer) a surviving contact of the workspace.
    /// </summary>
    public Task<ErasedContact?> EraseContactAsync(string workspaceId, string contactId, Action<ErasedContact> inTransaction, CancellationToken ct) =>
        EnqueueAsync(new EraseOperation(workspaceId, contactId, inTransaction), ct);

    private async Task<T> EnqueueAsync<T>(Operation<T> op, CancellationToken ct)
    {
        if (!_queue.Writer.TryWrite(op))
        {
            // Full: wait a little for room, then refuse (503 + Retry-After) rather than queue without bound.
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
            wait.CancelAfter(_queueTimeout);
            try
            {
                await _queue.Writer.WriteAsync(op, wait.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new LedgerUnavailableException("The ledger is busy; nothing was stored. Retry shortly.", null);
            }
        }

        // Once queued, the write happens whether or not the caller still waits: never half-applied.
        return await op.Completion.Task.WaitAsync(ct);
    }

    /// <summary>Waits for queued requests and takes them, up to the batch limit; null once stopping.</summary>
    public async ValueTask<Batch?> NextBatchAsync(CancellationToken ct)
    {
        try
        {
            if (!await _queue.Reader.WaitToReadAsync(ct))
            {
                return null;
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return null;
        }

        return TakeQueued();
    }

    /// <summary>Whatever is queued now, without waiting (at shutdown: what was accepted still gets written); null if nothing.</summary>
    public Batch? TakeQueued()
    {
        var batch = new Batch();
        while (batch.Operations.Count < MaxOperationsPerCommit && _queue.Reader.TryRead(out var op))
        {
            batch.Operations.Add(op);
        }

        return batch.Operations.Count > 0 ? batch : null;
    }

    /// <summary>
    /// Applies a batch in one store transaction: requests that are invalid against the ledger (an unknown contact)
    /// fail alone; if the commit fails, every request fails and memory is reloaded from the store. Returns which
    /// leads changed, per workspace. Not yet acknowledged: see <see cref="Acknowledge"/>.
    /// </summary>
    public IReadOnlyList<LedgerChanged> Commit(Batch batch)
    {
        var unit = new UnitOfWork(_ledger, _clock.GetUtcNow());
        try
        {
            _store.Commit(() =>
            {
                foreach (var op in batch.Operations)
                {
                    try
                    {
                        op.Apply(unit);
                    }
                    catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
                    {
                        op.Fail(ex);
                    }
                }

                return unit;
            });
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Ledger commit failed; {Count} requests fail and memory is reloaded from disk", batch.Operations.Count);
            foreach (var op in batch.Operations)
            {
                op.Fail(new LedgerUnavailableException("The ledger could not commit the write; retry.", ex));
            }

            _ledger.Load();
            return [];
        }

        return [.. unit.Changes.Select(c => new LedgerChanged(c.Key, c.Value.Contacts, c.Value.Companies))];
    }

    /// <summary>Answers every request of a committed batch (call once its data is durable).</summary>
    public static void Acknowledge(Batch batch)
    {
        foreach (var op in batch.Operations)
        {
            op.Complete();
        }
    }

    /// <summary>The requests of one group commit.</summary>
    internal sealed class Batch
    {
        public List<Operation> Operations { get; } = new(MaxOperationsPerCommit);
    }

    internal abstract class Operation
    {
        public abstract void Apply(UnitOfWork unit);
        public abstract void Complete();
        public abstract void Fail(Exception ex);
    }

    internal abstract class Operation<T> : Operation
    {
        private T? _result;
        private Exception? _error;

        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public sealed override void Apply(UnitOfWork unit) => _result = Run(unit);

        protected abstract T Run(UnitOfWork unit);

        public override void Complete()
        {
            if (_error is not null)
            {
                Completion.TrySetException(_error);
            }
            else
            {
                Completion.TrySetResult(_result!);
            }
        }

        public override void Fail(Exception ex)
        {
            _error = ex;
            Completion.TrySetException(ex);
        }
    }

    private sealed class AppendOperation(string workspaceId, IReadOnlyList<IncomingSignal> signals)
        : Operation<IReadOnlyList<AppendOutcome>>
    {
        protected override IReadOnlyList<AppendOutcome> Run(UnitOfWork unit)
        {
            var data = unit.Ledger.GetOrAdd(workspaceId);
            var outcomes = new List<AppendOutcome>(signals.Count);
            foreach (var (source, signal) in signals)
            {
                // A duplicate is a retry of what is already stored: it must not create contacts or link identities.
                var key = WorkspaceData.EventKey(source, signal.Id);
                if (data.EventKeys.TryGetValue(key, out var ownerId))
                {
                    outcomes.Add(new AppendOutcome(signal.Id, Duplicate: true, data.Find(ownerId)?.Id ?? ownerId));
                    continue;
                }

                var contact = Identities.Resolve(unit, data, signal.Contact, signal.OccurredAt);
                data.EventKeys[key] = contact.Id;

                var e = new LeadEvent
                {
                    Id = signal.Id,
                    Type = SharedNames.Share(signal.Type),
                    OccurredAt = signal.OccurredAt,
                    ContactId = contact.Id,
                    Properties = EventProperties.From(signal.Properties),
                };
                contact.AddEvent(e);
                data.EventCount++;
                unit.AddEvent(workspaceId, e, source);
                if (signal.ContactProperties.Count > 0)
                {
                    contact.AddChanges([.. signal.ContactProperties.Select(p => new PropertyChange(SharedNames.Share(p.Key), p.Value, signal.OccurredAt))]);
                    unit.Touch(workspaceId, contact);
                }
                else
                {
                    unit.Changed(workspaceId, contact);
                }

                if (signal.Company is { } company)
                {
                    Companies.Associate(unit, workspaceId, data, contact, company.Id,
                        company.Properties.Select(p => KeyValuePair.Create(p.Key, (string?)p.Value)), signal.OccurredAt);
                }
                outcomes.Add(new AppendOutcome(signal.Id, Duplicate: false, contact.Id));
            }

            return outcomes;
        }
    }

    private sealed class UpsertOperation(ContactUpsert upsert) : Operation<string>
    {
        protected override string Run(UnitOfWork unit)
        {
            var data = unit.Ledger.GetOrAdd(upsert.WorkspaceId);
            ContactRecord contact;
            if (upsert.ContactId is not null)
            {
                contact = data.Find(upsert.ContactId)
                    ?? throw new InvalidOperationException($"Contact '{upsert.ContactId}' does not exist.");
                if (upsert.Email is not null)
                {
                    contact = Identities.Resolve(unit, data, new ContactRef { Email = upsert.Email, ExternalId = contact.ExternalId }, unit.Now, contact);
                }
            }
            else
            {
                contact = Identities.Resolve(unit, data, new ContactRef { ExternalId = upsert.ExternalId, Email = upsert.Email }, unit.Now);
            }

            var changes = Diff(upsert.Properties, contact.CurrentValue, unit.Now);
            contact.AddChanges(changes);

            if (upsert.CompanyId is not null)
            {
                Companies.Associate(unit, upsert.WorkspaceId, data, contact, upsert.CompanyId, upsert.CompanyProperties, unit.Now);
            }

            unit.Touch(upsert.WorkspaceId, contact);
            return contact.Id;
        }

    }

    private static List<PropertyChange> Diff(
        IEnumerable<KeyValuePair<string, string?>> wanted, Func<string, string?> current, DateTimeOffset at) =>
        [.. wanted.Where(p => current(p.Key) != p.Value).Select(p => new PropertyChange(SharedNames.Share(p.Key), p.Value, at))];

    /// <summary>Links contacts to companies; one rule for upserts and for signals that name a company.</summary>
    private static class Companies
    {
        public static void Associate(
            UnitOfWork unit, string workspaceId, WorkspaceData data, ContactRecord contact,
            string companyId, IEnumerable<KeyValuePair<string, string?>> properties, DateTimeOffset at)
        {
            var company = data.Companies.GetOrAdd(companyId, id => new CompanyRecord(id));
            company.AddChanges(Diff(properties, n => company.History.ValueAt(n, DateTimeOffset.MaxValue), at));
            if (contact.CompanyId != company.Id)
            {
                if (contact.CompanyId is not null && data.Companies.TryGetValue(contact.CompanyId, out var previous))
                {
                    previous.ContactIds.TryRemove(contact.Id, out _);
                    unit.Touch(workspaceId, previous);
                }

                contact.CompanyId = company.Id;
                company.ContactIds.TryAdd(contact.Id, 0);
                unit.Touch(workspaceId, contact);
            }

            unit.Touch(workspaceId, company);
        }
    }
}

/// <summary>The ledger could not commit; the request may be retried.</summary>
internal sealed class LedgerUnavailableException(string message, Exception? inner) : Exception(message, inner);
