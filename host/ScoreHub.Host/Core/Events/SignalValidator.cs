using System.Text.RegularExpressions;
using FluentValidation;
using ScoreHub.Sdk;

namespace ScoreHub.Host.Core.Events;

/// <summary>
/// What every signal must satisfy before it reaches the ledger, whether it came through the canonical API or a
/// source plugin.
/// </summary>
internal sealed partial class SignalValidator : AbstractValidator<Signal>
{
    public const int MaxIdLength = 200;
    public const int MaxProperties = 100;
    public const int MaxPropertyValueLength = 8_192;

    public SignalValidator(TimeProvider clock)
        : this(clock.GetUtcNow)
    {
    }

    /// <summary>A validator judging the signal as if it arrived at <paramref name="now"/> (a scheduled signal's due instant).</summary>
    public SignalValidator(Func<DateTimeOffset> now)
    {
        RuleFor(s => s.Id).NotEmpty().MaximumLength(MaxIdLength);
        RuleFor(s => s.Type).NotEmpty().MaximumLength(100)
            .Matches(TypePattern()).WithMessage("'type' must be lower-case 'area.verb', e.g. 'email.opened'.");
        RuleFor(s => s.OccurredAt)
            .Must(at => at.Year >= 2000).WithMessage("'occurredAt' must be after the year 2000.")
            .Must(at => at <= now().AddDays(1)).WithMessage("'occurredAt' is more than a day in the future.");
        RuleFor(s => s.Contact).NotNull().SetValidator(new ContactRefValidator());
        RuleFor(s => s.Properties).Must(p => p.Count <= MaxProperties)
            .WithMessage($"At most {MaxProperties} properties are allowed.");
        RuleForEach(s => s.Properties).Must(p => IsValidProperty(p.Key, p.Value)).WithMessage(PropertyMessage);
        RuleForEach(s => s.ContactProperties).Must(p => IsValidProperty(p.Key, p.Value)).WithMessage(PropertyMessage);
        RuleFor(s => s.Company!).SetValidator(new CompanyRefValidator()).When(s => s.Company is not null);
    }

    /// <summary>The one limit on every stored property, of events, contacts and companies alike.</summary>
    public static bool IsValidProperty(string name, string? value) =>
        name.Length is > 0 and <= 100 && (value?.Length ?? 0) <= MaxPropertyValueLength;

    public const string PropertyMessage = "Property names must be 1-100 characters and values at most 8192.";

    [GeneratedRegex(@"^[a-z0-9_]+(\.[a-z0-9_]+)+$")]
    private static partial Regex TypePattern();
}

internal sealed class CompanyRefValidator : AbstractValidator<CompanyRef>
{
    public CompanyRefValidator()
    {
        RuleFor(c => c.Id).NotEmpty().MaximumLength(200);
        RuleFor(c => c.Properties).Must(p => p.Count <= SignalValidator.MaxProperties)
            .WithMessage($"At most {SignalValidator.MaxProperties} properties are allowed.");
        RuleForEach(c => c.Properties).Must(p => SignalValidator.IsValidProperty(p.Key, p.Value))
            .WithMessage(SignalValidator.PropertyMessage);
    }
}

internal sealed class ContactRefValidator : AbstractValidator<ContactRef>
{
    public ContactRefValidator()
    {
        RuleFor(c => c).Must(c => !string.IsNullOrWhiteSpace(c.Email) || !string.IsNullOrWhiteSpace(c.ExternalId) || !string.IsNullOrWhiteSpace(c.AnonymousId))
            .WithName("contact").OverridePropertyName("")
            .WithMessage("'contact' needs at least one of email, externalId or anonymousId.");
        RuleFor(c => c.Email).MaximumLength(254).Must(e => e is null || LooksLikeEmail(e))
            .WithMessage("'email' is not an email address.");
        RuleFor(c => c.ExternalId).MaximumLength(200);
        RuleFor(c => c.AnonymousId).MaximumLength(200);
    }

    private static bool LooksLikeEmail(string email)
    {
        var at = email.IndexOf('@', StringComparison.Ordinal);
        return at > 0 && at < email.Length - 1 && email.IndexOf('@', at + 1) < 0 && !email.Any(char.IsWhiteSpace);
    }
}
