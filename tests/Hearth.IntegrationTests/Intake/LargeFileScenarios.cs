using System.Diagnostics;
using System.Globalization;
using System.Text;
using Hearth.Core.Data;
using Hearth.Core.Intake;
using Hearth.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Hearth.IntegrationTests.Intake;

/// <summary>Large-file tests run alone, so the process's memory is theirs to measure.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LargeFileTestGroup
{
    public const string Name = "Large files";
}

/// <summary>
/// A file of a few hundred megabytes, generated here, streams through the importer: the process's working
/// set grows by far less than the file's size (a memory bound, not a timing check), and the counts still
/// add up at scale, with bad rows and repeated rows scattered through the file.
/// </summary>
public abstract class LargeFileScenarios : IAsyncLifetime
{
    private const int Rows = 600_000;
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "hearth-large-" + Guid.NewGuid().ToString("N")[..10]);
    private HearthDbFactory? _factory;

    protected string Directory => _directory;

    protected abstract Task<HearthDatabaseOptions> CreateDatabaseAsync();

    public async ValueTask InitializeAsync()
    {
        System.IO.Directory.CreateDirectory(_directory);
        _factory = new HearthDbFactory(await CreateDatabaseAsync());
        await _factory.MigrateAsync(TestContext.Current.CancellationToken);
    }

    public virtual ValueTask DisposeAsync()
    {
        System.IO.Directory.Delete(_directory, recursive: true);
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Import_FileOfHundredsOfMegabytes_MemoryStaysBoundedAndCountsAddUp()
    {
        var path = Path.Combine(_directory, "asb-large.csv");
        var (bad, repeats) = Write(path);
        var size = new FileInfo(path).Length;
        Assert.True(size > 200L * 1024 * 1024, $"the generated file is only {size:N0} bytes");

        GC.Collect();
        GC.WaitForPendingFinalizers();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var baseline = process.WorkingSet64;
        var peak = baseline;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                process.Refresh();
                peak = Math.Max(peak, process.WorkingSet64);
                await Task.Delay(20, CancellationToken.None);
            }
        }, CancellationToken.None);

        ImportResult result;
        await using (var db = _factory!.Create())
        {
            result = await new IntakeService(db, TimeProvider.System).ImportAsync(
                new ImportRequest(path, IntakeTestData.Mapping(IntakeTestData.AsbMappingYaml), "test"), null, TestContext.Current.CancellationToken);
        }

        await stop.CancelAsync();
        await sampler;
        var growth = peak - baseline;

        Assert.Equal(Rows + repeats, result.RowsRead);
        Assert.Equal((Rows - bad, bad, repeats), (result.RowsStored, result.RowsQuarantined, result.RowsDuplicate));
        // The bound: the working set grows by less than half the file's size (measured: about 70 MiB for a
        // 222 MiB file on SQLite, whose page cache is capped at 32 MiB). Holding the file in memory would take
        // more than the file's size (UTF-16 strings are twice as big), so this fails if anything does that.
        Assert.True(growth < size / 2, $"working set grew by {growth / (1024 * 1024):N0} MiB while importing a {size / (1024 * 1024):N0} MiB file");
        TestContext.Current.SendDiagnosticMessage(string.Create(CultureInfo.InvariantCulture,
            $"{size / (1024 * 1024):N0} MiB file, working set growth {growth / (1024 * 1024):N0} MiB"));

        await using var check = _factory.Create();
        Assert.Equal(Rows - bad, await check.Events.CountAsync(TestContext.Current.CancellationToken));
    }

    /// <summary>
    /// Writes <see cref="Rows"/> distinct ASB rows with a long free-text type (so the file is big), one in every
    /// 10,000 with an unreadable incident date, and every 50,000th row written a second time at the end.
    /// </summary>
    private static (int Bad, int Repeats) Write(string path)
    {
        var padding = new string('x', 300);
        int bad = 0, repeats = 0;
        var repeated = new List<string>();
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16);
        writer.Write(IntakeTestData.AsbHeader + "\n");
        for (var i = 0; i < Rows; i++)
        {
            var isBad = i % 10_000 == 5_000;
            var date = isBad ? "31/04/2021" : new DateOnly(2020, 1, 1).AddDays(i % 1500).ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);
            var line = IntakeTestData.Asb(
                string.Create(CultureInfo.InvariantCulture, $"PN{i / 4}"), "SMITH", "Jo", "01/02/2010", "Male", "1 High St", "NB4 7QT", "",
                date, string.Create(CultureInfo.InvariantCulture, $"Nuisance {i} {padding}"), i % 2 == 0 ? "Perpetrator" : "Victim");
            writer.Write(line);
            writer.Write('\n');
            bad += isBad ? 1 : 0;
            if (i % 50_000 == 0)
            {
                repeated.Add(line);
            }
        }

        foreach (var line in repeated)
        {
            writer.Write(line);
            writer.Write('\n');
            repeats++;
        }

        return (bad, repeats);
    }
}

[Collection(LargeFileTestGroup.Name)]
public sealed class SqliteLargeFileTests : LargeFileScenarios
{
    protected override Task<HearthDatabaseOptions> CreateDatabaseAsync() =>
        Task.FromResult(HearthDatabaseOptions.Sqlite(Path.Combine(Directory, "hearth.db")));
}

[Collection(LargeFileTestGroup.Name)]
public sealed class PostgresLargeFileTests(PostgresServer server) : LargeFileScenarios
{
    protected override async Task<HearthDatabaseOptions> CreateDatabaseAsync() => HearthDatabaseOptions.Postgres(await server.CreateDatabaseAsync());
}
