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
/// Programme rules on the store: generates a borough, imports it into SQLite, fills persons and families from the
/// truth (perfect linkage), then times identification from the store, attachment, outcome measurement and a claim
/// batch. Usage: <c>rules-store [households=20000] [claimFamilies=10000] [seed=11] [keep-dir]</c>; with a
/// directory, the borough and the store (hearth.db) are left there to try the CLI on.
/// </summary>
public static class ProgrammesStoreBench
{
    private static readonly DateOnly AsOf = new(2024, 6, 30);

    public static int Run(string[] args)
    {
        var households = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20_000;
        var claimFamilies = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10_000;
        var seed = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 11;
        var keep = args.Length > 3;
        var dir = keep ? Path.GetFullPath(args[3]) : Path.Combine(Path.GetTempPath(), "hearth-rules-store-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        try
        {
            return RunAsync(dir, households, claimFamilies, seed).GetAwaiter().GetResult();
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

    private static async Task ReadAndIdentifyAsync(HearthDbFactory factory, string borough)
    {
        var framework = FrameworkCatalog.Shipped()["supporting-families-2022"];
        var lead = new Actor("bench", "bench", new HashSet<HearthRole> { HearthRole.DataLead });
        var audit = new AuditTrail(TimeProvider.System);
        // Reading alone (database + mapping), to separate it from the engine.
        var read = await MeasureAsync("read every family from the store (no rules)", async () =>
        {
            await using var db = factory.Create();
            var reader = new StoreFamilyReader(db);
            var coverage = await reader.CoverageAsync();
            long events = 0;
            await foreach (var batch in reader.ReadAsync(coverage, AsOf))
            {
                events += batch.Sum(b => b.Data.Events.Count);
            }

            return (reader.Report.Families, events, reader.Report.DatabaseTime, reader.Report.BuildTime);
        });
        Console.WriteLine($"  {read.Families:N0} families, {read.events:N0} events mapped; database queries and materialisation {read.DatabaseTime.TotalSeconds:F1} s, mapping and building records {read.BuildTime.TotalSeconds:F1} s");

        var results = new List<IdentificationResult>();
        var summary = await MeasureAsync($"identify every family from the store ({framework.Id})", async () =>
            await new IdentificationService(factory, audit).IdentifyAsync(lead, framework, AsOf, batch => results.AddRange(batch.Select(b => b.Result))));
        Console.WriteLine($"  {summary.Families:N0} families, {summary.Eligible:N0} eligible, {summary.Unknown:N0} unknown");
        var check = BoroughTruth.Check(framework, AsOf, results, Path.Combine(borough, "truth"), 3);
        Console.Write(check.Describe());

    }

    private static Task<T> MeasureAsync<T>(string label, Func<Task<T>> action) =>
        Task.FromResult(BenchRunner.Measure(label, () => action().GetAwaiter().GetResult()));

    private static async Task<int> RunAsync(string dir, int households, int claimFamilies, int seed)
    {
        var borough = Path.Combine(dir, "borough");
        var existing = File.Exists(Path.Combine(dir, "hearth.db"));
        var factory = new HearthDbFactory(HearthDatabaseOptions.Sqlite(Path.Combine(dir, "hearth.db")));
        await factory.MigrateAsync();
        if (existing)
        {
            // A kept store: time only the reads and identification again.
            Console.WriteLine("  reusing the store in " + dir);
            await ReadAndIdentifyAsync(factory, borough);
            return 0;
        }

        BenchRunner.Measure($"generate {households:N0} households", () => BoroughGenerator.Generate(new GeneratorSettings { Households = households, Seed = seed }, borough));
        await MeasureAsync("import every extract into SQLite", async () =>
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

        await ReadAndIdentifyAsync(factory, borough);
        var framework = FrameworkCatalog.Shipped()["supporting-families-2022"];
        var lead = new Actor("bench", "bench", new HashSet<HearthRole> { HearthRole.DataLead });
        var audit = new AuditTrail(TimeProvider.System);

        var service = new ProgrammeClaimsService(factory, audit, TimeProvider.System);
        List<string> refs;
        await using (var db = factory.Create())
        {
            refs = await db.Families.OrderBy(f => f.Reference).Select(f => f.Reference).Take(claimFamilies).ToListAsync();
        }

        var attachedOn = new DateOnly(2023, 1, 2);
        var attached = await MeasureAsync($"attach {refs.Count:N0} families (baseline frozen)", async () =>
            await service.AttachAsync(lead, framework, refs, attachedOn, "bench", true, true, true));
        await using (var db = factory.Create())
        {
            await db.ProgrammeAttachments.ExecuteUpdateAsync(s => s.SetProperty(a => a.ClosedOn, new DateOnly(2023, 7, 31)).SetProperty(a => a.ClosureReason, "plan complete"));
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
