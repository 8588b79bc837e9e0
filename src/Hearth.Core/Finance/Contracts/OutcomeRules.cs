namespace Hearth.Core.Finance.Contracts;

/// <summary>One cohort's reconviction measurement: events per 100 offenders in the comparison group and in the cohort.</summary>
public sealed record CohortMeasurement(string CohortId, int Size, decimal BaselineRatePer100, decimal ObservedRatePer100, DateOnly MeasuredOn);

/// <summary>The decision for one cohort under the cohort-threshold rule, with the arithmetic.</summary>
public sealed record CohortDecision(string CohortId, decimal Reduction, decimal EventsAvoided, bool PaidAtCohortEnd, string Explanation);

/// <summary>
/// Peterborough-type cohort rule (I3): a cohort whose reconviction events fall by at least
/// <paramref name="CohortThreshold"/> (10%) against the comparison group is paid at its own measurement; otherwise,
/// at the final measurement, if the reduction over all cohorts together is at least <paramref name="OverallThreshold"/>
/// (7.5%), the events avoided in cohorts not yet paid are paid then. Nothing is paid otherwise.
/// Reduction = (baseline − observed) ÷ baseline; events avoided = (baseline − observed) × size ÷ 100.
/// </summary>
public sealed record CohortThresholdRule(string MetricId, decimal CohortThreshold, decimal OverallThreshold, DateOnly FinalMeasurement, IReadOnlyList<CohortMeasurement> Cohorts)
{
    public (IReadOnlyList<ValidatedOutcomes> Outcomes, IReadOnlyList<CohortDecision> Decisions, string Final) Apply()
    {
        var outcomes = new List<ValidatedOutcomes>();
        var decisions = new List<CohortDecision>();
        foreach (var c in Cohorts)
        {
            if (c.BaselineRatePer100 <= 0 || c.Size <= 0)
            {
                throw new ArgumentException($"cohort {c.CohortId}: baseline rate and size must be positive");
            }

            var reduction = (c.BaselineRatePer100 - c.ObservedRatePer100) / c.BaselineRatePer100;
            var avoided = (c.BaselineRatePer100 - c.ObservedRatePer100) * c.Size / 100m;
            var paid = reduction >= CohortThreshold;
            var why = FormattableString.Invariant(
                $"cohort {c.CohortId}: ({c.BaselineRatePer100} − {c.ObservedRatePer100}) ÷ {c.BaselineRatePer100} = {Percent.Format(reduction, 2)} {(paid ? "≥" : "<")} {Percent.Format(CohortThreshold, 1)}; events avoided ({c.BaselineRatePer100} − {c.ObservedRatePer100}) × {c.Size} ÷ 100 = {avoided:0.##}")
                + (paid ? $"; paid at cohort end {c.MeasuredOn:yyyy-MM-dd}" : "; not paid at cohort end");
            decisions.Add(new CohortDecision(c.CohortId, reduction, avoided, paid, why));
            if (paid)
            {
                outcomes.Add(new ValidatedOutcomes(c.MeasuredOn, MetricId, avoided, $"cohort {c.CohortId}", why));
            }
        }

        var baseline = Cohorts.Sum(c => c.BaselineRatePer100 * c.Size);
        var observed = Cohorts.Sum(c => c.ObservedRatePer100 * c.Size);
        var overall = (baseline - observed) / baseline;
        var unpaid = decisions.Where(d => !d.PaidAtCohortEnd).ToList();
        var unpaidAvoided = unpaid.Sum(d => Math.Max(0m, d.EventsAvoided));
        string final;
        if (unpaid.Count == 0)
        {
            final = "final measurement: every cohort was paid at its own end";
        }
        else if (overall >= OverallThreshold && unpaidAvoided > 0)
        {
            final = FormattableString.Invariant(
                $"final measurement {FinalMeasurement:yyyy-MM-dd}: all cohorts together {Percent.Format(overall, 2)} ≥ {Percent.Format(OverallThreshold, 1)}; pays {unpaidAvoided:0.##} events avoided in cohorts {string.Join(", ", unpaid.Select(u => u.CohortId))}");
            outcomes.Add(new ValidatedOutcomes(FinalMeasurement, MetricId, unpaidAvoided, "final measurement", final));
        }
        else
        {
            final = FormattableString.Invariant(
                $"final measurement {FinalMeasurement:yyyy-MM-dd}: all cohorts together {Percent.Format(overall, 2)} < {Percent.Format(OverallThreshold, 1)}; nothing more is paid");
        }

        return (outcomes, decisions, final);
    }
}

/// <summary>One period of an edge-of-care service: child days in the cohort and days those children spent in care.</summary>
public sealed record CareDaysPeriod(DateOnly PaidOn, string Period, decimal ChildDays, decimal CareDays);

/// <summary>
/// Essex-type care-days rule (I4): care proportion = care days ÷ child days; care days saved in a period =
/// control proportion × child days − care days (never below zero). The price per care day saved is a share of
/// the placement cost and is set on the rate card.
/// </summary>
public sealed record CareDaysRule(string MetricId, decimal ControlProportion, decimal TargetProportion, IReadOnlyList<CareDaysPeriod> Periods)
{
    public (IReadOnlyList<ValidatedOutcomes> Outcomes, IReadOnlyList<string> Notes) Apply()
    {
        var outcomes = new List<ValidatedOutcomes>();
        var notes = new List<string>();
        decimal childTotal = 0, careTotal = 0;
        foreach (var p in Periods)
        {
            if (p.ChildDays <= 0 || p.CareDays < 0 || p.CareDays > p.ChildDays)
            {
                throw new ArgumentException($"period {p.Period}: need child days > 0 and 0 ≤ care days ≤ child days");
            }

            childTotal += p.ChildDays;
            careTotal += p.CareDays;
            var saved = Math.Max(0m, (ControlProportion * p.ChildDays) - p.CareDays);
            var note = FormattableString.Invariant(
                $"{p.Period}: care proportion {p.CareDays} ÷ {p.ChildDays} = {Percent.Format(p.CareDays / p.ChildDays, 2)} (cumulative {Percent.Format(careTotal / childTotal, 2)}, target {Percent.Format(TargetProportion, 0)}); saved {ControlProportion} × {p.ChildDays} − {p.CareDays} = {saved:0.##} days");
            notes.Add(note);
            if (saved > 0)
            {
                outcomes.Add(new ValidatedOutcomes(p.PaidOn, MetricId, saved, p.Period, note));
            }
        }

        return (outcomes, notes);
    }
}
