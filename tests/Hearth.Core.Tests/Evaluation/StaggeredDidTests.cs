using Hearth.Core.Evaluation;

namespace Hearth.Core.Tests.Evaluation;

public sealed class StaggeredDidTests
{
    // Periods 1–3. Cohort 2: a [10, 14, 16], b [12, 15, 20]; cohort 3: c [8, 9, 13]; never treated: d [5, 6, 8], e [7, 9, 10].
    //   ATT(2,2), base 1: treated changes 4, 3 (mean 3.5); not yet treated by 2 = c, d, e: 1, 1, 2 (mean 4/3) → 13/6.
    //   ATT(2,3), base 1: treated 6, 8 (mean 7); not yet treated by 3 = d, e: 3, 3 (mean 3) → 4.
    //   ATT(3,1), base 2 (placebo): treated 8 − 9 = −1; untreated by 2, not cohort 3 = d, e: −1, −2 (mean −1.5) → 0.5.
    //   ATT(3,3), base 2: treated 4; d, e: 2, 1 (mean 1.5) → 2.5.
    //   Event time 0: (2 × 13/6 + 1 × 2.5)/3 = 41/18; event time 1: 4; event time −2: 0.5.
    //   Overall (post cells by cohort size): (2 × 13/6 + 2 × 4 + 1 × 2.5)/5 = 89/30.
    private static readonly string[] Units = ["a", "b", "c", "d", "e"];
    private static readonly int?[] First = [2, 2, 3, null, null];
    private static readonly double[][] Y = [[10, 14, 16], [12, 15, 20], [8, 9, 13], [5, 6, 8], [7, 9, 10]];

    private static StaggeredDidResult Run(int bootstrap = 50)
    {
        var unit = new List<string>();
        var period = new List<int>();
        var first = new List<int?>();
        var y = new List<double>();
        for (var u = 0; u < Units.Length; u++)
        {
            for (var t = 0; t < 3; t++)
            {
                unit.Add(Units[u]);
                period.Add(t + 1);
                first.Add(First[u]);
                y.Add(Y[u][t]);
            }
        }

        return StaggeredDid.Estimate(unit, period, first, y, bootstrap);
    }

    [Fact]
    public void Estimate_HandPanel_GroupTimeEffectsMatchArithmetic()
    {
        var r = Run();
        double Cell(int g, int t) => r.GroupTime.Single(c => c.Cohort == g && c.Period == t).Estimate;
        Assert.Equal(13.0 / 6, Cell(2, 2), 1e-12);
        Assert.Equal(4, Cell(2, 3), 1e-12);
        Assert.Equal(0.5, Cell(3, 1), 1e-12);
        Assert.Equal(2.5, Cell(3, 3), 1e-12);
        Assert.Equal(3, r.GroupTime.Single(c => c.Cohort == 2 && c.Period == 2).ComparisonUnits);
        Assert.Equal(2, r.GroupTime.Single(c => c.Cohort == 2 && c.Period == 3).ComparisonUnits);
    }

    [Fact]
    public void Estimate_HandPanel_AggregatesByEventTimeAndOverall()
    {
        var r = Run();
        Assert.Equal(41.0 / 18, r.EventTime.Single(e => e.EventTime == 0).Estimate, 1e-12);
        Assert.Equal(4, r.EventTime.Single(e => e.EventTime == 1).Estimate, 1e-12);
        Assert.Equal(0.5, r.EventTime.Single(e => e.EventTime == -2).Estimate, 1e-12);
        Assert.Equal(89.0 / 30, r.Overall, 1e-12);
        Assert.Equal(2, r.NeverTreated);
        Assert.True(r.OverallStandardError > 0);
    }

    [Fact]
    public void Estimate_CohortTreatedFromTheStart_IsLeftOutWithANote()
    {
        string[] unit = ["a", "a", "b", "b"];
        int[] period = [1, 2, 1, 2];
        int?[] first = [1, 1, null, null];
        double[] y = [1, 2, 3, 4];
        var r = StaggeredDid.Estimate(unit, period, first, y, bootstrap: 10);
        Assert.Empty(r.GroupTime);
        Assert.Contains(r.Notes, n => n.StartsWith("Cohort 1 is left out", StringComparison.Ordinal));
    }

    [Fact]
    public void Estimate_UnbalancedPanel_IsAnError()
    {
        string[] unit = ["a", "a", "b"];
        int[] period = [1, 2, 1];
        int?[] first = [2, 2, null];
        double[] y = [1, 2, 3];
        var ex = Assert.Throws<EvaluationInputException>(() => StaggeredDid.Estimate(unit, period, first, y, bootstrap: 10));
        Assert.Contains("not balanced", ex.Message, StringComparison.Ordinal);
    }
}
