using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Hearth.Tests.Evaluation;

namespace Hearth.IntegrationTests.Evaluation;

/// <summary>The <c>hearth evaluate</c> command end to end: a real process, real files.</summary>
public sealed class EvaluateCommandTests : IDisposable
{
    private const string Covariates = "age,educ,race,married,nodegree,re74,re75";
    private readonly string _dir = Directory.CreateTempSubdirectory("hearth-evaluate-").FullName;

    private static string Lalonde => Path.Combine(AppContext.BaseDirectory, "Evaluation", "Data", "lalonde.csv");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Code, string Out, string Err) Hearth(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "hearth.dll"));
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["COLUMNS"] = "200";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Result, error);
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Evaluate_Lalonde_WritesJsonMatchingMatchItAndASelfContainedReport()
    {
        var json = Path.Combine(_dir, "out.json");
        var report = Path.Combine(_dir, "report.html");
        var (code, _, err) = Hearth("evaluate", "--data", Lalonde, "--id", "id", "--treatment", "treat", "--covariates", Covariates, "--outcome", "re78", "--method", "nearest", "--json", json, "--report", report, "--pre-outcome", "re75", "--earlier-outcome", "re74");
        Assert.True(code == 0, err);

        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var root = doc.RootElement;
        Assert.Equal(185, root.GetProperty("matched").GetProperty("treated").GetInt32());
        Assert.Equal(185, root.GetProperty("matched").GetProperty("controls").GetInt32());

        // MatchIt 4.7.2 run (a), evaluation oracle §5.3: ATT 894.36748027027, CR1 by subclass 705.22976406162.
        Assert.Equal(894.36748027027, root.GetProperty("att").GetProperty("estimate").GetDouble(), 1e-6);
        Assert.Equal(705.22976406162, root.GetProperty("att").GetProperty("se").GetDouble(), 1e-6);
        Assert.Equal("CR1 by subclass", root.GetProperty("att").GetProperty("se_type").GetString());

        // Pairs agree with the reference match matrix row for row.
        var expected = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Evaluation", "Data", "lalonde_pairs_a_nn_noreplace.csv"))
            .Skip(1)
            .Select(l => l.Split(','))
            .ToDictionary(f => f[0], f => f[2], StringComparer.Ordinal);
        var pairs = root.GetProperty("pairs").EnumerateArray().ToList();
        Assert.Equal(185, pairs.Count);
        Assert.All(pairs, p => Assert.Equal(expected[p.GetProperty("treated").GetString()!], p.GetProperty("control").GetString()));

        var age = root.GetProperty("balance").EnumerateArray().Single(b => b.GetProperty("term").GetString() == "age");
        Assert.Equal(-0.3094452619979815, age.GetProperty("smd_before").GetDouble(), 1e-12);
        Assert.Equal(0.071769689750955754, age.GetProperty("smd_after").GetDouble(), 1e-12);
        Assert.Equal(JsonValueKind.Object, root.GetProperty("did").GetProperty("pre_trend").ValueKind);

        var html = File.ReadAllText(report);
        Assert.Contains("data:image/png;base64,", html, StringComparison.Ordinal);
        Assert.Contains("turned around", html, StringComparison.Ordinal);
        Assert.Contains("Selection on observables", html, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_dir, "report.love.svg")));
        Assert.True(File.Exists(Path.Combine(_dir, "report.overlap.png")));
    }

    [Fact]
    public void Evaluate_LogitCaliperAndReplacement_ReproduceMatchItCounts()
    {
        var b = Path.Combine(_dir, "b.json");
        var (code, _, err) = Hearth("evaluate", "--data", Lalonde, "--id", "id", "--treatment", "treat", "--covariates", Covariates, "--outcome", "re78", "--distance", "logit", "--caliper", "0.1", "--json", b);
        Assert.True(code == 0, err);
        using (var doc = JsonDocument.Parse(File.ReadAllText(b)))
        {
            // Oracle run (b): 112 pairs, ATT 1309.5984343750.
            Assert.Equal(112, doc.RootElement.GetProperty("matched").GetProperty("treated").GetInt32());
            Assert.Equal(1309.598434375, doc.RootElement.GetProperty("att").GetProperty("estimate").GetDouble(), 1e-6);
        }

        var c = Path.Combine(_dir, "c.json");
        (code, _, err) = Hearth("evaluate", "--data", Lalonde, "--id", "id", "--treatment", "treat", "--covariates", Covariates, "--outcome", "re78", "--replace", "--json", c);
        Assert.True(code == 0, err);
        using (var doc = JsonDocument.Parse(File.ReadAllText(c)))
        {
            // Oracle run (c): 82 distinct controls, ATT 1991.6152735135, HC3 942.8197.
            Assert.Equal(82, doc.RootElement.GetProperty("matched").GetProperty("controls").GetInt32());
            Assert.Equal(1991.6152735135, doc.RootElement.GetProperty("att").GetProperty("estimate").GetDouble(), 1e-6);
            Assert.Equal("HC3", doc.RootElement.GetProperty("att").GetProperty("se_type").GetString());
        }
    }

    [Fact]
    public void Evaluate_MissingColumn_NamesFileAndColumn()
    {
        var (code, _, err) = Hearth("evaluate", "--data", Lalonde, "--id", "id", "--treatment", "treat", "--covariates", "age,wage", "--outcome", "re78");
        Assert.NotEqual(0, code);
        Assert.Contains("lalonde.csv", err, StringComparison.Ordinal);
        Assert.Contains("column 'wage': no such column", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_NonBinaryTreatment_NamesTheLine()
    {
        var data = Write("t.csv", "id,treat,x,y\na,1,1,2\nb,0,2,3\nc,2,3,4\n");
        var (code, _, err) = Hearth("evaluate", "--data", data, "--id", "id", "--treatment", "treat", "--covariates", "x", "--outcome", "y");
        Assert.NotEqual(0, code);
        Assert.Contains("t.csv, line 4, column 'treat': the treatment must be 0 or 1, not '2'", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_NoComparisonUnits_SaysSo()
    {
        var data = Write("e.csv", "id,treat,x,y\na,1,1,2\nb,1,2,3\n");
        var (code, _, err) = Hearth("evaluate", "--data", data, "--id", "id", "--treatment", "treat", "--covariates", "x", "--outcome", "y");
        Assert.NotEqual(0, code);
        Assert.Contains("no comparison units", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_UnparsableNumber_NamesLineAndColumn()
    {
        var rows = string.Join("\n", Enumerable.Range(0, 10).Select(i => string.Create(CultureInfo.InvariantCulture, $"u{i},{i % 2},{(i == 6 ? "4O" : (20 + i).ToString(CultureInfo.InvariantCulture))},{i}")));
        var data = Write("n.csv", "id,treat,age,y\n" + rows + "\n");
        var (code, _, err) = Hearth("evaluate", "--data", data, "--id", "id", "--treatment", "treat", "--covariates", "age", "--outcome", "y");
        Assert.NotEqual(0, code);
        Assert.Contains("n.csv, line 8, column 'age': '4O' is not a number", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_MissingRequiredOptionsAndFile_AreClearErrors()
    {
        var (code, _, err) = Hearth("evaluate", "--data", Lalonde);
        Assert.NotEqual(0, code);
        Assert.Contains("missing required option(s): --id, --treatment, --covariates, --outcome", err, StringComparison.Ordinal);
        (code, _, err) = Hearth("evaluate", "--data", Path.Combine(_dir, "nope.csv"), "--id", "id", "--treatment", "t", "--covariates", "x", "--outcome", "y");
        Assert.NotEqual(0, code);
        Assert.Contains("the file does not exist", err, StringComparison.Ordinal);
        (code, _, err) = Hearth("evaluate", "--data", Lalonde, "--id", "id", "--treatment", "treat", "--covariates", Covariates, "--outcome", "re78", "--distance", "mahalanobis");
        Assert.NotEqual(0, code);
        Assert.Contains("--distance must be ps or logit", err, StringComparison.Ordinal);
    }

    [Fact]
    public void TruthCheck_SyntheticCohort_PrintsNaiveMatchedAndTrueSideBySide()
    {
        var cohort = Write("programme_cohort.csv", SyntheticCohort.Csv());
        var report = Path.Combine(_dir, "truth.html");
        var (code, output, err) = Hearth("evaluate", "truth-check", "--cohort", cohort, "--report", report);
        Assert.True(code == 0, err);
        Assert.Contains("Naive before/after change among treated families", output, StringComparison.Ordinal);
        Assert.Contains("Matched estimate (ATT", output, StringComparison.Ordinal);
        Assert.Contains("True effect among treated families", output, StringComparison.Ordinal);
        Assert.Contains("-0.5 ", output, StringComparison.Ordinal);
        Assert.Contains("inside the matched CI", output, StringComparison.Ordinal);
        Assert.Contains("Truth check", File.ReadAllText(report), StringComparison.Ordinal);
    }

    [Fact]
    public void Staggered_NoiselessPanel_RecoversTheConstantEffect()
    {
        // Outcome = unit level + 0.1 × month, minus 0.5 from the month a family joins (months 3, 4 or never): trends
        // are parallel and the effect is constant, so every post-joining ATT(g, t) is exactly −0.5 and every placebo 0.
        var lines = new List<string> { "family,month,joined,offences" };
        for (var f = 0; f < 30; f++)
        {
            var joined = (f % 3) switch { 0 => 3, 1 => 4, _ => 0 };
            for (var t = 1; t <= 6; t++)
            {
                var y = (f * 0.25) + (0.1 * t) - (joined > 0 && t >= joined ? 0.5 : 0);
                lines.Add(string.Create(CultureInfo.InvariantCulture, $"F{f},{t},{(joined > 0 ? joined.ToString(CultureInfo.InvariantCulture) : string.Empty)},{y:R}"));
            }
        }

        var data = Write("panel.csv", string.Join("\n", lines) + "\n");
        var json = Path.Combine(_dir, "st.json");
        var (code, output, err) = Hearth("evaluate", "staggered", "--data", data, "--id", "family", "--period", "month", "--first-treated", "joined", "--outcome", "offences", "--bootstrap", "20", "--json", json);
        Assert.True(code == 0, err);
        Assert.Contains("Overall effect after joining: -0.5 ", output, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        Assert.Equal(-0.5, doc.RootElement.GetProperty("overall").GetProperty("estimate").GetDouble(), 1e-12);
        Assert.All(
            doc.RootElement.GetProperty("event_time").EnumerateArray().Where(e => e.GetProperty("event_time").GetInt32() < 0),
            e => Assert.Equal(0, e.GetProperty("estimate").GetDouble(), 1e-12));
    }

    [Fact]
    public void Staggered_FractionalPeriod_NamesLineAndColumn()
    {
        var data = Write("p.csv", "id,t,g,y\na,1,2,1\na,2.5,2,2\n");
        var (code, _, err) = Hearth("evaluate", "staggered", "--data", data, "--id", "id", "--period", "t", "--first-treated", "g", "--outcome", "y");
        Assert.NotEqual(0, code);
        Assert.Contains("p.csv, line 3, column 't': the period must be a whole number", err, StringComparison.Ordinal);
    }
}
