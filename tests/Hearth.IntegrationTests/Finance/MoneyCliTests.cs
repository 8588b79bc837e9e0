using System.Diagnostics;
using ClosedXML.Excel;

namespace Hearth.IntegrationTests.Finance;

/// <summary>The money verbs run as a user runs them: the built hearth command in a child process.</summary>
public sealed class MoneyCliTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "hearth-money-" + Guid.NewGuid().ToString("N"));

    public MoneyCliTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Example(string name)
    {
        var dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "Hearth.slnx")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return Path.Combine(dir!, "docs", "examples", name);
    }

    private static async Task<(int Code, string Out, string Error)> Hearth(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "hearth.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await output, await error);
    }

    [Fact]
    public async Task CostsShow_Jobseeker_ShowsTransferSplit()
    {
        var (code, output, _) = await Hearth("costs", "show", "E&E1.0");
        Assert.Equal(0, code);
        Assert.Contains("£9,234.00", output, StringComparison.Ordinal);
        Assert.Contains("£10,320.69", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CostsUprate_ShowsArithmeticAndResult()
    {
        // SS1.0 £51,080 (2013/14) × 195.97 / 190.0337266 = £52,675.64.
        var (code, output, _) = await Hearth("costs", "uprate", "SS1.0", "--to", "2015/16");
        Assert.Equal(0, code);
        Assert.Contains("£52,675.64", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CostsUprate_YearBeyondSeries_FailsWithReason()
    {
        var (code, _, error) = await Hearth("costs", "uprate", "SS1.0", "--to", "2020/21");
        Assert.Equal(1, code);
        Assert.Contains("no index for 2020/21", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CostsSearch_WithLaterDeflatorFile_Uprates()
    {
        var deflator = Path.Combine(_dir, "deflator.csv");
        await File.WriteAllTextAsync(deflator, "price_year,index\n2016/17,200.000\n", TestContext.Current.CancellationToken);
        var (code, output, _) = await Hearth("costs", "search", "foster care", "--price-year", "2016/17", "--deflator", deflator);
        Assert.Equal(0, code);
        Assert.Contains("SS2.0", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ContractRun_Essex_PrintsCapAndWritesIndigoFiles()
    {
        var (code, output, _) = await Hearth("contract", "run", Example("essex-edge-of-care-sib.yaml"), "--out", _dir);
        Assert.Equal(0, code);
        Assert.Contains("overall cap £7,100,000.00 reached", output, StringComparison.Ordinal);
        Assert.Contains("1.450× of committed capital", output, StringComparison.Ordinal);
        var flows = await File.ReadAllLinesAsync(Path.Combine(_dir, "cashflows.csv"), TestContext.Current.CancellationToken);
        Assert.StartsWith("2019-03-31,outcome payment,", flows[^1], StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_dir, "indigo-transactions.csv")));
    }

    [Fact]
    public async Task Cba_Example_WritesReportCsvAndWorkbookThatAgree()
    {
        var html = Path.Combine(_dir, "cba.html");
        var csv = Path.Combine(_dir, "cba.csv");
        var xlsx = Path.Combine(_dir, "cba.xlsx");
        var (code, output, error) = await Hearth("cba", Example("cba-family-intervention.yaml"), "--report", html, "--csv", csv, "--xlsx", xlsx);
        Assert.True(code == 0, error);
        Assert.Contains("Net present public value", output, StringComparison.Ordinal);
        var page = await File.ReadAllTextAsync(html, TestContext.Current.CancellationToken);
        Assert.Equal(2, page.Split("data:image/png;base64,").Length - 1);

        // The CSV's benefit rows re-add to the summary's public value (rows marked in_public_value = yes).
        var lines = (await File.ReadAllLinesAsync(csv, TestContext.Current.CancellationToken)).Select(l => l.Split(',')).ToList();
        var header = lines[0].ToList();
        int table = 0, pv = header.IndexOf("present_value"), inPublic = header.IndexOf("in_public_value");
        var publicRows = lines.Where(l => l[table] == "benefits" && l[inPublic] == "yes").Sum(l => decimal.Parse(l[pv], System.Globalization.CultureInfo.InvariantCulture));
        var publicValueLine = File.ReadLines(csv).Single(l => l.StartsWith("summary,\"Public value, present value\",", StringComparison.Ordinal));
        var stated = decimal.Parse(publicValueLine.Split(',')[3], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(stated, publicRows);

        using var workbook = new XLWorkbook(xlsx);
        Assert.Contains(workbook.Worksheets, s => s.Name == "who_benefits");
        var benefits = workbook.Worksheet("benefits");
        Assert.Equal("present_value", benefits.Cell(1, 13).GetString());
    }

    [Fact]
    public async Task Cba_MalformedYaml_FailsWithFileAndLine()
    {
        var bad = Path.Combine(_dir, "bad.yaml");
        await File.WriteAllTextAsync(bad, "analysis:\n  name: x\n  price_year: 2015/16\n  horizon_years: ten\n", TestContext.Current.CancellationToken);
        var (code, _, error) = await Hearth("cba", bad);
        Assert.Equal(1, code);
        Assert.Contains("bad.yaml, line 4, field 'horizon_years': 'ten' is not a number", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ContractRun_MissingFile_Fails()
    {
        var (code, _, error) = await Hearth("contract", "run", Path.Combine(_dir, "nope.yaml"));
        Assert.Equal(1, code);
        Assert.Contains("file not found", error, StringComparison.Ordinal);
    }
}
