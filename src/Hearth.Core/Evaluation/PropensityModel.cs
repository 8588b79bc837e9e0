using System.Globalization;
using System.Runtime.CompilerServices;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;
using Lanes = System.Numerics.Vector<double>;
using SimdVector = System.Numerics.Vector;

namespace Hearth.Core.Evaluation;

/// <summary>The link of the binary-response model behind the propensity score.</summary>
public enum LinkFunction
{
    Logit,
    Probit,
}

/// <summary>How the propensity model fit ended.</summary>
public enum PropensityFitStatus
{
    /// <summary>Newton iterations converged to the maximum-likelihood estimate.</summary>
    Converged,

    /// <summary>The iteration limit was reached before the deviance settled.</summary>
    NotConverged,

    /// <summary>Some covariate pattern predicts treatment perfectly; the estimates run off to infinity.</summary>
    Separation,
}

/// <summary>
/// A fitted propensity model with what is needed to explain it: coefficients and standard errors by term,
/// log-likelihood, iterations, status and plain-language diagnostics (which term separates, which fitted
/// probabilities reached 0 or 1).
/// </summary>
public sealed record PropensityFit(
    IReadOnlyList<string> Terms,
    IReadOnlyList<double> Coefficients,
    IReadOnlyList<double> StandardErrors,
    double LogLikelihood,
    double Deviance,
    double NullDeviance,
    int Iterations,
    LinkFunction Link,
    PropensityFitStatus Status,
    IReadOnlyList<string> Diagnostics,
    double[] Scores,
    double[] LinearPredictor)
{
    public bool IsUsable => Status == PropensityFitStatus.Converged;
}

/// <summary>
/// Binary regression of treatment on covariates by Newton–Raphson / iteratively reweighted least squares
/// (Fisher scoring, which is Newton's method for the logit link). Starts where R's <c>glm</c> starts
/// (μ₀ = (y + 0.5)/2) and iterates until a Newton step is below 1e-6 standard errors, so (convergence being
/// quadratic) the estimate sits at the maximum to machine precision. The p × p systems are solved with
/// MathNet.Numerics; the n × p sums run over two threads.
/// </summary>
public static class PropensityModel
{
    private const double Epsilon = 2.220446049250313e-16;
    private const double Threshold = 30.0;
    private const int MaxIterations = 50;

    /// <summary>Fits P(treat = 1 | x) with the given link. <paramref name="design"/> must include the intercept.</summary>
    public static PropensityFit Fit(DesignMatrix design, IReadOnlyList<bool> treated, LinkFunction link = LinkFunction.Logit) =>
        Fit(design, treated, link, vectorise: true);

    /// <summary>As <see cref="Fit(DesignMatrix, IReadOnlyList{bool}, LinkFunction)"/>; <paramref name="vectorise"/> = false forces the scalar kernel.</summary>
    internal static PropensityFit Fit(DesignMatrix design, IReadOnlyList<bool> treated, LinkFunction link, bool vectorise)
    {
        ArgumentNullException.ThrowIfNull(design);
        ArgumentNullException.ThrowIfNull(treated);
        var n = design.Rows;
        var p = design.Columns;
        if (treated.Count != n)
        {
            throw new ArgumentException("treated must have one entry per design row", nameof(treated));
        }

        var y = new double[n];
        var nTreated = 0;
        for (var i = 0; i < n; i++)
        {
            y[i] = treated[i] ? 1 : 0;
            nTreated += treated[i] ? 1 : 0;
        }

        var terms = design.Terms.Select(t => t.Name).ToArray();
        var diagnostics = new List<string>();
        diagnostics.AddRange(SeparationChecks(design, y));

        var eta = new double[n];
        var mu = new double[n];
        for (var i = 0; i < n; i++)
        {
            mu[i] = (y[i] + 0.5) / 2;
            eta[i] = LinkOf(link, mu[i]);
        }

        var beta = new double[p];
        var nullMu = (double)nTreated / n;
        var nullDev = NullDeviance(y, nullMu);
        var iterations = 0;
        var converged = false;
        Matrix<double>? xtwxInverse = null;
        for (var iter = 1; iter <= MaxIterations; iter++)
        {
            iterations = iter;
            // The first step starts from μ₀; later ones recompute η = Xβ and μ in the same pass as the sums.
            var (xtwx, xtwz) = Accumulate(design, y, eta, mu, link, iter == 1 ? null : beta, vectorise);
            Vector<double> next;
            try
            {
                var chol = xtwx.Cholesky();
                next = chol.Solve(xtwz);
                xtwxInverse = chol.Solve(Matrix<double>.Build.DenseIdentity(p));
            }
            catch (ArgumentException)
            {
                return Failed(terms, link, iterations, diagnostics, n, Singular(design));
            }

            if (next.Any(v => !double.IsFinite(v)))
            {
                return Failed(terms, link, iterations, diagnostics, n, Singular(design));
            }

            // Newton's step measured in standard errors. Convergence is quadratic, so once a step is below 1e-6 SE
            // the estimate it lands on is within about 1e-12 SE of the maximum: stop there.
            var step = 0.0;
            for (var j = 0; j < p; j++)
            {
                var sd = Math.Sqrt(xtwxInverse[j, j]);
                step = Math.Max(step, Math.Abs(next[j] - beta[j]) / (sd > 0 ? sd : 1));
                beta[j] = next[j];
            }

            if (iter > 1 && step < 1e-6)
            {
                converged = true;
                break;
            }
        }

        // Standard errors from the information at the final estimate.
        var (finalXtwx, _) = Accumulate(design, y, eta, mu, link, beta, vectorise);
        try
        {
            xtwxInverse = finalXtwx.Cholesky().Solve(Matrix<double>.Build.DenseIdentity(p));
        }
        catch (ArgumentException)
        {
            // Keep the previous iterate's inverse: the information matrix degenerates under separation.
        }

        var se = new double[p];
        for (var j = 0; j < p; j++)
        {
            se[j] = xtwxInverse is null ? double.NaN : Math.Sqrt(xtwxInverse[j, j]);
        }

        var logLik = 0.0;
        var extreme = 0;
        for (var i = 0; i < n; i++)
        {
            logLik += y[i] > 0 ? Math.Log(mu[i]) : Math.Log(1 - mu[i]);
            if (mu[i] < 10 * Epsilon || mu[i] > 1 - (10 * Epsilon))
            {
                extreme++;
            }
        }

        var status = converged ? PropensityFitStatus.Converged : PropensityFitStatus.NotConverged;
        if (extreme > 0)
        {
            status = PropensityFitStatus.Separation;
            diagnostics.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"{extreme} fitted probabilities are numerically 0 or 1: some covariate pattern predicts treatment perfectly (separation), so coefficients and scores for those units are not estimable."));
        }
        else if (!converged)
        {
            diagnostics.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"The fit did not converge in {MaxIterations} Newton iterations (deviance still changing); check for near-separation or badly scaled covariates."));
        }
        else if (diagnostics.Count > 0)
        {
            status = PropensityFitStatus.Separation;
        }

        return new PropensityFit(terms, beta, se, logLik, -2 * logLik, nullDev, iterations, link, status, diagnostics, mu, eta);
    }

    /// <summary>Logit of a probability: log(p / (1 − p)).</summary>
    public static double Logit(double p) => Math.Log(p / (1 - p));

    private static PropensityFit Failed(string[] terms, LinkFunction link, int iterations, List<string> diagnostics, int n, string reason)
    {
        diagnostics.Add(reason);
        var nan = Enumerable.Repeat(double.NaN, terms.Length).ToArray();
        return new PropensityFit(terms, nan, nan, double.NaN, double.NaN, double.NaN, iterations, link, PropensityFitStatus.NotConverged, diagnostics, new double[n], new double[n]);
    }

    private static string Singular(DesignMatrix design)
    {
        var aliased = AliasedTerms(design);
        return aliased.Count > 0
            ? $"The design matrix is singular: term '{design.Terms[aliased[0]].Name}' is constant or a linear combination of earlier terms; drop it or one of the terms it depends on."
            : "The information matrix is singular (numerically); drop collinear covariates or rescale them.";
    }

    /// <summary>
    /// Indices of the terms that are exact linear combinations of earlier terms (R's glm reports them as aliased,
    /// NA): each term's residual variance after regressing it on the earlier kept terms, in correlation scale,
    /// falls below 1e-9.
    /// </summary>
    public static IReadOnlyList<int> AliasedTerms(DesignMatrix design)
    {
        ArgumentNullException.ThrowIfNull(design);
        var p = design.Columns;
        var xtx = new double[p, p];
        for (var i = 0; i < design.Rows; i++)
        {
            for (var a = 0; a < p; a++)
            {
                var xa = design[i, a];
                if (xa == 0)
                {
                    continue;
                }

                for (var b = 0; b <= a; b++)
                {
                    xtx[a, b] += xa * design[i, b];
                }
            }
        }

        for (var a = 0; a < p; a++)
        {
            for (var b = a + 1; b < p; b++)
            {
                xtx[a, b] = xtx[b, a];
            }
        }

        var kept = new List<int>();
        var aliased = new List<int>();
        for (var k = 0; k < p; k++)
        {
            if (xtx[k, k] <= 0)
            {
                aliased.Add(k);
                continue;
            }

            var residual = 1.0;
            if (kept.Count > 0)
            {
                var m = Matrix<double>.Build.Dense(kept.Count, kept.Count, (a, b) => xtx[kept[a], kept[b]] / Math.Sqrt(xtx[kept[a], kept[a]] * xtx[kept[b], kept[b]]));
                var c = Vector<double>.Build.Dense(kept.Count, a => xtx[kept[a], k] / Math.Sqrt(xtx[kept[a], kept[a]] * xtx[k, k]));
                residual = 1 - c.DotProduct(m.Solve(c));
            }

            if (residual < 1e-9)
            {
                aliased.Add(k);
            }
            else
            {
                kept.Add(k);
            }
        }

        return aliased;
    }

    /// <summary>Univariate checks, in one pass over the rows, that name a term which separates the groups on its own.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static List<string> SeparationChecks(DesignMatrix design, double[] y)
    {
        var n = design.Rows;
        var p = design.Columns;
        var x = design.Values;
        var tMin = Enumerable.Repeat(double.MaxValue, p).ToArray();
        var cMin = Enumerable.Repeat(double.MaxValue, p).ToArray();
        var tMax = Enumerable.Repeat(double.MinValue, p).ToArray();
        var cMax = Enumerable.Repeat(double.MinValue, p).ToArray();
        var tOnes = new int[p];
        var cOnes = new int[p];
        var nT = 0;
        for (var i = 0; i < n; i++)
        {
            var row = x.AsSpan(i * p, p);
            if (y[i] > 0)
            {
                nT++;
                for (var j = 0; j < p; j++)
                {
                    var v = row[j];
                    tMin[j] = Math.Min(tMin[j], v);
                    tMax[j] = Math.Max(tMax[j], v);
                    tOnes[j] += v > 0.5 ? 1 : 0;
                }
            }
            else
            {
                for (var j = 0; j < p; j++)
                {
                    var v = row[j];
                    cMin[j] = Math.Min(cMin[j], v);
                    cMax[j] = Math.Max(cMax[j], v);
                    cOnes[j] += v > 0.5 ? 1 : 0;
                }
            }
        }

        var nC = n - nT;
        var messages = new List<string>();
        for (var j = 0; j < p; j++)
        {
            var term = design.Terms[j];
            if (term.Name == "(Intercept)")
            {
                continue;
            }

            if (term.IsBinary)
            {
                int t1 = tOnes[j], c1 = cOnes[j], t0 = nT - tOnes[j], c0 = nC - cOnes[j];
                if ((t1 + c1 > 0 && (t1 == 0 || c1 == 0)) || (t0 + c0 > 0 && (t0 == 0 || c0 == 0)))
                {
                    messages.Add(string.Create(
                        CultureInfo.InvariantCulture,
                        $"Term '{term.Name}' separates the groups: with {term.Name} = 1 there are {t1} treated and {c1} comparison units; with {term.Name} = 0, {t0} treated and {c0} comparison units. A group with no one on one side cannot be matched or modelled."));
                }
            }
            else if (nT > 0 && nC > 0 && (tMin[j] > cMax[j] || cMin[j] > tMax[j]))
            {
                messages.Add(string.Create(
                    CultureInfo.InvariantCulture,
                    $"Term '{term.Name}' separates the groups completely: treated values run {tMin[j]:G6} to {tMax[j]:G6}, comparison values {cMin[j]:G6} to {cMax[j]:G6}, with no overlap."));
            }
        }

        return messages;
    }

    private static double LinkOf(LinkFunction link, double mu) =>
        link == LinkFunction.Logit ? Math.Log(mu / (1 - mu)) : Normal.InvCDF(0, 1, mu);

    private static double InverseLink(LinkFunction link, double eta)
    {
        if (link == LinkFunction.Logit)
        {
            // R's binomial()$linkinv clamps at ±30 so the probability never reaches exactly 0 or 1.
            if (eta < -Threshold)
            {
                return Epsilon;
            }

            if (eta > Threshold)
            {
                return 1 - Epsilon;
            }

            return 1 / (1 + Math.Exp(-eta));
        }

        var thresh = -Normal.InvCDF(0, 1, Epsilon);
        var e = Math.Min(Math.Max(eta, -thresh), thresh);
        return Normal.CDF(0, 1, e);
    }

    private static double MuEta(LinkFunction link, double eta, double mu) =>
        link == LinkFunction.Logit
            ? Math.Max(mu * (1 - mu), Epsilon)
            : Math.Max(Math.Exp(-0.5 * eta * eta) / Math.Sqrt(2 * Math.PI), Epsilon);

    private static (Matrix<double> Xtwx, Vector<double> Xtwz) Accumulate(DesignMatrix design, double[] y, double[] eta, double[] mu, LinkFunction link, double[]? beta, bool vectorise)
    {
        var p = design.Columns;
        var parts = Partitions(design.Rows);
        var partial = new double[parts][];
        var simd = vectorise && link == LinkFunction.Logit && SimdVector.IsHardwareAccelerated && design.Rows >= 20_000;
        var columns = simd ? design.ColumnMajor() : null;
        Parallel.For(0, parts, part =>
        {
            var (from, to) = Range(design.Rows, part);
            partial[part] = simd
                ? AccumulateLogitVectorised(columns!, y, eta, mu, beta, from, to)
                : AccumulateRange(design.Values, p, y, eta, mu, link, beta, from, to);
        });

        var m = Matrix<double>.Build.Dense(p, p);
        var v = Vector<double>.Build.Dense(p);
        foreach (var acc in partial)
        {
            for (var a = 0; a < p; a++)
            {
                for (var b = 0; b <= a; b++)
                {
                    m[a, b] += acc[(a * p) + b];
                }

                v[a] += acc[(p * p) + a];
            }
        }

        for (var a = 0; a < p; a++)
        {
            for (var b = a + 1; b < p; b++)
            {
                m[a, b] = m[b, a];
            }
        }

        return (m, v);
    }

    /// <summary>
    /// The logit case of <see cref="AccumulateRange"/>, vectorised across rows: Vector&lt;double&gt;.Count consecutive
    /// rows at a time from column-major storage, one accumulator per lower-triangle entry of X'WX and per entry
    /// of X'Wz. Rows left over at the end go through the scalar kernel. Same layout of the result.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double[] AccumulateLogitVectorised(double[][] cols, double[] y, double[] eta, double[] mu, double[]? beta, int from, int to)
    {
        unchecked
        {
            var p = cols.Length;
            var width = Lanes.Count;
            var acc = new Lanes[(p * (p + 1) / 2) + p];
            var xv = new Lanes[p];
            var one = Lanes.One;
            var eps = new Lanes(Epsilon);
            var i = from;
            for (; i + width <= to; i += width)
            {
                for (var j = 0; j < p; j++)
                {
                    xv[j] = new Lanes(cols[j], i);
                }

                if (beta is not null)
                {
                    var e = Lanes.Zero;
                    for (var j = 0; j < p; j++)
                    {
                        e += xv[j] * beta[j];
                    }

                    e.CopyTo(eta, i);
                    for (var l = 0; l < width; l++)
                    {
                        mu[i + l] = InverseLink(LinkFunction.Logit, eta[i + l]);
                    }
                }

                var m = new Lanes(mu, i);
                var w = SimdVector.Max(m * (one - m), eps);
                var z = new Lanes(eta, i) + ((new Lanes(y, i) - m) / w);
                var k = 0;
                for (var a = 0; a < p; a++)
                {
                    var wa = w * xv[a];
                    for (var b = 0; b <= a; b++)
                    {
                        acc[k++] += wa * xv[b];
                    }
                }

                for (var a = 0; a < p; a++)
                {
                    acc[(p * (p + 1) / 2) + a] += w * xv[a] * z;
                }
            }

            // Lay the lane sums out like the scalar kernel (row-major lower triangle, then X'Wz), then add the tail.
            var result = new double[(p * p) + p];
            var t = 0;
            for (var a = 0; a < p; a++)
            {
                for (var b = 0; b <= a; b++)
                {
                    result[(a * p) + b] = SimdVector.Sum(acc[t++]);
                }
            }

            for (var a = 0; a < p; a++)
            {
                result[(p * p) + a] = SimdVector.Sum(acc[t++]);
            }

            if (i < to)
            {
                var rowMajor = new double[(to - i) * p];
                for (var r = i; r < to; r++)
                {
                    for (var j = 0; j < p; j++)
                    {
                        rowMajor[((r - i) * p) + j] = cols[j][r];
                    }
                }

                var tail = AccumulateTail(rowMajor, p, y, eta, mu, beta, i, to);
                for (var q = 0; q < result.Length; q++)
                {
                    result[q] += tail[q];
                }
            }

            return result;
        }
    }

    private static double[] AccumulateTail(double[] rowMajor, int p, double[] y, double[] eta, double[] mu, double[]? beta, int from, int to)
    {
        // Shift the per-row arrays so the scalar kernel sees rows 0..(to − from) of rowMajor.
        var n = to - from;
        var ys = y.AsSpan(from, n).ToArray();
        var es = eta.AsSpan(from, n).ToArray();
        var ms = mu.AsSpan(from, n).ToArray();
        var result = AccumulateRange(rowMajor, p, ys, es, ms, LinkFunction.Logit, beta, 0, n);
        es.CopyTo(eta, from);
        ms.CopyTo(mu, from);
        return result;
    }

    /// <summary>
    /// X'WX (lower triangle) and X'Wz over rows [from, to): the IRLS working weights and response. When
    /// <paramref name="beta"/> is given, η = Xβ and μ are first recomputed (and stored) for each row.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double[] AccumulateRange(double[] x, int p, double[] y, double[] eta, double[] mu, LinkFunction link, double[]? beta, int from, int to)
    {
        unchecked
        {
            var acc = new double[(p * p) + p];
            var xtwx = acc.AsSpan(0, p * p);
            var xtwz = acc.AsSpan(p * p, p);
            Span<double> wx = stackalloc double[p];
            var logit = link == LinkFunction.Logit;
            for (var i = from; i < to; i++)
            {
                var row = x.AsSpan(i * p, p);
                if (beta is not null)
                {
                    var e = 0.0;
                    for (var j = 0; j < row.Length; j++)
                    {
                        e += row[j] * beta[j];
                    }

                    eta[i] = e;
                    mu[i] = InverseLink(link, e);
                }

                var m = mu[i];
                var variance = Math.Max(m * (1 - m), Epsilon);
                var d = logit ? variance : MuEta(link, eta[i], m);
                var w = d * d / variance;
                var z = eta[i] + ((y[i] - m) / d);
                for (var a = 0; a < p; a++)
                {
                    wx[a] = w * row[a];
                }

                for (var a = 0; a < p; a++)
                {
                    var wa = wx[a];
                    var target = xtwx.Slice(a * p, a + 1);
                    for (var b = 0; b < target.Length; b++)
                    {
                        target[b] += wa * row[b];
                    }

                    xtwz[a] += wa * z;
                }
            }

            return acc;
        }
    }

    private static int Partitions(int n) => n < 20_000 ? 1 : Math.Max(1, Environment.ProcessorCount);

    private static (int From, int To) Range(int n, int part)
    {
        var parts = Partitions(n);
        var size = (n + parts - 1) / parts;
        var from = part * size;
        return (from, Math.Min(n, from + size));
    }

    private static double NullDeviance(double[] y, double p)
    {
        var s = 0.0;
        for (var i = 0; i < y.Length; i++)
        {
            s += y[i] > 0 ? -2 * Math.Log(p) : -2 * Math.Log(1 - p);
        }

        return s;
    }
}
