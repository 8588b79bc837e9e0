namespace Hearth.Core.Intake;

/// <summary>Finds the closest name to a misspelt one, for "did you mean" suggestions.</summary>
public static class Closeness
{
    /// <summary>
    /// The candidate nearest to <paramref name="value"/> by edit distance, ignoring case, spaces, hyphens and
    /// underscores, when it is close enough to be a plausible typo (at most a third of the letters differ), or one name contains the other.
    /// </summary>
    public static string? Closest(string value, IEnumerable<string> candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var target = Simplify(value);
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var simple = Simplify(candidate);
            var distance = simple == target ? 0 : Distance(target, simple);
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        if (best is not null && bestDistance <= Math.Max(1, Math.Max(target.Length, Simplify(best).Length) / 3))
        {
            return best;
        }

        // A name inside another ("ROLE" in "PERSON_ROLE") is a likely match too.
        return target.Length < 3 ? null : candidates.FirstOrDefault(c =>
        {
            var simple = Simplify(c);
            return simple.Length >= 3 && (simple.Contains(target, StringComparison.Ordinal) || target.Contains(simple, StringComparison.Ordinal));
        });
    }

    /// <summary>Levenshtein distance (insertions, deletions and substitutions each count one).</summary>
    public static int Distance(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    private static string Simplify(string s) =>
        new([.. s.Where(c => c is not (' ' or '-' or '_')).Select(char.ToLowerInvariant)]);
}
