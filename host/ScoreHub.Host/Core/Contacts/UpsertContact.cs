using System.Text.Json;
using FluentValidation;
using Mediator;
using ScoreHub.Host.Core;
using ScoreHub.Host.Core.Contacts;
using ScoreHub.Host.Core.Events;
using ScoreHub.Host.Core.Leads;
using ScoreHub.Host.Core.Workspaces;
using ScoreHub.Host.Storage;
using ScoreHub.Sdk;

namespace ScoreHub.Host.Core.Contacts;

/// <summary>
/// Sets a contact's properties (recording each change in its history) and optionally its company.
/// <c>Key</c> is ScoreHub's contact id or the contact's id in the customer's own system.
/// </summary>
internal sealed record UpsertContact(
    Caller Caller,
    string Key,
    string? Email,
    IReadOnlyDictionary<string, string?> Properties,
    string? CompanyId,
    IReadOnlyDictionary<string, string?> CompanyProperties) : ICommand<ContactRecord>, IAuthorized
{
    public IReadOnlyCollection<KeyKind> AllowedKinds => [KeyKind.Secret, KeyKind.Ingest];
}

internal sealed class UpsertContactValidator : AbstractValidator<UpsertContact>
{
    public UpsertContactValidator()
    {
        RuleFor(c => c.Key).NotEmpty().MaximumLength(200).OverridePropertyName("id");
        RuleFor(c => c.Email).SetValidator(new EmailValidator()!);
        RuleFor(c => c.Properties).Must(p => p.Count <= SignalValidator.MaxProperties)
            .WithMessage($"At most {SignalValidator.MaxProperties} properties are allowed.");
        RuleForEach(c => c.Properties).Must(p => SignalValidator.IsValidProperty(p.Key, p.Value)).WithMessage(SignalValidator.PropertyMessage);
        RuleFor(c => c.CompanyId).MaximumLength(200);
        RuleForEach(c => c.CompanyProperties).Must(p => SignalValidator.IsValidProperty(p.Key, p.Value)).WithMessage(SignalValidator.PropertyMessage);
    }

    private sealed class EmailValidator : AbstractValidator<string>
    {
        public EmailValidator()
        {
            RuleFor(e => e).MaximumLength(254).EmailAddress().OverridePropertyName("email");
        }
    }
}

internal sealed class UpsertContactHandler(LedgerWriter writer, Ledger ledger) : ICommandHandler<UpsertContact, ContactRecord>
{
    public async ValueTask<ContactRecord> Handle(UpsertContact command, CancellationToken ct)
    {
        var workspace = command.Caller.Workspace;
        // The key is resolved as GET resolves it: ScoreHub id, then external id, or "email:<address>".
        var byEmail = command.Key.StartsWith("email:", StringComparison.OrdinalIgnoreCase) ? command.Key[6..] : null;
        var existing = ledger.Find(workspace)?.Resolve(command.Key)?.Id;
        var id = await writer.UpsertContactAsync(new ContactUpsert
        {
            WorkspaceId = workspace,
            ContactId = existing,
            ExternalId = existing is null && byEmail is null ? command.Key : null,
            Email = command.Email ?? byEmail,
            Properties = command.Properties,
            CompanyId = command.CompanyId,
            CompanyProperties = command.CompanyProperties,
        }, ct);
        return ledger.Find(workspace)!.Find(id)!;
    }
}
