using System.CommandLine;
using System.Globalization;
using Hearth.Core;
using Hearth.Core.Finance.Cba;
using Spectre.Console;

namespace Hearth.Cli;

public static partial class Commands
{
    /// <summary><c>hearth cba FILE.yaml [--report OUT.html] [--csv OUT.csv] [--xlsx OUT.xlsx]</c>.</summary>
    internal static Command Cba()
    {
        var command = new Command("cba", "Cost-benefit analysis (New Economy / HM Treasury 2014 method): financial case, public value case and who benefits.");
        var file = new Argument<FileInfo>("file") { Description = "CBA input YAML (see docs/money.md and docs/examples/cba-family-intervention.yaml)" };
        var report = new Option<FileInfo?>("--report") { Description = "Write an HTML report with charts" };
        var csv = new Option<FileInfo?>("--csv") { Description = "Write every intermediate figure as CSV" };
        var xlsx = new Option<FileInfo?>("--xlsx") { Description = "Write every intermediate figure as an Excel workbook" };
        command.Arguments.Add(file);
        command.Options.Add(report);
        command.Options.Add(csv);
        command.Options.Add(xlsx);
        command.Options.Add(FinanceCostsOption);
        command.Options.Add(FinanceDeflatorOption);
        command.SetAction(parse => FinanceRun(() =>
        {
            var (db, deflator) = FinanceLoad(parse);
            var path = FinanceExisting(parse.GetValue(file)!).FullName;
            var input = CbaFile.Load(path, db, deflator);
            var result = CbaEngine.Run(input, db, deflator);

            AnsiConsole.MarkupLine("[bold]{0}[/]: {1} prices, years {2} to {3}", Markup.Escape(input.Name), input.PriceYear, input.FirstYear, input.FirstYear.AddYears(input.HorizonYears - 1));
            var summary = new Table().AddColumns("Measure", "Value");
            summary.AddRow("Costs (PV)", FinanceMoney(result.CostsPv));
            summary.AddRow("Fiscal benefits (PV, gross)", FinanceMoney(result.FiscalPv));
            summary.AddRow("Cashable fiscal benefits (PV)", FinanceMoney(result.CashablePv));
            summary.AddRow("[bold]Net present budget impact[/]", FinanceMoney(result.NetPresentBudgetImpact));
            summary.AddRow("Financial ROI (ratio: cashable PV ÷ costs PV)", FinanceRatio(result.FinancialRoiRatio));
            summary.AddRow("Financial ROI (%: (cashable − costs) ÷ costs)", result.FinancialRoiPercent is { } p ? (p * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%" : "n/a");
            summary.AddRow("Payback", Markup.Escape(result.PaybackNote));
            summary.AddRow("Transfer payments (PV, excluded from public value)", FinanceMoney(result.TransferPv));
            summary.AddRow("Economic benefits (PV)", FinanceMoney(result.EconomicPv));
            summary.AddRow("Social benefits (PV)", FinanceMoney(result.SocialPv));
            summary.AddRow("[bold]Net present public value[/]", FinanceMoney(result.NetPresentPublicValue));
            summary.AddRow("Public value benefit cost ratio", FinanceRatio(result.BenefitCostRatio));
            AnsiConsole.Write(summary);

            var who = new Table().AddColumns("Agency", "Costs (PV)", "Fiscal benefits (PV)", "Cashable (PV)", "Net cashable (PV)");
            foreach (var a in result.WhoBenefits)
            {
                who.AddRow(Markup.Escape(a.Agency), FinanceMoney(a.CostsPv), FinanceMoney(a.FiscalPv), FinanceMoney(a.CashablePv), FinanceMoney(a.NetCashablePv));
            }

            AnsiConsole.Write(who);
            AnsiConsole.MarkupLine("[grey]Optimism bias: {0}[/]", Markup.Escape(input.OptimismBiasSource));

            if (parse.GetValue(report) is { } html)
            {
                File.WriteAllText(html.FullName, CbaReport.Html(result));
                AnsiConsole.MarkupLine("wrote {0}", Markup.Escape(html.FullName));
            }

            if (parse.GetValue(csv) is { } csvFile)
            {
                CbaReport.WriteCsv(result, csvFile.FullName);
                AnsiConsole.MarkupLine("wrote {0}", Markup.Escape(csvFile.FullName));
            }

            if (parse.GetValue(xlsx) is { } xlsxFile)
            {
                CbaReport.WriteXlsx(result, xlsxFile.FullName);
                AnsiConsole.MarkupLine("wrote {0}", Markup.Escape(xlsxFile.FullName));
            }

            return 0;
        }));
        return command;
    }

    private static string FinanceMoney(Money m) => Markup.Escape(m.ToString());

    private static string FinanceRatio(decimal? r) => r is { } v ? v.ToString("0.00", CultureInfo.InvariantCulture) : "n/a (no costs)";
}
