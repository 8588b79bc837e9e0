using System.Globalization;
using Hearth.Core.Synthetic;

namespace Hearth.Bench;

/// <summary>
/// Generates the synthetic borough and reports time, peak working set, people, rows and bytes written.
/// Usage: <c>generate [households=2000] [out-dir=a temp directory, deleted afterwards]</c>.
/// </summary>
internal static class SyntheticBench
{
    public static int Run(string[] args)
    {
        var households = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 2000;
        var keep = args.Length > 1;
        var dir = keep ? args[1] : Path.Combine(Path.GetTempPath(), "hearth-bench-" + Guid.NewGuid().ToString("N"));
        try
        {
            // Load the name tables first so the figure below is generation, not resource decompression.
            var names = BenchRunner.Measure("load name tables", () => NameData.Shared);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"surnames: {names.Surnames.Count:N0}"));
            var result = BenchRunner.Measure(
                string.Create(CultureInfo.InvariantCulture, $"generate {households:N0} households"),
                () => BoroughGenerator.Generate(new GeneratorSettings { Households = households, Seed = 1 }, dir));
            var bytes = Directory.GetFiles(dir, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
            var extractRows = result.RowCounts.Where(r => r.Key.StartsWith("extracts/", StringComparison.Ordinal)).Sum(r => r.Value);
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"people: {result.People:N0}; extract rows: {extractRows:N0}; truth records: {result.RowCounts["truth/records.csv"]:N0}; cohort families: {result.CohortFamilies:N0} ({result.TreatedFamilies:N0} attached); written: {bytes / (1024.0 * 1024):N0} MiB"));
            return 0;
        }
        finally
        {
            if (!keep && Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }
}
