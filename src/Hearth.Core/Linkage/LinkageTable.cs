namespace Hearth.Core.Linkage;

/// <summary>A table of records to link: one id per record and the raw text of each column.</summary>
public sealed class LinkageTable
{
    private readonly Dictionary<string, string?[]> _columns;

    public LinkageTable(string name, string[] ids, IReadOnlyDictionary<string, string?[]> columns)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(columns);
        Name = name;
        Ids = ids;
        _columns = new Dictionary<string, string?[]>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var (column, values) in columns)
        {
            if (values.Length != ids.Length)
            {
                throw new ArgumentException($"Column '{column}' has {values.Length} values for {ids.Length} records.", nameof(columns));
            }

            _columns[column] = values;
            order.Add(column);
        }

        ColumnNames = order;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < ids.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(ids[i]))
            {
                throw new LinkageInputException($"{name}: record {i + 1} has an empty id.");
            }

            if (!seen.Add(ids[i]))
            {
                throw new LinkageInputException($"{name}: id '{ids[i]}' appears more than once (record {i + 1}); ids must be unique.");
            }
        }
    }

    /// <summary>Where the table came from (a file name), for messages.</summary>
    public string Name { get; }

    /// <summary>Record ids, in file order.</summary>
    public string[] Ids { get; }

    public int Count => Ids.Length;

    /// <summary>Column names other than the id, in file order.</summary>
    public IReadOnlyList<string> ColumnNames { get; }

    public bool HasColumn(string column) => _columns.ContainsKey(column);

    /// <summary>The raw values of a column (null or empty when missing).</summary>
    public string?[] Column(string column) =>
        _columns.TryGetValue(column, out var v) ? v : throw new LinkageInputException($"{Name}: there is no column '{column}'.");

    /// <summary>
    /// Reads a CSV file with a header row. Headers and values are trimmed (FEBRL files put a space after each
    /// comma); empty values are missing. Fails with the file and reason when the file cannot be read, the id
    /// column is missing, or an id is empty or repeated.
    /// </summary>
    public static LinkageTable ReadCsv(string path, string idColumn)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new LinkageInputException($"{path}: file not found.");
        }

        try
        {
            using var reader = new StreamReader(path);
            return ReadCsv(reader, Path.GetFileName(path), idColumn);
        }
        catch (IOException e)
        {
            throw new LinkageInputException($"{path}: cannot be read: {e.Message}");
        }
        catch (UnauthorizedAccessException e)
        {
            throw new LinkageInputException($"{path}: cannot be read: {e.Message}");
        }
    }

    /// <summary>Reads CSV text through CsvHelper (RFC 4180 quoting); see <see cref="ReadCsv(string, string)"/>.</summary>
    public static LinkageTable ReadCsv(TextReader reader, string name, string idColumn)
    {
        ArgumentNullException.ThrowIfNull(reader);
        using var records = CsvRecords.Read(reader).GetEnumerator();
        if (!Next(records, name) || records.Current.Fields.All(string.IsNullOrWhiteSpace))
        {
            throw new LinkageInputException($"{name}: the file is empty or has no header row.");
        }

        var header = records.Current.Fields.Select(h => h.Trim()).ToArray();
        var idIndex = Array.IndexOf(header, idColumn);
        if (idIndex < 0)
        {
            throw new LinkageInputException($"{name}: there is no id column '{idColumn}'; the columns are: {string.Join(", ", header)}.");
        }

        var duplicate = header.GroupBy(h => h, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new LinkageInputException($"{name}: column '{duplicate.Key}' appears more than once in the header.");
        }

        var ids = new List<string>();
        var values = new List<string?>[header.Length];
        for (var c = 0; c < header.Length; c++)
        {
            values[c] = [];
        }

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        while (Next(records, name))
        {
            var (startLine, fields) = records.Current;
            var id = idIndex < fields.Length ? fields[idIndex].Trim() : string.Empty;
            if (id.Length == 0)
            {
                throw new LinkageInputException($"{name}, line {startLine}: the id column '{idColumn}' is empty.");
            }

            if (seen.TryGetValue(id, out var first))
            {
                throw new LinkageInputException($"{name}, line {startLine}: id '{id}' was already used on line {first}; ids must be unique.");
            }

            seen[id] = startLine;
            ids.Add(id);
            for (var c = 0; c < header.Length; c++)
            {
                var v = c < fields.Length ? fields[c].Trim() : null;
                values[c].Add(string.IsNullOrEmpty(v) ? null : v);
            }
        }

        var columns = new Dictionary<string, string?[]>(StringComparer.Ordinal);
        for (var c = 0; c < header.Length; c++)
        {
            if (c != idIndex)
            {
                columns[header[c]] = [.. values[c]];
            }
        }

        return new LinkageTable(name, [.. ids], columns);
    }

    private static bool Next(IEnumerator<(int Line, string[] Fields)> records, string name)
    {
        try
        {
            return records.MoveNext();
        }
        catch (CsvHelper.CsvFormatException e)
        {
            throw new LinkageInputException($"{name}: the file is not valid CSV: {e.Message}");
        }
    }
}

/// <summary>Input that cannot be linked as given (a bad file, a missing column, repeated ids, a bad configuration).</summary>
public sealed class LinkageInputException : Exception
{
    public LinkageInputException()
    {
    }

    public LinkageInputException(string message)
        : base(message)
    {
    }

    public LinkageInputException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
