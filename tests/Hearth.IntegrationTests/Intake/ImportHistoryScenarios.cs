using System.Text;
using Hearth.Core.Access;
using Hearth.Core.Audit;
using Hearth.Core.Data;
using Hearth.Core.Intake;
using Hearth.IntegrationTests.Infrastructure;
using Hearth.IntegrationTests.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Hearth.IntegrationTests.Intake;

/// <summary>The data officer's view of intake (<see cref="ImportHistoryService"/>) on every database provider.</summary>
public abstract class ImportHistoryScenarios : StoreScenarios
{
    private static readonly Actor Lead = new("u-lead", "data.lead", new HashSet<HearthRole> { HearthRole.DataLead });

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2024, 6, 3, 10, 0, 0, TimeSpan.Zero));
    private async Task<T> WithServiceAsync<T>(Func<ImportHistoryService, HearthDb, Task<T>> work)
    {
        await using var db = Factory.Create();
        return await work(new ImportHistoryService(db, new IntakeService(db, _time), new AuditTrail(_time)), db);
    }

    private Task<ImportResult> UploadAsync(string name, string text) =>
        WithServiceAsync((s, _) => s.UploadAsync(Lead, new ImportUpload(new MemoryStream(Encoding.UTF8.GetBytes(text)), name, "police", "asb"), Ct));

    [Fact]
    public async Task Uploads_ListNewestFirst_PagedWithIssuesByColumnAndQuarantineAudited()
    {
        var first = await UploadAsync("one.csv", DataWebTestData.AsbCsv("ONE", 2, badRows: true));
        var second = await UploadAsync("two.csv", DataWebTestData.AsbCsv("TWO", 3, badRows: false));
        var third = await UploadAsync("three.csv", DataWebTestData.AsbCsv("THREE", 1, badRows: false));
        Assert.All([first, second, third], r => Assert.Equal(ImportOutcome.Imported, r.Outcome));

        // Three datasets, two a page: the newest two, then the first.
        var page1 = await WithServiceAsync((s, _) => s.ListAsync(Lead, 1, 2, Ct));
        Assert.Equal([third.DatasetId!.Value, second.DatasetId!.Value], page1.Items.Select(i => i.Id));
        Assert.Equal((3, 2, 1, 2), (page1.Total, page1.Pages, page1.First, page1.Last));
        Assert.Equal("Northbridge Police", page1.Items[0].AgencyName);
        Assert.Equal("data.lead", page1.Items[0].ImportedBy);
        var page2 = await WithServiceAsync((s, _) => s.ListAsync(Lead, 2, 2, Ct));
        Assert.Equal([first.DatasetId!.Value], page2.Items.Select(i => i.Id));

        // The first file: 2 good rows, a bad incident date (line 4) and a short row (line 5).
        var id = first.DatasetId.Value;
        var detail = (await WithServiceAsync((s, _) => s.GetAsync(Lead, id, Ct)))!;
        Assert.Equal((4, 2, 2), (detail.Summary.RowsRead, detail.Summary.RowsStored, detail.Summary.RowsQuarantined));
        Assert.Equal([("INCIDENT_DATE", 1), (null, 1)], detail.Columns.Select(c => (c.Column, c.Count)));
        Assert.Equal(2, detail.Issues);
        var dateIssues = await WithServiceAsync((s, _) => s.IssuesAsync(Lead, id, "INCIDENT_DATE", 1, 10, Ct));
        Assert.Equal(4, Assert.Single(dateIssues.Items).RowNumber);
        var rowIssues = await WithServiceAsync((s, _) => s.IssuesAsync(Lead, id, string.Empty, 1, 10, Ct));
        Assert.Equal(5, Assert.Single(rowIssues.Items).RowNumber);
        var quarantined = await WithServiceAsync((s, _) => s.QuarantinedAsync(Lead, id, 2, 1, Ct));
        Assert.Equal((5, 2, 2), (Assert.Single(quarantined.Items).RowNumber, quarantined.Total, quarantined.First));

        var audit = await WithServiceAsync((_, db) => db.AuditEntries.OrderBy(a => a.Id).ToListAsync(Ct));
        Assert.Equal(["import.upload", "import.upload", "import.upload", "import.quarantine.view"], audit.Select(a => a.Action));
        Assert.Equal("quarantined rows 2-2 of 2 shown", audit[^1].Detail);
        Assert.All(audit, a => Assert.Equal(ImportHistoryService.Purpose, a.Purpose));
    }

    [Fact]
    public async Task ErrorReport_IsTheCliCsv_AndUnknownDatasetsAreNull()
    {
        var result = await UploadAsync("bad.csv", DataWebTestData.AsbCsv("CSV", 1, badRows: true));
        var text = new StringWriter();
        Assert.True(await WithServiceAsync((s, _) => s.WriteErrorReportAsync(Lead, result.DatasetId!.Value, text, Ct)));
        var lines = text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        // Header line 1, the good row line 2, the bad date line 3.
        Assert.StartsWith($"bad.csv,{result.DatasetId},3,INCIDENT_DATE,start_date,Error,invalid_date,", lines[1], StringComparison.Ordinal);
        Assert.Null(await WithServiceAsync((s, _) => s.GetAsync(Lead, 999_999, Ct)));
        Assert.False(await WithServiceAsync((s, _) => s.WriteErrorReportAsync(Lead, 999_999, new StringWriter(), Ct)));
    }

    [Fact]
    public async Task OtherRoles_AreDeniedAndTheDenialAudited()
    {
        var analyst = new Actor("u-an", "analyst", new HashSet<HearthRole> { HearthRole.Analyst });
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => WithServiceAsync((s, _) => s.QuarantinedAsync(analyst, 1, 1, 10, Ct)));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => WithServiceAsync((s, _) =>
            s.UploadAsync(analyst, new ImportUpload(new MemoryStream([1]), "x.csv", "police", "asb"), Ct)));
        var audit = await WithServiceAsync((_, db) => db.AuditEntries.OrderBy(a => a.Id).ToListAsync(Ct));
        Assert.Equal([("import.quarantine.view", AuditOutcomes.Denied), ("import.upload", AuditOutcomes.Denied)], audit.Select(a => (a.Action, a.Outcome)));
        Assert.Equal(0, await WithServiceAsync((_, db) => db.Datasets.CountAsync(Ct)));
    }
}

/// <summary>The import history scenarios on a SQLite file.</summary>
public sealed class SqliteImportHistoryTests : ImportHistoryScenarios
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "hearth-history-" + Guid.NewGuid().ToString("N")[..10]);

    protected override Task<HearthDatabaseOptions> CreateDatabaseAsync()
    {
        Directory.CreateDirectory(_directory);
        return Task.FromResult(HearthDatabaseOptions.Sqlite(Path.Combine(_directory, "hearth.db")));
    }

    public override ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }

        return base.DisposeAsync();
    }
}

/// <summary>The import history scenarios on a fresh PostgreSQL database.</summary>
public sealed class PostgresImportHistoryTests(PostgresServer server) : ImportHistoryScenarios
{
    protected override async Task<HearthDatabaseOptions> CreateDatabaseAsync() =>
        HearthDatabaseOptions.Postgres(await server.CreateDatabaseAsync());
}
