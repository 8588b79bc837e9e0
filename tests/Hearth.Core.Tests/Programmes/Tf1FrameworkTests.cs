using Hearth.Core.Programmes;
using static Hearth.Core.Tests.Programmes.FamilyBuilder;

namespace Hearth.Core.Tests.Programmes;

/// <summary>Troubled Families phase 1 (domain research §1 and §7.B–7.E).</summary>
public sealed class Tf1FrameworkTests
{
    private readonly ProgrammeEngine _engine = new();

    /// <summary>
    /// A child (born 2010-03-01) with three termly attendance returns before the as-of date 2013-08-15
    /// (autumn 2012, spring 2013, summer 2013), each of 200 sessions.
    /// </summary>
    private static FamilyBuilder ChildWithAttendance(int unauthorisedPerTerm, int lastTermUnauthorised)
    {
        var b = new FamilyBuilder().Adult("A").Child("C1", "2004-03-01");
        b.Attendance("C1", "2012-09-01", 200, unauthorisedPerTerm)
         .Attendance("C1", "2013-01-01", 200, unauthorisedPerTerm)
         .Attendance("C1", "2013-04-01", 200, lastTermUnauthorised);
        return b;
    }

    // B2 / D1: unauthorised absence >= 15% of sessions over the last 3 terms.
    // 600 sessions: 89 = 14.83% (below), 90 = 15% exactly (at), 91 = 15.17% (above).
    [Theory]
    [InlineData(30, 29, Truth.False)]
    [InlineData(30, 30, Truth.True)]
    [InlineData(30, 31, Truth.True)]
    public void B2_UnauthorisedAbsence_BoundaryAt15Percent(int perTerm, int lastTerm, Truth raised)
    {
        var data = ChildWithAttendance(perTerm, lastTerm).Build();
        var id = _engine.Identify(Frameworks.Tf1, data, D("2013-08-15"));
        var need = id.Need("unauthorised_absence");
        Assert.Equal(raised, need.Raised);
        Assert.Equal("C1", need.Members.Single().PersonId);
    }

    [Fact]
    public void B2_AttendanceReturnMissingForOneTerm_IsUnknownNotMet()
    {
        var b = new FamilyBuilder().Adult("A").Child("C1", "2004-03-01");
        b.Attendance("C1", "2012-09-01", 200, 100).Attendance("C1", "2013-04-01", 200, 100); // no spring 2013 return
        var id = _engine.Identify(Frameworks.Tf1, b.Build(), D("2013-08-15"));
        var need = id.Need("unauthorised_absence");
        Assert.Equal(Truth.Unknown, need.Raised);
        Assert.Contains("no attendance return for spring 2012/13", id.Explain(), StringComparison.Ordinal);
    }

    // B2: 3 or more fixed exclusions in the last 3 terms; 2 is below the boundary.
    [Theory]
    [InlineData(2, Truth.False)]
    [InlineData(3, Truth.True)]
    [InlineData(4, Truth.True)]
    public void B2_FixedExclusions_BoundaryAtThree(int exclusions, Truth raised)
    {
        var b = ChildWithAttendance(0, 0);
        for (var i = 0; i < exclusions; i++)
        {
            b.Event("C1", EventType.Exclusion, $"2013-0{i + 1}-10", category: "fixed", dataset: "exclusions");
        }

        Assert.Equal(raised, _engine.Identify(Frameworks.Tf1, b.Build(), D("2013-08-15")).Need("fixed_exclusions").Raised);
    }

    // B1: a household member under 18 with a proven offence in the last 12 months.
    [Theory]
    [InlineData("2012-08-16", "proven", Truth.True)]      // first day of the 12-month window ending 2013-08-15
    [InlineData("2012-08-15", "proven", Truth.False)]     // one day before the window
    [InlineData("2013-02-01", "not_proven", Truth.False)]
    [InlineData("2013-02-01", "pending", Truth.Unknown)]  // outcome not yet known: unknown, never met
    public void B1_YouthOffence_WindowAndOutcome(string date, string outcome, Truth raised)
    {
        var b = new FamilyBuilder().Adult("A").Child("C1", "2000-01-01");
        b.Event("C1", EventType.Offence, date, outcome: outcome, dataset: "police");
        Assert.Equal(raised, _engine.Identify(Frameworks.Tf1, b.Build(), D("2013-08-15")).Need("youth_offence").Raised);
    }

    [Fact]
    public void B1_OffenceAfterEighteenthBirthday_DoesNotCount()
    {
        // Born 1995-01-01: 18 on 2013-01-01, so an offence on 2013-02-01 is an adult's.
        var b = new FamilyBuilder().Adult("A").Member("Y", MemberRole.Child, "1995-01-01");
        b.Event("Y", EventType.Offence, "2013-02-01", outcome: "proven");
        Assert.Equal(Truth.False, _engine.Identify(Frameworks.Tf1, b.Build(), D("2013-08-15")).Need("youth_offence").Raised);
    }

    [Fact]
    public void B5_ThreeOfThree_EligibleWithEvidence()
    {
        var b = ChildWithAttendance(40, 40); // 20% unauthorised
        b.Event("C1", EventType.Offence, "2013-03-01", outcome: "proven", dataset: "police")
         .Event("A", EventType.BenefitSpell, "2011-01-01", category: "out_of_work", code: "JSA", dataset: "dwp");
        var id = _engine.Identify(Frameworks.Tf1, b.Build(), D("2013-08-15"));
        Assert.Equal(Truth.True, id.Eligible);
        Assert.Equal(["crime_asb", "education", "work"], id.Headlines.Where(h => h.Value == Truth.True).Select(h => h.Key).Order(StringComparer.Ordinal));
        var explain = id.Explain();
        Assert.Contains("ELIGIBLE", explain, StringComparison.Ordinal);
        Assert.Contains("police#4", explain, StringComparison.Ordinal); // the offence's source reference
        Assert.Contains("20%", explain, StringComparison.Ordinal);
    }

    [Fact]
    public void B5_TwoOfThreeWithoutLocalCriterion_NotEligibleAndExplained()
    {
        // 49 of 600 sessions = 8.2% unauthorised: education is not met.
        var b = new FamilyBuilder().Adult("A").Child("C1", "2004-03-01");
        b.Attendance("C1", "2012-09-01", 200, 16).Attendance("C1", "2013-01-01", 200, 17).Attendance("C1", "2013-04-01", 200, 16)
         .Event("C1", EventType.Offence, "2013-03-01", outcome: "proven", dataset: "police")
         .Event("A", EventType.BenefitSpell, "2011-01-01", category: "out_of_work", code: "ESA", dataset: "dwp");
        var id = _engine.Identify(Frameworks.Tf1, b.Build(), D("2013-08-15"));
        var explain = id.Explain();
        Assert.True(id.Eligible == Truth.False, explain);
        Assert.Contains("NOT ELIGIBLE", explain, StringComparison.Ordinal);
        Assert.Contains("= 8.2% (needs >= 15%)", explain, StringComparison.Ordinal);
    }

    [Fact]
    public void B4_B5_TwoOfThreePlusLocalDiscretion_Eligible()
    {
        var b = new FamilyBuilder().Adult("A").Child("C1", "2004-03-01");
        b.Attendance("C1", "2012-09-01", 200, 16).Attendance("C1", "2013-01-01", 200, 17).Attendance("C1", "2013-04-01", 200, 16)
         .Event("C1", EventType.Offence, "2013-03-01", outcome: "proven")
         .Event("A", EventType.BenefitSpell, "2011-01-01", category: "out_of_work", code: "ESA")
         .Event("A", EventType.DomesticAbuse, "2013-06-01", category: "victim");
        Assert.Equal(Truth.True, _engine.Identify(Frameworks.Tf1, b.Build(), D("2013-08-15")).Eligible);
    }

    [Fact]
    public void B3_BenefitNotOnTheConfiguredList_DoesNotCount()
    {
        var b = new FamilyBuilder().Adult("A");
        b.Event("A", EventType.BenefitSpell, "2011-01-01", category: "out_of_work", code: "UC");
        Assert.Equal(Truth.False, _engine.Identify(Frameworks.Tf1, b.Build(), D("2013-08-15")).Need("out_of_work_benefit").Raised);
    }

    [Fact]
    public void Identify_NoCoverageForPoliceData_CrimeIsUnknown()
    {
        var b = new FamilyBuilder().Adult("A").Child("C1", "2000-01-01");
        b.Coverage = new ProgrammeDataCoverage().Set(EventType.BenefitSpell, AllTime);
        var id = _engine.Identify(Frameworks.Tf1, b.Build(), D("2013-08-15"));
        Assert.Equal(Truth.Unknown, id.Need("youth_offence").Raised);
        Assert.NotEqual(Truth.True, id.Eligible);
    }

    /// <summary>
    /// A family attached on 2012-06-01 (attachment fee £3,200, rule C2) with all three problems at attachment,
    /// measured on 2013-08-15.
    /// </summary>
    private static FamilyBuilder Phase1Family(int asbSinceAttachment, bool employed = false, string? employedFrom = null)
    {
        var b = new FamilyBuilder { Attached = D("2012-06-01") }.Adult("A").Child("C1", "2002-03-01");
        // Terms complete at attachment: summer 2011, autumn 2011, spring 2012 (20% unauthorised).
        b.Attendance("C1", "2011-04-01", 200, 40).Attendance("C1", "2011-09-01", 200, 40).Attendance("C1", "2012-01-01", 200, 40)
         .Attendance("C1", "2012-04-01", 200, 4).Attendance("C1", "2012-09-01", 200, 4).Attendance("C1", "2013-01-01", 200, 4).Attendance("C1", "2013-04-01", 200, 4)
         .Event("C1", EventType.Offence, "2012-01-10", outcome: "proven", dataset: "police")
         .Event("A", EventType.BenefitSpell, "2011-01-01", end: employed ? "2013-02-14" : null, category: "out_of_work", code: "JSA", dataset: "dwp");
        // 5 ASB incidents in the 6 months before attachment (2011-12-01..2012-05-31).
        foreach (var d in new[] { "2011-12-05", "2012-01-05", "2012-02-05", "2012-03-05", "2012-04-05" })
        {
            b.Event("A", EventType.Asb, d, category: "incident", dataset: "asb");
        }

        // ASB in the last 6 months before 2013-08-15 (2013-02-16..2013-08-15).
        for (var i = 0; i < asbSinceAttachment; i++)
        {
            b.Event("A", EventType.Asb, $"2013-0{3 + i}-01", category: "incident", dataset: "asb");
        }

        if (employed)
        {
            b.Event("A", EventType.EmploymentSpell, employedFrom ?? "2013-02-15", category: "employed", dataset: "employment");
        }

        return b;
    }

    // D3: ASB down by 60% against baseline. 5 -> 2 is exactly 60% (met); 5 -> 3 is 40% (not met).
    // D2: the child's one offence before attachment, none since: 100% reduction.
    [Theory]
    [InlineData(1, Truth.True)]  // 80%: above
    [InlineData(2, Truth.True)]  // 60%: at
    [InlineData(3, Truth.False)] // 40%: below
    public void D2_D3_D4_CrimeAsbEducationResult_ReductionBoundary(int asbNow, Truth achieved)
    {
        var report = _engine.Measure(Frameworks.Tf1, Phase1Family(asbNow).Build(), D("2013-08-15"));
        Assert.Equal("met", report.Baseline!.Eligible);
        Assert.Equal(Truth.True, report.Measure("education_result").Holds); // D1: 12/600 = 2% unauthorised
        Assert.Equal(Truth.True, report.Measure("youth_offending_result").Holds);
        Assert.Equal(achieved, report.Measure("asb_result").Holds);
        Assert.Equal(achieved, report.Result("crime_asb_education").Achieved);
    }

    [Fact]
    public void C2_C3_CrimeResultFor2012Family_PaysTotalLessAttachmentFee()
    {
        // £3,900 total including attachment − £3,200 attachment fee (2012/13) = £700.
        var report = _engine.Measure(Frameworks.Tf1, Phase1Family(2).Build(), D("2013-08-15"));
        Assert.Equal(Money.FromPounds(700), report.Result("crime_asb_education").Payment);
        Assert.Equal(Money.FromPounds(3200), Frameworks.Tf1.AttachmentFeeFor(D("2012-06-01")));
        Assert.Equal(Money.FromPounds(3200), Frameworks.Tf1.AttachmentFeeFor(D("2013-03-31")));
        Assert.Equal(Money.FromPounds(2400), Frameworks.Tf1.AttachmentFeeFor(D("2013-04-01")));
        Assert.Equal(Money.FromPounds(1600), Frameworks.Tf1.AttachmentFeeFor(D("2015-03-31")));
    }

    // D5: continuous employment after JSA needs 26 weeks = 182 days. From 2013-02-15 to 2013-08-15 inclusive is
    // 14 + 31 + 30 + 31 + 30 + 31 + 15 = 182 days (met); from 2013-02-16 it is 181 (not met).
    [Theory]
    [InlineData("2013-02-15", Truth.True)]
    [InlineData("2013-02-16", Truth.False)]
    public void D5_ContinuousEmploymentAfterJsa_26WeekBoundary(string from, Truth achieved)
    {
        var report = _engine.Measure(Frameworks.Tf1, Phase1Family(3, employed: true, employedFrom: from).Build(), D("2013-08-15"));
        Assert.Equal(achieved, report.Result("continuous_employment").Achieved);
    }

    [Fact]
    public void D1_ChildWhoLeftTheHousehold_IsNotMeasured()
    {
        // A second child, C2, with 50% unauthorised absence left the household on 2013-01-31: D1 measures each
        // child in the household on the measurement date, so C2 no longer blocks the education result.
        var b = Phase1Family(2).Child("C2", "2003-01-01", to: "2013-01-31");
        b.Attendance("C2", "2012-09-01", 200, 100).Attendance("C2", "2013-01-01", 200, 100).Attendance("C2", "2013-04-01", 200, 100);
        var report = _engine.Measure(Frameworks.Tf1, b.Build(), D("2013-08-15"));
        var education = report.Measure("education_result");
        Assert.Equal(Truth.True, education.Holds);
        Assert.DoesNotContain(education.Members, m => m.PersonId == "C2");

        // Still a member: the same child fails the test.
        var stays = Phase1Family(2).Child("C2", "2003-01-01");
        stays.Attendance("C2", "2012-09-01", 200, 100).Attendance("C2", "2013-01-01", 200, 100).Attendance("C2", "2013-04-01", 200, 100);
        Assert.Equal(Truth.False, _engine.Measure(Frameworks.Tf1, stays.Build(), D("2013-08-15")).Measure("education_result").Holds);
    }

    [Fact]
    public void B1_AsbLimbParameterOff_AsbEnforcementNotCounted()
    {
        // The ASB limb is an L rule, so it is a parameter a council can switch off.
        var b = new FamilyBuilder().Adult("A");
        b.Event("A", EventType.Asb, "2013-03-01", category: "injunction");
        Assert.Equal(Truth.True, _engine.Identify(Frameworks.Tf1, b.Build(), D("2013-08-15")).Need("asb_enforcement").Raised);
        var text = new StreamReader(typeof(Framework).Assembly.GetManifestResourceStream(
            typeof(Framework).Assembly.GetManifestResourceNames().Single(n => n.EndsWith("troubled-families-2012.yaml", StringComparison.Ordinal)))!).ReadToEnd();
        var off = FrameworkLoader.Load(text.Replace("asb_limb: { value: true,", "asb_limb: { value: false,", StringComparison.Ordinal), "local.yaml");
        Assert.Equal(Truth.False, _engine.Identify(off, b.Build(), D("2013-08-15")).Need("asb_enforcement").Raised);
    }

    [Fact]
    public void Explain_ReadTwice_SameTextAndEvidenceFromTheDecision()
    {
        var data = ChildWithAttendance(30, 30).Build();
        var id = _engine.Identify(Frameworks.Tf1, data, D("2013-08-15"));
        _engine.Measure(Frameworks.Tf1, data, D("2014-01-01")); // other evaluations in between do not disturb it
        var first = id.Explain();
        Assert.Equal(first, id.Explain());
        var test = id.Need("unauthorised_absence").Members.Single().Evidence.Single(e => e.Kind == EvidenceKind.Test);
        Assert.Equal("15%", test.Value);        // 90 of 600 sessions
        Assert.Equal(">=", test.Comparison);
        Assert.Equal("15%", test.Threshold);
    }

    [Fact]
    public void B7_FundedFamilies_FiveOfSixRoundedDown()
    {
        // 1,720 × 5/6 = 1,433.33 → 1,433 (domain research §1.3 compares the Tri-borough figure of 1,441).
        Assert.Equal(1433, Frameworks.Tf1.FundedFamilies(1720));
        Assert.Equal(5, Frameworks.Tf1.FundedFamilies(6));
    }
}
