using System.Numerics;

namespace Hearth.Core.Linkage;

/// <summary>
/// String similarity measures used by the comparisons. They work on spans and allocate nothing for
/// strings of up to 64 characters (longer strings rent a buffer), so they can run once per candidate pair.
/// </summary>
public static class StringMetrics
{
    private const int StackLimit = 64;

    /// <summary>
    /// Jaro similarity: matching characters within a window of max(|a|,|b|)/2 − 1, less half the transpositions.
    /// 1 for identical strings, 0 when nothing matches or either string is empty.
    /// </summary>
    public static double Jaro(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        if (a.Length == 0 || b.Length == 0)
        {
            return 0;
        }

        if (a.SequenceEqual(b))
        {
            return 1;
        }

        if (a.Length <= 64 && b.Length <= 64 && IsAscii(a) && IsAscii(b))
        {
            return JaroBitParallel(a, b);
        }

        var window = Math.Max(0, (Math.Max(a.Length, b.Length) / 2) - 1);
        Span<bool> aFlags = a.Length <= StackLimit ? stackalloc bool[a.Length] : new bool[a.Length];
        Span<bool> bFlags = b.Length <= StackLimit ? stackalloc bool[b.Length] : new bool[b.Length];
        aFlags.Clear();
        bFlags.Clear();
        var matches = 0;
        for (var i = 0; i < a.Length; i++)
        {
            var lo = Math.Max(0, i - window);
            var hi = Math.Min(b.Length - 1, i + window);
            for (var j = lo; j <= hi; j++)
            {
                if (!bFlags[j] && a[i] == b[j])
                {
                    aFlags[i] = true;
                    bFlags[j] = true;
                    matches++;
                    break;
                }
            }
        }

        if (matches == 0)
        {
            return 0;
        }

        var halfTranspositions = 0;
        var k = 0;
        for (var i = 0; i < a.Length; i++)
        {
            if (!aFlags[i])
            {
                continue;
            }

            while (!bFlags[k])
            {
                k++;
            }

            if (a[i] != b[k])
            {
                halfTranspositions++;
            }

            k++;
        }

        double m = matches;
        return ((m / a.Length) + (m / b.Length) + ((m - (halfTranspositions / 2.0)) / m)) / 3.0;
    }

    [ThreadStatic]
    private static ulong[]? _positions;

    private static bool IsAscii(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (c >= 128)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The same greedy matching as the general loop (each character of a takes the first unmatched equal
    /// character of b inside the window), done with one 64-bit mask of positions per character of b, so the
    /// cost is linear in the lengths rather than length × window.
    /// </summary>
    private static double JaroBitParallel(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        var positions = _positions ??= new ulong[128];
        for (var j = 0; j < b.Length; j++)
        {
            positions[b[j]] |= 1UL << j;
        }

        var window = Math.Max(0, (Math.Max(a.Length, b.Length) / 2) - 1);
        ulong matchedA = 0, matchedB = 0;
        var matches = 0;
        for (var i = 0; i < a.Length; i++)
        {
            var lo = Math.Max(0, i - window);
            var hi = Math.Min(b.Length - 1, i + window);
            if (lo > hi)
            {
                continue;
            }

            var width = hi - lo + 1;
            var range = (width == 64 ? ulong.MaxValue : (1UL << width) - 1) << lo;
            var candidates = positions[a[i]] & range & ~matchedB;
            if (candidates != 0)
            {
                matchedB |= 1UL << BitOperations.TrailingZeroCount(candidates);
                matchedA |= 1UL << i;
                matches++;
            }
        }

        for (var j = 0; j < b.Length; j++)
        {
            positions[b[j]] = 0;
        }

        if (matches == 0)
        {
            return 0;
        }

        var halfTranspositions = 0;
        while (matchedA != 0)
        {
            if (a[BitOperations.TrailingZeroCount(matchedA)] != b[BitOperations.TrailingZeroCount(matchedB)])
            {
                halfTranspositions++;
            }

            matchedA &= matchedA - 1;
            matchedB &= matchedB - 1;
        }

        double m = matches;
        return ((m / a.Length) + (m / b.Length) + ((m - (halfTranspositions / 2.0)) / m)) / 3.0;
    }

    /// <summary>
    /// True when the Damerau–Levenshtein distance is at most 1 (equal, or one insertion, deletion,
    /// substitution or adjacent transposition), in linear time.
    /// </summary>
    public static bool WithinOneEdit(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        if (Math.Abs(a.Length - b.Length) > 1)
        {
            return false;
        }

        var i = 0;
        var min = Math.Min(a.Length, b.Length);
        while (i < min && a[i] == b[i])
        {
            i++;
        }

        if (i == min)
        {
            return true; // equal, or one character added at the end
        }

        if (a.Length == b.Length)
        {
            if (a[(i + 1)..].SequenceEqual(b[(i + 1)..]))
            {
                return true;
            }

            return i + 1 < a.Length && a[i] == b[i + 1] && a[i + 1] == b[i] && a[(i + 2)..].SequenceEqual(b[(i + 2)..]);
        }

        return a.Length > b.Length ? a[(i + 1)..].SequenceEqual(b[i..]) : a[i..].SequenceEqual(b[(i + 1)..]);
    }

    /// <summary>
    /// Jaro–Winkler similarity (Winkler 1990): Jaro plus 0.1 × (common prefix, at most 4) × (1 − Jaro).
    /// </summary>
    public static double JaroWinkler(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        var jaro = Jaro(a, b);
        if (jaro is 0 or 1)
        {
            return jaro;
        }

        var prefix = 0;
        var max = Math.Min(4, Math.Min(a.Length, b.Length));
        while (prefix < max && a[prefix] == b[prefix])
        {
            prefix++;
        }

        return jaro + (prefix * 0.1 * (1 - jaro));
    }

    /// <summary>
    /// Damerau–Levenshtein distance in its optimal-string-alignment form: insertions, deletions,
    /// substitutions and transpositions of adjacent characters each cost 1, and no substring is edited twice
    /// (so "CA" → "ABC" is 3, not 2). Uses three rolling rows.
    /// </summary>
    public static int DamerauLevenshtein(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        if (a.Length == 0)
        {
            return b.Length;
        }

        if (b.Length == 0)
        {
            return a.Length;
        }

        var width = b.Length + 1;
        int[]? rented = null;
        Span<int> buffer = width * 3 <= 3 * (StackLimit + 1)
            ? stackalloc int[3 * (StackLimit + 1)]
            : (rented = System.Buffers.ArrayPool<int>.Shared.Rent(width * 3));
        try
        {
            var prev2 = buffer.Slice(0, width);
            var prev = buffer.Slice(width, width);
            var cur = buffer.Slice(2 * width, width);
            for (var j = 0; j < width; j++)
            {
                prev[j] = j;
            }

            for (var i = 1; i <= a.Length; i++)
            {
                cur[0] = i;
                for (var j = 1; j <= b.Length; j++)
                {
                    var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                    var best = Math.Min(Math.Min(prev[j] + 1, cur[j - 1] + 1), prev[j - 1] + cost);
                    if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    {
                        best = Math.Min(best, prev2[j - 2] + 1);
                    }

                    cur[j] = best;
                }

                var t = prev2;
                prev2 = prev;
                prev = cur;
                cur = t;
            }

            return prev[b.Length];
        }
        finally
        {
            if (rented is not null)
            {
                System.Buffers.ArrayPool<int>.Shared.Return(rented);
            }
        }
    }

    /// <summary>True when the two strings are equal except for one pair of adjacent characters swapped.</summary>
    public static bool IsAdjacentTransposition(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        if (a.Length != b.Length || a.Length < 2)
        {
            return false;
        }

        var i = 0;
        while (i < a.Length && a[i] == b[i])
        {
            i++;
        }

        return i < a.Length - 1 && a[i] == b[i + 1] && a[i + 1] == b[i] && a[i] != a[i + 1]
            && a[(i + 2)..].SequenceEqual(b[(i + 2)..]);
    }
}
