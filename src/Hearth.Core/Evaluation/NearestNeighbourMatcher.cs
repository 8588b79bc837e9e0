using System.Globalization;
using System.Runtime.CompilerServices;

namespace Hearth.Core.Evaluation;

/// <summary>The order in which treated units choose their controls (MatchIt's <c>m.order</c>).</summary>
public enum MatchOrder
{
    /// <summary>Highest distance first (MatchIt's default for the ATT). Ties keep row order.</summary>
    Largest,

    /// <summary>Lowest distance first. Ties keep row order.</summary>
    Smallest,

    /// <summary>Seeded random permutation (reproducible within Hearth, not R's random stream).</summary>
    Random,

    /// <summary>Row order of the data.</summary>
    Data,
}

/// <summary>Options for greedy nearest-neighbour matching of treated units to controls.</summary>
public sealed record MatchOptions
{
    /// <summary>Controls per treated unit (1:k).</summary>
    public int Ratio { get; init; } = 1;

    /// <summary>Whether a control may serve several treated units.</summary>
    public bool Replace { get; init; }

    /// <summary>Order in which treated units pick.</summary>
    public MatchOrder Order { get; init; } = MatchOrder.Largest;

    /// <summary>Seed for <see cref="MatchOrder.Random"/>.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>
    /// Caliper width in absolute units of <c>caliperScale</c> (already multiplied by the SD when the user gave it in
    /// SDs); null for none. A pair whose |Δ| on that scale exceeds it is rejected; |Δ| equal to it is accepted.
    /// </summary>
    public double? Caliper { get; init; }
}

/// <summary>
/// The outcome of matching: for each treated unit its controls (row indices, in the order chosen), MatchIt's
/// matching weights and subclasses, and counts.
/// </summary>
public sealed class MatchResult
{
    internal MatchResult(bool[] treated, int[]?[] matches, double[] weights, int[] subclass, int subclassCount, MatchOptions options)
    {
        Treated = treated;
        Matches = matches;
        Weights = weights;
        Subclass = subclass;
        SubclassCount = subclassCount;
        Options = options;
        for (var i = 0; i < treated.Length; i++)
        {
            if (weights[i] > 0)
            {
                if (treated[i])
                {
                    MatchedTreated++;
                }
                else
                {
                    MatchedControls++;
                }
            }

            Pairs += matches[i]?.Length ?? 0;
        }
    }

    /// <summary>Treatment indicator per row.</summary>
    public bool[] Treated { get; }

    /// <summary>For each row: when treated, the matched control rows in the order picked (empty if unmatched); null for controls.</summary>
    public int[]?[] Matches { get; }

    /// <summary>MatchIt's ATT matching weight per row (0 = not in the matched sample).</summary>
    public double[] Weights { get; }

    /// <summary>1-based subclass per row (0 = none). Without replacement: one per matched treated unit, numbered in row order.</summary>
    public int[] Subclass { get; }

    /// <summary>Number of subclasses (0 with replacement).</summary>
    public int SubclassCount { get; }

    public MatchOptions Options { get; }

    public int MatchedTreated { get; }

    /// <summary>Distinct controls with positive weight.</summary>
    public int MatchedControls { get; }

    /// <summary>Number of (treated, control) pairs.</summary>
    public int Pairs { get; }

    /// <summary>Effective sample size (Σw)²/Σw² over the rows of one group with positive weight.</summary>
    public double EffectiveSampleSize(bool treatedGroup)
    {
        double s = 0, s2 = 0;
        for (var i = 0; i < Weights.Length; i++)
        {
            if (Treated[i] == treatedGroup && Weights[i] > 0)
            {
                s += Weights[i];
                s2 += Weights[i] * Weights[i];
            }
        }

        return s2 > 0 ? s * s / s2 : 0;
    }
}

/// <summary>
/// Greedy 1:k nearest-neighbour matching on a scalar distance, following MatchIt 4.7.2's rules exactly:
/// treated units pick in the chosen order (largest distance first by default, ties in row order); every
/// treated unit gets its first control before any gets a second; the candidate pool is all units sorted by
/// (distance, row), and from the treated unit's place the nearest eligible control on each side is found
/// (a caliper failure ends that side); the closer wins and on a tie the lower (left) one wins.
/// Without replacement the "nearest unused control" on each side is found with two path-compressed
/// skip lists, so the whole match is O(n log n) for the sort plus nearly O(matches).
/// </summary>
public static class NearestNeighbourMatcher
{
    /// <summary>
    /// Matches treated rows to control rows.
    /// </summary>
    /// <param name="distance">Matching distance per row (the score or its logit).</param>
    /// <param name="treated">Treatment per row.</param>
    /// <param name="options">Ratio, replacement, order and caliper.</param>
    /// <param name="caliperDistance">The scale the caliper applies to (defaults to <paramref name="distance"/>); must sort rows the same way.</param>
    /// <param name="exactStrata">Stratum per row for exact matching (null for none): units match only within their stratum.</param>
    public static MatchResult Match(
        IReadOnlyList<double> distance,
        IReadOnlyList<bool> treated,
        MatchOptions options,
        IReadOnlyList<double>? caliperDistance = null,
        IReadOnlyList<int>? exactStrata = null)
    {
        ArgumentNullException.ThrowIfNull(distance);
        ArgumentNullException.ThrowIfNull(treated);
        ArgumentNullException.ThrowIfNull(options);
        var n = distance.Count;
        if (treated.Count != n || (caliperDistance is not null && caliperDistance.Count != n) || (exactStrata is not null && exactStrata.Count != n))
        {
            throw new ArgumentException("distance, treated, caliper distance and strata must have one entry per row");
        }

        if (options.Ratio < 1)
        {
            throw new ArgumentException("the ratio must be at least 1", nameof(options));
        }

        var d = distance as double[] ?? [.. distance];
        var cal = caliperDistance is null ? d : caliperDistance as double[] ?? [.. caliperDistance];
        var t = treated as bool[] ?? [.. treated];
        var order = TreatedOrder(d, t, options);
        var scratch = new int[n];
        var matches = new int[]?[n];
        for (var i = 0; i < n; i++)
        {
            if (t[i])
            {
                matches[i] = [];
            }
        }

        if (exactStrata is null)
        {
            MatchStratum(d, cal, order, RowsWhere(t, false), options, matches, scratch);
        }
        else
        {
            var byStratum = new Dictionary<int, List<int>>();
            for (var i = 0; i < n; i++)
            {
                if (!t[i])
                {
                    if (!byStratum.TryGetValue(exactStrata[i], out var list))
                    {
                        byStratum[exactStrata[i]] = list = [];
                    }

                    list.Add(i);
                }
            }

            foreach (var group in order.GroupBy(i => exactStrata[i]))
            {
                var controls = byStratum.TryGetValue(group.Key, out var c) ? c.ToArray() : [];
                MatchStratum(d, cal, [.. group], controls, options, matches, scratch);
            }
        }

        return Finish(t, matches, options);
    }

    private static int[] TreatedOrder(double[] d, bool[] t, MatchOptions options)
    {
        var rows = RowsWhere(t, true);
        switch (options.Order)
        {
            case MatchOrder.Largest:
                {
                    // Descending distance, ties in row order (R's order(..., decreasing = TRUE), a stable sort): walk the
                    // ascending (distance, row) order from the top, one block of equal distances at a time.
                    var asc = SortByDistance(d, rows);
                    var result = new int[asc.Length];
                    var k = 0;
                    var end = asc.Length;
                    while (end > 0)
                    {
                        var start = end - 1;
                        while (start > 0 && d[asc[start - 1]] == d[asc[end - 1]])
                        {
                            start--;
                        }

                        for (var i = start; i < end; i++)
                        {
                            result[k++] = asc[i];
                        }

                        end = start;
                    }

                    return result;
                }

            case MatchOrder.Smallest:
                return SortByDistance(d, rows);
            case MatchOrder.Random:
                var rng = new Random(options.Seed);
                rng.Shuffle(rows);
                return rows;
            default:
                return rows;
        }
    }

    private static int[] RowsWhere(bool[] t, bool value)
    {
        var count = 0;
        foreach (var x in t)
        {
            count += x == value ? 1 : 0;
        }

        var rows = new int[count];
        var k = 0;
        for (var i = 0; i < t.Length; i++)
        {
            if (t[i] == value)
            {
                rows[k++] = i;
            }
        }

        return rows;
    }

    /// <summary>
    /// Sorts rows (given in ascending row order) by (distance, row): a stable least-significant-digit radix sort
    /// on order-preserving 64-bit images of the distances, 16 bits at a time, skipping digits all keys share.
    /// Stability keeps equal distances in row order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static int[] SortByDistance(double[] d, int[] rows)
    {
        var n = rows.Length;
        var keys = new ulong[n];
        var items = (int[])rows.Clone();
        for (var i = 0; i < n; i++)
        {
            keys[i] = SortableBits(d[rows[i]]);
        }

        if (n < 2)
        {
            return items;
        }

        var keysOut = new ulong[n];
        var itemsOut = new int[n];
        var counts = new int[1 << 16];
        for (var shift = 0; shift < 64; shift += 16)
        {
            Array.Clear(counts);
            foreach (var k in keys)
            {
                counts[(int)((k >> shift) & 0xFFFF)]++;
            }

            if (counts[(int)((keys[0] >> shift) & 0xFFFF)] == n)
            {
                continue; // every key has the same digit here
            }

            var sum = 0;
            for (var b = 0; b < counts.Length; b++)
            {
                var c = counts[b];
                counts[b] = sum;
                sum += c;
            }

            for (var i = 0; i < n; i++)
            {
                var pos = counts[(int)((keys[i] >> shift) & 0xFFFF)]++;
                keysOut[pos] = keys[i];
                itemsOut[pos] = items[i];
            }

            (keys, keysOut) = (keysOut, keys);
            (items, itemsOut) = (itemsOut, items);
        }

        return items;
    }

    /// <summary>Maps a double to an unsigned integer with the same order (−0 is treated as +0).</summary>
    private static ulong SortableBits(double v)
    {
        var bits = BitConverter.DoubleToUInt64Bits(v == 0 ? 0.0 : v);
        return (bits & 0x8000_0000_0000_0000UL) != 0 ? ~bits : bits | 0x8000_0000_0000_0000UL;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MatchStratum(double[] d, double[] cal, int[] treatedOrder, int[] controls, MatchOptions options, int[]?[] matches, int[] insertByRow)
    {
        var m = controls.Length;
        if (m == 0 || treatedOrder.Length == 0)
        {
            return;
        }

        var sorted = SortByDistance(d, controls);
        var sortedD = new double[m];
        for (var i = 0; i < m; i++)
        {
            sortedD[i] = d[sorted[i]];
        }

        // Insertion point of each treated unit among the sorted controls: the number of controls ordered before
        // it by (distance, row). Controls tied on distance with a lower row sit on its left, higher rows on its right.
        // Found by merging the treated units, sorted the same way, with the controls.
        var treatedSorted = SortByDistance(d, [.. treatedOrder.Order()]);
        var j = 0;
        foreach (var row in treatedSorted)
        {
            var dr = d[row];
            while (j < m && (sortedD[j] < dr || (sortedD[j] == dr && sorted[j] < row)))
            {
                j++;
            }

            insertByRow[row] = j;
        }

        var insert = new int[treatedOrder.Length];
        for (var k = 0; k < treatedOrder.Length; k++)
        {
            insert[k] = insertByRow[treatedOrder[k]];
        }

        var caliper = options.Caliper;
        var found = new List<int>[treatedOrder.Length];
        if (options.Replace)
        {
            for (var k = 0; k < treatedOrder.Length; k++)
            {
                var row = treatedOrder[k];
                var picks = new List<int>(options.Ratio);
                var left = insert[k] - 1;
                var right = insert[k];
                while (picks.Count < options.Ratio)
                {
                    var okLeft = left >= 0 && Within(cal, row, sorted[left], caliper);
                    var okRight = right < m && Within(cal, row, sorted[right], caliper);
                    if (!okLeft && !okRight)
                    {
                        break;
                    }

                    if (okLeft && (!okRight || Math.Abs(d[row] - sortedD[left]) <= Math.Abs(d[row] - sortedD[right])))
                    {
                        picks.Add(sorted[left--]);
                    }
                    else
                    {
                        picks.Add(sorted[right++]);
                    }
                }

                found[k] = picks;
            }
        }
        else
        {
            // nextRight[i]: smallest unused index ≥ i (m = none); nextLeft[i + 1]: largest unused index ≤ i (0 = none).
            var nextRight = new int[m + 1];
            var nextLeft = new int[m + 1];
            for (var i = 0; i <= m; i++)
            {
                nextRight[i] = i;
                nextLeft[i] = i;
            }

            for (var k = 0; k < treatedOrder.Length; k++)
            {
                found[k] = new List<int>(options.Ratio);
            }

            for (var round = 0; round < options.Ratio; round++)
            {
                for (var k = 0; k < treatedOrder.Length; k++)
                {
                    if (found[k].Count < round)
                    {
                        continue;
                    }

                    var row = treatedOrder[k];
                    var right = FindRoot(nextRight, insert[k]);
                    var left = FindRoot(nextLeft, insert[k]) - 1;
                    var okLeft = left >= 0 && Within(cal, row, sorted[left], caliper);
                    var okRight = right < m && Within(cal, row, sorted[right], caliper);
                    int pick;
                    if (okLeft && (!okRight || Math.Abs(d[row] - sortedD[left]) <= Math.Abs(d[row] - sortedD[right])))
                    {
                        pick = left;
                    }
                    else if (okRight)
                    {
                        pick = right;
                    }
                    else
                    {
                        continue;
                    }

                    found[k].Add(sorted[pick]);
                    nextRight[pick] = pick + 1;
                    nextLeft[pick + 1] = pick;
                }
            }
        }

        for (var k = 0; k < treatedOrder.Length; k++)
        {
            matches[treatedOrder[k]] = [.. found[k]];
        }
    }

    private static bool Within(double[] cal, int a, int b, double? caliper) =>
        caliper is not { } c || !(Math.Abs(cal[a] - cal[b]) > c);

    /// <summary>
    /// The representative of <paramref name="i"/>'s set in a disjoint-set forest, compressing the path on the
    /// way: the nearest unused control to the right (or, in the left forest, whose slot s stands for control
    /// s − 1 and slot 0 for "none", to the left).
    /// </summary>
    private static int FindRoot(int[] next, int i)
    {
        var root = i;
        while (next[root] != root)
        {
            root = next[root];
        }

        while (next[i] != root)
        {
            var up = next[i];
            next[i] = root;
            i = up;
        }

        return root;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static MatchResult Finish(bool[] t, int[]?[] matches, MatchOptions options)
    {
        var n = t.Length;
        var weights = new double[n];
        var subclass = new int[n];
        var subclassCount = 0;
        for (var i = 0; i < n; i++)
        {
            var ms = matches[i];
            if (!t[i] || ms is null || ms.Length == 0)
            {
                continue;
            }

            weights[i] = 1;
            var share = 1.0 / ms.Length;
            foreach (var c in ms)
            {
                weights[c] += share;
            }

            if (!options.Replace)
            {
                subclassCount++;
                subclass[i] = subclassCount;
                foreach (var c in ms)
                {
                    subclass[c] = subclassCount;
                }
            }
        }

        // Rescale control weights to sum to the number of matched controls.
        double sum = 0;
        var count = 0;
        for (var i = 0; i < n; i++)
        {
            if (!t[i] && weights[i] > 0)
            {
                sum += weights[i];
                count++;
            }
        }

        if (sum > 0)
        {
            var scale = count / sum;
            for (var i = 0; i < n; i++)
            {
                if (!t[i] && weights[i] > 0)
                {
                    weights[i] *= scale;
                }
            }
        }

        return new MatchResult(t, matches, weights, subclass, subclassCount, options);
    }

    /// <summary>Sample standard deviation (n − 1) of a distance over all units, for calipers in SD units.</summary>
    public static double StandardDeviation(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count < 2)
        {
            throw new ArgumentException("at least two values are needed", nameof(values));
        }

        var mean = values.Average();
        var ss = 0.0;
        foreach (var v in values)
        {
            ss += (v - mean) * (v - mean);
        }

        return Math.Sqrt(ss / (values.Count - 1));
    }

    /// <summary>Describes the options in words, for reports.</summary>
    public static string Describe(MatchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var text = string.Create(CultureInfo.InvariantCulture, $"1:{options.Ratio} nearest neighbour, {(options.Replace ? "with" : "without")} replacement, {OrderWord(options.Order)} first");
        return options.Caliper is { } c ? text + string.Create(CultureInfo.InvariantCulture, $", caliper {c:G6}") : text;
    }

    private static string OrderWord(MatchOrder order) => order switch
    {
        MatchOrder.Largest => "largest distance",
        MatchOrder.Smallest => "smallest distance",
        MatchOrder.Random => "random order",
        _ => "data order",
    };
}
