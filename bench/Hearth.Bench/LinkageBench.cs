using System.Globalization;
using Hearth.Core.Access;
using Hearth.Core.Audit;
using Hearth.Core.Data;
using Hearth.Core.Identifiers;
using Hearth.Core.Intake;
using Hearth.Core.Linkage;
using Hearth.Core.Synthetic;

namespace Hearth.Bench;

/// <summary>
/// Record linkage speed. <c>link febrl</c>: FEBRL 4 (5,000 × 5,000) linked end to end with timings per stage
/// and accuracy. <c>link scale [N]</c>: N person records (default 1,000,000) made by seeded corruption of
/// FEBRL-like people, deduplicated end to end (configure, standardise, block, compare, train, score,
/// cluster). <c>link csv PATH ID [LABELS]</c>: the same on any extract. <c>link write N PATH</c>: the generated
/// records as CSV, to try <c>hearth link</c> at scale. <c>link store [HOUSEHOLDS] [DIR]</c>: a synthetic borough
/// (default 10,000 households) generated and imported into a fresh SQLite store, then linked and persisted
/// (persons, review queue, households, families) twice, the second run on the unchanged store, with the time of
/// each stage and accuracy against the truth. With no argument both febrl and scale run.
/// </summary>
internal static class LinkageBench
{
    public static int Run(string[] args)
    {
        var mode = args.Length > 0 ? args[0] : "all";
        switch (mode)
        {
            case "febrl":
                return Febrl();
            case "scale":
                return Scale(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000);
            case "csv" when args.Length >= 3:
                var table = BenchRunner.Measure("read CSV", () => LinkageTable.ReadCsv(args[1], args[2]));
                return Pipeline(table, null, args.Length > 3 ? args[3] : null, args.Length > 3 && args[3] == args[2] ? table.Ids : args.Length > 3 ? table.Column(args[3]) : null);
            case "write" when args.Length >= 3:
                WriteCsv(Generate(int.Parse(args[1], CultureInfo.InvariantCulture), 20261125, out _), args[2]);
                return 0;
            case "store":
                return Store(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10_000, args.Length > 2 ? args[2] : null);
            case "all":
                Febrl();
                return Scale(1_000_000);
            default:
                Console.Error.WriteLine("usage: link [febrl | scale [N] | csv PATH ID_COLUMN [LABEL_COLUMN] | write N PATH | store [HOUSEHOLDS] [DIR]]");
                return 2;
        }
    }

    private static string DataDirectory()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Hearth.slnx")))
        {
            dir = dir.Parent;
        }

        return dir is null
            ? throw new InvalidOperationException("Run the bench from inside the Hearth repository.")
            : Path.Combine(dir.FullName, "tests", "Hearth.Core.Tests", "Linkage", "Data");
    }

    private static int Febrl()
    {
        Console.WriteLine("== FEBRL 4: link 5,000 × 5,000, auto-configured ==");
        var data = DataDirectory();
        var (left, right) = BenchRunner.Measure("read", () =>
            (LinkageTable.ReadCsv(Path.Combine(data, "febrl4a.csv"), "rec_id"), LinkageTable.ReadCsv(Path.Combine(data, "febrl4b.csv"), "rec_id")));
        return Pipeline(left, right, "rec_id", [.. left.Ids, .. right.Ids]);
    }

    private static int Scale(int n)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"== scale: deduplicate {n:N0} person records, auto-configured =="));
        var table = BenchRunner.Measure("generate records (not part of the pipeline)", () => Generate(n, 20261125, out _));
        return Pipeline(table, null, "entity", table.Column("entity"));
    }

    private static int Pipeline(LinkageTable left, LinkageTable? right, string? labelColumn, string?[]? labels)
    {
        var total = System.Diagnostics.Stopwatch.StartNew();
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        var cpuStart = self.TotalProcessorTime;
        var exclude = labelColumn is null ? [] : new[] { labelColumn };
        var auto = BenchRunner.Measure("configure", () => AutoConfigure.Configure(left, right, exclude));
        Console.WriteLine("blocking rules: " + string.Join(" | ", auto.Settings.Blocking.Select(r => string.Join(" & ", r))));
        var engine = new LinkageEngine(auto.Settings, left, right, fields: auto.Fields);
        BenchRunner.Measure("standardise and encode", () =>
        {
            engine.Prepare();
            return 0;
        });
        var pairs = BenchRunner.Measure("block", engine.GeneratePairs);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"candidate pairs: {pairs.Count:N0} of {engine.TotalPairs:N0} possible"));
        foreach (var r in pairs.Rules)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  rule {r.Rule}: {r.PairsBeforeDeduplication:N0} pairs counted before running, {r.NewPairs:N0} new"));
        }

        var compareTime = System.Diagnostics.Stopwatch.StartNew();
        BenchRunner.Measure("compare", () =>
        {
            engine.ComparePairs(pairs);
            return 0;
        });
        compareTime.Stop();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"compared: {pairs.Count / compareTime.Elapsed.TotalSeconds:N0} pairs/s on {auto.Settings.Comparisons.Count} comparisons"));
        WhereTheTimeGoes(engine, pairs);
        var model = BenchRunner.Measure("train (u from random pairs, EM)", () => engine.Train(pairs));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"EM: {model.Iterations} iterations, converged {model.Converged}, prior {model.Prior:G4}"));
        var weights = BenchRunner.Measure("score", () => engine.Score(model, pairs));
        var threshold = auto.Settings.EffectiveThresholdWeight;
        var clusters = BenchRunner.Measure("cluster", () => engine.Cluster(pairs, weights, threshold));
        total.Stop();
        self.Refresh();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"CPU time of the pipeline: {(self.TotalProcessorTime - cpuStart).TotalSeconds:F2} s (both cores together)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"end to end (configure to cluster): {total.Elapsed.TotalSeconds:F2} s; {clusters.ClusterCount:N0} clusters, {clusters.Cuts.Count:N0} links cut by the identifier guard"));
        if (labels is not null)
        {
            var evaluation = new LinkageEvaluation(labels, engine.LeftCount, engine.IsLink);
            var at = evaluation.At(pairs, weights, threshold);
            var blocked = evaluation.At(pairs, weights, double.NegativeInfinity);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"blocking recall: {blocked.TruePositives:N0} of {evaluation.TruePairs:N0} true pairs are candidates ({blocked.Recall:P2})"));
            var best = LinkageEvaluation.Best(evaluation.Curve(pairs, weights));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"pairs at p >= {auto.Settings.ThresholdProbability}: precision {at.Precision:F4}, recall {at.Recall:F4}, F1 {at.F1:F4}; best F1 {best.F1:F4} at weight {best.ThresholdWeight:F2}"));
            var cm = evaluation.Clusters(clusters);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"clusters: pairwise precision {cm.Pairwise.Precision:F4}, recall {cm.Pairwise.Recall:F4}, F1 {cm.Pairwise.F1:F4}; entities recovered exactly {cm.ExactEntityRate:P2}"));
        }

        return 0;
    }

    /// <summary>Writes generated records as CSV (id column "id", truth column "entity") for trying <c>hearth link</c> at scale.</summary>
    private static void WriteCsv(LinkageTable table, string path)
    {
        using var writer = new StreamWriter(path);
        writer.WriteLine("id," + string.Join(",", table.ColumnNames));
        var columns = table.ColumnNames.Select(table.Column).ToArray();
        for (var i = 0; i < table.Count; i++)
        {
            writer.Write(table.Ids[i]);
            foreach (var c in columns)
            {
                writer.Write(',');
                writer.Write(c[i]);
            }

            writer.WriteLine();
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{table.Count:N0} records written to {path}"));
    }

    /// <summary>Single-thread time per comparison over up to 200,000 candidate pairs, to show where comparing spends its time.</summary>
    private static void WhereTheTimeGoes(LinkageEngine engine, CandidatePairs pairs)
    {
        var n = Math.Min(pairs.Count, 200_000);
        var parts = new List<string>();
        foreach (var c in engine.Comparisons)
        {
            var sw = System.Diagnostics.Stopwatch.StartNew();
            var sink = 0;
            for (var i = 0; i < n; i++)
            {
                sink += c.Level(pairs.Left[i], pairs.Right[i]);
            }

            sw.Stop();
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{c.Settings.Name} {sw.Elapsed.TotalMilliseconds * 1e6 / Math.Max(1, n):F0} ns"));
            GC.KeepAlive(sink);
        }

        Console.WriteLine("per pair, one thread: " + string.Join(", ", parts));
    }

    /// <summary>
    /// People in the FEBRL style: names, streets and towns drawn (skewed towards common values) from the
    /// FEBRL 4 originals, surnames widened with suffixes, random dates of birth, UK-format postcodes and
    /// valid NHS numbers; each person gets 1–4 records, each copy corrupted at random (typos, nicknames,
    /// swapped day and month, moves, missing values, transposed digits).
    /// </summary>
    internal static LinkageTable Generate(int n, int seed, out int entities)
    {
        entities = 0;
        var cols = new[] { "entity", "first_name", "surname", "dob", "sex", "address", "town", "postcode", "nhs_number" };
        var values = cols.ToDictionary(c => c, _ => new string?[n], StringComparer.Ordinal);
        var ids = new string[n];
        if (n == 0)
        {
            return new LinkageTable("generated", ids, values);
        }

        var source = LinkageTable.ReadCsv(Path.Combine(DataDirectory(), "febrl4a.csv"), "rec_id");
        string[] Vocab(string column) => [.. source.Column(column).Where(v => !string.IsNullOrEmpty(v)).Select(v => v!)];
        var firsts = Vocab("given_name");
        var surnames = Vocab("surname");
        var streets = Vocab("address_1");
        var towns = Vocab("suburb");
        string[] suffixes = ["", "", "", "son", "ley", "ton", "well", "er", "man", "field", "wood", "ford", "by", "ham", "s"];
        string[] areas = ["NB", "NC", "ND", "NE", "NF", "NG", "NH", "NJ"];
        const string Letters = "ABDEFGHJLNPQRSTUWXYZ";
        var nicknames = NameVariants.FirstNames;
        var rng = new Random(seed);
        T Skewed<T>(T[] items) => items[(int)(items.Length * Math.Pow(rng.NextDouble(), 2))];
        string Typo(string s)
        {
            if (s.Length < 2)
            {
                return s;
            }

            var i = rng.Next(s.Length - 1);
            return rng.Next(4) switch
            {
                0 => s[..i] + s[i + 1] + s[i] + s[(i + 2)..],
                1 => s[..i] + s[(i + 1)..],
                2 => s[..i] + (char)('a' + rng.Next(26)) + s[(i + 1)..],
                _ => s[..i] + (char)('a' + rng.Next(26)) + s[i..],
            };
        }

        string Nhs()
        {
            while (true)
            {
                var nine = rng.Next(400_000_000, 999_999_999).ToString(CultureInfo.InvariantCulture);
                if (NhsNumber.CheckDigit(nine) is { } d)
                {
                    return nine + d.ToString(CultureInfo.InvariantCulture);
                }
            }
        }

        string Postcode() => string.Create(CultureInfo.InvariantCulture,
            $"{areas[rng.Next(areas.Length)]}{rng.Next(1, 30)} {rng.Next(10)}{Letters[rng.Next(Letters.Length)]}{Letters[rng.Next(Letters.Length)]}");

        var r = 0;
        var e = 0;
        while (r < n)
        {
            e++;
            var first = Skewed(firsts);
            var surname = Skewed(surnames) + suffixes[rng.Next(suffixes.Length)];
            var dob = new DateOnly(1930, 1, 1).AddDays(rng.Next(33_000));
            var sex = rng.Next(2) == 0 ? "F" : "M";
            var address = string.Create(CultureInfo.InvariantCulture, $"{rng.Next(1, 200)} {Skewed(streets)}");
            var town = Skewed(towns);
            var postcode = Postcode();
            var nhs = rng.NextDouble() < 0.7 ? Nhs() : null;
            var copies = 1 + (int)(rng.NextDouble() * rng.NextDouble() * 4);
            for (var c = 0; c < copies && r < n; c++, r++)
            {
                ids[r] = string.Create(CultureInfo.InvariantCulture, $"p{r:D7}");
                values["entity"][r] = e.ToString(CultureInfo.InvariantCulture);
                var f = first;
                if (c > 0 && rng.NextDouble() < 0.05 && nicknames.IndexOf(f) >= 0)
                {
                    f = Skewed(firsts); // occasionally a different given name is recorded
                }

                values["first_name"][r] = c > 0 && rng.NextDouble() < 0.15 ? Typo(f) : f;
                values["surname"][r] = c > 0 && rng.NextDouble() < 0.15 ? Typo(surname) : surname;
                var d = dob;
                if (c > 0 && rng.NextDouble() < 0.03 && d.Day <= 12)
                {
                    d = new DateOnly(d.Year, d.Day, d.Month);
                }

                var dobText = d.ToString(rng.Next(3) == 0 ? "dd/MM/yyyy" : "yyyy-MM-dd", CultureInfo.InvariantCulture);
                values["dob"][r] = c > 0 && rng.NextDouble() < 0.05 ? Typo(dobText) : rng.NextDouble() < 0.03 ? null : dobText;
                values["sex"][r] = rng.NextDouble() < 0.02 ? null : sex;
                var moved = c > 0 && rng.NextDouble() < 0.2;
                values["address"][r] = moved ? string.Create(CultureInfo.InvariantCulture, $"{rng.Next(1, 200)} {Skewed(streets)}") : c > 0 && rng.NextDouble() < 0.1 ? Typo(address) : address;
                values["town"][r] = moved && rng.NextDouble() < 0.5 ? Skewed(towns) : town;
                values["postcode"][r] = moved ? Postcode() : rng.NextDouble() < 0.05 ? null : postcode;
                values["nhs_number"][r] = nhs is null || rng.NextDouble() < 0.2 ? null : rng.NextDouble() < 0.01 ? nhs[..3] + nhs[4] + nhs[3] + nhs[5..] : nhs;
            }
        }

        entities = e;
        return new LinkageTable("generated", ids, values);
    }

    private static int Store(int households, string? directory)
    {
        var dir = directory ?? Path.Combine(Path.GetTempPath(), "hearth-link-store-" + households.ToString(CultureInfo.InvariantCulture));
        var borough = Path.Combine(dir, "northbridge");
        var database = Path.Combine(dir, "hearth.db");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"== Store linkage: {households:N0} households in {dir} =="));
        if (!File.Exists(Path.Combine(borough, "truth", "records.csv")))
        {
            BenchRunner.Measure("generate", () => BoroughGenerator.Generate(new GeneratorSettings { Households = households, Seed = 1 }, borough));
        }

        foreach (var file in new[] { database, database + "-wal", database + "-shm" })
        {
            File.Delete(file);
        }

        var factory = new HearthDbFactory(HearthDatabaseOptions.Sqlite(database));
        factory.MigrateAsync().GetAwaiter().GetResult();
        BenchRunner.Measure("import every extract", () =>
        {
            using var db = factory.Create();
            return BoroughImport.ImportAsync(new IntakeService(db, TimeProvider.System), borough, "bench").GetAwaiter().GetResult();
        });
        var actor = new Actor("bench", "bench", new HashSet<HearthRole> { HearthRole.DataLead });
        PersonLinkageResult Link()
        {
            using var db = factory.Create();
            return new PersonLinkageService(db, new AuditTrail(TimeProvider.System), TimeProvider.System).RunAsync(actor).GetAwaiter().GetResult();
        }

        foreach (var label in new[] { "first run (every person new)", "second run (same store)" })
        {
            var result = BenchRunner.Measure("link and persist: " + label, Link);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {result.Run.SourceRecords:N0} source records, {result.Outcome.Records.Table.Count:N0} distinct details, {result.Outcome.Pairs.Count:N0} candidate pairs, {result.Run.Persons:N0} persons ({result.Run.NewPersons:N0} new), {result.PendingReviews:N0} to review, {result.Run.Households:N0} households, {result.Run.Families:N0} families"));
            Console.WriteLine("  stages: " + string.Join(", ", result.Timings.Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Stage} {t.Time.TotalSeconds:F1} s"))));
            if (label.StartsWith("first", StringComparison.Ordinal))
            {
                var truth = BenchRunner.Measure("accuracy against the truth", () => LinkageTruth.Measure(result, Path.Combine(borough, "truth")));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  persons over source records: precision {truth.PersonsOverSourceRecords.Precision:F4}, recall {truth.PersonsOverSourceRecords.Recall:F4}; households precision {truth.Households.Precision:F4}, recall {truth.Households.Recall:F4}; families precision {truth.Families.Precision:F4}, recall {truth.Families.Recall:F4}"));
            }
        }

        return 0;
    }
}
