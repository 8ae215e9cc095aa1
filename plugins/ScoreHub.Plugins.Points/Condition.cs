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
    // Interned, as the host interns stored property names: a lookup then finds its key by reference.
    public string Property { get; } = string.Intern(Property);

    // The expected values are parsed once here, not on every match: conditions run per event and per lead on publish.
    private readonly Operand _value = new(Value);
    private readonly Operand[] _values = [.. Values.Select(v => new Operand(v))];

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
            ConditionOp.Eq => AreEqual(actual, _value),
            ConditionOp.Neq => !AreEqual(actual, _value),
            ConditionOp.Contains => actual.Contains(Value, StringComparison.OrdinalIgnoreCase),
            ConditionOp.In => IsAnyOf(actual),
            ConditionOp.Gt => Compare(actual, _value) > 0,
            ConditionOp.Gte => Compare(actual, _value) >= 0,
            ConditionOp.Lt => Compare(actual, _value) < 0,
            ConditionOp.Lte => Compare(actual, _value) <= 0,
            _ => false,
        };
    }

    public override string ToString() => Op switch
    {
        ConditionOp.Exists => $"{Property} {(Exists ? "exists" : "does not exist")}",
        ConditionOp.In => $"{Property} in [{string.Join(", ", Values)}]",
        _ => $"{Property} {Op.ToString().ToLowerInvariant()} {Value}",
    };

    private bool IsAnyOf(string actual)
    {
        foreach (var value in _values)
        {
            if (AreEqual(actual, value))
            {
                return true;
            }
        }

        return false;
    }

    private static bool AreEqual(string actual, in Operand expected) =>
        expected.Number is { } b && TryNumber(actual, out var a)
            ? a.Equals(b)
            : string.Equals(actual, expected.Text, StringComparison.OrdinalIgnoreCase);

    // null when the two cannot be ordered (e.g. a number against a word): then no ordering op matches.
    private static int? Compare(string actual, in Operand expected)
    {
        if (expected.Number is { } b && TryNumber(actual, out var a))
        {
            return a.CompareTo(b);
        }

        if (expected.Instant is { } y && TryInstant(actual, out var x))
        {
            return x.CompareTo(y);
        }

        return null;
    }

    private static bool TryNumber(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    private static bool TryInstant(string text, out DateTimeOffset value) => DateTimeOffset.TryParse(
        text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out value);

    /// <summary>An expected value with its number and instant readings, when it has them.</summary>
    private readonly struct Operand
    {
        public Operand(string text)
        {
            Text = text;
            Number = TryNumber(text, out var number) ? number : null;
            Instant = TryInstant(text, out var instant) ? instant : null;
        }

        public string Text { get; }

        public double? Number { get; }

        public DateTimeOffset? Instant { get; }
    }
}
