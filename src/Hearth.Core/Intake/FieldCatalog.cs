using Hearth.Core.Data;

namespace Hearth.Core.Intake;

/// <summary>The kind of value a Hearth field holds, as written in a mapping's <c>type:</c>.</summary>
public enum FieldType
{
    /// <summary>Free text, trimmed (<c>type: string</c>).</summary>
    Text,

    /// <summary>A whole number (<c>type: int</c>).</summary>
    WholeNumber,

    /// <summary>A calendar date, read with the mapping's <c>formats</c>.</summary>
    Date,

    /// <summary>An amount in pounds ("£1,234.56", "12.5", "-3") stored as whole pence.</summary>
    Money,

    /// <summary>One of a list of Hearth codes; the mapping's <c>codes</c> translate the agency's own codes.</summary>
    Code,

    /// <summary>A UK identifier checked by its rules (check digit, format).</summary>
    Identifier,
}

/// <summary>Which identifier a column carries.</summary>
public enum IdentifierKind
{
    Nhs,
    Nino,
    Upn,
    Uprn,
    Postcode,
}

/// <summary>
/// One Hearth field a mapping can fill. <see cref="Column"/> is the database column it is stored in
/// (source_records for person fields, events for event fields).
/// </summary>
/// <param name="Name">Name used in mapping files.</param>
/// <param name="Type">The mapping <c>type</c> the field takes.</param>
/// <param name="Column">Storage column.</param>
/// <param name="Required">True when every row must carry a value (the mapping must map it).</param>
/// <param name="Identifier">For identifier fields, which one.</param>
/// <param name="Codes">For code fields, Hearth's code list; null for free vocabularies.</param>
/// <param name="Personal">True for values that identify a person: never shown in messages or logs.</param>
/// <param name="Description">What the field means.</param>
public sealed record FieldDefinition(
    string Name,
    FieldType Type,
    string Column,
    bool Required,
    IdentifierKind? Identifier,
    IReadOnlyList<string>? Codes,
    bool Personal,
    string Description)
{
    /// <summary>True for person fields (stored on the source record), false for event fields.</summary>
    public bool IsPersonField { get; init; }
}

/// <summary>
/// Every field a mapping can fill: the person fields every extract shares and each event type's own fields.
/// This list is the contract between mapping files and the database; a test checks it against the EF model.
/// </summary>
public static class FieldCatalog
{
    private static readonly string[] Sexes = ["female", "male", "other", "unknown"];
    private static readonly string[] OffenceCategories =
        ["violence", "sexual", "robbery", "theft", "burglary", "criminal_damage", "drugs", "public_order", "weapons", "fraud", "other"];

    /// <summary>Fields describing the person; stored on <see cref="SourceRecord"/>.</summary>
    public static IReadOnlyList<FieldDefinition> PersonFields { get; } =
    [
        Person("record_id", FieldType.Text, "agency_record_id", required: true, personal: false, "The agency's own id for the person."),
        Person("given_name", FieldType.Text, "given_name", required: false, personal: true, "First name."),
        Person("family_name", FieldType.Text, "family_name", required: false, personal: true, "Surname."),
        Person("other_names", FieldType.Text, "other_names", required: false, personal: true, "Middle names or aliases."),
        Person("date_of_birth", FieldType.Date, "date_of_birth", required: false, personal: true, "Date of birth."),
        Person("sex", FieldType.Code, "sex", required: false, personal: true, "Sex: female, male, other or unknown.", codes: Sexes),
        Person("address", FieldType.Text, "address", required: false, personal: true, "Address lines without the postcode."),
        Person("postcode", FieldType.Identifier, "postcode", required: false, personal: true, "UK postcode.", IdentifierKind.Postcode),
        Person("uprn", FieldType.Identifier, "uprn", required: false, personal: true, "Unique Property Reference Number.", IdentifierKind.Uprn),
        Person("nhs_number", FieldType.Identifier, "nhs_number", required: false, personal: true, "NHS number.", IdentifierKind.Nhs),
        Person("nino", FieldType.Identifier, "nino", required: false, personal: true, "National Insurance number.", IdentifierKind.Nino),
        Person("upn", FieldType.Identifier, "upn", required: false, personal: true, "Unique Pupil Number.", IdentifierKind.Upn),
    ];

    /// <summary>
    /// A whole name in one column, split on import: "FAMILY, Given Other" when it has a comma, otherwise
    /// "Given Family Name" split at the first space. Not stored as such.
    /// </summary>
    public static FieldDefinition FullName { get; } =
        new("full_name", FieldType.Text, string.Empty, false, null, null, true,
            "Whole name in one column: 'FAMILY, Given Other' or 'Given Family'; split into given, other and family names.")
        { IsPersonField = true };

    /// <summary>Fields of each event type (start and end dates first).</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<FieldDefinition>> EventFields { get; } =
        new Dictionary<string, IReadOnlyList<FieldDefinition>>(StringComparer.Ordinal)
        {
            [EventTypes.SchoolAttendance] = Event(
                [
                    Text("school_id", "The school's URN or code."),
                    Code("term", "Term: autumn, spring or summer.", false, "autumn", "spring", "summer"),
                    Int("sessions_possible", "Sessions the pupil could have attended.", true),
                    Int("sessions_authorised_absence", "Sessions missed with authorisation.", true),
                    Int("sessions_unauthorised_absence", "Sessions missed without authorisation.", true),
                ]),
            [EventTypes.SchoolExclusion] = Event(
                [
                    Text("school_id", "The school's URN or code."),
                    Code("exclusion_kind", "fixed (suspension) or permanent.", true, "fixed", "permanent"),
                    Int("sessions", "Length in sessions (half days).", false),
                    Text("reason", "Reason as the school records it."),
                ]),
            [EventTypes.Offence] = Event(
                [
                    Text("offence_code", "The agency's offence code."),
                    Code("offence_category", "Hearth offence category.", false, OffenceCategories),
                    Code("outcome", "Outcome of the offence.", false,
                        "charged", "summonsed", "caution", "community_resolution", "penalty_notice", "no_further_action", "under_investigation", "other"),
                ]),
            [EventTypes.AntisocialBehaviour] = Event(
                [
                    Text("incident_type", "Kind of incident as the agency records it."),
                    Code("role", "The person's role.", false, "perpetrator", "victim", "witness"),
                ]),
            [EventTypes.DomesticAbuse] = Event(
                [
                    Code("role", "The person's role.", false, "victim", "perpetrator", "child_present"),
                    Code("risk_level", "DASH risk level.", false, "standard", "medium", "high"),
                ]),
            [EventTypes.BenefitSpell] = Event(
                [
                    Code("benefit_type", "The benefit.", true,
                        "universal_credit", "jsa", "esa", "income_support", "housing_benefit", "pip", "dla", "carers_allowance", "other"),
                    Money("weekly_amount_pence", "Weekly award."),
                ]),
            [EventTypes.EmploymentSpell] = Event(
                [
                    Code("employment_status", "Work status over the spell.", true, "employed", "self_employed", "unemployed", "inactive", "training"),
                    Int("hours_per_week", "Contracted hours a week.", false),
                ]),
            [EventTypes.SocialCare] = Event(
                [
                    Code("episode_type", "child_in_need, child_protection or looked_after.", true, "child_in_need", "child_protection", "looked_after"),
                    Text("reason", "Category of need or reason."),
                ]),
            [EventTypes.HealthContact] = Event(
                [
                    Code("contact_type", "emergency_department, mental_health or substance_misuse.", true,
                        "emergency_department", "mental_health", "substance_misuse"),
                    Text("reason", "Reason or presenting complaint category."),
                ]),
            [EventTypes.Housing] = Event(
                [
                    Code("housing_event_type", "What happened.", true, "tenancy", "arrears", "homelessness", "eviction", "temporary_accommodation"),
                    Code("tenure", "Tenure.", false, "council", "housing_association", "private_rented", "owner", "other"),
                    Money("arrears_pence", "Rent arrears at the event date."),
                ]),
            [EventTypes.YouthJustice] = Event(
                [
                    Code("disposal", "Disposal given.", false,
                        "youth_caution", "youth_conditional_caution", "referral_order", "youth_rehabilitation_order", "custody", "other"),
                    Code("offence_category", "Hearth offence category.", false, OffenceCategories),
                ]),
            [EventTypes.EarlyHelpReferral] = Event(
                [
                    Code("referral_source", "Who referred.", false, "school", "police", "health", "self", "social_care", "housing", "other"),
                    Text("reason", "Reason for referral."),
                    Code("outcome", "What happened to the referral.", false, "accepted", "signposted", "stepped_up", "no_further_action", "other"),
                ]),
            [EventTypes.Person] = [],
        };

    /// <summary>Every storage column an event of any type can fill, in a fixed order (the union of event fields).</summary>
    public static IReadOnlyList<FieldDefinition> AllEventColumns { get; } =
        EventFields.Values.SelectMany(f => f).DistinctBy(f => f.Column).ToArray();

    /// <summary>Fields a mapping for <paramref name="eventType"/> may fill: person fields then event fields.</summary>
    public static IReadOnlyList<FieldDefinition>? FieldsFor(string eventType) =>
        EventFields.TryGetValue(eventType, out var events) ? [.. PersonFields, FullName, .. events] : null;

    private static FieldDefinition Person(
        string name, FieldType type, string column, bool required, bool personal, string description,
        IdentifierKind? identifier = null, IReadOnlyList<string>? codes = null) =>
        new(name, type, column, required, identifier, codes, personal, description) { IsPersonField = true };

    private static IReadOnlyList<FieldDefinition> Event(FieldDefinition[] own) =>
    [
        new("start_date", FieldType.Date, "start_date", true, null, null, false, "Day the event happened or the period began."),
        new("end_date", FieldType.Date, "end_date", false, null, null, false, "Last day of the period (inclusive)."),
        .. own,
    ];

    private static FieldDefinition Text(string name, string description) =>
        new(name, FieldType.Text, name, false, null, null, false, description);

    private static FieldDefinition Int(string name, string description, bool required) =>
        new(name, FieldType.WholeNumber, name, required, null, null, false, description);

    private static FieldDefinition Money(string name, string description) =>
        new(name, FieldType.Money, name, false, null, null, false, description + " Pounds in the file, whole pence in Hearth.");

    private static FieldDefinition Code(string name, string description, bool required, params string[] codes) =>
        new(name, FieldType.Code, name, required, null, codes, false, description);
}
