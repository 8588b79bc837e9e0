using System.Text;

namespace Hearth.Core.Linkage;

/// <summary>
/// Phonetic key after Lawrence Philips' original Metaphone (1990), written from its published rules:
/// names that sound alike get the same key (KATHRYN and CATHERINE both give K0RN, where 0 stands for "th").
/// Only the letters A–Z are used; anything else is ignored. The key is not truncated.
/// </summary>
public static class Metaphone
{
    /// <summary>The Metaphone key of <paramref name="value"/>, or an empty string when it has no letters.</summary>
    public static string Encode(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        Span<char> w = value.Length <= 128 ? stackalloc char[value.Length] : new char[value.Length];
        var n = 0;
        foreach (var ch in value)
        {
            var c = char.ToUpperInvariant(ch);
            if (c is >= 'A' and <= 'Z')
            {
                w[n++] = c;
            }
        }

        if (n == 0)
        {
            return string.Empty;
        }

        w = w[..n];
        var sb = new StringBuilder(n);
        var start = 0;

        // Initial letter exceptions.
        if (n >= 2)
        {
            var first2 = string.Concat(w[0], w[1]);
            switch (first2)
            {
                case "AE" or "GN" or "KN" or "PN" or "WR":
                    start = 1;
                    break;
                case "WH":
                    sb.Append('W');
                    start = 2;
                    break;
                default:
                    break;
            }
        }

        if (w[0] == 'X')
        {
            sb.Append('S');
            start = 1;
        }

        for (var i = start; i < n; i++)
        {
            var c = w[i];
            if (c != 'C' && i > 0 && w[i - 1] == c)
            {
                continue; // a doubled letter sounds once
            }

            var next = i + 1 < n ? w[i + 1] : '\0';
            var next2 = i + 2 < n ? w[i + 2] : '\0';
            var prev = i > 0 ? w[i - 1] : '\0';
            switch (c)
            {
                case 'A' or 'E' or 'I' or 'O' or 'U':
                    if (i == 0)
                    {
                        sb.Append(c);
                    }

                    break;
                case 'B':
                    if (!(prev == 'M' && i == n - 1))
                    {
                        sb.Append('B');
                    }

                    break;
                case 'C':
                    if (prev == 'S' && next is 'I' or 'E' or 'Y')
                    {
                        break; // SCI, SCE, SCY: the C is silent
                    }

                    if (next == 'I' && next2 == 'A')
                    {
                        sb.Append('X');
                    }
                    else if (next == 'H')
                    {
                        sb.Append(prev == 'S' ? 'K' : 'X');
                    }
                    else if (next is 'I' or 'E' or 'Y')
                    {
                        sb.Append('S');
                    }
                    else
                    {
                        sb.Append('K');
                    }

                    break;
                case 'D':
                    sb.Append(next == 'G' && next2 is 'E' or 'Y' or 'I' ? 'J' : 'T');
                    break;
                case 'G':
                    if (next == 'H' && i + 2 < n && !IsVowel(next2))
                    {
                        break; // GH not at the end and not before a vowel: silent (KNIGHT)
                    }

                    if (next == 'N' && (i + 2 == n || (next2 == 'E' && i + 3 < n && w[i + 3] == 'D' && i + 4 == n)))
                    {
                        break; // GN, GNED at the end: silent
                    }

                    sb.Append(next is 'I' or 'E' or 'Y' && prev != 'G' ? 'J' : 'K');
                    break;
                case 'H':
                    if (prev is 'C' or 'S' or 'P' or 'T' or 'G')
                    {
                        break;
                    }

                    if (IsVowel(prev) && !IsVowel(next))
                    {
                        break;
                    }

                    sb.Append('H');
                    break;
                case 'K':
                    if (prev != 'C')
                    {
                        sb.Append('K');
                    }

                    break;
                case 'P':
                    sb.Append(next == 'H' ? 'F' : 'P');
                    break;
                case 'Q':
                    sb.Append('K');
                    break;
                case 'S':
                    sb.Append(next == 'H' || (next == 'I' && next2 is 'O' or 'A') ? 'X' : 'S');
                    break;
                case 'T':
                    if (next == 'I' && next2 is 'O' or 'A')
                    {
                        sb.Append('X');
                    }
                    else if (next == 'H')
                    {
                        sb.Append('0');
                    }
                    else if (!(next == 'C' && next2 == 'H'))
                    {
                        sb.Append('T');
                    }

                    break;
                case 'V':
                    sb.Append('F');
                    break;
                case 'W' or 'Y':
                    if (IsVowel(next))
                    {
                        sb.Append(c);
                    }

                    break;
                case 'X':
                    sb.Append("KS");
                    break;
                case 'Z':
                    sb.Append('S');
                    break;
                default:
                    sb.Append(c); // F, J, L, M, N, R
                    break;
            }
        }

        return sb.ToString();
    }

    private static bool IsVowel(char c) => c is 'A' or 'E' or 'I' or 'O' or 'U';
}
