using System.Globalization;
using Hearth.Core.Data;

namespace Hearth.Core.CaseWork;

/// <summary>
/// A person's details for display, taken from the agency records linked to them (details are never copied
/// onto the person): the value most records agree on, ties going to the most recently stored record.
/// </summary>
public static class PersonDetails
{
    public static string? Name(IReadOnlyList<SourceRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        return MostCommon(records, r => r.GivenName is null && r.FamilyName is null ? null : $"{r.GivenName} {r.FamilyName}".Trim());
    }

    public static DateOnly? DateOfBirth(IReadOnlyList<SourceRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var text = MostCommon(records, r => r.DateOfBirth?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        return text is null ? null : DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    private static string? MostCommon(IReadOnlyList<SourceRecord> records, Func<SourceRecord, string?> value) =>
        records
            .Select(r => (Value: value(r), r.Id))
            .Where(v => !string.IsNullOrWhiteSpace(v.Value))
            .GroupBy(v => v.Value!, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count())
            .ThenByDescending(g => g.Max(v => v.Id))
            .Select(g => g.Key)
            .FirstOrDefault();
}

/// <summary>One-line summaries of agency events for the family timeline.</summary>
public static class EventSummaries
{
    public static string TypeName(AgencyEvent e) => e switch
    {
        SchoolAttendance => "School attendance",
        SchoolExclusion => "School exclusion",
        Offence => "Offence",
        AntisocialBehaviourIncident => "Anti-social behaviour",
        DomesticAbuseIncident => "Domestic abuse incident",
        BenefitSpell => "Benefit",
        EmploymentSpell => "Employment",
        SocialCareEpisode => "Children's social care",
        HealthContact => "Health contact",
        HousingEvent => "Housing",
        YouthJusticeEvent => "Youth justice",
        EarlyHelpReferral => "Early help referral",
        _ => "Event",
    };

    public static string Describe(AgencyEvent e)
    {
        var inv = CultureInfo.InvariantCulture;
        return e switch
        {
            SchoolAttendance a when a.SessionsPossible > 0 => string.Format(inv, "{0} term: {1:F1}% absence ({2} of {3} sessions, {4} unauthorised)",
                Words(a.Term ?? "unknown"), 100.0 * (a.SessionsAuthorisedAbsence + a.SessionsUnauthorisedAbsence) / a.SessionsPossible,
                a.SessionsAuthorisedAbsence + a.SessionsUnauthorisedAbsence, a.SessionsPossible, a.SessionsUnauthorisedAbsence),
            SchoolAttendance a => $"{Words(a.Term ?? "unknown")} term: no sessions recorded",
            SchoolExclusion x => x.Sessions is { } s ? string.Format(inv, "{0} exclusion, {1} sessions", Words(x.ExclusionKind), s) : $"{Words(x.ExclusionKind)} exclusion",
            Offence o => $"{Words(o.OffenceCategory ?? "offence")}: {Words(o.Outcome ?? "outcome not recorded")}",
            AntisocialBehaviourIncident a => $"{Words(a.IncidentType ?? "incident")} ({Words(a.Role ?? "role not recorded")})",
            DomesticAbuseIncident d => $"{Words(d.Role ?? "role not recorded")}, {Words(d.RiskLevel ?? "risk not recorded")} risk",
            BenefitSpell b => b.WeeklyAmountPence is { } p ? $"{Words(b.BenefitType)}, {new Money(p)} a week" : Words(b.BenefitType),
            EmploymentSpell w => w.HoursPerWeek is { } h ? string.Format(inv, "{0}, {1} hours a week", Words(w.EmploymentStatus), h) : Words(w.EmploymentStatus),
            SocialCareEpisode s => Words(s.EpisodeType),
            HealthContact h => Words(h.ContactType),
            HousingEvent h => h.ArrearsPence is { } p ? $"{Words(h.HousingEventType)}, arrears {new Money(p)}" : $"{Words(h.HousingEventType)}{(h.Tenure is null ? string.Empty : " (" + Words(h.Tenure) + ")")}",
            YouthJusticeEvent y => Words(y.Disposal ?? "disposal not recorded"),
            EarlyHelpReferral r => $"From {Words(r.ReferralSource ?? "unknown")}: {Words(r.Outcome ?? "outcome not recorded")}",
            _ => string.Empty,
        };
    }

    private static string Words(string code)
    {
        var text = code.Replace('_', ' ');
        return text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
    }
}
