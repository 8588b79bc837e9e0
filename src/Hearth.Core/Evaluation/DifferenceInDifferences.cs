using System.Globalization;

namespace Hearth.Core.Evaluation;

/// <summary>The four cell means of a 2×2 difference-in-differences and the estimate they give.</summary>
public sealed record DidCells(double TreatedPre, double TreatedPost, double ControlPre, double ControlPost)
{
    /// <summary>(Ȳ_T,post − Ȳ_T,pre) − (Ȳ_C,post − Ȳ_C,pre).</summary>
    public double Estimate => (TreatedPost - TreatedPre) - (ControlPost - ControlPre);

    public double TreatedChange => TreatedPost - TreatedPre;

    public double ControlChange => ControlPost - ControlPre;

    public string Explain() => string.Create(
        CultureInfo.InvariantCulture,
        $"treated changed by {TreatedChange:G6} ({TreatedPre:G6} → {TreatedPost:G6}), comparison by {ControlChange:G6} ({ControlPre:G6} → {ControlPost:G6}); difference {Estimate:G6}");
}

/// <summary>A parallel-trend check: the placebo DiD on two pre-period outcomes and what it says.</summary>
public sealed record PreTrendCheck(EffectEstimate Placebo, bool ConsistentWithParallelTrends, string Explanation);

/// <summary>
/// Difference-in-differences. The 2×2 form regresses y_it = α + β·D + γ·Post + δ·D×Post on a two-period panel
/// (δ̂ is the DiD, CR1 clustered by unit); the matched form regresses the outcome change ΔY on treatment in the
/// matched sample with the matching weights (Heckman, Ichimura and Todd 1997), which removes fixed unobserved
/// differences that matching alone cannot.
/// </summary>
public static class DifferenceInDifferences
{
    /// <summary>Weighted cell means (weights 1 when null; units with weight 0 are left out).</summary>
    public static DidCells Cells(IReadOnlyList<bool> treated, IReadOnlyList<double> pre, IReadOnlyList<double> post, IReadOnlyList<double>? weights = null)
    {
        ArgumentNullException.ThrowIfNull(treated);
        ArgumentNullException.ThrowIfNull(pre);
        ArgumentNullException.ThrowIfNull(post);
        double tw = 0, tPre = 0, tPost = 0, cw = 0, cPre = 0, cPost = 0;
        for (var i = 0; i < treated.Count; i++)
        {
            var w = weights?[i] ?? 1.0;
            if (w <= 0)
            {
                continue;
            }

            if (treated[i])
            {
                tw += w;
                tPre += w * pre[i];
                tPost += w * post[i];
            }
            else
            {
                cw += w;
                cPre += w * pre[i];
                cPost += w * post[i];
            }
        }

        if (tw <= 0 || cw <= 0)
        {
            throw new EvaluationInputException("difference-in-differences needs both treated and comparison units");
        }

        return new DidCells(tPre / tw, tPost / tw, cPre / cw, cPost / cw);
    }

    /// <summary>2×2 DiD by the panel regression, CR1 standard errors clustered by unit.</summary>
    public static EffectEstimate TwoByTwo(IReadOnlyList<bool> treated, IReadOnlyList<double> pre, IReadOnlyList<double> post, IReadOnlyList<double>? weights = null)
    {
        ArgumentNullException.ThrowIfNull(treated);
        ArgumentNullException.ThrowIfNull(pre);
        ArgumentNullException.ThrowIfNull(post);
        var n = treated.Count;
        var x = new double[2 * n][];
        var y = new double[2 * n];
        var w = new double[2 * n];
        var unit = new int[2 * n];
        for (var i = 0; i < n; i++)
        {
            var d = treated[i] ? 1.0 : 0.0;
            x[2 * i] = [1, d, 0, 0];
            x[(2 * i) + 1] = [1, d, 1, d];
            y[2 * i] = pre[i];
            y[(2 * i) + 1] = post[i];
            w[2 * i] = w[(2 * i) + 1] = weights?[i] ?? 1.0;
            unit[2 * i] = unit[(2 * i) + 1] = i;
        }

        var fit = WeightedRegression.Fit(["(Intercept)", "treat", "post", "treat:post"], x, y, w, StandardErrorType.CR1, unit);
        return new EffectEstimate("DiD", "y ~ treat + post + treat:post (two-period panel)", fit.Coefficients[3], fit.StandardError(3), StandardErrorType.CR1, "CR1 by unit", fit.Observations, fit.Clusters);
    }

    /// <summary>Matched DiD: ATT on the change post − pre with the matching weights and the match's standard errors.</summary>
    public static EffectEstimate Matched(IReadOnlyList<double> pre, IReadOnlyList<double> post, MatchResult match, ClusterSpec se, string name = "matched DiD")
    {
        ArgumentNullException.ThrowIfNull(pre);
        ArgumentNullException.ThrowIfNull(post);
        var change = new double[pre.Count];
        for (var i = 0; i < change.Length; i++)
        {
            change[i] = post[i] - pre[i];
        }

        var e = TreatmentEffects.DifferenceInMeans(change, match, se, name);
        return e with { Model = "weighted difference in mean change (post − pre)" };
    }

    /// <summary>
    /// Placebo DiD between two pre-periods in the matched sample. If treated and matched comparison units were
    /// already diverging before the programme, the confidence interval excludes 0 and the DiD is suspect.
    /// </summary>
    public static PreTrendCheck PreTrend(IReadOnlyList<double> earlier, IReadOnlyList<double> pre, MatchResult match, ClusterSpec se)
    {
        var placebo = Matched(earlier, pre, match, se, "pre-period placebo DiD");
        var ok = placebo.Lower <= 0 && placebo.Upper >= 0;
        var text = ok
            ? string.Create(CultureInfo.InvariantCulture, $"Before the programme the matched groups moved together: the placebo difference {placebo.Estimate:G4} has a 95% CI ({placebo.Lower:G4} to {placebo.Upper:G4}) that includes 0. This supports, but cannot prove, parallel trends.")
            : string.Create(CultureInfo.InvariantCulture, $"Before the programme the matched groups were already diverging: the placebo difference {placebo.Estimate:G4} has a 95% CI ({placebo.Lower:G4} to {placebo.Upper:G4}) that excludes 0. Treat the DiD estimate with caution.");
        return new PreTrendCheck(placebo, ok, text);
    }
}
