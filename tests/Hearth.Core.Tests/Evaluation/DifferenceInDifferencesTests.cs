using Hearth.Core.Evaluation;

namespace Hearth.Core.Tests.Evaluation;

public sealed class DifferenceInDifferencesTests
{
    // Hand-made 2×2 panel, four units:
    //   treated:    pre 10, 12 (mean 11) → post 6, 8 (mean 7): change −4
    //   comparison: pre 9, 11 (mean 10)  → post 9, 9 (mean 9): change −1
    //   DiD = (7 − 11) − (9 − 10) = −4 − (−1) = −3.
    private static readonly bool[] T = [true, true, false, false];
    private static readonly double[] Pre = [10, 12, 9, 11];
    private static readonly double[] Post = [6, 8, 9, 9];

    [Fact]
    public void Cells_HandTable_GiveMinusThree()
    {
        var cells = DifferenceInDifferences.Cells(T, Pre, Post);
        Assert.Equal(11, cells.TreatedPre);
        Assert.Equal(7, cells.TreatedPost);
        Assert.Equal(10, cells.ControlPre);
        Assert.Equal(9, cells.ControlPost);
        Assert.Equal(-3, cells.Estimate);
    }

    [Fact]
    public void TwoByTwo_Regression_InteractionEqualsCellArithmetic()
    {
        var did = DifferenceInDifferences.TwoByTwo(T, Pre, Post);
        Assert.Equal(-3, did.Estimate, 1e-12);
        Assert.Equal(4, did.Clusters);

        // CR1 by unit. The model is saturated, so each unit's influence on δ̂ is its change minus its group's mean
        // change, over the group size: unit changes are treated −4, −4 (mean −4) and comparison 0, −2 (mean −1), so
        // influences 0, 0, −1/2, +1/2 and Σ = 1/2. With n = 8 rows, k = 4, G = 4 units the factor is
        // G/(G−1) · (n−1)/(n−k) = 4/3 · 7/4 = 7/3, so SE = sqrt(7/3 · 1/2) = sqrt(7/6) = 1.0801234.
        Assert.Equal(Math.Sqrt(7.0 / 6), did.StandardError, 1e-9);
    }

    [Fact]
    public void Matched_ChangeRegression_UsesMatchingWeights()
    {
        // Treated rows 0, 1 matched to comparison rows 3, 2: weighted change difference = −4 − (−1) = −3.
        var match = NearestNeighbourMatcher.Match([0.6, 0.5, 0.45, 0.62], T, new MatchOptions());
        var did = DifferenceInDifferences.Matched(Pre, Post, match, ClusterSpec.For(match));
        Assert.Equal(-3, did.Estimate, 1e-12);
    }

    [Fact]
    public void PreTrend_ParallelPrePeriods_IsConsistent()
    {
        // Earlier period exactly 1 below the pre period for everyone: placebo DiD = 0 with zero spread.
        double[] earlier = [9, 11, 8, 10];
        double[] pre = [10, 12, 9, 11.5];
        var match = NearestNeighbourMatcher.Match([0.6, 0.5, 0.45, 0.62], T, new MatchOptions());
        var check = DifferenceInDifferences.PreTrend(earlier, pre, match, ClusterSpec.For(match));

        // Treated change 1, 1; matched comparison change 1.5 (row 3), 1 (row 2): placebo = 1 − 1.25 = −0.25.
        Assert.Equal(-0.25, check.Placebo.Estimate, 1e-12);
    }
}
