using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Hearth.Core.Linkage;

namespace Hearth.Web.Infrastructure;

/// <summary>One bar of a match-weight waterfall: where the running total stood before and after it.</summary>
public sealed record WaterfallStep(string Label, double Weight, double Before, double After, bool IsTotal);

/// <summary>
/// The match-weight explanation of a pair as a waterfall: the prior, then each comparison's weight (with its
/// term-frequency adjustment) moving the running total up or down, then the total. Rendered server-side as
/// SVG with classes only (the content security policy forbids style attributes), a title and a description
/// for screen readers; the page shows the same figures in a table.
/// </summary>
public static class WaterfallChart
{
    private const int Width = 720;
    private const int LabelWidth = 250;
    private const int ValueWidth = 70;
    private const int RowHeight = 30;
    private const int Top = 10;
    private const int AxisHeight = 40;

    /// <summary>The steps: prior, each term in order, and the total (whose Before is 0).</summary>
    public static IReadOnlyList<WaterfallStep> Steps(ReviewExplanation explanation)
    {
        ArgumentNullException.ThrowIfNull(explanation);
        var steps = new List<WaterfallStep> { new("Prior (before any comparison)", explanation.Prior, 0, explanation.Prior, false) };
        var running = explanation.Prior;
        foreach (var t in explanation.Terms)
        {
            var weight = t.Weight + t.TermFrequencyAdjustment;
            steps.Add(new WaterfallStep(Label(t), weight, running, running + weight, false));
            running += weight;
        }

        steps.Add(new WaterfallStep("Total match weight", explanation.Total, 0, explanation.Total, true));
        return steps;
    }

    /// <summary>"given name: exact" from a term's comparison and level.</summary>
    public static string Label(ReviewTerm term)
    {
        ArgumentNullException.ThrowIfNull(term);
        return term.Field.Replace('_', ' ') + ": " + term.Label;
    }

    /// <summary>A signed weight for people: "+8.12", "−3.40" (a real minus sign).</summary>
    public static string Weight(double weight) =>
        (weight >= 0 ? "+" : "\u2212") + Math.Abs(weight).ToString("F2", CultureInfo.InvariantCulture);

    /// <summary>A one-paragraph text alternative naming every step.</summary>
    public static string Description(ReviewExplanation explanation, double probability)
    {
        var steps = Steps(explanation);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"The match weight starts at the prior, {Weight(steps[0].Weight)}.");
        foreach (var s in steps.Skip(1).Take(steps.Count - 2))
        {
            text.Append(CultureInfo.InvariantCulture, $" {s.Label} {(s.Weight >= 0 ? "adds" : "takes away")} {Math.Abs(s.Weight).ToString("F2", CultureInfo.InvariantCulture)}, giving {Weight(s.After)}.");
        }

        text.Append(CultureInfo.InvariantCulture, $" The total is {Weight(explanation.Total)}, a match probability of {probability.ToString("P2", CultureInfo.InvariantCulture)}.");
        return text.ToString();
    }

    /// <summary>
    /// The SVG markup. <paramref name="reviewWeight"/> and <paramref name="thresholdWeight"/> (the run's
    /// thresholds) are drawn as marked vertical lines when given.
    /// </summary>
    public static string Svg(ReviewExplanation explanation, double probability, double? reviewWeight, double? thresholdWeight, string id)
    {
        ArgumentNullException.ThrowIfNull(explanation);
        var steps = Steps(explanation);
        var values = steps.SelectMany(s => new[] { s.Before, s.After }).Append(0).ToList();
        if (reviewWeight is { } rw)
        {
            values.Add(rw);
        }

        if (thresholdWeight is { } tw)
        {
            values.Add(tw);
        }

        var tick = TickStep(values.Max() - values.Min());
        var min = Math.Floor(values.Min() / tick) * tick;
        var max = Math.Ceiling(values.Max() / tick) * tick;
        if (max - min < tick)
        {
            max = min + tick;
        }

        var plotLeft = LabelWidth;
        var plotWidth = Width - LabelWidth - ValueWidth;
        double X(double v) => plotLeft + ((v - min) / (max - min) * plotWidth);
        var plotHeight = steps.Count * RowHeight;
        var height = Top + plotHeight + AxisHeight;
        var html = HtmlEncoder.Default;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"hearth-waterfall\" viewBox=\"0 0 {Width} {height}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" focusable=\"false\">");
        svg.Append(CultureInfo.InvariantCulture, $"<title id=\"{id}-title\">Match weight waterfall: total {html.Encode(Weight(explanation.Total))}</title>");
        svg.Append(CultureInfo.InvariantCulture, $"<desc id=\"{id}-desc\">{html.Encode(Description(explanation, probability))}</desc>");

        // Grid and axis.
        for (var v = min; v <= max + (tick / 2); v += tick)
        {
            var x = F(X(v));
            svg.Append(CultureInfo.InvariantCulture, $"<line class=\"hearth-waterfall__grid\" x1=\"{x}\" y1=\"{Top}\" x2=\"{x}\" y2=\"{Top + plotHeight}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"hearth-waterfall__tick\" x=\"{x}\" y=\"{Top + plotHeight + 16}\" text-anchor=\"middle\">{v.ToString("0.#", CultureInfo.InvariantCulture).Replace("-", "\u2212", StringComparison.Ordinal)}</text>");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text class=\"hearth-waterfall__axis-label\" x=\"{F(plotLeft + (plotWidth / 2.0))}\" y=\"{Top + plotHeight + 34}\" text-anchor=\"middle\">match weight (log2 of the likelihood ratio)</text>");
        var zero = F(X(0));
        svg.Append(CultureInfo.InvariantCulture, $"<line class=\"hearth-waterfall__zero\" x1=\"{zero}\" y1=\"{Top}\" x2=\"{zero}\" y2=\"{Top + plotHeight}\"/>");

        for (var i = 0; i < steps.Count; i++)
        {
            var s = steps[i];
            var y = Top + (i * RowHeight);
            var left = X(Math.Min(s.Before, s.After));
            var width = Math.Max(1.5, Math.Abs(X(s.After) - X(s.Before)));
            var kind = s.IsTotal ? "total" : i == 0 ? "prior" : s.Weight >= 0 ? "up" : "down";
            svg.Append(CultureInfo.InvariantCulture, $"<g class=\"hearth-waterfall__step hearth-waterfall__step--{kind}\">");
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"hearth-waterfall__label\" x=\"{LabelWidth - 8}\" y=\"{y + 19}\" text-anchor=\"end\">{html.Encode(Shorten(s.Label))}</text>");
            svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"hearth-waterfall__bar hearth-waterfall__bar--{kind}\" x=\"{F(left)}\" y=\"{y + 5}\" width=\"{F(width)}\" height=\"{RowHeight - 10}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"hearth-waterfall__value\" x=\"{Width - ValueWidth + 6}\" y=\"{y + 19}\">{html.Encode(Weight(s.Weight))}</text>");
            if (i < steps.Count - 1 && !steps[i + 1].IsTotal)
            {
                // The connector carries the running total down to the next bar.
                var cx = F(X(s.After));
                svg.Append(CultureInfo.InvariantCulture, $"<line class=\"hearth-waterfall__connector\" x1=\"{cx}\" y1=\"{y + RowHeight - 5}\" x2=\"{cx}\" y2=\"{y + RowHeight + 5}\"/>");
            }

            svg.Append("</g>");
        }

        Threshold(svg, reviewWeight, "review", "review from", X, plotHeight);
        Threshold(svg, thresholdWeight, "threshold", "automatic link", X, plotHeight);
        svg.Append("</svg>");
        return svg.ToString();
    }

    private static void Threshold(StringBuilder svg, double? weight, string kind, string label, Func<double, double> x, int plotHeight)
    {
        if (weight is not { } w)
        {
            return;
        }

        var at = F(x(w));
        svg.Append(CultureInfo.InvariantCulture,
            $"<line class=\"hearth-waterfall__threshold hearth-waterfall__threshold--{kind}\" x1=\"{at}\" y1=\"{Top}\" x2=\"{at}\" y2=\"{Top + plotHeight}\"><title>{label} {Weight(w)}</title></line>");
    }

    private static string Shorten(string label) => label.Length <= 34 ? label : label[..33] + "…";

    private static double TickStep(double range) => range switch
    {
        <= 10 => 1,
        <= 25 => 2,
        <= 50 => 5,
        <= 100 => 10,
        _ => 20,
    };

    private static string F(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
