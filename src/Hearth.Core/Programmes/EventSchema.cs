using System.Collections.Frozen;

namespace Hearth.Core.Programmes;

/// <summary>The fixed vocabulary of event types the programme rules can count. Names in rules files are snake_case.</summary>
public enum EventType
{
    Attendance,
    Exclusion,
    Offence,
    Asb,
    DomesticAbuse,
    YouthJustice,
    BenefitSpell,
    EmploymentSpell,
    SocialCare,
    HealthContact,
    Housing,
    EarlyHelp,
}

/// <summary>What kind of value an event field holds.</summary>
public enum FieldKind
{
    Number,
    Flag,
    Category,
    Text,
}

/// <summary>One field of an event type that a rule may refer to.</summary>
public sealed record EventField(string Name, FieldKind Kind, string Meaning, IReadOnlySet<string>? AllowedValues = null)
{
    internal Func<ProgrammeEvent, decimal?>? Number { get; init; }

    internal Func<ProgrammeEvent, bool?>? Flag { get; init; }

    internal Func<ProgrammeEvent, string?>? Text { get; init; }
}

/// <summary>
/// The event types and, for each, the fields rules can use. Every type also has <c>days</c> (length of the event
/// in days, both ends counted) and <c>code</c>; <c>age</c> (the person's age on the event's start date) is
/// available in every <c>where</c> clause.
/// </summary>
public static class EventSchema
{
    private static readonly FrozenDictionary<EventType, string> Names = new Dictionary<EventType, string>
    {
        [EventType.Attendance] = "attendance",
        [EventType.Exclusion] = "exclusion",
        [EventType.Offence] = "offence",
        [EventType.Asb] = "asb",
        [EventType.DomesticAbuse] = "domestic_abuse",
        [EventType.YouthJustice] = "youth_justice",
        [EventType.BenefitSpell] = "benefit_spell",
        [EventType.EmploymentSpell] = "employment_spell",
        [EventType.SocialCare] = "social_care",
        [EventType.HealthContact] = "health_contact",
        [EventType.Housing] = "housing",
        [EventType.EarlyHelp] = "early_help",
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<string, EventType> ByName =
        Names.ToFrozenDictionary(kv => kv.Value, kv => kv.Key, StringComparer.Ordinal);

    private static readonly FrozenDictionary<EventType, string[]> Categories = new Dictionary<EventType, string[]>
    {
        [EventType.Attendance] = ["mainstream", "pru", "alternative_provision", "not_on_roll"],
        [EventType.Exclusion] = ["fixed", "permanent"],
        [EventType.Offence] = ["violence", "acquisitive", "criminal_damage", "drugs", "public_order", "other"],
        [EventType.Asb] = ["incident", "asbo", "injunction", "intervention", "housing_action"],
        [EventType.DomesticAbuse] = ["victim", "perpetrator", "witness", "at_risk"],
        [EventType.YouthJustice] = ["out_of_court", "caution", "community_order", "custody"],
        [EventType.BenefitSpell] = ["out_of_work", "in_work", "other"],
        [EventType.EmploymentSpell] = ["employed", "self_employed", "apprenticeship"],
        [EventType.SocialCare] = ["child_in_need", "child_protection", "looked_after"],
        [EventType.HealthContact] = ["a_and_e", "mental_health", "substance_misuse"],
        [EventType.Housing] = ["tenancy", "arrears", "homelessness"],
        [EventType.EarlyHelp] = ["assessment", "plan", "referral", "work_programme", "esf_provision", "early_years_entitlement"],
    }.ToFrozenDictionary();

    private static readonly string[] OffenceOutcomes = ["proven", "not_proven", "pending", "no_further_action"];

    private static readonly FrozenDictionary<EventType, FrozenDictionary<string, EventField>> Fields = BuildFields();

    /// <summary>Spells (benefit, employment, social care, housing) run until their end date or are still open.</summary>
    public static bool IsSpell(EventType type) =>
        type is EventType.BenefitSpell or EventType.EmploymentSpell or EventType.SocialCare or EventType.Housing;

    public static string NameOf(EventType type) => Names[type];

    public static bool TryParse(string name, out EventType type) => ByName.TryGetValue(name, out type);

    public static IEnumerable<string> TypeNames => Names.Values.Order(StringComparer.Ordinal);

    public static IReadOnlyList<string> CategoriesOf(EventType type) => Categories[type];

    public static IReadOnlyDictionary<string, EventField> FieldsOf(EventType type) => Fields[type];

    /// <summary>Checks an input event against the vocabulary; returns the reason it is invalid, or null.</summary>
    public static string? Validate(ProgrammeEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.End is { } end && end < e.Start)
        {
            return $"end {end:yyyy-MM-dd} is before start {e.Start:yyyy-MM-dd}";
        }

        if (e.Category is { } c && !Categories[e.Type].Contains(c, StringComparer.Ordinal))
        {
            return $"category '{c}' is not one of {string.Join(", ", Categories[e.Type])} for {NameOf(e.Type)}";
        }

        if (e.Type == EventType.Offence && e.Outcome is { } o && !OffenceOutcomes.Contains(o, StringComparer.Ordinal))
        {
            return $"offence outcome '{o}' is not one of {string.Join(", ", OffenceOutcomes)}";
        }

        if (e.Type == EventType.Attendance)
        {
            if (e.SessionsPossible is not { } possible || possible < 0)
            {
                return "an attendance return needs sessions_possible (0 or more)";
            }

            if ((e.AuthorisedAbsence ?? 0) + (e.UnauthorisedAbsence ?? 0) > possible || e.AuthorisedAbsence < 0 || e.UnauthorisedAbsence < 0)
            {
                return "absences must be 0 or more and together no more than sessions_possible";
            }
        }

        return null;
    }

    private static FrozenDictionary<EventType, FrozenDictionary<string, EventField>> BuildFields()
    {
        var result = new Dictionary<EventType, FrozenDictionary<string, EventField>>();
        foreach (var type in Enum.GetValues<EventType>())
        {
            var fields = new List<EventField>
            {
                new("category", FieldKind.Category, "the event's category", Categories[type].ToFrozenSet(StringComparer.Ordinal)) { Text = e => e.Category },
                new("code", FieldKind.Text, "the source system's code") { Text = e => e.Code },
                new("days", FieldKind.Number, "days recorded by the source, else the event's length in days (both ends counted)")
                {
                    Number = e => e.Days ?? (e.End is { } end ? end.DayNumber - e.Start.DayNumber + 1 : null),
                },
                new("amount", FieldKind.Number, "an amount in pence") { Number = e => e.AmountPence },
            };
            foreach (var category in Categories[type])
            {
                // Each category is also a flag, so "exclusion where permanent" reads naturally.
                var c = category;
                fields.Add(new(c, FieldKind.Flag, $"category is {c}") { Flag = e => e.Category is null ? null : string.Equals(e.Category, c, StringComparison.Ordinal) });
            }

            switch (type)
            {
                case EventType.Attendance:
                    fields.Add(new("possible", FieldKind.Number, "sessions possible in the term") { Number = e => e.SessionsPossible });
                    fields.Add(new("authorised", FieldKind.Number, "sessions of authorised absence") { Number = e => e.AuthorisedAbsence });
                    fields.Add(new("unauthorised", FieldKind.Number, "sessions of unauthorised absence") { Number = e => e.UnauthorisedAbsence });
                    fields.Add(new("missed", FieldKind.Number, "sessions missed, authorised or not") { Number = e => e.AuthorisedAbsence is { } a && e.UnauthorisedAbsence is { } u ? a + u : null });
                    break;
                case EventType.Offence:
                    fields.Add(new("outcome", FieldKind.Category, "the disposal", OffenceOutcomes.ToFrozenSet(StringComparer.Ordinal)) { Text = e => e.Outcome });
                    fields.Add(new("proven", FieldKind.Flag, "outcome is proven (unknown while pending or unrecorded)")
                    {
                        Flag = e => e.Outcome switch { "proven" => true, "not_proven" or "no_further_action" => false, _ => null },
                    });
                    break;
                default:
                    fields.Add(new("outcome", FieldKind.Text, "an outcome recorded by the source") { Text = e => e.Outcome });
                    break;
            }

            result[type] = fields.ToFrozenDictionary(f => f.Name, StringComparer.Ordinal);
        }

        return result.ToFrozenDictionary();
    }
}
