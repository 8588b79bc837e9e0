using Hearth.Core.Finance;
using Hearth.Core.Finance.Cba;
using Hearth.Core.Finance.UnitCosts;

namespace Hearth.Core.Tests.Finance;

public sealed class CbaTests
{
    private static readonly UnitCostDatabase Ucd = UnitCostDatabase.UcdV14();
    private static readonly GdpDeflator Deflator = GdpDeflator.UcdV14();
    private static readonly PriceYear Y1516 = PriceYear.Parse("2015/16");

    // Test-only grades: these numbers exercise the arithmetic and are not HM Treasury's percentages.
    private static readonly Dictionary<string, OptimismBiasGrade> TestGrades = new(StringComparer.Ordinal)
    {
        ["A"] = new("A", 0.10m, 0.20m, "test"),
        ["Z"] = new("Z", 0m, 0m, "test: no correction"),
    };

    private static CbaInput SmallInput() => new()
    {
        Name = "hand check",
        PriceYear = Y1516,
        FirstYear = Y1516,
        HorizonYears = 3,
        OptimismBiasSource = "test",
        OptimismBias = TestGrades,
        DefaultCashability = 0.5m,
        AgencyCashability = new Dictionary<string, decimal>(StringComparer.Ordinal) { ["DWP"] = 1m },
        Costs =
        [
            new CostLine("c0", "Local Authority", CostType.Revenue, 0, Money.FromPounds(10_000), Y1516, "A", string.Empty),
            new CostLine("c1", "Local Authority", CostType.Revenue, 1, Money.FromPounds(10_000), PriceYear.Parse("2013/14"), "A", string.Empty),
        ],
        Outcomes =
        [
            new OutcomeLine
            {
                Id = "jobs", UnitCode = "E&E1.0", Values = [ValueKind.Fiscal, ValueKind.Economic],
                Need = 100, Engagement = 0.5m, Impact = 0.4m, Deadweight = 0.25m, Attribution = 1m,
                Lag = 1, Duration = 2, DropOff = 0.5m, Grade = "A",
            },
        ],
    };

    [Fact]
    public void DiscountFactors_GreenBook_MatchHandValues()
    {
        // DF(1) = 1/1.035 = 0.9661835749; DF(30) = 1/1.035^30 = 0.3562784106; DF(31) = DF(30)/1.03 = 0.3459013695.
        var df = CbaEngine.DiscountFactors(CbaInput.GreenBook, 32);
        Assert.Equal(1m, df[0]);
        Assert.Equal(0.9661835749m, decimal.Round(df[1], 10));
        Assert.Equal(0.3562784106m, decimal.Round(df[30], 10));
        Assert.Equal(0.3459013695m, decimal.Round(df[31], 10));
    }

    [Fact]
    public void DiscountFactors_BeyondSchedule_Throws() =>
        Assert.Throws<ArgumentException>(() => CbaEngine.DiscountFactors(CbaInput.GreenBook, 77));

    [Fact]
    public void Profile_NeedEngagementImpactDeadweightBiasLagDropOff()
    {
        // 100 × 0.5 × 0.4 × (1 − 0.25) × 1 = 15; × (1 − 0.20) = 12 in year 0 + lag 1 = year 1; year 2: 12 × (1 − 0.5) = 6.
        var profile = CbaEngine.Profile(SmallInput(), SmallInput().Outcomes[0]);
        Assert.Equal(15m, profile.BeforeBias);
        Assert.Equal([0m, 12m, 6m], profile.CountByYear);
    }

    [Fact]
    public void Run_SmallInput_EveryFigureMatchesHandCalculation()
    {
        // Costs: year 0 £10,000 × 1.10 optimism = £11,000 (DF 1). Year 1 £10,000 (2013/14) × 195.97/190.0337266
        // = £10,312.38; × 1.10 = £11,343.62; × DF 1/1.035 = £10,960.02. PV costs = £21,960.02.
        // Unit values at 2015/16 (workbook): DWP £9,724.61 (transfer), NHS £596.07, economic £14,790.17.
        // Year 1 (12 jobs, DF 0.966183575): DWP 116,695.32 -> PV 112,749.10; NHS 7,152.84 -> PV 6,910.96, cashable
        // ×0.5 = 3,576.42 -> PV 3,455.48; economic 177,482.04 -> PV 171,480.23.
        // Year 2 (6 jobs, DF 0.933510700): DWP 58,347.66 -> PV 54,468.16; NHS 3,576.42 -> PV 3,338.63, cashable
        // 1,788.21 -> PV 1,669.31; economic 88,741.02 -> PV 82,840.69.
        var result = CbaEngine.Run(SmallInput(), Ucd, Deflator);
        Assert.Equal(Money.FromPounds(21_960.02m), result.CostsPv);
        Assert.Equal(Money.FromPounds(11_343.62m), result.Costs.Single(c => c.Year == 1).Adjusted);
        var dwp1 = result.Benefits.Single(b => b.Year == 1 && b.Agency == "DWP");
        Assert.Equal(Money.FromPounds(9_724.61m), dwp1.UnitValue);
        Assert.True(dwp1.Transfer);
        Assert.False(dwp1.CountsInPublicValue);
        Assert.Equal(Money.FromPounds(116_695.32m), dwp1.Amount);
        Assert.Equal(Money.FromPounds(112_749.10m), dwp1.PresentValue);

        // Fiscal PV = 112,749.10 + 6,910.96 + 54,468.16 + 3,338.63 = £177,466.85.
        Assert.Equal(Money.FromPounds(177_466.85m), result.FiscalPv);
        // Cashable PV = 112,749.10 + 3,455.48 + 54,468.16 + 1,669.31 = £172,342.05.
        Assert.Equal(Money.FromPounds(172_342.05m), result.CashablePv);
        // Transfer PV = 112,749.10 + 54,468.16 = £167,217.26.
        Assert.Equal(Money.FromPounds(167_217.26m), result.TransferPv);
        // Public value PV = NHS 6,910.96 + 3,338.63 + economic 171,480.23 + 82,840.69 = £264,570.51 (transfers excluded).
        Assert.Equal(Money.FromPounds(264_570.51m), result.PublicValuePv);
        // NPBI = 172,342.05 − 21,960.02 = £150,382.03; NPPV = 264,570.51 − 21,960.02 = £242,610.49.
        Assert.Equal(Money.FromPounds(150_382.03m), result.NetPresentBudgetImpact);
        Assert.Equal(Money.FromPounds(242_610.49m), result.NetPresentPublicValue);
        // ROI ratio = 172,342.05 / 21,960.02 = 7.8480; BCR = 264,570.51 / 21,960.02 = 12.0478.
        Assert.Equal(7.8480m, decimal.Round(result.FinancialRoiRatio!.Value, 4));
        Assert.Equal(6.8480m, decimal.Round(result.FinancialRoiPercent!.Value, 4));
        Assert.Equal(12.0478m, decimal.Round(result.BenefitCostRatio!.Value, 4));
        // Discounted payback: year 0 costs 11,000 vs benefits 0; year 1 cumulative costs 21,960.02 vs cashable
        // 112,749.10 + 3,455.48 = 116,204.58 => payback in year 1.
        Assert.Equal(1, result.PaybackYear);
    }

    [Fact]
    public void Run_JobseekerIntoWork_PublicValueExcludesTheDwpTransfer()
    {
        // One JSA claimant into work for one year at 2012/13 prices, no bias, no discounting in year 0:
        // fiscal £9,800 = DWP £9,234 (transfer) + NHS £566; public value = £566 + £14,044 economic = £14,610.
        var y1213 = PriceYear.Parse("2012/13");
        var input = SmallInput() with
        {
            PriceYear = y1213,
            FirstYear = y1213,
            HorizonYears = 1,
            Costs = [new CostLine("c", "Local Authority", CostType.Revenue, 0, Money.FromPounds(1_000), y1213, "Z", string.Empty)],
            Outcomes = [new OutcomeLine { Id = "job", UnitCode = "E&E1.0", Values = [ValueKind.Fiscal, ValueKind.Economic], Need = 1, Impact = 1, Grade = "Z" }],
        };
        var result = CbaEngine.Run(input, Ucd, Deflator);
        Assert.Equal(Money.FromPounds(9_800), result.FiscalPv);
        Assert.Equal(Money.FromPounds(9_234), result.TransferPv);
        Assert.Equal(Money.FromPounds(14_610), result.PublicValuePv);
        Assert.Equal(Money.FromPounds(9_234), result.WhoBenefits.Single(a => a.Agency == "DWP").FiscalPv);
        Assert.Equal(Money.FromPounds(566), result.WhoBenefits.Single(a => a.Agency == "NHS").FiscalPv);
    }

    [Fact]
    public void Run_RoiNotPositive_PaybackNotReported()
    {
        var input = SmallInput() with { Costs = [new CostLine("big", "Local Authority", CostType.Capital, 0, Money.FromPounds(10_000_000), Y1516, "Z", string.Empty)] };
        var result = CbaEngine.Run(input, Ucd, Deflator);
        Assert.Null(result.PaybackYear);
        Assert.Contains("not reported", result.PaybackNote, StringComparison.Ordinal);
        Assert.True(result.NetPresentBudgetImpact.Pence < 0);
    }

    [Fact]
    public void Run_UndiscountedPayback_UsesNominalFigures()
    {
        var result = CbaEngine.Run(SmallInput() with { Payback = PaybackBasis.Undiscounted }, Ucd, Deflator);
        // Year 1 undiscounted: costs 11,000 + 11,343.62 = 22,343.62; cashable 116,695.32 + 3,576.42 = 120,271.74.
        Assert.Equal(Money.FromPounds(22_343.62m), result.Years[1].CumulativeCosts);
        Assert.Equal(Money.FromPounds(120_271.74m), result.Years[1].CumulativeCashable);
        Assert.Equal(1, result.PaybackYear);
    }

    [Fact]
    public void ExampleFile_WhoBenefitsSumsEqualTotals()
    {
        var input = CbaFile.Load(ContractEngineTests.Example("cba-family-intervention.yaml"), Ucd, Deflator);
        var result = CbaEngine.Run(input, Ucd, Deflator);
        Assert.Equal(result.CostsPv.Pence, result.WhoBenefits.Sum(a => a.CostsPv.Pence));
        Assert.Equal(result.FiscalPv.Pence, result.WhoBenefits.Sum(a => a.FiscalPv.Pence));
        Assert.Equal(result.CashablePv.Pence, result.WhoBenefits.Sum(a => a.CashablePv.Pence));
        Assert.Equal(result.NetPresentBudgetImpact.Pence, result.WhoBenefits.Sum(a => a.NetCashablePv.Pence));
        // Year table totals equal the headline totals.
        Assert.Equal(result.CostsPv.Pence, result.Years.Sum(y => y.CostsPv.Pence));
        Assert.Equal(result.PublicValuePv.Pence, result.Years.Sum(y => y.PublicValuePv.Pence));
        // Public value = fiscal − transfers + economic + social.
        Assert.Equal(result.PublicValuePv, result.FiscalPv - result.TransferPv + result.EconomicPv + result.SocialPv);
        // "Local authority" (UCD CR1.0 L2 aside, SS1.0 L1) and "Local Authority" (cost lines) are one agency.
        Assert.Single(result.WhoBenefits, a => a.Agency.Equals("Local Authority", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Load_UnknownGrade_NamesLineAndSaysNoDefaults()
    {
        var yaml = File.ReadAllText(ContractEngineTests.Example("cba-family-intervention.yaml")).Replace("grade: \"4\"\n  - id: persistent", "grade: \"9\"\n  - id: persistent", StringComparison.Ordinal);
        var error = Assert.Throws<FinanceInputException>(() => CbaFile.Load(new StringReader(yaml), "x.yaml", Ucd, Deflator));
        Assert.Equal("grade", error.Field);
        Assert.Contains("ships no default", error.Message, StringComparison.Ordinal);
        Assert.Equal(80, error.Line); // the domestic-violence outcome's grade line in the example file
    }

    [Fact]
    public void Load_MissingOptimismBias_IsRejected()
    {
        var yaml = "analysis:\n  name: x\n  price_year: 2015/16\n  horizon_years: 3\ncashability:\n  default: 1\ncosts: []\noutcomes: []\n";
        var error = Assert.Throws<FinanceInputException>(() => CbaFile.Load(new StringReader(yaml), "x.yaml", Ucd, Deflator));
        Assert.Equal("optimism_bias", error.Field);
    }

    [Fact]
    public void Load_BrokenYaml_GivesLine()
    {
        var yaml = "analysis:\n  name: x\n   price_year: 2015/16\n";
        var error = Assert.Throws<FinanceInputException>(() => CbaFile.Load(new StringReader(yaml), "x.yaml", Ucd, Deflator));
        Assert.Equal(3, error.Line);
        Assert.Contains("not valid YAML", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("impact: 0.20", "impact: 1.5", "impact")]
    [InlineData("unit_cost: SS1.0", "unit_cost: NOPE", "unit_cost")]
    [InlineData("price_year: 2014/15", "price_year: 2030/31", "price_year")]
    [InlineData("type: capital", "type: loan", "type")]
    public void Load_BadField_NamesIt(string from, string to, string field)
    {
        var text = File.ReadAllText(ContractEngineTests.Example("cba-family-intervention.yaml"));
        var index = text.IndexOf(from, StringComparison.Ordinal);
        Assert.True(index >= 0, from);
        var yaml = string.Concat(text.AsSpan(0, index), to, text.AsSpan(index + from.Length));
        var error = Assert.Throws<FinanceInputException>(() => CbaFile.Load(new StringReader(yaml), "x.yaml", Ucd, Deflator));
        Assert.Equal(field, error.Field);
        Assert.True(error.Line > 0);
    }
}
