using System.Globalization;
using CsvHelper;

namespace Hearth.Core;

/// <summary>
/// CSV reading and writing for Hearth's own tables (reference data, analysis inputs, results), through CsvHelper: quoted fields may hold commas, quotes
/// (doubled) and line breaks; spaces around values are trimmed (a quote after a space still opens a quoted
/// field). Each record carries the 1-based line it starts on, for error messages.
/// </summary>
internal static class CsvRecords
{
    private static readonly CsvReaderOptions ReadOptions = new()
    {
        HasHeader = false,
        SkipEmptyLines = true,
        TrackLineNumbers = true,
        TrimWhitespace = true,
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
