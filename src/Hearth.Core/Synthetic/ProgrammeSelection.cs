using System.Globalization;

namespace Hearth.Core.Synthetic;

/// <summary>
/// Chooses the families the whole-family programme attaches, and applies its true effect.
/// Every household draws a reference date uniformly from the months that leave 12 months before and
/// after it inside the period. A household belongs to the cohort if on that date it has a child or an
/// expectant parent and at least one need. Cohort families are attached with probability
/// logistic(intercept + per_need × need count + per_incident × min(6, proven offences + ASB incidents +
/// exclusions in the 12 months before)): selection on observables, the way programmes identify families
/// from the last year's agency data. Families picked for a bad year tend to have a better one next
/// anyway (regression to the mean), so a before/after comparison overstates the programme's effect.
/// Treated families' attachment date is their reference date.
/// </summary>
public static class ProgrammeSelection
{
    public static void Apply(GeneratorSettings settings, SimHousehold household, SyntheticRandom rng)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(household);
        ArgumentNullException.ThrowIfNull(rng);
        var months = settings.Months;
        household.RefMonth = rng.Next(12, months - 12);
        household.RefDate = settings.Start.AddMonths(household.RefMonth).AddDays(rng.Next(28));
        var latest = settings.End.AddDays(1).AddMonths(-12);
        if (household.RefDate > latest)
        {
            // Only when the period ends part-way through a month: keep the 12 months after inside it.
            household.RefDate = latest;
        }

        var selectionDraw = rng.NextDouble();
        var refDate = household.RefDate;
        var members = household.MembersOn(refDate).ToList();
        var hasChildren = members.Any(p => p.AgeOn(refDate) < 18) || household.IsExpectantOn(refDate);
        var needCount = NeedsAt(household, household.RefMonth).Count;
        household.InCohort = hasChildren && needCount > 0;
        if (household.InCohort)
        {
            var ids = members.Select(p => p.Member).ToHashSet();
            var priorIncidents = household.Events.Count(e =>
                ((e.Kind == EventKind.Offence && e.Proven) || e.Kind is EventKind.Asb or EventKind.Exclusion)
                && !e.Extra && ids.Contains(e.Member) && e.Date >= refDate.AddMonths(-12) && e.Date < refDate);
            var p = settings.Programme;
            var logit = p.SelectionIntercept + (p.SelectionPerNeed * needCount) + (p.SelectionPerPriorIncident * Math.Min(6, priorIncidents));
            household.Treated = selectionDraw < 1.0 / (1.0 + Math.Exp(-logit));
        }

        foreach (var e in household.Events)
        {
            var after = household.Treated && e.Date >= refDate;
            if (e.Kind == EventKind.AttendanceTerm)
            {
                e.ObservedCount = after
                    ? Math.Min(e.N1 - e.N2, (int)Math.Floor((e.N3 * (1 + settings.Programme.EffectUnauthorisedAbsence)) + e.Thin))
                    : e.N3;
                continue;
            }

            if (!e.Treatable)
            {
                continue;
            }

            var effect = Effect(settings.Programme, e.Kind);
            e.Observed = e.Extra
                ? after
                : !after || effect >= 0 || e.Thin < 1 + effect;
        }
    }

    public static double Effect(ProgrammeSettings programme, EventKind kind)
    {
        ArgumentNullException.ThrowIfNull(programme);
        return kind switch
        {
            EventKind.Offence => programme.EffectOffences,
            EventKind.Asb => programme.EffectAsb,
            EventKind.AeAttendance => programme.EffectAe,
            EventKind.Exclusion => programme.EffectExclusions,
            EventKind.AttendanceTerm => programme.EffectUnauthorisedAbsence,
            _ => 0,
        };
    }

    public static List<Need> NeedsAt(SimHousehold household, int month)
    {
        ArgumentNullException.ThrowIfNull(household);
        var needs = new List<Need>();
        for (var d = 0; d < 12; d++)
        {
            if (household.Needs[d, month])
            {
                needs.Add((Need)d);
            }
        }

        return needs;
    }

    /// <summary>The household's row of truth/programme_cohort.csv (columns as <see cref="OutputFiles.TruthCohort"/>).</summary>
    public static string[] CohortRow(SimHousehold household)
    {
        ArgumentNullException.ThrowIfNull(household);
        var refDate = household.RefDate;
        var members = household.MembersOn(refDate).ToList();
        var ids = members.Select(p => p.Member).ToHashSet();
        var needs = NeedsAt(household, household.RefMonth);
        var children = members.Count(p => p.AgeOn(refDate) < 18);
        var adults = members.Where(p => p.AgeOn(refDate) >= 18 && p.Role is not ("adult_child" or "child" or "stepchild" or "grandparent")).ToList();
        var lone = children > 0 && adults.Count == 1 ? 1 : 0;
        var workless = household.Events.Any(e =>
            e.Kind == EventKind.BenefitSpell && ids.Contains(e.Member) && household.Members[e.Member].AgeOn(refDate) >= 18
            && e.Date <= refDate && (e.End is null || e.End >= refDate)) ? 1 : 0;
        var preFrom = refDate.AddMonths(-12);
        var postTo = refDate.AddMonths(12);

        int Count(EventKind kind, DateOnly from, DateOnly toExclusive, bool observed, bool provenOnly = false) =>
            household.Events.Count(e => e.Kind == kind && ids.Contains(e.Member) && e.Date >= from && e.Date < toExclusive
                && (!provenOnly || e.Proven) && (observed ? e.Observed : !e.Extra));

        string Rate(DateOnly from, DateOnly toExclusive)
        {
            long possible = 0;
            long unauthorised = 0;
            foreach (var e in household.Events.Where(e => e.Kind == EventKind.AttendanceTerm && ids.Contains(e.Member)
                && e.End >= from && e.End < toExclusive))
            {
                possible += e.N1;
                unauthorised += e.ObservedCount;
            }

            return possible == 0 ? "0.000" : ((double)unauthorised / possible).ToString("F3", CultureInfo.InvariantCulture);
        }

        string Flag(Need n) => needs.Contains(n) ? "1" : "0";
        string Num(int n) => n.ToString(CultureInfo.InvariantCulture);
        var attach = household.Treated ? refDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : string.Empty;
        return
        [
            household.Id, household.Treated ? "1" : "0", attach, refDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            Num(members.Count), Num(children), Num(lone), Num(workless), Num(needs.Count),
            Flag(Need.Education), Flag(Need.Crime), Flag(Need.DomesticAbuse), Flag(Need.Health), Flag(Need.MentalHealth),
            Flag(Need.Substance), Flag(Need.Housing), Flag(Need.Financial), Flag(Need.Worklessness), Flag(Need.Safeguarding),
            Num(Count(EventKind.Offence, preFrom, refDate, true, provenOnly: true)),
            Num(Count(EventKind.Asb, preFrom, refDate, true)),
            Rate(preFrom, refDate),
            Num(Count(EventKind.Exclusion, preFrom, refDate, true)),
            Num(Count(EventKind.AeAttendance, preFrom, refDate, true)),
            Num(Count(EventKind.Offence, refDate, postTo, true, provenOnly: true)),
            Num(Count(EventKind.Asb, refDate, postTo, true)),
            Rate(refDate, postTo),
            Num(Count(EventKind.Exclusion, refDate, postTo, true)),
            Num(Count(EventKind.Offence, refDate, postTo, false, provenOnly: true)),
        ];
    }
}
