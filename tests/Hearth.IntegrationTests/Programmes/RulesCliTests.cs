using System.Diagnostics;

namespace Hearth.IntegrationTests.Programmes;

/// <summary>The hearth identify and hearth rules commands, run as a user runs them.</summary>
public sealed class RulesCliTests : IDisposable
{
    private const string Families = """
        {
          "coverage": { "all": { "from": "2014-01-01", "to": "2017-12-31" } },
          "families": [
            { "family_id": "F1", "attachment_date": "2016-01-04", "key_worker": true, "assessment_done": true, "plan_covers_needs": true,
              "members": [ { "person_id": "P1", "role": "adult", "date_of_birth": "1980-01-01" },
                           { "person_id": "P2", "role": "child", "date_of_birth": "2006-05-01" } ],
              "events": [ { "person_id": "P1", "type": "offence", "start": "2015-10-01", "outcome": "proven", "dataset": "police", "row": 12 },
                          { "person_id": "P1", "type": "domestic_abuse", "start": "2015-12-01", "category": "victim", "dataset": "police-da", "row": 3 } ] },
            { "family_id": "F2", "attachment_date": "2016-02-01",
              "members": [ { "person_id": "P3", "role": "adult", "date_of_birth": "1990-01-01" } ],
              "events": [ { "person_id": "P3", "type": "benefit_spell", "start": "2015-01-01", "category": "out_of_work", "code": "JSA", "dataset": "dwp", "row": 7 } ] }
          ]
        }
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("hearth-rules-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static async Task<(int Exit, string Out, string Err)> Hearth(params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "hearth.dll");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(dll);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = p.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await p.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (p.ExitCode, await stdout, await stderr);
    }

    [Fact]
    public async Task Identify_ShippedFramework_ListsEligibleFamilyWithSources()
    {
        var (exit, stdout, _) = await Hearth("identify", "--framework", "troubled-families-2015", "--as-of", "2016-01-04", "--families", Write("f.json", Families));
        Assert.Equal(0, exit);
        Assert.Contains("2 families read, 1 eligible", stdout, StringComparison.Ordinal);
        Assert.Contains("count(offence) in last 12 months = 1, 2015-01-05..2016-01-04 — police#12", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("F2: eligible", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Identify_BadDate_ClearErrorNonZeroExit()
    {
        var (exit, _, stderr) = await Hearth("identify", "--framework", "troubled-families-2015", "--as-of", "04/01/2016", "--families", Write("f.json", Families));
        Assert.NotEqual(0, exit);
        Assert.Contains("--as-of: '04/01/2016' is not a date", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Identify_BadInputValue_ReportedWithPathAndExitOne()
    {
        var bad = Families.Replace("\"type\": \"offence\"", "\"type\": \"burglary\"", StringComparison.Ordinal);
        var (exit, stdout, stderr) = await Hearth("identify", "--framework", "troubled-families-2015", "--as-of", "2016-01-04", "--families", Write("bad.json", bad));
        Assert.Equal(1, exit);
        Assert.Contains("bad.json: families[0].events[0].type: unknown event type 'burglary'", stderr, StringComparison.Ordinal);
        Assert.Contains("1 families read", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RulesValidate_MalformedFile_FileLineReason()
    {
        var yaml = """
            id: broken
            scheme: test
            version: "1"
            title: Broken
            effective: { from: "2020-01-01", to: "2020-12-31" }
            headlines:
              - id: h
                title: H
                needs:
                  - id: n
                    title: N
                    eligibility: "count(offence where convicted) in last 12 months >= 1"
            identification: "needs_raised >= 1"
            results:
              - { id: r, title: R, rule: all_needs_met, amount: "£1" }
            """;
        var (exit, _, stderr) = await Hearth("rules", "validate", Write("broken.yaml", yaml));
        Assert.Equal(1, exit);
        Assert.Contains("broken.yaml:12: in \"count(offence where convicted)", stderr, StringComparison.Ordinal);
        Assert.Contains("unknown field 'convicted' for offence", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RulesClaims_WritesPackAndNationalReturn()
    {
        var outDir = Path.Combine(_dir, "pack");
        var (exit, stdout, _) = await Hearth("rules", "claims", "--framework", "troubled-families-2015", "--as-of", "2017-01-05",
            "--families", Write("f.json", Families), "--window", "2016-17", "--window-from", "2016-04-01", "--window-to", "2017-03-31",
            "--allocation", "10", "--seed", "3", "--sample-rate", "1", "--out", outDir);
        Assert.Equal(0, exit);
        Assert.Contains("1 claims drafted (£800.00)", stdout, StringComparison.Ordinal);
        Assert.Contains("police#12", await File.ReadAllTextAsync(Path.Combine(outDir, "claims.html"), TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Contains("\"result_id\": \"results_payment\"", await File.ReadAllTextAsync(Path.Combine(outDir, "evidence.json"), TestContext.Current.CancellationToken), StringComparison.Ordinal);
        var national = await File.ReadAllTextAsync(Path.Combine(outDir, "national-return.csv"), TestContext.Current.CancellationToken);
        Assert.StartsWith("window,framework", national, StringComparison.Ordinal);
        Assert.DoesNotContain("P1", national, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RulesList_ShowsShippedFrameworksAndUnconfirmedParameters()
    {
        var (exit, stdout, _) = await Hearth("rules", "list");
        Assert.Equal(0, exit);
        Assert.Contains("troubled-families-2012", stdout, StringComparison.Ordinal);
        Assert.Contains("supporting-families-2022", stdout, StringComparison.Ordinal);
        Assert.Contains("asb_limb=true", stdout, StringComparison.Ordinal);
    }
}
