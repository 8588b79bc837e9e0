using System.Diagnostics;

namespace Hearth.IntegrationTests.Linkage;

/// <summary>The <c>hearth link</c> command run as a process on real files.</summary>
public sealed class LinkCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hearth-link-").FullName;

    private static string Data(string file) => Path.Combine(AppContext.BaseDirectory, "Linkage", "Data", file);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Exit, string Output) Hearth(params string[] args)
    {
        var exe = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "hearth.exe" : "hearth");
        var start = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["COLUMNS"] = "200";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    private string Temp(string name) => Path.Combine(_dir, name);

    [Fact]
    public void Link_FebrlWithoutConfig_ConfiguresItselfWritesPairsClustersAndAccuracy()
    {
        var (exit, output) = Hearth(
            "link", "--left", Data("febrl4a.csv"), "--right", Data("febrl4b.csv"), "--id", "rec_id", "--labels", "rec_id",
            "--out", Temp("pairs.csv"), "--clusters", Temp("clusters.csv"), "--save-model", Temp("model.json"),
            "--write-config", Temp("config.yaml"), "--pr-curve", Temp("pr.csv"));

        Assert.Equal(0, exit);
        Assert.Contains("configured itself", output, StringComparison.Ordinal);
        Assert.Contains("best F1", output, StringComparison.Ordinal);
        var pairs = File.ReadAllLines(Temp("pairs.csv"));
        Assert.StartsWith("left_id,right_id,match_probability,match_weight", pairs[0], StringComparison.Ordinal);
        Assert.InRange(pairs.Length - 1, 4950, 5050);
        var clusters = File.ReadAllLines(Temp("clusters.csv"));
        Assert.Equal("id,cluster_id,source", clusters[0]);
        Assert.Equal(10_001, clusters.Length);
        Assert.Contains("rec-1070-dup-0,rec-1070-org,right", clusters);
        Assert.True(File.Exists(Temp("model.json")));
        Assert.True(new FileInfo(Temp("pr.png")).Length > 1000);

        // The written configuration, passed back, gives the same pairs.
        var (again, _) = Hearth(
            "link", "--left", Data("febrl4a.csv"), "--right", Data("febrl4b.csv"), "--id", "rec_id",
            "--config", Temp("config.yaml"), "--out", Temp("pairs2.csv"));
        Assert.Equal(0, again);
        Assert.Equal(pairs, File.ReadAllLines(Temp("pairs2.csv")));

        // The saved model, loaded, gives the same pairs without training.
        var (loaded, _) = Hearth(
            "link", "--left", Data("febrl4a.csv"), "--right", Data("febrl4b.csv"), "--id", "rec_id",
            "--config", Temp("config.yaml"), "--model", Temp("model.json"), "--out", Temp("pairs3.csv"));
        Assert.Equal(0, loaded);
        Assert.Equal(pairs, File.ReadAllLines(Temp("pairs3.csv")));

        // A saved model alone carries its configuration.
        var (modelOnly, _) = Hearth(
            "link", "--left", Data("febrl4a.csv"), "--right", Data("febrl4b.csv"), "--id", "rec_id",
            "--model", Temp("model.json"), "--out", Temp("pairs4.csv"));
        Assert.Equal(0, modelOnly);
        Assert.Equal(pairs, File.ReadAllLines(Temp("pairs4.csv")));
    }

    [Fact]
    public void Link_OneFile_Deduplicates()
    {
        // FEBRL 4's two halves in one file: deduplication must find the same people.
        var lines = File.ReadAllLines(Data("febrl4a.csv")).Take(301).Concat(File.ReadAllLines(Data("febrl4b.csv")).Skip(1).Take(300));
        File.WriteAllLines(Temp("both.csv"), lines);
        var (exit, output) = Hearth("link", "--left", Temp("both.csv"), "--id", "rec_id", "--labels", "rec_id", "--out", Temp("pairs.csv"), "--clusters", Temp("clusters.csv"));
        Assert.Equal(0, exit);
        Assert.Contains("deduplicate", output, StringComparison.Ordinal);
        Assert.Equal("id,cluster_id", File.ReadLines(Temp("clusters.csv")).First());
    }

    [Fact]
    public void Link_NoCandidatePairs_WarnsAndStillWritesEveryRecordsCluster()
    {
        File.WriteAllText(Temp("tiny.csv"), "id,first_name,surname,dob\n1,ann,smith,1980-01-01\n2,bob,jones,1970-02-02\n3,cat,brown,1960-03-03\n");
        var (exit, output) = Hearth("link", "--left", Temp("tiny.csv"), "--id", "id", "--labels", "id", "--out", Temp("p.csv"), "--clusters", Temp("c.csv"));
        Assert.Equal(0, exit);
        Assert.Contains("found no candidate pairs", output, StringComparison.Ordinal);
        Assert.Equal(["id,cluster_id", "1,1", "2,2", "3,3"], File.ReadAllLines(Temp("c.csv")));
    }

    [Fact]
    public void Link_MissingIdColumn_SaysSoAndFails()
    {
        var (exit, output) = Hearth("link", "--left", Data("febrl4a.csv"), "--id", "person_id", "--out", Temp("p.csv"));
        Assert.Equal(1, exit);
        Assert.Contains("no id column 'person_id'", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Link_DuplicateIds_NamesTheLinesAndFails()
    {
        File.WriteAllText(Temp("dup.csv"), "id,name\n1,ann\n2,bob\n1,cat\n");
        var (exit, output) = Hearth("link", "--left", Temp("dup.csv"), "--id", "id", "--out", Temp("p.csv"));
        Assert.Equal(1, exit);
        Assert.Contains("line 4: id '1' was already used on line 2", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Link_UnreadableFile_SaysSoAndFails()
    {
        var (exit, output) = Hearth("link", "--left", Temp("nope.csv"), "--id", "id", "--out", Temp("p.csv"));
        Assert.Equal(1, exit);
        Assert.Contains("file not found", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Link_MalformedConfig_NamesFileLineAndReason()
    {
        File.WriteAllText(Temp("bad.yaml"), "columns:\n  given_name: name\ncomparisons:\n  - field: given_name\n    levels: [exact, jaro_winkler 2]\nblocking:\n  - [given_name]\n");
        var (exit, output) = Hearth("link", "--left", Data("febrl4a.csv"), "--id", "rec_id", "--config", Temp("bad.yaml"), "--out", Temp("p.csv"));
        Assert.Equal(1, exit);
        Assert.Contains("bad.yaml, line 5: 'jaro_winkler 2' is not a comparison level", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Link_ThresholdOutOfRange_IsAnArgumentError()
    {
        var (exit, output) = Hearth("link", "--left", Data("febrl4a.csv"), "--id", "rec_id", "--threshold", "1.5", "--out", Temp("p.csv"));
        Assert.Equal(2, exit);
        Assert.Contains("--threshold", output, StringComparison.Ordinal);
    }
}
