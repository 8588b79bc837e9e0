using Hearth.IntegrationTests.Infrastructure;

namespace Hearth.IntegrationTests.Intake;

/// <summary>The <c>hearth import</c> and <c>hearth quality</c> verbs, run in process on a SQLite file.</summary>
[Collection(ConsoleCapture.Name)]
public sealed class ImportCommandTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "hearth-cli-" + Guid.NewGuid().ToString("N")[..10]);

    public ImportCommandTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static async Task<(int Exit, string Error)> RunAsync(params string[] args)
    {
        var (exit, _, error) = await ConsoleCapture.RunHearthAsync(args);
        return (exit, error);
    }

    [Fact]
    public async Task Import_MappingWithTypo_ExitCode2AndLineOfTheTypo()
    {
        var mapping = Path.Combine(_directory, "asb.yaml");
        await File.WriteAllTextAsync(mapping, IntakeTestData.AsbMappingYaml.Replace("formats: [dd/MM/yyyy, yyyy-MM-dd, d-MMM-yyyy]", "fromats: [dd/MM/yyyy]", StringComparison.Ordinal), TestContext.Current.CancellationToken);
        var file = Path.Combine(_directory, "asb.csv");
        await File.WriteAllTextAsync(file, IntakeTestData.AsbHeader + "\n", TestContext.Current.CancellationToken);

        var (exit, error) = await RunAsync("import", "--agency", "police", "--kind", "asb-incidents", "--mapping", mapping,
            "--database", Path.Combine(_directory, "h.db"), file);

        Assert.Equal(2, exit);
        // Line 18: five header lines, three per column for PERSON_URN, LAST_NAME and FIRST_NAME, then DOB's fourth line.
        Assert.Contains("asb.yaml:18:5: unknown column key 'fromats' (did you mean 'formats'?)", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_GoodAndRejectedFiles_ExitCode1AndErrorReportListsBoth()
    {
        var mapping = Path.Combine(_directory, "asb.yaml");
        await File.WriteAllTextAsync(mapping, IntakeTestData.AsbMappingYaml, TestContext.Current.CancellationToken);
        var good = Path.Combine(_directory, "good.csv");
        await File.WriteAllTextAsync(good, IntakeTestData.AsbHeader + "\n" +
            IntakeTestData.Asb("PN1", "SMITH", "Jo", "31/02/2010", "Male", "1 High St", "NB4 7QT", "", "03/04/2021", "Nuisance", "Perpetrator") + "\n", TestContext.Current.CancellationToken);
        var bad = Path.Combine(_directory, "bad.csv");
        await File.WriteAllTextAsync(bad, "A;B\n1;2\n", TestContext.Current.CancellationToken);
        var report = Path.Combine(_directory, "errors.csv");

        var (exit, _) = await RunAsync("import", "--agency", "police", "--kind", "asb-incidents", "--mapping", mapping,
            "--database", Path.Combine(_directory, "h.db"), "--errors", report, good, bad);

        Assert.Equal(1, exit);
        var lines = await File.ReadAllLinesAsync(report, TestContext.Current.CancellationToken);
        Assert.Equal("file,dataset,row,column,field,severity,code,message", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("good.csv,1,2,DOB,date_of_birth,Warning,invalid_date,", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("bad.csv,,,,,Error,file_rejected,", StringComparison.Ordinal));

        var (qualityExit, _) = await RunAsync("quality", "--database", Path.Combine(_directory, "h.db"), "--json");
        Assert.Equal(0, qualityExit);
    }

    [Fact]
    public async Task Import_NoShippedMappingForAgencyAndKind_ExitCode2()
    {
        var (exit, error) = await RunAsync("import", "--agency", "police", "--kind", "nothing", "--database", Path.Combine(_directory, "h.db"), Path.Combine(_directory, "x.csv"));

        Assert.Equal(2, exit);
        Assert.Contains("Hearth has no shipped mapping for agency 'police', kind 'nothing'", error, StringComparison.Ordinal);
        Assert.Contains("--agency police --kind asb", error, StringComparison.Ordinal);
    }
}
