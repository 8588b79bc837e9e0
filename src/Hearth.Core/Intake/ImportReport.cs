using System.Globalization;
using System.Text;
using System.Text.Json;
using Hearth.Core.Data;

namespace Hearth.Core.Intake;

/// <summary>
/// Writes an import's machine-readable error report: CSV (one line per issue, RFC 4180, cells that could
/// start a spreadsheet formula prefixed with an apostrophe) or JSON (the summary and every issue).
/// </summary>
public static class ImportReport
{
    private static readonly string[] CsvHeader = ["file", "dataset", "row", "column", "field", "severity", "code", "message"];

    public static async Task WriteCsvAsync(TextWriter writer, IEnumerable<(ImportResult Result, IAsyncEnumerable<ImportIssue> Issues)> imports, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(imports);
        await writer.WriteLineAsync(string.Join(',', CsvHeader));
        foreach (var (result, issues) in imports)
        {
            var dataset = result.DatasetId?.ToString(CultureInfo.InvariantCulture) ?? string.Empty;
            foreach (var problem in result.Problems)
            {
                await writer.WriteLineAsync(Line(result.FileName, dataset, null, null, null,
                    result.Outcome == ImportOutcome.Rejected ? "Error" : "Info",
                    result.Outcome == ImportOutcome.Rejected ? "file_rejected" : "already_imported", problem));
            }

            await foreach (var issue in issues.WithCancellation(cancellationToken))
            {
                await writer.WriteLineAsync(Line(result.FileName, dataset, issue.RowNumber, issue.ColumnName, issue.Field,
                    issue.Severity.ToString(), issue.Code, issue.Message));
            }
        }
    }

    public static async Task WriteJsonAsync(Stream stream, IEnumerable<(ImportResult Result, IAsyncEnumerable<ImportIssue> Issues)> imports, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(imports);
        await using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartArray();
        foreach (var (result, issues) in imports)
        {
            json.WriteStartObject();
            json.WriteString("file", result.FileName);
            json.WriteString("outcome", JsonNamingPolicy.SnakeCaseLower.ConvertName(result.Outcome.ToString()));
            if (result.DatasetId is { } id)
            {
                json.WriteNumber("dataset", id);
            }

            json.WriteNumber("rows_read", result.RowsRead);
            json.WriteNumber("rows_stored", result.RowsStored);
            json.WriteNumber("rows_quarantined", result.RowsQuarantined);
            json.WriteNumber("rows_duplicate", result.RowsDuplicate);
            json.WriteNumber("rows_with_warnings", result.RowsWithWarnings);
            json.WriteNumber("blank_lines", result.BlankLines);
            json.WriteStartArray("problems");
            foreach (var problem in result.Problems)
            {
                json.WriteStringValue(problem);
            }

            json.WriteEndArray();
            json.WriteStartArray("issues");
            await foreach (var issue in issues.WithCancellation(cancellationToken))
            {
                json.WriteStartObject();
                if (issue.RowNumber is { } row)
                {
                    json.WriteNumber("row", row);
                }

                json.WriteString("column", issue.ColumnName);
                json.WriteString("field", issue.Field);
                json.WriteString("severity", issue.Severity.ToString().ToLowerInvariant());
                json.WriteString("code", issue.Code);
                json.WriteString("message", issue.Message);
                json.WriteEndObject();
                if (json.BytesPending > 1 << 16)
                {
                    await json.FlushAsync(cancellationToken);
                }
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        await json.FlushAsync(cancellationToken);
    }

    private static string Line(string file, string dataset, int? row, string? column, string? field, string severity, string code, string message) =>
        string.Join(',', new[]
        {
            file, dataset, row?.ToString(CultureInfo.InvariantCulture) ?? string.Empty, column ?? string.Empty, field ?? string.Empty,
            severity, code, message,
        }.Select(Cell));

    /// <summary>RFC 4180 quoting, and a leading apostrophe for cells a spreadsheet would run as a formula.</summary>
    public static string Cell(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\0')
        {
            value = "'" + value;
        }

        if (value.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            return value;
        }

        var builder = new StringBuilder(value.Length + 2).Append('"');
        builder.Append(value.Replace("\"", "\"\"", StringComparison.Ordinal));
        return builder.Append('"').ToString();
    }
}
