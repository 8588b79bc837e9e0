using Hearth.Core.Programmes;

namespace Hearth.Core.Tests.Programmes;

/// <summary>Builds programme families for rule tables; every event gets a source reference (dataset + row).</summary>
internal sealed class FamilyBuilder(string familyId = "F1")
{
    public static readonly DatePeriod AllTime = new(new DateOnly(2005, 1, 1), new DateOnly(2030, 12, 31));

    private readonly List<ProgrammeMember> _members = [];
    private readonly List<ProgrammeEvent> _events = [];
    private int _row;

    public DateOnly? Attached { get; set; }

    public DateOnly? Closed { get; set; }

    public bool? KeyWorker { get; set; } = true;

    public bool? Assessment { get; set; } = true;

    public bool? Plan { get; set; } = true;

    public string? Cohort { get; set; }

    public ProgrammeDataCoverage Coverage { get; set; } = ProgrammeDataCoverage.Everything(AllTime);

    public FamilyBuilder Adult(string id, string dob = "1985-05-05") => Member(id, MemberRole.Adult, dob);

    public FamilyBuilder Child(string id, string dob, string? to = null) => Member(id, MemberRole.Child, dob, to);

    public FamilyBuilder Member(string id, MemberRole role, string? dob, string? to = null)
    {
        _members.Add(new ProgrammeMember(id, role, dob is null ? null : D(dob), MemberTo: to is null ? null : D(to)));
        return this;
    }

    public FamilyBuilder Attendance(string person, string termStart, int possible, int unauthorised, int authorised = 0, string category = "mainstream") =>
        Add(new ProgrammeEvent
        {
            PersonId = person,
            Type = EventType.Attendance,
            Start = D(termStart),
            Category = category,
            SessionsPossible = possible,
            UnauthorisedAbsence = unauthorised,
            AuthorisedAbsence = authorised,
            Source = new SourceReference("school-census", ++_row),
        });

    public FamilyBuilder Event(string person, EventType type, string start, string? end = null, string? category = null, string? code = null, string? outcome = null, string dataset = "source") =>
        Add(new ProgrammeEvent
        {
            PersonId = person,
            Type = type,
            Start = D(start),
            End = end is null ? null : D(end),
            Category = category,
            Code = code,
            Outcome = outcome,
            Source = new SourceReference(dataset, ++_row),
        });

    public FamilyBuilder Add(ProgrammeEvent e)
    {
        _events.Add(e);
        return this;
    }

    public List<ProgrammeEvent> Events => _events;

    public ProgrammeFamilyData Build() =>
        new(new ProgrammeFamily(familyId, [.. _members], Attached, Closed, KeyWorker, Assessment, Plan, Cohort), [.. _events], Coverage);

    public static DateOnly D(string s) => DateOnly.ParseExact(s, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}

internal static class Frameworks
{
    public static readonly Framework Tf1 = FrameworkCatalog.LoadShipped("troubled-families-2012.yaml");
    public static readonly Framework Tf2 = FrameworkCatalog.LoadShipped("troubled-families-2015.yaml");
    public static readonly Framework Sf = FrameworkCatalog.LoadShipped("supporting-families-2022.yaml");

    public static NeedFinding Need(this IdentificationResult r, string id) => r.Needs.Single(n => n.Need.Id == id);

    public static ResultFinding Result(this OutcomeReport r, string id) => r.Results.Single(x => x.Result.Id == id);

    public static MeasureFinding Measure(this OutcomeReport r, string id) => r.Measures.Single(x => x.Measure.Id == id);
}
