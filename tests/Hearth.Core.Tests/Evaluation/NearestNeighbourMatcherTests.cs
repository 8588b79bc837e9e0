using Hearth.Core.Evaluation;

namespace Hearth.Core.Tests.Evaluation;

public sealed class NearestNeighbourMatcherTests
{
    private static int[] Of(MatchResult m, int treatedRow) => m.Matches[treatedRow]!;

    [Fact]
    public void Match_EqualDistanceEitherSide_LeftControlWins()
    {
        // Treated at 0.5 (row 0); controls at 0.25 (row 1) and 0.75 (row 2): |Δ| = 0.25 both sides, left wins.
        var m = NearestNeighbourMatcher.Match([0.5, 0.25, 0.75], [true, false, false], new MatchOptions());
        Assert.Equal([1], Of(m, 0));
    }

    [Fact]
    public void Match_TiedScores_ControlsBeforeTheTreatedRowSitOnTheLeft()
    {
        // All three at 0.5. Sorted by (distance, row): control 0, treated 1, control 2. Both |Δ| = 0: left (row 0).
        var m = NearestNeighbourMatcher.Match([0.5, 0.5, 0.5], [false, true, false], new MatchOptions());
        Assert.Equal([0], Of(m, 1));

        // Treated first in row order: both tied controls sit on its right; the nearer in sort order (row 1) wins.
        var m2 = NearestNeighbourMatcher.Match([0.5, 0.5, 0.5], [true, false, false], new MatchOptions());
        Assert.Equal([1], Of(m2, 0));
    }

    [Fact]
    public void Match_LargestFirst_HigherScoreChoosesFirst()
    {
        // Treated 0.6 (row 0) and 0.9 (row 1); one control at 0.7. Largest first: 0.9 takes it; 0.6 is left unmatched.
        var m = NearestNeighbourMatcher.Match([0.6, 0.9, 0.7], [true, true, false], new MatchOptions());
        Assert.Equal([2], Of(m, 1));
        Assert.Empty(Of(m, 0));
        var smallest = NearestNeighbourMatcher.Match([0.6, 0.9, 0.7], [true, true, false], new MatchOptions { Order = MatchOrder.Smallest });
        Assert.Equal([2], Of(smallest, 0));
    }

    [Fact]
    public void Match_CaliperEqualToDistance_IsAccepted()
    {
        // |0.5 − 0.75| = 0.25 exactly (binary fractions): accepted at caliper 0.25, rejected at 0.24.
        Assert.Equal([1], Of(NearestNeighbourMatcher.Match([0.5, 0.75], [true, false], new MatchOptions { Caliper = 0.25 }), 0));
        Assert.Empty(Of(NearestNeighbourMatcher.Match([0.5, 0.75], [true, false], new MatchOptions { Caliper = 0.24 }), 0));
    }

    [Fact]
    public void Match_RatioTwo_EveryTreatedGetsAFirstControlBeforeAnySecond()
    {
        // Treated A = 0.9 (row 0), B = 0.8 (row 1); controls 0.88, 0.80, 0.60, 1.05 (rows 2–5).
        // Round 1: A → 0.88 (Δ 0.02); B → 0.80 (Δ 0). Round 2: A → 1.05 (Δ 0.15 < 0.3 to 0.60); B → 0.60.
        // (Had A taken both first, it would have taken 0.80 second and left B with 0.60 and 1.05's neighbour.)
        var m = NearestNeighbourMatcher.Match([0.9, 0.8, 0.88, 0.80, 0.60, 1.05], [true, true, false, false, false, false], new MatchOptions { Ratio = 2 });
        Assert.Equal([2, 5], Of(m, 0));
        Assert.Equal([3, 4], Of(m, 1));

        // Each control serves one treated unit with k = 2: raw weight 1/2, rescaled so the 4 weights sum to 4.
        Assert.All([2, 3, 4, 5], c => Assert.Equal(1.0, m.Weights[c], 1e-15));
        Assert.Equal(2, m.SubclassCount);
        Assert.Equal(m.Subclass[0], m.Subclass[5]);
    }

    [Fact]
    public void Match_WithReplacement_ReusesTheNearestControlAndWeightsByUse()
    {
        // Treated 0.5, 0.55, 0.9; controls 0.52 and 0.1. Both low treated take 0.52; 0.9 also takes 0.52 (Δ 0.38 < 0.8).
        var m = NearestNeighbourMatcher.Match([0.5, 0.55, 0.9, 0.52, 0.1], [true, true, true, false, false], new MatchOptions { Replace = true });
        Assert.All([0, 1, 2], t => Assert.Equal([3], Of(m, t)));

        // Used 3 times → raw weight 3; one matched control, so rescaled weight = 3 × 1/3 = 1.
        Assert.Equal(1.0, m.Weights[3], 1e-15);
        Assert.Equal(0.0, m.Weights[4]);
        Assert.Equal(0, m.SubclassCount);
    }

    [Fact]
    public void Match_Exact_MatchesOnlyWithinStratumAndLeavesSurplusUnmatched()
    {
        // Stratum 0: treated 0.5, 0.6 and one control 0.1; stratum 1: treated 0.3 and control 0.31.
        double[] d = [0.5, 0.6, 0.1, 0.3, 0.31, 0.55];
        bool[] t = [true, true, false, true, false, false];
        int[] s = [0, 0, 0, 1, 1, 1];
        var m = NearestNeighbourMatcher.Match(d, t, new MatchOptions(), exactStrata: s);

        // 0.6 (largest) takes the only stratum-0 control although 0.55 (stratum 1) is nearer; 0.5 is left unmatched.
        Assert.Equal([2], Of(m, 1));
        Assert.Empty(Of(m, 0));
        Assert.Equal([4], Of(m, 3));
    }

    [Fact]
    public void Match_WithoutReplacement_NeverReusesAControl()
    {
        var rng = new Random(7);
        var n = 5000;
        var d = Enumerable.Range(0, n).Select(_ => Math.Round(rng.NextDouble(), 2)).ToArray();
        var t = Enumerable.Range(0, n).Select(i => i % 5 == 0).ToArray();
        var m = NearestNeighbourMatcher.Match(d, t, new MatchOptions { Ratio = 3 });
        var used = m.Matches.Where(x => x is not null).SelectMany(x => x!).ToList();
        Assert.Equal(used.Count, used.Distinct().Count());
        Assert.Equal(3 * 1000, used.Count);
    }

    [Fact]
    public void Match_AgainstBruteForce_SameChoicesOnTiedData()
    {
        // Brute force: in order, each treated unit scans every unused control and keeps the smallest |Δ|, breaking
        // ties by sort position (distance, row) with the left one preferred — MatchIt's rule restated naively.
        var rng = new Random(11);
        var n = 600;
        var d = Enumerable.Range(0, n).Select(_ => Math.Round(rng.NextDouble(), 1)).ToArray();
        var t = Enumerable.Range(0, n).Select(i => rng.NextDouble() < 0.3).ToArray();
        var fast = NearestNeighbourMatcher.Match(d, t, new MatchOptions());
        var order = Enumerable.Range(0, n).Where(i => t[i]).OrderByDescending(i => d[i]).ToArray();
        var used = new bool[n];
        foreach (var i in order)
        {
            var best = -1;
            foreach (var c in Enumerable.Range(0, n).Where(c => !t[c] && !used[c]))
            {
                if (best < 0)
                {
                    best = c;
                    continue;
                }

                var dc = Math.Abs(d[i] - d[c]);
                var db = Math.Abs(d[i] - d[best]);
                var cLeft = d[c] < d[i] || (d[c] == d[i] && c < i);
                var bLeft = d[best] < d[i] || (d[best] == d[i] && best < i);
                if (dc < db)
                {
                    best = c;
                }
                else if (dc == db)
                {
                    // Same |Δ|: prefer the left side; on the same side prefer the one nearer the treated unit in sort order.
                    var cKey = (d[c], c);
                    var bKey = (d[best], best);
                    if (cLeft && !bLeft)
                    {
                        best = c;
                    }
                    else if (cLeft == bLeft && (cLeft ? cKey.CompareTo(bKey) > 0 : cKey.CompareTo(bKey) < 0))
                    {
                        best = c;
                    }
                }
            }

            if (best >= 0)
            {
                used[best] = true;
                Assert.Equal([best], Of(fast, i));
            }
        }
    }
}

public sealed class DistanceSortTests
{
    [Fact]
    public void SortByDistance_NegativesTiesAndSignedZero_OrdersByDistanceThenRow()
    {
        var rng = new Random(3);
        var d = Enumerable.Range(0, 20_000).Select(_ => Math.Round((rng.NextDouble() - 0.5) * 40, 1)).ToArray();
        d[5] = -0.0;
        d[6] = 0.0;
        d[7] = double.MaxValue;
        d[8] = -double.MaxValue;
        var rows = Enumerable.Range(0, d.Length).Where(i => i % 3 != 0).ToArray();
        var expected = rows.OrderBy(i => d[i]).ThenBy(i => i).ToArray();
        Assert.Equal(expected, NearestNeighbourMatcher.SortByDistance(d, rows));
    }
}
