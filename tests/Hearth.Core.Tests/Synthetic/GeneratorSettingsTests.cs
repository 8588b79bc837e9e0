using Hearth.Core.Synthetic;

namespace Hearth.Core.Tests.Synthetic;

public sealed class GeneratorSettingsTests
{
    [Fact]
    public void Validate_Defaults_HaveNoProblems() => Assert.Empty(new GeneratorSettings().Validate());

    [Theory]
    [InlineData(0, "--households must be at least 1")]
    [InlineData(-5, "--households must be at least 1")]
    [InlineData(2_000_001, "--households can be at most")]
    public void Validate_BadHouseholdCount_SaysWhy(int households, string message) =>
        Assert.Contains(new GeneratorSettings { Households = households }.Validate(), p => p.Contains(message, StringComparison.Ordinal));

    [Fact]
    public void Validate_EndBeforeStart_SaysWhy() =>
        Assert.Contains(
            new GeneratorSettings { Start = new DateOnly(2022, 1, 1), End = new DateOnly(2021, 1, 1) }.Validate(),
            p => p.Contains("must be after --start", StringComparison.Ordinal));

    [Fact]
    public void Validate_PeriodTooShortForPreAndPostWindows_SaysWhy() =>
        Assert.Contains(
            new GeneratorSettings { Start = new DateOnly(2022, 1, 1), End = new DateOnly(2023, 12, 31) }.Validate(),
            p => p.Contains("at least 25 months", StringComparison.Ordinal));

    [Fact]
    public void Validate_RateAboveOne_NamesTheRate() =>
        Assert.Contains(
            new GeneratorSettings { Errors = new ErrorRates { Typo = 1.5 } }.Validate(),
            p => p.Contains("error rate typo", StringComparison.Ordinal));

    [Fact]
    public void ErrorRates_For_MultipliesByAgencyQualityAndCapsAtOne()
    {
        var rates = new ErrorRates();
        Assert.Equal(0.03, rates.For(Agencies.Police, 0.02), 10); // 0.02 × 1.5
        Assert.Equal(0.01, rates.For(Agencies.Schools, 0.02), 10); // 0.02 × 0.5
        Assert.Equal(1.0, rates.For(Agencies.Police, 0.9));        // 1.35 capped
    }

    [Fact]
    public void ReadErrors_YamlFile_OverridesNamedRatesAndKeepsOthers()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "typo: 0.1\nmissing_identifier: 0.2\nagency_quality:\n  police: 2.0\n");
            var rates = GeneratorSettingsFile.ReadErrors(path);
            Assert.Equal(0.1, rates.Typo);
            Assert.Equal(0.2, rates.MissingIdentifier);
            Assert.Equal(0.01, rates.Phonetic);
            Assert.Equal(2.0, rates.AgencyQuality["police"]);
            Assert.False(rates.AgencyQuality.ContainsKey("schools"), "a given agency_quality table replaces the defaults");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ReadErrors_UnknownKey_NamesTheFileAndLine()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "typo: 0.1\ntypos: 0.2\n");
            var e = Assert.Throws<InvalidDataException>(() => GeneratorSettingsFile.ReadErrors(path));
            Assert.Contains(path + ", line 2", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
