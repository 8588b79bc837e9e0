using Hearth.Core.Data;
using Hearth.Core.Programmes;

namespace Hearth.Core.Tests.Programmes;

public sealed class StoreEventMappingTests
{
    private static readonly DateOnly Day = new(2024, 2, 1);

    private static T Stored<T>(T e)
        where T : AgencyEvent
    {
        e.DatasetId = 7;
        e.RowNumber = 42;
        e.StartDate = Day;
        return e;
    }

    private static ProgrammeEvent MapOk(AgencyEvent e)
    {
        var mapped = StoreEventMapping.Map(e, "P1", out var unmapped);
        Assert.Null(unmapped);
        Assert.NotNull(mapped);
        Assert.Equal("P1", mapped.PersonId);
        Assert.Equal(new SourceReference("7", 42), mapped.Source);
        Assert.Null(EventSchema.Validate(mapped));
        return mapped;
    }

    [Fact]
    public void Map_Attendance_CopiesSessionsAsMainstreamTerm()
    {
        var e = MapOk(Stored(new SchoolAttendance { AgencyId = "schools", Fingerprint = [], Term = "spring", SessionsPossible = 120, SessionsAuthorisedAbsence = 6, SessionsUnauthorisedAbsence = 9, EndDate = Day.AddDays(80) }));
        Assert.Equal((EventType.Attendance, "mainstream", "spring"), (e.Type, e.Category, e.Code));
        Assert.Equal((120, 6, 9), (e.SessionsPossible!.Value, e.AuthorisedAbsence!.Value, e.UnauthorisedAbsence!.Value));
    }

    [Theory]
    [InlineData("fixed", 5, 3)] // 5 half-day sessions round up to 3 days
    [InlineData("permanent", null, null)]
    public void Map_Exclusion_KindAndDays(string kind, int? sessions, int? days)
    {
        var e = MapOk(Stored(new SchoolExclusion { AgencyId = "schools", Fingerprint = [], ExclusionKind = kind, Sessions = sessions }));
        Assert.Equal((EventType.Exclusion, kind, days), (e.Type, e.Category, e.Days));
    }

    [Theory]
    [InlineData("theft", "charged", "acquisitive", "proven")]
    [InlineData("sexual", "caution", "violence", "proven")]
    [InlineData("weapons", "community_resolution", "other", "not_proven")]
    [InlineData("drugs", "no_further_action", "drugs", "no_further_action")]
    [InlineData("public_order", "under_investigation", "public_order", "pending")]
    [InlineData("criminal_damage", null, "criminal_damage", "pending")]
    public void Map_Offence_CategoryAndOutcome(string category, string? outcome, string expectedCategory, string expectedOutcome)
    {
        var e = MapOk(Stored(new Offence { AgencyId = "police", Fingerprint = [], OffenceCategory = category, Outcome = outcome, OffenceCode = "105A" }));
        Assert.Equal((EventType.Offence, expectedCategory, expectedOutcome, "105A"), (e.Type, e.Category, e.Outcome, e.Code));
    }

    [Fact]
    public void Map_OffenceWithUnknownOutcome_LeftOutAndReported()
    {
        var mapped = StoreEventMapping.Map(Stored(new Offence { AgencyId = "police", Fingerprint = [], OffenceCategory = "theft", Outcome = "warning" }), "P1", out var unmapped);
        Assert.Null(mapped);
        Assert.Equal(new UnmappedValue(EventTypes.Offence, "outcome", "warning"), unmapped);
    }

    [Fact]
    public void Map_Asb_IncidentWithRoleAsOutcome()
    {
        var e = MapOk(Stored(new AntisocialBehaviourIncident { AgencyId = "police", Fingerprint = [], IncidentType = "noise", Role = "victim" }));
        Assert.Equal((EventType.Asb, "incident", "noise", "victim"), (e.Type, e.Category, e.Code, e.Outcome));
    }

    [Theory]
    [InlineData("victim", "victim")]
    [InlineData("child_present", "witness")]
    public void Map_DomesticAbuse_Role(string role, string category)
    {
        var e = MapOk(Stored(new DomesticAbuseIncident { AgencyId = "police", Fingerprint = [], Role = role, RiskLevel = "high" }));
        Assert.Equal((EventType.DomesticAbuse, category, "high"), (e.Type, e.Category, e.Code));
    }

    [Theory]
    [InlineData("jsa", "out_of_work", "JSA")]
    [InlineData("universal_credit", "out_of_work", "UC")]
    [InlineData("esa", "out_of_work", "ESA")]
    [InlineData("income_support", "out_of_work", "IS")]
    [InlineData("carers_allowance", "other", "CA")]
    [InlineData("pip", "other", "PIP")]
    public void Map_Benefit_OutOfWorkListAndRulesCode(string benefit, string category, string code)
    {
        // The rules files test codes by DWP abbreviation (TF1: code in $out_of_work_benefits = ESA, IB, CA, IS, JSA, SDA).
        var e = MapOk(Stored(new BenefitSpell { AgencyId = "dwp", Fingerprint = [], BenefitType = benefit, WeeklyAmountPence = 9_000 }));
        Assert.Equal((EventType.BenefitSpell, category, code, 9_000L), (e.Type, e.Category, e.Code, e.AmountPence!.Value));
    }

    [Fact]
    public void Map_EmploymentUnemployed_NotAnEmploymentSpell()
    {
        Assert.Equal("employed", MapOk(Stored(new EmploymentSpell { AgencyId = "dwp", Fingerprint = [], EmploymentStatus = "employed" })).Category);
        Assert.Null(StoreEventMapping.Map(Stored(new EmploymentSpell { AgencyId = "dwp", Fingerprint = [], EmploymentStatus = "unemployed" }), "P1", out var unmapped));
        Assert.Equal("employment_status", unmapped!.Value.Field);
    }

    [Fact]
    public void Map_SocialCareAndHealth_Categories()
    {
        Assert.Equal((EventType.SocialCare, "child_protection"), Pair(MapOk(Stored(new SocialCareEpisode { AgencyId = "cs", Fingerprint = [], EpisodeType = "child_protection" }))));
        Assert.Equal((EventType.HealthContact, "a_and_e"), Pair(MapOk(Stored(new HealthContact { AgencyId = "nhs", Fingerprint = [], ContactType = "emergency_department" }))));
        Assert.Equal((EventType.HealthContact, "mental_health"), Pair(MapOk(Stored(new HealthContact { AgencyId = "nhs", Fingerprint = [], ContactType = "mental_health" }))));
    }

    [Fact]
    public void Map_HousingArrearsWithoutEnd_EndsOnItsDate()
    {
        var arrears = MapOk(Stored(new HousingEvent { AgencyId = "housing", Fingerprint = [], HousingEventType = "arrears", ArrearsPence = 45_000, Tenure = "council" }));
        Assert.Equal((EventType.Housing, "arrears", 45_000L, Day), (arrears.Type, arrears.Category, arrears.AmountPence!.Value, arrears.End!.Value));
        var homeless = MapOk(Stored(new HousingEvent { AgencyId = "housing", Fingerprint = [], HousingEventType = "temporary_accommodation" }));
        Assert.Equal(("homelessness", (DateOnly?)null), (homeless.Category, homeless.End));
        Assert.Null(StoreEventMapping.Map(Stored(new HousingEvent { AgencyId = "housing", Fingerprint = [], HousingEventType = "eviction" }), "P1", out var unmapped));
        Assert.Equal("eviction", unmapped!.Value.Value);
    }

    [Theory]
    [InlineData("youth_conditional_caution", "caution")]
    [InlineData("referral_order", "community_order")]
    [InlineData("custody", "custody")]
    public void Map_YouthJustice_Disposal(string disposal, string category)
    {
        var e = MapOk(Stored(new YouthJusticeEvent { AgencyId = "yjs", Fingerprint = [], Disposal = disposal }));
        Assert.Equal((EventType.YouthJustice, category, disposal), (e.Type, e.Category, e.Code));
    }

    [Fact]
    public void Map_EarlyHelp_AcceptedIsAssessmentAndReasonIsCode()
    {
        var e = MapOk(Stored(new EarlyHelpReferral { AgencyId = "eh", Fingerprint = [], Reason = "Family relationships", Outcome = "accepted" }));
        Assert.Equal((EventType.EarlyHelp, "assessment", "family_relationships", "accepted"), (e.Type, e.Category, e.Code, e.Outcome));
        var other = StoreEventMapping.Map(Stored(new EarlyHelpReferral { AgencyId = "eh", Fingerprint = [], Reason = "Bereavement", Outcome = "signposted" }), "P1", out var unmapped);
        Assert.Equal(("referral", (string?)null), (other!.Category, other.Code));
        Assert.Equal(new UnmappedValue(EventTypes.EarlyHelpReferral, "reason", "Bereavement"), unmapped);
    }

    [Fact]
    public void RulesTypeOf_EveryStoredEventType_HasARulesType()
    {
        Assert.Equal(EventTypes.All.Keys.Order(StringComparer.Ordinal), StoreEventMapping.RulesTypeOf.Keys.Order(StringComparer.Ordinal));
    }

    private static (EventType, string?) Pair(ProgrammeEvent e) => (e.Type, e.Category);
}
