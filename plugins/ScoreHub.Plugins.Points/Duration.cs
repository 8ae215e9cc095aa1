using System.Globalization;
using System.Text.RegularExpressions;

namespace ScoreHub.Plugins.Points;

internal enum DurationUnit
{
    Days,
    Weeks,
    Months,
}

/// <summary>
/// A span such as <c>30 days</c> or <c>1 month</c>. Months are calendar months: a period started on the 15th at
/// 10:00 ends on the 15th of the next month at 10:00 (clamped to the month's last day, as
/// <see cref="DateTimeOffset.AddMonths"/> does). Periods are always counted from the start instant, never chained,
/// so a clamped February does not shift the following months.
/// </summary>
internal readonly partial record struct Duration(int Count, DurationUnit Unit)
{
    public const string Format = "'N days', 'N weeks' or 'N months' with N a positive whole number";

    public static bool TryParse(string? text, out Duration duration)
    {
        duration = default;
        var match = text is null ? Match.Empty : Pattern().Match(text);
        if (!match.Success
            || !int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            || count <= 0)
        {
            return false;
        }

        var unit = match.Groups[2].Value.ToUpperInvariant() switch
        {
            "DAY" or "DAYS" => DurationUnit.Days,
            "WEEK" or "WEEKS" => DurationUnit.Weeks,
            _ => DurationUnit.Months,
        };
        duration = new Duration(count, unit);
        return true;
    }

    /// <summary>
    /// The instant <paramref name="periods"/> whole periods after <paramref name="start"/>, or
    /// <see cref="DateTimeOffset.MaxValue"/> ("never") when that lies beyond the calendar: evaluation must not throw
    /// for a long duration or an event near year 9999.
    /// </summary>
    public DateTimeOffset After(DateTimeOffset start, long periods)
    {
        // One day of margin keeps both the UTC and the local clock time of the result in range.
        var roomTicks = DateTimeOffset.MaxValue.UtcTicks - start.UtcTicks - TimeSpan.TicksPerDay;
        if (Unit != DurationUnit.Months)
        {
            return periods > roomTicks / PeriodTicks ? DateTimeOffset.MaxValue : start.AddTicks(PeriodTicks * periods);
        }

        var months = (decimal)Count * periods;
        var roomMonths = ((DateTimeOffset.MaxValue.Year - start.Year) * 12m) - start.Month;
        return months >= roomMonths ? DateTimeOffset.MaxValue : start.AddMonths((int)months);
    }

    /// <summary>How many whole periods have elapsed from <paramref name="start"/> to <paramref name="end"/> (0 if none).</summary>
    public long FullPeriods(DateTimeOffset start, DateTimeOffset end)
    {
        if (end <= start)
        {
            return 0;
        }

        if (Unit != DurationUnit.Months)
        {
            return (end - start).Ticks / PeriodTicks;
        }

        var utcStart = start.UtcDateTime;
        var utcEnd = end.UtcDateTime;
        long k = Math.Max(0, (((utcEnd.Year - utcStart.Year) * 12) + utcEnd.Month - utcStart.Month) / Count);
        while (k > 0 && After(start, k) > end)
        {
            k--;
        }

        while (After(start, k + 1) is var after && after <= end && after != DateTimeOffset.MaxValue)
        {
            k++;
        }

        return k;
    }

    /// <summary>Whether a period ending at <paramref name="end"/> (from <see cref="After"/>) is over at <paramref name="at"/>.</summary>
    public static bool IsOver(DateTimeOffset end, DateTimeOffset at) => end != DateTimeOffset.MaxValue && at >= end;

    /// <summary>Elapsed periods including the fraction of the current one (for half-life decay).</summary>
    public double Periods(DateTimeOffset start, DateTimeOffset end)
    {
        if (end <= start)
        {
            return 0;
        }

        var k = FullPeriods(start, end);
        var from = After(start, k);
        var to = After(start, k + 1);
        return k + ((end - from).Ticks / (double)(to - from).Ticks);
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Count} {Unit.ToString().ToLowerInvariant()}");

    private long PeriodTicks => Unit == DurationUnit.Weeks ? TimeSpan.TicksPerDay * 7 * Count : TimeSpan.TicksPerDay * Count;

    [GeneratedRegex(@"^\s*(\d{1,6})\s+(days?|weeks?|months?)\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
