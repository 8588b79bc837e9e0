namespace Hearth.Core.Tests.Common;

public sealed class MoneyTests
{
    [Fact]
    public void FromPounds_DecimalHalfPenny_RoundsAwayFromZero()
    {
        Assert.Equal(1235, Money.FromPounds(12.345m).Pence);
        Assert.Equal(-1235, Money.FromPounds(-12.345m).Pence);
    }

    [Fact]
    public void Add_Overflow_Throws() =>
        Assert.Throws<OverflowException>(() => new Money(long.MaxValue) + new Money(1));

    [Fact]
    public void MultiplyBy_Rate_RoundsToPenny()
    {
        // £800 x 0.35 = £280.00 exactly; £9.99 x 0.5 = 499.5p -> 500p.
        Assert.Equal(28_000, Money.FromPounds(800).MultiplyBy(0.35m).Pence);
        Assert.Equal(500, new Money(999).MultiplyBy(0.5m).Pence);
    }

    [Theory]
    [InlineData(400_000, "£4,000.00")]
    [InlineData(-1_250, "-£12.50")]
    [InlineData(5, "£0.05")]
    public void ToString_ShowsPoundsAndPence(long pence, string text) => Assert.Equal(text, new Money(pence).ToString());
}

public sealed class DatePeriodTests
{
    [Fact]
    public void Days_CountsBothEnds() =>
        Assert.Equal(365, DatePeriod.FinancialYearOf(new DateOnly(2022, 6, 1)).Days);

    [Fact]
    public void FinancialYearOf_March_IsPreviousAprilStart()
    {
        var year = DatePeriod.FinancialYearOf(new DateOnly(2024, 3, 31));
        Assert.Equal(new DateOnly(2023, 4, 1), year.Start);
        Assert.Equal(new DateOnly(2024, 3, 31), year.End);
    }

    [Fact]
    public void MonthsEndingOn_SixMonths_StartsDayAfterSixMonthsBefore()
    {
        var p = DatePeriod.MonthsEndingOn(new DateOnly(2024, 6, 30), 6);
        Assert.Equal(new DateOnly(2023, 12, 31), p.Start);
        Assert.True(p.Contains(new DateOnly(2024, 6, 30)));
        Assert.False(p.Contains(new DateOnly(2023, 12, 30)));
    }

    [Fact]
    public void Construction_EndBeforeStart_Throws() =>
        Assert.Throws<ArgumentException>(() => new DatePeriod(new DateOnly(2024, 2, 1), new DateOnly(2024, 1, 31)));

    [Fact]
    public void Intersect_Disjoint_IsNull() =>
        Assert.Null(new DatePeriod(new DateOnly(2024, 1, 1), new DateOnly(2024, 1, 31))
            .Intersect(new DatePeriod(new DateOnly(2024, 2, 1), new DateOnly(2024, 2, 28))));
}
