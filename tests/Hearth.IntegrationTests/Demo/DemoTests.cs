using Hearth.Cli;
using Hearth.Core.Data;
using Hearth.Core.Linkage;
using Hearth.Core.Synthetic;
using Microsoft.EntityFrameworkCore;

namespace Hearth.IntegrationTests.Demo;

/// <summary>The README's main command, end to end on a small borough in a SQLite file.</summary>
public sealed class DemoTests : IDisposable
{
    private readonly DirectoryInfo _folder = new(Path.Combine(Path.GetTempPath(), "hearth-demo-" + Guid.NewGuid().ToString("N")));

    [Fact]
    public async Task Demo_SmallBorough_ImportsEveryExtractLosingNothingAndRerunChangesNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal(0, await Commands.RunDemoAsync(300, 7, _folder, ct));

        var options = new DbContextOptionsBuilder<SqliteHearthDb>()
            .UseSqlite($"Data Source={Path.Combine(_folder.FullName, "hearth.db")}").Options;
        int datasets;
        long stored, read, records;
        await using (var db = new SqliteHearthDb(options))
        {
            datasets = await db.Datasets.CountAsync(ct);
            read = await db.Datasets.SumAsync(d => (long)d.RowsRead, ct);
            stored = await db.Datasets.SumAsync(d => (long)d.RowsStored + d.RowsQuarantined + d.RowsDuplicate, ct);
            records = await db.SourceRecords.LongCountAsync(ct);
        }

        // One dataset per extract the generator writes, and every row read is accounted for.
        Assert.Equal(OutputFiles.All.Count(f => f.IsExtract), datasets);
        Assert.Equal(BoroughImport.Extracts.Count, datasets);
        Assert.True(read > 1_000, $"only {read} rows were read");
        Assert.Equal(read, stored);
        Assert.True(records > 0);

        // Linking the stored records recovers the borough's people: checked against the generator's truth.
        await using (var db = new SqliteHearthDb(options))
        {
            var store = await StoreLinkage.ReadAsync(db, ct);
            var agencyOfExtract = BoroughImport.Extracts.ToDictionary(e => e.File, e => e.Agency, StringComparer.Ordinal);
            var labels = StoreLinkage.TruthLabels(store, Path.Combine(_folder.FullName, "northbridge", "truth", "records.csv"), agencyOfExtract);
            Assert.DoesNotContain(null, labels);
            var linked = StoreLinkage.Run(store, labels);
            Assert.True(linked.ClusterAccuracy!.Pairwise.Precision >= 0.99, $"person precision {linked.ClusterAccuracy.Pairwise.Precision:F4}");
            Assert.True(linked.ClusterAccuracy.Pairwise.Recall >= 0.95, $"person recall {linked.ClusterAccuracy.Pairwise.Recall:F4}");
        }

        // Running the demo again regenerates byte-identical files, so the imports are no-ops.
        Assert.Equal(0, await Commands.RunDemoAsync(300, 7, _folder, ct));
        await using (var db = new SqliteHearthDb(options))
        {
            Assert.Equal(datasets, await db.Datasets.CountAsync(ct));
            Assert.Equal(records, await db.SourceRecords.LongCountAsync(ct));
        }
    }

    [Fact]
    public async Task Demo_TooFewHouseholds_IsRefused() =>
        Assert.Equal(2, await Commands.RunDemoAsync(5, 1, _folder, TestContext.Current.CancellationToken));

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_folder.Exists)
        {
            _folder.Delete(recursive: true);
        }
    }
}
