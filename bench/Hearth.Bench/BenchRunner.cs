using System.Diagnostics;
using System.Globalization;

namespace Hearth.Bench;

/// <summary>
/// Runs one named benchmark and prints wall time, peak working set and the machine it ran on, in the
/// form docs/benchmarks.md records. Usage: <c>dotnet run -c Release --project bench/Hearth.Bench -- NAME [options]</c>.
/// </summary>
public static class BenchRunner
{
    private static readonly Dictionary<string, (string Help, Func<string[], int> Run)> Benchmarks =
        new(StringComparer.Ordinal)
        {
            ["identifiers"] = ("validate 3 million identifiers of each kind", IdentifierBench.Run),
            ["cba"] = ("recompute a 50-line, 30-year CBA and solve an IRR", FinanceBench.Run),
            ["costs-store"] = ("family cost profiles for every family of a generated borough in SQLite: [households=20000] [--db PATH]", MoneyStoreBench.Run),
            ["generate"] = ("generate the synthetic borough: [households=2000] [out-dir]", SyntheticBench.Run),
            ["rules"] = ("programme identification, outcomes and claims for 500,000 families", ProgrammesBench.Run),
            ["rules-store"] = ("programme rules on the store: [households=20000] [claimFamilies=10000] [seed=11] [keep-dir] [--postgres] [--compare]", ProgrammesStoreBench.Run),
            ["identify-truth"] = ("identification against the borough's truth on perfect and engine linkage: [households=2000] [seed=11] [second-threshold-weight=8] [as-of]", IdentifyTruthBench.Run),
            ["evaluate"] = ("propensity score fit, matching and balance on 100k treated + 1M controls", EvaluationBench.Run),
            ["link"] = ("record linkage: FEBRL 4 link and a 1,000,000-record dedupe, end to end", LinkageBench.Run),
            ["web-load"] = ("load on the web app from a second process: [--provider sqlite|postgres] [--users 50] [--seconds 60] [--households 5000] [--think-ms 1000] [--dir DIR] [--postgres CS]", WebLoadBench.Run),
            ["import"] = ("import a generated attendance extract (default 1,000,000 rows) into SQLite and PostgreSQL", IntakeBench.Run),
        };

    public static int Run(string[] args)
    {
        if (args.Length == 0 || !Benchmarks.TryGetValue(args[0], out var bench))
        {
            Console.Error.WriteLine("usage: Hearth.Bench NAME [options]; benchmarks:");
            foreach (var (name, (help, _)) in Benchmarks.OrderBy(b => b.Key, StringComparer.Ordinal))
            {
                Console.Error.WriteLine($"  {name,-16} {help}");
            }

            return 2;
        }

        Console.WriteLine(Machine());
        return bench.Run(args[1..]);
    }

    /// <summary>One line describing the machine: cores, memory, OS and runtime.</summary>
    public static string Machine()
    {
        var memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"machine: {Environment.ProcessorCount} cores, {memory:F1} GiB, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}");
    }

    /// <summary>Times <paramref name="action"/> and prints the figure with the process's peak working set.</summary>
    public static T Measure<T>(string label, Func<T> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        var result = action();
        sw.Stop();
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{label}: {sw.Elapsed.TotalSeconds:F3} s, CPU {cpu.TotalSeconds:F1} s, peak working set {process.PeakWorkingSet64 / (1024.0 * 1024):F0} MiB"));
        return result;
    }
}
