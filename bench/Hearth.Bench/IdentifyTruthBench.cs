using System.Globalization;
using Hearth.Core.Access;
using Hearth.Core.Audit;
using Hearth.Core.Data;
using Hearth.Core.Intake;
using Hearth.Core.Linkage;
using Hearth.Core.Programmes;
using Hearth.Core.Synthetic;

namespace Hearth.Bench;

/// <summary>
/// How identification quality depends on linkage quality: generates a borough, imports it once into SQLite, and
/// copies the store three times: persons and families filled from the truth (perfect linkage), and Hearth's own
/// linkage at the default threshold and at a second match weight. Every shipped framework identifies every family
/// on each store, and the result is checked against the borough's truth as the framework's published definition
/// reads it (and, on perfect linkage, against the earlier on-the-date yardstick).
/// Usage: <c>identify-truth [households=2000] [seed=11] [second-threshold-weight=8] [as-of=2024-06-30] [keep-dir]</c>;
/// with a (new) directory, the borough and the stores are left there.
/// </summary>
public static class IdentifyTruthBench
{
    public static int Run(string[] args)
    {
        var households = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 2_000;
        var seed = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 11;
        var second = args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 8.0;
        var asOf = args.Length > 3 ? DateOnly.ParseExact(args[3], "yyyy-MM-dd", CultureInfo.InvariantCulture) : new DateOnly(2024, 6, 30);
        var keep = args.Length > 4;
        var dir = keep ? Path.GetFullPath(args[4]) : Path.Combine(Path.GetTempPath(), "hearth-identify-truth-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        try
        {
            return RunAsync(dir, households, seed, second, asOf).GetAwaiter().GetResult();
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

    private static async Task<int> RunAsync(string dir, int households, int seed, double secondWeight, DateOnly asOf)
    {
        var borough = Path.Combine(dir, "borough");
        var truth = Path.Combine(borough, "truth");
        var lead = new Actor("bench", "bench", new HashSet<HearthRole> { HearthRole.DataLead });
        var audit = new AuditTrail(TimeProvider.System);
        var agencyOfExtract = BoroughImport.Extracts.ToDictionary(e => e.File, e => e.Agency, StringComparer.Ordinal);
        BenchRunner.Measure($"generate {households:N0} households", () => BoroughGenerator.Generate(new GeneratorSettings { Households = households, Seed = seed }, borough));
        var basePath = Path.Combine(dir, "base.db");
        var baseFactory = new HearthDbFactory(HearthDatabaseOptions.Sqlite(basePath));
        await baseFactory.MigrateAsync();
        BenchRunner.Measure("import every extract into SQLite", () =>
        {
            using var db = baseFactory.Create();
            return BoroughImport.ImportAsync(new IntakeService(db, TimeProvider.System), borough, "bench").GetAwaiter().GetResult();
        });
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        HearthDbFactory Copy(string name)
        {
            var path = Path.Combine(dir, name + ".db");
            File.Copy(basePath, path);
            return new HearthDbFactory(HearthDatabaseOptions.Sqlite(path));
        }

        var stores = new List<(string Linkage, HearthDbFactory Factory, bool Perfect)>();
        var perfect = Copy("perfect");
        BenchRunner.Measure("perfect linkage from the truth files", () =>
        {
            using var db = perfect.Create();
            return BoroughTruth.FillPerfectLinkageAsync(db, truth, agencyOfExtract, TimeProvider.System).GetAwaiter().GetResult();
        });
        stores.Add(("perfect", perfect, true));
        foreach (var (label, weight) in new (string, double?)[] { ("Hearth, default threshold", null), (string.Create(CultureInfo.InvariantCulture, $"Hearth, match weight {secondWeight:0.##}"), secondWeight) })
        {
            var factory = Copy(weight is null ? "default" : "second");
            var report = BenchRunner.Measure("link: " + label, () =>
            {
                using var db = factory.Create();
                var result = new PersonLinkageService(db, audit, TimeProvider.System)
                    .RunAsync(lead, new PersonLinkageOptions { ThresholdWeight = weight, AsOf = asOf }).GetAwaiter().GetResult();
                return LinkageTruth.Measure(result, truth);
            });
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  threshold weight {report.Linkage.ThresholdWeight:F2}: persons P {report.PersonsOverSourceRecords.Precision:F4} R {report.PersonsOverSourceRecords.Recall:F4}, households P {report.Households.Precision:F4} R {report.Households.Recall:F4}, families P {report.Families.Precision:F4} R {report.Families.Recall:F4}"));
            stores.Add((label + string.Create(CultureInfo.InvariantCulture, $" ({report.Linkage.ThresholdWeight:F2})"), factory, false));
        }

        var summary = new List<string> { "framework | linkage | truth | found | truly in need | precision | recall" };
        foreach (var framework in FrameworkCatalog.Shipped().All.OrderBy(f => f.Id, StringComparer.Ordinal))
        {
            foreach (var (linkage, factory, isPerfect) in stores)
            {
                var results = new List<IdentificationResult>();
                BenchRunner.Measure($"identify {framework.Id} on {linkage}", () =>
                    new IdentificationService(factory, audit).IdentifyAsync(lead, framework, asOf, b => results.AddRange(b.Select(x => x.Result))).GetAwaiter().GetResult());
                IReadOnlyDictionary<string, string>? trueFamilyOf = null;
                if (!isPerfect)
                {
                    await using var db = factory.Create();
                    trueFamilyOf = await BoroughTruth.TrueFamiliesAsync(db, truth, agencyOfExtract);
                }

                var profiles = new List<TruthProfile> { BoroughTruth.ProfileFor(framework) };
                if (isPerfect)
                {
                    profiles.Add(BoroughTruth.OnDateProfile(framework, framework.Id == "troubled-families-2015" ? 2 : 3));
                }

                foreach (var profile in profiles)
                {
                    var check = BoroughTruth.Check(framework, asOf, results, truth, profile, trueFamilyOf);
                    Console.WriteLine($"--- {linkage}");
                    Console.Write(check.Describe());
                    summary.Add(string.Create(CultureInfo.InvariantCulture,
                        $"{framework.Id} | {linkage} | {profile.Name} | {check.Found} | {check.TrulyInNeed} | {check.Precision:F3} | {check.Recall:F3}"));
                }
            }
        }

        Console.WriteLine();
        foreach (var line in summary)
        {
            Console.WriteLine(line);
        }

        return 0;
    }
}
