using FluentValidation;
using LiteDB;
using Mediator;
using ScoreHub.Host.Core;
using ScoreHub.Host.Core.Leads;
using ScoreHub.Host.Core.Scheduling;
using ScoreHub.Host.Storage;
using ScoreHub.Sdk;

namespace ScoreHub.Host.Core.Events;

/// <summary>What a source asked for besides its immediate signals: schedules to add or replace, and keys to cancel.</summary>
internal sealed record ScheduleChanges(IReadOnlyList<ScheduledSignal> Schedule, IReadOnlyList<string> Cancel)
{
    public bool IsEmpty => Schedule.Count == 0 && Cancel.Count == 0;
}

internal sealed class ScheduleChangesValidator : AbstractValidator<ScheduleChanges>
{
    public const int MaxKeyLength = 200;
    public const int MaxChanges = 1_000;

    /// <summary>How far ahead a signal may be scheduled: far enough for any abandonment or inactivity window.</summary>
    public static readonly TimeSpan Horizon = TimeSpan.FromDays(366);

    public ScheduleChangesValidator(TimeProvider clock)
    {
        RuleFor(c => c.Schedule).Must(s => s.Count <= MaxChanges).WithMessage($"At most {MaxChanges} signals may be scheduled at once.");
        RuleFor(c => c.Cancel).Must(s => s.Count <= MaxChanges).WithMessage($"At most {MaxChanges} keys may be cancelled at once.");
        RuleForEach(c => c.Cancel).NotEmpty().MaximumLength(MaxKeyLength);
        RuleForEach(c => c.Schedule).ChildRules(item =>
        {
            item.RuleFor(s => s.Key).NotEmpty().MaximumLength(MaxKeyLength);
            item.RuleFor(s => s.DueAt)
                .Must(at => at.Year >= 2000).WithMessage("'dueAt' must be after the year 2000.")
                .Must(at => at <= clock.GetUtcNow() + Horizon).WithMessage("'dueAt' is more than a year in the future.");
            // The signal is judged as if it arrived at its due instant, when it will be appended.
            item.RuleFor(s => s.Signal).NotNull()
                .SetValidator(s => new SignalValidator(() => Max(clock.GetUtcNow(), s.DueAt)));
        });
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}

/// <summary>
/// Signals that source plugins asked the host to emit later (a checkout's <c>cart.abandoned</c> an hour after its last
/// update), keyed by (workspace, plugin, key). Every change is written to LiteDB (<c>scheduled_signals</c>) before the
/// request that asked for it is answered, and pending schedules are reloaded at start. The host's
/// <see cref="DueTimeScheduler{TKey}"/> brings each due (no polling sweep); at due, the signals are appended through
/// <see cref="IngestEvents"/> with the plugin as source, so validation and dedupe apply, and only then deleted. A crash
/// in between emits them again after the restart, and the ledger absorbs the repeat by the signal's id.
/// </summary>
/// <remarks>
/// A schedule outlives its plugin's activation: it is emitted even if the plugin was deactivated or removed after
/// accepting it (ADR 0006). Emission calls no plugin code.
/// </remarks>
internal sealed class ScheduledSignals : IDisposable
{
    /// <summary>How long to wait before trying again when appending failed for a transient reason (store unavailable).</summary>
    public static readonly TimeSpan RetryDelay = TimeSpan.FromMinutes(1);

    private readonly Dictionary<(string Workspace, string Plugin, string Key), Pending> _pending = [];

    private readonly DueTimeScheduler<(string Workspace, string Plugin, string Key)> _due;
    private readonly Lock _lock = new();
    private readonly Database _db;
    private readonly ISender _mediator;
    private readonly TimeProvider _clock;
    private readonly ILogger<ScheduledSignals> _logger;
    private readonly ScheduleChangesValidator _validator;
    private readonly CancellationTokenSource _stopping = new();

    public ScheduledSignals(Database db, ISender mediator, TimeProvider clock, ILogger<ScheduledSignals> logger)
    {
        _db = db;
        _mediator = mediator;
        _clock = clock;
        _logger = logger;
        _validator = new ScheduleChangesValidator(clock);
        // The scheduler's callback only hands off: appending is asynchronous, and a fake clock runs callbacks inline.
        _due = new DueTimeScheduler<(string, string, string)>(clock, due => _ = Task.Run(() => FireDueAsync(due)));
    }

    /// <summary>One pending schedule. A reference type on purpose: identity tells a replaced schedule from its successor.</summary>
    private sealed record Pending(string Workspace, string Plugin, string Key, DateTimeOffset DueAt, Signal Signal)
    {
        public (string, string, string) Id => (Workspace, Plugin, Key);

        public string DocumentId => DocumentIdOf(Workspace, Plugin, Key);
    }

    /// <summary>The number of pending schedules of one workspace (for diagnostics and tests).</summary>
    public int CountFor(string workspaceId)
    {
        lock (_lock)
        {
            return _pending.Keys.Count(k => k.Workspace == workspaceId);
        }
    }

    /// <summary>Reads every pending schedule from the store and arms the timer; called once at start.</summary>
    public void Load()
    {
        var loaded = _db.ScheduledSignals.FindAll().Select(FromDocument).ToList();
        lock (_lock)
        {
            _pending.Clear();
            _due.Clear();
            foreach (var pending in loaded)
            {
                _pending[pending.Id] = pending;
                _due.Schedule(pending.Id, pending.DueAt);
            }
        }

        if (loaded.Count > 0)
        {
            _logger.LogInformation("Loaded {Count} scheduled signals; the earliest is due at {Due}", loaded.Count, loaded.Min(p => p.DueAt));
        }
    }

    /// <summary>Checks a source's schedules and cancellations; a problem is a 400 naming the field, before anything is stored.</summary>
    public void Validate(ScheduleChanges changes)
    {
        var result = _validator.Validate(changes);
        if (!result.IsValid)
        {
            throw new RequestValidationException(result.Errors
                .GroupBy(e => e.PropertyName, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).ToArray()),
                "The source's scheduled signals were rejected; nothing was stored.");
        }
    }

    /// <summary>
    /// Applies cancellations, then schedules (each replacing a pending one with the same key), durably: when this
    /// returns, the changes are committed. Validate first.
    /// </summary>
    public void Apply(string workspaceId, string pluginId, ScheduleChanges changes)
    {
        if (changes.IsEmpty)
        {
            return;
        }

        var added = changes.Schedule.Select(s => new Pending(workspaceId, pluginId, s.Key, s.DueAt, s.Signal)).ToList();
        lock (_lock)
        {
            // One transaction for the whole response, with no await inside: LiteDB transactions belong to the thread.
            _db.Lite.BeginTrans();
            try
            {
                foreach (var key in changes.Cancel)
                {
                    _db.ScheduledSignals.Delete(DocumentIdOf(workspaceId, pluginId, key));
                }

                foreach (var pending in added)
                {
                    _db.ScheduledSignals.Upsert(ToDocument(pending));
                }

                _db.Commit();
                _db.WaitUntilDurable(); // the source's answer promises the schedule is on disk
            }
            catch
            {
                _db.Lite.Rollback();
                throw;
            }

            foreach (var key in changes.Cancel)
            {
                _pending.Remove((workspaceId, pluginId, key));
                _due.Cancel((workspaceId, pluginId, key));
            }

            foreach (var pending in added)
            {
                _pending[pending.Id] = pending;
                _due.Schedule(pending.Id, pending.DueAt);
            }
        }
    }

    /// <summary>
    /// Drops the workspace's pending schedules whose signal names one of an erased contact's identities, from memory
    /// and from the store. Called inside the erasure's ledger transaction (same thread, same file), so the store's
    /// deletions commit or roll back with the erasure; if it rolls back, the dropped schedules come back at the next
    /// start. A schedule already being emitted may still be appended (and then create a new contact).
    /// </summary>
    public int Erase(ErasedContact erased)
    {
        var emails = erased.Emails.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var externalIds = erased.ExternalIds.ToHashSet(StringComparer.Ordinal);
        var anonymousIds = erased.AnonymousIds.ToHashSet(StringComparer.Ordinal);
        bool Names(ContactRef who) =>
            (Identities.Normalize(who.Email) is { } email && emails.Contains(email)) ||
            (who.ExternalId is { } ext && externalIds.Contains(ext)) ||
            (who.AnonymousId is { } anon && anonymousIds.Contains(anon));

        lock (_lock)
        {
            // From the store, not memory: it also holds schedules whose emission is being retried.
            var doomed = _db.ScheduledSignals.Find(Query.EQ("ws", erased.WorkspaceId)).Select(FromDocument)
                .Where(p => Names(p.Signal.Contact)).ToList();
            foreach (var pending in doomed)
            {
                _db.ScheduledSignals.Delete(pending.DocumentId);
                _pending.Remove(pending.Id);
                _due.Cancel(pending.Id);
            }

            return doomed.Count;
        }
    }

    private bool IsCurrent(Pending pending) =>
        _pending.TryGetValue(pending.Id, out var current) && ReferenceEquals(current, pending);

    private async Task FireDueAsync(IReadOnlyList<(string Workspace, string Plugin, string Key)> due)
    {
        List<Pending> ready;
        lock (_lock)
        {
            // One replaced since it came due (by a later schedule of the same key) waits for its own instant.
            var now = _clock.GetUtcNow();
            ready = [.. due.Select(id => _pending.GetValueOrDefault(id)).OfType<Pending>().Where(p => p.DueAt <= now)];
        }

        foreach (var group in ready.GroupBy(p => (p.Workspace, p.Plugin)))
        {
            foreach (var chunk in group.Chunk(EventBatchParser.MaxEvents))
            {
                await EmitAsync(group.Key.Workspace, group.Key.Plugin, chunk);
            }
        }
    }

    private async Task EmitAsync(string workspaceId, string pluginId, IReadOnlyList<Pending> batch)
    {
        try
        {
            await SendAsync(workspaceId, pluginId, batch);
            Forget(batch);
        }
        catch (RequestValidationException) when (batch.Count > 1)
        {
            // One bad signal must not hold back the others: append them one by one.
            foreach (var pending in batch)
            {
                await EmitAsync(workspaceId, pluginId, [pending]);
            }
        }
        catch (RequestValidationException ex)
        {
            // Validated when scheduled, so this is rare (e.g. a rule tightened since); retrying cannot help.
            _logger.LogWarning("Dropped the scheduled signal '{Key}' of plugin {Plugin} in workspace {Workspace}: {Errors}",
                batch[0].Key, pluginId, workspaceId, string.Join("; ", ex.Errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")));
            Forget(batch);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Shutting down: the schedules stay in the store and are emitted after the next start.
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Appending {Count} scheduled signals of plugin {Plugin} in workspace {Workspace} failed; retrying in {Delay}",
                batch.Count, pluginId, workspaceId, RetryDelay);
            Retry(batch);
        }
    }

    private async Task SendAsync(string workspaceId, string pluginId, IReadOnlyList<Pending> batch)
    {
        // The host acts for the workspace here; an ingest caller is the narrowest kind that may append.
        var command = new IngestEvents(new Caller(KeyKind.Ingest, workspaceId), pluginId, [.. batch.Select(p => p.Signal)]);
        var result = await _mediator.Send(command, _stopping.Token);
        _logger.LogInformation("Emitted {Count} scheduled signals of plugin {Plugin} in workspace {Workspace} ({Duplicates} already stored)",
            batch.Count, pluginId, workspaceId, result.Duplicates);
    }

    /// <summary>Deletes emitted schedules, unless a newer schedule replaced one of them meanwhile.</summary>
    private void Forget(IReadOnlyList<Pending> batch)
    {
        lock (_lock)
        {
            var emitted = batch.Where(IsCurrent).ToList();
            if (emitted.Count == 0)
            {
                return;
            }

            _db.Lite.BeginTrans();
            try
            {
                foreach (var pending in emitted)
                {
                    _db.ScheduledSignals.Delete(pending.DocumentId);
                }

                _db.Commit();
            }
            catch (Exception ex)
            {
                _db.Lite.Rollback();
                // The signals are stored; left in the store, they are emitted again after a restart and absorbed.
                _logger.LogError(ex, "Deleting {Count} emitted schedules failed", emitted.Count);
            }

            foreach (var pending in emitted)
            {
                _pending.Remove(pending.Id);
            }
        }
    }

    private void Retry(IReadOnlyList<Pending> batch)
    {
        var at = _clock.GetUtcNow() + RetryDelay;
        lock (_lock)
        {
            foreach (var pending in batch.Where(IsCurrent))
            {
                // In memory only: the stored due instant has passed, so a restart emits it at once anyway.
                var retry = pending with { DueAt = at };
                _pending[retry.Id] = retry;
                _due.Schedule(retry.Id, at);
            }
        }
    }

    // Workspace and plugin ids never contain '/', so the first two separators are unambiguous whatever the key holds.
    private static string DocumentIdOf(string workspaceId, string pluginId, string key) => $"{workspaceId}/{pluginId}/{key}";

    private static BsonDocument ToDocument(Pending p) => new()
    {
        ["_id"] = p.DocumentId,
        ["ws"] = p.Workspace,
        ["plugin"] = p.Plugin,
        ["key"] = p.Key,
        ["due"] = Bson.Ticks(p.DueAt),
        ["id"] = p.Signal.Id,
        ["type"] = p.Signal.Type,
        ["at"] = Bson.Ticks(p.Signal.OccurredAt),
        ["email"] = p.Signal.Contact.Email,
        ["ext"] = p.Signal.Contact.ExternalId,
        ["anon"] = p.Signal.Contact.AnonymousId,
        ["props"] = ToDocument(p.Signal.Properties),
        ["cprops"] = ToDocument(p.Signal.ContactProperties),
    };

    private static Pending FromDocument(BsonDocument doc) => new(
        doc["ws"].AsString,
        doc["plugin"].AsString,
        doc["key"].AsString,
        Bson.At(doc["due"]),
        new Signal
        {
            Id = doc["id"].AsString,
            Type = doc["type"].AsString,
            OccurredAt = Bson.At(doc["at"]),
            Contact = new ContactRef
            {
                Email = NullableString(doc["email"]),
                ExternalId = NullableString(doc["ext"]),
                AnonymousId = NullableString(doc["anon"]),
            },
            Properties = FromDocument(doc["props"]),
            ContactProperties = FromDocument(doc["cprops"]),
        });

    // Property names may hold characters LiteDB does not allow in field names ('$', '.'), so pairs go into an array.
    private static BsonArray ToDocument(IReadOnlyDictionary<string, string> properties) =>
        new(properties.Select(p => new BsonArray(new BsonValue(p.Key), new BsonValue(p.Value))));

    private static Dictionary<string, string> FromDocument(BsonValue value) =>
        value.IsArray
            ? value.AsArray.ToDictionary(p => p.AsArray[0].AsString, p => p.AsArray[1].AsString, StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);

    private static string? NullableString(BsonValue value) => value.IsNull ? null : value.AsString;

    public void Dispose()
    {
        // The token source is cancelled, not disposed: an emission still in flight may read its token.
        _stopping.Cancel();
        _due.Dispose();
    }
}
