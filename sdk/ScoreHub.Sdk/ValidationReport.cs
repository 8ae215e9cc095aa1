namespace ScoreHub.Sdk;

/// <summary>One problem with one field of some input, named by its JSON path (e.g. <c>groups[1].rules[0].points</c>).</summary>
/// <param name="Field">The JSON path of the offending field, relative to the validated object.</param>
/// <param name="Message">What is wrong, in a sentence a user can act on.</param>
public sealed record FieldError(string Field, string Message);

/// <summary>The result of validating settings or a model: valid, or a list of field errors.</summary>
public sealed class ValidationReport
{
    /// <summary>Creates a report from a list of errors; an empty list means valid.</summary>
    public ValidationReport(IReadOnlyList<FieldError> errors) => Errors = errors;

    /// <summary>A report with no errors.</summary>
    public static ValidationReport Valid { get; } = new([]);

    /// <summary>Every problem found; empty when valid.</summary>
    public IReadOnlyList<FieldError> Errors { get; }

    /// <summary>Whether there are no errors.</summary>
    public bool IsValid => Errors.Count == 0;

    /// <summary>A report with the given errors.</summary>
    public static ValidationReport Invalid(params FieldError[] errors) => new(errors);

    /// <summary>This report's errors followed by <paramref name="other"/>'s.</summary>
    public ValidationReport Merge(ValidationReport other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return other.IsValid ? this : IsValid ? other : new([.. Errors, .. other.Errors]);
    }
}
