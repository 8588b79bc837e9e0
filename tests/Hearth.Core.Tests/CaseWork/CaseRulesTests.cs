using Hearth.Core.CaseWork;

namespace Hearth.Core.Tests.CaseWork;

public sealed class ConsentRulesTests
{
    private static readonly DateOnly Born = new(2011, 3, 15);

    [Fact]
    public void RequiredGiver_DayBeforeThirteenthBirthday_ParentOrCarer()
    {
        var (giver, why) = ConsentRules.RequiredGiver(isAdult: false, Born, new DateOnly(2024, 3, 14));

        Assert.Equal(ConsentGiver.ParentOrCarer, giver);
        Assert.Contains("Aged 12", why, StringComparison.Ordinal);
    }

    [Fact]
    public void RequiredGiver_OnThirteenthBirthday_Self()
    {
        var (giver, why) = ConsentRules.RequiredGiver(isAdult: false, Born, new DateOnly(2024, 3, 15));

        Assert.Equal(ConsentGiver.Self, giver);
        Assert.Contains("Aged 13", why, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2021, 2, 28, 12)] // 2021 has no 29 February: the 13th birthday is 1 March
    [InlineData(2021, 3, 1, 13)]
    [InlineData(2020, 2, 28, 11)] // 2020 is a leap year: the 12th birthday is 29 February
    [InlineData(2020, 2, 29, 12)]
    public void AgeOn_BornOnLeapDay_BirthdayOn1MarchInOtherYears(int year, int month, int day, int expected) =>
        Assert.Equal(expected, ConsentRules.AgeOn(new DateOnly(2008, 2, 29), new DateOnly(year, month, day)));

    [Fact]
    public void Check_ParentConsentingForThirteenYearOld_RefusedWithReason()
    {
        var result = ConsentRules.Check(isAdult: false, Born, new DateOnly(2024, 6, 1), ConsentGiver.ParentOrCarer);

        Assert.False(result.Allowed);
        Assert.Equal("consent-age", result.Rule);
        Assert.Contains("cannot consent for them", result.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_TwelveYearOldConsentingForThemselves_Refused()
    {
        var result = ConsentRules.Check(isAdult: false, Born, new DateOnly(2024, 1, 1), ConsentGiver.Self);

        Assert.False(result.Allowed);
        Assert.Contains("cannot consent for themselves", result.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void RequiredGiver_NoDateOfBirth_AdultSelfChildParent()
    {
        Assert.Equal(ConsentGiver.Self, ConsentRules.RequiredGiver(isAdult: true, null, new DateOnly(2024, 1, 1)).Giver);
        Assert.Equal(ConsentGiver.ParentOrCarer, ConsentRules.RequiredGiver(isAdult: false, null, new DateOnly(2024, 1, 1)).Giver);
    }
}

public sealed class CaseTransitionsTests
{
    [Theory]
    [InlineData(CaseStatus.Identified, CaseStatus.Allocated, true)]
    [InlineData(CaseStatus.Allocated, CaseStatus.Allocated, true)]
    [InlineData(CaseStatus.Allocated, CaseStatus.Active, true)]
    [InlineData(CaseStatus.Active, CaseStatus.Active, true)]
    [InlineData(CaseStatus.Identified, CaseStatus.Active, false)]
    [InlineData(CaseStatus.Active, CaseStatus.Allocated, false)]
    [InlineData(CaseStatus.Active, CaseStatus.Identified, false)]
    [InlineData(CaseStatus.Allocated, CaseStatus.Identified, false)]
    [InlineData(CaseStatus.Closed, CaseStatus.Active, false)]
    [InlineData(CaseStatus.Closed, CaseStatus.Allocated, false)]
    public void Check_WithTeamAndKeyWorker_OnlyForwardMoves(CaseStatus from, CaseStatus to, bool allowed)
    {
        var result = CaseTransitions.Check(from, to, "north", "kw1", null);

        Assert.Equal(allowed, result.Allowed);
        Assert.Equal("case-status", result.Rule);
    }

    [Fact]
    public void Check_AllocationWithoutTeam_Refused() =>
        Assert.False(CaseTransitions.Check(CaseStatus.Identified, CaseStatus.Allocated, null, "kw1", null).Allowed);

    [Fact]
    public void Check_StartWithoutKeyWorker_Refused()
    {
        var result = CaseTransitions.Check(CaseStatus.Allocated, CaseStatus.Active, "north", null, null);

        Assert.False(result.Allowed);
        Assert.Contains("key worker", result.Explanation, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(CaseStatus.Identified)]
    [InlineData(CaseStatus.Allocated)]
    [InlineData(CaseStatus.Active)]
    public void Check_CloseWithReason_AllowedFromAnyOpenStatus(CaseStatus from)
    {
        Assert.True(CaseTransitions.Check(from, CaseStatus.Closed, "north", "kw1", ClosureReason.OutcomesAchieved).Allowed);
        Assert.False(CaseTransitions.Check(from, CaseStatus.Closed, "north", "kw1", null).Allowed);
    }

    [Fact]
    public void Check_ClosedCase_CannotBeClosedAgain() =>
        Assert.False(CaseTransitions.Check(CaseStatus.Closed, CaseStatus.Closed, "north", "kw1", ClosureReason.Other).Allowed);
}
