using System.Collections.Frozen;
using System.Globalization;
using Hearth.Core.Data;

namespace Hearth.Core.Programmes;

/// <summary>A stored value the programme vocabulary has no place for: counted and reported, never guessed.</summary>
public readonly record struct UnmappedValue(string StoredEventType, string Field, string Value);

/// <summary>
/// How a stored agency event (<see cref="AgencyEvent"/> subclasses, the values intake writes) becomes a
/// <see cref="ProgrammeEvent"/> in the rules' vocabulary (<see cref="EventSchema"/>). The table, one row per stored
/// value; a value not in the table leaves the event out of the family's data and is counted in the report.
/// <code>
/// stored type         stored field → rules field   stored value            → rules value
/// school_attendance   (type)        attendance     every return            → category mainstream (the store has no
///                                                                             school-type list; PRU and alternative
///                                                                             provision returns are not told apart)
///                     term          code           autumn/spring/summer    → the same
///                     sessions      possible, authorised, unauthorised (copied)
/// school_exclusion    exclusion_kind category      fixed, permanent        → the same
///                     sessions      days           half-day sessions       → days, rounded up
///                     reason        code           (copied)
/// offence             offence_cat.  category       violence, sexual        → violence
///                                                  theft, robbery, burglary, fraud → acquisitive
///                                                  criminal_damage, drugs, public_order → the same
///                                                  weapons, other          → other
///                     outcome       outcome        charged, caution        → proven (charge or admitted caution)
///                                                  community_resolution, penalty_notice → not_proven
///                                                  no_further_action       → no_further_action
///                                                  under_investigation, (none) → pending
///                     offence_code  code           (copied)
/// asb_incident        (type)        category       every incident          → incident
///                     role          outcome        perpetrator, victim, witness (copied; rules may filter)
///                     incident_type code           (copied)
/// domestic_abuse      role          category       victim, perpetrator     → the same; child_present → witness
///                     risk_level    code           standard/medium/high    (copied)
/// benefit_spell       benefit_type  category       universal_credit, jsa, esa, income_support → out_of_work
///                                                  housing_benefit, pip, dla, carers_allowance, other → other
///                                   code           UC, JSA, ESA, IS, HB, PIP, DLA, CA, other (the rules' DWP abbreviations)
///                     weekly amount amount         pence (copied)
/// employment_spell    status        category       employed, self_employed → the same; training → apprenticeship
///                                                  unemployed, inactive    → not an employment spell: left out
///                                                                             (counted as unmapped)
/// social_care         episode_type  category       child_in_need, child_protection, looked_after → the same
/// health_contact      contact_type  category       emergency_department    → a_and_e
///                                                  mental_health, substance_misuse → the same
/// housing             event_type    category       tenancy, arrears, homelessness → the same
///                                                  temporary_accommodation → homelessness
///                                                  eviction                → unmapped (no housing category fits)
///                     tenure        code           (copied)
///                     arrears       amount         pence (copied); an arrears record without an end date is a
///                                                  balance on its date, so it ends that day (not an open spell)
/// youth_justice       disposal      category       youth_caution, youth_conditional_caution → caution
///                                                  referral_order, youth_rehabilitation_order → community_order
///                                                  custody                 → custody
///                                   code           (the disposal, copied)
/// early_help_referral outcome       category       accepted (an early help assessment followed) → assessment
///                                                  signposted, stepped_up, no_further_action, (none) → referral
///                                   outcome        (copied)
///                     reason        code           "School attendance or behaviour" → education
///                                                  "Early years development" → early_years
///                                                  "Family relationships" → family_relationships
///                                                  "Parental mental health" → mental_health
///                                                  "Domestic abuse" → domestic_abuse, "Housing" → housing
///                                                  "Financial difficulty" → financial, "Substance misuse" → substance
///                                                  another reason → code left empty, counted as unmapped
/// </code>
/// Every event keeps its provenance: <see cref="SourceReference"/> is the dataset id and the row of the file.
/// </summary>
public static class StoreEventMapping
{
    private static readonly FrozenDictionary<string, string> OffenceCategories = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["violence"] = "violence",
        ["sexual"] = "violence",
        ["theft"] = "acquisitive",
        ["robbery"] = "acquisitive",
        ["burglary"] = "acquisitive",
        ["fraud"] = "acquisitive",
        ["criminal_damage"] = "criminal_damage",
        ["drugs"] = "drugs",
        ["public_order"] = "public_order",
        ["weapons"] = "other",
        ["other"] = "other",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, string> OffenceOutcomes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["charged"] = "proven",
        ["caution"] = "proven",
        ["community_resolution"] = "not_proven",
        ["penalty_notice"] = "not_proven",
        ["no_further_action"] = "no_further_action",
        ["under_investigation"] = "pending",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, string> DomesticAbuseRoles = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["victim"] = "victim",
        ["perpetrator"] = "perpetrator",
        ["child_present"] = "witness",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, string> BenefitCategories = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["universal_credit"] = "out_of_work",
        ["jsa"] = "out_of_work",
        ["esa"] = "out_of_work",
        ["income_support"] = "out_of_work",
        ["housing_benefit"] = "other",
        ["pip"] = "other",
        ["dla"] = "other",
        ["carers_allowance"] = "other",
        ["other"] = "other",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    // The rules files name benefits by their DWP abbreviations (TF1's out_of_work_benefits list, "JSA" in the
    // continuous employment measure); the store keeps the intake vocabulary. Copying the store's word made
    // every `code in (...)` and `code == "JSA"` test false.
    private static readonly FrozenDictionary<string, string> BenefitCodes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["universal_credit"] = "UC",
        ["jsa"] = "JSA",
        ["esa"] = "ESA",
        ["income_support"] = "IS",
        ["housing_benefit"] = "HB",
        ["pip"] = "PIP",
        ["dla"] = "DLA",
        ["carers_allowance"] = "CA",
        ["other"] = "other",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, string> EmploymentCategories = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["employed"] = "employed",
        ["self_employed"] = "self_employed",
        ["training"] = "apprenticeship",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, string> SocialCareCategories = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["child_in_need"] = "child_in_need",
        ["child_protection"] = "child_protection",
        ["looked_after"] = "looked_after",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, string> HealthCategories = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["emergency_department"] = "a_and_e",
        ["mental_health"] = "mental_health",
        ["substance_misuse"] = "substance_misuse",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, string> HousingCategories = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["tenancy"] = "tenancy",
        ["arrears"] = "arrears",
        ["homelessness"] = "homelessness",
        ["temporary_accommodation"] = "homelessness",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, string> YouthJusticeCategories = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["youth_caution"] = "caution",
        ["youth_conditional_caution"] = "caution",
        ["referral_order"] = "community_order",
        ["youth_rehabilitation_order"] = "community_order",
        ["custody"] = "custody",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, string> EarlyHelpReasons = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["School attendance or behaviour"] = "education",
        ["Early years development"] = "early_years",
        ["Family relationships"] = "family_relationships",
        ["Parental mental health"] = "mental_health",
        ["Domestic abuse"] = "domestic_abuse",
        ["Housing"] = "housing",
        ["Financial difficulty"] = "financial",
        ["Substance misuse"] = "substance",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>The rules' event type each stored event type feeds (for data coverage).</summary>
    public static IReadOnlyDictionary<string, EventType> RulesTypeOf { get; } = new Dictionary<string, EventType>(StringComparer.Ordinal)
    {
        [EventTypes.SchoolAttendance] = EventType.Attendance,
        [EventTypes.SchoolExclusion] = EventType.Exclusion,
        [EventTypes.Offence] = EventType.Offence,
        [EventTypes.AntisocialBehaviour] = EventType.Asb,
        [EventTypes.DomesticAbuse] = EventType.DomesticAbuse,
        [EventTypes.BenefitSpell] = EventType.BenefitSpell,
        [EventTypes.EmploymentSpell] = EventType.EmploymentSpell,
        [EventTypes.SocialCare] = EventType.SocialCare,
        [EventTypes.HealthContact] = EventType.HealthContact,
        [EventTypes.Housing] = EventType.Housing,
        [EventTypes.YouthJustice] = EventType.YouthJustice,
        [EventTypes.EarlyHelpReferral] = EventType.EarlyHelp,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>
    /// Maps one stored event for <paramref name="personId"/>. Returns null, with <paramref name="unmapped"/> set,
    /// when a value the rules depend on has no row in the table.
    /// </summary>
    public static ProgrammeEvent? Map(AgencyEvent stored, string personId, out UnmappedValue? unmapped)
    {
        ArgumentNullException.ThrowIfNull(stored);
        unmapped = null;
        var source = new SourceReference(stored.DatasetId.ToString(CultureInfo.InvariantCulture), stored.RowNumber);
        ProgrammeEvent Make(EventType type, string? category, string? code = null, string? outcome = null) => new()
        {
            PersonId = personId,
            Type = type,
            Start = stored.StartDate,
            End = stored.EndDate,
            Category = category,
            Code = code,
            Outcome = outcome,
            Source = source,
        };

        string? Lookup(FrozenDictionary<string, string> table, string storedType, string field, string? value, out UnmappedValue? miss)
        {
            miss = null;
            if (value is not null && table.TryGetValue(value, out var mapped))
            {
                return mapped;
            }

            miss = new UnmappedValue(storedType, field, value ?? "(none)");
            return null;
        }

        switch (stored)
        {
            case SchoolAttendance a:
                return Make(EventType.Attendance, "mainstream", a.Term) with
                {
                    SessionsPossible = a.SessionsPossible,
                    AuthorisedAbsence = a.SessionsAuthorisedAbsence,
                    UnauthorisedAbsence = a.SessionsUnauthorisedAbsence,
                };
            case SchoolExclusion x:
                {
                    var category = x.ExclusionKind is "fixed" or "permanent" ? x.ExclusionKind : null;
                    if (category is null)
                    {
                        unmapped = new UnmappedValue(EventTypes.SchoolExclusion, "exclusion_kind", x.ExclusionKind);
                        return null;
                    }

                    return Make(EventType.Exclusion, category, x.Reason) with { Days = x.Sessions is { } s ? (s + 1) / 2 : null };
                }

            case Offence o:
                {
                    var category = Lookup(OffenceCategories, EventTypes.Offence, "offence_category", o.OffenceCategory, out unmapped);
                    if (category is null)
                    {
                        return null;
                    }

                    var outcome = o.Outcome is null ? "pending" : Lookup(OffenceOutcomes, EventTypes.Offence, "outcome", o.Outcome, out unmapped);
                    return outcome is null ? null : Make(EventType.Offence, category, o.OffenceCode, outcome);
                }

            case AntisocialBehaviourIncident asb:
                return Make(EventType.Asb, "incident", asb.IncidentType, asb.Role);
            case DomesticAbuseIncident da:
                {
                    var role = Lookup(DomesticAbuseRoles, EventTypes.DomesticAbuse, "role", da.Role, out unmapped);
                    return role is null ? null : Make(EventType.DomesticAbuse, role, da.RiskLevel);
                }

            case BenefitSpell b:
                {
                    var category = Lookup(BenefitCategories, EventTypes.BenefitSpell, "benefit_type", b.BenefitType, out unmapped);
                    return category is null ? null : Make(EventType.BenefitSpell, category, BenefitCodes[b.BenefitType]) with { AmountPence = b.WeeklyAmountPence };
                }

            case EmploymentSpell e:
                {
                    var category = Lookup(EmploymentCategories, EventTypes.EmploymentSpell, "employment_status", e.EmploymentStatus, out unmapped);
                    return category is null ? null : Make(EventType.EmploymentSpell, category, e.EmploymentStatus);
                }

            case SocialCareEpisode sc:
                {
                    var category = Lookup(SocialCareCategories, EventTypes.SocialCare, "episode_type", sc.EpisodeType, out unmapped);
                    return category is null ? null : Make(EventType.SocialCare, category, sc.Reason);
                }

            case HealthContact h:
                {
                    var category = Lookup(HealthCategories, EventTypes.HealthContact, "contact_type", h.ContactType, out unmapped);
                    return category is null ? null : Make(EventType.HealthContact, category, h.Reason);
                }

            case HousingEvent he:
                {
                    var category = Lookup(HousingCategories, EventTypes.Housing, "housing_event_type", he.HousingEventType, out unmapped);
                    if (category is null)
                    {
                        return null;
                    }

                    // An arrears record is a balance on a date, not an open spell: without an end it covers that day only.
                    var end = category == "arrears" && he.EndDate is null ? he.StartDate : he.EndDate;
                    return Make(EventType.Housing, category, he.Tenure) with { AmountPence = he.ArrearsPence, End = end };
                }

            case YouthJusticeEvent yj:
                {
                    var category = Lookup(YouthJusticeCategories, EventTypes.YouthJustice, "disposal", yj.Disposal, out unmapped);
                    return category is null ? null : Make(EventType.YouthJustice, category, yj.Disposal);
                }

            case EarlyHelpReferral eh:
                {
                    string? code = null;
                    if (eh.Reason is not null && !EarlyHelpReasons.TryGetValue(eh.Reason, out code))
                    {
                        // The referral still counts as a referral; only its presenting need is unknown.
                        unmapped = new UnmappedValue(EventTypes.EarlyHelpReferral, "reason", eh.Reason);
                    }

                    var category = eh.Outcome == "accepted" ? "assessment" : "referral";
                    return Make(EventType.EarlyHelp, category, code, eh.Outcome);
                }

            default:
                unmapped = new UnmappedValue(stored.GetType().Name, "(type)", stored.GetType().Name);
                return null;
        }
    }
}
