using System.Globalization;

namespace Hearth.Core.Finance;

/// <summary>
/// A UK financial year used as a price base, written <c>2015/16</c> (1 April 2015 to 31 March 2016).
/// <see cref="StartYear"/> is the calendar year in which it begins.
/// </summary>
public readonly record struct PriceYear(int StartYear) : IComparable<PriceYear>
{
    /// <summary>Parses <c>2015/16</c> (also accepts <c>2015-16</c>). The second part must be the following year.</summary>
    public static bool TryParse(string? text, out PriceYear year, out string reason)
    {
        year = default;
        reason = string.Empty;
        var t = (text ?? string.Empty).Trim();
        if (t.Length != 7 || (t[4] != '/' && t[4] != '-'))
        {
            reason = $"'{t}' is not a financial year like 2015/16";
            return false;
        }

        if (!int.TryParse(t.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var start)
            || !int.TryParse(t.AsSpan(5, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var end))
        {
            reason = $"'{t}' is not a financial year like 2015/16";
            return false;
        }

        if ((start + 1) % 100 != end)
        {
            reason = $"'{t}': the second part must be the year after {start} ({(start + 1) % 100:D2})";
            return false;
        }

        year = new PriceYear(start);
        return true;
    }

    public static PriceYear Parse(string text) =>
        TryParse(text, out var year, out var reason) ? year : throw new FormatException(reason);

    public PriceYear AddYears(int years) => new(checked(StartYear + years));

    public int CompareTo(PriceYear other) => StartYear.CompareTo(other.StartYear);

    public static bool operator <(PriceYear a, PriceYear b) => a.StartYear < b.StartYear;
    public static bool operator >(PriceYear a, PriceYear b) => a.StartYear > b.StartYear;
    public static bool operator <=(PriceYear a, PriceYear b) => a.StartYear <= b.StartYear;
    public static bool operator >=(PriceYear a, PriceYear b) => a.StartYear >= b.StartYear;

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{StartYear}/{(StartYear + 1) % 100:D2}");
}
