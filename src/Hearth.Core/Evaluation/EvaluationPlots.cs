using ScottPlot;

namespace Hearth.Core.Evaluation;

/// <summary>A rendered plot in both formats.</summary>
public sealed record PlotImage(string Name, byte[] Png, string Svg);

/// <summary>
/// The two standard pictures of a matched comparison: a love plot (absolute standardised mean difference per term
/// before and after matching, with the 0.1 rule-of-thumb line) and a propensity-score overlap plot (distribution
/// of the distance among treated, all comparison and matched comparison units).
/// </summary>
public static class EvaluationPlots
{
    private const int Width = 800;

    public static PlotImage LovePlot(BalanceTable balance)
    {
        ArgumentNullException.ThrowIfNull(balance);
        var rows = balance.Rows.Reverse().ToArray();
        var plot = new Plot();
        var ys = Enumerable.Range(0, rows.Length).Select(i => (double)i).ToArray();
        var before = plot.Add.ScatterPoints(rows.Select(r => Math.Abs(r.SmdBefore)).ToArray(), ys);
        before.LegendText = "Before matching";
        before.MarkerShape = MarkerShape.OpenCircle;
        before.MarkerSize = 9;
        var after = plot.Add.ScatterPoints(rows.Select(r => Math.Abs(r.SmdAfter)).ToArray(), ys);
        after.LegendText = "After matching";
        after.MarkerShape = MarkerShape.FilledCircle;
        after.MarkerSize = 9;
        var line = plot.Add.VerticalLine(0.1);
        line.LinePattern = LinePattern.Dashed;
        line.LegendText = "|SMD| = 0.1";
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ys, [.. rows.Select(r => r.Term)]);
        plot.XLabel(balance.Scale == SmdScale.TreatedSd ? "Absolute standardised mean difference (treated SD)" : "Absolute standardised mean difference (pooled SD)");
        plot.Title("Covariate balance");
        plot.Axes.SetLimitsX(0, Math.Max(0.15, rows.Max(r => Math.Max(Math.Abs(r.SmdBefore), Math.Abs(r.SmdAfter)))) * 1.05);
        plot.ShowLegend(Alignment.LowerRight);
        var height = Math.Max(300, 60 + (28 * rows.Length));
        return Render("love", plot, height);
    }

    /// <summary>Histogram densities of the distance for treated, all comparison and matched comparison (weighted) units.</summary>
    public static PlotImage OverlapPlot(IReadOnlyList<double> distance, IReadOnlyList<bool> treated, IReadOnlyList<double> weights, string scaleLabel)
    {
        ArgumentNullException.ThrowIfNull(distance);
        ArgumentNullException.ThrowIfNull(treated);
        ArgumentNullException.ThrowIfNull(weights);
        const int Bins = 40;
        var min = distance.Min();
        var max = distance.Max();
        var width = max > min ? (max - min) / Bins : 1;
        var t = new double[Bins];
        var c = new double[Bins];
        var m = new double[Bins];
        for (var i = 0; i < distance.Count; i++)
        {
            var b = Math.Min(Bins - 1, (int)((distance[i] - min) / width));
            if (treated[i])
            {
                t[b] += 1;
            }
            else
            {
                c[b] += 1;
                m[b] += weights[i];
            }
        }

        var xs = Enumerable.Range(0, Bins).Select(b => min + ((b + 0.5) * width)).ToArray();
        var plot = new Plot();
        Add(plot, xs, Normalise(t, width), "Treated", Colors.Red);
        Add(plot, xs, Normalise(c, width), "All comparison", Colors.Gray);
        Add(plot, xs, Normalise(m, width), "Matched comparison (weighted)", Colors.Blue);
        plot.XLabel(scaleLabel);
        plot.YLabel("Density");
        plot.Title("Overlap of the matching distance");
        plot.ShowLegend(Alignment.UpperRight);
        return Render("overlap", plot, 450);
    }

    private static void Add(Plot plot, double[] xs, double[] ys, string label, Color color)
    {
        var s = plot.Add.Scatter(xs, ys);
        s.LegendText = label;
        s.Color = color;
        s.MarkerSize = 0;
        s.LineWidth = 2;
        s.ConnectStyle = ConnectStyle.StepHorizontal;
    }

    private static double[] Normalise(double[] counts, double width)
    {
        var total = counts.Sum();
        return [.. counts.Select(v => total > 0 ? v / total / width : 0)];
    }

    private static PlotImage Render(string name, Plot plot, int height)
    {
        var png = plot.GetImageBytes(Width, height, ImageFormat.Png);
        var svg = plot.GetSvgXml(Width, height);
        return new PlotImage(name, png, svg);
    }
}
