using Hearth.Core.Evaluation;

namespace Hearth.Core.Tests.Evaluation;

/// <summary>
/// Hearth against MatchIt 4.7.2 on lalonde (runs a: 1:1 NN without replacement; b: logit distance with a
/// 0.1·SD caliper; c: with replacement). Every expected value is read from the reference files; the engine
/// computes its own and the two are compared within the oracle's tolerances (§8).
/// </summary>
public sealed class LalondeOracleTests
{
    private static Lalonde D => LalondeFixture.Data;

    private static void Relative(double expected, double actual, double tolerance, string what) =>
        Assert.True(
            Math.Abs(actual - expected) <= tolerance * Math.Max(Math.Abs(expected), 1e-300),
            $"{what}: expected {expected:R}, got {actual:R} (relative error {Math.Abs(actual - expected) / Math.Abs(expected):E2})");

    private static MatchResult RunA() => NearestNeighbourMatcher.Match(D.Fit.Scores, D.Treated, new MatchOptions());

    private static MatchResult RunB()
    {
        var sd = NearestNeighbourMatcher.StandardDeviation(D.LogitScores);
        return NearestNeighbourMatcher.Match(D.LogitScores, D.Treated, new MatchOptions { Caliper = 0.1 * sd });
    }

    private static MatchResult RunC() => NearestNeighbourMatcher.Match(D.Fit.Scores, D.Treated, new MatchOptions { Replace = true });

    private static MatchResult Run(string run) => run switch
    {
        "a_nn_noreplace" => RunA(),
        "b_nn_caliper0.1_logit" => RunB(),
        _ => RunC(),
    };

    [Fact]
    public void Fit_Lalonde_CoefficientsMatchConvergedGlm()
    {
        Assert.Equal(PropensityFitStatus.Converged, D.Fit.Status);
        var reference = LalondeFixture.Reference("lalonde_glm_coefficients.csv");
        Assert.Equal(reference.Select(r => r["term"]), D.Fit.Terms);
        for (var j = 0; j < reference.Count; j++)
        {
            Relative(LalondeFixture.Number(reference[j]["estimate_tight"]), D.Fit.Coefficients[j], 1e-9, reference[j]["term"]);
            Relative(LalondeFixture.Number(reference[j]["std_error_tight"]), D.Fit.StandardErrors[j], 1e-6, "SE " + reference[j]["term"]);
        }
    }

    [Fact]
    public void Fit_Lalonde_LogLikelihoodAndScoreSpreadMatchOracle()
    {
        // Oracle §3/§8: logLik −243.92196565524904; SD(ps) 0.29031337203978758; SD(logit ps) 1.8045119626877382.
        Assert.Equal(-243.92196565524904, D.Fit.LogLikelihood, 1e-9);
        Relative(0.29031337203978758, NearestNeighbourMatcher.StandardDeviation(D.Fit.Scores), 1e-8, "SD(ps)");
        Relative(1.8045119626877382, NearestNeighbourMatcher.StandardDeviation(D.LogitScores), 1e-8, "SD(logit ps)");
    }

    [Fact]
    public void Fit_Lalonde_ScoresMatchReferenceFile()
    {
        foreach (var r in LalondeFixture.Reference("lalonde_pscores.csv"))
        {
            var i = D.Row(r["id"]);
            Assert.Equal(LalondeFixture.Number(r["ps_tight"]), D.Fit.Scores[i], 1e-12);
            Assert.Equal(LalondeFixture.Number(r["logit_ps_tight"]), D.LogitScores[i], 1e-11);
        }
    }

    [Theory]
    [InlineData("a_nn_noreplace", 185, 185)]
    [InlineData("b_nn_caliper0.1_logit", 112, 112)]
    [InlineData("c_nn_replace", 185, 82)]
    public void Match_Lalonde_CountsMatchMatchIt(string run, int treated, int controls)
    {
        var m = Run(run);
        Assert.Equal(treated, m.MatchedTreated);
        Assert.Equal(controls, m.MatchedControls);
    }

    [Theory]
    [InlineData("a_nn_noreplace")]
    [InlineData("b_nn_caliper0.1_logit")]
    [InlineData("c_nn_replace")]
    public void Match_Lalonde_PairsIdenticalRowForRow(string run)
    {
        var m = Run(run);
        var reference = LalondeFixture.Reference($"lalonde_pairs_{run}.csv");
        Assert.Equal(185, reference.Count);
        foreach (var r in reference)
        {
            var matches = m.Matches[D.Row(r["treated_id"])]!;
            var expected = r["control_id"];
            if (expected.Length == 0)
            {
                Assert.Empty(matches);
            }
            else
            {
                Assert.Equal(expected, D.Ids[Assert.Single(matches)]);
            }
        }
    }

    [Theory]
    [InlineData("a_nn_noreplace")]
    [InlineData("b_nn_caliper0.1_logit")]
    [InlineData("c_nn_replace")]
    public void Match_Lalonde_WeightsAndSubclassesMatchMatchIt(string run)
    {
        var m = Run(run);
        var reference = LalondeFixture.Reference($"lalonde_weights_{run}.csv");
        var subclassMap = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var r in reference)
        {
            var i = D.Row(r["id"]);
            Assert.Equal(LalondeFixture.Number(r["weight"]), m.Weights[i], 1e-12);
            if (r["subclass"].Length == 0)
            {
                Assert.Equal(0, m.Subclass[i]);
            }
            else
            {
                // Same partition: each MatchIt label maps to exactly one Hearth label.
                if (!subclassMap.TryGetValue(r["subclass"], out var mine))
                {
                    subclassMap[r["subclass"]] = mine = m.Subclass[i];
                }

                Assert.Equal(mine, m.Subclass[i]);
            }
        }

        Assert.Equal(subclassMap.Count, subclassMap.Values.Distinct().Count());
    }

    [Theory]
    [InlineData("a_nn_noreplace", false)]
    [InlineData("b_nn_caliper0.1_logit", true)]
    [InlineData("c_nn_replace", false)]
    public void Balance_Lalonde_SmdAndMeansMatchMatchIt(string run, bool logit)
    {
        var m = Run(run);
        var table = Balance.Summarise(DesignMatrix.ForBalance(D.Covariates), D.Treated, m.Weights, logit ? D.LogitScores : D.Fit.Scores);
        var reference = LalondeFixture.Reference($"lalonde_balance_{run}.csv");
        Assert.Equal(reference.Select(r => r["covariate"]), table.Rows.Select(r => r.Term));
        foreach (var (r, row) in reference.Zip(table.Rows))
        {
            // The distance row uses R's default-tolerance fit, ours is converged: compare at the fit's precision.
            var tol = row.Term == "distance" ? 1e-7 : 1e-12;
            Assert.Equal(LalondeFixture.Number(r["smd_before"]), row.SmdBefore, tol);
            Assert.Equal(LalondeFixture.Number(r["smd_after"]), row.SmdAfter, tol);
            Relative(LalondeFixture.Number(r["mean_c_after"]), row.MeanControlAfter, row.Term == "distance" ? 1e-7 : 1e-12, r["covariate"]);
            if (r["var_ratio_after"] != "NA")
            {
                Relative(LalondeFixture.Number(r["var_ratio_after"]), row.VarianceRatioAfter!.Value, row.Term == "distance" ? 1e-6 : 1e-10, "VR " + r["covariate"]);
                Relative(LalondeFixture.Number(r["var_ratio_before"]), row.VarianceRatioBefore!.Value, row.Term == "distance" ? 1e-6 : 1e-10, "VR " + r["covariate"]);
            }
            else
            {
                Assert.Null(row.VarianceRatioAfter);
            }
        }
    }

    [Theory]
    [InlineData("a_nn_noreplace")]
    [InlineData("b_nn_caliper0.1_logit")]
    [InlineData("c_nn_replace")]
    public void Balance_PooledSd_MatchesManualRecomputation(string run)
    {
        var m = Run(run);
        var table = Balance.Summarise(DesignMatrix.ForBalance(D.Covariates), D.Treated, m.Weights, scale: SmdScale.PooledSd);
        var reference = LalondeFixture.Reference($"lalonde_smd_manual_{run}.csv").Where(r => r["covariate"] != "distance").ToList();
        Assert.Equal(reference.Select(r => r["covariate"]), table.Rows.Select(r => r.Term));
        foreach (var (r, row) in reference.Zip(table.Rows))
        {
            Assert.Equal(LalondeFixture.Number(r["smd_before_pooledSD"]), row.SmdBefore, 1e-12);
            Assert.Equal(LalondeFixture.Number(r["smd_after_pooledSD"]), row.SmdAfter, 1e-12);
        }
    }

    private static double Att(string method, string model, string seType, bool se)
    {
        var r = LalondeFixture.Reference("lalonde_att_estimates.csv")
            .Single(x => x["method"] == method && x["model"] == model && x["se_type"] == seType);
        return LalondeFixture.Number(se ? r["se"] : r["estimate"]);
    }

    [Theory]
    [InlineData("a_nn_noreplace")]
    [InlineData("b_nn_caliper0.1_logit")]
    public void Effects_NoReplacement_MatchMatchItWithCr1BySubclass(string run)
    {
        var m = Run(run);
        var cr1 = ClusterSpec.For(m);
        const string Cr1 = "CR1 by subclass (vcovCL HC1)";
        var plain = TreatmentEffects.DifferenceInMeans(D.Re78, m, cr1);
        Relative(Att(run, "re78 ~ treat (weighted)", Cr1, false), plain.Estimate, 1e-8, "ATT");
        Relative(Att(run, "re78 ~ treat (weighted)", Cr1, true), plain.StandardError, 1e-8, "CR1");
        Assert.Equal(m.MatchedTreated, plain.Clusters);

        var hc3 = TreatmentEffects.DifferenceInMeans(D.Re78, m, new ClusterSpec(StandardErrorType.HC3, null, "HC3"));
        Relative(Att(run, "re78 ~ treat (weighted)", "HC3", true), hc3.StandardError, 1e-8, "HC3");
        var model = TreatmentEffects.DifferenceInMeans(D.Re78, m, new ClusterSpec(StandardErrorType.ModelBased, null, "model"));
        Relative(Att(run, "re78 ~ treat (weighted)", "model-based WLS (not recommended)", true), model.StandardError, 1e-8, "model SE");

        var adjusted = TreatmentEffects.Adjusted(D.Re78, m, D.Adjustment, cr1);
        Relative(Att(run, "re78 ~ treat + covs (weighted)", Cr1, false), adjusted.Estimate, 1e-8, "adjusted ATT");
        Relative(Att(run, "re78 ~ treat + covs (weighted)", Cr1, true), adjusted.StandardError, 1e-8, "adjusted CR1");
        var adjustedHc3 = TreatmentEffects.Adjusted(D.Re78, m, D.Adjustment, new ClusterSpec(StandardErrorType.HC3, null, "HC3"));
        Relative(Att(run, "re78 ~ treat + covs (weighted)", "HC3", true), adjustedHc3.StandardError, 1e-8, "adjusted HC3");

        var gcomp = TreatmentEffects.GComputation(D.Re78, m, D.Adjustment, cr1);
        Relative(Att(run, "g-comp: re78 ~ treat*(covs), ATT over treated", "CR1 by subclass, delta method", false), gcomp.Estimate, 1e-8, "g-comp");
        Relative(Att(run, "g-comp: re78 ~ treat*(covs), ATT over treated", "CR1 by subclass, delta method", true), gcomp.StandardError, 1e-8, "g-comp SE");
    }

    [Fact]
    public void Effects_WithReplacement_MatchMatchItHc3AndHc1()
    {
        const string Run = "c_nn_replace";
        var m = RunC();
        var hc3 = ClusterSpec.For(m);
        Assert.Equal(StandardErrorType.HC3, hc3.Type);
        var plain = TreatmentEffects.DifferenceInMeans(D.Re78, m, hc3);
        Relative(Att(Run, "re78 ~ treat (weighted)", "HC3 (match.data)", false), plain.Estimate, 1e-8, "ATT");
        Relative(Att(Run, "re78 ~ treat (weighted)", "HC3 (match.data)", true), plain.StandardError, 1e-8, "HC3");
        var hc1 = TreatmentEffects.DifferenceInMeans(D.Re78, m, new ClusterSpec(StandardErrorType.HC1, null, "HC1"));
        Relative(Att(Run, "re78 ~ treat (weighted)", "HC1 (match.data)", true), hc1.StandardError, 1e-8, "HC1");
        var adjusted = TreatmentEffects.Adjusted(D.Re78, m, D.Adjustment, hc3);
        Relative(Att(Run, "re78 ~ treat + covs (weighted)", "HC3 (match.data)", false), adjusted.Estimate, 1e-8, "adjusted");
        Relative(Att(Run, "re78 ~ treat + covs (weighted)", "HC3 (match.data)", true), adjusted.StandardError, 1e-8, "adjusted HC3");
        var gcomp = TreatmentEffects.GComputation(D.Re78, m, D.Adjustment, hc3);
        Relative(Att(Run, "g-comp: re78 ~ treat*(covs), ATT over treated", "HC3, delta method", false), gcomp.Estimate, 1e-8, "g-comp");
        Relative(Att(Run, "g-comp: re78 ~ treat*(covs), ATT over treated", "HC3, delta method", true), gcomp.StandardError, 1e-8, "g-comp HC3");
        Assert.Equal(46.31, m.EffectiveSampleSize(false), 0.01);
    }

    [Theory]
    [InlineData("a_nn_noreplace")]
    [InlineData("b_nn_caliper0.1_logit")]
    public void Cr1_OneToOnePairs_EqualsPairedSeTimesSmallSampleFactor(string run)
    {
        var m = Run(run);
        var cr1 = TreatmentEffects.DifferenceInMeans(D.Re78, m, ClusterSpec.For(m));

        // Paired t SE computed independently: sd(d)/sqrt(pairs) over d = y_treated − y_control.
        var diffs = Enumerable.Range(0, D.Ids.Count)
            .Where(i => D.Treated[i] && m.Matches[i]!.Length == 1)
            .Select(i => D.Re78[i] - D.Re78[m.Matches[i]![0]])
            .ToArray();
        var mean = diffs.Average();
        var sd = Math.Sqrt(diffs.Sum(d => (d - mean) * (d - mean)) / (diffs.Length - 1));
        var paired = sd / Math.Sqrt(diffs.Length);

        // CR1 = paired SE × sqrt((n − 1)/(n − 2)), n = 2 × pairs; for (a) 704.27351987 × sqrt(369/368) = 705.22976406.
        var n = 2.0 * diffs.Length;
        Assert.Equal(paired * Math.Sqrt((n - 1) / (n - 2)), cr1.StandardError, 1e-9);
        Assert.Equal(cr1.Estimate, mean, 1e-9);
    }
}

public sealed class ExperimentalBenchmarkTests
{
    [Fact]
    public void DifferenceInMeans_NswExperiment_ReproducesTheBenchmark()
    {
        // Oracle §2.2: the NSW experiment (185 treated, 260 randomised controls) gives 1794.3431 with classical OLS SE
        // 632.85 and HC3 SE 672.68; every unit has weight 1, so the WLS fit is plain OLS.
        var table = EvaluationTable.Load(LalondeFixture.PathOf("lalonde_nsw_experimental.csv"));
        var treat = table.Numeric("treat");
        var y = table.Numeric("re78");
        var x = treat.Select(t => new[] { 1.0, t }).ToArray();
        var ones = Enumerable.Repeat(1.0, y.Length).ToArray();
        var ols = WeightedRegression.Fit(["(Intercept)", "treat"], x, y, ones, StandardErrorType.ModelBased);
        Assert.Equal(445, ols.Observations);
        Assert.Equal(1794.3431, ols.Coefficients[1], 1e-4);
        Assert.Equal(632.85, ols.StandardError(1), 0.005);
        var hc3 = WeightedRegression.Fit(["(Intercept)", "treat"], x, y, ones, StandardErrorType.HC3);
        Assert.Equal(672.68, hc3.StandardError(1), 0.005);
    }
}
