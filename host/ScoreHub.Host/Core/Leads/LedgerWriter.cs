using System.Threading.Channels;
using LiteDB;
using Microsoft.Extensions.Options;
using ScoreHub.Sdk;

using ScoreHub.Host.Storage;

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
/// The single writer of the ledger. Requests are queued on a channel; the writer takes everything queued (up to a
/// batch limit), applies it in one LiteDB transaction and commits once (group commit), then completes each request.
/// A request's task completes only after its data is committed, so an acknowledged event survives <c>kill -9</c>.
/// Dedupe and identity resolution happen here, on one thread, so concurrent requests cannot race.
/// </summary>
internal sealed class LedgerWriter : BackgroundService
{
    private const int MaxOperationsPerCommit = 2_000;
    private readonly Channel<Operation> _queue = Channel.CreateBounded<Operation>(
        new BoundedChannelOptions(20_000) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly Database _db;
    private readonly Ledger _ledger;
    private readonly TimeProvider _clock;
    private readonly CommitPipeline _pipeline;
    private readonly ILogger<LedgerWriter> _logger;
    private readonly TimeSpan _queueTimeout;

    public LedgerWriter(
        Database db, Ledger ledger, TimeProvider clock, CommitPipeline pipeline, IOptions<ScoreHubOptions> options, ILogger<LedgerWriter> logger)
    {
        _queueTimeout = options.Value.LedgerQueueTimeout;
        _db = db;
        _ledger = ledger;
        _clock = clock;
        _pipeline = pipeline;
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

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Operation>(MaxOperationsPerCommit);
        var reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < MaxOperationsPerCommit && reader.TryRead(out var op))
                {
                    batch.Add(op);
                }

                var changes = Commit(batch);
                _pipeline.Run(changes, () => Complete(batch));
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        // Shutdown: finish what was already accepted into the queue.
        while (reader.TryRead(out var op))
        {
            batch.Add(op);
        }

        if (batch.Count > 0)
        {
            Commit(batch);
            _db.WaitUntilDurable();
            Complete(batch);
        }
    }

    private List<LedgerChanged> Commit(List<Operation> batch)
    {
        var unit = new UnitOfWork(_ledger, _clock.GetUtcNow());
        try
        {
            // No await between BeginTrans and Commit: LiteDB transactions belong to the thread.
            _db.Lite.BeginTrans();
            foreach (var op in batch)
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

            unit.Flush(_db);
            _db.Commit();
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Ledger commit failed; {Count} requests fail and memory is reloaded from disk", batch.Count);
            SafeRollback();
            foreach (var op in batch)
            {
                op.Fail(new LedgerUnavailableException("The ledger could not commit the write; retry.", ex));
            }

            _ledger.Load();
            return [];
        }

        return [.. unit.Changes.Select(c => new LedgerChanged(c.Key, c.Value.Contacts, c.Value.Companies))];
    }

    private static void Complete(List<Operation> batch)
    {
        foreach (var op in batch)
        {
            op.Complete();
        }
    }

    private void SafeRollback()
    {
        try
        {
            _db.Lite.Rollback();
        }
        catch (LiteException ex)
        {
            _logger.LogError(ex, "Rollback failed");
        }
    }

    internal sealed class ChangeSet
    {
        public HashSet<string> Contacts { get; } = new(StringComparer.Ordinal);
        public HashSet<string> Companies { get; } = new(StringComparer.Ordinal);
    }

    /// <summary>Collects the documents one commit writes, and which leads it touched.</summary>
    internal sealed class UnitOfWork(Ledger ledger, DateTimeOffset now)
    {
        private readonly Dictionary<string, EventBlock.Writer> _blocks = new(StringComparer.Ordinal);
        private readonly Dictionary<(string, string), ContactRecord> _dirtyContacts = [];
        private readonly Dictionary<(string, string), CompanyRecord> _dirtyCompanies = [];
        private readonly List<(string Workspace, IReadOnlySet<string> Contacts)> _erased = [];

        public Ledger Ledger => ledger;
        public DateTimeOffset Now => now;
        public Dictionary<string, ChangeSet> Changes { get; } = new(StringComparer.Ordinal);

        public void AddEvent(string workspaceId, LeadEvent e, string source)
        {
            if (!_blocks.TryGetValue(workspaceId, out var block))
            {
                _blocks[workspaceId] = block = new EventBlock.Writer();
            }

            block.Add(e, source);
        }

        /// <summary>The contact's identities or properties changed: write its document and report it changed.</summary>
        public void Touch(string workspaceId, ContactRecord contact)
        {
            _dirtyContacts[(workspaceId, contact.Id)] = contact;
            Changed(workspaceId, contact);
        }

        /// <summary>Only the contact's events changed (they live in event blocks): report it, write nothing more.</summary>
        public void Changed(string workspaceId, ContactRecord contact)
        {
            // A merged-away contact is reported too, so scoring drops its records in favour of the survivor's.
            Set(workspaceId).Contacts.Add(contact.Id);
            if (contact.MergedInto is not null)
            {
                Set(workspaceId).Contacts.Add(contact.MergedInto);
            }

            if (contact.CompanyId is not null)
            {
                Set(workspaceId).Companies.Add(contact.CompanyId);
            }
        }

        /// <summary>
        /// The contacts are gone from memory: delete their documents and their events from the blocks at flush, and
        /// report them (scoring drops their records) and their companies (re-scored without them).
        /// </summary>
        public void Erase(string workspaceId, IReadOnlySet<string> contactIds, IEnumerable<string> companyIds)
        {
            _erased.Add((workspaceId, contactIds));
            foreach (var id in contactIds)
            {
                // Touched earlier in this commit: it must not be written back.
                _dirtyContacts.Remove((workspaceId, id));
                Set(workspaceId).Contacts.Add(id);
            }

            Set(workspaceId).Companies.UnionWith(companyIds);
        }

        public void Touch(string workspaceId, CompanyRecord company)
        {
            _dirtyCompanies[(workspaceId, company.Id)] = company;
            Set(workspaceId).Companies.Add(company.Id);
        }

        private ChangeSet Set(string workspaceId)
        {
            if (!Changes.TryGetValue(workspaceId, out var set))
            {
                Changes[workspaceId] = set = new ChangeSet();
            }

            return set;
        }

        public void Flush(Database db)
        {
            foreach (var (workspaceId, events) in _blocks)
            {
                db.EventBlocks.Insert(new BsonDocument
                {
                    ["ws"] = workspaceId,
                    ["at"] = Bson.Ticks(now),
                    ["n"] = events.Count,
                    ["b"] = events.ToArray(),
                });
            }

            foreach (var ((workspaceId, _), contact) in _dirtyContacts)
            {
                db.Contacts.Upsert(Bson.ToDocument(workspaceId, contact));
            }

            foreach (var ((workspaceId, _), company) in _dirtyCompanies)
            {
                db.Companies.Upsert(Bson.ToDocument(workspaceId, company));
            }

            // After the inserts above, so events appended earlier in this same commit go too.
            foreach (var (workspaceId, contactIds) in _erased)
            {
                foreach (var id in contactIds)
                {
                    db.Contacts.Delete(workspaceId + "/" + id);
                }

                RewriteBlocksWithout(db, workspaceId, contactIds);
            }
        }

        /// <summary>
        /// Rewrites every block of the workspace that holds an event of the contacts, without those events; a block
        /// left empty is deleted. Other contacts' events keep their block, order and bytes.
        /// </summary>
        private static void RewriteBlocksWithout(Database db, string workspaceId, IReadOnlySet<string> contactIds)
        {
            foreach (var block in db.EventBlocks.Find(Query.EQ("ws", workspaceId)).ToList())
            {
                var events = EventBlock.Read(block["b"].AsBinary).ToList();
                if (!events.Any(e => contactIds.Contains(e.Event.ContactId)))
                {
                    continue;
                }

                var kept = new EventBlock.Writer();
                foreach (var (e, source) in events.Where(e => !contactIds.Contains(e.Event.ContactId)))
                {
                    kept.Add(e, source);
                }

                if (kept.Count == 0)
                {
                    db.EventBlocks.Delete(block["_id"]);
                }
                else
                {
                    block["n"] = kept.Count;
                    block["b"] = kept.ToArray();
                    db.EventBlocks.Update(block);
                }
            }
        }
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

    private sealed class EraseOperation(string workspaceId, string contactId, Action<ErasedContact> inTransaction)
        : Operation<ErasedContact?>
    {
        protected override ErasedContact? Run(UnitOfWork unit)
        {
            var data = unit.Ledger.Find(workspaceId);
            var survivor = data?.Find(contactId);
            if (data is null || survivor is null || survivor.Id != contactId)
            {
                return null; // erased or merged away by an earlier request
            }

            // The contact and every contact merged into it (directly or through others): one person's records.
            var members = data.Contacts.Values.Where(c => data.Find(c.Id) == survivor).ToList();
            var ids = members.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
            var erased = new ErasedContact(
                workspaceId,
                survivor.Id,
                ids,
                [.. members.Select(c => c.Email).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase)],
                [.. members.Select(c => c.ExternalId).OfType<string>().Distinct(StringComparer.Ordinal)],
                [.. members.SelectMany(c => c.AnonymousIds).Concat(data.ByAnonymousId.Where(a => ids.Contains(a.Value)).Select(a => a.Key))
                    .Distinct(StringComparer.Ordinal)],
                [.. members.Select(c => c.CompanyId).OfType<string>().Distinct(StringComparer.Ordinal)]);

            // First, while nothing in memory has changed: if it throws, the whole commit rolls back and memory is reloaded.
            inTransaction(erased);

            foreach (var id in ids)
            {
                data.Contacts.TryRemove(id, out _);
            }

            RemoveWhere(data.ByEmail, ids);
            RemoveWhere(data.ByExternalId, ids);
            RemoveWhere(data.ByAnonymousId, ids);
            foreach (var companyId in erased.CompanyIds)
            {
                if (data.Companies.TryGetValue(companyId, out var company))
                {
                    foreach (var id in ids)
                    {
                        company.ContactIds.TryRemove(id, out _);
                    }
                }
            }

            // The dedupe keys go too: an erased event id is forgotten, so a provider's late retry is stored afresh.
            foreach (var key in data.EventKeys.Where(k => ids.Contains(k.Value)).Select(k => k.Key).ToList())
            {
                data.EventKeys.Remove(key);
                data.EventCount--;
            }

            unit.Erase(workspaceId, ids, erased.CompanyIds);
            return erased;
        }

        private static void RemoveWhere(System.Collections.Concurrent.ConcurrentDictionary<string, string> index, HashSet<string> ids)
        {
            foreach (var entry in index.Where(e => ids.Contains(e.Value)).ToList())
            {
                index.TryRemove(entry);
            }
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

/// <summary>
/// What an erasure removed: the surviving contact's id, every contact id merged into it (<see cref="ContactIds"/>
/// includes the survivor), the identities they were known by, and the companies they belonged to.
/// </summary>
internal sealed record ErasedContact(
    string WorkspaceId,
    string ContactId,
    IReadOnlySet<string> ContactIds,
    IReadOnlyList<string> Emails,
    IReadOnlyList<string> ExternalIds,
    IReadOnlyList<string> AnonymousIds,
    IReadOnlyList<string> CompanyIds);

/// <summary>The ledger could not commit; the request may be retried.</summary>
internal sealed class LedgerUnavailableException(string message, Exception? inner) : Exception(message, inner);
