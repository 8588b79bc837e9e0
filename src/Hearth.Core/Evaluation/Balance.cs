using System.Runtime.CompilerServices;

namespace Hearth.Core.Evaluation;

/// <summary>Which standard deviation divides the mean difference in a standardised mean difference.</summary>
public enum SmdScale
{
    /// <summary>
    /// MatchIt's ATT convention (default): the SD of the treated group in the unmatched sample, the same before
    /// and after matching; n − 1 divisor for continuous terms, sqrt(p(1 − p)) for 0/1 terms.
    /// </summary>
    TreatedSd,

    /// <summary>sqrt((s₁² + s₀²)/2) of the unmatched treated and control SDs (Austin 2009), same before and after.</summary>
    PooledSd,
}

/// <summary>One row of a balance table: a design term (or the distance) before and after matching.</summary>
public sealed record BalanceRow(
    string Term,
    bool IsBinary,
    double MeanTreatedBefore,
    double MeanControlBefore,
    double SmdBefore,
    double? VarianceRatioBefore,
    double MeanTreatedAfter,
    double MeanControlAfter,
    double SmdAfter,
    double? VarianceRatioAfter);

/// <summary>A balance table with the sample sizes that go with it.</summary>
public sealed record BalanceTable(
    IReadOnlyList<BalanceRow> Rows,
    SmdScale Scale,
    int TreatedAll,
    int ControlsAll,
    int TreatedMatched,
    int ControlsMatched,
    double EffectiveControls,
    double EffectiveTreated);

/// <summary>
/// Balance diagnostics in MatchIt's <c>summary()</c> conventions: weighted means, standardised mean
/// differences (see <see cref="SmdScale"/>) and variance ratios (continuous terms only; weighted variance
/// Σw(x − x̄)²/Σw ÷ (1 − Σ(w/Σw)²)), before and after matching.
/// </summary>
public static class Balance
{
    /// <summary>Builds the table. <paramref name="distance"/> (optional) becomes the first row, named "distance".</summary>
    public static BalanceTable Summarise(
        DesignMatrix terms,
        IReadOnlyList<bool> treated,
        IReadOnlyList<double> weights,
        IReadOnlyList<double>? distance = null,
        SmdScale scale = SmdScale.TreatedSd)
    {
        ArgumentNullException.ThrowIfNull(terms);
        ArgumentNullException.ThrowIfNull(treated);
        ArgumentNullException.ThrowIfNull(weights);
        var n = terms.Rows;
        var t = treated as bool[] ?? [.. treated];
        var w = weights as double[] ?? [.. weights];
        var rows = new List<BalanceRow>();
        if (distance is not null)
        {
            var dv = distance as double[] ?? [.. distance];
            rows.Add(Row("distance", false, dv, 0, 1, t, w, scale));
        }

        // Column-wise over the row-major matrix, read in place with a stride; two threads share the columns.
        var columnRows = new BalanceRow[terms.Columns];
        Parallel.For(0, terms.Columns, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, j =>
        {
            columnRows[j] = Row(terms.Terms[j].Name, terms.Terms[j].IsBinary, terms.Values, j, terms.Columns, t, w, scale);
        });
        rows.AddRange(columnRows);

        var tAll = t.Count(x => x);
        int tm = 0, cm = 0;
        for (var i = 0; i < n; i++)
        {
            if (w[i] > 0)
            {
                if (t[i])
                {
                    tm++;
                }
                else
                {
                    cm++;
                }
            }
        }

        return new BalanceTable(rows, scale, tAll, n - tAll, tm, cm, Ess(w, t, false), Ess(w, t, true));
    }

    private static double Ess(double[] w, bool[] t, bool group)
    {
        double s = 0, s2 = 0;
        for (var i = 0; i < w.Length; i++)
        {
            if (t[i] == group && w[i] > 0)
            {
                s += w[i];
                s2 += w[i] * w[i];
            }
        }

        return s2 > 0 ? s * s / s2 : 0;
    }

    private static BalanceRow Row(string name, bool binary, double[] x, int offset, int stride, bool[] t, double[] w, SmdScale scale)
    {
        var m = Moments(x, offset, stride, t, w, binary);
        var (tb, cb, ta, ca) = (m[0], m[1], m[2], m[3]);
        var s = scale == SmdScale.TreatedSd ? Math.Sqrt(tb.Variance) : Math.Sqrt((tb.Variance + cb.Variance) / 2);
        return new BalanceRow(
            name,
            binary,
            tb.Mean,
            cb.Mean,
            (tb.Mean - cb.Mean) / s,
            binary ? null : tb.Variance / cb.Variance,
            ta.Mean,
            ca.Mean,
            (ta.Mean - ca.Mean) / s,
            binary ? null : ta.Variance / ca.Variance);
    }

    /// <summary>
    /// Weighted mean and variance for four groups in two passes: treated and control before matching (weights 1),
    /// then treated and control after (matching weights; units with weight 0 left out).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (double Mean, double Variance)[] Moments(double[] x, int offset, int stride, bool[] t, double[] w, bool binary)
    {
        unchecked
        {
            Span<double> sw = stackalloc double[4];
            Span<double> swx = stackalloc double[4];
            Span<double> sw2 = stackalloc double[4];
            for (int i = 0, k = offset; i < t.Length; i++, k += stride)
            {
                var g = t[i] ? 0 : 1;
                var xi = x[k];
                sw[g] += 1;
                sw2[g] += 1;
                swx[g] += xi;
                var wi = w[i];
                if (wi > 0)
                {
                    sw[g + 2] += wi;
                    sw2[g + 2] += wi * wi;
                    swx[g + 2] += wi * xi;
                }
            }

            Span<double> mean = stackalloc double[4];
            for (var g = 0; g < 4; g++)
            {
                mean[g] = sw[g] > 0 ? swx[g] / sw[g] : double.NaN;
            }

            var result = new (double Mean, double Variance)[4];
            if (binary)
            {
                for (var g = 0; g < 4; g++)
                {
                    result[g] = (mean[g], mean[g] * (1 - mean[g]));
                }

                return result;
            }

            Span<double> ss = stackalloc double[4];
            for (int i = 0, k = offset; i < t.Length; i++, k += stride)
            {
                var g = t[i] ? 0 : 1;
                var xi = x[k];
                var d = xi - mean[g];
                ss[g] += d * d;
                var wi = w[i];
                if (wi > 0)
                {
                    var da = xi - mean[g + 2];
                    ss[g + 2] += wi * da * da;
                }
            }

            for (var g = 0; g < 4; g++)
            {
                // Σw(x − x̄)²/Σw ÷ (1 − Σw²/(Σw)²): the n − 1 variance when all weights are 1.
                var v = ss[g] / sw[g] / (1 - (sw2[g] / (sw[g] * sw[g])));
                result[g] = (mean[g], v);
            }

            return result;
        }
    }
}
