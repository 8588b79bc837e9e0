using Hearth.Core.Programmes;

namespace Hearth.Core.Tests.Programmes;

public sealed class FrameworkLoaderTests
{
    private const string Minimal = """
        id: test
        scheme: test
        version: "1"
        title: Test
        effective: { from: "2020-01-01", to: "2030-12-31" }
        parameters:
          threshold: { value: 15%, confidence: H }
        headlines:
          - id: h
            title: H
            needs:
              - id: n
                title: N
                applies_to: child
                eligibility: "{0}"
        identification: "needs_raised >= 1"
        results:
          - id: r
            title: R
            rule: all_needs_met
            amount: "£800"
        """;

    private static string With(string eligibility) => Minimal.Replace("{0}", eligibility, StringComparison.Ordinal);

    [Theory]
    [InlineData("troubled-families-2012.yaml", "troubled-families-2012", 4)]
    [InlineData("troubled-families-2015.yaml", "troubled-families-2015", 6)]
    [InlineData("supporting-families-2022.yaml", "supporting-families-2022", 10)]
    public void LoadShipped_EachFramework_LoadsWithItsHeadlines(string file, string id, int headlines)
    {
        var f = FrameworkCatalog.LoadShipped(file);
        Assert.Equal(id, f.Id);
        Assert.Equal(headlines, f.Headlines.Count);
        Assert.Equal(64, f.ContentHash.Length);
    }

    [Fact]
    public void Load_ValidMinimalFile_ParsesParameterAsPercent()
    {
        var f = FrameworkLoader.Load(With("rate(attendance.unauthorised / attendance.possible) over last 3 terms >= $threshold"), "t.yaml");
        Assert.Equal(0.15m, f.Parameters["threshold"].Number);
        Assert.True(f.Parameters["threshold"].Percent);
    }

    [Theory]
    [InlineData("count(ofence) in last 12 months >= 1", "unknown event type 'ofence'")]
    [InlineData("count(offence where provn) in last 12 months >= 1", "unknown field 'provn' for offence")]
    [InlineData("count(offence) in last 12 months >= $nope", "unknown parameter $nope")]
    [InlineData("count(offence) in last 12 fortnights >= 1", "unknown window unit 'fortnights'")]
    [InlineData("count(offence) >= 1", "needs a window")]
    [InlineData("count(offence) in last 12 months", "is a number; a condition must compare it")]
    [InlineData("any(exclusion where category == \\\"expelled\\\") in last 3 months", "'expelled' is not a category of exclusion")]
    [InlineData("need.n", "can only be used in identification and result rules")]
    [InlineData("rate(attendance.unauthorised / offence.days) over last 3 terms >= 1%", "same event type")]
    public void Load_BadExpression_RejectedWithLineAndReason(string expression, string reason)
    {
        var ex = Assert.Throws<RulesFileException>(() => FrameworkLoader.Load(With(expression), "bad.yaml"));
        Assert.Equal("bad.yaml", ex.FileName);
        Assert.Equal(15, ex.Line); // the eligibility line of the minimal file
        Assert.Contains(reason, ex.Reason, StringComparison.Ordinal);
        Assert.StartsWith("bad.yaml:15:", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownKey_RejectedWithItsLine()
    {
        var yaml = With("any(asb) in last 6 months").Replace("applies_to: child", "applies_too: child", StringComparison.Ordinal);
        var ex = Assert.Throws<RulesFileException>(() => FrameworkLoader.Load(yaml, "typo.yaml"));
        Assert.Equal(14, ex.Line);
        Assert.Contains("unknown key 'applies_too'", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownNeedInIdentification_Rejected()
    {
        var yaml = With("any(asb) in last 6 months").Replace("identification: \"needs_raised >= 1\"", "identification: \"need.missing\"", StringComparison.Ordinal);
        var ex = Assert.Throws<RulesFileException>(() => FrameworkLoader.Load(yaml, "t.yaml"));
        Assert.Equal(16, ex.Line);
        Assert.Contains("unknown need 'missing'", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_InvalidYaml_ReportsLine()
    {
        var ex = Assert.Throws<RulesFileException>(() => FrameworkLoader.Load("id: x\nscheme: [unclosed\n", "broken.yaml"));
        Assert.Equal("broken.yaml", ex.FileName);
        Assert.True(ex.Line >= 2);
    }

    [Fact]
    public void Load_ParameterWithoutConfidence_Rejected()
    {
        var yaml = With("any(asb) in last 6 months").Replace("{ value: 15%, confidence: H }", "{ value: 15% }", StringComparison.Ordinal);
        var ex = Assert.Throws<RulesFileException>(() => FrameworkLoader.Load(yaml, "t.yaml"));
        Assert.Contains("needs a confidence", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Shipped_UnconfirmedRules_AreNamedParametersMarkedL()
    {
        // Domain research: B1's ASB limb, B3's benefit list and D5's 13/26-week mapping are L (unconfirmed).
        var tf1 = FrameworkCatalog.LoadShipped("troubled-families-2012.yaml");
        Assert.True(tf1.Parameters["asb_limb"].Unconfirmed);
        Assert.True(tf1.Parameters["out_of_work_benefits"].Unconfirmed);
        Assert.True(tf1.Parameters["employment_weeks_jsa"].Unconfirmed);
        Assert.False(tf1.Parameters["cap_per_family"].Unconfirmed);
    }
}
