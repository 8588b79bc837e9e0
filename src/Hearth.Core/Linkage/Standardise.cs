using System.Globalization;
using System.Text;

namespace Hearth.Core.Linkage;

/// <summary>
/// Standardisation applied to every value before it is compared: lower case, punctuation to spaces,
/// runs of spaces collapsed, titles dropped from names, dates read from the common written forms.
/// Hearth does this itself so users do not have to clean extracts first.
/// </summary>
public static class Standardise
{
    private static readonly HashSet<string> Titles = new(StringComparer.Ordinal)
    {
        "mr", "mrs", "ms", "miss", "mx", "dr", "master", "rev", "sir", "dame", "lady", "lord", "prof",
    };

    private static readonly string[] Months =
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

    /// <summary>Lower case letters and digits, everything else a single space; null when nothing is left.</summary>
    public static string? Text(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var sb = new StringBuilder(value.Length);
        var space = false;
        foreach (var ch in value)
        {
            if (char.IsLetterOrDigit(ch))
            {
                if (space && sb.Length > 0)
                {
                    sb.Append(' ');
                }

                space = false;
                sb.Append(char.ToLowerInvariant(ch));
            }
            else if (ch is '\'' or '’')
            {
                // O'Brien → obrien
            }
            else
            {
                space = true;
            }
        }

        return sb.Length == 0 ? null : sb.ToString();
    }

    /// <summary>A name: <see cref="Text"/> with leading titles removed (e.g. "Mrs. J. Smith" → "j smith").</summary>
    public static string? Name(string? value)
    {
        var t = Text(value);
        if (t is null)
        {
            return null;
        }

        while (true)
        {
            var space = t.IndexOf(' ', StringComparison.Ordinal);
            if (space < 0 || !Titles.Contains(t[..space]))
            {
                break;
            }

            t = t[(space + 1)..];
        }

        return Titles.Contains(t) ? null : t;
    }

    /// <summary>Letters and digits only, upper case (identifiers, postcodes): "943 476-5870" → "9434765870".</summary>
    public static string? Compact(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var sb = new StringBuilder(value.Length);
        foreach (var ch in value)
        {
            if (char.IsLetterOrDigit(ch))
            {
                sb.Append(char.ToUpperInvariant(ch));
            }
        }

        return sb.Length == 0 ? null : sb.ToString();
    }

    /// <summary>The first word of a standardised name, or null.</summary>
    public static string? FirstToken(string? value)
    {
        if (value is null)
        {
            return null;
        }

        var i = value.IndexOf(' ', StringComparison.Ordinal);
        return i < 0 ? value : value[..i];
    }

    /// <summary>The last word of a standardised name, or null.</summary>
    public static string? LastToken(string? value)
    {
        if (value is null)
        {
            return null;
        }

        var i = value.LastIndexOf(' ');
        return i < 0 ? value : value[(i + 1)..];
    }

    /// <summary>
    /// Reads a date as year, month and day. Accepts yyyymmdd, yyyy-mm-dd (also with a time), dd/mm/yyyy,
    /// dd-mm-yyyy, dd.mm.yyyy, d/m/yyyy, ddmmyyyy and "12 Mar 1980". Day-first is assumed for slashed forms
    /// (UK usage). The parts are returned even when they do not make a real date (a typing error such as
    /// month 13), so that a comparison can still see a one-digit difference; <c>Valid</c> says whether the
    /// date exists.
    /// </summary>
    public static DateParts? Date(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var s = value.Trim();
        var t = s.IndexOf('T', StringComparison.Ordinal);
        if (t == 10)
        {
            s = s[..10];
        }

        var space = s.IndexOf(' ', StringComparison.Ordinal);
        if (space == 10 && char.IsAsciiDigit(s[0]))
        {
            s = s[..10];
        }

        Span<int> parts = stackalloc int[3];
        Span<int> widths = stackalloc int[3];
        var count = 0;
        var monthName = -1;
        var i = 0;
        while (i < s.Length && count < 4)
        {
            if (char.IsAsciiDigit(s[i]))
            {
                var start = i;
                var v = 0;
                while (i < s.Length && char.IsAsciiDigit(s[i]) && i - start < 8)
                {
                    v = (v * 10) + (s[i] - '0');
                    i++;
                }

                if (count == 3)
                {
                    return null;
                }

                parts[count] = v;
                widths[count] = i - start;
                count++;
            }
            else if (char.IsAsciiLetter(s[i]))
            {
                var start = i;
                while (i < s.Length && char.IsAsciiLetter(s[i]))
                {
                    i++;
                }

                if (i - start >= 3)
                {
                    var m = Array.IndexOf(Months, s.Substring(start, 3).ToLowerInvariant());
                    if (m >= 0 && monthName < 0 && count < 3)
                    {
                        monthName = count;
                        parts[count] = m + 1;
                        widths[count] = 2;
                        count++;
                        continue;
                    }
                }

                return null;
            }
            else
            {
                i++;
            }
        }

        int year, month, day;
        if (count == 1 && widths[0] == 8)
        {
            var v = parts[0];
            var firstFour = v / 10000;
            if (firstFour is >= 1800 and <= 2199 && (v / 100 % 100) is >= 1 and <= 12)
            {
                (year, month, day) = (firstFour, v / 100 % 100, v % 100);
            }
            else if (v % 10000 is >= 1800 and <= 2199)
            {
                (day, month, year) = (v / 1000000, v / 10000 % 100, v % 10000);
            }
            else
            {
                (year, month, day) = (firstFour, v / 100 % 100, v % 100);
            }
        }
        else if (count == 3)
        {
            if (widths[0] == 4)
            {
                (year, month, day) = (parts[0], parts[1], parts[2]);
            }
            else if (widths[2] == 4)
            {
                (day, month, year) = (parts[0], parts[1], parts[2]);
                if (monthName == 0)
                {
                    (day, month) = (parts[1], parts[0]);
                }
            }
            else
            {
                return null;
            }
        }
        else
        {
            return null;
        }

        if (year is < 1000 or > 9999 || month is < 0 or > 99 || day is < 0 or > 99)
        {
            return null;
        }

        return new DateParts(year, month, day);
    }
}

/// <summary>A date's parts as written, which may not form a real date.</summary>
public readonly record struct DateParts(int Year, int Month, int Day)
{
    /// <summary>True when the parts make a real calendar date.</summary>
    public bool Valid => Month is >= 1 and <= 12 && Day >= 1 && Day <= DateTime.DaysInMonth(Year, Month);

    /// <summary>Days since 1 January 0001 for a valid date, otherwise -1.</summary>
    public int DayNumber => Valid ? new DateOnly(Year, Month, Day).DayNumber : -1;

    /// <summary>The parts as eight digits, yyyymmdd.</summary>
    public string Digits => string.Create(CultureInfo.InvariantCulture, $"{Year:D4}{Month:D2}{Day:D2}");
}
