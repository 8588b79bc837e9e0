using System.Diagnostics;
using System.Globalization;
using System.Text;
using Hearth.Core.Data;
using Hearth.Core.Intake;
using Hearth.IntegrationTests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using static Hearth.IntegrationTests.Intake.IntakeTestData;

namespace Hearth.IntegrationTests.Intake;

/// <summary>
/// An import is one atomic unit: a <c>hearth import</c> process killed (SIGKILL) while its transaction is
/// open leaves no dataset, source record, event, quarantined row or issue from that file, the database
/// passes its integrity check, and running the import again completes with every row.
/// </summary>
public abstract class ImportCrashScenarios : IAsyncLifetime
{
    private const int Rows = 300_000;
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "hearth-crash-" + Guid.NewGuid().ToString("N")[..10]);
    private readonly StringBuilder _output = new();
    private HearthDbFactory? _factory;

    protected string Directory => _directory;

    protected HearthDatabaseOptions Options { get; private set; } = null!;

    /// <summary>What the last look at the child's import saw (for a failure message).</summary>
    protected string LastSeen { get; set; } = "nothing";

    protected abstract Task<HearthDatabaseOptions> CreateDatabaseAsync();

    /// <summary>The command-line options naming the database for a child <c>hearth</c> process.</summary>
    protected abstract string[] DatabaseArguments();

    /// <summary>True once the child's import transaction is open and writing rows.</summary>
    protected abstract Task<bool> ImportIsWritingAsync();

    /// <summary>Waits until nothing of the killed import is still running on the server side.</summary>
    protected virtual Task WaitForAbortAsync() => Task.CompletedTask;

    /// <summary>The database's own consistency check; an empty list when it is clean.</summary>
    protected abstract Task<IReadOnlyList<string>> IntegrityProblemsAsync();

    public async ValueTask InitializeAsync()
    {
        System.IO.Directory.CreateDirectory(_directory);
        Options = await CreateDatabaseAsync();
        _factory = new HearthDbFactory(Options);
        await _factory.MigrateAsync(TestContext.Current.CancellationToken);
    }

    public virtual ValueTask DisposeAsync()
    {
        try
        {
            System.IO.Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A killed process may still hold a file briefly; the temporary directory is left behind.
        }

        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Import_ProcessKilledMidTransaction_LeavesNothingAndRerunCompletes()
    {
        var ct = TestContext.Current.CancellationToken;
        var mappingPath = Path.Combine(_directory, "asb.yaml");
        await File.WriteAllTextAsync(mappingPath, AsbMappingYaml, ct);
        var file = Path.Combine(_directory, "asb.csv");
        WriteFile(file);

        // An earlier, committed import must survive the crash untouched.
        var earlier = Path.Combine(_directory, "earlier.csv");
        await File.WriteAllTextAsync(earlier, AsbHeader + "\n" +
            Asb("PX1", "SMITH", "Jo", "01/02/2010", "Male", "1 High St", "NB4 7QT", "", "03/04/2021", "Nuisance", "Perpetrator") + "\n", ct);
        await using (var db = _factory!.Create())
        {
            var first = await new IntakeService(db, TimeProvider.System).ImportAsync(new ImportRequest(earlier, Mapping(AsbMappingYaml), "test"), null, ct);
            Assert.Equal(ImportOutcome.Imported, first.Outcome);
        }

        var child = StartImport(mappingPath, file);
        try
        {
            var deadline = Stopwatch.StartNew();
            while (!await ImportIsWritingAsync())
            {
                if (child.HasExited)
                {
                    Assert.Fail("the import ended before it could be interrupted; last seen: " + LastSeen + "; exit code " +
                        child.ExitCode.ToString(CultureInfo.InvariantCulture) + ": " + _output + await child.StandardError.ReadToEndAsync(ct));
                }

                Assert.True(deadline.Elapsed < TimeSpan.FromMinutes(3), "the import never started writing");
                await Task.Delay(50, ct);
            }

            Assert.False(child.HasExited, "the import ended before it could be interrupted; last seen: " + LastSeen);
            child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync(ct);
        }
        finally
        {
            if (!child.HasExited)
            {
                child.Kill(entireProcessTree: true);
            }

            child.Dispose();
        }

        await WaitForAbortAsync();
        await using (var db = _factory.Create())
        {
            var dataset = Assert.Single(await db.Datasets.AsNoTracking().ToListAsync(ct));
            Assert.Equal("earlier.csv", dataset.FileName);
            Assert.Equal(1, await db.SourceRecords.CountAsync(ct));
            Assert.Equal(1, await db.Events.CountAsync(ct));
            Assert.Equal(0, await db.QuarantinedRows.CountAsync(ct));
            Assert.Equal(0, await db.ImportIssues.CountAsync(i => i.DatasetId != dataset.Id, ct));
        }

        Assert.Empty(await IntegrityProblemsAsync());

        await using (var db = _factory.Create())
        {
            var rerun = await new IntakeService(db, TimeProvider.System).ImportAsync(new ImportRequest(file, Mapping(AsbMappingYaml), "test"), null, ct);
            Assert.Equal(ImportOutcome.Imported, rerun.Outcome);
            Assert.Equal((Rows, Rows, 0, 0), (rerun.RowsRead, rerun.RowsStored, rerun.RowsQuarantined, rerun.RowsDuplicate));
        }

        await using (var db = _factory.Create())
        {
            Assert.Equal(2, await db.Datasets.CountAsync(ct));
            Assert.Equal(Rows + 1, await db.Events.CountAsync(ct));
        }
    }

    /// <summary><see cref="Rows"/> distinct ASB rows, about 70 bytes each.</summary>
    private static void WriteFile(string path)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16);
        writer.Write(AsbHeader + "\n");
        for (var i = 0; i < Rows; i++)
        {
            var day = new DateOnly(2020, 1, 1).AddDays(i % 1000);
            writer.Write(Asb(
                "PN" + (i / 3).ToString(CultureInfo.InvariantCulture), "SMITH", "Jo", "01/02/2010", "Male", "1 High St", "NB4 7QT", "",
                day.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture), "Nuisance", i % 2 == 0 ? "Perpetrator" : "Victim"));
            writer.Write('\n');
        }
    }

    private Process StartImport(string mappingPath, string file)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        // hearth.dll is run with the test assembly's runtime and dependency files, which name every package it needs.
        var bin = AppContext.BaseDirectory;
        foreach (var argument in (string[])[
            "exec", "--runtimeconfig", Path.Combine(bin, "Hearth.IntegrationTests.runtimeconfig.json"), "--depsfile", Path.Combine(bin, "Hearth.IntegrationTests.deps.json"),
            Path.Combine(bin, "hearth.dll"), "import", "--agency", "police", "--kind", "asb-incidents",
            "--mapping", mappingPath, .. DatabaseArguments(), file])
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("hearth could not be started");
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                _output.AppendLine(e.Data);
            }
        };
        process.BeginOutputReadLine();
        return process;
    }
}

/// <summary>On SQLite: the child holds the write lock while it imports.</summary>
public sealed class SqliteImportCrashTests : ImportCrashScenarios
{
    private Stopwatch? _locked;

    private string DatabasePath => Path.Combine(Directory, "hearth.db");

    protected override Task<HearthDatabaseOptions> CreateDatabaseAsync() => Task.FromResult(HearthDatabaseOptions.Sqlite(DatabasePath));

    protected override string[] DatabaseArguments() => ["--database", DatabasePath];

    protected override async Task<bool> ImportIsWritingAsync()
    {
        // Another writer holds the write lock (BEGIN IMMEDIATE fails at once), and has held it for two
        // seconds: longer than starting up and checking migrations takes, so the import's transaction is open.
        // (The rows may all still be in the writer's page cache, so the journal files are no signal.)
        // (A command timeout of 0 would wait for the lock forever; one second is the shortest.)
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false, DefaultTimeout = 1 }.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "BEGIN IMMEDIATE; ROLLBACK;";
        try
        {
            await command.ExecuteNonQueryAsync();
            _locked = null;
            LastSeen = "the database is not locked";
            return false;
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 5)
        {
            _locked ??= Stopwatch.StartNew();
            LastSeen = string.Create(CultureInfo.InvariantCulture, $"locked for {_locked.Elapsed.TotalSeconds:F1} s");
            return _locked.Elapsed > TimeSpan.FromSeconds(2);
        }
    }

    protected override async Task<IReadOnlyList<string>> IntegrityProblemsAsync()
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        var problems = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var line = reader.GetString(0);
            if (line != "ok")
            {
                problems.Add(line);
            }
        }

        return problems;
    }
}

/// <summary>
/// On PostgreSQL: the child is killed while its binary COPY into the staging table runs; the server aborts
/// the transaction when the connection drops. The B-tree indexes of the intake tables are then checked with
/// amcheck.
/// </summary>
public sealed class PostgresImportCrashTests(PostgresServer server) : ImportCrashScenarios
{
    private string _connection = string.Empty;

    protected override async Task<HearthDatabaseOptions> CreateDatabaseAsync()
    {
        _connection = await server.CreateDatabaseAsync();
        return HearthDatabaseOptions.Postgres(_connection);
    }

    protected override string[] DatabaseArguments() => ["--postgres", _connection];

    protected override async Task<bool> ImportIsWritingAsync()
    {
        await using var connection = new NpgsqlConnection(_connection);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT state, backend_xid IS NOT NULL, left(query, 40) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var seen = new List<string>();
        var writing = false;
        while (await reader.ReadAsync())
        {
            var (state, hasXid, query) = (reader.IsDBNull(0) ? null : reader.GetString(0), reader.GetBoolean(1), reader.IsDBNull(2) ? string.Empty : reader.GetString(2));
            seen.Add($"{state} xid={hasXid} {query}");
            writing |= hasXid && query.StartsWith("COPY intake_staging", StringComparison.Ordinal);
        }

        LastSeen = seen.Count == 0 ? "no other connection" : string.Join(" | ", seen);
        return writing;
    }

    protected override async Task WaitForAbortAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (await CountAsync("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL") > 0)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromMinutes(1), "the killed import's transaction is still open on the server");
            await Task.Delay(50);
        }
    }

    protected override async Task<IReadOnlyList<string>> IntegrityProblemsAsync()
    {
        await using var connection = new NpgsqlConnection(_connection);
        await connection.OpenAsync();
        await using (var create = new NpgsqlCommand("CREATE EXTENSION IF NOT EXISTS amcheck", connection))
        {
            await create.ExecuteNonQueryAsync();
        }

        // bt_index_check raises an error for a corrupt index; the query returns one row per index checked.
        await using var check = new NpgsqlCommand(
            "SELECT c.relname, bt_index_check(c.oid, true) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid " +
            "JOIN pg_class t ON t.oid = i.indrelid JOIN pg_am a ON a.oid = c.relam " +
            "WHERE a.amname = 'btree' AND t.relname IN ('datasets', 'source_records', 'events', 'quarantined_rows', 'import_issues')", connection);
        var checkedIndexes = 0;
        await using var reader = await check.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            checkedIndexes++;
        }

        return checkedIndexes == 0 ? ["no index was checked"] : [];
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_connection);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync() ?? 0L);
    }
}
