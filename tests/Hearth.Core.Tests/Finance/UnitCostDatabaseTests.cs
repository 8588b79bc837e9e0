using Hearth.Core.Finance;
using Hearth.Core.Finance.UnitCosts;

namespace Hearth.Core.Tests.Finance;

public sealed class UnitCostDatabaseTests
{
    private static readonly UnitCostDatabase Ucd = UnitCostDatabase.UcdV14();
    private static readonly GdpDeflator Deflator = GdpDeflator.UcdV14();
    private static readonly PriceYear Y1516 = PriceYear.Parse("2015/16");

    [Fact]
    public void UcdV14_Loads_All683RowsWithEditionAndLicence()
    {
        Assert.Equal(683, Ucd.Costs.Count);
        Assert.Contains("CC BY 4.0", Ucd.Editions[0], StringComparison.Ordinal);
        Assert.All(Ucd.Costs, c => Assert.Equal(UnitCostDatabase.UcdEdition, c.Edition));
    }

    [Fact]
    public void Find_CR10_ReadsEveryColumn()
    {
        // CSV row: CR1.0, ASB further action, Per incident, Police / Local authority, £500 (2002/03) -> £673.23, R.
        var cost = Ucd.Find("CR1.0")!;
        Assert.Equal("Per incident", cost.Unit);
        Assert.Equal("Police", cost.AgencyL1);
        Assert.Equal("Local authority", cost.AgencyL2);
        Assert.Equal(Money.FromPounds(500), cost.Fiscal!.Amount);
        Assert.Equal(PriceYear.Parse("2002/03"), cost.Fiscal.PriceYear);
        Assert.Equal(Money.FromPounds(673.23m), cost.Fiscal.SourceUprated);
        Assert.Equal("R", cost.Rag);
        Assert.Null(cost.Economic);
    }

    [Fact]
    public void Uprate_EveryWorkbookPair_ReproducesThe201516ValueWithinAPenny()
    {
        // For every value with both a price-year figure and the workbook's 2015/16 figure, v x I(2015/16)/I(y)
        // rounded to the penny must equal the workbook's figure within 1p (10 of 778 differ by exactly 1p: their
        // displayed price-year values were typed rounded from longer decimals, e.g. E&S6.0 640.83).
        var checkedPairs = 0;
        var exact = 0;
        foreach (var cost in Ucd.Costs)
        {
            foreach (var value in new[] { cost.Fiscal, cost.Economic, cost.Social })
            {
                if (value?.SourceUprated is not { } expected)
                {
                    continue;
                }

                var actual = Deflator.Uprate(value.Amount, value.PriceYear, Y1516);
                var diff = Math.Abs((actual - expected).Pence);
                Assert.True(diff <= 1, $"{cost.Code}: {value.Amount} at {value.PriceYear} uprates to {actual}, workbook {expected}");
                checkedPairs++;
                exact += diff == 0 ? 1 : 0;
            }
        }

        Assert.Equal(778, checkedPairs);
        Assert.True(exact >= 760, $"only {exact} exact");
    }

    [Fact]
    public void Uprate_SS10ChildInCare_MatchesWorkbook()
    {
        // SS1.0 £51,080 (2013/14) -> workbook £52,675.64 at 2015/16; 51,080 x 195.970/190.0337266 = 52,675.64.
        var ss1 = Ucd.Find("SS1.0")!.Fiscal!;
        Assert.Equal(Money.FromPounds(52_675.64m), Deflator.Uprate(ss1.Amount, ss1.PriceYear, Y1516));
    }

    [Theory]
    [InlineData("2002/03", "145.544")]
    [InlineData("2008/09", "170.650")]
    [InlineData("2010/11", "179.907")]
    [InlineData("2012/13", "186.083")]
    [InlineData("2013/14", "190.033")]
    [InlineData("2014/15", "193.264")]
    public void Derive_FromWorkbookPairs_MatchesLookupsSheetCutToThreeDecimals(string year, string lookups)
    {
        // The Lookups sheet shows the index cut to 3 dp (1989/90 = 100): the derived index, truncated, must equal it.
        var derived = DeflatorDerivation.Derive(Ucd.Costs, Y1516, 195.970m).Single(d => d.Year == PriceYear.Parse(year));
        Assert.Equal(decimal.Parse(lookups, System.Globalization.CultureInfo.InvariantCulture), decimal.Truncate(derived.Index * 1000m) / 1000m);
    }

    [Fact]
    public void ShippedSeries_EqualsTheDerivation()
    {
        var derived = DeflatorDerivation.Derive(Ucd.Costs, Y1516, 195.970m);
        Assert.Equal(14, derived.Count);
        foreach (var d in derived)
        {
            Assert.Equal(d.Index, Deflator.Index[d.Year]);
            Assert.True(d.RatioLow <= d.RatioHigh);
        }

        Assert.Equal(195.970m, Deflator.Index[Y1516]);
    }

    [Fact]
    public void FiscalSplit_JobseekerIntoWork_IsDwpTransferPlusNhs()
    {
        // E&E1.0 fiscal £9,800 (2012/13) = E&E1.0.1 DWP benefit saving £9,234 (transfer) + E&E1.0.2 NHS £566.
        var jsa = Ucd.Find("E&E1.0")!;
        var split = Ucd.FiscalSplit(jsa);
        Assert.Equal(2, split.Count);
        var dwp = split.Single(c => c.AgencyL1 == "DWP");
        var nhs = split.Single(c => c.AgencyL1 == "NHS");
        Assert.Equal(Money.FromPounds(9_234), dwp.Fiscal!.Amount);
        Assert.True(dwp.IsTransferPayment);
        Assert.Equal(Money.FromPounds(566), nhs.Fiscal!.Amount);
        Assert.False(nhs.IsTransferPayment);
        // Public value = non-transfer fiscal + economic = 566 + 14,044 = £14,610 (2012/13 prices).
        Assert.Equal(Money.FromPounds(14_610), nhs.Fiscal.Amount + jsa.Economic!.Amount);
    }

    [Fact]
    public void FiscalSplit_CostWithoutConstituents_IsItself()
    {
        var cost = Ucd.Find("CR1.1")!;
        Assert.Same(cost, Assert.Single(Ucd.FiscalSplit(cost)));
    }

    [Fact]
    public void Search_WordsAndAgency_Filters()
    {
        var hits = Ucd.Search("foster care", "Local");
        Assert.Contains(hits, c => c.Code == "SS2.0");
        Assert.All(hits, c => Assert.Contains("foster", c.Description, StringComparison.OrdinalIgnoreCase));
        Assert.Empty(Ucd.Search("foster care", "DWP"));
    }

    [Fact]
    public void WithFile_LaterYear_UpratesBeyond201516()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "price_year,index\n2016/17,200.000\n");
            var extended = Deflator.WithFile(path);
            // £1,000 at 2015/16 -> x 200/195.97 = £1,020.5644 -> £1,020.56.
            Assert.Equal(Money.FromPounds(1_020.56m), extended.Uprate(Money.FromPounds(1_000), Y1516, PriceYear.Parse("2016/17")));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void WithFile_DifferentBase_IsRejectedWithLineAndReason()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "price_year,index\n2015/16,100.0\n");
            var error = Assert.Throws<FinanceInputException>(() => Deflator.WithFile(path));
            Assert.Contains("different base", error.Message, StringComparison.Ordinal);
            File.WriteAllText(path, "price_year,index\n2016/17,abc\n");
            error = Assert.Throws<FinanceInputException>(() => Deflator.WithFile(path));
            Assert.Equal(2, error.Line);
            Assert.Equal("index", error.Field);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Uprate_YearOutsideSeries_SaysWhatIsCovered()
    {
        var error = Assert.Throws<KeyNotFoundException>(() => Deflator.Uprate(Money.FromPounds(1), Y1516, PriceYear.Parse("2020/21")));
        Assert.Contains("2000/01 to 2015/16", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WithLocalCosts_ReadsSourceAndDate_RejectsBadRows()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path,
                "code,description,unit,agency_l1,agency_l2,fiscal_value,fiscal_year,economic_value,economic_year,transfer,source,source_date\n" +
                "LOCAL-MST-1,\"MST session, local rate\",Per session,Local Authority,Children's services,130.50,2014/15,,,no,Children's services finance,2026-03-31\n");
            var db = Ucd.WithLocalCosts(path);
            var local = db.Find("LOCAL-MST-1")!;
            Assert.Equal(684, db.Costs.Count);
            Assert.Equal("MST session, local rate", local.Description);
            Assert.Equal(new Money(13_050), local.Fiscal!.Amount);
            Assert.Equal(new DateOnly(2026, 3, 31), local.SourceDate);
            Assert.Equal("Children's services finance", local.Source);

            File.WriteAllText(path,
                "code,description,unit,agency_l1,fiscal_value,fiscal_year,source,source_date\n" +
                "L1,ok,Each,LA,10,2014/15,team,2026-01-01\n" +
                "L2,bad,Each,LA,10,2014/15,team,31/01/2026\n");
            var error = Assert.Throws<FinanceInputException>(() => Ucd.WithLocalCosts(path));
            Assert.Equal(3, error.Line);
            Assert.Equal("source_date", error.Field);

            File.WriteAllText(path,
                "code,description,unit,agency_l1,fiscal_value,fiscal_year,source,source_date\n" +
                "SS1.0,clash,Each,LA,10,2014/15,team,2026-01-01\n");
            Assert.Contains("already a code", Assert.Throws<FinanceInputException>(() => Ucd.WithLocalCosts(path)).Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("2015/16", 2015)]
    [InlineData("1999-00", 1999)]
    public void PriceYear_Parse_Valid(string text, int start) => Assert.Equal(start, PriceYear.Parse(text).StartYear);

    [Theory]
    [InlineData("2015/17")]
    [InlineData("2015")]
    [InlineData("15/16")]
    public void PriceYear_Parse_Invalid_Throws(string text) => Assert.Throws<FormatException>(() => PriceYear.Parse(text));
}
