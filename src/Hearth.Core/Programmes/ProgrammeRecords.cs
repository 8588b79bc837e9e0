namespace Hearth.Core.Programmes;

/// <summary>The part a person plays in a programme family.</summary>
public enum MemberRole
{
    Adult,
    Child,
    ExpectantParent,
}

/// <summary>
/// One person in a programme family. <see cref="MemberFrom"/> and <see cref="MemberTo"/> bound the days the person
/// belonged to the household (both inclusive; null means "open"): a child who leaves has a <see cref="MemberTo"/>.
/// </summary>
public sealed record ProgrammeMember(
    string PersonId,
    MemberRole Role,
    DateOnly? DateOfBirth,
    string? Sex = null,
    DateOnly? MemberFrom = null,
    DateOnly? MemberTo = null)
{
    /// <summary>Whether the person belonged to the household on <paramref name="date"/>.</summary>
    public bool IsMemberOn(DateOnly date) =>
        (MemberFrom is null || MemberFrom <= date) && (MemberTo is null || date <= MemberTo);

    /// <summary>Age in whole years on <paramref name="date"/>, or null when the date of birth is not known.</summary>
    public int? AgeOn(DateOnly date)
    {
        if (DateOfBirth is not { } dob)
        {
            return null;
        }

        var age = date.Year - dob.Year;
        if (date.Month < dob.Month || (date.Month == dob.Month && date.Day < dob.Day))
        {
            age--;
        }

        return age;
    }
}

/// <summary>
/// A family as the programme rules see it. Null flags mean "not recorded" and evaluate as unknown, never as met.
/// </summary>
public sealed record ProgrammeFamily(
    string FamilyId,
    IReadOnlyList<ProgrammeMember> Members,
    DateOnly? AttachmentDate = null,
    DateOnly? ClosureDate = null,
    bool? KeyWorkerPresent = null,
    bool? AssessmentDone = null,
    bool? PlanCoversNeeds = null,
    string? Cohort = null);

/// <summary>Where a fact came from: the imported dataset and the row within it (1-based, header excluded).</summary>
public readonly record struct SourceReference(string DatasetId, int Row)
{
    public override string ToString() => $"{DatasetId}#{Row.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
}

/// <summary>
/// One recorded event about a person: a termly attendance return, an offence, a benefit spell and so on.
/// <see cref="End"/> is inclusive; a spell with no end is still open. Which fields mean something depends on
/// <see cref="Type"/>; <see cref="EventSchema"/> lists them.
/// </summary>
public sealed record ProgrammeEvent
{
    public required string PersonId { get; init; }

    public required EventType Type { get; init; }

    public required DateOnly Start { get; init; }

    public DateOnly? End { get; init; }

    /// <summary>A code from the source system, e.g. a benefit code (JSA, ESA, UC).</summary>
    public string? Code { get; init; }

    /// <summary>The category within the event type, from the type's fixed list (see <see cref="EventSchema"/>).</summary>
    public string? Category { get; init; }

    /// <summary>An outcome, e.g. an offence's disposal (proven, not_proven, pending).</summary>
    public string? Outcome { get; init; }

    /// <summary>Attendance: sessions possible in the term.</summary>
    public int? SessionsPossible { get; init; }

    /// <summary>Attendance: sessions missed with authorisation.</summary>
    public int? AuthorisedAbsence { get; init; }

    /// <summary>Attendance: sessions missed without authorisation.</summary>
    public int? UnauthorisedAbsence { get; init; }

    /// <summary>A number of days the source records (e.g. length of a fixed exclusion).</summary>
    public int? Days { get; init; }

    /// <summary>An amount in whole pence (e.g. rent arrears).</summary>
    public long? AmountPence { get; init; }

    public required SourceReference Source { get; init; }

    /// <summary>The last day the event covers: its end, its start for a point event, or <paramref name="asOf"/> for an open spell.</summary>
    public DateOnly LastDay(DateOnly asOf) => End ?? (EventSchema.IsSpell(Type) ? asOf : Start);
}

/// <summary>
/// The periods for which each source's data was supplied. A window that reaches outside the covered period of
/// the event type it counts evaluates as unknown: the absence of a record is only evidence of absence where
/// the source was looked at.
/// </summary>
public sealed class ProgrammeDataCoverage
{
    private readonly Dictionary<EventType, DatePeriod> _periods = [];

    /// <summary>Coverage for every event type over one period.</summary>
    public static ProgrammeDataCoverage Everything(DatePeriod period)
    {
        var coverage = new ProgrammeDataCoverage();
        foreach (var type in Enum.GetValues<EventType>())
        {
            coverage.Set(type, period);
        }

        return coverage;
    }

    public ProgrammeDataCoverage Set(EventType type, DatePeriod period)
    {
        _periods[type] = period;
        return this;
    }

    public DatePeriod? For(EventType type) => _periods.TryGetValue(type, out var p) ? p : null;

    public IReadOnlyDictionary<EventType, DatePeriod> Periods => _periods;
}
