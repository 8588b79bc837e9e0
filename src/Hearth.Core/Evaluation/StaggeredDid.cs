using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Hearth.Core.Evaluation;

/// <summary>One group-time effect: cohort g (first period treated) at period t, against not-yet-treated units.</summary>
public sealed record GroupTimeEffect(int Cohort, int Period, double Estimate, double StandardError, int TreatedUnits, int ComparisonUnits)
{
    /// <summary>Periods since joining: t − g (negative = before joining, a pre-trend check).</summary>
    public int EventTime => Period - Cohort;
}

/// <summary>An effect aggregated over cohorts at one event time (t − g).</summary>
public sealed record EventTimeEffect(int EventTime, double Estimate, double StandardError, int Cohorts)
{
    public double Lower => Estimate - (WeightedRegression.Critical() * StandardError);

    public double Upper => Estimate + (WeightedRegression.Critical() * StandardError);
}

/// <summary>The result of a staggered-entry analysis.</summary>
public sealed record StaggeredDidResult(
    IReadOnlyList<GroupTimeEffect> GroupTime,
    IReadOnlyList<EventTimeEffect> EventTime,
    double Overall,
    double OverallStandardError,
    int Units,
    int NeverTreated,
    int BootstrapReplicates,
    IReadOnlyList<string> Notes)
{
    public double OverallLower => Overall - (WeightedRegression.Critical() * OverallStandardError);

    public double OverallUpper => Overall + (WeightedRegression.Critical() * OverallStandardError);
}

/// <summary>
/// Difference-in-differences with staggered entry (Callaway and Sant'Anna 2021, unconditional, not-yet-treated
/// comparisons). For cohort g (units first treated in period g) and period t, with base period g − 1:
/// ATT(g, t) = mean over cohort g of (Y_t − Y_{g−1}) − mean over comparison units of (Y_t − Y_{g−1}), where the
/// comparison units are those never treated or not yet treated by period max(t, g − 1) (first treated after it),
/// excluding cohort g. Periods before g give placebo effects (the event-study pre-trend check). Effects are
/// aggregated by event time e = t − g, weighting cohorts by size, and overall as the size-weighted mean of the
/// post-period ATT(g, t). Standard errors come from a seeded bootstrap that resamples units.
/// </summary>
public static class StaggeredDid
{
    /// <summary>
    /// Estimates from a balanced long panel: one row per unit and period. <paramref name="firstTreated"/> is the
    /// unit's first treated period, or null if never treated (the same on every row of a unit).
    /// </summary>
    public static StaggeredDidResult Estimate(
        IReadOnlyList<string> unit,
        IReadOnlyList<int> period,
        IReadOnlyList<int?> firstTreated,
        IReadOnlyList<double> outcome,
        int bootstrap = 499,
        int seed = 1,
        string source = "panel")
    {
        ArgumentNullException.ThrowIfNull(unit);
        ArgumentNullException.ThrowIfNull(period);
        ArgumentNullException.ThrowIfNull(firstTreated);
        ArgumentNullException.ThrowIfNull(outcome);
        var periods = period.Distinct().Order().ToArray();
        var periodIndex = periods.Select((p, i) => (p, i)).ToDictionary(x => x.p, x => x.i);
        var units = new Dictionary<string, int>(StringComparer.Ordinal);
        var cohortOf = new List<int?>();
        var rowsOf = new List<int>();
        for (var r = 0; r < unit.Count; r++)
        {
            if (!units.TryGetValue(unit[r], out var u))
            {
                units[unit[r]] = u = units.Count;
                cohortOf.Add(firstTreated[r]);
                rowsOf.Add(r);
            }
            else if (cohortOf[u] != firstTreated[r])
            {
                throw new EvaluationInputException(source, null, null, $"row {r + 1}: the first treated period differs between rows of the same unit (first given on row {rowsOf[u] + 1})");
            }
        }

        var n = units.Count;
        var y = new double[n, periods.Length];
        var seen = new bool[n, periods.Length];
        for (var r = 0; r < unit.Count; r++)
        {
            var u = units[unit[r]];
            var t = periodIndex[period[r]];
            if (seen[u, t])
            {
                throw new EvaluationInputException(source, null, null, string.Create(CultureInfo.InvariantCulture, $"row {r + 1}: a second row for the same unit and period {period[r]}"));
            }

            seen[u, t] = true;
            y[u, t] = outcome[r];
        }

        for (var u = 0; u < n; u++)
        {
            for (var t = 0; t < periods.Length; t++)
            {
                if (!seen[u, t])
                {
                    throw new EvaluationInputException(source, null, null, string.Create(CultureInfo.InvariantCulture, $"the panel is not balanced: unit {rowsOf[u] + 1}'s first row has no row for period {periods[t]}; every unit needs every period"));
                }
            }
        }

        var notes = new List<string>();
        var cohorts = cohortOf.OfType<int>().Distinct().Order().ToArray();
        var usable = new List<int>();
        foreach (var g in cohorts)
        {
            if (!periodIndex.ContainsKey(g) || !periodIndex.ContainsKey(g - 1))
            {
                notes.Add(string.Create(CultureInfo.InvariantCulture, $"Cohort {g} is left out: its base period {g - 1} or first treated period is not in the panel (already treated when the data start, or joined after they end)."));
                continue;
            }

            usable.Add(g);
        }

        var cells = new List<(int G, int T)>();
        foreach (var g in usable)
        {
            foreach (var t in periods)
            {
                if (t != g - 1)
                {
                    cells.Add((g, t));
                }
            }
        }

        var point = Compute(Enumerable.Repeat(1.0, n).ToArray(), cells, y, cohortOf, periodIndex);
        var kept = cells.Where(c => point.Cells.ContainsKey(c)).ToList();
        foreach (var c in cells.Except(kept))
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"ATT(g = {c.G}, t = {c.T}) is not estimable: no unit is still untreated by then to compare with."));
        }

        // Bootstrap: resample units with replacement; SE = SD of the replicate estimates.
        var rng = new Random(seed);
        var draws = new Dictionary<(int, int), List<double>>();
        var eventDraws = new Dictionary<int, List<double>>();
        var overallDraws = new List<double>();
        var sample = new double[n];
        for (var b = 0; b < bootstrap; b++)
        {
            Array.Clear(sample);
            for (var i = 0; i < n; i++)
            {
                sample[rng.Next(n)] += 1;
            }

            var rep = Compute(sample, kept, y, cohortOf, periodIndex);
            foreach (var (cell, value) in rep.Cells)
            {
                Add(draws, cell, value.Estimate);
            }

            foreach (var (e, value) in rep.Events)
            {
                Add(eventDraws, e, value.Estimate);
            }

            if (double.IsFinite(rep.Overall))
            {
                overallDraws.Add(rep.Overall);
            }
        }

        var groupTime = kept.Select(c =>
        {
            var v = point.Cells[c];
            return new GroupTimeEffect(c.G, c.T, v.Estimate, Sd(draws.GetValueOrDefault(c)), v.Treated, v.Comparison);
        }).ToList();
        var events = point.Events.OrderBy(e => e.Key)
            .Select(e => new EventTimeEffect(e.Key, e.Value.Estimate, Sd(eventDraws.GetValueOrDefault(e.Key)), e.Value.Cohorts))
            .ToList();
        return new StaggeredDidResult(groupTime, events, point.Overall, Sd(overallDraws), n, cohortOf.Count(c => c is null), bootstrap, notes);
    }

    /// <summary>
    /// Reads the panel from a table: integer periods, first treated period blank, NA or 0 for never-treated units.
    /// Problems name the file, line and column.
    /// </summary>
    public static StaggeredDidResult FromTable(EvaluationTable table, string idColumn, string periodColumn, string firstTreatedColumn, string outcomeColumn, int bootstrap = 499, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(table);
        var ids = table.Text(idColumn);
        var periods = Integers(table, periodColumn, table.Numeric(periodColumn));
        var firstText = table.Text(firstTreatedColumn);
        var first = new int?[firstText.Count];
        for (var i = 0; i < first.Length; i++)
        {
            var text = firstText[i];
            if (text.Length == 0 || string.Equals(text, "NA", StringComparison.Ordinal) || string.Equals(text, "0", StringComparison.Ordinal))
            {
                continue;
            }

            if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var g))
            {
                throw new EvaluationInputException(table.Source, table.LineOf(i), firstTreatedColumn, $"'{text}' is not a period number (leave it blank, NA or 0 for never treated)");
            }

            first[i] = g;
        }

        var outcome = table.Numeric(outcomeColumn);
        if (table.RowCount == 0)
        {
            throw new EvaluationInputException(table.Source, null, null, "the file has a header but no data rows");
        }

        return Estimate(ids, periods, first, outcome, bootstrap, seed, table.Source);
    }

    private static int[] Integers(EvaluationTable table, string column, double[] values)
    {
        var result = new int[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] != Math.Floor(values[i]) || Math.Abs(values[i]) > int.MaxValue)
            {
                throw new EvaluationInputException(table.Source, table.LineOf(i), column, string.Create(CultureInfo.InvariantCulture, $"the period must be a whole number (e.g. months since a fixed start), not {values[i]}"));
            }

            result[i] = (int)values[i];
        }

        return result;
    }

    private static void Add<TKey>(Dictionary<TKey, List<double>> d, TKey key, double value)
        where TKey : notnull
    {
        if (!d.TryGetValue(key, out var list))
        {
            d[key] = list = [];
        }

        list.Add(value);
    }

    private static double Sd(List<double>? values)
    {
        if (values is null || values.Count < 2)
        {
            return double.NaN;
        }

        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }

    private sealed record Estimates(
        Dictionary<(int G, int T), (double Estimate, int Treated, int Comparison)> Cells,
        Dictionary<int, (double Estimate, int Cohorts)> Events,
        double Overall);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double[] SumsByCohort(double[] weight, double[,] y, int[] key, int keys, int periods, out double[] counts)
    {
        unchecked
        {
            var sums = new double[keys * periods];
            counts = new double[keys];
            for (var u = 0; u < weight.Length; u++)
            {
                var w = weight[u];
                if (w == 0)
                {
                    continue;
                }

                var k = key[u];
                counts[k] += w;
                var row = MemoryMarshal.CreateReadOnlySpan(ref y[u, 0], periods);
                var target = sums.AsSpan(k * periods, periods);
                for (var t = 0; t < periods; t++)
                {
                    target[t] += w * row[t];
                }
            }

            return sums;
        }
    }

    /// <summary>
    /// All group-time effects for one sample, given as a multiplicity per unit (1 each for the estimate, bootstrap
    /// counts for a replicate). Works from per-cohort weighted sums of each period's outcome, so a replicate costs
    /// one pass over the panel plus a small loop per cell.
    /// </summary>
    private static Estimates Compute(double[] weight, List<(int G, int T)> cells, double[,] y, List<int?> cohortOf, Dictionary<int, int> periodIndex)
    {
        var keys = cohortOf.Distinct().ToList();
        var keyIndex = new Dictionary<int, int>();
        var never = -1;
        for (var k = 0; k < keys.Count; k++)
        {
            if (keys[k] is { } g)
            {
                keyIndex[g] = k;
            }
            else
            {
                never = k;
            }
        }

        var periods = y.GetLength(1);
        var flatSums = SumsByCohort(weight, y, cohortOf.Select(c => c is { } g ? keyIndex[g] : never).ToArray(), keys.Count, periods, out var counts);
        var sums = new double[keys.Count, periods];
        for (var k = 0; k < keys.Count; k++)
        {
            for (var t = 0; t < periods; t++)
            {
                sums[k, t] = flatSums[(k * periods) + t];
            }
        }

        var result = new Dictionary<(int, int), (double, int, int)>();
        var eventSum = new Dictionary<int, (double Weighted, double Weight, int Cohorts)>();
        double overallWeighted = 0;
        double overallWeight = 0;
        foreach (var (g, t) in cells)
        {
            var ti = periodIndex[t];
            var bi = periodIndex[g - 1];
            var threshold = Math.Max(t, g - 1);
            var kg = keyIndex[g];
            var nT = counts[kg];
            var sumT = sums[kg, ti] - sums[kg, bi];
            double nC = 0, sumC = 0;
            for (var k = 0; k < keys.Count; k++)
            {
                if (k != kg && (keys[k] is null || keys[k] > threshold))
                {
                    nC += counts[k];
                    sumC += sums[k, ti] - sums[k, bi];
                }
            }

            if (nT == 0 || nC == 0)
            {
                continue;
            }

            var att = (sumT / nT) - (sumC / nC);
            result[(g, t)] = (att, (int)nT, (int)nC);
            var e = t - g;
            var s = eventSum.GetValueOrDefault(e);
            eventSum[e] = (s.Weighted + (att * nT), s.Weight + nT, s.Cohorts + 1);
            if (t >= g)
            {
                overallWeighted += att * nT;
                overallWeight += nT;
            }
        }

        var events = eventSum.ToDictionary(kv => kv.Key, kv => (kv.Value.Weighted / kv.Value.Weight, kv.Value.Cohorts));
        return new Estimates(result, events, overallWeight > 0 ? overallWeighted / overallWeight : double.NaN);
    }
}
