using System.Globalization;
using System.Text;

namespace Hearth.Core.Evaluation;

/// <summary>
/// The three numbers a truth check sets side by side, with the evaluation behind the middle one: the naive
/// before/after change among treated families, the matched estimate (with its CI) and the true effect known
/// to the synthetic generator.
/// </summary>
public sealed record TruthCheckResult(
    double NaiveChange,
    EvaluationResult Evaluation,
    double TrueEffect,
    double TrueEffectMatched,
    IReadOnlyList<string> Covariates,
    IReadOnlyList<string> Notes)
{
    /// <summary>Whether the matched estimate's 95% CI contains the true effect among the matched treated.</summary>
    public bool CiCoversTruth => Evaluation.Att.Lower <= TrueEffectMatched && TrueEffectMatched <= Evaluation.Att.Upper;
}

/// <summary>
/// Checks the matched estimator against a synthetic cohort whose counterfactual is known
/// (<c>truth/programme_cohort.csv</c>: one row per family, <c>post_offences_12m_untreated</c> = the offences the
/// family would have had without the programme). Covariates are the <c>pre_*</c> and <c>need_*</c> columns plus
/// family shape (<c>n_members</c>, <c>n_children</c>, <c>lone_parent</c>, <c>any_adult_workless</c>);
/// Matching is 1:1 on the logit of the score with a 0.2 SD caliper unless another caliper is given;
/// <c>need_count</c> is left out because it is the sum of the <c>need_*</c> flags, and constant columns are
/// left out because they carry no information (each with a note).
/// </summary>
public static class TruthCheck
{
    public const string Outcome = "post_offences_12m";
    public const string PreOutcome = "pre_offences_12m";
    public const string Untreated = "post_offences_12m_untreated";

    /// <summary>Default caliper: 0.2 SD of the logit of the score (Austin 2011), matching on the logit.</summary>
    public const double DefaultCaliper = 0.2;
    private static readonly string[] FamilyShape = ["n_members", "n_children", "lone_parent", "any_adult_workless"];

    public static TruthCheckResult Run(EvaluationTable table, double? caliper = DefaultCaliper)
    {
        ArgumentNullException.ThrowIfNull(table);
        foreach (var required in new[] { "family_id", "treated", Outcome, PreOutcome, Untreated })
        {
            if (!table.HasColumn(required))
            {
                table.Text(required);
            }
        }

        var notes = new List<string>();
        var candidates = table.Header
            .Where(h => h.StartsWith("pre_", StringComparison.Ordinal) || h.StartsWith("need_", StringComparison.Ordinal))
            .Concat(FamilyShape.Where(table.HasColumn))
            .ToList();
        if (candidates.Remove("need_count"))
        {
            notes.Add("need_count is left out of the propensity model: it is the sum of the need_* flags, so it would make the design singular.");
        }

        table = FillMissing(table, candidates, notes);
        var covariates = new List<string>();
        foreach (var c in candidates)
        {
            var v = table.Numeric(c);
            if (v.All(x => x == v[0]))
            {
                notes.Add($"{c} is left out: it has the same value for every family.");
                continue;
            }

            covariates.Add(c);
        }

        // Family shape often has an identity (members = children + adults); drop exactly collinear terms, as R's glm
        // would report them as aliased, and say so.
        var numeric = covariates.Select(c => Covariate.FromNumbers(c, table.Numeric(c))).ToArray();
        foreach (var k in PropensityModel.AliasedTerms(DesignMatrix.ForModel(numeric)).OrderDescending())
        {
            var name = covariates[k - 1];
            notes.Add($"{name} is left out: it is an exact linear combination of other covariates (for example members = children + adults).");
            covariates.RemoveAt(k - 1);
        }

        var spec = new EvaluationSpec
        {
            IdColumn = "family_id",
            TreatmentColumn = "treated",
            Covariates = covariates,
            OutcomeColumn = Outcome,
            PreOutcomeColumn = PreOutcome,
            Distance = DistanceScale.Linear,
            Caliper = caliper,
        };
        var evaluation = EvaluationRunner.Run(table, spec);
        var post = table.Numeric(Outcome);
        var untreated = table.Numeric(Untreated);
        var treated = evaluation.Match.Treated;
        double all = 0, matched = 0;
        int nAll = 0, nMatched = 0;
        for (var i = 0; i < post.Length; i++)
        {
            if (!treated[i])
            {
                continue;
            }

            var effect = post[i] - untreated[i];
            all += effect;
            nAll++;
            if (evaluation.Match.Weights[i] > 0)
            {
                matched += effect;
                nMatched++;
            }
        }

        return new TruthCheckResult(evaluation.PrePost!.TreatedChange, evaluation, all / nAll, matched / nMatched, covariates, notes);
    }

    /// <summary>
    /// Covariates that are blank or NA for some families (e.g. an absence rate for families without school-age
    /// children) get 0 in place of the gap and a companion <c>COLUMN_missing</c> 0/1 column, so those families are
    /// matched with others whose value is also unrecorded. Each such column gets a note.
    /// </summary>
    private static EvaluationTable FillMissing(EvaluationTable table, List<string> candidates, List<string> notes)
    {
        var header = table.Header.ToList();
        var columns = header.Select(h => table.Text(h).ToArray()).ToList();
        var changed = false;
        foreach (var c in candidates.ToList())
        {
            var values = columns[header.IndexOf(c)];
            var missing = values.Select(v => v.Length == 0 || string.Equals(v, "NA", StringComparison.Ordinal)).ToArray();
            var count = missing.Count(m => m);
            if (count == 0)
            {
                continue;
            }

            changed = true;
            for (var i = 0; i < values.Length; i++)
            {
                if (missing[i])
                {
                    values[i] = "0";
                }
            }

            var flag = c + "_missing";
            header.Add(flag);
            columns.Add([.. missing.Select(m => m ? "1" : "0")]);
            candidates.Insert(candidates.IndexOf(c) + 1, flag);
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"{c} is missing for {count} families: they get 0 there and {flag} = 1, so they match families whose value is also unrecorded."));
        }

        return changed
            ? new EvaluationTable(table.Source, header, columns, [.. Enumerable.Range(0, table.RowCount).Select(table.LineOf)])
            : table;
    }

    /// <summary>The side-by-side table as HTML, to sit at the top of the evaluation report.</summary>
    public static string Preface(TruthCheckResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var e = result.Evaluation.Att;
        var b = new StringBuilder();
        b.Append("<h2>Truth check</h2><p>The cohort is synthetic: for every treated family the generator also recorded the offences it would have had without the programme, so the true effect is known.</p>");
        b.Append("<table><thead><tr><th>Estimate</th><th>Offences in 12 months</th><th>95% CI</th></tr></thead><tbody>");
        b.Append(string.Create(CultureInfo.InvariantCulture, $"<tr><td>Naive before/after change among treated families</td><td>{EvaluationReport.F(result.NaiveChange)}</td><td>—</td></tr>"));
        b.Append(string.Create(CultureInfo.InvariantCulture, $"<tr class=\"headline\"><td>Matched estimate (ATT)</td><td>{EvaluationReport.F(e.Estimate)}</td><td>{EvaluationReport.F(e.Lower)} to {EvaluationReport.F(e.Upper)}</td></tr>"));
        b.Append(string.Create(CultureInfo.InvariantCulture, $"<tr><td>True effect (mean of post − untreated post among treated)</td><td>{EvaluationReport.F(result.TrueEffect)}</td><td>—</td></tr>"));
        b.Append(string.Create(CultureInfo.InvariantCulture, $"<tr><td>True effect among matched treated families</td><td>{EvaluationReport.F(result.TrueEffectMatched)}</td><td>{(result.CiCoversTruth ? "inside the matched CI" : "outside the matched CI")}</td></tr>"));
        b.Append("</tbody></table><ul>");
        foreach (var n in result.Notes)
        {
            b.Append("<li>").Append(EvaluationReport.E(n)).Append("</li>");
        }

        b.Append("</ul>");
        return b.ToString();
    }
}
