using System.Globalization;
using System.Reflection;

namespace Hearth.Core.Finance.UnitCosts;

/// <summary>
/// A set of unit costs from one or more tables: the published UCD v1.4 and any local costs. Codes are unique
/// across the set (a local cost may not reuse a published code; give it its own, e.g. <c>LOCAL-MST-1</c>).
/// </summary>
public sealed class UnitCostDatabase
{
    public const string UcdEdition = "GMCA UCD v1.4 (March 2015)";
    public const string UcdLicence = "CC BY 4.0: New Economy / Greater Manchester Combined Authority, Unit Cost Database v1.4";
    public static readonly PriceYear UcdUpratedYear = new(2015);

    private readonly Dictionary<string, UnitCost> _byCode;
    private readonly List<UnitCost> _costs;

    public UnitCostDatabase(IEnumerable<UnitCost> costs, IEnumerable<string> editions)
    {
        ArgumentNullException.ThrowIfNull(costs);
        _costs = costs.ToList();
        _byCode = new Dictionary<string, UnitCost>(StringComparer.OrdinalIgnoreCase);
        foreach (var cost in _costs)
        {
            if (!_byCode.TryAdd(cost.Code, cost))
            {
                throw new ArgumentException($"unit cost code {cost.Code} appears twice", nameof(costs));
            }
        }

        Editions = editions.ToList();
    }

    public IReadOnlyList<UnitCost> Costs => _costs;

    /// <summary>Editions and licences of the tables loaded, in load order.</summary>
    public IReadOnlyList<string> Editions { get; }

    /// <summary>The published UCD v1.4 (683 rows) with Hearth's transfer-payment flags.</summary>
    public static UnitCostDatabase UcdV14()
    {
        var transfers = ReadTransfers();
        using var stream = Resource("gmca-ucd-v1.4.csv");
        using var reader = new StreamReader(stream);
        var costs = ReadUcd(reader, transfers);
        return new UnitCostDatabase(costs, [$"{UcdEdition}; licence {UcdLicence}"]);
    }

    /// <summary>Returns a database with local costs from <paramref name="path"/> added (see docs/money.md for the columns).</summary>
    public UnitCostDatabase WithLocalCosts(string path)
    {
        using var reader = new StreamReader(path);
        var local = ReadLocal(reader, path);
        foreach (var cost in local)
        {
            if (_byCode.ContainsKey(cost.Code))
            {
                throw new FinanceInputException(path, 0, "code", $"{cost.Code} is already a code in {Editions[0]}; give the local cost its own code");
            }
        }

        return new UnitCostDatabase(_costs.Concat(local), Editions.Append($"local costs from {Path.GetFileName(path)}"));
    }

    public UnitCost? Find(string code) => _byCode.GetValueOrDefault(code.Trim());

    /// <summary>
    /// Costs whose code, category, outcome detail or description contains every word of <paramref name="text"/>
    /// (case-insensitive), optionally only those with <paramref name="agency"/> in agency L1 or L2.
    /// </summary>
    public IReadOnlyList<UnitCost> Search(string text, string? agency = null)
    {
        var words = (text ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return _costs.Where(c =>
                words.All(w => c.Code.Contains(w, StringComparison.OrdinalIgnoreCase)
                    || c.Category.Contains(w, StringComparison.OrdinalIgnoreCase)
                    || c.OutcomeDetail.Contains(w, StringComparison.OrdinalIgnoreCase)
                    || c.Description.Contains(w, StringComparison.OrdinalIgnoreCase))
                && (string.IsNullOrWhiteSpace(agency)
                    || c.AgencyL1.Contains(agency, StringComparison.OrdinalIgnoreCase)
                    || c.AgencyL2.Contains(agency, StringComparison.OrdinalIgnoreCase)))
            .ToList();
    }

    /// <summary>
    /// The agency split of a cost's fiscal value: its direct constituent lines (code + ".n") when they exist and
    /// their fiscal values add up to the parent's within £1 (e.g. E&amp;E1.0 £9,800 = E&amp;E1.0.1 DWP £9,234 +
    /// E&amp;E1.0.2 NHS £566), otherwise the cost itself. Transfer flags come from the constituents.
    /// </summary>
    public IReadOnlyList<UnitCost> FiscalSplit(UnitCost cost)
    {
        ArgumentNullException.ThrowIfNull(cost);
        if (cost.Fiscal is null)
        {
            return [cost];
        }

        var prefix = cost.Code + ".";
        var children = _costs.Where(c => c.Code.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
                && !c.Code[prefix.Length..].Contains('.', StringComparison.Ordinal)
                && c.Fiscal is not null)
            .ToList();
        if (children.Count < 2 || children.Any(c => c.Fiscal!.PriceYear != cost.Fiscal.PriceYear))
        {
            return [cost];
        }

        var sum = children.Aggregate(Money.Zero, (s, c) => s + c.Fiscal!.Amount);
        return Math.Abs((sum - cost.Fiscal.Amount).Pence) <= 100 ? children : [cost];
    }

    private static Stream Resource(string name) =>
        Assembly.GetExecutingAssembly().GetManifestResourceStream("Hearth.Core.Resources.Finance." + name)
        ?? throw new InvalidOperationException($"missing embedded resource {name}");

    private static Dictionary<string, string> ReadTransfers()
    {
        using var stream = Resource("ucd-v1.4-transfers.csv");
        using var reader = new StreamReader(stream);
        var csv = CsvTable.Load(reader, "ucd-v1.4-transfers.csv");
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var row in csv.Rows)
        {
            map[csv.Get(row, "code")] = csv.Get(row, "reason");
        }

        return map;
    }

    private static List<UnitCost> ReadUcd(TextReader reader, Dictionary<string, string> transfers)
    {
        const string file = "gmca-ucd-v1.4.csv";
        var csv = CsvTable.Load(reader, file);
        var costs = new List<UnitCost>();
        foreach (var row in csv.Rows)
        {
            var line = row.Line;
            var code = csv.Get(row, "code");
            costs.Add(new UnitCost
            {
                Code = code,
                Edition = UcdEdition,
                Category = csv.Get(row, "category"),
                OutcomeDetail = csv.Get(row, "outcome_detail"),
                Description = Collapse(csv.Get(row, "description")),
                Unit = csv.Get(row, "unit"),
                AgencyL1 = csv.Get(row, "agency_l1"),
                AgencyL2 = csv.Get(row, "agency_l2"),
                Fiscal = ReadValue(csv, row, "fiscal", file, line, withUprated: true),
                Economic = ReadValue(csv, row, "economic", file, line, withUprated: true),
                Social = ReadValue(csv, row, "social", file, line, withUprated: true),
                Rag = csv.Get(row, "RAG"),
                IsTransferPayment = transfers.ContainsKey(code),
                TransferReason = transfers.GetValueOrDefault(code, string.Empty),
            });
        }

        return costs;
    }

    private static List<UnitCost> ReadLocal(TextReader reader, string file)
    {
        var csv = CsvTable.Load(reader, file);

        string[] required = ["code", "description", "unit", "agency_l1", "fiscal_value", "fiscal_year", "source", "source_date"];
        foreach (var column in required)
        {
            if (!csv.Has(column))
            {
                throw new FinanceInputException(file, 1, column, "missing column; local cost files need " + string.Join(", ", required));
            }
        }

        var costs = new List<UnitCost>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var row in csv.Rows)
        {
            var line = row.Line;
            var code = csv.Get(row, "code");
            if (code.Length == 0)
            {
                throw new FinanceInputException(file, line, "code", "a code is required");
            }

            if (!seen.Add(code))
            {
                throw new FinanceInputException(file, line, "code", $"{code} appears twice");
            }

            var description = csv.Get(row, "description");
            if (description.Length == 0)
            {
                throw new FinanceInputException(file, line, "description", "a description is required");
            }

            var source = csv.Get(row, "source");
            if (source.Length == 0)
            {
                throw new FinanceInputException(file, line, "source", "say where the cost comes from (document, team)");
            }

            var dateText = csv.Get(row, "source_date");
            if (!DateOnly.TryParseExact(dateText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                throw new FinanceInputException(file, line, "source_date", $"'{dateText}' is not a date like 2026-03-31");
            }

            var fiscal = ReadValue(csv, row, "fiscal", file, line, withUprated: false);
            var economic = Optional(csv, row, "economic_value") is null ? null : ReadValue(csv, row, "economic", file, line, withUprated: false);
            var social = Optional(csv, row, "social_value") is null ? null : ReadValue(csv, row, "social", file, line, withUprated: false);
            if (fiscal is null && economic is null && social is null)
            {
                throw new FinanceInputException(file, line, "fiscal_value", "at least one of fiscal, economic or social value is required");
            }

            var transferText = Optional(csv, row, "transfer") ?? "no";
            bool transfer = transferText.ToUpperInvariant() switch
            {
                "YES" or "TRUE" or "Y" => true,
                "NO" or "FALSE" or "N" or "" => false,
                _ => throw new FinanceInputException(file, line, "transfer", $"'{transferText}' should be yes or no"),
            };

            costs.Add(new UnitCost
            {
                Code = code,
                Edition = $"local ({Path.GetFileName(file)})",
                Category = Optional(csv, row, "category") ?? "LOCAL",
                Description = description,
                Unit = csv.Get(row, "unit"),
                AgencyL1 = csv.Get(row, "agency_l1"),
                AgencyL2 = Optional(csv, row, "agency_l2") ?? string.Empty,
                Fiscal = fiscal,
                Economic = economic,
                Social = social,
                Rag = Optional(csv, row, "rag") ?? string.Empty,
                IsTransferPayment = transfer,
                TransferReason = transfer ? "marked as a transfer payment in the local cost file" : string.Empty,
                Source = source,
                SourceDate = date,
            });
        }

        return costs;
    }

    private static string? Optional(CsvTable csv, (int Line, string[] Fields) row, string column)
    {
        var text = csv.Get(row, column);
        return text.Length == 0 ? null : text;
    }

    private static UnitCostValue? ReadValue(CsvTable csv, (int Line, string[] Fields) row, string kind, string file, int line, bool withUprated)
    {
        var valueText = Optional(csv, row, kind + "_value");
        var yearText = Optional(csv, row, kind + "_year");
        if (valueText is null)
        {
            return null;
        }

        if (!decimal.TryParse(valueText, NumberStyles.Number, CultureInfo.InvariantCulture, out var value))
        {
            throw new FinanceInputException(file, line, kind + "_value", $"'{valueText}' is not a number");
        }

        if (!PriceYear.TryParse(yearText, out var year, out var reason))
        {
            throw new FinanceInputException(file, line, kind + "_year", reason);
        }

        Money? uprated = null;
        if (withUprated && Optional(csv, row, kind + "_2015_16") is { } upText)
        {
            if (!decimal.TryParse(upText, NumberStyles.Number, CultureInfo.InvariantCulture, out var up))
            {
                throw new FinanceInputException(file, line, kind + "_2015_16", $"'{upText}' is not a number");
            }

            uprated = Money.FromPounds(up);
        }

        return new UnitCostValue(Money.FromPounds(value), year, uprated, uprated is null ? null : UcdUpratedYear);
    }

    private static string Collapse(string text) =>
        string.Join(' ', text.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
