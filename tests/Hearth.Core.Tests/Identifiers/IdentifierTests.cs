using Hearth.Core.Identifiers;

namespace Hearth.Core.Tests.Identifiers;

// Test vectors from landscape.md §3.4 (published examples), plus hand-computed ones stated in comments.
public sealed class NhsNumberTests
{
    [Theory]
    [InlineData("9434765870")]
    [InlineData("943 476 5870")]
    [InlineData("943-476-5870")]
    public void Check_PublishedValidNumber_IsValid(string value)
    {
        var check = NhsNumber.Check(value);
        Assert.True(check.IsValid);
        Assert.Equal("9434765870", check.Normalised);
    }

    [Fact]
    public void Check_WrongCheckDigit_SaysWhichDigitWasExpected()
    {
        var check = NhsNumber.Check("9434765871");
        Assert.False(check.IsValid);
        Assert.Equal("NHS number check digit should be 0 but is 1", check.Reason);
    }

    [Theory]
    [InlineData("", "NHS number is empty")]
    [InlineData("94347658", "NHS number must have 10 digits but has 8")]
    [InlineData("94347658701", "NHS number must have 10 digits but has more")]
    [InlineData("94347658X0", "NHS number must contain only digits")]
    public void Check_BadShape_GivesReason(string value, string reason) =>
        Assert.Equal(reason, NhsNumber.Check(value).Reason);

    [Fact]
    public void CheckDigit_SumGivingTen_IsNeverIssued()
    {
        // 1,0,0,0,0,0,0,0,1 weighted 10..2: 10 + 2 = 12; 12 mod 11 = 1; 11 - 1 = 10 -> not issued.
        Assert.Null(NhsNumber.CheckDigit("100000001"));
        Assert.False(NhsNumber.IsValid("1000000010"));
    }

    [Fact]
    public void CheckDigit_SumDivisibleByEleven_IsZero()
    {
        // 0,0,0,0,0,0,0,1,1 weighted: 3 + 2 = 5 -> 11 - 5 = 6; choose 0,0,0,0,0,0,0,0,0 -> sum 0 -> 11 -> 0.
        Assert.Equal(0, NhsNumber.CheckDigit("000000000"));
        Assert.Equal(6, NhsNumber.CheckDigit("000000011"));
    }
}

public sealed class NationalInsuranceNumberTests
{
    [Theory]
    [InlineData("AB123456C", "AB123456C")]
    [InlineData("ab 12 34 56 c", "AB123456C")]
    [InlineData("JG103759A", "JG103759A")]
    public void Check_WellFormed_IsValidAndNormalised(string value, string normalised) =>
        Assert.Equal(normalised, NationalInsuranceNumber.Check(value).Normalised);

    [Theory]
    [InlineData("QQ123456A", "National Insurance number cannot start with Q")]
    [InlineData("DA123456A", "National Insurance number cannot start with D")]
    [InlineData("AO123456A", "National Insurance number cannot have O as its second letter")]
    [InlineData("BG123456A", "National Insurance number prefix BG is not used")]
    [InlineData("AB123456E", "National Insurance number suffix must be A, B, C or D, not E")]
    [InlineData("AB12345C", "National Insurance number must be two letters, six digits and a letter")]
    public void Check_RuleBroken_SaysWhichRule(string value, string reason) =>
        Assert.Equal(reason, NationalInsuranceNumber.Check(value).Reason);
}

public sealed class UniquePupilNumberTests
{
    [Fact]
    public void Check_PublishedValidUpn_IsValid() => Assert.True(UniquePupilNumber.IsValid("B801200005001"));

    [Fact]
    public void Check_PublishedInvalidUpn_SaysExpectedLetter() =>
        Assert.Equal("UPN check letter should be B but is A", UniquePupilNumber.Check("A801200005001").Reason);

    [Fact]
    public void CheckLetter_SchoolSystemsHelpExample_IsP()
    {
        // 207000016049: 2*2+0*3+7*4+0*5+0*6+0*7+0*8+1*9+6*10+0*11+4*12+9*13 = 4+28+9+60+48+117 = 266;
        // 266 mod 23 = 13 -> P (the help page's "Q" is an arithmetic slip, landscape.md §3.4).
        Assert.Equal('P', UniquePupilNumber.CheckLetter("207000016049"));
    }

    [Fact]
    public void CheckLetter_TemporaryUpnFinalLetter_CountsItsAlphabetValue()
    {
        // 80120000500 + 'B'(1): 8*2+0+1*4+2*5+0+0+0+0+5*10+0+0+1*13 = 16+4+10+50+13 = 93; 93 mod 23 = 1 -> B.
        Assert.Equal('B', UniquePupilNumber.CheckLetter("80120000500B"));
        Assert.True(UniquePupilNumber.IsValid("B80120000500B"));
    }

    [Theory]
    [InlineData("B80120000500", "UPN must have 13 characters but has 12")]
    [InlineData("B8012000X5001", "UPN character 9 must be a digit")]
    [InlineData("B80120000500I", "UPN must end in a digit, or for a temporary UPN a letter other than I, O or S")]
    public void Check_BadShape_GivesReason(string value, string reason) =>
        Assert.Equal(reason, UniquePupilNumber.Check(value).Reason);
}

public sealed class PostcodeTests
{
    [Theory]
    [InlineData("SW1A 1AA")]
    [InlineData("M1 1AA")]
    [InlineData("EC1A 1BB")]
    [InlineData("W1A 1HQ")]
    [InlineData("CR2 6XH")]
    [InlineData("DN55 1PT")]
    [InlineData("GIR 0AA")]
    public void Check_PublishedFormats_AreValid(string value) => Assert.True(Postcode.IsValid(value));

    [Theory]
    [InlineData("QA1 1AA")]
    [InlineData("M1 1CA")]
    [InlineData("M1")]
    public void Check_RestrictedLetters_AreInvalid(string value) => Assert.False(Postcode.IsValid(value));

    [Theory]
    [InlineData("sw1a1aa", "SW1A 1AA")]
    [InlineData(" dn55  1pt ", "DN55 1PT")]
    public void Normalise_RestoresSpaceAndCase(string value, string expected) =>
        Assert.Equal(expected, Postcode.Normalise(value));

    [Fact]
    public void OutwardAndSector_SplitTheCode()
    {
        Assert.Equal("DN55", Postcode.Outward("DN55 1PT"));
        Assert.Equal("DN55 1", Postcode.Sector("dn551pt"));
    }
}

public sealed class UprnTests
{
    [Theory]
    [InlineData("000000199356", "199356")]
    [InlineData("100023336956", "100023336956")]
    public void Check_Digits_AreValidWithoutLeadingZeros(string value, string normalised) =>
        Assert.Equal(normalised, Uprn.Check(value).Normalised);

    [Theory]
    [InlineData("1000233369561", "UPRN must have at most 12 digits but has 13 characters")]
    [InlineData("10002333695A", "UPRN must contain only digits")]
    [InlineData("0000", "UPRN cannot be zero")]
    public void Check_Bad_GivesReason(string value, string reason) => Assert.Equal(reason, Uprn.Check(value).Reason);
}
