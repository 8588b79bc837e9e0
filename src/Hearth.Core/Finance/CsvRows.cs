using System.Text;

namespace Hearth.Core.Finance;

/// <summary>
/// A small RFC 4180 reader and writer for the money engines' tables: quoted fields may hold commas, quotes
/// (doubled) and line breaks. Each record carries the 1-based line it starts on, for error messages.
/// </summary>
internal static class CsvRows
{
    public static IEnumerable<(int Line, string[] Fields)> Read(TextReader reader)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        int line = 1, recordLine = 1;
        bool quoted = false, any = false;
        int c;
        while ((c = reader.Read()) != -1)
        {
            var ch = (char)c;
            any = true;
            if (quoted)
            {
                if (ch == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        reader.Read();
                        field.Append('"');
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    if (ch == '\n')
                    {
                        line++;
                    }

                    field.Append(ch);
                }

                continue;
            }

            switch (ch)
            {
                case '"':
                    quoted = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    break;
                case '\r':
                    break;
                case '\n':
                    fields.Add(field.ToString());
                    field.Clear();
                    if (!(fields.Count == 1 && fields[0].Length == 0))
                    {
                        yield return (recordLine, fields.ToArray());
                    }

                    fields.Clear();
                    any = false;
                    line++;
                    recordLine = line;
                    break;
                default:
                    field.Append(ch);
                    break;
            }
        }

        if (any)
        {
            fields.Add(field.ToString());
            if (!(fields.Count == 1 && fields[0].Length == 0))
            {
                yield return (recordLine, fields.ToArray());
            }
        }
    }

    /// <summary>Quotes a field when it holds a comma, quote or line break.</summary>
    public static string Escape(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;

    public static string Line(IEnumerable<string> fields) => string.Join(',', fields.Select(Escape));
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
