using Hearth.Core.Linkage;

namespace Hearth.Core.Tests.Linkage;

public sealed class FellegiSunterTests
{
    [Fact]
    public void WeightAndProbability_AreInverse()
    {
        // p = 0.9 → log2(0.9 / 0.1) = log2(9) = 3.1699
        Assert.Equal(3.1699, FellegiSunter.WeightOf(0.9), 4);
        Assert.Equal(0.9, FellegiSunter.ProbabilityOf(FellegiSunter.WeightOf(0.9)), 12);
        Assert.Equal(0.5, FellegiSunter.ProbabilityOf(0));
    }

    [Fact]
    public void Em_SimulatedPairsWithKnownParameters_RecoversThemWithinTolerance()
    {
        // Three comparisons with 3, 2 and 3 levels; 10% of 40,000 simulated pairs are matches.
        double[][] trueM = [[0.85, 0.10, 0.05], [0.95, 0.05], [0.7, 0.2, 0.1]];
        double[][] trueU = [[0.02, 0.08, 0.90], [0.10, 0.90], [0.01, 0.09, 0.90]];
        const double TrueLambda = 0.1;
        var rng = new Random(7);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        static int Draw(Random r, double[] p)
        {
            var x = r.NextDouble();
            for (var l = 0; l < p.Length - 1; l++)
            {
                x -= p[l];
                if (x < 0)
                {
                    return l;
                }
            }

            return p.Length - 1;
        }

        for (var i = 0; i < 40_000; i++)
        {
            var match = rng.NextDouble() < TrueLambda;
            var levels = new sbyte[3];
            for (var k = 0; k < 3; k++)
            {
                // 5% of values missing: no information for that comparison.
                levels[k] = rng.NextDouble() < 0.05 ? (sbyte)-1 : (sbyte)Draw(rng, match ? trueM[k] : trueU[k]);
            }

            var key = string.Join(",", levels);
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }

        var patterns = counts.Keys.Select(k => k.Split(',').Select(sbyte.Parse).ToArray()).ToArray();
        var n = counts.Values.ToArray();
        double[][] m = [[0.6, 0.3, 0.1], [0.8, 0.2], [0.6, 0.3, 0.1]];
        double[][] u = [[0.1, 0.1, 0.8], [0.3, 0.7], [0.1, 0.1, 0.8]];
        var result = FellegiSunter.Em(patterns, n, m, u, 0.3, new bool[3], new bool[3], false, 500, 1e-9);

        Assert.True(result.Converged);
        Assert.Equal(TrueLambda, result.Lambda, 0.01);
        for (var k = 0; k < 3; k++)
        {
            for (var l = 0; l < trueM[k].Length; l++)
            {
                Assert.Equal(trueM[k][l], m[k][l], 0.03);
                Assert.Equal(trueU[k][l], u[k][l], 0.01);
            }
        }
    }

    [Fact]
    public void Em_FixedParameters_StayAsGiven()
    {
        sbyte[][] patterns = [[0, 0], [1, 1], [0, 1]];
        long[] counts = [100, 900, 50];
        double[][] m = [[0.9, 0.1], [0.8, 0.2]];
        double[][] u = [[0.1, 0.9], [0.2, 0.8]];
        var result = FellegiSunter.Em(patterns, counts, m, u, 0.25, [true, false], [false, false], true, 100, 1e-9);
        Assert.Equal(0.25, result.Lambda);
        Assert.Equal([0.9, 0.1], m[0]);
    }
}
