using Hearth.Core.Finance;
using Hearth.Core.Finance.Contracts;
using Hearth.Core.Finance.UnitCosts;

namespace Hearth.Core.Tests.Finance;

public sealed class IrrTests
{
    [Fact]
    public void Periodic_Minus100Then110_IsTenPercent()
    {
        // -100 + 110/(1+r) = 0  =>  r = 10%.
        var irr = Irr.Periodic([Money.FromPounds(-100), Money.FromPounds(110)]);
        Assert.Equal(IrrStatus.Solved, irr.Status);
        Assert.Equal(0.10, irr.Rate, 9);
    }

    [Fact]
    public void Periodic_TextbookThreePeriod_IsTwentyPercent()
    {
        // -1000, +600, +720: at r = 20%, 600/1.2 + 720/1.44 = 500 + 500 = 1000, so NPV = 0.
        var irr = Irr.Periodic([Money.FromPounds(-1000), Money.FromPounds(600), Money.FromPounds(720)]);
        Assert.Equal(0.20, irr.Rate, 9);
    }

    [Fact]
    public void Periodic_LevelAnnuity_MatchesHandValue()
    {
        // -10,000 then 5 × 2,637.97: the annuity factor at 10% for 5 years is 3.790787, and 10,000/3.790787 = 2,637.97.
        var flows = new List<Money> { Money.FromPounds(-10_000) };
        flows.AddRange(Enumerable.Repeat(Money.FromPounds(2_637.97m), 5));
        Assert.Equal(0.10, Irr.Periodic(flows).Rate, 5);
    }

    [Fact]
    public void Dated_OneYear365Days_IsTenPercent()
    {
        // 2025-01-01 to 2026-01-01 is 365 days = 1.0 year (actual/365): -100, +110 => 10%.
        var irr = Irr.Dated([new(new DateOnly(2025, 1, 1), Money.FromPounds(-100)), new(new DateOnly(2026, 1, 1), Money.FromPounds(110))]);
        Assert.Equal(0.10, irr.Rate, 9);
    }

    [Fact]
    public void Dated_TwoYearsCompound_IsTenPercent()
    {
        // 730 days = 2 years: -100 then +121 = 100 × 1.1² => 10%.
        var irr = Irr.Dated([new(new DateOnly(2025, 1, 1), Money.FromPounds(-100)), new(new DateOnly(2027, 1, 1), Money.FromPounds(121))]);
        Assert.Equal(0.10, irr.Rate, 9);
    }

    [Fact]
    public void Periodic_Loss_IsNegative()
    {
        // -100 then +50: 50/(1+r) = 100 => r = -50%.
        Assert.Equal(-0.5, Irr.Periodic([Money.FromPounds(-100), Money.FromPounds(50)]).Rate, 9);
    }

    [Fact]
    public void Periodic_NoSignChange_SaysSo()
    {
        var irr = Irr.Periodic([Money.FromPounds(-100), Money.FromPounds(-10)]);
        Assert.Equal(IrrStatus.NoSignChange, irr.Status);
        Assert.Contains("never change sign", irr.Explain(), StringComparison.Ordinal);
    }

    [Fact]
    public void Periodic_TwoSignChanges_FlagsMultipleRoots()
    {
        // -100, +230, -132 = -(1+r)^-0 ... roots at r = 10% and r = 20%: -100(1+r)^2 + 230(1+r) - 132 = 0
        // => (1+r) = 1.1 or 1.2. The scan outward from 0 finds 10% first.
        var irr = Irr.Periodic([Money.FromPounds(-100), Money.FromPounds(230), Money.FromPounds(-132)]);
        Assert.True(irr.MultipleSignChanges);
        Assert.Equal(0.10, irr.Rate, 7);
    }
}

public sealed class ContractEngineTests
{
    private static readonly UnitCostDatabase Ucd = UnitCostDatabase.UcdV14();
    private static readonly GdpDeflator Deflator = GdpDeflator.UcdV14();

    internal static string Example(string name)
    {
        var dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "Hearth.slnx")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return Path.Combine(dir ?? throw new InvalidOperationException("repository root not found"), "docs", "examples", name);
    }

    private static RateCardEntry Card(string id, long pounds, long? capPounds = null) =>
        new(id, id, Money.FromPounds(pounds), capPounds is { } c ? Money.FromPounds(c) : null);

    [Fact]
    public void Run_OverallCap_PaysMinOfDueAndRemainingCap()
    {
        // Cap £1,000. t1: 6 × £100 = £600 paid. t2: 6 × £100 = £600 due, cap − paid = £400 paid. t3: £100 due, £0 paid.
        var contract = new OutcomeContract
        {
            Name = "cap",
            Kind = ContractKind.PaymentByResults,
            OutcomeCap = Money.FromPounds(1_000),
            RateCard = [Card("m", 100)],
            Outcomes =
            [
                new(new DateOnly(2025, 1, 1), "m", 6, "t1"),
                new(new DateOnly(2025, 2, 1), "m", 6, "t2"),
                new(new DateOnly(2025, 3, 1), "m", 1, "t3"),
            ],
        };
        var result = ContractEngine.Run(contract);
        Assert.Equal([Money.FromPounds(600), Money.FromPounds(400), Money.Zero], result.Rows.Select(r => r.Paid));
        Assert.Equal(Money.FromPounds(1_300), result.TotalDue);
        Assert.Equal(Money.FromPounds(1_000), result.TotalPaid);
        Assert.Equal(2, result.CapsHit.Count);
    }

    [Fact]
    public void Run_MetricCap_LimitsThatMetricOnly()
    {
        // a: 10 × £50 = £500 but cap £300 -> £300; b: 2 × £100 = £200. Payment £500.
        var contract = new OutcomeContract
        {
            Name = "metric cap",
            Kind = ContractKind.PaymentByResults,
            RateCard = [Card("a", 50, 300), Card("b", 100)],
            Outcomes = [new(new DateOnly(2025, 1, 1), "a", 10, "t1"), new(new DateOnly(2025, 1, 1), "b", 2, "t1")],
        };
        var result = ContractEngine.Run(contract);
        Assert.Equal(Money.FromPounds(500), result.TotalPaid);
        Assert.Single(result.CapsHit);
    }

    [Fact]
    public void Run_ReturnCap_LimitsDistributionsToCapitalCompoundedAtCap()
    {
        // Draw £1,000 on 2025-01-01; £2,000 outcome payment on 2026-01-01 (365 days). Return cap 10%:
        // limit = 1,000 × 1.10 = £1,100 distributed; £900 above the cap; IRR = 10%.
        var contract = new OutcomeContract
        {
            Name = "return cap",
            Kind = ContractKind.SocialImpactBond,
            Start = new DateOnly(2025, 1, 1),
            CommittedCapital = Money.FromPounds(1_000),
            InvestorReturnCap = 0.10m,
            RateCard = [Card("m", 2_000)],
            Drawdowns = [new(new DateOnly(2025, 1, 1), Money.FromPounds(1_000))],
            Outcomes = [new(new DateOnly(2026, 1, 1), "m", 1, "y1")],
        };
        var result = ContractEngine.Run(contract);
        Assert.Equal(Money.FromPounds(1_100), result.TotalDistributed);
        Assert.Equal(Money.FromPounds(900), result.AboveReturnCap);
        Assert.Equal(0.10, result.DatedIrr!.Rate, 6);
        Assert.Equal(1.1m, result.MultipleOfCommitted);
    }

    [Fact]
    public void Run_MultipleVsCommittedAndDrawn_Differ()
    {
        // Committed £1,000, drawn £800, distributed £1,200: 1.2× committed, 1.5× drawn.
        var contract = new OutcomeContract
        {
            Name = "multiple",
            Kind = ContractKind.SocialImpactBond,
            Start = new DateOnly(2025, 1, 1),
            CommittedCapital = Money.FromPounds(1_000),
            RateCard = [Card("m", 1_200)],
            Drawdowns = [new(new DateOnly(2025, 1, 1), Money.FromPounds(800))],
            Outcomes = [new(new DateOnly(2026, 1, 1), "m", 1, "y1")],
        };
        var result = ContractEngine.Run(contract);
        Assert.Equal(1.2m, result.MultipleOfCommitted);
        Assert.Equal(1.5m, result.MultipleOfDrawn);
        // Periodic: year 0 = -800, year 1 = +1,200 => 50%.
        Assert.Equal(0.5, result.PeriodicIrr!.Rate, 9);
    }

    [Theory]
    [InlineData(101, ShareRounding.Down, 50)]
    [InlineData(101, ShareRounding.Nearest, 51)]
    [InlineData(80_000, ShareRounding.Down, 26_664)]
    public void PassThrough_Split_RoundsAsStatedAndSumsExactly(long pence, ShareRounding rounding, long expectedProvider)
    {
        // 101p × 0.5 = 50.5p -> 50p down / 51p nearest. £800 × 0.3333 = 26,664p exactly.
        var share = pence == 101 ? 0.5m : 0.3333m;
        var (provider, retained) = new PassThrough("p", share, rounding).Split(new Money(pence));
        Assert.Equal(expectedProvider, provider.Pence);
        Assert.Equal(pence, (provider + retained).Pence);
    }

    [Fact]
    public void CohortRule_PeterboroughCohort1_NotPaidAtCohortEnd()
    {
        // (155 − 142) ÷ 155 = 8.39% < 10%: no payment for cohort 1 at its own end.
        var rule = new CohortThresholdRule("r", 0.10m, 0.075m, new DateOnly(2017, 7, 27),
            [new CohortMeasurement("1", 1000, 155, 142, new DateOnly(2014, 8, 7))]);
        var (outcomes, decisions, final) = rule.Apply();
        Assert.False(decisions[0].PaidAtCohortEnd);
        Assert.Equal(0.0839m, decimal.Round(decisions[0].Reduction, 4));
        // Alone, 8.39% ≥ 7.5% overall, so the final measurement pays (155 − 142) × 1000 ÷ 100 = 130 events.
        Assert.Equal(130m, Assert.Single(outcomes).Count);
        Assert.Contains("≥ 7.5%", final, StringComparison.Ordinal);
    }

    [Fact]
    public void CohortRule_CohortAboveTenPercent_PaidAtItsEnd()
    {
        // (100 − 88) ÷ 100 = 12% ≥ 10%: 12 × 500 ÷ 100 = 60 events paid on the cohort's date.
        var rule = new CohortThresholdRule("r", 0.10m, 0.075m, new DateOnly(2020, 1, 1),
            [new CohortMeasurement("A", 500, 100, 88, new DateOnly(2018, 1, 1))]);
        var (outcomes, _, _) = rule.Apply();
        Assert.Equal(new ValidatedOutcomes(new DateOnly(2018, 1, 1), "r", 60m, "cohort A", outcomes[0].Evidence), outcomes[0]);
    }

    [Fact]
    public void CohortRule_OverallBelowThreshold_PaysNothing()
    {
        // (100 − 95) ÷ 100 = 5% < 7.5%.
        var (outcomes, _, final) = new CohortThresholdRule("r", 0.10m, 0.075m, new DateOnly(2020, 1, 1),
            [new CohortMeasurement("A", 500, 100, 95, new DateOnly(2018, 1, 1))]).Apply();
        Assert.Empty(outcomes);
        Assert.Contains("nothing more", final, StringComparison.Ordinal);
    }

    [Fact]
    public void CareDaysRule_SavedDays_AreControlTimesChildDaysLessCareDays()
    {
        // 0.55 × 30,000 − 3,600 = 12,900 days saved; a period above the control saves nothing.
        var (outcomes, notes) = new CareDaysRule("d", 0.55m, 0.27m,
        [
            new CareDaysPeriod(new DateOnly(2014, 3, 31), "y1", 30_000, 3_600),
            new CareDaysPeriod(new DateOnly(2015, 3, 31), "y2", 10_000, 6_000),
        ]).Apply();
        Assert.Equal(12_900m, Assert.Single(outcomes).Count);
        Assert.Equal(2, notes.Count);
    }

    [Fact]
    public void EssexExample_CapOf7Point1Million_BindsInYear5()
    {
        // Price: SS1.0 £52,675.64 (2015/16) ÷ 365 × 0.42 = £60.6132 -> £60.61 a care day saved.
        // Saved days: 12,900; 30,800; 35,200; 35,600; 26,700; 11,150 (0.55 × child days − care days).
        // Cumulative due: 781,869; 2,648,657; 4,782,129; 6,939,845; then 26,700 × 60.61 = 1,618,287 due but only
        // 7,100,000 − 6,939,845 = £160,155 paid; 2018/19 due 675,801.50 -> £675,801.50, paid £0.
        var (contract, _) = ContractFile.Load(ContractEngineTests.Example("essex-edge-of-care-sib.yaml"), Ucd, Deflator);
        Assert.Equal(new Money(6_061), contract.RateCard[0].PricePerUnit);
        var result = ContractEngine.Run(contract);
        var payments = result.Rows.Where(r => r.Kind == "outcome payment").ToList();
        Assert.Equal(6, payments.Count);
        Assert.Equal(Money.FromPounds(781_869), payments[0].Paid);
        Assert.Equal(Money.FromPounds(6_939_845), payments[3].CumulativePaid);
        Assert.Equal(Money.FromPounds(1_618_287), payments[4].Due);
        Assert.Equal(Money.FromPounds(160_155), payments[4].Paid);
        Assert.Equal(Money.Zero, payments[5].Paid);
        Assert.Equal(Money.FromPounds(7_100_000), result.TotalPaid);
        Assert.Equal(2, result.CapsHit.Count);
        // Investors receive 0.6331 of each payment, rounded per payment: ≈ 1.45 × £3.1m committed.
        Assert.Equal(1.45m, decimal.Round(result.MultipleOfCommitted!.Value, 2));
        Assert.Equal(Money.FromPounds(2_600_000), result.TotalDrawn);
    }

    [Fact]
    public void PeterboroughExample_PaysAllEventsAtFinalMeasurement()
    {
        // Cohort 1: 8.39% < 10%; cohort 2: (155 − 140.1) ÷ 155 = 9.61% < 10%; together 27.9 ÷ 310 = 9.0% ≥ 7.5%,
        // so on 2017-07-27: (130 + 149) events × £21,300 = £5,942,700.
        var (contract, cohorts) = ContractFile.Load(ContractEngineTests.Example("peterborough-sib.yaml"), Ucd, Deflator);
        Assert.All(cohorts, c => Assert.False(c.PaidAtCohortEnd));
        var result = ContractEngine.Run(contract);
        var payment = Assert.Single(result.Rows, r => r.Kind == "outcome payment");
        Assert.Equal(new DateOnly(2017, 7, 27), payment.Date);
        Assert.Equal(Money.FromPounds(5_942_700), payment.Paid);
        Assert.True(result.DatedIrr!.IsSolved);
        Assert.InRange(result.DatedIrr.Rate, 0.0, 0.13);
    }

    [Fact]
    public void PbrExample_PassThroughAddsUp()
    {
        // Claims 37 + 41 + 29 = 107 × £800 = £85,600; provider 0.3333 rounded down per payment:
        // 29,600 × 0.3333 = 9,865.68; 32,800 × 0.3333 = 10,932.24; 23,200 × 0.3333 = 7,732.56 => £28,530.48.
        var (contract, _) = ContractFile.Load(ContractEngineTests.Example("pbr-pass-through.yaml"), Ucd, Deflator);
        var result = ContractEngine.Run(contract);
        Assert.Equal(Money.FromPounds(85_600), result.TotalPaid);
        Assert.Equal(Money.FromPounds(28_530.48m), result.TotalToProvider);
        Assert.Null(result.DatedIrr);
    }

    [Fact]
    public void Load_UnknownKey_NamesFileLineAndField()
    {
        var yaml = "contract:\n  name: x\n  kind: pbr\n  start: 2025-01-01\n  cap: 5\nrate_card:\n  - { metric: m, price: 1 }\n";
        var error = Assert.Throws<FinanceInputException>(() => ContractFile.Load(new StringReader(yaml), "bad.yaml", Ucd, Deflator));
        Assert.Equal(5, error.Line);
        Assert.Equal("cap", error.Field);
        Assert.StartsWith("bad.yaml, line 5", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void IndigoExport_WritesFieldNamedFiles()
    {
        var (contract, _) = ContractFile.Load(ContractEngineTests.Example("essex-edge-of-care-sib.yaml"), Ucd, Deflator);
        var dir = Path.Combine(Path.GetTempPath(), "hearth-indigo-" + Guid.NewGuid().ToString("N"));
        try
        {
            var files = IndigoExport.Write(ContractEngine.Run(contract), dir);
            Assert.Equal(6, files.Count);
            var pricing = File.ReadAllLines(Path.Combine(dir, "indigo-outcome-pricings.csv"));
            Assert.Equal("outcome_metric_id,currency,price_per_unit,maximum_price_if_all_targets_achieved,price_description", pricing[0]);
            Assert.StartsWith("care-days-saved,GBP,60.61,", pricing[1], StringComparison.Ordinal);
            Assert.Contains(File.ReadAllLines(Path.Combine(dir, "indigo-project.csv")), l => l == "overall_project_finance/total_outcome_payments_made/amount,7100000.00");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Apportion_CappedPayment_SplitsInProportionAndSumsExactly()
    {
        // £100.00 over dues of 1p, 1p, 1p: 10,000 ÷ 3 = 3,333.33 each; the extra penny goes to the first line.
        var shares = ContractEngine.Apportion(new Money(10_000), [new Money(1), new Money(1), new Money(1)]);
        Assert.Equal([3_334L, 3_333L, 3_333L], shares.Select(m => m.Pence));
    }

    [Theory]
    [InlineData("kind: pbr", "kind: loan", "kind")]
    [InlineData("price: 800", "price_from_unit_cost: { code: NOPE, share: 0.5 }", "code")]
    [InlineData("count: 41", "count: -4", "count")]
    [InlineData("start: 2022-10-01", "start: 01/10/2022", "start")]
    public void Load_BadContractField_NamesIt(string from, string to, string field)
    {
        var text = File.ReadAllText(Example("pbr-pass-through.yaml"));
        Assert.Contains(from, text, StringComparison.Ordinal);
        var error = Assert.Throws<FinanceInputException>(() => ContractFile.Load(new StringReader(text.Replace(from, to, StringComparison.Ordinal)), "c.yaml", Ucd, Deflator));
        Assert.Equal(field, error.Field);
        Assert.True(error.Line > 0);
    }
}
