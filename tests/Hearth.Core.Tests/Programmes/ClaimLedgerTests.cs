using Hearth.Core.Programmes;
using Microsoft.Extensions.Time.Testing;
using static Hearth.Core.Tests.Programmes.FamilyBuilder;

namespace Hearth.Core.Tests.Programmes;

public sealed class ClaimLedgerTests
{
    private static readonly ClaimActor Officer = new("officer-1", ClaimRole.Officer);
    private static readonly ClaimActor Senior = new("senior-1", ClaimRole.SeniorOfficer);
    private static readonly ClaimActor Auditor = new("audit-1", ClaimRole.InternalAuditor);
    private static readonly ClaimWindow Window = new("tf2-2016-17", "troubled-families-2015", new DatePeriod(D("2016-04-01"), D("2017-03-31")), AllocationFamilies: 2);

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2017, 1, 6, 9, 0, 0, TimeSpan.Zero));
    private readonly ClaimLedger _ledger;

    public ClaimLedgerTests() => _ledger = new ClaimLedger(new ProgrammeEngine(), _clock);

    private static FamilyBuilder Family(string id) =>
        new FamilyBuilder(id) { Attached = D("2016-01-04") }.Adult("A-" + id).Child("C-" + id, "2012-02-02")
            .Event("A-" + id, EventType.Offence, "2015-10-01", outcome: "proven", dataset: "police")
            .Event("A-" + id, EventType.DomesticAbuse, "2015-12-01", category: "victim", dataset: "police-da");

    private Claim DraftFor(string familyId)
    {
        var assessment = _ledger.Assess(Frameworks.Tf2, Family(familyId).Build(), D("2017-01-05"));
        var (claim, broken) = _ledger.Draft(assessment, "results_payment", Window, Officer);
        Assert.Empty(broken);
        return claim!;
    }

    [Fact]
    public void Draft_SameFamilySameResultTwice_RefusedAsDoublePayment()
    {
        DraftFor("F1");
        var again = _ledger.Assess(Frameworks.Tf2, Family("F1").Build(), D("2017-01-05"));
        var (claim, broken) = _ledger.Draft(again, "results_payment", Window, Officer);
        Assert.Null(claim);
        Assert.Contains(broken, b => b.Rule == "NoDoubleClaim");
    }

    [Fact]
    public void Draft_AfterEarlierClaimRejected_Allowed()
    {
        var first = DraftFor("F1");
        Assert.Empty(_ledger.MarkReady(first, Officer));
        Assert.Empty(_ledger.Reject(first, Auditor, "evidence of school attendance not on file"));
        var (claim, broken) = _ledger.Draft(_ledger.Assess(Frameworks.Tf2, Family("F1").Build(), D("2017-01-05")), "results_payment", Window, Officer);
        Assert.Empty(broken);
        Assert.NotNull(claim);
    }

    [Fact]
    public void FrozenEvidence_SourceCorrectedLater_ClaimUnchanged()
    {
        var claim = DraftFor("F1");
        var frozen = claim.EvidenceJson;
        Assert.Contains("\"start\": \"2015-12-01\"", frozen, StringComparison.Ordinal);
        Assert.Contains(Frameworks.Tf2.ContentHash, frozen, StringComparison.Ordinal);

        // The police correct the domestic abuse record: it happened on 2016-10-01, inside the last 6 months.
        var corrected = Family("F1");
        var da = corrected.Events.Single(e => e.Type == EventType.DomesticAbuse);
        corrected.Events.Remove(da);
        corrected.Add(da with { Start = D("2016-10-01") });
        var now = _ledger.Assess(Frameworks.Tf2, corrected.Build(), D("2017-01-05"));
        Assert.Equal(Truth.False, now.Results.Single().Finding.Achieved);

        // What the claimant saw is still exactly what was frozen.
        Assert.Equal(frozen, claim.EvidenceJson);
        Assert.Equal(frozen, claim.Evidence.ToJson());
        Assert.Equal(frozen, FrozenClaimEvidence.FromJson(frozen).ToJson());
        Assert.Equal("met", FrozenClaimEvidence.FromJson(frozen).ResultOutcome);
    }

    [Fact]
    public void StatusMachine_FullPath_RecordsEveryTransition()
    {
        var claim = DraftFor("F1");
        Assert.Empty(_ledger.MarkReady(claim, Officer));
        Assert.Empty(_ledger.SignOff(claim, Auditor));
        Assert.Empty(_ledger.Submit(claim, Senior));
        Assert.Empty(_ledger.MarkPaid(claim, Senior));
        Assert.Empty(_ledger.ClawBack(claim, Senior, "spot check found the family had moved before closure"));
        Assert.Equal(ClaimStatus.ClawedBack, claim.Status);
        Assert.Equal(
            [ClaimStatus.Ready, ClaimStatus.SignedOff, ClaimStatus.Submitted, ClaimStatus.Paid, ClaimStatus.ClawedBack],
            claim.History.Select(h => h.To));
    }

    [Fact]
    public void StatusMachine_SkippingAudit_RefusedByNamedRule()
    {
        var claim = DraftFor("F1");
        _ledger.MarkReady(claim, Officer);
        var broken = _ledger.Submit(claim, Senior);
        Assert.Equal("TransitionAllowed", Assert.Single(broken).Rule);
        Assert.Equal(ClaimStatus.Ready, claim.Status);
    }

    [Fact]
    public void SignOff_ByNonAuditorOrPreparer_Refused()
    {
        var claim = DraftFor("F1");
        _ledger.MarkReady(claim, Officer);
        Assert.Contains(_ledger.SignOff(claim, Senior), b => b.Rule == "RoleMayAct");
        var auditorWhoPrepared = new ClaimActor(Officer.Id, ClaimRole.InternalAuditor);
        Assert.Contains(_ledger.SignOff(claim, auditorWhoPrepared), b => b.Rule == "AuditorIndependent");
        Assert.Equal(ClaimStatus.Ready, claim.Status);
    }

    [Fact]
    public void Reject_WithoutReason_Refused()
    {
        var claim = DraftFor("F1");
        _ledger.MarkReady(claim, Officer);
        Assert.Contains(_ledger.Reject(claim, Auditor, " "), b => b.Rule == "ReasonGiven");
    }

    [Fact]
    public void Submit_BeyondAllocation_Refused()
    {
        // Allocation 2 families: the third submission is refused.
        var claims = new List<string> { "F1", "F2", "F3" }.Select(DraftFor).ToList();
        foreach (var c in claims)
        {
            _ledger.MarkReady(c, Officer);
            _ledger.SignOff(c, Auditor);
        }

        Assert.Empty(_ledger.Submit(claims[0], Senior));
        Assert.Empty(_ledger.Submit(claims[1], Senior));
        Assert.Contains(_ledger.Submit(claims[2], Senior), b => b.Rule == "AllocationCap");
    }

    [Fact]
    public void Submit_AfterWindowCloses_Refused()
    {
        var claim = DraftFor("F1");
        _ledger.MarkReady(claim, Officer);
        _ledger.SignOff(claim, Auditor);
        _clock.SetUtcNow(new DateTimeOffset(2017, 4, 1, 9, 0, 0, TimeSpan.Zero));
        Assert.Contains(_ledger.Submit(claim, Senior), b => b.Rule == "WithinClaimWindow");
    }

    [Fact]
    public void Discretionary_F6_NeedsSeniorOfficerRationaleAndIsAlwaysSampled()
    {
        // One problem still present: the rules alone do not pay.
        var b = Family("F9").Event("A-F9", EventType.DomesticAbuse, "2016-10-01", category: "victim");
        var assessment = _ledger.Assess(Frameworks.Tf2, b.Build(), D("2017-01-05"));
        Assert.Contains(_ledger.Draft(assessment, "results_payment", Window, Officer).Broken, r => r.Rule == "ResultAchieved");

        var noReason = _ledger.Draft(assessment, "results_payment", Window, Senior, new DiscretionaryApproval(Senior.Id, "ok"));
        Assert.Contains(noReason.Broken, r => r.Rule == "RationaleRecorded");

        var officerTries = _ledger.Draft(assessment, "results_payment", Window, Officer, new DiscretionaryApproval(Officer.Id, "Equivalent progress evidenced by the refuge's report."));
        Assert.Contains(officerTries.Broken, r => r.Rule == "SeniorOfficerApproves");

        var (claim, broken) = _ledger.Draft(assessment, "results_payment", Window, Senior, new DiscretionaryApproval(Senior.Id, "Equivalent progress evidenced by the refuge's report."));
        Assert.Empty(broken);
        var sample = AuditSampler.Sample(_ledger.Claims, seed: 7, randomRate: 0m, new HashSet<string>());
        Assert.Equal(claim!.Id, Assert.Single(sample).Claim.Id);
    }

    [Fact]
    public void Discretionary_FrameworkWithoutDiscretion_Refused()
    {
        var sfWindow = new ClaimWindow("sf-2024-25", "supporting-families-2022", new DatePeriod(D("2024-04-01"), D("2025-03-31")), 10);
        var b = new FamilyBuilder { Attached = D("2023-01-10"), Closed = D("2023-09-30") }.Adult("A").Child("C", "2020-01-01");
        var assessment = _ledger.Assess(Frameworks.Sf, b.Build(), D("2024-04-15"));
        var (_, broken) = _ledger.Draft(assessment, "successful_family_outcome", sfWindow, Senior, new DiscretionaryApproval(Senior.Id, "A long enough rationale for the test."));
        Assert.Contains(broken, r => r.Rule == "DiscretionAllowed");
    }

    [Fact]
    public void C4_FamilyCap_LimitsLaterResults()
    {
        // Phase 1, attached 2012/13 (fee £3,200): crime/ASB/education £700 + progress to work £100 reach the
        // £4,000 cap, so continuous employment (£800 before the cap) has nothing left to pay.
        var tf1Window = new ClaimWindow("tf1-2013", "troubled-families-2012", new DatePeriod(D("2013-04-01"), D("2014-03-31")), 10);
        var b = new FamilyBuilder { Attached = D("2012-06-01") }.Adult("A").Child("C1", "2002-03-01");
        b.Attendance("C1", "2011-04-01", 200, 40).Attendance("C1", "2011-09-01", 200, 40).Attendance("C1", "2012-01-01", 200, 40)
         .Attendance("C1", "2012-09-01", 200, 4).Attendance("C1", "2013-01-01", 200, 4).Attendance("C1", "2013-04-01", 200, 4)
         .Event("C1", EventType.Offence, "2012-01-10", outcome: "proven")
         .Event("A", EventType.BenefitSpell, "2011-01-01", "2013-01-31", category: "out_of_work", code: "ESA")
         .Event("A", EventType.EmploymentSpell, "2013-02-01", category: "employed")
         .Event("A", EventType.EarlyHelp, "2012-09-01", category: "work_programme");
        var data = b.Build();
        var asOf = D("2013-08-15");
        Assert.Equal(Money.FromPounds(700), Draft(data, asOf, "crime_asb_education", tf1Window).Amount);
        var ptw = _ledger.Assess(Frameworks.Tf1, data, D("2013-02-20"));
        var (ptwClaim, ptwBroken) = _ledger.Draft(ptw, "progress_to_work", tf1Window with { Period = new DatePeriod(D("2013-01-01"), D("2014-03-31")) }, Officer);
        Assert.Empty(ptwBroken);
        Assert.Equal(Money.FromPounds(100), ptwClaim!.Amount);

        var late = _ledger.Assess(Frameworks.Tf1, data, asOf);
        var ce = late.Results.Single(r => r.Finding.Result.Id == "continuous_employment");
        Assert.Equal(Truth.True, ce.Finding.Achieved);
        Assert.Equal(Money.Zero, ce.Payment);
        Assert.Contains(_ledger.Draft(late, "continuous_employment", tf1Window, Officer).Broken, r => r.Rule == "FamilyCap");
    }

    private Claim Draft(ProgrammeFamilyData data, DateOnly asOf, string result, ClaimWindow window)
    {
        var (claim, broken) = _ledger.Draft(_ledger.Assess(Frameworks.Tf1, data, asOf), result, window, Officer);
        Assert.Empty(broken);
        return claim!;
    }

    [Fact]
    public void Sampling_SameSeed_SameSampleWhateverTheOrder()
    {
        var ids = Enumerable.Range(1, 40).Select(i => "F" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var ledger = new ClaimLedger(new ProgrammeEngine(), _clock);
        var window = Window with { AllocationFamilies = 100 };
        foreach (var id in ids)
        {
            ledger.Draft(ledger.Assess(Frameworks.Tf2, Family(id).Build(), D("2017-01-05")), "results_payment", window, Officer);
        }

        var a = AuditSampler.Sample(ledger.Claims, 42, 0.25m, new HashSet<string>()).Select(s => s.Claim.Id).ToList();
        var b = AuditSampler.Sample(ledger.Claims.Reverse(), 42, 0.25m, new HashSet<string>()).Select(s => s.Claim.Id).ToList();
        var c = AuditSampler.Sample(ledger.Claims, 43, 0.25m, new HashSet<string>()).Select(s => s.Claim.Id).ToList();
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.InRange(a.Count, 3, 20); // 25% of 40 = 10 expected
    }

    [Fact]
    public void Sampling_RiskFlag_SampledWithReason()
    {
        // Claimed 367 days after attachment: not short; every claim carries no flag, so a flagged rule samples none.
        DraftFor("F1");
        Assert.Empty(AuditSampler.Sample(_ledger.Claims, 1, 0m, new HashSet<string> { "short_intervention" }));

        var quick = new FamilyBuilder("Q") { Attached = D("2016-09-01") }.Adult("AQ").Child("CQ", "2012-02-02")
            .Event("AQ", EventType.Offence, "2016-03-01", outcome: "proven")
            .Event("AQ", EventType.DomesticAbuse, "2016-04-01", category: "victim");
        var (claim, broken) = _ledger.Draft(_ledger.Assess(Frameworks.Tf2, quick.Build(), D("2017-01-05")), "results_payment", Window, Officer);
        Assert.Empty(broken);
        Assert.Contains("short_intervention", claim!.RiskFlags);
        var sample = Assert.Single(AuditSampler.Sample(_ledger.Claims, 1, 0m, new HashSet<string> { "short_intervention" }));
        Assert.Equal(["risk: short_intervention"], sample.Reasons);
    }

    [Fact]
    public void ClaimPack_CsvAndHtml_CarryEvidenceAndSources()
    {
        var claim = DraftFor("F1");
        var sample = AuditSampler.Sample(_ledger.Claims, 1, 1m, new HashSet<string>());
        using var csv = new StringWriter();
        ClaimPack.WriteCsv(csv, _ledger.Claims, sample);
        var lines = csv.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("claim_id,family_id,framework", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.Contains("need domestic_abuse", StringComparison.Ordinal) && l.Contains("80000", StringComparison.Ordinal));
        using var html = new StringWriter();
        ClaimPack.WriteHtml(html, "batch <1>", _ledger.Claims, sample);
        Assert.Contains("batch &lt;1&gt;", html.ToString(), StringComparison.Ordinal);
        Assert.Contains(claim.Id, html.ToString(), StringComparison.Ordinal);
        Assert.Contains("police#1", html.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void NationalReturn_CountsOnly_NoPersonalData()
    {
        var claims = new List<string> { "F1", "F2" }.Select(DraftFor).ToList();
        foreach (var c in claims)
        {
            _ledger.MarkReady(c, Officer);
            _ledger.SignOff(c, Auditor);
            _ledger.Submit(c, Senior);
        }

        _ledger.MarkPaid(claims[0], Senior);
        var ret = NationalReturn.Build(Window, Frameworks.Tf2, familiesAttached: 57, _ledger.Claims);
        var line = Assert.Single(ret.Lines);
        Assert.Equal((2, 2, 1, 80_000L), (line.Claimed, line.Submitted, line.Paid, line.PaidPence));
        Assert.Equal(2, ret.FamiliesWithSuccessfulOutcome);
        var csv = ret.ToCsv();
        Assert.DoesNotContain("F1", csv, StringComparison.Ordinal);
        Assert.DoesNotContain("A-F1", csv, StringComparison.Ordinal);
    }
}
