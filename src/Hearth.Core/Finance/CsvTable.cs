namespace Hearth.Core.Finance;

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
        var all = CsvRecords.Read(reader).ToList();
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
