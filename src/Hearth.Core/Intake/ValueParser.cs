using System.Globalization;

namespace Hearth.Core.Intake;

/// <summary>
/// Turns cell text into typed values. Failures return a reason a data officer can act on, written so that
/// it never repeats a personal value (callers add the value only for non-personal fields).
/// </summary>
public static class ValueParser
{
    /// <summary>Reads a date with the first of <paramref name="formats"/> that fits; a time of day, when the format has one, is dropped.</summary>
    public static bool TryParseDate(string text, IReadOnlyList<string> formats, out DateOnly date, out string? reason)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(formats);
        foreach (var format in formats)
        {
            var fast = FastDate(text, format);
            if (fast is { } quick)
            {
                date = quick;
                reason = null;
                return true;
            }

            if (DateTime.TryParseExact(text, format, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var dateTime))
            {
                date = DateOnly.FromDateTime(dateTime);
                reason = null;
                return true;
            }
        }

        date = default;
        reason = ImpossibleDate(text, formats)
            ?? $"is not a date in the expected format ({string.Join(" or ", formats)})";
        return false;
    }

    /// <summary>
    /// Reads the common all-digit layouts (yyyy-MM-dd, dd/MM/yyyy, dd-MM-yyyy, dd.MM.yyyy, yyyyMMdd) without the
    /// general parser; null when the format is another or the text does not fit exactly (the general parser
    /// then decides, so results are the same, only faster).
    /// </summary>
    private static DateOnly? FastDate(string text, string format)
    {
        if (text.Length != format.Length)
        {
            return null;
        }

        int day, month, year;
        switch (format)
        {
            case "yyyy-MM-dd":
                if (text[4] != '-' || text[7] != '-')
                {
                    return null;
                }

                (year, month, day) = (Digits(text, 0, 4), Digits(text, 5, 2), Digits(text, 8, 2));
                break;
            case "dd/MM/yyyy" or "dd-MM-yyyy" or "dd.MM.yyyy":
                if (text[2] != format[2] || text[5] != format[5])
                {
                    return null;
                }

                (day, month, year) = (Digits(text, 0, 2), Digits(text, 3, 2), Digits(text, 6, 4));
                break;
            case "yyyyMMdd":
                (year, month, day) = (Digits(text, 0, 4), Digits(text, 4, 2), Digits(text, 6, 2));
                break;
            default:
                return null;
        }

        return year > 0 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month)
            ? new DateOnly(year, month, day)
            : null;
    }

    /// <summary>The number written by <paramref name="count"/> ASCII digits at <paramref name="start"/>, or -1.</summary>
    private static int Digits(string text, int start, int count)
    {
        var value = 0;
        for (var i = start; i < start + count; i++)
        {
            var c = text[i];
            if (!char.IsAsciiDigit(c))
            {
                return -1;
            }

            value = (value * 10) + (c - '0');
        }

        return value;
    }

    /// <summary>
    /// When the text has the shape of one of the formats but names a day that does not exist (31/02/2020),
    /// says so precisely: "day 31 does not exist in February 2020".
    /// </summary>
    private static string? ImpossibleDate(string text, IReadOnlyList<string> formats)
    {
        foreach (var format in formats)
        {
            var parts = Split(text.Trim());
            var formatParts = Split(format);
            if (parts.Count != formatParts.Count)
            {
                continue;
            }

            int? day = null, month = null, year = null;
            var fits = true;
            for (var i = 0; i < parts.Count && fits; i++)
            {
                var f = formatParts[i];
                var p = parts[i];
                if (f.StartsWith('d') && f.Length <= 2)
                {
                    fits = int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var d);
                    day = d;
                }
                else if (f.StartsWith('M') && f.Length <= 2)
                {
                    fits = int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var m);
                    month = m;
                }
                else if (f.StartsWith('M'))
                {
                    var index = Array.FindIndex(CultureInfo.InvariantCulture.DateTimeFormat.AbbreviatedMonthNames,
                        n => n.Length > 0 && p.StartsWith(n, StringComparison.OrdinalIgnoreCase));
                    fits = index >= 0;
                    month = index + 1;
                }
                else if (f.StartsWith('y'))
                {
                    fits = int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var y) && p.Length == f.Length;
                    year = f.Length == 2 ? CultureInfo.InvariantCulture.Calendar.ToFourDigitYear(y) : y;
                }
            }

            if (!fits || day is null || month is null || year is null)
            {
                continue;
            }

            if (month is < 1 or > 12)
            {
                return string.Create(CultureInfo.InvariantCulture, $"has month {month}, but months run from 1 to 12");
            }

            if (year is < 1 or > 9999)
            {
                continue;
            }

            var days = DateTime.DaysInMonth(year.Value, month.Value);
            if (day < 1 || day > days)
            {
                var name = CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(month.Value);
                return string.Create(CultureInfo.InvariantCulture,
                    $"is not a real date: day {day} does not exist in {name} {year} (it has {days} days)");
            }
        }

        return null;
    }

    /// <summary>
    /// Splits a whole name: "FAMILY, Given Other" when it has a comma; otherwise "Given Family Name", split at
    /// the first space, since family names may contain spaces ("Van Dyke") and agencies that write one name
    /// column rarely record middle names. A single word is taken as the family name.
    /// </summary>
    public static (string? Given, string? Other, string? Family) SplitName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var comma = name.IndexOf(',', StringComparison.Ordinal);
        if (comma >= 0)
        {
            var family = name[..comma].Trim();
            var rest = name[(comma + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return (rest.Length > 0 ? rest[0] : null, rest.Length > 1 ? string.Join(' ', rest[1..]) : null, family.Length > 0 ? family : null);
        }

        var words = name.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return words.Length switch
        {
            0 => (null, null, null),
            1 => (null, null, words[0]),
            _ => (words[0], null, string.Join(' ', words[1..])),
        };
    }

    private static List<string> Split(string s)
    {
        var parts = new List<string>();
        var start = 0;
        for (var i = 0; i <= s.Length; i++)
        {
            if (i == s.Length || !char.IsAsciiLetterOrDigit(s[i]))
            {
                if (i > start)
                {
                    parts.Add(s[start..i]);
                }

                start = i + 1;
            }
        }

        return parts;
    }

    /// <summary>Reads a whole number, allowing thousands separators ("1,200").</summary>
    public static bool TryParseInt(string text, out int value, out string? reason)
    {
        if (int.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowThousands | NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite,
                CultureInfo.InvariantCulture, out value))
        {
            reason = null;
            return true;
        }

        reason = decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out _)
            ? "is not a whole number"
            : "is not a number";
        return false;
    }

    /// <summary>
    /// Reads an amount of money in pounds ("£1,234.56", "-12.5", "300", "(12.00)" for a negative amount) as
    /// whole pence. More than two decimal places is an error rather than silent rounding.
    /// </summary>
    public static bool TryParseMoney(string text, out long pence, out string? reason)
    {
        ArgumentNullException.ThrowIfNull(text);
        var s = text.Trim();
        var negative = false;
        if (s.StartsWith('(') && s.EndsWith(')'))
        {
            negative = true;
            s = s[1..^1].Trim();
        }

        if (s.StartsWith('-'))
        {
            negative = !negative;
            s = s[1..].TrimStart();
        }

        if (s.StartsWith('£'))
        {
            s = s[1..];
        }

        if (!decimal.TryParse(s, NumberStyles.AllowThousands | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var pounds))
        {
            pence = 0;
            reason = "is not an amount of money (expected pounds such as 1234.56 or £1,234.56)";
            return false;
        }

        var scaled = pounds * 100m;
        if (scaled != decimal.Truncate(scaled))
        {
            pence = 0;
            reason = "has more than two decimal places (expected pounds and pence)";
            return false;
        }

        if (scaled > long.MaxValue)
        {
            pence = 0;
            reason = "is too large";
            return false;
        }

        pence = (long)scaled * (negative ? -1 : 1);
        reason = null;
        return true;
    }
}
