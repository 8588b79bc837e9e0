using Hearth.Core.Access;
using Hearth.Core.CaseWork;

namespace Hearth.Core.Tests.CaseWork;

public sealed class CaseAccessTests
{
    private const long Mother = 1;
    private const long Child = 2;

    private static Actor Make(string id, HearthRole role, string? team = null, string? agency = null) =>
        new(id, id, new HashSet<HearthRole> { role }, team, agency);

    private static readonly Actor KeyWorker = Make("kw1", HearthRole.KeyWorker, team: "north");
    private static readonly Actor Colleague = Make("kw2", HearthRole.KeyWorker, team: "north");
    private static readonly Actor OtherTeamWorker = Make("kw3", HearthRole.KeyWorker, team: "south");
    private static readonly Actor Manager = Make("tm1", HearthRole.TeamManager, team: "north");
    private static readonly Actor OtherManager = Make("tm2", HearthRole.TeamManager, team: "south");
    private static readonly Actor SchoolPartner = Make("pp1", HearthRole.PartnerPractitioner, agency: "school");
    private static readonly Actor PolicePartner = Make("pp2", HearthRole.PartnerPractitioner, agency: "police");
    private static readonly Actor Admin = Make("ad1", HearthRole.Administrator);
    private static readonly Actor DataLead = Make("dl1", HearthRole.DataLead);
    private static readonly Actor Auditor = Make("au1", HearthRole.Auditor);
    private static readonly Actor Analyst = Make("an1", HearthRole.Analyst);

    private static FamilyCase Case(CaseStatus status = CaseStatus.Active) =>
        new() { Id = 10, FamilyId = 5, Status = status, TeamId = status == CaseStatus.Identified ? null : "north", KeyWorkerId = status == CaseStatus.Identified ? null : "kw1" };

    private static TeamMember Taf(string user, string agency, bool removed = false) =>
        new() { CaseId = 10, UserId = user, AgencyId = agency, Role = "r", RemovedUtc = removed ? new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc) : null };

    private static MemberConsent Consent(long person, string agencies, bool withdrawn = false) =>
        new()
        {
            CaseId = 10, PersonId = person, Agencies = agencies, RuleExplanation = "x", RecordedBy = "kw1",
            WithdrawnUtc = withdrawn ? new DateTime(2024, 2, 1, 0, 0, 0, DateTimeKind.Utc) : null,
        };

    private static CaseAccessFacts Facts(FamilyCase? c, IReadOnlyList<TeamMember>? team = null, IReadOnlyList<MemberConsent>? consents = null) =>
        new("F0000001", c, team ?? [Taf("pp1", "school")], consents ?? [Consent(Mother, "council,school"), Consent(Child, "council,police")]);

    public static TheoryData<string, CaseAccessLevel, bool, bool> Matrix => new()
    {
        // actor, level on an active case of team north held by kw1 (pp1 of the school in the team), can edit, can allocate
        { "kw1", CaseAccessLevel.Full, true, false },
        { "kw2", CaseAccessLevel.Full, false, false },
        { "kw3", CaseAccessLevel.None, false, false },
        { "tm1", CaseAccessLevel.Full, true, true },
        { "tm2", CaseAccessLevel.None, false, false },
        { "pp1", CaseAccessLevel.Partner, false, false },
        { "pp2", CaseAccessLevel.None, false, false },
        { "ad1", CaseAccessLevel.None, false, false },
        { "dl1", CaseAccessLevel.None, false, false },
        { "au1", CaseAccessLevel.None, false, false },
        { "an1", CaseAccessLevel.None, false, false },
    };

    private static Actor ById(string id) => new[] { KeyWorker, Colleague, OtherTeamWorker, Manager, OtherManager, SchoolPartner, PolicePartner, Admin, DataLead, Auditor, Analyst }
        .Single(a => a.UserId == id);

    [Theory]
    [MemberData(nameof(Matrix))]
    public void Decide_ActiveCase_GivesEachRoleItsAccess(string actorId, CaseAccessLevel level, bool canEdit, bool canAllocate)
    {
        var decision = CaseAccess.Decide(ById(actorId), Facts(Case()));

        Assert.Equal(level, decision.Level);
        Assert.Equal(canEdit, decision.CanEdit);
        Assert.Equal(canAllocate, decision.CanAllocate);
        Assert.False(string.IsNullOrWhiteSpace(decision.Reason));
    }

    [Fact]
    public void Decide_UnallocatedFamily_ManagersMayAllocateButKeyWorkersAndPartnersSeeNothing()
    {
        var identified = Facts(Case(CaseStatus.Identified), team: [], consents: []);
        var noCase = Facts(null, team: [], consents: []);

        Assert.Equal(CaseAccessLevel.Allocation, CaseAccess.Decide(Manager, identified).Level);
        Assert.True(CaseAccess.Decide(OtherManager, noCase).CanAllocate);
        Assert.False(CaseAccess.Decide(Manager, identified).CanViewRecord);
        Assert.Equal(CaseAccessLevel.None, CaseAccess.Decide(KeyWorker, identified).Level);
        Assert.Equal(CaseAccessLevel.None, CaseAccess.Decide(SchoolPartner, noCase).Level);
        Assert.Equal(CaseAccessLevel.None, CaseAccess.Decide(DataLead, noCase).Level);
    }

    [Fact]
    public void Decide_ActorWithSeveralRoles_GetsTheWidestAnswer()
    {
        var both = new Actor("kw1", "kw1", new HashSet<HearthRole> { HearthRole.Analyst, HearthRole.KeyWorker }, "north");

        Assert.Equal(CaseAccessLevel.Full, CaseAccess.Decide(both, Facts(Case())).Level);
    }

    [Fact]
    public void Partner_SeesOnlyMembersWhoseConsentCoversTheirAgency()
    {
        var decision = CaseAccess.Decide(SchoolPartner, Facts(Case()));

        Assert.True(decision.CanSeePerson(Mother)); // mother's consent: council, school
        Assert.False(decision.CanSeePerson(Child)); // child's consent: council, police
        Assert.False(decision.CanSeePerson(99)); // no consent at all
    }

    [Fact]
    public void Partner_SeesAnEventOnlyWhenConsentCoversBothTheirAgencyAndTheRecordingAgency()
    {
        var decision = CaseAccess.Decide(SchoolPartner, Facts(Case()));

        Assert.True(decision.CanSeeEvent(Mother, "council"));
        Assert.True(decision.CanSeeEvent(Mother, "school"));
        Assert.False(decision.CanSeeEvent(Mother, "police")); // police may not share the mother's data
        Assert.False(decision.CanSeeEvent(Child, "council")); // school may not see the child's data
    }

    [Fact]
    public void Withdrawal_RemovesWhatTheConsentShared()
    {
        var before = CaseAccess.Decide(SchoolPartner, Facts(Case(), consents: [Consent(Mother, "council,school")]));
        var after = CaseAccess.Decide(SchoolPartner, Facts(Case(), consents: [Consent(Mother, "council,school", withdrawn: true)]));

        Assert.True(before.CanSeePerson(Mother));
        Assert.False(after.CanSeePerson(Mother));
        Assert.False(after.CanSeeEvent(Mother, "school"));
        Assert.Equal(CaseAccessLevel.Partner, after.Level); // still in the team: sees the family, not the member
    }

    [Fact]
    public void Partner_RemovedFromTeamOrCaseClosed_SeesNothing()
    {
        Assert.Equal(CaseAccessLevel.None, CaseAccess.Decide(SchoolPartner, Facts(Case(), team: [Taf("pp1", "school", removed: true)])).Level);
        Assert.Equal(CaseAccessLevel.None, CaseAccess.Decide(SchoolPartner, Facts(Case(CaseStatus.Closed))).Level);
    }

    [Fact]
    public void Partner_InTeamForAnotherAgency_SeesNothing()
    {
        // pp1's directory agency is the school but the team lists them for the police: no match, no access.
        Assert.Equal(CaseAccessLevel.None, CaseAccess.Decide(SchoolPartner, Facts(Case(), team: [Taf("pp1", "police")])).Level);
    }

    [Fact]
    public void ClosedCase_KeyWorkerStillReadsButCannotEdit()
    {
        var decision = CaseAccess.Decide(KeyWorker, Facts(Case(CaseStatus.Closed)));

        Assert.Equal(CaseAccessLevel.Full, decision.Level);
        Assert.False(decision.CanEdit);
    }

    [Fact]
    public void CanUpdateAction_PartnerOnlyTheirOwn()
    {
        var decision = CaseAccess.Decide(SchoolPartner, Facts(Case()));
        var theirs = new PlanAction { Description = "d", OwnerUserId = "pp1", AgencyId = "school", UpdatedBy = "kw1" };
        var others = new PlanAction { Description = "d", OwnerUserId = "kw1", AgencyId = "north", UpdatedBy = "kw1" };

        Assert.True(CaseAccess.CanUpdateAction(SchoolPartner, decision, theirs));
        Assert.False(CaseAccess.CanUpdateAction(SchoolPartner, decision, others));
        Assert.True(CaseAccess.CanUpdateAction(KeyWorker, CaseAccess.Decide(KeyWorker, Facts(Case())), others));
    }

    [Fact]
    public void CanSeeNote_PartnerSeesOwnAgencyAndSharedNotesTheConsentCovers()
    {
        var decision = CaseAccess.Decide(SchoolPartner, Facts(Case()));
        CaseNote Note(long? person, string? agency, bool shared) => new() { PersonId = person, Text = "t", WrittenBy = "x", AuthorAgencyId = agency, SharedWithTeam = shared };

        Assert.True(decision.CanSeeNote(Note(Child, "school", false))); // their own agency wrote it
        Assert.True(decision.CanSeeNote(Note(Mother, null, true))); // shared, mother consents to the school
        Assert.False(decision.CanSeeNote(Note(Child, null, true))); // shared, but the child's consent does not cover the school
        Assert.False(decision.CanSeeNote(Note(Mother, null, false))); // key worker's private note
        Assert.False(decision.CanSeeNote(Note(null, "police", false))); // another agency's note
    }
}
