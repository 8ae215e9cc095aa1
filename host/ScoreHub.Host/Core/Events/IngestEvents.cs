using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using FluentValidation;
using FluentValidation.Results;
using Mediator;
using ScoreHub.Host.Core;
using ScoreHub.Host.Core.Leads;
using ScoreHub.Host.Core.Workspaces;
using ScoreHub.Host.Storage;
using ScoreHub.Sdk;

namespace ScoreHub.Host.Core.Events;

/// <summary>Append a batch of signals from one source; all or nothing on validation, deduplicated per (source, id).</summary>
internal sealed record IngestEvents(Caller Caller, string Source, IReadOnlyList<Signal> Events) : ICommand<IngestResult>, IAuthorized
{
    public IReadOnlyCollection<KeyKind> AllowedKinds => [KeyKind.Secret, KeyKind.Ingest];
}

internal sealed record IngestResult(int Accepted, int Stored, int Duplicates, IReadOnlyList<IngestItemResult> Results);

internal sealed record IngestItemResult(string Id, string Status, string ContactId);

internal sealed class IngestEventsValidator : AbstractValidator<IngestEvents>
{
    public IngestEventsValidator(TimeProvider clock)
    {
        RuleFor(c => c.Events).NotEmpty().Must(e => e.Count <= EventBatchParser.MaxEvents)
            .WithMessage($"A batch holds at most {EventBatchParser.MaxEvents} events.");
        RuleForEach(c => c.Events).SetValidator(new SignalValidator(clock));
    }
}

internal sealed class IngestEventsHandler(LedgerWriter writer) : ICommandHandler<IngestEvents, IngestResult>
{
    public async ValueTask<IngestResult> Handle(IngestEvents command, CancellationToken ct)
    {
        var outcomes = await writer.AppendAsync(
            command.Caller.Workspace, [.. command.Events.Select(e => new IncomingSignal(command.Source, e))], ct);
        var duplicates = outcomes.Count(o => o.Duplicate);
        return new IngestResult(outcomes.Count, outcomes.Count - duplicates, duplicates,
            [.. outcomes.Select(o => new IngestItemResult(o.EventId, o.Duplicate ? "duplicate" : "stored", o.ContactId))]);
    }
}
