namespace Hearth.Core.Finance.UnitCosts;

/// <summary>One year's result of deriving the deflator from a table's own uprated values.</summary>
/// <param name="Year">The price year.</param>
/// <param name="Pairs">How many (value, uprated value) pairs the table has for this year.</param>
/// <param name="Consistent">How many pairs the chosen ratio reproduces exactly to the penny.</param>
/// <param name="RatioLow">Lowest ratio I(target)/I(year) consistent with those pairs.</param>
/// <param name="RatioHigh">Highest such ratio.</param>
/// <param name="Index">I(year) = anchor index ÷ the midpoint ratio.</param>
public sealed record DerivedIndex(PriceYear Year, int Pairs, int Consistent, decimal RatioLow, decimal RatioHigh, decimal Index);

/// <summary>
/// Recovers a deflator series from a unit-cost table that gives each value both in its price year (v) and
/// uprated to one target year (u, rounded to the penny). For each price year every pair bounds the ratio
/// R = I(target)/I(year) to [(u − ½p)/v, (u + ½p)/v]; the derivation takes the ratio covered by the most
/// pairs (a few workbook values were typed rounded from longer decimals, so not every interval overlaps)
/// and its midpoint, then I(year) = I(target) / R. The anchor I(target) comes from the source's Lookups
/// sheet (UCD v1.4: I(2015/16) = 195.970 on 1989/90 = 100); uprating between years only uses ratios, so
/// the anchor fixes the base, not the results.
/// </summary>
public static class DeflatorDerivation
{
    public static IReadOnlyList<DerivedIndex> Derive(IEnumerable<UnitCost> costs, PriceYear target, decimal targetIndex)
    {
        ArgumentNullException.ThrowIfNull(costs);
        var intervals = new Dictionary<PriceYear, List<(decimal Low, decimal High)>>();
        foreach (var cost in costs)
        {
            foreach (var value in new[] { cost.Fiscal, cost.Economic, cost.Social })
            {
                if (value is null || value.SourceUprated is not { } u || value.SourceUpratedYear != target || value.Amount.Pence <= 0)
                {
                    continue;
                }

                var v = (decimal)value.Amount.Pence;
                var low = (u.Pence - 0.5m) / v;
                var high = (u.Pence + 0.5m) / v;
                if (!intervals.TryGetValue(value.PriceYear, out var list))
                {
                    intervals[value.PriceYear] = list = [];
                }

                list.Add((low, high));
            }
        }

        var result = new List<DerivedIndex>();
        foreach (var (year, list) in intervals.OrderBy(p => p.Key))
        {
            // Sweep: the point covered by most intervals. Starts sort before ends at equal positions.
            var events = list.SelectMany(i => new[] { (At: i.Low, Start: 0), (At: i.High, Start: 1) })
                .OrderBy(e => e.At).ThenBy(e => e.Start).ToList();
            int depth = 0, best = 0;
            decimal bestLow = 0, bestHigh = 0;
            for (var k = 0; k < events.Count; k++)
            {
                if (events[k].Start == 0)
                {
                    depth++;
                    if (depth > best)
                    {
                        best = depth;
                        bestLow = events[k].At;
                        bestHigh = events[k + 1].At;
                    }
                }
                else
                {
                    depth--;
                }
            }

            var ratio = (bestLow + bestHigh) / 2;
            result.Add(new DerivedIndex(year, list.Count, best, bestLow, bestHigh, decimal.Round(targetIndex / ratio, 7)));
        }

        return result;
    }
}
