using Hearth.Core.Programmes;
using static Hearth.Core.Tests.Programmes.FamilyBuilder;

namespace Hearth.Core.Tests.Programmes;

public sealed class FrameworkCatalogTests
{
    private readonly FrameworkCatalog _catalog = FrameworkCatalog.Shipped();
    private readonly ProgrammeEngine _engine = new();

    [Fact]
    public void For_TwoFrameworksActive_EachCohortFollowsItsOwn()
    {
        // Families attached under phase 2 are still being measured in 2023, while new families join under the
        // 2022 framework; a cohort assignment can also pin a family to a framework.
        var legacy = new FamilyBuilder("OLD") { Attached = D("2019-05-01") }.Adult("A1").Child("C1", "2012-01-01").Build();
        var current = new FamilyBuilder("NEW") { Attached = D("2023-01-10") }.Adult("A2").Child("C2", "2020-01-01").Build();
        var asOf = D("2023-06-01");
        Assert.Equal("troubled-families-2015", _catalog.For(legacy.Family, asOf).Id);
        Assert.Equal("supporting-families-2022", _catalog.For(current.Family, asOf).Id);

        _catalog.AssignCohort("transition-2022", "troubled-families-2015");
        var pinned = new FamilyBuilder("PIN") { Attached = D("2023-01-10"), Cohort = "transition-2022" }.Adult("A3").Build();
        Assert.Equal("troubled-families-2015", _catalog.For(pinned.Family, asOf).Id);

        // Both are evaluated on the same date, each under its own rules.
        var oldReport = _engine.Measure(_catalog.For(legacy.Family, asOf), legacy, asOf);
        var newReport = _engine.Measure(_catalog.For(current.Family, asOf), current, asOf);
        Assert.Equal("results_payment", Assert.Single(oldReport.Results).Result.Id);
        Assert.Equal("successful_family_outcome", Assert.Single(newReport.Results).Result.Id);
    }

    [Fact]
    public void For_NoFrameworkInForce_ExplainsWhy()
    {
        var gap = new FamilyBuilder("GAP") { Attached = D("2021-06-01") }.Adult("A").Build();
        var ex = Assert.Throws<InvalidOperationException>(() => _catalog.For(gap.Family, D("2021-06-01")));
        Assert.Contains("no framework is in force on 2021-06-01", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Identify_SameDataAndDate_IsDeterministic()
    {
        var b = new FamilyBuilder().Adult("A").Child("C", "2010-01-01")
            .Event("A", EventType.Offence, "2015-10-01", outcome: "proven")
            .Event("A", EventType.DomesticAbuse, "2015-12-01", category: "victim");
        var first = _engine.Identify(_catalog["troubled-families-2015"], b.Build(), D("2016-01-04")).Explain();
        var second = _engine.Identify(_catalog["troubled-families-2015"], b.Build(), D("2016-01-04")).Explain();
        Assert.Equal(first, second);
    }
}
