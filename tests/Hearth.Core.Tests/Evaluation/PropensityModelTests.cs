using Hearth.Core.Evaluation;

namespace Hearth.Core.Tests.Evaluation;

public sealed class PropensityModelTests
{
    // Two groups of four: x = 0 has 1 treated of 4, x = 1 has 3 treated of 4. The model is saturated, so the MLE
    // reproduces the group shares: logit(0.25) = ln(1/3) = −1.0986123; slope = logit(0.75) − logit(0.25) = 2 ln 3
    // = 2.1972246. Var(β0) = 1/(4 · 0.25 · 0.75) = 4/3, SE 1.1547005; Var(β1) = 4/3 + 4/3 = 8/3, SE 1.6329932.
    private static readonly double[] X = [0, 0, 0, 0, 1, 1, 1, 1];
    private static readonly bool[] T = [true, false, false, false, true, true, true, false];

    private static DesignMatrix Design(double[] x) => DesignMatrix.ForModel([Covariate.FromNumbers("x", x)]);

    [Fact]
    public void Fit_SaturatedTinyExample_ConvergesToHandComputedEstimates()
    {
        var fit = PropensityModel.Fit(Design(X), T);
        Assert.Equal(PropensityFitStatus.Converged, fit.Status);
        Assert.Equal(Math.Log(1.0 / 3), fit.Coefficients[0], 1e-12);
        Assert.Equal(2 * Math.Log(3), fit.Coefficients[1], 1e-12);
        Assert.Equal(Math.Sqrt(4.0 / 3), fit.StandardErrors[0], 1e-9);
        Assert.Equal(Math.Sqrt(8.0 / 3), fit.StandardErrors[1], 1e-9);
        Assert.Equal(0.25, fit.Scores[0], 1e-12);
        Assert.Equal(0.75, fit.Scores[7], 1e-12);

        // log L = 2 × [ln 0.25 + 3 ln 0.75] = 2 × (−1.3862944 − 0.8630462) = −4.4986811.
        Assert.Equal(2 * (Math.Log(0.25) + (3 * Math.Log(0.75))), fit.LogLikelihood, 1e-12);
    }

    [Fact]
    public void Fit_ProbitSaturatedExample_GivesNormalQuantiles()
    {
        // Probit: β0 = Φ⁻¹(0.25) = −0.6744897502, slope = Φ⁻¹(0.75) − Φ⁻¹(0.25) = 1.3489795004.
        var fit = PropensityModel.Fit(Design(X), T, LinkFunction.Probit);
        Assert.Equal(PropensityFitStatus.Converged, fit.Status);
        Assert.Equal(-0.6744897501960817, fit.Coefficients[0], 1e-9);
        Assert.Equal(1.3489795003921634, fit.Coefficients[1], 1e-9);
        Assert.Equal(0.25, fit.Scores[0], 1e-12);
    }

    [Fact]
    public void Fit_PerfectlySeparated_ReportsSeparationNamingTheTerm()
    {
        double[] x = [1, 2, 3, 4, 5, 6, 7, 8];
        bool[] t = [false, false, false, false, true, true, true, true];
        var fit = PropensityModel.Fit(Design(x), t);
        Assert.Equal(PropensityFitStatus.Separation, fit.Status);
        Assert.False(fit.IsUsable);
        Assert.Contains(fit.Diagnostics, d => d.Contains("'x' separates the groups completely", StringComparison.Ordinal));
    }

    [Fact]
    public void Fit_FactorLevelOnlyInOneGroup_ReportsQuasiSeparation()
    {
        // Level "c" occurs only among comparison units: its dummy's coefficient runs to −∞.
        string[] g = ["a", "b", "c", "c", "a", "b", "a", "b", "a", "b"];
        bool[] t = [true, true, false, false, false, false, true, false, false, true];
        var fit = PropensityModel.Fit(DesignMatrix.ForModel([Covariate.FromLevels("g", g)]), t);
        Assert.Equal(PropensityFitStatus.Separation, fit.Status);
        Assert.Contains(fit.Diagnostics, d => d.Contains("'gc'", StringComparison.Ordinal));
    }

    [Fact]
    public void Fit_CollinearColumns_ExplainsWhichTermIsRedundant()
    {
        double[] a = [1, 2, 3, 4, 5, 6, 7, 8];
        var twice = a.Select(v => 2 * v).ToArray();
        bool[] t = [true, false, true, false, false, true, false, true];
        var fit = PropensityModel.Fit(DesignMatrix.ForModel([Covariate.FromNumbers("a", a), Covariate.FromNumbers("b", twice)]), t);
        Assert.Equal(PropensityFitStatus.NotConverged, fit.Status);
        Assert.Contains(fit.Diagnostics, d => d.Contains("term 'b'", StringComparison.Ordinal));
    }

    [Fact]
    public void ForModel_Factor_UsesFirstLevelAlphabeticallyAsReference()
    {
        var d = DesignMatrix.ForModel([Covariate.FromLevels("race", ["white", "black", "hispan"])]);
        Assert.Equal(["(Intercept)", "racehispan", "racewhite"], d.Terms.Select(t => t.Name));
        Assert.Equal([1.0, 0, 1], [d[0, 0], d[0, 1], d[0, 2]]);
        var balance = DesignMatrix.ForBalance([Covariate.FromLevels("race", ["white", "black", "hispan"], "white")]);
        Assert.Equal(["raceblack", "racehispan", "racewhite"], balance.Terms.Select(t => t.Name));
    }

    [Fact]
    public void ForModel_ExplicitReference_DropsThatLevel()
    {
        var d = DesignMatrix.ForModel([Covariate.FromLevels("race", ["white", "black", "hispan"], "white")]);
        Assert.Equal(["(Intercept)", "raceblack", "racehispan"], d.Terms.Select(t => t.Name));
    }
}

public sealed class VectorisedFitTests
{
    [Fact]
    public void Fit_LargeData_VectorisedAndScalarKernelsAgree()
    {
        // 30,003 rows: above the vectorisation threshold and not a multiple of the lane count, so the tail runs too.
        var rng = new Random(5);
        const int N = 30_003;
        var a = new double[N];
        var b = new double[N];
        var t = new bool[N];
        for (var i = 0; i < N; i++)
        {
            a[i] = rng.NextDouble() * 10;
            b[i] = rng.NextDouble() < 0.3 ? 1 : 0;
            t[i] = rng.NextDouble() < 1 / (1 + Math.Exp(-(-2 + (0.2 * a[i]) + (0.8 * b[i]))));
        }

        var design = DesignMatrix.ForModel([Covariate.FromNumbers("a", a), Covariate.FromNumbers("b", b)]);
        var fast = PropensityModel.Fit(design, t, LinkFunction.Logit, vectorise: true);
        var plain = PropensityModel.Fit(design, t, LinkFunction.Logit, vectorise: false);
        Assert.Equal(PropensityFitStatus.Converged, fast.Status);
        for (var j = 0; j < 3; j++)
        {
            Assert.Equal(plain.Coefficients[j], fast.Coefficients[j], 1e-10);
            Assert.Equal(plain.StandardErrors[j], fast.StandardErrors[j], 1e-10);
        }

        Assert.Equal(plain.LogLikelihood, fast.LogLikelihood, 1e-8);
        Assert.Equal(plain.Scores[N - 1], fast.Scores[N - 1], 1e-12);

        // The data were drawn with slope 0.2 on a and 0.8 on b: the estimates land near them.
        Assert.Equal(0.2, fast.Coefficients[1], 0.03);
        Assert.Equal(0.8, fast.Coefficients[2], 0.1);
    }
}
