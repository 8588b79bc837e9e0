using System.Globalization;
using Hearth.Core;
using Hearth.Core.Access;
using Hearth.Core.Audit;
using Hearth.Core.Data;
using Hearth.Core.Intake;
using Hearth.Core.Programmes;
using Hearth.Core.Synthetic;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Bench;

/// <summary>
/// Programme rules on the store: generates a borough, imports it into SQLite (or PostgreSQL), fills persons and
/// families from the truth (perfect linkage), then times reading every family, identification from the store,
/// attachment, outcome measurement and a claim batch. Usage: <c>rules-store [households=20000] [claimFamilies=10000]
/// [seed=11] [keep-dir] [--postgres] [--compare]</c>. With a directory, the borough and the SQLite store (hearth.db)
/// are left there to try the CLI on, and a second run on it skips generation, import and linkage (attachments are
/// kept, earlier claims are deleted so the batch is built again). <c>--postgres</c> runs on a throwaway PostgreSQL
/// server in the directory instead (the generated borough is reused when the directory holds one);
/// <c>--compare</c> also times the read with index lookups per batch of families (the earlier plan).
/// </summary>
public static class ProgrammesStoreBench
{
    private static readonly DateOnly AsOf = new(2024, 6, 30);

    public static int Run(string[] args)
    {
        var flags = args.Where(a => a.StartsWith("--", StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);
        args = [.. args.Where(a => !a.StartsWith("--", StringComparison.Ordinal))];
        var households = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20_000;
        var claimFamilies = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10_000;
        var seed = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 11;
        var keep = args.Length > 3;
        var dir = keep ? Path.GetFullPath(args[3]) : Path.Combine(Path.GetTempPath(), "hearth-rules-store-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        try
        {
            if (flags.Contains("--postgres"))
            {
                using var server = IntakeBench.ThrowawayPostgres.Start(dir);
                var options = HearthDatabaseOptions.Postgres(server.CreateDatabase("hearth_rules"));
                return RunAsync(dir, options, "PostgreSQL", households, claimFamilies, seed, flags.Contains("--compare")).GetAwaiter().GetResult();
            }

            return RunAsync(dir, HearthDatabaseOptions.Sqlite(Path.Combine(dir, "hearth.db")), "SQLite", households, claimFamilies, seed, flags.Contains("--compare")).GetAwaiter().GetResult();
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (!keep)
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    private static async Task ReadAndIdentifyAsync(HearthDbFactory factory, string borough, bool compare)
    {
        var framework = FrameworkCatalog.Shipped()["supporting-families-2022"];
        var lead = new Actor("bench", "bench", new HashSet<HearthRole> { HearthRole.DataLead });
        var audit = new AuditTrail(TimeProvider.System);
        // Reading alone (database + mapping), to separate it from the engine.
        foreach (var plan in compare ? new[] { StoreReadPlan.Lookup, StoreReadPlan.Scan } : [StoreReadPlan.Scan])
        {
            var read = await MeasureAsync($"read every family from the store (no rules), {plan.ToString().ToLowerInvariant()} plan", async () =>
            {
                await using var db = factory.Create();
                var reader = new StoreFamilyReader(db, plan: plan);
                var coverage = await reader.CoverageAsync();
                long events = 0;
                await foreach (var batch in reader.ReadAsync(coverage, AsOf))
                {
                    events += batch.Sum(b => b.Data.Events.Count);
                }

                return (reader.Report.Families, events, reader.Report.DatabaseTime, reader.Report.BuildTime, reader.Report.RowsSpilled);
            });
            Console.WriteLine($"  {read.Families:N0} families, {read.events:N0} events mapped; database reads {read.DatabaseTime.TotalSeconds:F1} s, building records {read.BuildTime.TotalSeconds:F1} s, {read.RowsSpilled:N0} rows spilled");
        }

        var results = new List<IdentificationResult>();
        var summary = await MeasureAsync($"identify every family from the store ({framework.Id})", async () =>
            await new IdentificationService(factory, audit).IdentifyAsync(lead, framework, AsOf, batch => results.AddRange(batch.Select(b => b.Result))));
        Console.WriteLine($"  {summary.Families:N0} families, {summary.Eligible:N0} eligible, {summary.Unknown:N0} unknown");
        var check = BoroughTruth.Check(framework, AsOf, results, Path.Combine(borough, "truth"), 3);
        Console.Write(check.Describe());

    }

    private static Task<T> MeasureAsync<T>(string label, Func<Task<T>> action) =>
        Task.FromResult(BenchRunner.Measure(label, () => action().GetAwaiter().GetResult()));

    private static async Task<int> RunAsync(string dir, HearthDatabaseOptions options, string database, int households, int claimFamilies, int seed, bool compare)
    {
        var borough = Path.Combine(dir, "borough");
        var factory = new HearthDbFactory(options);
        await factory.MigrateAsync();
        bool existing;
        await using (var db = factory.Create())
        {
            existing = await db.Families.AnyAsync();
        }

        if (existing)
        {
            Console.WriteLine("  reusing the store in " + dir);
        }
        else
        {
            if (File.Exists(Path.Combine(borough, "truth", "households.csv")))
            {
                Console.WriteLine("  reusing the generated borough in " + borough);
            }
            else
            {
                BenchRunner.Measure($"generate {households:N0} households", () => BoroughGenerator.Generate(new GeneratorSettings { Households = households, Seed = seed }, borough));
            }

            await MeasureAsync($"import every extract into {database}", async () =>
            {
                await using var db = factory.Create();
                return await BoroughImport.ImportAsync(new IntakeService(db, TimeProvider.System), borough, "bench");
            });
            var agencyOfExtract = BoroughImport.Extracts.ToDictionary(e => e.File, e => e.Agency, StringComparer.Ordinal);
            var filled = await MeasureAsync("perfect linkage from the truth files", async () =>
            {
                await using var db = factory.Create();
                return await BoroughTruth.FillPerfectLinkageAsync(db, Path.Combine(borough, "truth"), agencyOfExtract, TimeProvider.System);
            });
            Console.WriteLine($"  {filled.Persons:N0} persons, {filled.Families:N0} families, {filled.RecordsLinked:N0} source records linked");
        }

        await using (var db = factory.Create())
        {
            Console.WriteLine($"  store ({database}): {await db.Families.CountAsync():N0} families, {await db.Persons.CountAsync():N0} persons, {await db.SourceRecords.CountAsync():N0} source records, {await db.Events.CountAsync():N0} events");
        }

        await ReadAndIdentifyAsync(factory, borough, compare);
        var framework = FrameworkCatalog.Shipped()["supporting-families-2022"];
        var lead = new Actor("bench", "bench", new HashSet<HearthRole> { HearthRole.DataLead });
        var audit = new AuditTrail(TimeProvider.System);

        var service = new ProgrammeClaimsService(factory, audit, TimeProvider.System);
        int attached;
        await using (var db = factory.Create())
        {
            attached = await db.ProgrammeAttachments.CountAsync(a => a.FrameworkId == framework.Id);
            // A second run builds the claim batch again: the first run's claims and batch are set aside.
            await db.ProgrammeClaimTransitions.ExecuteDeleteAsync();
            await db.ProgrammeClaims.ExecuteDeleteAsync();
            await db.ProgrammeClaimBatches.ExecuteDeleteAsync();
        }

        if (attached == 0)
        {
            List<string> refs;
            await using (var db = factory.Create())
            {
                refs = await db.Families.OrderBy(f => f.Reference).Select(f => f.Reference).Take(claimFamilies).ToListAsync();
            }

            var attachedOn = new DateOnly(2023, 1, 2);
            attached = await MeasureAsync($"attach {refs.Count:N0} families (baseline frozen)", async () =>
                await service.AttachAsync(lead, framework, refs, attachedOn, "bench", true, true, true));
            await using var db2 = factory.Create();
            await db2.ProgrammeAttachments.ExecuteUpdateAsync(s => s.SetProperty(a => a.ClosedOn, new DateOnly(2023, 7, 31)).SetProperty(a => a.ClosureReason, "plan complete"));
        }

        var measured = await MeasureAsync($"measure outcomes for {attached:N0} attached families", async () =>
            await service.MeasureAsync(lead, framework, new DateOnly(2024, 3, 31)));
        Console.WriteLine("  " + string.Join(", ", measured.Needs.Where(kv => kv.Value > 0).Select(kv => $"{kv.Value:N0} {ProgrammeClaimsService.StatusName(kv.Key)}")));
        var window = new ClaimWindow("2023-24-q4", framework.Id, new DatePeriod(new DateOnly(2024, 1, 1), new DateOnly(2024, 3, 31)), claimFamilies);
        var batchResult = await MeasureAsync($"claim batch for {attached:N0} attached families", async () =>
            await service.BuildBatchAsync(lead, framework, window, new DateOnly(2024, 3, 31), 7, 0.1m));
        Console.WriteLine($"  {batchResult.Drafted:N0} claims drafted ({batchResult.Total}), {batchResult.Sampled:N0} sampled, {batchResult.Refused:N0} refused");
        var files = await MeasureAsync("export the claim pack", async () =>
            await service.ExportPackAsync(lead, framework, window.Id, Path.Combine(dir, "pack")));
        Console.WriteLine($"  {files.Count} files, claims.csv {new FileInfo(files[0]).Length / 1024.0:F0} KiB");
        return 0;
    }
}
