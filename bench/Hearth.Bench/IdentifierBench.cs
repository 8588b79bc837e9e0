using System.Globalization;
using Hearth.Core.Identifiers;

namespace Hearth.Bench;

/// <summary>Throughput of identifier validation, the per-row cost every import pays.</summary>
internal static class IdentifierBench
{
    public static int Run(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3_000_000;
        var valid = BenchRunner.Measure($"{count:N0} NHS numbers", () =>
        {
            var n = 0;
            for (var i = 0; i < count; i++)
            {
                if (NhsNumber.IsValid((400_000_000L + i).ToString("D9", CultureInfo.InvariantCulture) + "0"))
                {
                    n++;
                }
            }

            return n;
        });
        Console.WriteLine($"valid: {valid:N0}");
        BenchRunner.Measure($"{count:N0} postcodes", () =>
        {
            var n = 0;
            for (var i = 0; i < count; i++)
            {
                if (Postcode.IsValid(i % 2 == 0 ? "NB4 7QT" : "nb47qt"))
                {
                    n++;
                }
            }

            return n;
        });
        return 0;
    }
}
