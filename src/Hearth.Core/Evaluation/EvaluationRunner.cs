using System.Globalization;

namespace Hearth.Core.Evaluation;

/// <summary>The matching distance: the propensity score itself or its linear predictor (logit for the logit link).</summary>
public enum DistanceScale
{
    Score,
    Linear,
}

/// <summary>Everything an evaluation run needs to know: columns and matching options.</summary>
public sealed record EvaluationSpec
{
    public required string IdColumn { get; init; }

    public required string TreatmentColumn { get; init; }

    public required IReadOnlyList<string> Covariates { get; init; }

    public required string OutcomeColumn { get; init; }

    public int Ratio { get; init; } = 1;

    public bool Replace { get; init; }

    public DistanceScale Distance { get; init; } = DistanceScale.Score;

    /// <summary>Caliper in standard deviations of <see cref="CaliperScale"/> (null for none).</summary>
    public double? Caliper { get; init; }

    /// <summary>The scale the caliper is measured on; null = the matching distance.</summary>
    public DistanceScale? CaliperScale { get; init; }

    public IReadOnlyList<string> Exact { get; init; } = [];

    /// <summary>Reference level per factor covariate; factors not listed use their first level alphabetically.</summary>
    public IReadOnlyDictionary<string, string> ReferenceLevels { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    public LinkFunction Link { get; init; } = LinkFunction.Logit;

    public MatchOrder Order { get; init; } = MatchOrder.Largest;

    public int Seed { get; init; } = 1;

    /// <summary>Outcome column measured before the programme, for the before/after change and matched DiD.</summary>
    public string? PreOutcomeColumn { get; init; }

    /// <summary>An earlier pre-period outcome column, for the parallel-trend (placebo) check.</summary>
    public string? EarlierOutcomeColumn { get; init; }

    /// <summary>Cluster column (e.g. family) for CR1 standard errors instead of the match default.</summary>
    public string? ClusterColumn { get; init; }

    public SmdScale SmdScale { get; init; } = SmdScale.TreatedSd;
}

/// <summary>One matched pair by id.</summary>
public sealed record MatchedPair(string Treated, string Control);

/// <summary>Before/after figures for the treated alone (the "turned around" claim) and the matched DiD.</summary>
public sealed record PrePostSummary(
    double TreatedPreMean,
    double TreatedPostMean,
    double TreatedChange,
    DidCells MatchedCells,
    EffectEstimate MatchedDid,
    EffectEstimate UnmatchedDid,
    PreTrendCheck? PreTrend);

/// <summary>The full, explainable result of one evaluation run.</summary>
public sealed record EvaluationResult(
    EvaluationSpec Spec,
    string Source,
    int Rows,
    int TreatedCount,
    int ControlCount,
    PropensityFit Fit,
    double[] Distance,
    double? CaliperWidth,
    MatchResult Match,
    IReadOnlyList<MatchedPair> Pairs,
    BalanceTable Balance,
    double NaiveDifference,
    EffectEstimate Att,
    EffectEstimate Adjusted,
    BinaryEffect? Binary,
    PrePostSummary? PrePost,
    IReadOnlyList<string> Warnings);

/// <summary>
/// Runs a whole evaluation from a table: reads and checks the columns, fits the propensity model, matches,
/// summarises balance and estimates the ATT (plain and covariate-adjusted), with DiD when a pre-period outcome
/// is given. Every input problem is an <see cref="EvaluationInputException"/> naming file, line and column.
/// </summary>
public static class EvaluationRunner
{
    public static EvaluationResult Run(EvaluationTable table, EvaluationSpec spec)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(spec);
        var warnings = new List<string>();
        foreach (var column in new[] { spec.IdColumn, spec.TreatmentColumn, spec.OutcomeColumn }
                     .Concat(spec.Covariates).Concat(spec.Exact)
                     .Concat(new[] { spec.PreOutcomeColumn, spec.EarlierOutcomeColumn, spec.ClusterColumn }.OfType<string>()))
        {
            if (!table.HasColumn(column))
            {
                table.Text(column); // throws the located "no such column" error
            }
        }

        if (spec.Covariates.Count == 0)
        {
            throw new EvaluationInputException(table.Source, null, null, "at least one covariate is needed");
        }

        if (spec.Ratio < 1)
        {
            throw new EvaluationInputException(table.Source, null, null, "the ratio must be 1 or more");
        }

        if (spec.Caliper is { } cal && !(cal > 0))
        {
            throw new EvaluationInputException(table.Source, null, null, "the caliper must be a positive number of standard deviations");
        }

        if (table.RowCount == 0)
        {
            throw new EvaluationInputException(table.Source, null, null, "the file has a header but no data rows");
        }

        var ids = table.Text(spec.IdColumn);
        var treated = Treatment(table, spec.TreatmentColumn);
        var nTreated = treated.Count(t => t);
        if (nTreated == 0)
        {
            throw new EvaluationInputException(table.Source, null, spec.TreatmentColumn, "no treated units (no row has 1): there is nothing to evaluate");
        }

        if (nTreated == treated.Length)
        {
            throw new EvaluationInputException(table.Source, null, spec.TreatmentColumn, "no comparison units (no row has 0): there is no one to match to");
        }

        var outcome = table.Numeric(spec.OutcomeColumn);
        foreach (var factor in spec.ReferenceLevels.Keys.Where(k => !spec.Covariates.Contains(k, StringComparer.Ordinal)))
        {
            throw new EvaluationInputException(table.Source, null, factor, "a reference level was given for a column that is not among the covariates");
        }

        var covariates = spec.Covariates.Select(c => Covariate.FromTable(table, c, spec.ReferenceLevels.GetValueOrDefault(c))).ToArray();
        var model = DesignMatrix.ForModel(covariates);
        var fit = PropensityModel.Fit(model, treated, spec.Link);
        if (fit.Coefficients.Any(double.IsNaN))
        {
            throw new EvaluationInputException(table.Source, null, null, "the propensity model could not be fitted: " + string.Join(" ", fit.Diagnostics));
        }

        warnings.AddRange(fit.Diagnostics.Select(d => "Propensity model: " + d));

        var distance = spec.Distance == DistanceScale.Score ? fit.Scores : fit.LinearPredictor;
        var calScale = spec.CaliperScale ?? spec.Distance;
        var calDistance = calScale == DistanceScale.Score ? fit.Scores : fit.LinearPredictor;
        double? caliperWidth = spec.Caliper is { } c ? c * NearestNeighbourMatcher.StandardDeviation(calDistance) : null;
        int[]? strata = null;
        if (spec.Exact.Count > 0)
        {
            var keys = new Dictionary<string, int>(StringComparer.Ordinal);
            var exactText = spec.Exact.Select(table.Text).ToArray();
            strata = new int[table.RowCount];
            for (var i = 0; i < strata.Length; i++)
            {
                var key = string.Join("\u001f", exactText.Select(e => e[i]));
                if (!keys.TryGetValue(key, out var s))
                {
                    keys[key] = s = keys.Count;
                }

                strata[i] = s;
            }
        }

        var options = new MatchOptions { Ratio = spec.Ratio, Replace = spec.Replace, Order = spec.Order, Seed = spec.Seed, Caliper = caliperWidth };
        var match = NearestNeighbourMatcher.Match(distance, treated, options, calDistance, strata);
        if (match.MatchedTreated == 0)
        {
            throw new EvaluationInputException(table.Source, null, null, "no treated unit found a match: widen the caliper or relax exact matching");
        }

        if (match.MatchedTreated < nTreated)
        {
            warnings.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"{nTreated - match.MatchedTreated} of {nTreated} treated units found no match (caliper or exact strata); the estimate is for the {match.MatchedTreated} matched treated units only, not all treated."));
        }

        var pairs = new List<MatchedPair>(match.Pairs);
        for (var i = 0; i < ids.Count; i++)
        {
            if (match.Matches[i] is { } ms)
            {
                pairs.AddRange(ms.Select(c => new MatchedPair(ids[i], ids[c])));
            }
        }

        var balance = Balance.Summarise(DesignMatrix.ForBalance(covariates), treated, match.Weights, distance, spec.SmdScale);
        foreach (var row in balance.Rows.Where(r => r.Term != "distance" && Math.Abs(r.SmdAfter) > 0.1))
        {
            warnings.Add(string.Create(CultureInfo.InvariantCulture, $"Balance: '{row.Term}' still differs after matching (SMD {row.SmdAfter:F3}, above 0.1)."));
        }

        int[]? clusters = null;
        if (spec.ClusterColumn is { } cc)
        {
            var map = new Dictionary<string, int>(StringComparer.Ordinal);
            clusters = [.. table.Text(cc).Select(v => map.TryGetValue(v, out var k) ? k : map[v] = map.Count)];
        }

        var se = ClusterSpec.For(match, clusters, spec.ClusterColumn ?? "cluster");
        var att = TreatmentEffects.DifferenceInMeans(outcome, match, se);
        var adjusted = TreatmentEffects.Adjusted(outcome, match, DesignMatrix.ForModel(covariates, intercept: false), se);
        var naive = Mean(outcome, treated, true) - Mean(outcome, treated, false);
        BinaryEffect? binary = outcome.All(v => v is 0 or 1) ? TreatmentEffects.Binary(outcome, match, se) : null;

        PrePostSummary? prePost = null;
        if (spec.PreOutcomeColumn is { } preCol)
        {
            var pre = table.Numeric(preCol);
            var tPre = Mean(pre, treated, true);
            var tPost = Mean(outcome, treated, true);
            PreTrendCheck? trend = null;
            if (spec.EarlierOutcomeColumn is { } earlierCol)
            {
                trend = DifferenceInDifferences.PreTrend(table.Numeric(earlierCol), pre, match, se);
                if (!trend.ConsistentWithParallelTrends)
                {
                    warnings.Add("Parallel trends: " + trend.Explanation);
                }
            }

            prePost = new PrePostSummary(
                tPre,
                tPost,
                tPost - tPre,
                DifferenceInDifferences.Cells(treated, pre, outcome, match.Weights),
                DifferenceInDifferences.Matched(pre, outcome, match, se),
                DifferenceInDifferences.TwoByTwo(treated, pre, outcome),
                trend);
        }

        return new EvaluationResult(spec, table.Source, table.RowCount, nTreated, treated.Length - nTreated, fit, distance, caliperWidth, match, pairs, balance, naive, att, adjusted, binary, prePost, warnings);
    }

    private static bool[] Treatment(EvaluationTable table, string column)
    {
        var text = table.Text(column);
        var result = new bool[text.Count];
        for (var i = 0; i < text.Count; i++)
        {
            result[i] = text[i] switch
            {
                "1" or "1.0" or "TRUE" or "true" => true,
                "0" or "0.0" or "FALSE" or "false" => false,
                _ => throw new EvaluationInputException(
                    table.Source,
                    table.LineOf(i),
                    column,
                    text[i].Length == 0 ? "the treatment is missing; it must be 0 or 1" : $"the treatment must be 0 or 1, not '{text[i]}'"),
            };
        }

        return result;
    }

    internal static double Mean(IReadOnlyList<double> values, IReadOnlyList<bool> treated, bool group)
    {
        double s = 0;
        var n = 0;
        for (var i = 0; i < values.Count; i++)
        {
            if (treated[i] == group)
            {
                s += values[i];
                n++;
            }
        }

        return s / n;
    }
}
