using System.Globalization;
using System.Reflection;

namespace Hearth.Core.Finance.UnitCosts;

/// <summary>
/// A cumulative GDP-deflator index by financial year (UCD v1.4 base: 1989/90 = 100). Uprating follows the
/// UCD Lookups sheet: <c>value × I(target) / I(price year)</c>, rounded to the penny, halves away from zero.
/// The v1.4 series ships as data (derived from the workbook's own uprated values, see
/// <see cref="DeflatorDerivation"/>); later years are added from a file on the same base.
/// </summary>
public sealed class GdpDeflator
{
    private readonly SortedDictionary<PriceYear, decimal> _index;

    public GdpDeflator(IEnumerable<KeyValuePair<PriceYear, decimal>> index, string source)
    {
        ArgumentNullException.ThrowIfNull(index);
        _index = new SortedDictionary<PriceYear, decimal>();
        foreach (var (year, value) in index)
        {
            if (value <= 0)
            {
                throw new ArgumentException($"index for {year} must be positive", nameof(index));
            }

            _index[year] = value;
        }

        Source = source;
    }

    /// <summary>Where the series came from (and which years a later file added).</summary>
    public string Source { get; }

    public IReadOnlyDictionary<PriceYear, decimal> Index => _index;

    /// <summary>The series derived from UCD v1.4 (2000/01 to 2015/16), shipped as a resource.</summary>
    public static GdpDeflator UcdV14()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"missing embedded resource {ResourceName}");
        using var reader = new StreamReader(stream);
        return new GdpDeflator(Read(reader, "gdp-deflator-ucd-v1.4.csv"), "UCD v1.4 (derived from the workbook's uprated values; 1989/90 = 100)");
    }

    internal const string ResourceName = "Hearth.Core.Resources.Finance.gdp-deflator-ucd-v1.4.csv";

    /// <summary>
    /// Returns a new series with years from a CSV file (<c>price_year,index</c>, same base as this series)
    /// added or replaced. Overlapping years must agree with this series to within 0.5% or the file is rejected,
    /// which catches a file on a different base.
    /// </summary>
    public GdpDeflator WithFile(string path)
    {
        using var reader = new StreamReader(path);
        var added = Read(reader, path);
        foreach (var (year, value) in added)
        {
            if (_index.TryGetValue(year, out var existing) && Math.Abs(existing - value) / existing > 0.005m)
            {
                throw new FinanceInputException(path, 0, "index",
                    FormattableString.Invariant($"{year} is {value} in the file but {existing} in the loaded series: the file looks like a different base (the series uses 1989/90 = 100)"));
            }
        }

        var merged = new Dictionary<PriceYear, decimal>(_index);
        foreach (var (year, value) in added)
        {
            merged[year] = value;
        }

        return new GdpDeflator(merged, $"{Source}; years {added.First().Key}–{added.Last().Key} from {Path.GetFileName(path)}");
    }

    private static List<KeyValuePair<PriceYear, decimal>> Read(TextReader reader, string file)
    {
        var rows = new List<KeyValuePair<PriceYear, decimal>>();
        var header = reader.ReadLine();
        if (header is null || !header.Trim().Equals("price_year,index", StringComparison.OrdinalIgnoreCase))
        {
            throw new FinanceInputException(file, 1, "header", "expected the header 'price_year,index'");
        }

        var line = 1;
        string? text;
        while ((text = reader.ReadLine()) is not null)
        {
            line++;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            var parts = text.Split(',');
            if (parts.Length != 2)
            {
                throw new FinanceInputException(file, line, "row", "expected two columns: price_year,index");
            }

            if (!PriceYear.TryParse(parts[0], out var year, out var reason))
            {
                throw new FinanceInputException(file, line, "price_year", reason);
            }

            if (!decimal.TryParse(parts[1].Trim(), NumberStyles.Number, CultureInfo.InvariantCulture, out var value) || value <= 0)
            {
                throw new FinanceInputException(file, line, "index", $"'{parts[1].Trim()}' is not a positive number");
            }

            if (rows.Any(r => r.Key == year))
            {
                throw new FinanceInputException(file, line, "price_year", $"{year} appears twice");
            }

            rows.Add(new(year, value));
        }

        if (rows.Count == 0)
        {
            throw new FinanceInputException(file, line, "row", "the file has no index rows");
        }

        return rows.OrderBy(r => r.Key).ToList();
    }

    public bool Covers(PriceYear year) => _index.ContainsKey(year);

    /// <summary>I(to) / I(from): what £1 at <paramref name="from"/> prices is worth at <paramref name="to"/> prices.</summary>
    public decimal Factor(PriceYear from, PriceYear to)
    {
        if (!_index.TryGetValue(from, out var i0))
        {
            throw new KeyNotFoundException(FormattableString.Invariant(
                $"the GDP deflator series ({Source}) has no index for {from}; it covers {_index.Keys.First()} to {_index.Keys.Last()}"));
        }

        if (!_index.TryGetValue(to, out var i1))
        {
            throw new KeyNotFoundException(FormattableString.Invariant(
                $"the GDP deflator series has no index for {to}; it covers {_index.Keys.First()} to {_index.Keys.Last()}. Load later years with a deflator file (price_year,index on base 1989/90 = 100)"));
        }

        return i1 / i0;
    }

    /// <summary><c>amount × I(to) / I(from)</c> to the nearest penny, halves away from zero.</summary>
    public Money Uprate(Money amount, PriceYear from, PriceYear to) =>
        from == to ? amount : amount.MultiplyBy(Factor(from, to));
}
