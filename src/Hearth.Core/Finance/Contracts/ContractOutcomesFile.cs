using System.Globalization;

namespace Hearth.Core.Finance.Contracts;

/// <summary>
/// Validated outcomes from CSV, header <c>date,metric,count[,period][,evidence]</c>: one line per metric and
/// payment date (dates yyyy-mm-dd, counts zero or more). Errors name the file, line, field and reason.
/// </summary>
public static class ContractOutcomesFile
{
    public static IReadOnlyList<(int Line, ValidatedOutcomes Outcome)> Load(string path)
    {
        using var reader = new StreamReader(path);
        return Load(reader, Path.GetFileName(path));
    }

    public static IReadOnlyList<(int Line, ValidatedOutcomes Outcome)> Load(TextReader reader, string file)
    {
        var table = CsvTable.Load(reader, file);
        foreach (var column in new[] { "date", "metric", "count" })
        {
            if (!table.Has(column))
            {
                throw new FinanceInputException(file, 1, column, $"the header has no '{column}' column (expected date,metric,count,period,evidence)");
            }
        }

        var result = new List<(int, ValidatedOutcomes)>();
        foreach (var row in table.Rows)
        {
            var line = row.Line;
            var dateText = table.Get(row, "date");
            if (!DateOnly.TryParseExact(dateText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                throw new FinanceInputException(file, line, "date", $"'{dateText}' is not a date like 2026-03-31");
            }

            var metric = table.Get(row, "metric");
            if (metric.Length == 0)
            {
                throw new FinanceInputException(file, line, "metric", "a metric is required");
            }

            var countText = table.Get(row, "count");
            if (!decimal.TryParse(countText, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var count))
            {
                throw new FinanceInputException(file, line, "count", $"'{countText}' is not a count of zero or more");
            }

            result.Add((line, new ValidatedOutcomes(date, metric, count, table.Get(row, "period"), table.Get(row, "evidence"))));
        }

        return result;
    }
}
