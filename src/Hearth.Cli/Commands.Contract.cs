using System.CommandLine;
using System.Globalization;
using Hearth.Core.Finance.Contracts;
using Spectre.Console;

namespace Hearth.Cli;

public static partial class Commands
{
    /// <summary><c>hearth contract run FILE.yaml [--out DIR]</c> and the stored contracts (<c>import</c>, <c>outcomes</c>, <c>list</c>, <c>show</c>): cash flows, caps, IRR and money multiple of an outcomes contract.</summary>
    internal static Command Contract()
    {
        var command = new Command("contract", "Outcome contracts: payment by results with pass-through, and social impact bonds.");
        var file = new Argument<FileInfo>("file") { Description = "Contract YAML (see docs/money.md and docs/examples/)" };
        var output = new Option<DirectoryInfo?>("--out") { Description = "Write the cash-flow table and INDIGO-named CSV files here" };
        var run = new Command("run", "Run a contract: cash-flow table, payments, caps hit, investor IRR and money multiple.");
        run.Arguments.Add(file);
        run.Options.Add(output);
        run.Options.Add(FinanceCostsOption);
        run.Options.Add(FinanceDeflatorOption);
        run.SetAction(parse => FinanceRun(() =>
        {
            var (db, deflator) = FinanceLoad(parse);
            var path = FinanceExisting(parse.GetValue(file)!).FullName;
            var (contract, _) = ContractFile.Load(path, db, deflator);
            var result = ContractEngine.Run(contract);

            PrintContract(contract, result);

            if (parse.GetValue(output) is { } dir)
            {
                foreach (var written in IndigoExport.Write(result, dir.FullName))
                {
                    AnsiConsole.MarkupLine("wrote {0}", Markup.Escape(written));
                }
            }

            return 0;
        }));
        command.Subcommands.Add(run);
        AddContractStoreCommands(command, file, output);
        return command;
    }

    private static void PrintContract(OutcomeContract contract, ContractResult result)
    {
        AnsiConsole.MarkupLine("[bold]{0}[/] ({1})", Markup.Escape(contract.Name), contract.Kind == ContractKind.SocialImpactBond ? "social impact bond" : "payment by results");
        foreach (var card in contract.RateCard)
        {
            AnsiConsole.MarkupLine("Rate card: {0} at {1} per unit{2} [grey]({3})[/]", Markup.Escape(card.MetricId), Markup.Escape(card.PricePerUnit.ToString()),
                card.Cap is { } cap ? Markup.Escape($", cap {cap}") : string.Empty, Markup.Escape(card.PriceDescription));
        }

        foreach (var note in contract.RuleNotes)
        {
            AnsiConsole.MarkupLine("[grey]{0}[/]", Markup.Escape(note));
        }

        var table = new Table().AddColumns("Date", "Kind", "Detail", "Due", "Paid", "Paid to date", "To provider", "Investor flow", "Note");
        foreach (var r in result.Rows)
        {
            table.AddRow(r.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), r.Kind, Markup.Escape(r.Detail), Markup.Escape(r.Due.ToString()), Markup.Escape(r.Paid.ToString()),
                Markup.Escape(r.CumulativePaid.ToString()), Markup.Escape(r.ToProvider.ToString()), Markup.Escape(r.InvestorFlow.ToString()), Markup.Escape(r.Note));
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine("Outcome payments: due {0}, paid {1}{2}", Markup.Escape(result.TotalDue.ToString()), Markup.Escape(result.TotalPaid.ToString()),
            contract.OutcomeCap is { } oc ? Markup.Escape($" (cap {oc})") : string.Empty);
        if (contract.PassThrough is { } pass)
        {
            AnsiConsole.MarkupLine("Passed through to {0}: {1} ({2} of each payment, rounded {3} to the penny)", Markup.Escape(pass.Provider), Markup.Escape(result.TotalToProvider.ToString()),
                pass.Share.ToString("0.####", CultureInfo.InvariantCulture), pass.Rounding == ShareRounding.Down ? "down" : "to the nearest");
        }

        AnsiConsole.MarkupLine(result.CapsHit.Count == 0 ? "Caps hit: none" : "Caps hit:");
        foreach (var cap in result.CapsHit)
        {
            AnsiConsole.MarkupLine("  {0}", Markup.Escape(cap));
        }

        if (contract.Kind == ContractKind.SocialImpactBond)
        {
            AnsiConsole.MarkupLine("Capital: committed {0}, drawn {1}; distributed to investors {2}{3}", Markup.Escape(contract.CommittedCapital.ToString()), Markup.Escape(result.TotalDrawn.ToString()),
                Markup.Escape(result.TotalDistributed.ToString()), result.AboveReturnCap.Pence > 0 ? Markup.Escape($"; {result.AboveReturnCap} above the return cap not distributed") : string.Empty);
            AnsiConsole.MarkupLine("Investor IRR (dated, actual/365): {0}", Markup.Escape(result.DatedIrr?.Explain() ?? "n/a"));
            AnsiConsole.MarkupLine("Investor IRR (annual periods from {0:yyyy-MM-dd}): {1}", contract.Start, Markup.Escape(result.PeriodicIrr?.Explain() ?? "n/a"));
            AnsiConsole.MarkupLine("Money multiple: {0} of committed capital, {1} of capital drawn",
                result.MultipleOfCommitted is { } mc ? mc.ToString("0.000", CultureInfo.InvariantCulture) + "×" : "n/a",
                result.MultipleOfDrawn is { } md ? md.ToString("0.000", CultureInfo.InvariantCulture) + "×" : "n/a");
        }
    }
}

