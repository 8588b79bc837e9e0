using Hearth.Core.Identifiers;
using Hearth.Core.Synthetic;

namespace Hearth.Core.Tests.Synthetic;

public sealed class ErrorInjectorTests
{
    [Fact]
    public void Typo_ManyNames_AreOneKeyboardEditAway()
    {
        var rng = new SyntheticRandom(5);
        string[] names = ["Margaret", "Oliver", "Smith", "Okonkwo", "Mary-Jane"];
        for (var i = 0; i < 2000; i++)
        {
            var name = names[i % names.Length];
            var typo = ErrorInjector.Typo(name, rng);
            Assert.True(OptimalStringAlignment(name.ToLowerInvariant(), typo.ToLowerInvariant()) <= 1, $"{name} -> {typo}");
            Assert.True(char.IsUpper(typo[0]));
        }
    }

    [Fact]
    public void WrongIdentifier_NhsNumber_AlwaysFailsTheCheckDigit()
    {
        // Changing one digit changes the weighted sum by weight × difference, never a multiple of 11;
        // swapping adjacent digits changes it by their difference, also never a multiple of 11.
        var rng = new SyntheticRandom(9);
        for (var i = 0; i < 2000; i++)
        {
            var wrong = ErrorInjector.WrongIdentifier("9434765870", rng);
            Assert.NotEqual("9434765870", wrong);
            Assert.False(NhsNumber.IsValid(wrong), wrong);
        }
    }

    [Fact]
    public void WrongIdentifier_UniquePupilNumber_AlwaysFailsTheCheckLetter()
    {
        var rng = new SyntheticRandom(11);
        for (var i = 0; i < 2000; i++)
        {
            Assert.False(UniquePupilNumber.IsValid(ErrorInjector.WrongIdentifier("B801200005001", rng)));
        }
    }

    [Fact]
    public void Apply_AllRatesZero_ChangesNothing()
    {
        var rates = new ErrorRates
        {
            Typo = 0, Phonetic = 0, Nickname = 0, NameSwap = 0, SurnameVariant = 0, DoubleBarrelled = 0, MissingIdentifier = 0,
            WrongIdentifier = 0, DayMonthSwap = 0, WrongYear = 0, MissingPostcode = 0, Duplicate = 0,
        };
        var injector = new ErrorInjector(rates, Agencies.Police, NameData.Shared);
        var rng = new SyntheticRandom(1);
        for (var i = 0; i < 200; i++)
        {
            var id = new RecordedIdentity { Forename = "Edward", Surname = "Adams-Smith", Dob = new DateOnly(1980, 3, 4), Sex = 'M', Identifier = "9434765870", Postcode = "NB1 2AB" };
            var errors = new List<string>();
            injector.Apply(id, rng, errors);
            Assert.Empty(errors);
            Assert.Equal(("Edward", "Adams-Smith", new DateOnly(1980, 3, 4), "9434765870", "NB1 2AB"), (id.Forename, id.Surname, id.Dob, id.Identifier, id.Postcode));
        }
    }

    [Fact]
    public void Apply_AllRatesOne_RecordsEveryErrorItMakes()
    {
        var rates = new ErrorRates
        {
            Typo = 0, Phonetic = 0, Nickname = 1, NameSwap = 0, DoubleBarrelled = 1, MissingIdentifier = 0,
            WrongIdentifier = 1, DayMonthSwap = 1, WrongYear = 0, MissingPostcode = 1,
            AgencyQuality = new Dictionary<string, double>(StringComparer.Ordinal),
        };
        var injector = new ErrorInjector(rates, Agencies.Health, NameData.Shared);
        var id = new RecordedIdentity { Forename = "Edward", Surname = "Adams-Smith", Dob = new DateOnly(1980, 3, 4), Sex = 'M', Identifier = "9434765870", IdentifierName = "nhs_number", Postcode = "NB1 2AB" };
        var errors = new List<string>();
        injector.Apply(id, new SyntheticRandom(3), errors);
        Assert.Equal(["forename:nickname", "surname:double_barrelled", "dob:day_month_swap", "nhs_number:wrong", "postcode:missing"], errors);
        Assert.NotEqual("Edward", id.Forename);
        Assert.DoesNotContain("Adams-Smith", id.Surname, StringComparison.Ordinal);
        Assert.Equal(new DateOnly(1980, 4, 3), id.Dob);
        Assert.False(NhsNumber.IsValid(id.Identifier));
        Assert.Equal(string.Empty, id.Postcode);
    }

    [Fact]
    public void PhoneticRule_StartRuleWithVowelAfter_FiresOnlyWhereItsConditionsHold()
    {
        // START "cl" -> "kl" when a vowel follows: "clare" qualifies, "clyde" does (y is a vowel here), "mcclure" does not (not at the start).
        var rule = new PhoneticRule("START", "cl", "kl", "None", "V");
        Assert.Equal([0], rule.Positions("clare"));
        Assert.Empty(rule.Positions("mcclure"));
        var end = new PhoneticRule("END", "e", string.Empty, "None", "None");
        Assert.Equal([4], end.Positions("clare"));
    }

    [Fact]
    public void Phonetic_NamesTables_ProduceADifferentSpelling()
    {
        var injector = new ErrorInjector(new ErrorRates(), Agencies.Police, NameData.Shared);
        var rng = new SyntheticRandom(2);
        var changed = Enumerable.Range(0, 100).Count(_ => injector.Phonetic("Stephenson", rng) != "Stephenson");
        Assert.Equal(100, changed);
    }

    private static int OptimalStringAlignment(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
