using System.Globalization;
using CsvHelper;

namespace Hearth.Core.Finance;

/// <summary>
/// The money engines' CSV reading and writing, through CsvHelper: quoted fields may hold commas, quotes
/// (doubled) and line breaks. Each record carries the 1-based line it starts on, for error messages.
/// </summary>
internal static class CsvRows
{
    private static readonly CsvReaderOptions ReadOptions = new()
    {
        HasHeader = false,
        SkipEmptyLines = true,
        TrackLineNumbers = true,
    };

    public static IEnumerable<(int Line, string[] Fields)> Read(TextReader reader)
    {
        using var csv = CsvReader.Create(reader, ReadOptions, true);
        while (csv.Read())
        {
            var record = csv.Current.ToArray();
            if (record.Length == 0 || (record.Length == 1 && record[0].Length == 0))
            {
                continue;
            }

            yield return (checked((int)csv.LineNumber), record);
        }
    }

    /// <summary>One CSV line (without the line break) for the given fields, quoted where RFC 4180 needs it.</summary>
    public static string Line(IEnumerable<string> fields)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var writer = CsvWriter.Create(text, new CsvWriterOptions { HasHeader = false, NewLine = "\n" }, true))
        {
            writer.WriteRecord(fields.ToArray());
        }

        return text.ToString().TrimEnd('\n');
    }
}

/// <summary>A CSV table read with its header, giving fields by column name.</summary>
internal sealed class CsvTable
{
    private readonly Dictionary<string, int> _columns;

    private CsvTable(string file, string[] header, List<(int Line, string[] Fields)> rows)
    {
        File = file;
        Header = header;
        Rows = rows;
        _columns = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Length; i++)
        {
            _columns[header[i].Trim()] = i;
        }
    }

    public string File { get; }
    public string[] Header { get; }
    public List<(int Line, string[] Fields)> Rows { get; }

    public static CsvTable Load(TextReader reader, string file)
    {
        var all = CsvRows.Read(reader).ToList();
        if (all.Count == 0)
        {
            throw new FinanceInputException(file, 1, "header", "the file is empty");
        }

        return new CsvTable(file, all[0].Fields, all.Skip(1).ToList());
    }

    public bool Has(string column) => _columns.ContainsKey(column);

    /// <summary>The trimmed field, or empty when the column is absent or the row is short.</summary>
    public string Get((int Line, string[] Fields) row, string column) =>
        _columns.TryGetValue(column, out var i) && i < row.Fields.Length ? row.Fields[i].Trim() : string.Empty;
}
