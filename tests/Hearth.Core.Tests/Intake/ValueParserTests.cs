using Hearth.Core.Intake;

namespace Hearth.Core.Tests.Intake;

public sealed class ValueParserTests
{
    private static readonly string[] ThreeFormats = ["dd/MM/yyyy", "yyyy-MM-dd", "d-MMM-yyyy"];

    [Theory]
    [InlineData("03/04/2021", 2021, 4, 3)]
    [InlineData("2021-04-03", 2021, 4, 3)]
    [InlineData("3-Apr-2021", 2021, 4, 3)]
    [InlineData(" 29/02/2020 ", 2020, 2, 29)]
    public void TryParseDate_AnyOfTheFormats_Reads(string text, int year, int month, int day)
    {
        Assert.True(ValueParser.TryParseDate(text, ThreeFormats, out var date, out var reason));
        Assert.Equal(new DateOnly(year, month, day), date);
        Assert.Null(reason);
    }

    [Theory]
    [InlineData("31/02/2020", "is not a real date: day 31 does not exist in February 2020 (it has 29 days)")]
    [InlineData("29/02/2021", "is not a real date: day 29 does not exist in February 2021 (it has 28 days)")]
    [InlineData("2021-04-31", "is not a real date: day 31 does not exist in April 2021 (it has 30 days)")]
    [InlineData("03/13/2021", "has month 13, but months run from 1 to 12")]
    [InlineData("April 3rd", "is not a date in the expected format (dd/MM/yyyy or yyyy-MM-dd or d-MMM-yyyy)")]
    public void TryParseDate_ImpossibleOrUnreadable_SaysWhy(string text, string expected)
    {
        Assert.False(ValueParser.TryParseDate(text, ThreeFormats, out _, out var reason));
        Assert.Equal(expected, reason);
    }

    [Fact]
    public void TryParseDate_FormatWithTime_KeepsTheDay()
    {
        Assert.True(ValueParser.TryParseDate("03-Apr-2021 23:59", ["dd-MMM-yyyy HH:mm"], out var date, out _));
        Assert.Equal(new DateOnly(2021, 4, 3), date);
    }

    [Theory]
    [InlineData("£1,234.56", 123456L)]
    [InlineData("74.7", 7470L)]
    [InlineData("300", 30000L)]
    [InlineData("-12.50", -1250L)]
    [InlineData("(12.00)", -1200L)]
    [InlineData("0.01", 1L)]
    public void TryParseMoney_Pounds_GivesWholePence(string text, long pence)
    {
        Assert.True(ValueParser.TryParseMoney(text, out var value, out _));
        Assert.Equal(pence, value);
    }

    [Theory]
    [InlineData("12.345", "has more than two decimal places (expected pounds and pence)")]
    [InlineData("twelve", "is not an amount of money (expected pounds such as 1234.56 or £1,234.56)")]
    public void TryParseMoney_Bad_SaysWhy(string text, string expected)
    {
        Assert.False(ValueParser.TryParseMoney(text, out _, out var reason));
        Assert.Equal(expected, reason);
    }

    [Theory]
    [InlineData("1,200", true, 1200)]
    [InlineData("-3", true, -3)]
    [InlineData("2.5", false, 0)]
    public void TryParseInt_ReadsWholeNumbersOnly(string text, bool ok, int expected)
    {
        Assert.Equal(ok, ValueParser.TryParseInt(text, out var value, out _));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("SMITH, Jo Ann", "Jo", "Ann", "SMITH")]
    [InlineData("Jo Smith", "Jo", null, "Smith")]
    [InlineData("Jane Van Dyke", "Jane", null, "Van Dyke")]
    [InlineData("Smith", null, null, "Smith")]
    [InlineData("OKAFOR-BROWN, Ada", "Ada", null, "OKAFOR-BROWN")]
    public void SplitName_CommaMeansFamilyFirstOtherwiseFirstWordIsGiven(string name, string? given, string? other, string? family)
    {
        Assert.Equal((given, other, family), ValueParser.SplitName(name));
    }
}
