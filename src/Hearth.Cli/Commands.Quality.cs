using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Hearth.Core.Data;
using Hearth.Core.Intake;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Hearth.Cli;

public static partial class Commands
{
    private static readonly JsonSerializerOptions QualityJson = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    /// <summary><c>hearth quality [--agency ID] [--json]</c>: the data quality report per agency and dataset.</summary>
    internal static Command Quality()
    {
        var agency = new Option<string?>("--agency") { Description = "Only this agency" };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON" };
        var (database, postgres) = DatabaseOptions();
        var command = new Command("quality", "Data quality per agency and dataset: identifier completeness, invalid identifiers, date ranges, duplicates, quarantine.");
        command.Options.Add(agency);
        command.Options.Add(json);
        command.Options.Add(database);
        command.Options.Add(postgres);
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!TryDatabase(parse, database, postgres, out var options, out var problem))
            {
                return FailIntake(problem);
            }

            await using var services = new ServiceCollection().AddHearthCore(options).BuildServiceProvider();
            await services.MigrateHearthDatabaseAsync(cancellationToken);
            await using var scope = services.CreateAsyncScope();
            var report = await scope.ServiceProvider.GetRequiredService<QualityReportService>().ReportAsync(parse.GetValue(agency), cancellationToken);
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(report, QualityJson));
                return 0;
            }

            if (report.Count == 0)
            {
                AnsiConsole.MarkupLine("No agency data imported yet.");
                return 0;
            }

            foreach (var a in report)
            {
                PrintAgency(a);
            }

            return 0;
        });
        return command;
    }

    private static void PrintAgency(AgencyQuality agency)
    {
        var completeness = string.Join(", ", agency.Completeness.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Field} {c.Percent:F1}%")));
        AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"[bold]{Markup.Escape(agency.Name)}[/] ({Markup.Escape(agency.AgencyId)}): {agency.SourceRecords:N0} source records; {completeness}"));
        var table = new Table().AddColumns("Dataset", "Kind", "File", "Read", "Stored", "Quarantined", "Duplicates", "Warnings", "Event dates");
        foreach (var d in agency.Datasets)
        {
            table.AddRow(
                d.DatasetId.ToString(CultureInfo.InvariantCulture),
                Markup.Escape(d.Kind),
                Markup.Escape(d.FileName),
                d.RowsRead.ToString("N0", CultureInfo.InvariantCulture),
                d.RowsStored.ToString("N0", CultureInfo.InvariantCulture),
                d.RowsQuarantined.ToString("N0", CultureInfo.InvariantCulture),
                d.RowsDuplicate.ToString("N0", CultureInfo.InvariantCulture),
                d.RowsWithWarnings.ToString("N0", CultureInfo.InvariantCulture),
                d.EventDates is { } e ? string.Create(CultureInfo.InvariantCulture, $"{e.Start:yyyy-MM-dd} to {e.End:yyyy-MM-dd}") : "-");
        }

        AnsiConsole.Write(table);
        foreach (var d in agency.Datasets)
        {
            var fields = string.Join(", ", d.Completeness.Where(c => c.Present > 0).Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Field} {c.Percent:F1}%")));
            var invalid = d.InvalidIdentifiers.Count == 0
                ? "none"
                : string.Join(", ", d.InvalidIdentifiers.Select(i => string.Create(CultureInfo.InvariantCulture, $"{i.Key} {i.Value:N0}")));
            var births = d.BirthYears is { } b ? string.Create(CultureInfo.InvariantCulture, $"; born {b.Earliest} to {b.Latest}") : string.Empty;
            AnsiConsole.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                $"  dataset {d.DatasetId}: {d.People:N0} people; completeness {(fields.Length == 0 ? "-" : fields)}; invalid identifiers {invalid}{births}")));
        }

        AnsiConsole.WriteLine();
    }
}
