using Hearth.Cli;

namespace Hearth.IntegrationTests.Synthetic;

/// <summary>The <c>hearth generate</c> verb: argument errors are clear and fail; a small run succeeds.</summary>
public sealed class GenerateCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "hearth-generate-" + Guid.NewGuid().ToString("N"));

    private static Commands.GenerateArguments Args(string dir, int households = 20, string start = "2019-09-01", string end = "2025-08-31", string? errors = null) =>
        new(households, 1, dir, start, end, errors, null);

    private static (int Exit, string Out, string Err) Run(Commands.GenerateArguments args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = Commands.RunGenerate(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void RunGenerate_NegativeHouseholds_FailsWithAClearMessage()
    {
        var (exit, _, err) = Run(Args(_dir, households: -3));
        Assert.NotEqual(0, exit);
        Assert.Contains("--households must be at least 1 (got -3)", err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_dir));
    }

    [Fact]
    public void RunGenerate_EndBeforeStart_FailsWithAClearMessage()
    {
        var (exit, _, err) = Run(Args(_dir, start: "2024-01-01", end: "2023-06-30"));
        Assert.NotEqual(0, exit);
        Assert.Contains("--end (2023-06-30) must be after --start (2024-01-01)", err, StringComparison.Ordinal);
    }

    [Fact]
    public void RunGenerate_DateNotInIsoForm_FailsNamingTheOption()
    {
        var (exit, _, err) = Run(Args(_dir, start: "01/09/2019"));
        Assert.NotEqual(0, exit);
        Assert.Contains("--start '01/09/2019' is not a date in the form yyyy-MM-dd", err, StringComparison.Ordinal);
    }

    [Fact]
    public void RunGenerate_OutputUnderAFile_FailsSayingItCannotWrite()
    {
        Directory.CreateDirectory(_dir);
        var file = Path.Combine(_dir, "not-a-directory");
        File.WriteAllText(file, "x");
        var (exit, _, err) = Run(Args(Path.Combine(file, "borough")));
        Assert.NotEqual(0, exit);
        Assert.Contains("cannot write the borough to", err, StringComparison.Ordinal);
    }

    [Fact]
    public void RunGenerate_OutputIsAFile_FailsSayingSo()
    {
        Directory.CreateDirectory(_dir);
        var file = Path.Combine(_dir, "borough.csv");
        File.WriteAllText(file, "x");
        var (exit, _, err) = Run(Args(file));
        Assert.NotEqual(0, exit);
        Assert.Contains("is a file, not a directory", err, StringComparison.Ordinal);
    }

    [Fact]
    public void RunGenerate_BadErrorsFile_FailsNamingFileAndLine()
    {
        Directory.CreateDirectory(_dir);
        var yaml = Path.Combine(_dir, "errors.yaml");
        File.WriteAllText(yaml, "typo: 0.05\nspelling: 0.1\n");
        var (exit, _, err) = Run(Args(Path.Combine(_dir, "out"), errors: yaml));
        Assert.NotEqual(0, exit);
        Assert.Contains("--errors: " + yaml + ", line 2", err, StringComparison.Ordinal);
    }

    [Fact]
    public void RunGenerate_RateOutOfRangeInErrorsFile_FailsNamingTheRate()
    {
        Directory.CreateDirectory(_dir);
        var yaml = Path.Combine(_dir, "errors.yaml");
        File.WriteAllText(yaml, "duplicate: 2\n");
        var (exit, _, err) = Run(Args(Path.Combine(_dir, "out"), errors: yaml));
        Assert.NotEqual(0, exit);
        Assert.Contains("error rate duplicate must be between 0 and 1", err, StringComparison.Ordinal);
    }

    [Fact]
    public void RunGenerate_SmallBorough_WritesExtractsTruthAndManifest()
    {
        var (exit, output, err) = Run(Args(_dir, households: 30));
        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, err);
        Assert.Contains("30 households", output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_dir, "manifest.json")));
        Assert.True(File.Exists(Path.Combine(_dir, "extracts", "police_offences.csv")));
        Assert.True(File.ReadLines(Path.Combine(_dir, "truth", "persons.csv")).Count() > 30);
    }

    [Fact]
    public void GenerateCommand_ParsedFromArguments_ReturnsNonZeroForBadHouseholds()
    {
        var exit = Commands.Generate().Parse(["--households", "-1", "--out", _dir]).Invoke();
        Assert.NotEqual(0, exit);
        Assert.False(Directory.Exists(_dir));
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }
}
