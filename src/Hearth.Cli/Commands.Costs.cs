using System.CommandLine;
using System.Globalization;
using Hearth.Core.Finance;
using Hearth.Core.Finance.UnitCosts;
using Spectre.Console;

namespace Hearth.Cli;

public static partial class Commands
{
    private static readonly Option<FileInfo?> FinanceCostsOption = new("--costs")
    {
        Description = "CSV of local unit costs to add to UCD v1.4 (code, description, unit, agency_l1, fiscal_value, fiscal_year, source, source_date, …)",
    };

    private static readonly Option<FileInfo?> FinanceDeflatorOption = new("--deflator")
    {
        Description = "CSV (price_year,index on base 1989/90 = 100) adding later years to the GDP deflator series",
    };

    /// <summary><c>hearth costs search|show|uprate</c>: the unit cost database.</summary>
    internal static Command Costs()
    {
        var command = new Command("costs", "Unit cost database (GMCA / New Economy UCD v1.4 plus local costs): search, show and uprate costs.");

        var text = new Argument<string>("text") { Description = "Words to find in code, category or description (all must match)" };
        var agency = new Option<string?>("--agency") { Description = "Only costs whose level 1 or 2 agency contains this text" };
        var priceYear = new Option<string?>("--price-year") { Description = "Show values uprated to this price year, e.g. 2015/16" };
        var search = new Command("search", "Find unit costs by words and agency.");
        search.Arguments.Add(text);
        search.Options.Add(agency);
        search.Options.Add(priceYear);
        search.Options.Add(FinanceCostsOption);
        search.Options.Add(FinanceDeflatorOption);
        search.SetAction(parse => FinanceRun(() =>
        {
            var (db, deflator) = FinanceLoad(parse);
            var year = FinanceYear(parse.GetValue(priceYear));
            var hits = db.Search(parse.GetValue(text) ?? string.Empty, parse.GetValue(agency));
            var table = new Table().AddColumns("Code", "Description", "Unit", "Agency", "Fiscal", "Economic", "Social", "Prices", "RAG");
            foreach (var cost in hits)
            {
                table.AddRow(
                    Markup.Escape(cost.Code) + (cost.IsTransferPayment ? " [yellow](transfer)[/]" : string.Empty),
                    Markup.Escape(cost.Description),
                    Markup.Escape(cost.Unit),
                    Markup.Escape(cost.AgencyLabel),
                    FinanceValueText(cost.Fiscal, year, deflator),
                    FinanceValueText(cost.Economic, year, deflator),
                    FinanceValueText(cost.Social, year, deflator),
                    year?.ToString() ?? "own year",
                    Markup.Escape(cost.Rag));
            }

            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine(CultureInfo.InvariantCulture, "{0} of {1} costs. {2}", hits.Count, db.Costs.Count, Markup.Escape(string.Join("; ", db.Editions)));
            return 0;
        }));

        var code = new Argument<string>("code") { Description = "Unit cost code, e.g. E&E1.0" };
        var show = new Command("show", "Show one unit cost: every value, its price year, the workbook's 2015/16 figure, agency split and transfer flag.");
        show.Arguments.Add(code);
        show.Options.Add(priceYear);
        show.Options.Add(FinanceCostsOption);
        show.Options.Add(FinanceDeflatorOption);
        show.SetAction(parse => FinanceRun(() =>
        {
            var (db, deflator) = FinanceLoad(parse);
            var year = FinanceYear(parse.GetValue(priceYear));
            var cost = FinanceFind(db, parse.GetValue(code));
            var grid = new Grid().AddColumn().AddColumn();
            grid.AddRow("Code", Markup.Escape(cost.Code));
            grid.AddRow("Description", Markup.Escape(cost.Description));
            grid.AddRow("Category", Markup.Escape($"{cost.Category} / {cost.OutcomeDetail}"));
            grid.AddRow("Unit", Markup.Escape(cost.Unit));
            grid.AddRow("Agency", Markup.Escape(cost.AgencyLabel));
            grid.AddRow("RAG", Markup.Escape(cost.Rag));
            grid.AddRow("Transfer payment", cost.IsTransferPayment ? Markup.Escape("yes: " + cost.TransferReason) : "no");
            grid.AddRow("Edition", Markup.Escape(cost.Edition));
            if (cost.Source.Length > 0)
            {
                grid.AddRow("Source", Markup.Escape($"{cost.Source} ({cost.SourceDate:yyyy-MM-dd})"));
            }

            AnsiConsole.Write(grid);
            var values = new Table().AddColumns("Value", "Amount", "Price year", "Workbook 2015/16", year is null ? "Uprated" : $"At {year}");
            foreach (var kind in new[] { ValueKind.Fiscal, ValueKind.Economic, ValueKind.Social })
            {
                if (cost.Value(kind) is { } v)
                {
                    values.AddRow(kind.ToString(), Markup.Escape(v.Amount.ToString()), v.PriceYear.ToString(),
                        Markup.Escape(v.SourceUprated?.ToString() ?? "—"), year is null ? "—" : FinanceValueText(v, year, deflator));
                }
            }

            AnsiConsole.Write(values);
            var split = db.FiscalSplit(cost);
            if (split.Count > 1)
            {
                var parts = new Table().AddColumns("Fiscal split", "Agency", "Amount", "Transfer");
                foreach (var part in split)
                {
                    parts.AddRow(Markup.Escape(part.Code), Markup.Escape(part.AgencyLabel), Markup.Escape(part.Fiscal!.Amount.ToString()), part.IsTransferPayment ? "yes" : "no");
                }

                AnsiConsole.Write(parts);
            }

            return 0;
        }));

        var to = new Option<string>("--to") { Description = "Target price year, e.g. 2015/16", Required = true };
        var valueKind = new Option<string>("--value") { Description = "fiscal, economic or social", DefaultValueFactory = _ => "fiscal" };
        var uprate = new Command("uprate", "Uprate a cost to another price year by the GDP deflator, showing the arithmetic.");
        uprate.Arguments.Add(code);
        uprate.Options.Add(to);
        uprate.Options.Add(valueKind);
        uprate.Options.Add(FinanceCostsOption);
        uprate.Options.Add(FinanceDeflatorOption);
        uprate.SetAction(parse => FinanceRun(() =>
        {
            var (db, deflator) = FinanceLoad(parse);
            var cost = FinanceFind(db, parse.GetValue(code));
            var target = FinanceYear(parse.GetValue(to))!.Value;
            var kind = parse.GetValue(valueKind) switch
            {
                "fiscal" => ValueKind.Fiscal,
                "economic" => ValueKind.Economic,
                "social" => ValueKind.Social,
                var other => throw new FinanceInputException("--value", 0, "value", $"'{other}' should be fiscal, economic or social"),
            };
            var v = cost.Value(kind) ?? throw new FinanceInputException("--value", 0, "value", $"{cost.Code} has no {kind.ToString().ToLowerInvariant()} value");
            var i0 = deflator.Index.GetValueOrDefault(v.PriceYear);
            var i1 = deflator.Index.GetValueOrDefault(target);
            var result = deflator.Uprate(v.Amount, v.PriceYear, target);
            AnsiConsole.MarkupLine(CultureInfo.InvariantCulture, "{0} {1}: {2} ({3} prices) × I({4}) {5} ÷ I({3}) {6} = [bold]{7}[/] ({4} prices)",
                Markup.Escape(cost.Code), kind.ToString().ToLowerInvariant(), Markup.Escape(v.Amount.ToString()), v.PriceYear, target, i1, i0, Markup.Escape(result.ToString()));
            AnsiConsole.MarkupLine("[grey]Deflator: {0}[/]", Markup.Escape(deflator.Source));
            return 0;
        }));

        command.Subcommands.Add(search);
        command.Subcommands.Add(show);
        command.Subcommands.Add(uprate);
        AddCostsStoreCommands(command);
        return command;
    }

    private static (UnitCostDatabase Costs, GdpDeflator Deflator) FinanceLoad(ParseResult parse)
    {
        var db = UnitCostDatabase.UcdV14();
        if (parse.GetValue(FinanceCostsOption) is { } local)
        {
            db = db.WithLocalCosts(FinanceExisting(local).FullName);
        }

        var deflator = GdpDeflator.UcdV14();
        if (parse.GetValue(FinanceDeflatorOption) is { } file)
        {
            deflator = deflator.WithFile(FinanceExisting(file).FullName);
        }

        return (db, deflator);
    }

    private static FileInfo FinanceExisting(FileInfo file) =>
        file.Exists ? file : throw new FinanceInputException(file.FullName, 0, string.Empty, "file not found");

    private static PriceYear? FinanceYear(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return PriceYear.TryParse(text, out var year, out var reason) ? year : throw new FinanceInputException("--price-year", 0, string.Empty, reason);
    }

    private static UnitCost FinanceFind(UnitCostDatabase db, string? code) =>
        db.Find(code ?? string.Empty) ?? throw new FinanceInputException("code", 0, string.Empty, $"no unit cost '{code}'; try hearth costs search");

    private static string FinanceValueText(UnitCostValue? value, PriceYear? year, GdpDeflator deflator)
    {
        if (value is null)
        {
            return string.Empty;
        }

        var amount = year is { } y ? deflator.Uprate(value.Amount, value.PriceYear, y) : value.Amount;
        return Markup.Escape(year is null ? $"{amount} ({value.PriceYear})" : amount.ToString());
    }

    /// <summary>Runs a money command: input errors print file, line, field and reason to stderr with exit code 1.</summary>
    private static int FinanceRun(Func<int> action)
    {
        if (Console.IsOutputRedirected && AnsiConsole.Profile.Width < 160)
        {
            // Tables of money are wide; when written to a file or pipe, do not wrap them at 80 columns.
            AnsiConsole.Profile.Width = 160;
        }

        try
        {
            return action();
        }
        catch (Exception e) when (e is FinanceInputException or KeyNotFoundException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine("error: " + (e is KeyNotFoundException k ? k.Message.Trim('\'') : e.Message));
            return 1;
        }
    }
}
