namespace Hearth.Core.Data;

/// <summary>
/// The names of Hearth's event types, as written in mapping files and stored in <c>events.event_type</c>,
/// and the entity class each one becomes.
/// </summary>
public static class EventTypes
{
    public const string SchoolAttendance = "school_attendance";
    public const string SchoolExclusion = "school_exclusion";
    public const string Offence = "offence";
    public const string AntisocialBehaviour = "asb_incident";
    public const string DomesticAbuse = "domestic_abuse";
    public const string BenefitSpell = "benefit_spell";
    public const string EmploymentSpell = "employment_spell";
    public const string SocialCare = "social_care";
    public const string HealthContact = "health_contact";
    public const string Housing = "housing";
    public const string YouthJustice = "youth_justice";
    public const string EarlyHelpReferral = "early_help_referral";

    /// <summary>Not an event: the extract only describes people (e.g. a school roll or a tenancy list).</summary>
    public const string Person = "person";

    /// <summary>Every event type and its entity class.</summary>
    public static IReadOnlyDictionary<string, Type> All { get; } = new Dictionary<string, Type>(StringComparer.Ordinal)
    {
        [SchoolAttendance] = typeof(Data.SchoolAttendance),
        [SchoolExclusion] = typeof(Data.SchoolExclusion),
        [Offence] = typeof(Data.Offence),
        [AntisocialBehaviour] = typeof(AntisocialBehaviourIncident),
        [DomesticAbuse] = typeof(DomesticAbuseIncident),
        [BenefitSpell] = typeof(Data.BenefitSpell),
        [EmploymentSpell] = typeof(Data.EmploymentSpell),
        [SocialCare] = typeof(SocialCareEpisode),
        [HealthContact] = typeof(Data.HealthContact),
        [Housing] = typeof(HousingEvent),
        [YouthJustice] = typeof(YouthJusticeEvent),
        [EarlyHelpReferral] = typeof(Data.EarlyHelpReferral),
    };
}
