using Hearth.Core.Evaluation;
using Hearth.Tests.Evaluation;

namespace Hearth.Core.Tests.Evaluation;

public sealed class TruthCheckTests
{
    private static TruthCheckResult Run() =>
        TruthCheck.Run(EvaluationTable.Read(new StringReader(SyntheticCohort.Csv()), "programme_cohort.csv"));

    [Fact]
    public void Run_KnownEffectCohort_TrueEffectIsTheBuiltInEffect()
    {
        // Every treated family's post count is its untreated count − 0.5, so the mean difference is −0.5.
        var r = Run();
        Assert.Equal(SyntheticCohort.Effect, r.TrueEffect, 1e-9);
        Assert.Equal(SyntheticCohort.Effect, r.TrueEffectMatched, 1e-9);
    }

    [Fact]
    public void Run_KnownEffectCohort_MatchedCiCoversTruthAndNaiveChangeOverstates()
    {
        var r = Run();
        Assert.True(r.CiCoversTruth, $"CI {r.Evaluation.Att.Lower} to {r.Evaluation.Att.Upper} should contain {r.TrueEffectMatched}");

        // Families were picked when offending was high, so the before/after fall overstates the true −0.5 by a lot.
        Assert.True(r.NaiveChange < r.TrueEffect - 0.3, $"naive change {r.NaiveChange}");
        Assert.True(Math.Abs(r.Evaluation.Att.Estimate - r.TrueEffect) < Math.Abs(r.NaiveChange - r.TrueEffect));
    }

    [Fact]
    public void Run_Cohort_LeavesOutNeedCountAndExplainsWhy()
    {
        var r = Run();
        Assert.DoesNotContain("need_count", r.Covariates);
        Assert.Contains("pre_offences_12m", r.Covariates);
        Assert.Contains("n_children", r.Covariates);
        Assert.Contains(r.Notes, n => n.Contains("need_count", StringComparison.Ordinal));
        Assert.Contains("Truth check", TruthCheck.Preface(r), StringComparison.Ordinal);
    }
}

public sealed class TruthCheckMissingValueTests
{
    [Fact]
    public void Run_BlankAbsenceRateForSomeFamilies_FillsAndFlagsIt()
    {
        // Blank the absence rate on every tenth family: the check still runs, with a missing-indicator covariate.
        var lines = SyntheticCohort.Csv().Split('\n');
        var header = lines[0].Split(',');
        var col = Array.IndexOf(header, "pre_unauth_absence_rate");
        for (var i = 1; i < lines.Length; i += 10)
        {
            if (lines[i].Length == 0)
            {
                continue;
            }

            var f = lines[i].Split(',');
            f[col] = string.Empty;
            lines[i] = string.Join(",", f);
        }

        var r = TruthCheck.Run(EvaluationTable.Read(new StringReader(string.Join("\n", lines)), "programme_cohort.csv"));
        Assert.Contains("pre_unauth_absence_rate_missing", r.Covariates);
        Assert.Contains(r.Notes, n => n.StartsWith("pre_unauth_absence_rate is missing for 150 families", StringComparison.Ordinal));
        Assert.Equal(SyntheticCohort.Effect, r.TrueEffect, 1e-9);
    }
}
