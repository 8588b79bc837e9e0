using Hearth.Core.Programmes;
using static Hearth.Core.Tests.Programmes.FamilyBuilder;

namespace Hearth.Core.Tests.Programmes;

public sealed class SchoolTermCalendarTests
{
    private readonly SchoolTermCalendar _calendar = SchoolTermCalendar.Default;

    [Theory]
    [InlineData("2023-09-01", TermName.Autumn, 2023)]
    [InlineData("2023-12-31", TermName.Autumn, 2023)]
    [InlineData("2024-01-01", TermName.Spring, 2023)]
    [InlineData("2024-03-31", TermName.Spring, 2023)]
    [InlineData("2024-04-01", TermName.Summer, 2023)]
    [InlineData("2025-04-21", TermName.Spring, 2024)] // 2024/25 lists its own dates: spring runs to Easter Monday
    [InlineData("2025-04-22", TermName.Summer, 2024)]
    public void TermOf_Date_GivesTermAndAcademicYear(string date, TermName name, int year)
    {
        var term = _calendar.TermOf(D(date));
        Assert.NotNull(term);
        Assert.Equal(name, term.Value.Name);
        Assert.Equal(year, term.Value.AcademicYear);
    }

    [Fact]
    public void TermOf_August_IsNoTerm() => Assert.Null(_calendar.TermOf(D("2024-08-15")));

    [Fact]
    public void CompletedTermsEndingBy_MidSpring_CrossesSchoolYears()
    {
        // On 1 May 2025 the spring term of 2024/25 has ended (21 April); the three completed terms are
        // summer 2023/24, autumn 2024/25 and spring 2024/25.
        var terms = _calendar.CompletedTermsEndingBy(D("2025-05-01"), 3);
        Assert.Equal(["summer 2023/24", "autumn 2024/25", "spring 2024/25"], terms.Select(t => t.ToString()));
    }

    [Fact]
    public void CompletedTermsEndingBy_LastDayOfTerm_IncludesThatTerm()
    {
        var terms = _calendar.CompletedTermsEndingBy(D("2024-07-31"), 1);
        Assert.Equal("summer 2023/24", terms.Single().ToString());
        Assert.Equal("spring 2023/24", _calendar.CompletedTermsEndingBy(D("2024-07-30"), 1).Single().ToString());
    }

    [Fact]
    public void Load_OverlappingTerms_Rejected()
    {
        const string yaml = """
            default:
              autumn: { start: "09-01", end: "12-31" }
              spring: { start: "01-01", end: "04-30" }
              summer: { start: "04-01", end: "07-31" }
            """;
        var ex = Assert.Throws<RulesFileException>(() => SchoolTermCalendar.Load(yaml, "terms.yaml"));
        Assert.Contains("overlaps", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_BadMonthDay_ReportsLine()
    {
        const string yaml = """
            default:
              autumn: { start: "09-01", end: "12-31" }
              spring: { start: "13-01", end: "03-31" }
              summer: { start: "04-01", end: "07-31" }
            """;
        var ex = Assert.Throws<RulesFileException>(() => SchoolTermCalendar.Load(yaml, "terms.yaml"));
        Assert.Equal(3, ex.Line);
    }
}
