using System.Diagnostics;
using System.Globalization;
using Hearth.Core;
using Hearth.Core.Finance;
using Hearth.Core.Finance.Cba;
using Hearth.Core.Finance.Contracts;
using Hearth.Core.Finance.UnitCosts;

namespace Hearth.Bench;

/// <summary>
/// Recompute time of a CBA with 50 outcome lines over a 30-year horizon (goal: under 50 ms each), and IRR solve
/// time for a dated 20-year cash flow. Usage: <c>cba [runs]</c>, default 200 runs after 20 warm-up runs.
/// </summary>
internal static class FinanceBench
{
    public static int Run(string[] args)
    {
        var runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200;
        var (costs, deflator) = BenchRunner.Measure("load UCD v1.4 and deflator", () => (UnitCostDatabase.UcdV14(), GdpDeflator.UcdV14()));
        var input = Input(costs);
        Console.WriteLine($"CBA: {input.Outcomes.Count} outcome lines, {input.Costs.Count} cost lines, {input.HorizonYears}-year horizon");

        var cba = Time(runs, () => CbaEngine.Run(input, costs, deflator).NetPresentPublicValue.Pence);
        Report("CBA recompute", runs, cba);
        var sample = CbaEngine.Run(input, costs, deflator);
        Console.WriteLine($"rows per run: {sample.Benefits.Count:N0} monetised benefit rows, {sample.Costs.Count} cost rows, {sample.WhoBenefits.Count} agencies");

        var flows = new List<DatedCashFlow>();
        var start = new DateOnly(2025, 4, 1);
        for (var i = 0; i < 8; i++)
        {
            flows.Add(new DatedCashFlow(start.AddMonths(i * 3), Money.FromPounds(-500_000)));
        }

        for (var i = 0; i < 80; i++)
        {
            flows.Add(new DatedCashFlow(start.AddMonths(24 + (i * 3)), Money.FromPounds(75_000 + (i * 1_000))));
        }

        var irrRuns = runs * 10;
        var irr = Time(irrRuns, () => (long)(Irr.Dated(flows).Rate * 1e6));
        Report($"IRR solve ({flows.Count} dated flows)", irrRuns, irr);
        Console.WriteLine($"IRR = {Irr.Dated(flows).Explain()}");
        return 0;
    }

    private static CbaInput Input(UnitCostDatabase costs)
    {
        // 50 outcome lines over UCD headline costs that have fiscal values (every 10th such row), 30 years.
        var codes = costs.Costs.Where(c => c.Fiscal is not null && c.Code.Count(ch => ch == '.') == 1 && c.Code.EndsWith(".0", StringComparison.Ordinal))
            .Select(c => c.Code).Take(50).ToList();
        var grades = new Dictionary<string, OptimismBiasGrade>(StringComparer.Ordinal) { ["b"] = new("b", 0.1m, 0.2m, "benchmark values, not HM Treasury's") };
        var y = new PriceYear(2015);
        return new CbaInput
        {
            Name = "benchmark",
            PriceYear = y,
            FirstYear = y,
            HorizonYears = 30,
            OptimismBiasSource = "benchmark",
            OptimismBias = grades,
            DefaultCashability = 0.5m,
            Costs = Enumerable.Range(0, 30).Select(t => new CostLine("c", t % 2 == 0 ? "Local Authority" : "NHS", CostType.Revenue, t, Money.FromPounds(100_000), y, "b", string.Empty)).ToList(),
            Outcomes = codes.Select((code, i) => new OutcomeLine
            {
                Id = "o" + i.ToString(CultureInfo.InvariantCulture),
                UnitCode = code,
                Need = 100 + i,
                Engagement = 0.8m,
                Impact = 0.2m,
                Deadweight = 0.3m,
                Lag = i % 3,
                Duration = 10 + (i % 20),
                DropOff = 0.1m,
                Grade = "b",
            }).ToList(),
        };
    }

    private static double[] Time(int runs, Func<long> action)
    {
        var sink = 0L;
        for (var i = 0; i < Math.Max(5, runs / 10); i++)
        {
            sink ^= action();
        }

        var times = new double[runs];
        for (var i = 0; i < runs; i++)
        {
            var sw = Stopwatch.StartNew();
            sink ^= action();
            times[i] = sw.Elapsed.TotalMilliseconds;
        }

        GC.KeepAlive(sink);
        Array.Sort(times);
        return times;
    }

    private static void Report(string label, int runs, double[] sorted) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{label}: {runs} runs after warm-up, median {sorted[sorted.Length / 2]:F3} ms, p95 {sorted[(int)(sorted.Length * 0.95)]:F3} ms, max {sorted[^1]:F3} ms"));
}
