using System.Globalization;
using Hearth.Core.Data;
using Hearth.Core.Finance.Profiles;
using Hearth.Core.Finance.UnitCosts;
using Hearth.Core.Intake;
using Hearth.Core.Synthetic;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Bench;

/// <summary>
/// Family cost profiles for every family of a generated borough held in SQLite. Generates and imports the
/// borough, fills persons and families straight from the generator's truth files (as linkage would leave
/// them), then times the cohort report (every family profiled) and the bare read of the same rows.
/// Usage: <c>costs-store [HOUSEHOLDS=20000] [--db PATH]</c>; with an existing <c>--db</c> that already holds
/// families, generation, import and fill are skipped.
/// </summary>
internal static class MoneyStoreBench
{
    private static readonly DateOnly AsOf = new(2025, 8, 31);

    public static int Run(string[] args)
    {
        var households = args.Length > 0 && int.TryParse(args[0], NumberStyles.None, CultureInfo.InvariantCulture, out var h) ? h : 20_000;
        var dbIndex = Array.IndexOf(args, "--db");
        var folder = Path.Combine(Path.GetTempPath(), "hearth-bench-money-" + Guid.NewGuid().ToString("N")[..8]);
        var dbPath = dbIndex >= 0 && dbIndex + 1 < args.Length ? args[dbIndex + 1] : Path.Combine(folder, "hearth.db");
        Directory.CreateDirectory(folder);
        try
        {
            return RunAsync(households, folder, dbPath).GetAwaiter().GetResult();
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<int> RunAsync(int households, string folder, string dbPath)
    {
        var options = HearthDatabaseOptions.Sqlite(dbPath);
        await using var services = new ServiceCollection().AddHearthCore(options).BuildServiceProvider();
        await services.MigrateHearthDatabaseAsync();
        var factory = services.GetRequiredService<HearthDbFactory>();
        bool filled;
        await using (var db = factory.Create())
        {
            filled = await db.Families.AnyAsync();
        }

        if (!filled)
        {
            var borough = Path.Combine(folder, "borough");
            BenchRunner.Measure($"generate {households:N0} households", () =>
                BoroughGenerator.Generate(new GeneratorSettings { Households = households, Seed = 11 }, borough));
            var rows = BenchRunner.Measure("import every extract into SQLite", () =>
            {
                using var scope = services.CreateScope();
                var results = BoroughImport.ImportAsync(scope.ServiceProvider.GetRequiredService<IntakeService>(), borough, "bench").GetAwaiter().GetResult();
                return results.Sum(r => (long)r.Result.RowsStored);
            });
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"rows stored: {rows:N0}"));
            BenchRunner.Measure("fill persons and families from truth files", () => Fill(dbPath, borough));
        }

        await using (var db = factory.Create())
        {
            var (f, m, p, e) = (await db.Families.CountAsync(), await db.FamilyMembers.CountAsync(), await db.Persons.CountAsync(), await db.Events.CountAsync());
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"store: {f:N0} families, {m:N0} members, {p:N0} persons, {e:N0} events"));
        }

        var engine = new CostProfileEngine(CostProfileConfig.Default(UnitCostDatabase.UcdV14(), GdpDeflator.UcdV14()));
        var readRows = BenchRunner.Measure("read only: the batched query for every family, rows read and discarded", () =>
        {
            using var db = factory.Create();
            return ReadOnly(db, engine).GetAwaiter().GetResult();
        });
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"rows read (event × stay): {readRows:N0}"));

        var stayRows = BenchRunner.Measure("bulk pass 1 alone: source records of family members with their stays", () =>
        {
            using var db = factory.Create();
            return Count(db, "SELECT pr.source_record_id, fm.family_id, fm.\"from\", fm.\"to\" FROM person_records pr JOIN family_members fm ON fm.person_id = pr.person_id").GetAwaiter().GetResult();
        });
        var eventRows = BenchRunner.Measure("bulk pass 2 alone: priced event types, every column the rules read", () =>
        {
            using var db = factory.Create();
            return Count(db, "SELECT e.source_record_id, e.id, e.event_type, e.agency_id, e.start_date, e.end_date" + string.Concat(engine.Columns.Select(c => ", e." + c))
                + " FROM events e WHERE e.event_type IN (" + string.Join(", ", engine.EventTypes.Select(t => "'" + t + "'")) + ")").GetAwaiter().GetResult();
        });
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"pass 1 rows: {stayRows:N0}; pass 2 rows: {eventRows:N0}"));

        var report = BenchRunner.Measure("cohort: profile every family (read + price + fold)", () =>
        {
            using var db = factory.Create();
            var builder = new CohortBuilder(10, engine.Config.PriceYear);
            var query = new CostProfileQuery { KeepEventIds = false };
            var profiles = CostProfileReader.ProfilesAsync(db, engine, query, AsOf).GetAsyncEnumerator();
            while (profiles.MoveNextAsync().AsTask().GetAwaiter().GetResult())
            {
                builder.Add(profiles.Current);
            }

            return builder.Build();
        });
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"cohort: {report.Families:N0} families, {report.FamiliesWithCost:N0} with costs, total {report.Total}, median {report.Median}, 90th {report.Percentile90}, {report.FamiliesWithDuplication:N0} with duplication"));
        Console.WriteLine("top family: " + (report.Top.Count > 0 ? $"{report.Top[0].FamilyReference} {report.Top[0].Total}" : "none"));
        return 0;
    }

    private static async Task<long> Count(HearthDb db, string sql)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        long rows = 0;
        while (await reader.ReadAsync())
        {
            for (var c = 0; c < reader.FieldCount; c++)
            {
                _ = reader.GetValue(c);
            }

            rows++;
        }

        return rows;
    }

    private static async Task<long> ReadOnly(HearthDb db, CostProfileEngine engine)
    {
        var ids = await db.Families.AsNoTracking().OrderBy(f => f.Id).Select(f => f.Id).ToListAsync();
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        await using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA cache_size = -262144; PRAGMA mmap_size = 4294967296;";
            await pragma.ExecuteNonQueryAsync();
        }

        long rows = 0;
        for (var i = 0; i < ids.Count; i += 2000)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT fm.family_id, fm.\"from\", fm.\"to\", e.id, e.event_type, e.agency_id, e.start_date, e.end_date"
                + string.Concat(engine.Columns.Select(c => ", e." + c))
                + " FROM family_members fm JOIN person_records pr ON pr.person_id = fm.person_id JOIN events e ON e.source_record_id = pr.source_record_id"
                + " WHERE fm.family_id >= $lo AND fm.family_id <= $hi AND e.event_type IN (" + string.Join(", ", engine.EventTypes.Select(t => "'" + t + "'")) + ")";
            var lo = command.CreateParameter();
            lo.ParameterName = "$lo";
            lo.Value = ids[i];
            command.Parameters.Add(lo);
            var hi = command.CreateParameter();
            hi.ParameterName = "$hi";
            hi.Value = ids[Math.Min(i + 1999, ids.Count - 1)];
            command.Parameters.Add(hi);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                for (var c = 0; c < reader.FieldCount; c++)
                {
                    _ = reader.GetValue(c);
                }

                rows++;
            }
        }

        return rows;
    }

    /// <summary>
    /// Persons from truth/records.csv (each extract record → its true person), families from truth/households.csv
    /// (family, person, role, from, to), written with plain SQL in one transaction.
    /// </summary>
    private static long Fill(string dbPath, string borough)
    {
        var agencyOf = OutputFiles.All.ToDictionary(f => Path.GetFileName(f.Path), f => f.Agency, StringComparer.Ordinal);
        var personIds = new Dictionary<string, long>(StringComparer.Ordinal);
        long PersonId(string truthId)
        {
            if (!personIds.TryGetValue(truthId, out var id))
            {
                id = personIds.Count + 1;
                personIds[truthId] = id;
            }

            return id;
        }

        var recordPerson = new Dictionary<(string Agency, string Record), long>();
        foreach (var line in File.ReadLines(Path.Combine(borough, "truth", "records.csv")).Skip(1))
        {
            var f = line.Split(',');
            if (agencyOf.TryGetValue(f[0], out var agency))
            {
                recordPerson[(agency, f[1])] = PersonId(f[2]);
            }
        }

        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = dbPath, Pooling = false }.ConnectionString);
        connection.Open();
        using var transaction = connection.BeginTransaction();
        var now = DateTime.UtcNow;
        Exec(connection, "INSERT INTO linkage_runs (id, started_utc, started_by, threshold_weight, review_weight, source_records, persons, new_persons, candidate_pairs, linked_pairs, review_pairs, households, families, settings_yaml) VALUES (1, $now, 'bench truth', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, '{}')", ("$now", now));

        var families = new Dictionary<string, long>(StringComparer.Ordinal);
        var members = new List<(long Family, long Person, string Role, string From, string To)>();
        foreach (var line in File.ReadLines(Path.Combine(borough, "truth", "households.csv")).Skip(1))
        {
            var f = line.Split(',');
            if (!families.TryGetValue(f[0], out var family))
            {
                family = families.Count + 1;
                families[f[0]] = family;
            }

            members.Add((family, PersonId(f[1]), f[2], f[3], f[4]));
        }

        using (var insert = Command(connection, "INSERT INTO persons (id, reference, created_utc, created_by_run_id) VALUES ($id, $ref, $now, 1)", "$id", "$ref", "$now"))
        {
            foreach (var (truth, id) in personIds)
            {
                Run(insert, id, "P" + id.ToString("D8", CultureInfo.InvariantCulture), now);
            }
        }

        long linked = 0;
        using (var select = connection.CreateCommand())
        using (var insert = Command(connection, "INSERT INTO person_records (source_record_id, person_id, method, linkage_run_id, linked_utc) VALUES ($sr, $p, 'Founding', 1, $now)", "$sr", "$p", "$now"))
        {
            select.CommandText = "SELECT id, agency_id, agency_record_id FROM source_records";
            var links = new List<(long, long)>();
            using (var reader = select.ExecuteReader())
            {
                while (reader.Read())
                {
                    if (recordPerson.TryGetValue((reader.GetString(1), reader.GetString(2)), out var person))
                    {
                        links.Add((reader.GetInt64(0), person));
                    }
                }
            }

            foreach (var (sr, person) in links)
            {
                Run(insert, sr, person, now);
                linked++;
            }
        }

        using (var insert = Command(connection, "INSERT INTO families (id, reference, created_utc) VALUES ($id, $ref, $now)", "$id", "$ref", "$now"))
        {
            foreach (var id in families.Values)
            {
                Run(insert, id, "F" + id.ToString("D8", CultureInfo.InvariantCulture), now);
            }
        }

        using (var insert = Command(connection, "INSERT INTO family_members (family_id, person_id, role, \"from\", \"to\") VALUES ($f, $p, $r, $from, $to)", "$f", "$p", "$r", "$from", "$to"))
        {
            foreach (var m in members)
            {
                var role = m.Role.Contains("child", StringComparison.OrdinalIgnoreCase) ? "Child" : "Adult";
                Run(insert, m.Family, m.Person, role, m.From.Length == 0 ? DBNull.Value : m.From, m.To.Length == 0 ? DBNull.Value : m.To);
            }
        }

        transaction.Commit();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"filled {personIds.Count:N0} persons, {linked:N0} person records, {families.Count:N0} families, {members.Count:N0} members"));
        return linked;
    }

    private static void Exec(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        command.ExecuteNonQuery();
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, params string[] names)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in names)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        command.Prepare();
        return command;
    }

    private static void Run(SqliteCommand command, params object[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i];
        }

        command.ExecuteNonQuery();
    }
}
