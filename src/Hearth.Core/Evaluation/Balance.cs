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
            rows.Add(Row("distance", false, dv, t, w, scale));
        }

        // Column-wise over the row-major matrix; two threads share the columns.
        var columnRows = new BalanceRow[terms.Columns];
        Parallel.For(0, terms.Columns, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, j =>
        {
            columnRows[j] = Row(terms.Terms[j].Name, terms.Terms[j].IsBinary, terms.Column(j), t, w, scale);
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

    private static BalanceRow Row(string name, bool binary, double[] x, bool[] t, double[] w, SmdScale scale)
    {
        var tb = Moments(x, t, null, true, binary);
        var cb = Moments(x, t, null, false, binary);
        var ta = Moments(x, t, w, true, binary);
        var ca = Moments(x, t, w, false, binary);
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

    /// <summary>Weighted mean and variance of one group (all weights 1 when <paramref name="w"/> is null).</summary>
    private static (double Mean, double Variance) Moments(double[] x, bool[] t, double[]? w, bool group, bool binary)
    {
        double sw = 0, swx = 0, sw2 = 0;
        for (var i = 0; i < x.Length; i++)
        {
            if (t[i] != group)
            {
                continue;
            }

            var wi = w is null ? 1.0 : w[i];
            if (wi <= 0)
            {
                continue;
            }

            sw += wi;
            sw2 += wi * wi;
            swx += wi * x[i];
        }

        if (sw <= 0)
        {
            return (double.NaN, double.NaN);
        }

        var mean = swx / sw;
        if (binary)
        {
            return (mean, mean * (1 - mean));
        }

        var ss = 0.0;
        for (var i = 0; i < x.Length; i++)
        {
            if (t[i] != group)
            {
                continue;
            }

            var wi = w is null ? 1.0 : w[i];
            if (wi > 0)
            {
                ss += wi / sw * (x[i] - mean) * (x[i] - mean);
            }
        }

        return (mean, ss / (1 - (sw2 / (sw * sw))));
    }
}
