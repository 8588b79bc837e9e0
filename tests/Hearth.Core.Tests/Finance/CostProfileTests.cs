using Hearth.Core.Data;
using Hearth.Core.Finance;
using Hearth.Core.Finance.Profiles;
using Hearth.Core.Finance.UnitCosts;

namespace Hearth.Core.Tests.Finance;

public sealed class CostProfileTests
{
    private static readonly DateOnly AsOf = new(2024, 4, 10);

    // Every code is in 2013/14 prices and the file's price year is 2013/14, so unit values are the UCD figures
    // unchanged: SS1.0 £51,080 a year, SS2.0 £700 a week, HE3.0 £216 an incident, CR9.0 £38.43; TEST-TRUANCY
    // is a local cost of £1,500 a year.
    private const string Config = """
        price_year: 2013/14
        rules:
          - { id: looked-after, event_type: social_care, where: { episode_type: looked_after }, code: SS1.0, basis: per_spell_year, kind: reactive, need: safeguarding }
          - { id: foster, event_type: social_care, where: { episode_type: [foster, kinship] }, code: SS2.0, basis: per_week, kind: reactive, need: safeguarding }
          - { id: ambulance, event_type: health_contact, code: HE3.0, basis: per_event, kind: reactive, need: health }
          - { id: offence, event_type: offence, code: CR9.0, basis: per_event, kind: reactive, need: crime }
          - { id: youth, event_type: youth_justice, code: CR9.0, basis: per_event, kind: reactive, need: crime }
          - { id: truancy, event_type: school_attendance, where: { unauthorised_absence_rate: ">= 0.1" }, code: TEST-TRUANCY, basis: per_term, divide_by: 3, kind: reactive, need: education }
          - { id: early-help, event_type: early_help_referral, code: HE3.0, basis: per_day, kind: preventative, need: family_support }
        """;

    private static UnitCostDatabase Costs()
    {
        var ucd = UnitCostDatabase.UcdV14();
        var local = new UnitCost
        {
            Code = "TEST-TRUANCY",
            Edition = "test",
            Description = "persistent absence, a year",
            AgencyL1 = "Schools",
            Fiscal = new UnitCostValue(Money.FromPounds(1500), new PriceYear(2013), null, null),
        };
        return new UnitCostDatabase(ucd.Costs.Append(local), ucd.Editions);
    }

    private static CostProfileEngine Engine(string yaml = Config) =>
        new(CostProfileConfig.Load(new StringReader(yaml), "test.yaml", Costs(), GdpDeflator.UcdV14()));

    private static CostEvent Event(CostProfileEngine engine, long id, string type, string agency, DateOnly start, DateOnly? end, params (string Column, object Value)[] fields)
    {
        var values = new object?[engine.Columns.Count];
        foreach (var (column, value) in fields)
        {
            values[engine.Columns.ToList().IndexOf(column)] = value;
        }

        return new CostEvent(id, type, agency, start, end, values);
    }

    private static readonly Membership Always = new(null, null);

    [Fact]
    public void Profile_SpellAcrossYearEnd_SplitsByDaysInEachFinancialYear()
    {
        var engine = Engine();
        var lac = Event(engine, 1, EventTypes.SocialCare, "social_care", new(2023, 1, 1), new(2023, 6, 30), ("episode_type", "looked_after"));

        var profile = engine.Profile(7, "F0000007", [(lac, Always)], AsOf);

        // 2022/23: 1 Jan–31 Mar 2023 = 31 + 28 + 31 = 90 days; £51,080 × 90 ÷ 365 = £12,595.0685 → £12,595.07.
        // 2023/24: 1 Apr–30 Jun 2023 = 30 + 31 + 30 = 91 days; £51,080 × 91 ÷ 365 = £12,735.0137 → £12,735.01.
        Assert.Equal(2, profile.Lines.Count);
        Assert.Equal((new PriceYear(2022), 90, 90m / 365m, 1_259_507L), (profile.Lines[0].Year, profile.Lines[0].Days, profile.Lines[0].Units, profile.Lines[0].Amount.Pence));
        Assert.Equal((new PriceYear(2023), 91, 91m / 365m, 1_273_501L), (profile.Lines[1].Year, profile.Lines[1].Days, profile.Lines[1].Units, profile.Lines[1].Amount.Pence));
        Assert.Equal(Money.FromPounds(25_330.08m), profile.Total);
        Assert.Equal([1L], profile.Lines[0].EventIds);
        Assert.Equal("SS1.0", profile.Lines[0].Code);
        Assert.Equal(Money.FromPounds(51_080), profile.Lines[0].UnitValue);
    }

    [Fact]
    public void Profile_WithAttachmentDate_SplitsBeforeAndAfter()
    {
        var engine = Engine();
        var lac = Event(engine, 1, EventTypes.SocialCare, "social_care", new(2023, 1, 1), new(2023, 6, 30), ("episode_type", "looked_after"));

        var profile = engine.Profile(7, "F0000007", [(lac, Always)], AsOf, attachDate: new DateOnly(2023, 5, 1));

        // Before: 2022/23 90 days £12,595.07 + 1–30 Apr 2023 30 days £51,080 × 30 ÷ 365 = £4,198.356 → £4,198.36;
        // total before £16,793.43. After: 1 May–30 Jun 2023 = 61 days, £51,080 × 61 ÷ 365 = £8,536.657 → £8,536.66.
        Assert.Equal(Money.FromPounds(16_793.43m), profile.Before);
        Assert.Equal(Money.FromPounds(8_536.66m), profile.After);
        Assert.Equal(3, profile.Lines.Count);
        Assert.Equal(profile.Total, profile.Before + profile.After);
    }

    [Fact]
    public void Profile_PerEventPerWeekAndPerTerm_PriceEachEvent()
    {
        var engine = Engine();
        List<(CostEvent, Membership)> events =
        [
            (Event(engine, 1, EventTypes.HealthContact, "health", new(2023, 5, 1), null), Always),
            (Event(engine, 2, EventTypes.HealthContact, "health", new(2023, 6, 1), null), Always),
            (Event(engine, 3, EventTypes.HealthContact, "health", new(2023, 7, 1), null), Always),
            (Event(engine, 4, EventTypes.SocialCare, "social_care", new(2023, 9, 1), new(2023, 9, 10), ("episode_type", "foster")), Always),
            (Event(engine, 5, EventTypes.SchoolAttendance, "schools", new(2023, 9, 4), new(2023, 12, 20), ("sessions_possible", 100), ("sessions_unauthorised_absence", 12)), Always),
            (Event(engine, 6, EventTypes.SchoolAttendance, "schools", new(2024, 1, 4), new(2024, 3, 28), ("sessions_possible", 100), ("sessions_unauthorised_absence", 5)), Always),
        ];

        var profile = engine.Profile(7, "F0000007", events, AsOf);

        var byRule = profile.Lines.ToDictionary(l => l.RuleId);
        // 3 ambulance call-outs × £216 = £648.
        Assert.Equal((3, Money.FromPounds(648)), (byRule["ambulance"].Events, byRule["ambulance"].Amount));
        // Foster care 1–10 Sep = 10 days: £700 × 10 ÷ 7 = £1,000.
        Assert.Equal(Money.FromPounds(1000), byRule["foster"].Amount);
        // Term with 12 of 100 sessions unauthorised (12% ≥ 10%): £1,500 ÷ 3 = £500; the 5% term costs nothing.
        Assert.Equal((1, Money.FromPounds(500)), (byRule["truancy"].Events, byRule["truancy"].Amount));
        Assert.Equal(Money.FromPounds(2148), profile.Total);
    }

    [Fact]
    public void Profile_EventOutsideTheMembersStay_IsNotCounted()
    {
        var engine = Engine();
        var stay = new Membership(new DateOnly(2023, 6, 1), new DateOnly(2023, 12, 31));
        List<(CostEvent, Membership)> events =
        [
            (Event(engine, 1, EventTypes.HealthContact, "health", new(2023, 5, 31), null), stay),
            (Event(engine, 2, EventTypes.HealthContact, "health", new(2023, 6, 1), null), stay),
            (Event(engine, 3, EventTypes.HealthContact, "health", new(2024, 1, 1), null), stay),
            // Open early help from 30 Dec 2023: only 30–31 Dec fall in the stay: 2 days × £216 = £432.
            (Event(engine, 4, EventTypes.EarlyHelpReferral, "early_help", new(2023, 12, 30), null), stay),
        ];

        var profile = engine.Profile(7, "F0000007", events, AsOf);

        Assert.Equal(Money.FromPounds(216), profile.Reactive);
        Assert.Equal(Money.FromPounds(432), profile.Preventative);
    }

    [Fact]
    public void Profile_OpenSpell_RunsToAsOfAndOnlyTheYearAsked()
    {
        var engine = Engine();
        var lac = Event(engine, 1, EventTypes.SocialCare, "social_care", new(2024, 3, 1), null, ("episode_type", "looked_after"));

        var all = engine.Profile(7, "F", [(lac, Always)], AsOf);
        var only = engine.Profile(7, "F", [(lac, Always)], AsOf, year: new PriceYear(2024));

        // 1–31 Mar 2024 = 31 days in 2023/24 (£51,080 × 31 ÷ 365 = £4,338.30); 1–10 Apr 2024 = 10 days in 2024/25
        // (£51,080 × 10 ÷ 365 = £1,399.452 → £1,399.45).
        Assert.Equal(Money.FromPounds(4_338.30m + 1_399.45m), all.Total);
        Assert.Equal(Money.FromPounds(1_399.45m), Assert.Single(only.Lines).Amount);
    }

    [Fact]
    public void Profile_TwoAgenciesForOneNeedInAYear_IsDuplication()
    {
        var engine = Engine();
        List<(CostEvent, Membership)> events =
        [
            (Event(engine, 1, EventTypes.Offence, "police", new(2023, 7, 1), null), Always),
            (Event(engine, 2, EventTypes.YouthJustice, "youth_justice", new(2023, 8, 1), null), Always),
            (Event(engine, 3, EventTypes.Offence, "police", new(2022, 7, 1), null), Always),
        ];

        var profile = engine.Profile(7, "F", events, AsOf);

        var duplication = Assert.Single(profile.Duplications);
        Assert.Equal(new PriceYear(2023), duplication.Year);
        Assert.Equal("crime", duplication.Need);
        Assert.Equal(["police", "youth_justice"], duplication.Agencies);
        // Two events at £38.43 each = £76.86.
        Assert.Equal(Money.FromPounds(76.86m), duplication.Amount);
    }

    [Fact]
    public void Profile_SameEventThroughTwoStays_IsCountedOnce()
    {
        var engine = Engine();
        var e = Event(engine, 1, EventTypes.HealthContact, "health", new(2023, 5, 1), null);

        var profile = engine.Profile(7, "F", [(e, Always), (e, new Membership(new DateOnly(2023, 1, 1), null))], AsOf);

        Assert.Equal(Money.FromPounds(216), profile.Total);
    }

    [Fact]
    public void Cohort_TotalsMedianAndTop_AreFromTheFamilies()
    {
        var engine = Engine();
        var builder = new CohortBuilder(2, new PriceYear(2013));
        // Families with 0, 1, 2 and 3 ambulance call-outs: £0, £216, £432, £648.
        for (var n = 0; n < 4; n++)
        {
            var events = Enumerable.Range(0, n).Select(i => (Event(engine, (n * 10) + i, EventTypes.HealthContact, "health", new(2023, 5, 1 + i), null), Always)).ToList();
            builder.Add(engine.Profile(n, $"F{n}", events, AsOf));
        }

        var report = builder.Build();

        Assert.Equal((4, 3), (report.Families, report.FamiliesWithCost));
        Assert.Equal(Money.FromPounds(1296), report.Total);
        // Mean £1,296 ÷ 4 = £324; median (nearest rank, rank 2 of 0, 216, 432, 648) = £216; 90th = rank 4 = £648.
        Assert.Equal((Money.FromPounds(324), Money.FromPounds(216), Money.FromPounds(648)), (report.Mean, report.Median, report.Percentile90));
        Assert.Equal(["F3", "F2"], report.Top.Select(t => t.FamilyReference));
    }

    [Fact]
    public void DefaultConfig_LoadsAndUpratesToItsPriceYear()
    {
        var config = CostProfileConfig.Default(UnitCostDatabase.UcdV14(), GdpDeflator.UcdV14());

        Assert.Equal(new PriceYear(2015), config.PriceYear);
        // SS1.0 £51,080 (2013/14) uprated to 2015/16 is the workbook's £52,675.64.
        Assert.Equal(Money.FromPounds(52_675.64m), config.Rules.Single(r => r.Id == "looked-after").UnitValue);
    }

    [Theory]
    [InlineData("price_year: 2013/14\nrules:\n  - { id: a, event_type: burglary, code: HE3.0, basis: per_event, kind: reactive, need: x }\n", 3, "event_type", "'burglary' is not a Hearth event type")]
    [InlineData("price_year: 2013/14\nrules:\n  - { id: a, event_type: offence, code: HE3.0, basis: per_event, kind: reactive, need: x }\n  - { id: b, event_type: offence, code: NOPE9, basis: per_event, kind: reactive, need: x }\n", 4, "code", "no unit cost 'NOPE9'")]
    [InlineData("price_year: 2013/14\nrules:\n  - { id: a, event_type: offence, code: HE3.0, basis: per_fortnight, kind: reactive, need: x }\n", 3, "basis", "should be per_event, per_day")]
    [InlineData("price_year: 2013/14\nrules:\n  - { id: a, event_type: offence, code: HE3.0, basis: per_term, kind: reactive, need: x }\n", 3, "basis", "per_term applies only to school_attendance")]
    [InlineData("price_year: 2013/14\nrules:\n  - { id: a, event_type: offence, where: { colour: red }, code: HE3.0, basis: per_event, kind: reactive, need: x }\n", 3, "colour", "offence has no field 'colour'")]
    [InlineData("price_year: 2013/14\nrules:\n  - { id: a, event_type: offence, code: HE3.0, basis: per_event, kind: reactive, need: x }\n  - { id: a, event_type: offence, code: HE3.0, basis: per_event, kind: reactive, need: x }\n", 4, "id", "rule 'a' appears twice")]
    [InlineData("price_year: 2013/14\nrules:\n  - { id: a, event_type: offence, code: HE3.0, basis: per_event, kind: curative, need: x }\n", 3, "kind", "should be reactive or preventative")]
    [InlineData("price_year: 2013/14\nrules:\n  - { id: a, event_type: school_attendance, where: { sessions_possible: lots }, code: HE3.0, basis: per_event, kind: reactive, need: x }\n", 3, "sessions_possible", "should be a comparison")]
    [InlineData("price_year: 2013/14\nrules:\n  - { id: a, event_type: offence, code: HE3.0, basis: per_event, kind: reactive, need: x, colour: red }\n", 3, "colour", "unknown key")]
    [InlineData("price_year: 1989/90\nrules:\n  - { id: a, event_type: offence, code: HE3.0, basis: per_event, kind: reactive, need: x }\n", 1, "price_year", "no index for 1989/90")]
    public void Load_BadConfiguration_NamesLineFieldAndReason(string yaml, int line, string field, string reason)
    {
        var error = Assert.Throws<FinanceInputException>(() => CostProfileConfig.Load(new StringReader(yaml), "bad.yaml", Costs(), GdpDeflator.UcdV14()));

        Assert.Equal("bad.yaml", error.File);
        Assert.Equal(line, error.Line);
        Assert.Equal(field, error.Field);
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void AttachmentFile_BadDate_NamesLine()
    {
        var error = Assert.Throws<FinanceInputException>(() => AttachmentFile.Load(new StringReader("family,attach_date\nF1,2024-01-01\nF2,01/02/2024\n"), "a.csv"));

        Assert.Equal((3, "attach_date"), (error.Line, error.Field));
    }
}
