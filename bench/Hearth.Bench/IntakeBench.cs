using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Hearth.Core.Data;
using Hearth.Core.Identifiers;
using Hearth.Core.Intake;
using Hearth.Core.Synthetic;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Bench;

/// <summary>
/// Intake throughput: generates a school attendance extract (or reads a given one), then times reading
/// alone, reading + mapping + validation, and full imports into SQLite and PostgreSQL.
/// Usage: <c>import [ROWS] [--file PATH | --borough DIR] [--postgres CONNECTION] [--no-postgres] [--no-sqlite]</c>. Without
/// <c>--postgres</c> a throwaway server is started from the PostgreSQL binaries, as the tests do.
/// </summary>
internal static class IntakeBench
{
    private const string MappingYaml = """
        agency: schools
        kind: attendance
        event_type: school_attendance
        columns:
          - { source: RecordID, field: record_id, type: string }
          - { source: UPN, field: upn, type: identifier }
          - { source: Surname, field: family_name, type: string }
          - { source: Forename, field: given_name, type: string }
          - { source: Gender, field: sex, type: code, codes: { M: male, F: female } }
          - { source: DOB, field: date_of_birth, type: date, formats: [yyyy-MM-dd] }
          - { source: Postcode, field: postcode, type: identifier }
          - { source: SchoolURN, field: school_id, type: string }
          - { source: Term, field: term, type: code, codes: { AUT: autumn, SPR: spring, SUM: summer } }
          - { source: TermStart, field: start_date, type: date, formats: [yyyy-MM-dd] }
          - { source: TermEnd, field: end_date, type: date, formats: [yyyy-MM-dd] }
          - { source: SessionsPossible, field: sessions_possible, type: int }
          - { source: SessionsAuthorisedAbsence, field: sessions_authorised_absence, type: int }
          - { source: SessionsUnauthorisedAbsence, field: sessions_unauthorised_absence, type: int }
        """;

    public static int Run(string[] args)
    {
        var rows = 1_000_000;
        string? file = null;
        string? borough = null;
        string? postgres = null;
        var withPostgres = true;
        var withSqlite = true;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--file":
                    file = args[++i];
                    break;
                case "--borough":
                    borough = args[++i];
                    break;
                case "--postgres":
                    postgres = args[++i];
                    break;
                case "--no-postgres":
                    withPostgres = false;
                    break;
                case "--no-sqlite":
                    withSqlite = false;
                    break;
                default:
                    rows = int.Parse(args[i], NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
                    break;
            }
        }

        var mapping = MappingLoader.Load(new StringReader(MappingYaml), "bench-attendance.yaml");
        var directory = Path.Combine(Path.GetTempPath(), "hearth-intake-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        Console.WriteLine("load average: " + (File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "unknown"));
        try
        {
            if (borough is not null)
            {
                return Borough(borough, directory, postgres, withSqlite, withPostgres);
            }

            if (file is null)
            {
                file = Path.Combine(directory, "attendance.csv");
                BenchRunner.Measure($"generate {rows:N0} rows", () => Generate(file, rows));
            }

            var bytes = new FileInfo(file).Length;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"file: {bytes / (1024.0 * 1024):F1} MiB"));
            var read = Timed("read (CSV parse only)", () => ReadOnly(file, mapping), bytes);
            Timed("read + map + validate + hash", () => MapOnly(file, mapping), bytes);
            if (withSqlite)
            {
                WriteOnly(HearthDatabaseOptions.Sqlite(Path.Combine(directory, "bench-write.db")), file, mapping);
                Timed("import into SQLite (file)", () => Import(HearthDatabaseOptions.Sqlite(Path.Combine(directory, "bench.db")), file, mapping), bytes);
            }

            if (withPostgres)
            {
                using var server = postgres is null ? ThrowawayPostgres.Start(directory) : null;
                var connection = postgres ?? server!.CreateDatabase("hearth_bench");
                WriteOnly(HearthDatabaseOptions.Postgres(server is null ? connection : server.CreateDatabase("hearth_bench_write")), file, mapping);
                Timed("import into PostgreSQL", () => Import(HearthDatabaseOptions.Postgres(connection), file, mapping), bytes);
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"rows: {read:N0}"));
            return 0;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>
    /// Times a phase by wall clock and by this process's CPU time. On a shared machine the wall-clock rate
    /// depends on the other work; the CPU rate is what the phase costs Hearth (for PostgreSQL, the server's
    /// own CPU is not included).
    /// </summary>
    private static int Timed(string label, Func<int> action, long bytes)
    {
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        var rows = BenchRunner.Measure(label, action);
        sw.Stop();
        process.Refresh();
        var cpuSeconds = (process.TotalProcessorTime - cpu).TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {label}: {rows / sw.Elapsed.TotalSeconds:N0} rows/s wall ({bytes / (1024.0 * 1024) / sw.Elapsed.TotalSeconds:F1} MiB/s), " +
            $"{cpuSeconds:F2} s CPU = {rows / cpuSeconds:N0} rows per CPU-second"));
        return rows;
    }

    private static int Generate(string path, int rows)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16);
        writer.Write("RecordID,UPN,Surname,Forename,Gender,DOB,Postcode,SchoolURN,AcademicYear,Term,TermStart,TermEnd,SessionsPossible,SessionsAuthorisedAbsence,SessionsUnauthorisedAbsence\n");
        string[] surnames = ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel", "Khan"];
        string[] forenames = ["Olivia", "Noah", "Amelia", "Muhammad", "Isla", "George", "Ava", "Leo", "Mia", "Oscar"];
        string[] terms = ["AUT", "SPR", "SUM"];
        var buffer = new StringBuilder(256);
        var upn = new char[13];
        for (var i = 0; i < rows; i++)
        {
            // About six terms per pupil: consecutive rows share a pupil, as extracts sorted by pupil do.
            var pupil = i / 6;
            var term = i % 6;
            var year = 2019 + (term / 3);
            var serial = (pupil % 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
            "801".CopyTo(0, upn, 1, 3);
            (pupil / 1_000_000 % 10_000).ToString("D4", CultureInfo.InvariantCulture).CopyTo(0, upn, 4, 4);
            "19".CopyTo(0, upn, 8, 2);
            serial.CopyTo(3, upn, 10, 3);
            upn[0] = UniquePupilNumber.CheckLetter(upn.AsSpan(1));
            var start = new DateOnly(year, (term % 3) switch { 0 => 9, 1 => 1, _ => 4 }, 2);
            var possible = 120 + (i % 30);
            buffer.Clear();
            buffer.Append(CultureInfo.InvariantCulture, $"SA{i:D11},{new string(upn)},{surnames[pupil % 10]},{forenames[pupil / 10 % 10]},{(pupil % 2 == 0 ? 'F' : 'M')},");
            buffer.Append(CultureInfo.InvariantCulture, $"{new DateOnly(2008, 1, 1).AddDays(pupil % 3000):yyyy-MM-dd},NB{pupil % 9 + 1} {pupil % 10}AB,{100000 + pupil % 50},");
            buffer.Append(CultureInfo.InvariantCulture, $"{year}/{(year + 1) % 100:D2},{terms[term % 3]},{start:yyyy-MM-dd},{start.AddDays(80):yyyy-MM-dd},{possible},{i % 7},{i % 5}\n");
            writer.Write(buffer);
        }

        return rows;
    }

    private static int ReadOnly(string path, ExtractMapping mapping)
    {
        using var source = RowSource.Open(path, mapping);
        source.ReadHeader(1);
        var n = 0;
        while (source.Read())
        {
            n++;
        }

        return n;
    }

    private static int MapOnly(string path, ExtractMapping mapping)
    {
        using var source = RowSource.Open(path, mapping);
        source.ReadHeader(1);
        var mapper = new RowMapper(mapping, source.Header, new DateOnly(2025, 1, 1));
        var row = new MappedRow();
        var issues = new List<RowIssue>();
        var n = 0;
        while (source.Read())
        {
            issues.Clear();
            if (mapper.Map(source, row, issues))
            {
                n++;
            }
        }

        return n;
    }

    /// <summary>
    /// Imports every extract of a generated borough (<c>hearth generate --out DIR</c>) into a new SQLite file and
    /// a new PostgreSQL database, as <c>hearth demo</c> does, and reports rows per second over all files.
    /// </summary>
    private static int Borough(string borough, string directory, string? postgres, bool withSqlite, bool withPostgres)
    {
        var bytes = BoroughImport.Extracts.Sum(e => new FileInfo(Path.Combine(borough, "extracts", e.File)).Length);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"borough: {BoroughImport.Extracts.Count} extracts, {bytes / (1024.0 * 1024):F1} MiB"));
        if (withSqlite)
        {
            Timed("borough into SQLite (file)", () => ImportBorough(HearthDatabaseOptions.Sqlite(Path.Combine(directory, "borough.db")), borough), bytes);
        }

        if (withPostgres)
        {
            using var server = postgres is null ? ThrowawayPostgres.Start(directory) : null;
            var connection = postgres ?? server!.CreateDatabase("hearth_borough");
            Timed("borough into PostgreSQL", () => ImportBorough(HearthDatabaseOptions.Postgres(connection), borough), bytes);
        }

        return 0;
    }

    private static int ImportBorough(HearthDatabaseOptions options, string borough)
    {
        var factory = new HearthDbFactory(options);
        factory.MigrateAsync().GetAwaiter().GetResult();
        using var db = factory.Create();
        var results = BoroughImport.ImportAsync(new IntakeService(db, TimeProvider.System), borough, "bench").GetAwaiter().GetResult();
        var read = results.Sum(r => r.Result.RowsRead);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  read {read:N0}, stored {results.Sum(r => r.Result.RowsStored):N0}, quarantined {results.Sum(r => r.Result.RowsQuarantined):N0}, duplicates {results.Sum(r => r.Result.RowsDuplicate):N0}"));
        return read;
    }

    /// <summary>
    /// The writing stage alone, for the breakdown: rows are read and mapped into memory first, then written,
    /// finished and committed, each step timed by this process's CPU time and wall time.
    /// </summary>
    private static void WriteOnly(HearthDatabaseOptions options, string path, ExtractMapping mapping)
    {
        var batches = new List<IntakeBatch>();
        using (var source = RowSource.Open(path, mapping))
        {
            source.ReadHeader(1);
            var mapper = new RowMapper(mapping, source.Header, new DateOnly(2025, 1, 1));
            var issues = new List<RowIssue>();
            var batch = new IntakeBatch();
            while (source.Read())
            {
                issues.Clear();
                if (mapper.Map(source, batch.Next(), issues))
                {
                    batch.Keep();
                }

                if (batch.IsFull)
                {
                    batches.Add(batch);
                    batch = new IntakeBatch();
                }
            }

            batches.Add(batch);
        }

        var factory = new HearthDbFactory(options);
        factory.MigrateAsync().GetAwaiter().GetResult();
        using var db = factory.Create();
        db.Database.OpenConnection();
        using var transaction = db.Database.BeginTransaction();
        db.Agencies.Add(new Agency { Id = mapping.Agency, Name = mapping.Agency, CreatedUtc = DateTime.UtcNow });
        var dataset = new Dataset
        {
            AgencyId = mapping.Agency, Kind = mapping.Kind, EventType = mapping.EventType, FileName = "bench", Sha256 = "bench",
            ImportedBy = "bench", FileBytes = new FileInfo(path).Length, StartedUtc = DateTime.UtcNow, Status = DatasetStatus.Importing,
        };
        db.Datasets.Add(dataset);
        db.SaveChanges();
        var rows = batches.Sum(b => b.RowCount);
        var writer = IntakeWriter.Create(db, dataset, mapping);
        Step("  write stage: rows", () =>
        {
            foreach (var b in batches)
            {
                writer.WriteBatchAsync(b, CancellationToken.None).AsTask().GetAwaiter().GetResult();
            }
        });
        Step("  write stage: finish", () => writer.CompleteAsync(CancellationToken.None).GetAwaiter().GetResult());
        Step("  write stage: commit", transaction.Commit);
        writer.DisposeAsync().AsTask().GetAwaiter().GetResult();

        void Step(string label, Action action)
        {
            using var process = Process.GetCurrentProcess();
            var cpu = process.TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            action();
            sw.Stop();
            process.Refresh();
            var cpuSeconds = (process.TotalProcessorTime - cpu).TotalSeconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{label} ({options.Provider}): {sw.Elapsed.TotalSeconds:F2} s wall, {cpuSeconds:F2} s CPU, {cpuSeconds * 1e6 / rows:F1} µs CPU a row"));
        }
    }

    private static int Import(HearthDatabaseOptions options, string path, ExtractMapping mapping)
    {
        var factory = new HearthDbFactory(options);
        factory.MigrateAsync().GetAwaiter().GetResult();
        using var db = factory.Create();
        var result = new IntakeService(db, TimeProvider.System).ImportAsync(new ImportRequest(path, mapping, "bench")).GetAwaiter().GetResult();
        if (result.Outcome != ImportOutcome.Imported)
        {
            throw new InvalidOperationException(string.Join("; ", result.Problems));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  read {result.RowsRead:N0}, stored {result.RowsStored:N0}, quarantined {result.RowsQuarantined:N0}, duplicates {result.RowsDuplicate:N0}"));
        return result.RowsRead;
    }

    /// <summary>A PostgreSQL server in a temporary directory on a free loopback port, stopped on dispose.</summary>
    internal sealed class ThrowawayPostgres : IDisposable
    {
        private readonly string _bin;
        private readonly string _data;
        private readonly string? _runAs;
        private readonly int _port;

        private ThrowawayPostgres(string bin, string data, string? runAs, int port)
        {
            _bin = bin;
            _data = data;
            _runAs = runAs;
            _port = port;
        }

        public static ThrowawayPostgres Start(string directory)
        {
            var bin = Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
                .OrderByDescending(d => d, StringComparer.Ordinal).First(d => File.Exists(Path.Combine(d, "initdb")));
            var root = Path.Combine(directory, "pg");
            Directory.CreateDirectory(root);
            var runAs = Environment.UserName == "root" ? "postgres" : null;
            if (runAs is not null)
            {
                Run("chown", ["-R", runAs, directory], null);
            }

            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            var data = Path.Combine(root, "data");
            Run(Path.Combine(bin, "initdb"), ["-D", data, "-U", "hearth", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"], runAs);
            Run(Path.Combine(bin, "pg_ctl"), ["-D", data, "-o",
                string.Create(CultureInfo.InvariantCulture, $"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off"),
                "-l", Path.Combine(root, "server.log"), "-w", "start"], runAs);
            return new ThrowawayPostgres(bin, data, runAs, port);
        }

        public string CreateDatabase(string name)
        {
            var admin = string.Create(CultureInfo.InvariantCulture, $"Host=127.0.0.1;Port={_port};Username=hearth;Database=postgres");
            using (var connection = new Npgsql.NpgsqlConnection(admin))
            {
                connection.Open();
                using var command = new Npgsql.NpgsqlCommand("CREATE DATABASE " + name, connection);
                command.ExecuteNonQuery();
            }

            return string.Create(CultureInfo.InvariantCulture, $"Host=127.0.0.1;Port={_port};Username=hearth;Database={name}");
        }

        public void Dispose() => Run(Path.Combine(_bin, "pg_ctl"), ["-D", _data, "-m", "immediate", "-w", "stop"], _runAs);

        private static void Run(string file, string[] arguments, string? runAs)
        {
            var start = new ProcessStartInfo { FileName = runAs is null ? file : "runuser", RedirectStandardOutput = true, RedirectStandardError = true };
            if (runAs is not null)
            {
                foreach (var a in new[] { "-u", runAs, "--", file })
                {
                    start.ArgumentList.Add(a);
                }
            }

            foreach (var a in arguments)
            {
                start.ArgumentList.Add(a);
            }

            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"{Path.GetFileName(file)} failed: {stderr.Result}");
            }
        }
    }
}
