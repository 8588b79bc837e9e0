namespace Hearth.Core.Data;

/// <summary>
/// Something an agency recorded about a person on a date or over a period: a term's attendance, an
/// exclusion, an offence, a benefit spell. All event types share one table (<c>events</c>) with an
/// <c>event_type</c> column; each subclass adds its typed columns. <see cref="EndDate"/> is inclusive: a
/// spell from 1 April to 31 March includes 31 March. Money is whole pence.
/// </summary>
public abstract class AgencyEvent
{
    public long Id { get; set; }

    public required string AgencyId { get; set; }

    /// <summary>The source record (the person as the agency sees them) the event belongs to.</summary>
    public long SourceRecordId { get; set; }

    /// <summary>Provenance: the dataset the event was read from.</summary>
    public long DatasetId { get; set; }

    /// <summary>Provenance: the row of that dataset (line where the row starts; header is line 1).</summary>
    public int RowNumber { get; set; }

    /// <summary>The day the event happened or the period began.</summary>
    public DateOnly StartDate { get; set; }

    /// <summary>The last day of the period (inclusive); null for single-day events or spells still open.</summary>
    public DateOnly? EndDate { get; set; }

    /// <summary>
    /// First 16 bytes of SHA-256 over the extract kind and every normalised value of the row; unique per
    /// agency, so the same row arriving in two files is stored once.
    /// </summary>
    public required byte[] Fingerprint { get; set; }
}

/// <summary>A pupil's attendance over one term, in sessions (a session is a morning or an afternoon).</summary>
public sealed class SchoolAttendance : AgencyEvent
{
    /// <summary>The school's URN or the agency's school code.</summary>
    public string? SchoolId { get; set; }

    /// <summary>"autumn", "spring" or "summer".</summary>
    public string? Term { get; set; }

    public int SessionsPossible { get; set; }

    public int SessionsAuthorisedAbsence { get; set; }

    public int SessionsUnauthorisedAbsence { get; set; }
}

/// <summary>An exclusion from school: "fixed" (suspension) or "permanent".</summary>
public sealed class SchoolExclusion : AgencyEvent
{
    public string? SchoolId { get; set; }

    /// <summary>"fixed" or "permanent".</summary>
    public required string ExclusionKind { get; set; }

    /// <summary>Length of a fixed-period exclusion in sessions (half days).</summary>
    public int? Sessions { get; set; }

    public string? Reason { get; set; }
}

/// <summary>An offence recorded by the police, with its outcome.</summary>
public sealed class Offence : AgencyEvent
{
    /// <summary>The agency's offence code (e.g. a Home Office code).</summary>
    public string? OffenceCode { get; set; }

    /// <summary>Hearth offence category, e.g. "violence", "theft", "criminal_damage", "drugs", "public_order", "other".</summary>
    public string? OffenceCategory { get; set; }

    /// <summary>Outcome, e.g. "charged", "caution", "community_resolution", "no_further_action", "under_investigation".</summary>
    public string? Outcome { get; set; }
}

/// <summary>An anti-social behaviour incident.</summary>
public sealed class AntisocialBehaviourIncident : AgencyEvent
{
    public string? IncidentType { get; set; }

    /// <summary>"perpetrator", "victim" or "witness".</summary>
    public string? Role { get; set; }
}

/// <summary>A domestic abuse incident.</summary>
public sealed class DomesticAbuseIncident : AgencyEvent
{
    /// <summary>"victim", "perpetrator" or "child_present".</summary>
    public string? Role { get; set; }

    /// <summary>"standard", "medium" or "high" (DASH risk level).</summary>
    public string? RiskLevel { get; set; }
}

/// <summary>A period on an out-of-work or housing benefit.</summary>
public sealed class BenefitSpell : AgencyEvent
{
    /// <summary>e.g. "universal_credit", "jsa", "esa", "income_support", "housing_benefit", "pip", "other".</summary>
    public required string BenefitType { get; set; }

    /// <summary>Weekly award in pence, when the extract carries it.</summary>
    public long? WeeklyAmountPence { get; set; }
}

/// <summary>A period in or out of work.</summary>
public sealed class EmploymentSpell : AgencyEvent
{
    /// <summary>"employed", "self_employed", "unemployed", "inactive", "training".</summary>
    public required string EmploymentStatus { get; set; }

    public int? HoursPerWeek { get; set; }
}

/// <summary>A children's social care episode: child in need, child protection plan or looked after.</summary>
public sealed class SocialCareEpisode : AgencyEvent
{
    /// <summary>"child_in_need", "child_protection", "looked_after".</summary>
    public required string EpisodeType { get; set; }

    public string? Reason { get; set; }
}

/// <summary>A health contact: an A&amp;E attendance, a mental health contact or a substance misuse contact.</summary>
public sealed class HealthContact : AgencyEvent
{
    /// <summary>"emergency_department", "mental_health", "substance_misuse".</summary>
    public required string ContactType { get; set; }

    public string? Reason { get; set; }
}

/// <summary>A housing event: a tenancy, rent arrears, homelessness or eviction.</summary>
public sealed class HousingEvent : AgencyEvent
{
    /// <summary>"tenancy", "arrears", "homelessness", "eviction", "temporary_accommodation".</summary>
    public required string HousingEventType { get; set; }

    /// <summary>Tenure, e.g. "council", "housing_association", "private_rented", "owner".</summary>
    public string? Tenure { get; set; }

    /// <summary>Rent arrears in pence at the event date.</summary>
    public long? ArrearsPence { get; set; }
}

/// <summary>Youth justice involvement: a disposal given to a young person.</summary>
public sealed class YouthJusticeEvent : AgencyEvent
{
    /// <summary>e.g. "youth_caution", "youth_conditional_caution", "referral_order", "youth_rehabilitation_order", "custody".</summary>
    public string? Disposal { get; set; }

    public string? OffenceCategory { get; set; }
}

/// <summary>A referral to early help.</summary>
public sealed class EarlyHelpReferral : AgencyEvent
{
    /// <summary>Who referred, e.g. "school", "police", "health", "self", "social_care", "other".</summary>
    public string? ReferralSource { get; set; }

    public string? Reason { get; set; }

    /// <summary>e.g. "accepted", "signposted", "stepped_up", "no_further_action".</summary>
    public string? Outcome { get; set; }
}
