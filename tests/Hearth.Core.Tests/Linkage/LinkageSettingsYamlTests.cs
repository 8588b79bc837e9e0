using Hearth.Core.Linkage;

namespace Hearth.Core.Tests.Linkage;

public sealed class LinkageSettingsYamlTests
{
    private const string Example = """
        columns:
          first: name
          dob: date
          nhs: nhs_number
        comparisons:
          - name: first
            field: first
            levels: [exact, variant forename, jaro_winkler 0.92, metaphone]
            term_frequency: true
          - field: dob
            levels: [exact, swapped_day_month, within_years 2]
            fixed_m: [0.9, 0.02, 0.03, 0.05]
        blocking:
          - [first, dob]
          - ['first:metaphone', 'dob:year']
          - nhs
        must_not_conflict: [nhs]
        training:
          seed: 7
          prior: 0.0001
        threshold:
          probability: 0.95
        """;

    [Fact]
    public void Parse_Example_ReadsEverything()
    {
        var s = LinkageSettingsYaml.Parse(Example, "x.yaml");
        Assert.Equal(ColumnType.NhsNumber, s.Columns["nhs"]);
        Assert.Equal(2, s.Comparisons.Count);
        Assert.Equal("dob", s.Comparisons[1].Name);
        Assert.Equal(new LevelSpec(LevelKind.JaroWinkler, 0.92), s.Comparisons[0].Levels[2]);
        Assert.Equal(new LevelSpec(LevelKind.Variant, 0, "forename"), s.Comparisons[0].Levels[1]);
        Assert.True(s.Comparisons[0].TermFrequency);
        Assert.Equal([0.9, 0.02, 0.03, 0.05], s.Comparisons[1].FixedM!);
        Assert.Equal(["first:metaphone", "dob:year"], s.Blocking[1]);
        Assert.Equal(["nhs"], s.Blocking[2]);
        Assert.Equal(["nhs"], s.MustNotConflict);
        Assert.Equal(7, s.Training.Seed);
        Assert.Equal(0.0001, s.Training.Prior);
        Assert.Equal(0.95, s.ThresholdProbability);
    }

    [Fact]
    public void Write_ThenParse_RoundTrips()
    {
        var s = LinkageSettingsYaml.Parse(Example, "x.yaml");
        var again = LinkageSettingsYaml.Parse(LinkageSettingsYaml.Write(s), "y.yaml");
        Assert.Equal(LinkageSettingsYaml.Write(s), LinkageSettingsYaml.Write(again));
        Assert.Equal(s.Comparisons[1].FixedM!, again.Comparisons[1].FixedM!);
    }

    [Theory]
    [InlineData("jaro_winkler 0.92, metaphone]", "jaro_winkler 1.5, metaphone]", 8, "'jaro_winkler 1.5' is not a comparison level")]
    [InlineData("  nhs: nhs_number", "  nhs: passport", 4, "'passport' is not a column type")]
    [InlineData("  - ['first:metaphone', 'dob:year']", "  - ['first:soundex', 'dob:year']", 15, "'soundex' is not a field transform")]
    [InlineData("  - nhs\n", "  - postcode\n", 16, "'postcode' is not listed under columns")]
    [InlineData("fixed_m: [0.9, 0.02, 0.03, 0.05]", "fixed_m: [0.9, 0.1]", 12, "fixed_m needs 4 probabilities")]
    [InlineData("  seed: 7", "  seeds: 7", 19, "unknown training setting 'seeds'")]
    [InlineData("  - field: dob", "  - field: dob\n   bad indentation: 1", 11, "not valid YAML")]
    [InlineData("levels: [exact, variant forename,", "levels: [exact, variant forename,\n  bad: [", 8, "not valid YAML")]
    public void Parse_Malformed_NamesFileLineAndReason(string find, string replace, int line, string reason)
    {
        var yaml = Example.Replace(find, replace, StringComparison.Ordinal);
        Assert.NotEqual(Example, yaml);
        var e = Assert.Throws<LinkageInputException>(() => LinkageSettingsYaml.Parse(yaml, "bad.yaml"));
        Assert.StartsWith($"bad.yaml, line {line}:", e.Message, StringComparison.Ordinal);
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }
}

public sealed class AutoConfigureTests
{
    [Fact]
    public void Configure_Febrl_RecognisesPersonColumnsAndChoosesRules()
    {
        var auto = AutoConfigure.Configure(LinkageTestData.FebrlA(), LinkageTestData.FebrlB(), ["rec_id"]);
        var roles = auto.Roles.ToDictionary(r => r.Column, r => r.Role, StringComparer.Ordinal);
        Assert.Equal("first_name", roles["given_name"]);
        Assert.Equal("surname", roles["surname"]);
        Assert.Equal("date_of_birth", roles["date_of_birth"]);
        Assert.Equal("postcode", roles["postcode"]);
        Assert.Equal("identifier", roles["soc_sec_id"]);
        Assert.Equal("town", roles["suburb"]);
        Assert.Equal(ColumnType.Date, auto.Settings.Columns["date_of_birth"]);
        Assert.Contains(auto.Settings.Blocking, r => r.SequenceEqual(["given_name", "surname"]));
        Assert.True(auto.Settings.Comparisons.Single(c => c.Name == "surname").TermFrequency);
    }

    [Fact]
    public void Configure_FullNameAndProfiledColumns_SplitsNameAndReadsValues()
    {
        var table = new LinkageTable("x", ["1", "2", "3", "4", "5"], new Dictionary<string, string?[]>(StringComparer.Ordinal)
        {
            ["Client Name"] = ["Mary Ann Smith", "John Jones", "Sarah Brown", "Ali Khan", "Tom Wood"],
            ["col7"] = ["12/03/1980", "01/01/1975", "05/06/2001", "30/11/1999", "14/02/1960"],
            ["col8"] = ["NB4 7QT", "NB1 2AB", "SW1A 1AA", "M1 1AE", "B33 8TH"],
            ["col9"] = ["9434765870", "4010232137", "1234567881", "9434765870", "4010232137"],
        });
        var auto = AutoConfigure.Configure(table, null);
        var roles = auto.Roles.ToDictionary(r => r.Column, r => r.Role, StringComparer.Ordinal);
        Assert.Equal("full_name", roles["Client Name"]);
        Assert.Equal("date", roles["col7"]);
        Assert.Equal("postcode", roles["col8"]);
        Assert.Equal("nhs_number", roles["col9"]);
        Assert.Contains(auto.Settings.Comparisons, c => c.Field == "Client Name:first_token");
        Assert.Contains(auto.Settings.Comparisons, c => c.Field == "Client Name:last_token");
        Assert.Equal(["col9"], auto.Settings.MustNotConflict);
    }
}
