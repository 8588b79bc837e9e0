using System.Text;
using System.Text.Json;

namespace Hearth.Core.Evaluation;

/// <summary>Writes an <see cref="EvaluationResult"/> as JSON (schema in docs/evaluation.md).</summary>
public static class EvaluationJson
{
    public static string Write(EvaluationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            Write(w, result);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void Write(Utf8JsonWriter w, EvaluationResult r)
    {
        var s = r.Spec;
        w.WriteStartObject();
        w.WriteString("source", r.Source);
        w.WriteStartObject("spec");
        w.WriteString("id", s.IdColumn);
        w.WriteString("treatment", s.TreatmentColumn);
        w.WriteString("outcome", s.OutcomeColumn);
        Strings(w, "covariates", s.Covariates);
        w.WriteString("method", "nearest");
        w.WriteNumber("ratio", s.Ratio);
        w.WriteBoolean("replace", s.Replace);
        w.WriteString("distance", Scale(s.Distance));
        w.WriteString("link", s.Link == LinkFunction.Logit ? "logit" : "probit");
        w.WriteString("order", s.Order switch { MatchOrder.Largest => "largest", MatchOrder.Smallest => "smallest", MatchOrder.Random => "random", _ => "data" });
        Strings(w, "exact", s.Exact);
        Nullable(w, "pre_outcome", s.PreOutcomeColumn);
        Nullable(w, "earlier_outcome", s.EarlierOutcomeColumn);
        Nullable(w, "cluster", s.ClusterColumn);
        w.WriteString("smd_scale", s.SmdScale == SmdScale.TreatedSd ? "treated_sd" : "pooled_sd");
        w.WriteEndObject();

        w.WriteStartObject("sample");
        w.WriteNumber("rows", r.Rows);
        w.WriteNumber("treated", r.TreatedCount);
        w.WriteNumber("controls", r.ControlCount);
        w.WriteEndObject();

        w.WriteStartObject("propensity_model");
        w.WriteString("status", r.Fit.Status.ToString());
        w.WriteNumber("iterations", r.Fit.Iterations);
        Number(w, "log_likelihood", r.Fit.LogLikelihood);
        w.WriteStartArray("coefficients");
        for (var j = 0; j < r.Fit.Terms.Count; j++)
        {
            w.WriteStartObject();
            w.WriteString("term", r.Fit.Terms[j]);
            Number(w, "estimate", r.Fit.Coefficients[j]);
            Number(w, "se", r.Fit.StandardErrors[j]);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        Strings(w, "diagnostics", r.Fit.Diagnostics);
        w.WriteEndObject();

        if (s.Caliper is { } cal)
        {
            w.WriteStartObject("caliper");
            w.WriteNumber("sd", cal);
            w.WriteString("scale", Scale(s.CaliperScale ?? s.Distance));
            Number(w, "width", r.CaliperWidth!.Value);
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("caliper");
        }

        var m = r.Match;
        w.WriteStartObject("matched");
        w.WriteNumber("treated", m.MatchedTreated);
        w.WriteNumber("controls", m.MatchedControls);
        w.WriteNumber("pairs", m.Pairs);
        w.WriteNumber("unmatched_treated", r.TreatedCount - m.MatchedTreated);
        w.WriteNumber("unmatched_controls", r.ControlCount - m.MatchedControls);
        w.WriteNumber("subclasses", m.SubclassCount);
        Number(w, "ess_controls", r.Balance.EffectiveControls);
        w.WriteEndObject();

        w.WriteStartArray("pairs");
        foreach (var p in r.Pairs)
        {
            w.WriteStartObject();
            w.WriteString("treated", p.Treated);
            w.WriteString("control", p.Control);
            w.WriteEndObject();
        }

        w.WriteEndArray();

        Number(w, "naive_difference", r.NaiveDifference);
        w.WritePropertyName("att");
        Effect(w, r.Att);
        w.WritePropertyName("att_adjusted");
        Effect(w, r.Adjusted);
        if (r.Binary is { } b)
        {
            w.WriteStartObject("binary");
            Number(w, "treated_rate", b.TreatedRate);
            Number(w, "control_rate", b.ControlRate);
            w.WritePropertyName("risk_difference");
            Effect(w, b.RiskDifference);
            Number(w, "relative_reduction", b.RelativeReduction);
            Number(w, "relative_reduction_ci_lower", b.RelativeReductionLower);
            Number(w, "relative_reduction_ci_upper", b.RelativeReductionUpper);
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("binary");
        }

        if (r.PrePost is { } pp)
        {
            w.WriteStartObject("did");
            Number(w, "treated_pre_mean", pp.TreatedPreMean);
            Number(w, "treated_post_mean", pp.TreatedPostMean);
            Number(w, "treated_before_after_change", pp.TreatedChange);
            Number(w, "matched_control_pre_mean", pp.MatchedCells.ControlPre);
            Number(w, "matched_control_post_mean", pp.MatchedCells.ControlPost);
            w.WritePropertyName("matched_did");
            Effect(w, pp.MatchedDid);
            w.WritePropertyName("unmatched_did");
            Effect(w, pp.UnmatchedDid);
            if (pp.PreTrend is { } pt)
            {
                w.WriteStartObject("pre_trend");
                w.WritePropertyName("placebo");
                Effect(w, pt.Placebo);
                w.WriteBoolean("consistent_with_parallel_trends", pt.ConsistentWithParallelTrends);
                w.WriteString("explanation", pt.Explanation);
                w.WriteEndObject();
            }
            else
            {
                w.WriteNull("pre_trend");
            }

            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("did");
        }

        w.WriteStartArray("balance");
        foreach (var row in r.Balance.Rows)
        {
            w.WriteStartObject();
            w.WriteString("term", row.Term);
            w.WriteBoolean("binary", row.IsBinary);
            Number(w, "mean_treated_before", row.MeanTreatedBefore);
            Number(w, "mean_control_before", row.MeanControlBefore);
            Number(w, "smd_before", row.SmdBefore);
            NullableNumber(w, "var_ratio_before", row.VarianceRatioBefore);
            Number(w, "mean_treated_after", row.MeanTreatedAfter);
            Number(w, "mean_control_after", row.MeanControlAfter);
            Number(w, "smd_after", row.SmdAfter);
            NullableNumber(w, "var_ratio_after", row.VarianceRatioAfter);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        Strings(w, "warnings", r.Warnings);
        w.WriteEndObject();
    }

    private static void Effect(Utf8JsonWriter w, EffectEstimate e)
    {
        w.WriteStartObject();
        w.WriteString("model", e.Model);
        Number(w, "estimate", e.Estimate);
        Number(w, "se", e.StandardError);
        w.WriteString("se_type", e.SeDescription);
        Number(w, "ci_lower", e.Lower);
        Number(w, "ci_upper", e.Upper);
        w.WriteNumber("n", e.Observations);
        if (e.Clusters is { } g)
        {
            w.WriteNumber("clusters", g);
        }
        else
        {
            w.WriteNull("clusters");
        }

        w.WriteEndObject();
    }

    private static string Scale(DistanceScale s) => s == DistanceScale.Score ? "ps" : "logit";

    private static void Number(Utf8JsonWriter w, string name, double v)
    {
        if (double.IsFinite(v))
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static void NullableNumber(Utf8JsonWriter w, string name, double? v)
    {
        if (v is { } x)
        {
            Number(w, name, x);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static void Nullable(Utf8JsonWriter w, string name, string? v)
    {
        if (v is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, v);
        }
    }

    private static void Strings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
        {
            w.WriteStringValue(v);
        }

        w.WriteEndArray();
    }
}
