using System.Globalization;

namespace Hearth.Core.Evaluation;

/// <summary>
/// Bad evaluation input, located: which file, which line (1 = the header), which column and why.
/// Nothing is guessed or dropped silently; the caller shows <see cref="Exception.Message"/>.
/// </summary>
public sealed class EvaluationInputException : Exception
{
    public EvaluationInputException()
    {
    }

    public EvaluationInputException(string message)
        : base(message)
    {
    }

    public EvaluationInputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public EvaluationInputException(string source, int? line, string? column, string reason)
        : base(Describe(source, line, column, reason))
    {
        FileName = source;
        Line = line;
        Column = column;
        Reason = reason;
    }

    /// <summary>The file (or other label) the input came from.</summary>
    public string? FileName { get; }

    /// <summary>1-based line in the file (the header is line 1), when the problem is on one line.</summary>
    public int? Line { get; }

    /// <summary>The column concerned, when there is one.</summary>
    public string? Column { get; }

    /// <summary>The reason in plain words.</summary>
    public string? Reason { get; }

    private static string Describe(string source, int? line, string? column, string reason)
    {
        var where = source;
        if (line is { } l)
        {
            where += string.Create(CultureInfo.InvariantCulture, $", line {l}");
        }

        if (column is not null)
        {
            where += $", column '{column}'";
        }

        return $"{where}: {reason}";
    }
}

/// <summary>
/// A rectangular table of text cells read from a CSV file with a header row. Columns are typed on demand:
/// <see cref="Numeric"/> parses with the invariant culture and reports the first bad cell by line.
/// </summary>
public sealed class EvaluationTable
{
    private readonly Dictionary<string, int> _index;
    private readonly string[][] _columns;
    private readonly int[]? _lines;

    public EvaluationTable(string source, IReadOnlyList<string> header, IReadOnlyList<string[]> columns, IReadOnlyList<int>? lines = null)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(columns);
        Source = source;
        Header = header;
        _columns = [.. columns];
        _index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Count; i++)
        {
            if (!_index.TryAdd(header[i], i))
            {
                throw new EvaluationInputException(source, 1, header[i], "the column name appears twice in the header");
            }
        }

        RowCount = _columns.Length == 0 ? 0 : _columns[0].Length;
        _lines = lines is null ? null : [.. lines];
    }

    /// <summary>The file name (or other label) used in error messages.</summary>
    public string Source { get; }

    public IReadOnlyList<string> Header { get; }

    public int RowCount { get; }

    public bool HasColumn(string name) => _index.ContainsKey(name);

    /// <summary>Reads a CSV file with a header row. Blank lines are skipped; ragged rows are errors.</summary>
    public static EvaluationTable Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new EvaluationInputException(path, null, null, "the file does not exist");
        }

        using var reader = new StreamReader(path);
        return Read(reader, Path.GetFileName(path));
    }

    /// <summary>Reads CSV text (RFC 4180: commas, double-quoted fields, doubled quotes) with a header row.</summary>
    public static EvaluationTable Read(TextReader reader, string source)
    {
        ArgumentNullException.ThrowIfNull(reader);
        string[]? header = null;
        List<string>[]? cells = null;
        var lines = new List<int>();
        foreach (var (startLine, record) in ReadRecords(reader, source))
        {
            if (header is null)
            {
                header = [.. record.Select(h => h.Trim())];
                cells = [.. header.Select(_ => new List<string>())];
                if (startLine != 1)
                {
                    throw new EvaluationInputException(source, startLine, null, "the header must be the first line");
                }

                continue;
            }

            if (record.Length != header.Length)
            {
                throw new EvaluationInputException(
                    source,
                    startLine,
                    null,
                    string.Create(CultureInfo.InvariantCulture, $"the row has {record.Length} fields but the header has {header.Length}"));
            }

            lines.Add(startLine);
            for (var c = 0; c < header.Length; c++)
            {
                cells![c].Add(record[c].Trim());
            }
        }

        if (header is null)
        {
            throw new EvaluationInputException(source, 1, null, "the file is empty: a header row is needed");
        }

        return new EvaluationTable(source, header, [.. cells!.Select(c => c.ToArray())], lines);
    }

    private static IEnumerable<(int Line, string[] Fields)> ReadRecords(TextReader reader, string source)
    {
        using var records = CsvRecords.Read(reader).GetEnumerator();
        while (true)
        {
            try
            {
                if (!records.MoveNext())
                {
                    yield break;
                }
            }
            catch (CsvHelper.CsvFormatException e)
            {
                throw new EvaluationInputException(source, null, null, "the file is not valid CSV: " + e.Message);
            }

            yield return records.Current;
        }
    }

    /// <summary>The raw text of a column; throws a located error naming the column when it is missing.</summary>
    public IReadOnlyList<string> Text(string column) => _columns[IndexOf(column)];

    /// <summary>Whether every non-empty value of the column is a number.</summary>
    public bool IsNumeric(string column)
    {
        foreach (var v in _columns[IndexOf(column)])
        {
            if (!TryParse(v, out _))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The column as numbers when every value parses (one pass); false otherwise.</summary>
    public bool TryNumeric(string column, out double[] values)
    {
        var text = _columns[IndexOf(column)];
        values = new double[text.Length];
        for (var i = 0; i < text.Length; i++)
        {
            if (!TryParse(text[i], out values[i]))
            {
                values = [];
                return false;
            }
        }

        return true;
    }

    /// <summary>The share of cells in the column that parse as numbers (0 to 1).</summary>
    public double NumericShare(string column)
    {
        var values = _columns[IndexOf(column)];
        if (values.Length == 0)
        {
            return 1;
        }

        var n = values.Count(v => TryParse(v, out _));
        return (double)n / values.Length;
    }

    /// <summary>The column as numbers. A missing or unparsable value is an error naming its line.</summary>
    public double[] Numeric(string column)
    {
        var values = _columns[IndexOf(column)];
        var result = new double[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i].Length == 0 || string.Equals(values[i], "NA", StringComparison.Ordinal))
            {
                throw new EvaluationInputException(Source, LineOf(i), column, "the value is missing; every row needs a number here");
            }

            if (!TryParse(values[i], out result[i]))
            {
                throw new EvaluationInputException(Source, LineOf(i), column, $"'{values[i]}' is not a number");
            }
        }

        return result;
    }

    /// <summary>The line in the file where 0-based data row <paramref name="row"/> starts (the header is line 1).</summary>
    public int LineOf(int row) => _lines is null ? checked(row + 2) : _lines[row];

    private int IndexOf(string column) =>
        _index.TryGetValue(column, out var i)
            ? i
            : throw new EvaluationInputException(
                Source,
                1,
                column,
                $"no such column; the header has: {string.Join(", ", Header)}");

    private static bool TryParse(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
}
