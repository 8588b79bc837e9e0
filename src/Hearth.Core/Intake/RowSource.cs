using System.Globalization;
using System.Text;
using ClosedXML.Excel;
using CsvHelper;

namespace Hearth.Core.Intake;

/// <summary>
/// Reads an extract row by row without holding the file in memory (CSV), or one worksheet (xlsx).
/// Row numbers are what a person sees: the line of the file where the row starts (header on line 1), or the
/// worksheet row.
/// </summary>
internal abstract class RowSource : IDisposable
{
    /// <summary>Column names from the header row, trimmed.</summary>
    public IReadOnlyList<string> Header { get; protected set; } = [];

    /// <summary>Line or sheet row of the header.</summary>
    public int HeaderLine { get; protected set; }

    public int RowNumber { get; protected set; }

    /// <summary>True when the current row is the last one in the file.</summary>
    public abstract bool IsLast { get; }

    public abstract int FieldCount { get; }

    public abstract string this[int index] { get; }

    /// <summary>The row as read: CSV text with its quotes, or cells joined as CSV.</summary>
    public abstract string RawText { get; }

    /// <summary>A structural problem with the current row (a stray quote), or null.</summary>
    public string? RowProblem { get; protected set; }

    /// <summary>Blank lines or rows skipped so far.</summary>
    public int BlankLines { get; protected set; }

    /// <summary>Bytes consumed so far (for progress).</summary>
    public abstract long Position { get; }

    /// <summary>Reads the header; false when the file has no header row.</summary>
    public abstract bool ReadHeader(int headerRow);

    /// <summary>Moves to the next row with content; false at the end.</summary>
    public abstract bool Read();

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected abstract void Dispose(bool disposing);

    public static RowSource Open(string path, ExtractMapping mapping) =>
        mapping.Format == ExtractFormat.Xlsx ? new XlsxRowSource(path, mapping.Sheet) : new CsvRowSource(path, mapping);
}

/// <summary>
/// CSV read with CsvHelper's streaming reader (RFC 4180: quoted fields may hold delimiters, quotes and line
/// breaks). One record is read ahead so the last row is known when it is mapped.
/// </summary>
internal sealed class CsvRowSource : RowSource
{
    private readonly CsvReader _reader;
    private Record _current = new();
    private Record _next = new();
    private bool _hasNext;
    private int _nextLine = 1;
    private long _malformedLine = -1;
    private CsvMalformedReason _malformedReason;

    public CsvRowSource(string path, ExtractMapping mapping)
    {
        var options = new CsvReaderOptions
        {
            Separator = mapping.Delimiter,
            HasHeader = false,
            SkipEmptyLines = true,
            TrackLineNumbers = true,
            IncludeValuesInExceptions = false,
            MalformedData = CsvMalformedDataHandling.Recover,
            OnMalformedRecord = r =>
            {
                _malformedLine = r.LineNumber;
                _malformedReason = r.Reason;
            },
            Encoding = mapping.Encoding == ExtractEncoding.Windows1252 ? FileInspection.TextEncoding(mapping.Encoding) : null,
        };
        _reader = CsvReader.FromFile(path, options);
    }

    public override bool IsLast => !_hasNext;

    public override int FieldCount => _current.Fields.Count;

    public override string this[int index] => _current.Fields[index];

    public override string RawText => Encoding.UTF8.GetString(_current.Raw.AsSpan(0, _current.RawLength));

    public override long Position => _reader.ByteOffset;

    public override bool ReadHeader(int headerRow)
    {
        Advance();
        while (_hasNext && _next.Line < headerRow)
        {
            Advance();
        }

        if (!_hasNext)
        {
            return false;
        }

        Header = _next.Fields.Select(h => h.Trim().TrimStart('\uFEFF')).ToArray();
        HeaderLine = _next.Line;
        Advance();
        return true;
    }

    public override bool Read()
    {
        if (!_hasNext)
        {
            return false;
        }

        (_current, _next) = (_next, _current);
        RowNumber = _current.Line;
        RowProblem = _current.Problem switch
        {
            null => null,
            CsvMalformedReason.UnterminatedQuote =>
                "a quoted field is never closed, so everything from this line to the end of the file was read as one row: the file seems cut off, or a closing quote is missing",
            CsvMalformedReason.StrayQuote =>
                "a double quote appears inside a field that does not start with one; quote the whole field and double the inner quote (\"\")",
            CsvMalformedReason.TextAfterClosingQuote =>
                "text follows the closing quote of a quoted field; quote the whole field and double any inner quote (\"\")",
            _ => "the row's quoting is malformed",
        };
        Advance();
        return true;
    }

    private void Advance()
    {
        _hasNext = _reader.Read();
        if (!_hasNext)
        {
            return;
        }

        var line = (int)_reader.LineNumber;
        if (line > _nextLine)
        {
            BlankLines += line - _nextLine;
        }

        var raw = _reader.RawRecord;
        _nextLine = line + 1 + raw.Count((byte)'\n');
        _next.Line = line;
        _next.Problem = _malformedLine == line ? _malformedReason : null;
        if (_next.Raw.Length < raw.Length)
        {
            _next.Raw = new byte[Math.Max(raw.Length, _next.Raw.Length * 2)];
        }

        raw.CopyTo(_next.Raw);
        _next.RawLength = raw.Length;
        _next.Fields.Clear();
        for (var i = 0; i < _reader.FieldCount; i++)
        {
            _next.Fields.Add(_reader.GetString(i) ?? string.Empty);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _reader.Dispose();
        }
    }

    private sealed class Record
    {
        public List<string> Fields { get; } = [];

        public byte[] Raw { get; set; } = new byte[256];

        public int RawLength { get; set; }

        public int Line { get; set; }

        public CsvMalformedReason? Problem { get; set; }
    }
}

/// <summary>One worksheet of an xlsx workbook, read with ClosedXML (the whole sheet is loaded; big extracts should be CSV).</summary>
internal sealed class XlsxRowSource : RowSource
{
    private readonly XLWorkbook _workbook;
    private readonly IXLWorksheet _sheet;
    private readonly long _length;
    private readonly int _lastRow;
    private int _columns;
    private readonly List<string> _current = [];

    public XlsxRowSource(string path, string? sheet)
    {
        _length = new FileInfo(path).Length;
        _workbook = new XLWorkbook(path);
        if (sheet is null)
        {
            _sheet = _workbook.Worksheet(1);
        }
        else if (!_workbook.TryGetWorksheet(sheet, out _sheet))
        {
            var names = string.Join(", ", _workbook.Worksheets.Select(w => "'" + w.Name + "'"));
            _workbook.Dispose();
            throw new IntakeFileException($"the workbook has no sheet named '{sheet}'; its sheets are {names}");
        }

        _lastRow = _sheet.LastRowUsed()?.RowNumber() ?? 0;
    }

    public override bool IsLast => RowNumber >= _lastRow;

    public override int FieldCount => _current.Count;

    public override string this[int index] => _current[index];

    public override string RawText
    {
        get
        {
            var builder = new StringBuilder();
            for (var i = 0; i < _current.Count; i++)
            {
                if (i > 0)
                {
                    builder.Append(',');
                }

                var cell = _current[i];
                if (cell.AsSpan().IndexOfAny(",\"\r\n") >= 0)
                {
                    builder.Append('"').Append(cell.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
                }
                else
                {
                    builder.Append(cell);
                }
            }

            return builder.ToString();
        }
    }

    public override long Position => _lastRow == 0 ? _length : _length * Math.Min(RowNumber, _lastRow) / _lastRow;

    public override bool ReadHeader(int headerRow)
    {
        if (headerRow > _lastRow)
        {
            return false;
        }

        var row = _sheet.Row(headerRow);
        _columns = row.LastCellUsed()?.Address.ColumnNumber ?? 0;
        Header = Enumerable.Range(1, _columns).Select(c => CellText(row.Cell(c)).Trim()).ToArray();
        HeaderLine = headerRow;
        RowNumber = headerRow;
        return _columns > 0;
    }

    public override bool Read()
    {
        while (RowNumber < _lastRow)
        {
            RowNumber++;
            var row = _sheet.Row(RowNumber);
            var used = row.LastCellUsed()?.Address.ColumnNumber ?? 0;
            if (used == 0)
            {
                BlankLines++;
                continue;
            }

            _current.Clear();
            for (var c = 1; c <= Math.Max(used, _columns); c++)
            {
                _current.Add(CellText(row.Cell(c)));
            }

            return true;
        }

        return false;
    }

    /// <summary>Cell text: dates as yyyy-MM-dd, numbers in invariant form, text as typed.</summary>
    private static string CellText(IXLCell cell) => cell.DataType switch
    {
        XLDataType.DateTime => cell.GetDateTime() is var d && d.TimeOfDay == TimeSpan.Zero
            ? d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : cell.GetDateTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        XLDataType.Number => cell.GetDouble().ToString("R", CultureInfo.InvariantCulture),
        XLDataType.Boolean => cell.GetBoolean() ? "TRUE" : "FALSE",
        _ => cell.GetString(),
    };

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _workbook.Dispose();
        }
    }
}

/// <summary>A file cannot be imported at all (its header, encoding, delimiter or sheet is wrong).</summary>
public sealed class IntakeFileException : Exception
{
    public IntakeFileException(string message)
        : base(message)
    {
    }

    public IntakeFileException()
    {
    }

    public IntakeFileException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
