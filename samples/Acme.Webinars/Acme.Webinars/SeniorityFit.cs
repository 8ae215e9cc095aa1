using System.Globalization;
using System.Text.Json;
using ScoreHub.Sdk;

namespace Acme.Webinars;

/// <summary>
/// A fit score from the contact's job title: the title is put in a seniority band and the band's points are the score.
/// Model: <c>{"strategy": "acme.webinars", "property": "jobTitle", "points": {"c-level": 30, "vp": 25, ...}}</c>.
/// </summary>
/// <remarks>
/// Pure, as the contract requires: the title is the property's value at the evaluated instant, and nothing reads a
/// clock. A band missing from <c>points</c> scores 0, as does a contact without a title.
/// </remarks>
internal static class SeniorityFit
{
    public const string DefaultProperty = "jobTitle";
    private const double MaxPoints = 1000;

    public static ValidationReport ValidateModel(JsonElement model)
    {
        if (model.ValueKind != JsonValueKind.Object)
        {
            return ValidationReport.Invalid(new FieldError("", "The model must be a JSON object."));
        }

        var errors = new List<FieldError>();
        if (model.TryGetProperty("property", out var property) &&
            (property.ValueKind != JsonValueKind.String || property.GetString() is not { Length: > 0 and <= 100 }))
        {
            errors.Add(new FieldError("property", "'property' must be the name of a contact property (1-100 characters), e.g. jobTitle."));
        }

        if (!model.TryGetProperty("points", out var points) || points.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new FieldError("points", $"'points' must be an object from seniority band ({string.Join(", ", Seniority.Bands)}) to points."));
            return new ValidationReport(errors);
        }

        foreach (var band in points.EnumerateObject())
        {
            if (!Seniority.Bands.Contains(band.Name, StringComparer.Ordinal))
            {
                errors.Add(new FieldError($"points.{band.Name}", $"'{band.Name}' is not a seniority band; use one of {string.Join(", ", Seniority.Bands)}."));
            }
            else if (band.Value.ValueKind != JsonValueKind.Number || !band.Value.TryGetDouble(out var value) || Math.Abs(value) > MaxPoints)
            {
                errors.Add(new FieldError($"points.{band.Name}", $"The points of '{band.Name}' must be a number from -{MaxPoints} to {MaxPoints}."));
            }
        }

        return new ValidationReport(errors);
    }

    public static IScoreEvaluator Compile(JsonElement model)
    {
        var property = model.TryGetProperty("property", out var p) ? p.GetString()! : DefaultProperty;
        var points = model.GetProperty("points").EnumerateObject().ToDictionary(b => b.Name, b => b.Value.GetDouble(), StringComparer.Ordinal);
        return new Evaluator(property, points);
    }

    private sealed class Evaluator(string property, Dictionary<string, double> points) : IScoreEvaluator
    {
        // Reads no events at all: only the job title's history matters.
        public IReadOnlySet<string>? EventTypes { get; } = new HashSet<string>(StringComparer.Ordinal);

        public ScoreEvaluation Evaluate(LeadView lead, DateTimeOffset asOf)
        {
            var band = Seniority.Of(lead.Properties.ValueAt(property, asOf));
            var value = band is null ? 0 : points.GetValueOrDefault(band);
            var description = band is null
                ? $"no {property}"
                : $"{property} is {band} {value.ToString("+0.##;-0.##;0", CultureInfo.InvariantCulture)}";
            return new ScoreEvaluation
            {
                Value = value,
                Fit = value,
                Groups =
                [
                    new GroupBreakdown
                    {
                        Name = "Seniority",
                        Raw = value,
                        Value = value,
                        Part = "fit",
                        Rules = [new RuleBreakdown { Index = 0, Description = description, Points = value }],
                    },
                ],
            };
        }
    }
}

/// <summary>Seniority bands from job titles, in English, by the words they contain.</summary>
internal static class Seniority
{
    public const string CLevel = "c-level";
    public const string Vp = "vp";
    public const string Director = "director";
    public const string Manager = "manager";
    public const string IndividualContributor = "ic";
    public const string Student = "student";

    public static readonly string[] Bands = [CLevel, Vp, Director, Manager, IndividualContributor, Student];

    private static readonly HashSet<string> StudentWords = ["student", "intern", "internship", "trainee", "apprentice", "retired"];
    private static readonly HashSet<string> VpWords = ["vp", "svp", "evp", "avp"];
    private static readonly HashSet<string> CLevelWords =
        ["chief", "ceo", "cfo", "cto", "coo", "cmo", "cio", "cro", "cpo", "cso", "cdo", "founder", "cofounder", "owner", "president"];
    private static readonly HashSet<string> DirectorWords = ["director", "head"];
    private static readonly HashSet<string> ManagerWords = ["manager", "mgr", "lead", "supervisor"];

    /// <summary>The band of a job title; <c>null</c> when there is no title.</summary>
    /// <remarks>
    /// The order of the checks is the point: "Student assistant" is a student, "Executive Assistant to the CEO" an
    /// individual contributor, "Vice President" a VP (not a president), "Managing Director" C-level (the title of a
    /// company's chief executive in much of Europe), "Head of Growth" a director, "Team Lead" a manager.
    /// </remarks>
    public static string? Of(string? title)
    {
        if (string.IsNullOrWhiteSpace(title))
        {
            return null;
        }

        var words = title.ToLowerInvariant().Split(NonLetters, StringSplitOptions.RemoveEmptyEntries);
        var phrase = " " + string.Join(' ', words) + " ";
        return words.Any(StudentWords.Contains) ? Student
            : phrase.Contains(" assistant to ", StringComparison.Ordinal) ? IndividualContributor
            : words.Any(VpWords.Contains) || phrase.Contains(" vice president ", StringComparison.Ordinal) ? Vp
            : words.Any(CLevelWords.Contains) || phrase.Contains(" managing director ", StringComparison.Ordinal)
                || phrase.Contains(" co founder ", StringComparison.Ordinal) ? CLevel
            : words.Any(DirectorWords.Contains) ? Director
            : words.Any(ManagerWords.Contains) ? Manager
            : IndividualContributor;
    }

    private static readonly char[] NonLetters = [.. Enumerable.Range(0, 128).Select(c => (char)c).Where(c => !char.IsAsciiLetterOrDigit(c))];
}
