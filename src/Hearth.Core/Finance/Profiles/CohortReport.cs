using System.Globalization;

namespace Hearth.Core.Finance.Profiles;

/// <summary>A family's totals, for the top-cost list.</summary>
public sealed record FamilyCostSummary(string FamilyReference, Money Total, Money Reactive, Money Preventative, int Agencies, int Duplications, DateOnly? AttachDate, Money Before, Money After);

/// <summary>An amount split by a key (agency, year, need, rule), with the number of families contributing.</summary>
public sealed record CohortBreakdown(string Key, Money Amount, int Families);

/// <summary>
/// What a cohort of families costs: totals, the distribution over families, splits by agency, year, need and
/// reactive/preventative, duplication, before/after attachment for families with a date, and the top-cost families.
/// </summary>
public sealed record CohortReport(
    int Families,
    int FamiliesWithCost,
    Money Total,
    Money Reactive,
    Money Preventative,
    Money Mean,
    Money Median,
    Money Percentile90,
    IReadOnlyList<CohortBreakdown> ByAgency,
    IReadOnlyList<CohortBreakdown> ByYear,
    IReadOnlyList<CohortBreakdown> ByNeed,
    int FamiliesWithDuplication,
    Money DuplicatedAmount,
    int FamiliesAttached,
    Money AttachedBefore,
    Money AttachedAfter,
    IReadOnlyList<FamilyCostSummary> Top,
    PriceYear PriceYear);

/// <summary>Folds family profiles into a <see cref="CohortReport"/> one at a time, holding only totals and the top N.</summary>
public sealed class CohortBuilder(int top, PriceYear priceYear)
{
    private readonly List<long> _totals = [];
    private readonly Dictionary<string, (long Pence, int Families)> _agency = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (long Pence, int Families)> _year = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (long Pence, int Families)> _need = new(StringComparer.Ordinal);
    private readonly PriorityQueue<FamilyCostSummary, (long, string)> _top = new();
    private long _reactive;
    private long _preventative;
    private int _withDuplication;
    private long _duplicated;
    private int _attached;
    private long _before;
    private long _after;

    public void Add(FamilyCostProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var total = profile.Total;
        _totals.Add(total.Pence);
        _reactive += profile.Reactive.Pence;
        _preventative += profile.Preventative.Pence;
        Fold(_agency, profile.Lines.GroupBy(l => l.AgencyId));
        Fold(_year, profile.Lines.GroupBy(l => l.Year.ToString()));
        Fold(_need, profile.Lines.GroupBy(l => l.Need));
        if (profile.Duplications.Count > 0)
        {
            _withDuplication++;
            _duplicated += profile.Duplications.Sum(d => d.Amount.Pence);
        }

        if (profile.AttachDate is not null)
        {
            _attached++;
            _before += profile.Before.Pence;
            _after += profile.After.Pence;
        }

        if (top <= 0 || total.Pence == 0)
        {
            return;
        }

        var summary = new FamilyCostSummary(profile.FamilyReference, total, profile.Reactive, profile.Preventative,
            profile.Lines.Select(l => l.AgencyId).Distinct(StringComparer.Ordinal).Count(), profile.Duplications.Count,
            profile.AttachDate, profile.Before, profile.After);

        // Smallest total first (ties: later reference first), so the queue keeps the N largest.
        var priority = (total.Pence, Invert(profile.FamilyReference));
        if (_top.Count < top)
        {
            _top.Enqueue(summary, priority);
        }
        else if (_top.TryPeek(out _, out var lowest) && Compare(priority, lowest) > 0)
        {
            _top.DequeueEnqueue(summary, priority);
        }
    }

    public CohortReport Build()
    {
        var sorted = _totals.Order().ToArray();
        var total = sorted.Sum();
        var top = new List<FamilyCostSummary>();
        var copy = new PriorityQueue<FamilyCostSummary, (long, string)>(_top.UnorderedItems);
        while (copy.Count > 0)
        {
            top.Add(copy.Dequeue());
        }

        top.Reverse();
        return new CohortReport(
            sorted.Length,
            sorted.Count(t => t > 0),
            new Money(total),
            new Money(_reactive),
            new Money(_preventative),
            sorted.Length == 0 ? Money.Zero : new Money((long)Math.Round((decimal)total / sorted.Length, MidpointRounding.AwayFromZero)),
            Percentile(sorted, 0.5),
            Percentile(sorted, 0.9),
            Breakdown(_agency),
            Breakdown(_year).OrderBy(b => b.Key, StringComparer.Ordinal).ToList(),
            Breakdown(_need),
            _withDuplication,
            new Money(_duplicated),
            _attached,
            new Money(_before),
            new Money(_after),
            top,
            priceYear);
    }

    /// <summary>Nearest-rank percentile: the value at rank ceil(p × n) of the sorted totals.</summary>
    private static Money Percentile(long[] sorted, double p)
    {
        if (sorted.Length == 0)
        {
            return Money.Zero;
        }

        var rank = (int)Math.Ceiling(p * sorted.Length);
        return new Money(sorted[Math.Clamp(rank, 1, sorted.Length) - 1]);
    }

    private static void Fold(Dictionary<string, (long Pence, int Families)> into, IEnumerable<IGrouping<string, CostLine>> groups)
    {
        foreach (var g in groups)
        {
            var (pence, families) = into.GetValueOrDefault(g.Key);
            into[g.Key] = (pence + g.Sum(l => l.Amount.Pence), families + 1);
        }
    }

    private static List<CohortBreakdown> Breakdown(Dictionary<string, (long Pence, int Families)> map) =>
        map.OrderByDescending(m => m.Value.Pence).ThenBy(m => m.Key, StringComparer.Ordinal)
            .Select(m => new CohortBreakdown(m.Key, new Money(m.Value.Pence), m.Value.Families)).ToList();

    private static string Invert(string reference) => new(reference.Select(c => (char)(char.MaxValue - c)).ToArray());

    private static int Compare((long Pence, string Key) a, (long Pence, string Key) b)
    {
        var c = a.Pence.CompareTo(b.Pence);
        return c != 0 ? c : string.CompareOrdinal(a.Key, b.Key);
    }
}

/// <summary>Reads attachment dates (<c>family,attach_date</c>) from CSV, with file, line and reason on errors.</summary>
public static class AttachmentFile
{
    public static IReadOnlyDictionary<string, DateOnly> Load(string path)
    {
        using var reader = new StreamReader(path);
        return Load(reader, path);
    }

    public static IReadOnlyDictionary<string, DateOnly> Load(TextReader reader, string file)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var csv = CsvTable.Load(reader, file);
        foreach (var column in new[] { "family", "attach_date" })
        {
            if (!csv.Has(column))
            {
                throw new FinanceInputException(file, 1, column, "missing column; the file needs family,attach_date");
            }
        }

        var map = new Dictionary<string, DateOnly>(StringComparer.Ordinal);
        foreach (var row in csv.Rows)
        {
            var family = csv.Get(row, "family");
            if (family.Length == 0)
            {
                throw new FinanceInputException(file, row.Line, "family", "a family reference is required");
            }

            var text = csv.Get(row, "attach_date");
            if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                throw new FinanceInputException(file, row.Line, "attach_date", $"'{text}' is not a date like 2026-03-31");
            }

            if (!map.TryAdd(family, date))
            {
                throw new FinanceInputException(file, row.Line, "family", $"{family} appears twice");
            }
        }

        return map;
    }
}
