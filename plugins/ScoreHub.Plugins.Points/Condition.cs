using System.Globalization;

namespace ScoreHub.Plugins.Points;

internal enum ConditionOp
{
    Eq,
    Neq,
    Contains,
    Gt,
    Gte,
    Lt,
    Lte,
    In,
    Exists,
}

/// <summary>
/// A test of one property value (an event property, or a lead property as of the evaluated instant).
/// Values compare as numbers when both sides are numbers, as instants when both are ISO-8601 dates, and otherwise
/// as text ignoring case. A missing value satisfies only <c>neq</c> (and <c>exists: false</c>).
/// </summary>
internal sealed record Condition(string Property, ConditionOp Op, string Value, IReadOnlyList<string> Values, bool Exists)
{
    public bool Matches(string? actual)
    {
        if (Op == ConditionOp.Exists)
        {
            return (actual is not null) == Exists;
        }

        if (actual is null)
        {
            return Op == ConditionOp.Neq;
        }

        return Op switch
        {
            ConditionOp.Eq => AreEqual(actual, Value),
            ConditionOp.Neq => !AreEqual(actual, Value),
            ConditionOp.Contains => actual.Contains(Value, StringComparison.OrdinalIgnoreCase),
            ConditionOp.In => Values.Any(v => AreEqual(actual, v)),
            ConditionOp.Gt => Compare(actual, Value) > 0,
            ConditionOp.Gte => Compare(actual, Value) >= 0,
            ConditionOp.Lt => Compare(actual, Value) < 0,
            ConditionOp.Lte => Compare(actual, Value) <= 0,
            _ => false,
        };
    }

    public override string ToString() => Op switch
    {
        ConditionOp.Exists => $"{Property} {(Exists ? "exists" : "does not exist")}",
        ConditionOp.In => $"{Property} in [{string.Join(", ", Values)}]",
        _ => $"{Property} {Op.ToString().ToLowerInvariant()} {Value}",
    };

    private static bool AreEqual(string actual, string expected) =>
        TryNumber(actual, out var a) && TryNumber(expected, out var b)
            ? a.Equals(b)
            : string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase);

    // null when the two cannot be ordered (e.g. a number against a word): then no ordering op matches.
    private static int? Compare(string actual, string expected)
    {
        if (TryNumber(actual, out var a) && TryNumber(expected, out var b))
        {
            return a.CompareTo(b);
        }

        const DateTimeStyles styles = DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces;
        if (DateTimeOffset.TryParse(actual, CultureInfo.InvariantCulture, styles, out var x)
            && DateTimeOffset.TryParse(expected, CultureInfo.InvariantCulture, styles, out var y))
        {
            return x.CompareTo(y);
        }

        return null;
    }

    private static bool TryNumber(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
}
