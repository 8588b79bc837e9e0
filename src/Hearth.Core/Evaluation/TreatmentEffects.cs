using System.Globalization;

namespace Hearth.Core.Evaluation;

/// <summary>An effect estimate with its standard error and a 95% confidence interval (normal critical value).</summary>
public sealed record EffectEstimate(
    string Name,
    string Model,
    double Estimate,
    double StandardError,
    StandardErrorType SeType,
    string SeDescription,
    int Observations,
    int? Clusters)
{
    public double Lower => Estimate - (WeightedRegression.Critical() * StandardError);

    public double Upper => Estimate + (WeightedRegression.Critical() * StandardError);

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Name}: {Estimate:F4} (SE {StandardError:F4}, {SeDescription}; 95% CI {Lower:F4} to {Upper:F4})");
}

/// <summary>For a 0/1 outcome: the matched proportions, their difference and the relative reduction 1 − p₁/p₀.</summary>
public sealed record BinaryEffect(
    double TreatedRate,
    double ControlRate,
    EffectEstimate RiskDifference,
    double RelativeReduction,
    double RelativeReductionLower,
    double RelativeReductionUpper);

/// <summary>How the standard errors of a matched analysis are clustered.</summary>
public sealed record ClusterSpec(StandardErrorType Type, IReadOnlyList<int>? Clusters, string Description)
{
    /// <summary>
    /// The default for a match: CR1 by subclass (pair) without replacement, HC3 with replacement; CR1 by the given
    /// cluster column (e.g. family) when outcomes sit on individuals and one is supplied.
    /// </summary>
    public static ClusterSpec For(MatchResult match, IReadOnlyList<int>? clusterColumn = null, string clusterName = "cluster")
    {
        ArgumentNullException.ThrowIfNull(match);
        if (clusterColumn is not null)
        {
            return new ClusterSpec(StandardErrorType.CR1, clusterColumn, $"CR1 by {clusterName}");
        }

        return match.Options.Replace
            ? new ClusterSpec(StandardErrorType.HC3, null, "HC3")
            : new ClusterSpec(StandardErrorType.CR1, match.Subclass, "CR1 by subclass");
    }
}

/// <summary>
/// Average treatment effect on the treated in a matched sample: the weighted difference in means
/// (<c>lm(y ~ treat, weights)</c>), the covariate-adjusted WLS coefficient (<c>lm(y ~ treat + X, weights)</c>),
/// and the g-computation estimate (<c>lm(y ~ treat * Xc, weights)</c> with X centred at the treated units'
/// weighted means, whose <c>treat</c> coefficient is the ATT).
/// </summary>
public static class TreatmentEffects
{
    public static EffectEstimate DifferenceInMeans(IReadOnlyList<double> outcome, MatchResult match, ClusterSpec se, string name = "ATT")
    {
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(match);
        ArgumentNullException.ThrowIfNull(se);
        var fit = WeightedRegression.Fit(["(Intercept)", "treat"], TreatOnly(match), outcome, match.Weights, se.Type, se.Clusters);
        return Estimate(name, "weighted difference in means", fit, 1, se);
    }

    /// <summary>ATT with covariate adjustment. <paramref name="covariates"/> is a model design without intercept.</summary>
    public static EffectEstimate Adjusted(IReadOnlyList<double> outcome, MatchResult match, DesignMatrix covariates, ClusterSpec se, string name = "ATT (covariate-adjusted)")
    {
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(match);
        ArgumentNullException.ThrowIfNull(covariates);
        ArgumentNullException.ThrowIfNull(se);
        var k = covariates.Columns;
        var x = new double[match.Treated.Length][];
        double[] unused = [];
        for (var i = 0; i < x.Length; i++)
        {
            if (!(match.Weights[i] > 0))
            {
                x[i] = unused; // not in the matched sample: the regression never reads it
                continue;
            }

            var row = new double[k + 2];
            row[0] = 1;
            row[1] = match.Treated[i] ? 1 : 0;
            for (var j = 0; j < k; j++)
            {
                row[j + 2] = covariates[i, j];
            }

            x[i] = row;
        }

        string[] terms = ["(Intercept)", "treat", .. covariates.Terms.Select(t => t.Name)];
        var fit = WeightedRegression.Fit(terms, x, outcome, match.Weights, se.Type, se.Clusters);
        return Estimate(name, "WLS: outcome ~ treat + covariates", fit, 1, se);
    }

    /// <summary>g-computation ATT: treat coefficient of outcome ~ treat × (covariates centred on the matched treated).</summary>
    public static EffectEstimate GComputation(IReadOnlyList<double> outcome, MatchResult match, DesignMatrix covariates, ClusterSpec se, string name = "ATT (g-computation)")
    {
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(match);
        ArgumentNullException.ThrowIfNull(covariates);
        ArgumentNullException.ThrowIfNull(se);
        var k = covariates.Columns;
        var n = match.Treated.Length;
        var centre = new double[k];
        var sw = 0.0;
        for (var i = 0; i < n; i++)
        {
            if (match.Treated[i] && match.Weights[i] > 0)
            {
                sw += match.Weights[i];
                for (var j = 0; j < k; j++)
                {
                    centre[j] += match.Weights[i] * covariates[i, j];
                }
            }
        }

        for (var j = 0; j < k; j++)
        {
            centre[j] /= sw;
        }

        var x = new double[n][];
        double[] unused = [];
        for (var i = 0; i < n; i++)
        {
            if (!(match.Weights[i] > 0))
            {
                x[i] = unused; // not in the matched sample: the regression never reads it
                continue;
            }

            var row = new double[(2 * k) + 2];
            var t = match.Treated[i] ? 1.0 : 0.0;
            row[0] = 1;
            row[1] = t;
            for (var j = 0; j < k; j++)
            {
                var c = covariates[i, j] - centre[j];
                row[j + 2] = c;
                row[j + 2 + k] = t * c;
            }

            x[i] = row;
        }

        string[] terms = ["(Intercept)", "treat", .. covariates.Terms.Select(t => t.Name), .. covariates.Terms.Select(t => "treat:" + t.Name)];
        var fit = WeightedRegression.Fit(terms, x, outcome, match.Weights, se.Type, se.Clusters);
        return Estimate(name, "g-computation: outcome ~ treat × centred covariates", fit, 1, se);
    }

    /// <summary>Risk difference and relative reduction for a 0/1 outcome (delta method on log(p₁/p₀) for the ratio's CI).</summary>
    public static BinaryEffect Binary(IReadOnlyList<double> outcome, MatchResult match, ClusterSpec se)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(match);
        ArgumentNullException.ThrowIfNull(se);
        if (outcome.Any(v => v is not (0 or 1)))
        {
            throw new EvaluationInputException("a risk difference needs a 0/1 outcome");
        }

        var fit = WeightedRegression.Fit(["(Intercept)", "treat"], TreatOnly(match), outcome, match.Weights, se.Type, se.Clusters);
        var p0 = fit.Coefficients[0];
        var p1 = p0 + fit.Coefficients[1];
        var rd = Estimate("risk difference", "weighted difference in proportions", fit, 1, se);

        // log RR = log(b0 + b1) − log(b0); gradient wrt (b0, b1) = (1/p1 − 1/p0, 1/p1).
        var g0 = (1 / p1) - (1 / p0);
        var g1 = 1 / p1;
        var v = fit.Covariance;
        var varLog = (g0 * g0 * v[0, 0]) + (2 * g0 * g1 * v[0, 1]) + (g1 * g1 * v[1, 1]);
        var z = WeightedRegression.Critical();
        var logRr = Math.Log(p1 / p0);
        var seLog = Math.Sqrt(varLog);
        return new BinaryEffect(p1, p0, rd, 1 - (p1 / p0), 1 - Math.Exp(logRr + (z * seLog)), 1 - Math.Exp(logRr - (z * seLog)));
    }

    /// <summary>Rows (1, treat) for units in the matched sample; units with weight 0 share one unused row.</summary>
    private static double[][] TreatOnly(MatchResult match)
    {
        double[] treatedRow = [1.0, 1.0];
        double[] controlRow = [1.0, 0.0];
        var x = new double[match.Treated.Length][];
        for (var i = 0; i < x.Length; i++)
        {
            x[i] = match.Treated[i] ? treatedRow : controlRow;
        }

        return x;
    }

    private static EffectEstimate Estimate(string name, string model, RegressionFit fit, int j, ClusterSpec se) =>
        new(name, model, fit.Coefficients[j], fit.StandardError(j), fit.SeType, se.Description, fit.Observations, fit.Clusters);
}
