using System.Runtime.CompilerServices;
using Hearth.Core.Data;
using Hearth.Core.Intake;
using Hearth.Core.Synthetic;
using Hearth.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Hearth.IntegrationTests.Intake;

/// <summary>
/// Imports a small synthetic borough with Hearth's shipped mappings. Borough/ holds the header and first 40
/// rows of each extract written by <c>hearth generate --households 300 --seed 7</c> (generator 1.0.0), so
/// the test pins the extract layouts the mappings were written for.
/// </summary>
public abstract class BoroughImportScenarios : IAsyncLifetime
{
    private static readonly IReadOnlyList<(string File, string Agency, string Kind)> Extracts = BoroughImport.Extracts;

    private static readonly string[] ExpectedCodes = ["invalid_identifier", "implausible_date", "unmapped_column", "duplicate_row"];

    private HearthDbFactory? _factory;

    protected abstract Task<HearthDatabaseOptions> CreateDatabaseAsync();

    public async ValueTask InitializeAsync()
    {
        _factory = new HearthDbFactory(await CreateDatabaseAsync());
        await _factory.MigrateAsync(TestContext.Current.CancellationToken);
    }

    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    private static string BoroughDirectory([CallerFilePath] string source = "") => Path.Combine(Path.GetDirectoryName(source)!, "Borough");

    [Fact]
    public async Task ShippedMappings_ImportEveryBoroughExtractWithoutQuarantine()
    {
        Assert.Equal(Extracts.Count, MappingLoader.Shipped().Count);
        var total = 0;
        foreach (var (file, agency, kind) in Extracts)
        {
            var path = Path.Combine(BoroughDirectory(), file);
            var dataRows = File.ReadLines(path).Skip(1).Count(l => l.Length > 0);
            var mapping = MappingLoader.FindShipped(agency, kind) ?? throw new InvalidOperationException($"no mapping for {agency} {kind}");
            await using var db = _factory!.Create();
            var result = await new IntakeService(db, TimeProvider.System).ImportAsync(new ImportRequest(path, mapping, "test"), null, TestContext.Current.CancellationToken);

            Assert.True(result.Outcome == ImportOutcome.Imported, $"{file}: {string.Join("; ", result.Problems)}");
            Assert.Equal(dataRows, result.RowsRead);
            Assert.True(result.RowsQuarantined == 0, $"{file}: {result.RowsQuarantined} rows quarantined: {string.Join("; ", result.FirstIssues.Select(i => i.Message))}");
            Assert.Equal(result.RowsRead, result.RowsStored + result.RowsDuplicate);
            // Only injected identifier and date-of-birth errors may warn; dates, codes and numbers in the layouts all read.
            Assert.All(result.IssueCounts.Keys, code => Assert.Contains(code, ExpectedCodes));
            total += result.RowsStored;
        }

        await using var check = _factory!.Create();
        Assert.Equal(total, await check.Events.CountAsync(TestContext.Current.CancellationToken)
            + await check.SourceRecords.CountAsync(s => check.Datasets.Any(d => d.Id == s.DatasetId && d.EventType == EventTypes.Person), TestContext.Current.CancellationToken));
        Assert.Equal(8, await check.Agencies.CountAsync(TestContext.Current.CancellationToken));
        var eventTypes = await check.Events.Select(e => EF.Property<string>(e, "event_type")).Distinct().CountAsync(TestContext.Current.CancellationToken);
        Assert.Equal(12, eventTypes);
    }
}

public sealed class SqliteBoroughImportTests : BoroughImportScenarios
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "hearth-borough-" + Guid.NewGuid().ToString("N")[..10] + ".db");

    protected override Task<HearthDatabaseOptions> CreateDatabaseAsync() => Task.FromResult(HearthDatabaseOptions.Sqlite(_path));

    public override ValueTask DisposeAsync()
    {
        File.Delete(_path);
        return base.DisposeAsync();
    }
}

public sealed class PostgresBoroughImportTests(PostgresServer server) : BoroughImportScenarios
{
    protected override async Task<HearthDatabaseOptions> CreateDatabaseAsync() => HearthDatabaseOptions.Postgres(await server.CreateDatabaseAsync());
}
