namespace Hearth.Core;

/// <summary>
/// A period of whole days. <see cref="End"/> is inclusive: the period 1 April to 31 March covers the whole
/// financial year including 31 March, as a "Monday to Friday" week includes Friday.
/// </summary>
public readonly record struct DatePeriod
{
    public DatePeriod(DateOnly start, DateOnly end)
    {
        if (end < start)
        {
            throw new ArgumentException($"A period cannot end ({end:yyyy-MM-dd}) before it starts ({start:yyyy-MM-dd}).", nameof(end));
        }

        Start = start;
        End = end;
    }

    /// <summary>The first day in the period.</summary>
    public DateOnly Start { get; }

    /// <summary>The last day in the period (inclusive).</summary>
    public DateOnly End { get; }

    /// <summary>Number of days covered, counting both ends.</summary>
    public int Days => End.DayNumber - Start.DayNumber + 1;

    public bool Contains(DateOnly date) => date >= Start && date <= End;

    public bool Overlaps(DatePeriod other) => Start <= other.End && other.Start <= End;

    /// <summary>The days both periods share, or null when they do not meet.</summary>
    public DatePeriod? Intersect(DatePeriod other)
    {
        var start = Start > other.Start ? Start : other.Start;
        var end = End < other.End ? End : other.End;
        return end < start ? null : new DatePeriod(start, end);
    }

    /// <summary>The <paramref name="months"/> calendar months ending on <paramref name="end"/> (inclusive).</summary>
    public static DatePeriod MonthsEndingOn(DateOnly end, int months) =>
        new(end.AddMonths(-months).AddDays(1), end);

    /// <summary>The English financial year (1 April to 31 March) that contains <paramref name="date"/>.</summary>
    public static DatePeriod FinancialYearOf(DateOnly date)
    {
        var startYear = date.Month >= 4 ? date.Year : date.Year - 1;
        return new DatePeriod(new DateOnly(startYear, 4, 1), new DateOnly(startYear + 1, 3, 31));
    }

    public override string ToString() => $"{Start:yyyy-MM-dd}..{End:yyyy-MM-dd}";
}
