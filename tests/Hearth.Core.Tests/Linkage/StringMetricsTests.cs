using Hearth.Core.Linkage;

namespace Hearth.Core.Tests.Linkage;

// Jaro-Winkler values are the published examples from Winkler's papers (three decimals).
public sealed class StringMetricsTests
{
    [Theory]
    [InlineData("MARTHA", "MARHTA", 0.961)]
    [InlineData("DWAYNE", "DUANE", 0.840)]
    [InlineData("DIXON", "DICKSONX", 0.813)]
    public void JaroWinkler_PublishedExamples_Match(string a, string b, double expected)
    {
        Assert.Equal(expected, StringMetrics.JaroWinkler(a, b), 3);
        Assert.Equal(expected, StringMetrics.JaroWinkler(b, a), 3);
    }

    [Fact]
    public void JaroWinkler_NonAsciiText_UsesGeneralPathWithSameResult()
    {
        // Ä forces the general (non bit-parallel) loop; the structure is MARTHA/MARHTA's, so 0.961 again:
        // 6 matches, 2 half-transpositions → jaro = (1 + 1 + 5/6) / 3 = 0.9444; prefix 3 → 0.9444 + 0.3 × 0.0556 = 0.9611.
        Assert.Equal(0.961, StringMetrics.JaroWinkler("MÄRTHA", "MÄRHTA"), 3);
    }

    [Fact]
    public void Jaro_NothingInCommon_IsZero_AndIdentical_IsOne()
    {
        Assert.Equal(0, StringMetrics.Jaro("ABC", "XYZ"));
        Assert.Equal(1, StringMetrics.Jaro("SMITH", "SMITH"));
        Assert.Equal(0, StringMetrics.Jaro(string.Empty, "SMITH"));
    }

    [Theory]
    [InlineData("kitten", "sitting", 3)] // k→s, e→i, +g
    [InlineData("CA", "AC", 1)] // one adjacent transposition
    [InlineData("CA", "ABC", 3)] // optimal string alignment: no substring edited twice
    [InlineData("", "abc", 3)]
    [InlineData("abcdef", "abcdfe", 1)]
    [InlineData("smith", "smyth", 1)]
    [InlineData("smith", "smith", 0)]
    [InlineData("johnson", "jonsen", 2)] // drop h, o→e
    public void DamerauLevenshtein_KnownCases(string a, string b, int expected)
    {
        Assert.Equal(expected, StringMetrics.DamerauLevenshtein(a, b));
        Assert.Equal(expected, StringMetrics.DamerauLevenshtein(b, a));
    }

    [Fact]
    public void DamerauLevenshtein_LongStrings_RentBufferAndStillCount()
    {
        var a = new string('a', 100);
        var b = new string('a', 98) + "bc";
        Assert.Equal(2, StringMetrics.DamerauLevenshtein(a, b));
    }

    [Theory]
    [InlineData("19800312", "19800321", true)] // transposition
    [InlineData("19800312", "19800412", true)] // substitution
    [InlineData("smith", "smiths", true)] // insertion at the end
    [InlineData("smith", "mith", true)] // deletion at the start
    [InlineData("smith", "smith", true)]
    [InlineData("smith", "smyths", false)]
    [InlineData("abcd", "badc", false)]
    public void WithinOneEdit_AgreesWithDistanceOne(string a, string b, bool expected)
    {
        Assert.Equal(expected, StringMetrics.WithinOneEdit(a, b));
        Assert.Equal(expected, StringMetrics.DamerauLevenshtein(a, b) <= 1);
    }

    [Theory]
    [InlineData("9434765870", "9437465870", true)]
    [InlineData("9434765870", "4934765870", true)]
    [InlineData("9434765870", "9434765870", false)]
    [InlineData("9434765870", "9434765871", false)]
    [InlineData("1234", "2143", false)]
    public void IsAdjacentTransposition_OnlyOneSwap(string a, string b, bool expected) =>
        Assert.Equal(expected, StringMetrics.IsAdjacentTransposition(a, b));
}

// Expected keys derived by hand from the Metaphone rules written in Metaphone.cs.
public sealed class MetaphoneTests
{
    [Theory]
    [InlineData("Smith", "SM0")] // S, M, I skipped, TH → 0, H after T silent
    [InlineData("Knight", "NT")] // initial KN drops K; GH before T silent; H after G silent
    [InlineData("Philip", "FLP")] // PH → F; vowels after the first letter dropped
    [InlineData("Catherine", "K0RN")] // C before A → K; TH → 0
    [InlineData("Kathryn", "K0RN")] // Y before N (not a vowel) silent
    [InlineData("John", "JN")] // H after a vowel and before a consonant silent
    [InlineData("Thomas", "0MS")]
    [InlineData("Xavier", "SFR")] // initial X → S; V → F
    [InlineData("Wright", "RT")] // initial WR drops W
    [InlineData("Schmidt", "SKMTT")] // SCH → SK; D → T; T → T
    [InlineData("O'Brien", "OBRN")] // apostrophe ignored; initial vowel kept
    public void Encode_HandDerivedKeys(string name, string expected) => Assert.Equal(expected, Metaphone.Encode(name));

    [Fact]
    public void Encode_NoLetters_IsEmpty()
    {
        Assert.Equal(string.Empty, Metaphone.Encode("123"));
        Assert.Equal(string.Empty, Metaphone.Encode(null));
    }
}

public sealed class NameVariantsTests
{
    [Theory]
    [InlineData("edward", "ted")]
    [InlineData("william", "bill")]
    [InlineData("bill", "william")]
    public void FirstNames_KnownNicknames_AreVariants(string a, string b) => Assert.True(NameVariants.FirstNames.AreVariants(a, b));

    [Fact]
    public void FirstNames_UnrelatedOrUnknownNames_AreNotVariants()
    {
        Assert.False(NameVariants.FirstNames.AreVariants("john", "mary"));
        Assert.False(NameVariants.FirstNames.AreVariants("zzzz", "edward"));
        Assert.False(NameVariants.FirstNames.AreVariants("edward", "edward"));
    }

    [Fact]
    public void LastNames_AdamsAndAdamson_AreVariants() => Assert.True(NameVariants.LastNames.AreVariants("adams", "adamson"));
}

public sealed class StandardiseTests
{
    [Theory]
    [InlineData("1980-03-12")]
    [InlineData("12/03/1980")]
    [InlineData("12-03-1980")]
    [InlineData("12.03.1980")]
    [InlineData("19800312")]
    [InlineData("12031980")]
    [InlineData("12 Mar 1980")]
    [InlineData("1980-03-12T00:00:00")]
    [InlineData("1980-03-12 00:00:00")]
    public void Date_CommonForms_AllRead(string text)
    {
        var d = Standardise.Date(text);
        Assert.NotNull(d);
        Assert.Equal("19800312", d.Value.Digits);
        Assert.True(d.Value.Valid);
    }

    [Fact]
    public void Date_TypoMonth13_KeepsPartsButIsNotValid()
    {
        var d = Standardise.Date("19801312");
        Assert.NotNull(d);
        Assert.False(d.Value.Valid);
        Assert.Equal(-1, d.Value.DayNumber);
    }

    [Theory]
    [InlineData("not a date")]
    [InlineData("")]
    [InlineData("12/03/80")]
    public void Date_Unreadable_IsNull(string text) => Assert.Null(Standardise.Date(text));

    [Theory]
    [InlineData("Mrs. Mary-Ann O'Brien", "mary ann obrien")]
    [InlineData("  SMITH ", "smith")]
    [InlineData("Dr", null)]
    [InlineData("", null)]
    public void Name_RemovesTitlesAndPunctuation(string raw, string? expected) => Assert.Equal(expected, Standardise.Name(raw));

    [Fact]
    public void Compact_IdentifiersLoseSpacesAndHyphens() => Assert.Equal("9434765870", Standardise.Compact("943 476-5870"));
}
