using System.Runtime.CompilerServices;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

namespace Hearth.Core.Evaluation;

/// <summary>The variance estimator behind a standard error.</summary>
public enum StandardErrorType
{
    /// <summary>Model-based WLS (σ²(X'WX)⁻¹); wrong for matched samples, kept only for comparison.</summary>
    ModelBased,

    /// <summary>Heteroskedasticity-consistent HC1: HC0 × n/(n − k).</summary>
    HC1,

    /// <summary>Heteroskedasticity-consistent HC3: residuals inflated by 1/(1 − hᵢ).</summary>
    HC3,

    /// <summary>Cluster-robust CR1 (sandwich::vcovCL defaults): G/(G − 1) · (n − 1)/(n − k).</summary>
    CR1,
}

/// <summary>A fitted weighted least-squares model with a chosen covariance.</summary>
public sealed record RegressionFit(
    IReadOnlyList<string> Terms,
    IReadOnlyList<double> Coefficients,
    Matrix<double> Covariance,
    StandardErrorType SeType,
    int Observations,
    int? Clusters)
{
    public double StandardError(int j) => Math.Sqrt(Covariance[j, j]);

    /// <summary>Index of a term by name.</summary>
    public int IndexOf(string term)
    {
        for (var j = 0; j < Terms.Count; j++)
        {
            if (string.Equals(Terms[j], term, StringComparison.Ordinal))
            {
                return j;
            }
        }

        throw new ArgumentException($"no term '{term}'", nameof(term));
    }
}

/// <summary>
/// Weighted least squares with model-based, HC1, HC3 and cluster-robust CR1 covariances, matching R's
/// <c>lm(y ~ X, weights = w)</c> with <c>sandwich::vcovHC</c> / <c>vcovCL</c>. Rows with weight 0 are dropped
/// before fitting (as MatchIt's <c>match.data</c> does), so n counts only rows in the matched sample.
/// </summary>
public static class WeightedRegression
{
    /// <summary>Fits y on the columns of <paramref name="x"/> (which must include any intercept).</summary>
    public static RegressionFit Fit(
        IReadOnlyList<string> terms,
        double[][] x,
        IReadOnlyList<double> y,
        IReadOnlyList<double> weights,
        StandardErrorType seType,
        IReadOnlyList<int>? clusters = null)
    {
        ArgumentNullException.ThrowIfNull(terms);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(weights);
        var rows = Enumerable.Range(0, y.Count).Where(i => weights[i] > 0).ToArray();
        var n = rows.Length;
        var p = terms.Count;
        if (n <= p)
        {
            throw new EvaluationInputException($"too few units with positive weight ({n}) to fit {p} coefficients");
        }

        if (seType == StandardErrorType.CR1 && clusters is null)
        {
            throw new ArgumentException("CR1 needs a cluster per row", nameof(clusters));
        }

        var (xtwxArray, xtwyArray) = CrossProducts(rows, x, y, weights, p);
        var xtwx = Matrix<double>.Build.DenseOfArray(xtwxArray);
        var xtwy = Vector<double>.Build.DenseOfArray(xtwyArray);

        Matrix<double> bread;
        try
        {
            bread = xtwx.Cholesky().Solve(Matrix<double>.Build.DenseIdentity(p));
        }
        catch (ArgumentException)
        {
            throw new EvaluationInputException(
                "the outcome model's design is singular in the matched sample (a covariate is constant or collinear among matched units); drop it from the adjustment");
        }

        var beta = bread * xtwy;
        var resid = Residuals(rows, x, y, beta.ToArray());
        var meat = Matrix<double>.Build.Dense(p, p);
        int? g = null;
        switch (seType)
        {
            case StandardErrorType.ModelBased:
                {
                    var rss = 0.0;
                    for (var r = 0; r < n; r++)
                    {
                        rss += weights[rows[r]] * resid[r] * resid[r];
                    }

                    return new RegressionFit(terms, [.. beta], bread * (rss / (n - p)), seType, n, null);
                }

            case StandardErrorType.HC1:
            case StandardErrorType.HC3:
                meat = Matrix<double>.Build.DenseOfArray(HeteroskedasticMeat(rows, x, weights, resid, bread.ToArray(), seType == StandardErrorType.HC3));

                if (seType == StandardErrorType.HC1)
                {
                    meat *= (double)n / (n - p);
                }

                break;

            default:
                {
                    var sums = new Dictionary<int, double[]>();
                    for (var r = 0; r < n; r++)
                    {
                        var i = rows[r];
                        if (!sums.TryGetValue(clusters![i], out var s))
                        {
                            sums[clusters[i]] = s = new double[p];
                        }

                        var score = weights[i] * resid[r];
                        for (var a = 0; a < p; a++)
                        {
                            s[a] += score * x[i][a];
                        }
                    }

                    var meatArray = new double[p, p];
                    foreach (var s in sums.Values)
                    {
                        AddOuter(meatArray, s, 1.0);
                    }

                    meat = Matrix<double>.Build.DenseOfArray(meatArray);

                    g = sums.Count;
                    if (g < 2)
                    {
                        throw new EvaluationInputException("cluster-robust standard errors need at least two clusters");
                    }

                    meat *= (double)g.Value / (g.Value - 1) * (n - 1) / (n - p);
                    break;
                }
        }

        return new RegressionFit(terms, [.. beta], bread * meat * bread, seType, n, g);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (double[,] Xtwx, double[] Xtwy) CrossProducts(int[] rows, double[][] x, IReadOnlyList<double> y, IReadOnlyList<double> weights, int p)
    {
        var xtwx = new double[p, p];
        var xtwy = new double[p];
        foreach (var i in rows)
        {
            var xi = x[i];
            var w = weights[i];
            for (var a = 0; a < p; a++)
            {
                var wa = w * xi[a];
                for (var b = 0; b < p; b++)
                {
                    xtwx[a, b] += wa * xi[b];
                }

                xtwy[a] += wa * y[i];
            }
        }

        return (xtwx, xtwy);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double[] Residuals(int[] rows, double[][] x, IReadOnlyList<double> y, double[] beta)
    {
        var resid = new double[rows.Length];
        for (var r = 0; r < rows.Length; r++)
        {
            var xi = x[rows[r]];
            var fitted = 0.0;
            for (var a = 0; a < beta.Length; a++)
            {
                fitted += xi[a] * beta[a];
            }

            resid[r] = y[rows[r]] - fitted;
        }

        return resid;
    }

    /// <summary>Σ ωᵢ xᵢxᵢ' with ωᵢ = (wᵢeᵢ)² (HC0/HC1) or (wᵢeᵢ)²/(1 − hᵢ)², hᵢ = wᵢ xᵢ'(X'WX)⁻¹xᵢ (HC3).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double[,] HeteroskedasticMeat(int[] rows, double[][] x, IReadOnlyList<double> weights, double[] resid, double[,] bread, bool hc3)
    {
        var p = bread.GetLength(0);
        var meat = new double[p, p];
        for (var r = 0; r < rows.Length; r++)
        {
            var i = rows[r];
            var xi = x[i];
            var w = weights[i];
            var score = w * resid[r];
            var omega = score * score;
            if (hc3)
            {
                var q = 0.0;
                for (var a = 0; a < p; a++)
                {
                    var t = 0.0;
                    for (var b = 0; b < p; b++)
                    {
                        t += bread[a, b] * xi[b];
                    }

                    q += xi[a] * t;
                }

                var h = w * q;
                omega /= (1 - h) * (1 - h);
            }

            AddOuter(meat, xi, omega);
        }

        return meat;
    }

    private static void AddOuter(double[,] m, double[] v, double scale)
    {
        for (var a = 0; a < v.Length; a++)
        {
            for (var b = 0; b < v.Length; b++)
            {
                m[a, b] += scale * v[a] * v[b];
            }
        }
    }

    /// <summary>Two-sided normal critical value for a confidence level (1.959964 for 95%).</summary>
    public static double Critical(double level = 0.95) => Normal.InvCDF(0, 1, 1 - ((1 - level) / 2));
}
