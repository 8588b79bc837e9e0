using Hearth.Core.Linkage;
using Hearth.Web.Infrastructure;

namespace Hearth.IntegrationTests.Web;

public sealed class WaterfallChartTests
{
    // Prior −8 + 6.5 (with a +0.5 term-frequency part: 6.0 + 0.5) − 3 + 7 = 2.5.
    private static readonly ReviewExplanation Explanation = new(-8,
    [
        new ReviewTerm("given_name", 2, "exact", 6.0, 0.5),
        new ReviewTerm("date_of_birth", 0, "else", -3, 0),
        new ReviewTerm("postcode", 1, "exact", 7, 0),
    ], 2.5);

    [Fact]
    public void Steps_RunFromThePriorThroughEachTermToTheTotal()
    {
        var steps = WaterfallChart.Steps(Explanation);
        Assert.Equal(
            [("Prior (before any comparison)", -8.0, 0.0, -8.0), ("given name: exact", 6.5, -8.0, -1.5), ("date of birth: else", -3.0, -1.5, -4.5),
                ("postcode: exact", 7.0, -4.5, 2.5), ("Total match weight", 2.5, 0.0, 2.5)],
            steps.Select(s => (s.Label, s.Weight, s.Before, s.After)));
        Assert.True(steps[^1].IsTotal);
    }

    [Fact]
    public void Svg_UsesClassesOnly_AndNamesEveryStepInItsDescription()
    {
        var svg = WaterfallChart.Svg(Explanation, 0.85, reviewWeight: 1.17, thresholdWeight: 3.17, "w");
        Assert.DoesNotContain("style", svg, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("role=\"img\" aria-labelledby=\"w-title w-desc\"", svg, StringComparison.Ordinal);
        Assert.Equal(5, svg.Split("<rect ").Length - 1);
        Assert.Equal(2, svg.Split("hearth-waterfall__threshold ").Length - 1);
        Assert.Contains("hearth-waterfall__bar--down", svg, StringComparison.Ordinal);
        Assert.Equal(
            "The match weight starts at the prior, \u22128.00. given name: exact adds 6.50, giving \u22121.50. date of birth: else takes away 3.00, giving \u22124.50. "
            + "postcode: exact adds 7.00, giving +2.50. The total is +2.50, a match probability of 85.00 %.",
            WaterfallChart.Description(Explanation, 0.85));
    }
}
