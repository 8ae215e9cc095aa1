using System.Globalization;
using System.Text;
using CsCheck;

namespace ScoreHub.Host.Tests.BadInput;

/// <summary>A number written exactly as given (<c>1e400</c>, <c>-0</c>, <c>1.0000000000000000001</c>).</summary>
public sealed record RawNumber(string Text);

/// <summary>A JSON object whose members keep their order and may repeat a name.</summary>
public sealed class JObj : List<KeyValuePair<string, object?>>
{
    public JObj Add(string name, object? value)
    {
        Add(new KeyValuePair<string, object?>(name, value));
        return this;
    }

    public object? this[string name] => this.LastOrDefault(m => m.Key == name).Value;
}

/// <summary>A JSON array.</summary>
public sealed class JArr : List<object?>;

/// <summary>
/// Random JSON for the property tests, as a small tree (null, bool, long, double, <see cref="RawNumber"/>, string,
/// <see cref="JArr"/>, <see cref="JObj"/>) written by hand, so it can hold what System.Text.Json refuses to write:
/// lone surrogates (escaped), duplicate names, numbers out of double's range.
/// </summary>
public static class FuzzJson
{
    public static readonly string[] Strings =
    [
        "", " ", "a", "email.opened", "meeting.booked", "web.page_viewed", "Email.Opened", "email", "email.", ".opened",
        "sam@example.com", "not-an-email", "@", "2026-03-01T10:00:00Z", "2026-13-45", "yesterday", "0001-01-01T00:00:00Z",
        "9999-12-31T23:59:59Z", "1 day", "30 days", "0 days", "-1 weeks", "999999 months", "3 fortnights", "NaN", "Infinity",
        "-1", "1e400", "true", "null", "eq", "neq", "contains", "gt", "in", "exists", "startsWith", "linear", "expire",
        "halfLife", "hot", "\ud800", "\udc00x", "é", "😀", "\u0000", "\r\n", new string('x', 300), new string('y', 9_000),
        .. Corpus.InjectionStrings,
    ];

    public static readonly Gen<string> Text = Gen.OneOf(Gen.OneOfConst(Strings), Gen.String[0, 12], Gen.String[Gen.Char.AlphaNumeric, 1, 12]);

    public static readonly Gen<object?> Null = Gen.Int[0, 0].Select(_ => (object?)null);

    public static readonly Gen<object?> Number = Gen.OneOf<object?>(
        Gen.Long.Select(n => (object?)n),
        Gen.Int[-20, 200].Select(n => (object?)(long)n),
        Gen.Double.Select(d => double.IsFinite(d) ? (object?)d : new RawNumber("1e400")),
        Gen.OneOfConst<object?>(
            new RawNumber("1e400"), new RawNumber("-1e400"), new RawNumber("1e308"), new RawNumber("-1.7976931348623157e308"),
            new RawNumber("4.9e-324"), new RawNumber("-0"), new RawNumber("0.5"), new RawNumber("2147483648"),
            new RawNumber("123456789012345678901234567890"), 0L, -1L, 100L));

    public static readonly Gen<object?> Scalar = Gen.Frequency<object?>(
        (1, Null),
        (1, Gen.Bool.Select(b => (object?)b)),
        (3, Number),
        (4, Text.Select(s => (object?)s)));

    /// <summary>Any JSON value, nested at most <paramref name="depth"/> levels.</summary>
    public static Gen<object?> Value(int depth = 3) => depth <= 0
        ? Scalar
        : Gen.Frequency<object?>(
            (6, Scalar),
            (1, Value(depth - 1).List[0, 4].Select(l => (object?)ToArr(l))),
            (1, Gen.Select(Text, Value(depth - 1)).List[0, 4].Select(l => (object?)ToObj(l))));

    /// <summary>A flat object of <paramref name="min"/> to <paramref name="max"/> names to scalar values.</summary>
    public static Gen<object?> Map(int min, int max) =>
        Gen.Select(Gen.OneOf(Text, Gen.String[Gen.Char.AlphaNumeric, 1, 12]), Gen.Frequency((8, Scalar), (1, Value(1)))).List[min, max]
            .Select(l => (object?)ToObj(l));

    public static JArr ToArr(IEnumerable<object?> items)
    {
        var array = new JArr();
        array.AddRange(items);
        return array;
    }

    public static JObj ToObj(IEnumerable<(string Name, object? Value)> members)
    {
        var obj = new JObj();
        foreach (var (name, value) in members)
        {
            obj.Add(name, value);
        }

        return obj;
    }

    public static string Write(object? value)
    {
        var text = new StringBuilder();
        Write(value, text);
        return text.ToString();
    }

    private static void Write(object? value, StringBuilder text)
    {
        switch (value)
        {
            case null:
                text.Append("null");
                break;
            case bool b:
                text.Append(b ? "true" : "false");
                break;
            case long n:
                text.Append(n.ToString(CultureInfo.InvariantCulture));
                break;
            case int n:
                text.Append(n.ToString(CultureInfo.InvariantCulture));
                break;
            case double d:
                text.Append(d.ToString("R", CultureInfo.InvariantCulture));
                break;
            case RawNumber raw:
                text.Append(raw.Text);
                break;
            case string s:
                WriteString(s, text);
                break;
            case JArr array:
                text.Append('[');
                for (var i = 0; i < array.Count; i++)
                {
                    text.Append(i == 0 ? "" : ",");
                    Write(array[i], text);
                }

                text.Append(']');
                break;
            case JObj obj:
                text.Append('{');
                for (var i = 0; i < obj.Count; i++)
                {
                    text.Append(i == 0 ? "" : ",");
                    WriteString(obj[i].Key, text);
                    text.Append(':');
                    Write(obj[i].Value, text);
                }

                text.Append('}');
                break;
            default:
                throw new ArgumentException($"Not a JSON tree node: {value.GetType()}", nameof(value));
        }
    }

    /// <summary>Every character outside printable ASCII as <c>\uXXXX</c>, so lone surrogates survive as escapes.</summary>
    private static void WriteString(string s, StringBuilder text)
    {
        text.Append('"');
        foreach (var c in s)
        {
            if (c is '"' or '\\')
            {
                text.Append('\\').Append(c);
            }
            else if (c is < ' ' or > '~')
            {
                text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
            else
            {
                text.Append(c);
            }
        }

        text.Append('"');
    }
}
