using System.Globalization;
using System.Net;
using System.Text;

namespace Hearth.Core.Evaluation;

/// <summary>
/// A self-contained HTML report of an evaluation: headline estimate beside the naive comparisons, the matching,
/// balance (table and love plot), overlap plot, effect estimates and plain-language caveats. Plots are inlined as
/// PNG data URIs; <see cref="WriteFiles"/> also writes SVG versions beside the report.
/// </summary>
public static class EvaluationReport
{
    public static string Html(EvaluationResult result, IReadOnlyList<PlotImage>? plots = null, string? prefaceHtml = null, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        plots ??= Plots(result);
        var r = result;
        var s = r.Spec;
        var b = new StringBuilder();
        Start(b, title ?? $"Impact evaluation: {s.OutcomeColumn}");
        b.Append(prefaceHtml);
        b.Append(Inv($"<p>Data: <code>{E(r.Source)}</code>, {r.Rows:N0} units ({r.TreatedCount:N0} treated, {r.ControlCount:N0} comparison). Outcome <code>{E(s.OutcomeColumn)}</code>; covariates {E(string.Join(", ", s.Covariates))}.</p>"));

        b.Append("<h2>Headline</h2><table><thead><tr><th>Comparison</th><th>Estimate</th><th>95% CI</th><th>What it compares</th></tr></thead><tbody>");
        if (r.PrePost is { } pp)
        {
            b.Append(Inv($"<tr><td>Before/after, treated only (the \"turned around\" claim)</td><td>{F(pp.TreatedChange)}</td><td>—</td><td>Mean {E(s.OutcomeColumn)} after ({F(pp.TreatedPostMean)}) minus before ({F(pp.TreatedPreMean)}) among all treated units. Ignores what would have happened anyway (regression to the mean, general trends).</td></tr>"));
        }

        b.Append(Inv($"<tr><td>Naive treated − untreated</td><td>{F(r.NaiveDifference)}</td><td>—</td><td>Unmatched difference in means; mixes the programme's effect with who was selected.</td></tr>"));
        b.Append(Inv($"<tr class=\"headline\"><td><strong>Matched estimate (ATT)</strong></td><td><strong>{F(r.Att.Estimate)}</strong></td><td>{F(r.Att.Lower)} to {F(r.Att.Upper)}</td><td>Treated vs matched comparison units, {E(r.Att.SeDescription)} standard error {F(r.Att.StandardError)}.</td></tr>"));
        b.Append(Inv($"<tr><td>Matched, covariate-adjusted</td><td>{F(r.Adjusted.Estimate)}</td><td>{F(r.Adjusted.Lower)} to {F(r.Adjusted.Upper)}</td><td>Weighted regression on treatment and the covariates in the matched sample (SE {F(r.Adjusted.StandardError)}).</td></tr>"));
        if (r.PrePost is { } d)
        {
            b.Append(Inv($"<tr><td>Matched difference-in-differences</td><td>{F(d.MatchedDid.Estimate)}</td><td>{F(d.MatchedDid.Lower)} to {F(d.MatchedDid.Upper)}</td><td>Change among treated ({F(d.MatchedCells.TreatedChange)}) minus change among matched comparison units ({F(d.MatchedCells.ControlChange)}); removes fixed differences matching cannot see.</td></tr>"));
            b.Append(Inv($"<tr><td>Unmatched 2×2 difference-in-differences</td><td>{F(d.UnmatchedDid.Estimate)}</td><td>{F(d.UnmatchedDid.Lower)} to {F(d.UnmatchedDid.Upper)}</td><td>Change among all treated minus change among all comparison units ({E(d.UnmatchedDid.SeDescription)}); relies on parallel trends without matching.</td></tr>"));
        }

        b.Append("</tbody></table>");
        if (r.Binary is { } bin)
        {
            b.Append(Inv($"<p>The outcome is 0/1: {P(bin.TreatedRate)} of matched treated units against {P(bin.ControlRate)} of matched comparison units; risk difference {P(bin.RiskDifference.Estimate)} (95% CI {P(bin.RiskDifference.Lower)} to {P(bin.RiskDifference.Upper)}); relative reduction 1 − p₁/p₀ = {P(bin.RelativeReduction)} (95% CI {P(bin.RelativeReductionLower)} to {P(bin.RelativeReductionUpper)}).</p>"));
        }

        if (r.PrePost?.PreTrend is { } trend)
        {
            b.Append(Inv($"<p><strong>Parallel-trend check.</strong> {E(trend.Explanation)}</p>"));
        }

        if (r.Warnings.Count > 0)
        {
            b.Append("<h2>Warnings</h2><ul class=\"warn\">");
            foreach (var w in r.Warnings)
            {
                b.Append(Inv($"<li>{E(w)}</li>"));
            }

            b.Append("</ul>");
        }

        b.Append("<h2>Matching</h2>");
        b.Append(Inv($"<p>{E(NearestNeighbourMatcher.Describe(r.Match.Options))} on the {(s.Distance == DistanceScale.Score ? "propensity score" : "linear predictor (logit) of the propensity score")}"));
        if (s.Caliper is { } cal)
        {
            b.Append(Inv($"; caliper {cal} SD of the {((s.CaliperScale ?? s.Distance) == DistanceScale.Score ? "score" : "logit")} = {r.CaliperWidth!.Value:G6}"));
        }

        if (s.Exact.Count > 0)
        {
            b.Append(Inv($"; exact matching on {E(string.Join(", ", s.Exact))}"));
        }

        b.Append(Inv($".</p><table><tbody><tr><th>Matched treated</th><td>{r.Match.MatchedTreated:N0} of {r.TreatedCount:N0}</td></tr><tr><th>Matched comparison units</th><td>{r.Match.MatchedControls:N0} of {r.ControlCount:N0}</td></tr><tr><th>Pairs</th><td>{r.Match.Pairs:N0}</td></tr><tr><th>Effective comparison sample size</th><td>{r.Balance.EffectiveControls:F1}</td></tr></tbody></table>"));

        b.Append("<h2>Propensity model</h2>");
        b.Append(Inv($"<p>{(r.Fit.Link == LinkFunction.Logit ? "Logistic" : "Probit")} regression of treatment on the covariates; {E(r.Fit.Status.ToString())} after {r.Fit.Iterations} iterations; log-likelihood {r.Fit.LogLikelihood:F4}.</p><table><thead><tr><th>Term</th><th>Coefficient</th><th>SE</th></tr></thead><tbody>"));
        for (var j = 0; j < r.Fit.Terms.Count; j++)
        {
            b.Append(Inv($"<tr><td>{E(r.Fit.Terms[j])}</td><td>{r.Fit.Coefficients[j]:G6}</td><td>{r.Fit.StandardErrors[j]:G6}</td></tr>"));
        }

        b.Append("</tbody></table>");

        b.Append("<h2>Balance</h2>");
        b.Append(Inv($"<p>Standardised mean difference (SMD) = difference in means ÷ {(r.Balance.Scale == SmdScale.TreatedSd ? "the treated group's SD before matching" : "the pooled SD before matching")}. Below 0.1 in absolute value is the usual rule of thumb for good balance. Variance ratios near 1 are good (shown for continuous terms).</p>"));
        b.Append("<table><thead><tr><th>Term</th><th>Treated mean before</th><th>Comparison mean before</th><th>SMD before</th><th>Treated mean after</th><th>Comparison mean after</th><th>SMD after</th><th>Variance ratio after</th></tr></thead><tbody>");
        foreach (var row in r.Balance.Rows)
        {
            var flag = Math.Abs(row.SmdAfter) > 0.1 ? " class=\"bad\"" : string.Empty;
            b.Append(Inv($"<tr><td>{E(row.Term)}</td><td>{row.MeanTreatedBefore:G5}</td><td>{row.MeanControlBefore:G5}</td><td>{row.SmdBefore:F3}</td><td>{row.MeanTreatedAfter:G5}</td><td>{row.MeanControlAfter:G5}</td><td{flag}>{row.SmdAfter:F3}</td><td>{(row.VarianceRatioAfter is { } vr ? vr.ToString("F2", CultureInfo.InvariantCulture) : "—")}</td></tr>"));
        }

        b.Append("</tbody></table>");
        foreach (var plot in plots)
        {
            b.Append(Inv($"<figure><img alt=\"{E(plot.Name)} plot\" src=\"data:image/png;base64,{Convert.ToBase64String(plot.Png)}\"><figcaption>{E(Caption(plot.Name))}</figcaption></figure>"));
        }

        Caveats(b);
        End(b);
        return b.ToString();
    }

    /// <summary>The love and overlap plots for a result.</summary>
    public static IReadOnlyList<PlotImage> Plots(EvaluationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return
        [
            EvaluationPlots.LovePlot(result.Balance),
            EvaluationPlots.OverlapPlot(result.Distance, result.Match.Treated, result.Match.Weights, result.Spec.Distance == DistanceScale.Score ? "Propensity score" : "Logit of the propensity score"),
        ];
    }

    /// <summary>Writes the report and, beside it, <c>NAME.love.svg</c>/<c>.png</c> and <c>NAME.overlap.svg</c>/<c>.png</c>.</summary>
    public static void WriteFiles(EvaluationResult result, string htmlPath, string? prefaceHtml = null, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(htmlPath);
        var plots = Plots(result);
        File.WriteAllText(htmlPath, Html(result, plots, prefaceHtml, title));
        var stem = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(htmlPath))!, Path.GetFileNameWithoutExtension(htmlPath));
        foreach (var p in plots)
        {
            File.WriteAllBytes($"{stem}.{p.Name}.png", p.Png);
            File.WriteAllText($"{stem}.{p.Name}.svg", p.Svg);
        }
    }

    internal static void Caveats(StringBuilder b)
    {
        b.Append("<h2>How far to trust this</h2><ul>");
        b.Append("<li><strong>Selection on observables.</strong> Matching compares treated units with untreated units that look alike on the covariates listed. It assumes nothing else that affects both selection and the outcome differs between them. Anything the data do not record (motivation, a worker's judgement of how ready a family is, a crisis that prompted referral) can still bias the estimate, in either direction.</li>");
        b.Append("<li><strong>Overlap.</strong> The estimate is only as good as the comparison units available. Check the overlap plot: treated units whose scores have no comparison units nearby are matched to poor partners (or dropped by a caliper, in which case the estimate describes only the matched treated).</li>");
        b.Append("<li><strong>Balance is necessary, not sufficient.</strong> Small SMDs show the matched groups are alike on what was measured; they say nothing about what was not.</li>");
        b.Append("<li><strong>What matching cannot fix.</strong> It cannot remove bias from unmeasured differences, from outcomes measured differently for the two groups, from comparison units who were affected by the programme, or from a treated group chosen because its outcomes were about to change (regression to the mean). A before/after change among the treated alone is not an impact estimate. Difference-in-differences removes fixed unmeasured differences but relies on parallel trends.</li>");
        b.Append("<li><strong>Standard errors.</strong> Without replacement they are cluster-robust by matched set (CR1); with replacement HC3; they treat the propensity score as known, which is usually conservative for the ATT. Intervals use the normal critical value 1.96.</li>");
        b.Append("</ul>");
    }

    internal static void Start(StringBuilder b, string title)
    {
        b.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>");
        b.Append(E(title));
        b.Append("</title><style>body{font-family:Arial,sans-serif;max-width:960px;margin:2em auto;color:#0b0c0c;line-height:1.4}table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #b1b4b6;padding:4px 8px;text-align:left;vertical-align:top}thead th{background:#f3f2f1}tr.headline td{background:#e8f1f8}td.bad{color:#d4351c;font-weight:bold}ul.warn li{color:#d4351c}figure{margin:1em 0}img{max-width:100%}code{background:#f3f2f1;padding:0 3px}</style></head><body><h1>");
        b.Append(E(title));
        b.Append("</h1>");
    }

    internal static void End(StringBuilder b) => b.Append("</body></html>\n");

    internal static string E(string text) => WebUtility.HtmlEncode(text);

    internal static string F(double v) => v.ToString("#,0.####", CultureInfo.InvariantCulture);

    private static string P(double v) => (v * 100).ToString("F1", CultureInfo.InvariantCulture) + "%";

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private static string Caption(string name) => name == "love"
        ? "Love plot: absolute SMD per term before (open) and after (filled) matching; the dashed line is 0.1."
        : "Overlap: distribution of the matching distance among treated, all comparison and matched comparison units (weighted).";
}
