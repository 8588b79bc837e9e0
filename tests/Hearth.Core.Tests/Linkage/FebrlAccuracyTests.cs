using Hearth.Core.Linkage;

namespace Hearth.Core.Tests.Linkage;

// FEBRL 4: 5,000 originals and 5,000 duplicates, one duplicate each; truth from the record ids.
public sealed class FebrlAccuracyTests
{
    [Fact]
    public void AutoConfiguredLink_FebrlFour_ReachesF1Goal()
    {
        var left = LinkageTestData.FebrlA();
        var right = LinkageTestData.FebrlB();
        var auto = AutoConfigure.Configure(left, right, ["rec_id"]);
        var engine = new LinkageEngine(auto.Settings, left, right, fields: auto.Fields);
        var pairs = engine.GeneratePairs();
        var model = engine.Train(pairs);
        var weights = engine.Score(model, pairs);
        var evaluation = new LinkageEvaluation([.. left.Ids, .. right.Ids], left.Count, isLink: true);

        var atDefault = evaluation.At(pairs, weights, auto.Settings.EffectiveThresholdWeight);
        var best = LinkageEvaluation.Best(evaluation.Curve(pairs, weights));
        var clusters = evaluation.Clusters(engine.Cluster(pairs, weights, auto.Settings.EffectiveThresholdWeight));

        Assert.Equal(5000, evaluation.TruePairs);
        Assert.True(atDefault.F1 >= 0.99, $"F1 at the default threshold is {atDefault.F1:F4}");
        Assert.True(atDefault.Precision >= 0.99, $"precision {atDefault.Precision:F4}");
        Assert.True(best.F1 >= atDefault.F1);
        Assert.True(clusters.Pairwise.F1 >= 0.99, $"cluster F1 {clusters.Pairwise.F1:F4}");
        Assert.True(model.Converged);
    }
}

public sealed class LinkageEvaluationTests
{
    [Fact]
    public void EntityOf_FebrlIds_NameTheOriginal()
    {
        Assert.Equal("12", LinkageEvaluation.EntityOf("rec-12-org"));
        Assert.Equal("12", LinkageEvaluation.EntityOf("rec-12-dup-3"));
        Assert.Equal("family-7", LinkageEvaluation.EntityOf("family-7"));
    }

    [Fact]
    public void At_HandCountedExample()
    {
        // Entities: r0,r1,r2 = X; r3 = Y; r4 = X? no: r4 = Z. True pairs: (0,1),(0,2),(1,2) = 3.
        var evaluation = new LinkageEvaluation(["X", "X", "X", "Y", "Z"], 5, isLink: false);
        var pairs = new CandidatePairs([0, 0, 1, 3], [1, 3, 2, 4], 4, []);
        double[] weights = [9, 5, 2, -4];

        var m = evaluation.At(pairs, weights, 3);

        // At weight ≥ 3: (0,1) true, (0,3) false → TP 1, FP 1, FN 3 − 1 = 2.
        Assert.Equal((1L, 1L, 2L), (m.TruePositives, m.FalsePositives, m.FalseNegatives));
        Assert.Equal(0.5, m.Precision);
        Assert.Equal(1.0 / 3, m.Recall, 12);
        Assert.Equal(0.4, m.F1, 12); // 2 × 0.5 × 1/3 / (0.5 + 1/3) = (1/3) / (5/6) = 0.4

        var curve = evaluation.Curve(pairs, weights);
        Assert.Equal([9.0, 5, 2, -4], curve.Select(c => c.ThresholdWeight));
        // Best F1 at weight 2: TP 2, FP 1, FN 1 → P = R = 2/3.
        Assert.Equal(2, LinkageEvaluation.Best(curve).ThresholdWeight);
    }

    [Fact]
    public void Clusters_HandCountedExample()
    {
        var evaluation = new LinkageEvaluation(["X", "X", "X", "Y"], 4, isLink: false);
        var table = LinkageTestData.People(("a", "n", null, null), ("b", "n", null, null), ("c", "n", null, null), ("d", "n", null, null));
        var engine = new LinkageEngine(LinkageTestData.Settings(), table);
        // Clusters {a,b,d} and {c}: implied pairs ab, ad, bd; only ab is true. True pairs ab, ac, bc.
        var clusters = engine.Cluster(new CandidatePairs([0, 1], [1, 3], 2, []), [5, 5], 0);

        var m = evaluation.Clusters(clusters);

        Assert.Equal((1L, 2L, 2L), (m.Pairwise.TruePositives, m.Pairwise.FalsePositives, m.Pairwise.FalseNegatives));
        Assert.Equal(0, m.EntitiesExactlyRecovered); // X is split, Y is merged with X's records
        Assert.Equal(2, m.TrueEntities);
    }
}
