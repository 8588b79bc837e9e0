using System.CommandLine;
using System.Globalization;
using Hearth.Core;
using Hearth.Core.Access;
using Hearth.Core.Finance;
using Hearth.Core.Finance.Ledger;
using Hearth.Core.Finance.Store;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Hearth.Cli;

public static partial class Commands
{
    /// <summary><c>hearth ledger open|post|reverse|balances|journal</c>: the pooled budget ledger in the store.</summary>
    internal static Command Ledger()
    {
        var (database, postgres) = DatabaseOptions();
        var command = new Command("ledger", "Pooled (community) budget ledger kept in the store: pots, contributions, allocations, spend, invest-to-save, balances.");

        var potName = new Argument<string>("pot") { Description = "Pot name (no ':'), e.g. families-2026" };
        var description = new Option<string?>("--description") { Description = "What the pot is for" };
        var date = new Option<string?>("--date") { Description = "Posting date (yyyy-mm-dd); default today" };
        var open = new Command("open", "Open a pot.");
        open.Arguments.Add(potName);
        open.Options.Add(description);
        open.Options.Add(date);
        open.Options.Add(database);
        open.Options.Add(postgres);
        open.SetAction((parse, ct) => MoneyStoreRun(parse, database, postgres, async (services, today) =>
        {
            await using var scope = services.CreateAsyncScope();
            var pot = await scope.ServiceProvider.GetRequiredService<LedgerStore>().OpenPotAsync(CliActor(HearthRole.DataLead), parse.GetValue(potName)!,
                parse.GetValue(description), LedgerDate(parse.GetValue(date), today), ct);
            AnsiConsole.MarkupLine("Opened pot [bold]{0}[/].", Markup.Escape(pot.Name));
            return 0;
        }));

        var operation = new Argument<string>("operation") { Description = "contribute, allocate, spend, invest or return" };
        var pot = new Option<string>("--pot") { Description = "Pot name", Required = true };
        var amount = new Option<string>("--amount") { Description = "Amount in pounds, e.g. 250000 or 1200.50", Required = true };
        var agency = new Option<string?>("--agency") { Description = "Contributing or repaying agency (contribute, return)" };
        var year = new Option<string?>("--year") { Description = "Financial year of a contribution or return, e.g. 2026/27" };
        var service = new Option<string?>("--service") { Description = "Service (allocate, spend) or invest-to-save line (invest, return)" };
        var family = new Option<string?>("--family") { Description = "Family reference the spend is for (spend)" };
        var post = new Command("post", "Post one operation; refused (exit 1, with the reason) when the pot or allocation is short or an input is missing.");
        post.Arguments.Add(operation);
        foreach (var o in new Option[] { pot, amount, agency, year, service, family, description, date, database, postgres })
        {
            post.Options.Add(o);
        }

        post.SetAction((parse, ct) => MoneyStoreRun(parse, database, postgres, async (services, today) =>
        {
            var text = parse.GetValue(amount)!;
            if (!decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var pounds) || decimal.Round(pounds, 2) != pounds)
            {
                throw new FinanceInputException("--amount", 0, string.Empty, $"'{text}' is not an amount in pounds with at most 2 decimals");
            }

            var op = new LedgerOperation(parse.GetValue(operation)!, parse.GetValue(pot)!, LedgerDate(parse.GetValue(date), today), Money.FromPounds(pounds),
                parse.GetValue(agency), FinanceYear(parse.GetValue(year)), parse.GetValue(service), parse.GetValue(family), parse.GetValue(description));
            await using var scope = services.CreateAsyncScope();
            var posting = await scope.ServiceProvider.GetRequiredService<LedgerStore>().PostAsync(CliActor(HearthRole.DataLead), op, ct);
            PrintPosting(posting);
            return 0;
        }));

        var number = new Argument<long>("number") { Description = "Number of the posting to reverse" };
        var reason = new Option<string>("--reason") { Description = "Why it is reversed", Required = true };
        var reverse = new Command("reverse", "Reverse a posting (post its mirror image); a posting is never changed or deleted.");
        reverse.Arguments.Add(number);
        reverse.Options.Add(reason);
        reverse.Options.Add(date);
        reverse.Options.Add(database);
        reverse.Options.Add(postgres);
        reverse.SetAction((parse, ct) => MoneyStoreRun(parse, database, postgres, async (services, today) =>
        {
            await using var scope = services.CreateAsyncScope();
            var posting = await scope.ServiceProvider.GetRequiredService<LedgerStore>().ReverseAsync(CliActor(HearthRole.DataLead), parse.GetValue(number),
                LedgerDate(parse.GetValue(date), today), parse.GetValue(reason)!, ct);
            PrintPosting(posting);
            return 0;
        }));

        var balances = new Command("balances", "Each pot's balance, contributions by agency and year, spend by service and by family, and the trial balance.");
        balances.Options.Add(database);
        balances.Options.Add(postgres);
        balances.SetAction((parse, ct) => MoneyStoreRun(parse, database, postgres, async (services, today) =>
        {
            await using var scope = services.CreateAsyncScope();
            var budget = await scope.ServiceProvider.GetRequiredService<LedgerStore>().LoadAsync(ct);
            var report = LedgerReport.Of(budget);
            var table = new Table().AddColumns("Pot", "Contributed", "Savings returned", "Unallocated", "Allocated unspent", "Spent", "Invest-to-save outstanding");
            foreach (var b in report.Pots)
            {
                table.AddRow(Markup.Escape(b.Pot), Markup.Escape(b.Contributed.ToString()), Markup.Escape(b.SavingsReturned.ToString()), Markup.Escape(b.Unallocated.ToString()),
                    Markup.Escape(b.AllocatedUnspent.ToString()), Markup.Escape(b.Spent.ToString()), Markup.Escape(b.InvestToSaveOutstanding.ToString()));
            }

            AnsiConsole.Write(table);
            var contributions = new Table().AddColumns("Pot", "Agency", "Year", "Contributed");
            foreach (var c in report.Contributions)
            {
                contributions.AddRow(Markup.Escape(c.Pot), Markup.Escape(c.Agency), c.Year.ToString(), Markup.Escape(c.Amount.ToString()));
            }

            AnsiConsole.Write(contributions);
            var spend = new Table().AddColumns("Pot", "Service", "Spent");
            foreach (var s in report.SpendByService)
            {
                spend.AddRow(Markup.Escape(s.Pot), Markup.Escape(s.Service), Markup.Escape(s.Amount.ToString()));
            }

            AnsiConsole.Write(spend);
            var trial = budget.Journal.TrialBalance().Values.Aggregate(Money.Zero, Money.Add);
            AnsiConsole.MarkupLine(CultureInfo.InvariantCulture, "{0} postings; trial balance sums to {1}.", report.Postings.Length, Markup.Escape(trial.ToString()));
            return 0;
        }));

        var journal = new Command("journal", "Every posting with its lines.");
        journal.Options.Add(database);
        journal.Options.Add(postgres);
        journal.SetAction((parse, ct) => MoneyStoreRun(parse, database, postgres, async (services, today) =>
        {
            await using var scope = services.CreateAsyncScope();
            var budget = await scope.ServiceProvider.GetRequiredService<LedgerStore>().LoadAsync(ct);
            foreach (var p in budget.Journal.Postings)
            {
                PrintPosting(p);
            }

            return 0;
        }));

        foreach (var c in new[] { open, post, reverse, balances, journal })
        {
            command.Subcommands.Add(c);
        }

        return command;
    }

    private static DateOnly LedgerDate(string? text, DateOnly today)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return today;
        }

        return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d
            : throw new FinanceInputException("--date", 0, string.Empty, $"'{text}' is not a date like 2026-03-31");
    }

    private static void PrintPosting(Posting p)
    {
        AnsiConsole.MarkupLine(CultureInfo.InvariantCulture, "[bold]Posting {0}[/] {1:yyyy-MM-dd}: {2}", p.Id, p.Date, Markup.Escape(p.Description));
        var table = new Table().AddColumns("Account", "Debit", "Credit", "Agency", "Year", "Service", "Family");
        foreach (var l in p.Lines)
        {
            table.AddRow(Markup.Escape(l.Account.ToString()), l.Debit.Pence == 0 ? string.Empty : Markup.Escape(l.Debit.ToString()),
                l.Credit.Pence == 0 ? string.Empty : Markup.Escape(l.Credit.ToString()), Markup.Escape(l.Dimensions.Agency ?? string.Empty),
                l.Dimensions.Year?.ToString() ?? string.Empty, Markup.Escape(l.Dimensions.Service ?? string.Empty), Markup.Escape(l.Dimensions.FamilyRef ?? string.Empty));
        }

        AnsiConsole.Write(table);
    }
}
