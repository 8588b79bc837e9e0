using Hearth.Core.Data;
using Hearth.IntegrationTests.CaseWork;
using Hearth.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Hearth.IntegrationTests.Programmes;

/// <summary><c>hearth identify</c> on the store keeps its CSV and console output and stores the run for the web app's list.</summary>
[Collection(ConsoleCapture.Name)]
public sealed class IdentifyCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hearth-identify-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Identify_OnTheStore_WritesTheCsvAndStoresTheRun()
    {
        var ct = TestContext.Current.CancellationToken;
        var database = Path.Combine(_dir, "hearth.db");
        var factory = new HearthDbFactory(HearthDatabaseOptions.Sqlite(database));
        await factory.MigrateAsync(ct);
        await using (var db = factory.Create())
        {
            await CaseWorkTestData.SeedAsync(db, ct);
            await IdentificationTestData.AddCoverageAsync(db, ct);
        }

        var csv = Path.Combine(_dir, "identified.csv");
        var (exit, output, error) = await ConsoleCapture.RunHearthAsync("identify", "--framework", "supporting-families-2022", "--as-of", "2024-05-01",
            "--database", database, "--csv", csv, "--user", "tester", "--role", "TeamManager");
        Assert.True(exit == 0, error);
        Assert.Contains("Stored identification run 1 ", output, StringComparison.Ordinal);
        Assert.Contains("2 families read, 1 eligible", output, StringComparison.Ordinal);
        var lines = await File.ReadAllLinesAsync(csv, ct);
        Assert.Equal("family,framework,as_of,eligible,needs_raised,headlines_raised,needs,why_not", lines[0]);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("F9000001,supporting-families-2022,2024-05-01,yes,3,3,", lines.Single(l => l.StartsWith("F9000001", StringComparison.Ordinal)), StringComparison.Ordinal);

        await using var check = factory.Create();
        var run = await check.IdentificationRuns.SingleAsync(ct);
        Assert.Equal(("cli:tester", 2L, 1L, 1L), (run.RunBy, run.Families, run.Eligible, run.NotEligible));
        Assert.Equal(2, await check.IdentificationRunFamilies.CountAsync(r => r.RunId == run.Id, ct));
    }
}
