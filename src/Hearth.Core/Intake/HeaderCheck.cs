using System.Globalization;

namespace Hearth.Core.Intake;

/// <summary>Checks a file's header against its mapping before any row is read.</summary>
internal static class HeaderCheck
{
    private static readonly (char Delimiter, string Name)[] Delimiters =
        [(',', "comma"), (';', "semicolon"), ('\t', "tab"), ('|', "vertical bar")];

    /// <summary>Why the header cannot be used: missing columns (with close matches), a wrong delimiter, a repeated column.</summary>
    public static List<string> Problems(IReadOnlyList<string> header, ExtractMapping mapping, int headerLine)
    {
        var problems = new List<string>();
        var missing = mapping.Columns.Where(c => RowMapper.HeaderIndex(header, c.Source) < 0).ToList();
        if (missing.Count == 0)
        {
            foreach (var column in mapping.Columns)
            {
                var matches = header.Count(h => string.Equals(h, column.Source.Trim(), StringComparison.OrdinalIgnoreCase));
                if (matches > 1)
                {
                    problems.Add(string.Create(CultureInfo.InvariantCulture,
                        $"column '{column.Source}' appears {matches} times in the header on line {headerLine}, so Hearth cannot tell which to use"));
                }
            }

            return problems;
        }

        if (header.Count == 1 && mapping.Columns.Count > 1)
        {
            foreach (var (delimiter, name) in Delimiters)
            {
                if (delimiter != mapping.Delimiter && header[0].Split(delimiter).Length > 1)
                {
                    var split = header[0].Split(delimiter).Select(h => h.Trim()).ToArray();
                    var found = mapping.Columns.Count(c => RowMapper.HeaderIndex(split, c.Source) >= 0);
                    problems.Add(string.Create(CultureInfo.InvariantCulture,
                        $"the header on line {headerLine} is one single column: the file seems to be separated by {name}s ('{Show(delimiter)}'), " +
                        $"not by '{Show(mapping.Delimiter)}' as the mapping says ({found} of {mapping.Columns.Count} mapped columns found when split by {name}); " +
                        $"set delimiter: \"{Show(delimiter)}\" in the mapping or export the file with '{Show(mapping.Delimiter)}'"));
                    return problems;
                }
            }
        }

        var unmapped = header.Where(h => mapping.Columns.All(c => !string.Equals(c.Source.Trim(), h, StringComparison.OrdinalIgnoreCase))).ToList();
        var parts = missing.Select(c =>
        {
            var guess = Closeness.Closest(c.Source, unmapped);
            return guess is null ? $"'{c.Source}'" : $"'{c.Source}' (did you mean '{guess}'?)";
        });
        problems.Add(string.Create(CultureInfo.InvariantCulture,
            $"the header on line {headerLine} is missing {(missing.Count == 1 ? "column" : "columns")} {string.Join(", ", parts)}; " +
            $"the file's columns are: {string.Join(", ", header.Select(h => "'" + h + "'"))}"));
        return problems;
    }

    /// <summary>Header columns the mapping does not use: they are ignored, and noted once.</summary>
    public static IEnumerable<(string Column, string Message)> UnmappedColumns(IReadOnlyList<string> header, ExtractMapping mapping) =>
        header
            .Where(h => h.Length > 0 && mapping.Columns.All(c => !string.Equals(c.Source.Trim(), h, StringComparison.OrdinalIgnoreCase)))
            .Select(h => (h, $"column '{h}' is not in the mapping and was ignored"));

    private static string Show(char delimiter) => delimiter == '\t' ? "\\t" : delimiter.ToString();
}
