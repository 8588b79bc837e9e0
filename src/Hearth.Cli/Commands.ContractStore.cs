using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using Hearth.Core.Access;
using Hearth.Core.Finance.Contracts;
using Hearth.Core.Finance.Store;
using Hearth.Core.Finance.UnitCosts;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Hearth.Cli;

public static partial class Commands
{
    /// <summary><c>hearth contract import|outcomes|list|show</c>: outcome contracts kept in the store.</summary>
    private static void AddContractStoreCommands(Command command, Argument<FileInfo> file, Option<DirectoryInfo?> output)
    {
        var (database, postgres) = DatabaseOptions();
        var id = new Argument<long>("id") { Description = "The stored contract's number (see hearth contract list)" };

        var import = new Command("import", "Store a contract from its YAML file (rate card, drawdowns, outcomes and rule-generated outcomes); prints its number.");
        import.Arguments.Add(file);
        foreach (var o in new Option[] { FinanceDeflatorOption, database, postgres })
        {
            import.Options.Add(o);
        }

        import.SetAction((parse, ct) => MoneyStoreRun(parse, database, postgres, async (services, today) =>
        {
            var path = FinanceExisting(parse.GetValue(file)!).FullName;
            var deflator = GdpDeflator.UcdV14();
            if (parse.GetValue(FinanceDeflatorOption) is { } d)
            {
                deflator = deflator.WithFile(FinanceExisting(d).FullName);
            }

            await using var scope = services.CreateAsyncScope();
            var catalogue = await scope.ServiceProvider.GetRequiredService<LocalCostStore>().CatalogueAsync(ct);
            var (contract, _) = ContractFile.Load(path, catalogue, deflator);
            var sha = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(path, ct)));
            var row = await scope.ServiceProvider.GetRequiredService<ContractStore>().CreateAsync(CliActor(HearthRole.DataLead), contract, path, sha, ct);
            AnsiConsole.MarkupLine(CultureInfo.InvariantCulture, "Stored contract {0}: {1} ({2} rate-card lines, {3} drawdowns, {4} outcome lines).",
                row.Id, Markup.Escape(row.Name), contract.RateCard.Count, contract.Drawdowns.Count, contract.Outcomes.Count);
            return 0;
        }));

        var csv = new Argument<FileInfo>("csv") { Description = "CSV of validated outcomes: date,metric,count,period,evidence" };
        var outcomes = new Command("outcomes", "Record validated outcomes for a stored contract from CSV; payments follow from the rate card and caps.");
        outcomes.Arguments.Add(id);
        outcomes.Arguments.Add(csv);
        outcomes.Options.Add(database);
        outcomes.Options.Add(postgres);
        outcomes.SetAction((parse, ct) => MoneyStoreRun(parse, database, postgres, async (services, today) =>
        {
            var path = FinanceExisting(parse.GetValue(csv)!).FullName;
            var lines = ContractOutcomesFile.Load(path);
            await using var scope = services.CreateAsyncScope();
            var count = await scope.ServiceProvider.GetRequiredService<ContractStore>().AddOutcomesAsync(CliActor(HearthRole.DataLead), parse.GetValue(id), lines, Path.GetFileName(path), ct);
            AnsiConsole.MarkupLine(CultureInfo.InvariantCulture, "Recorded {0} outcome lines for contract {1}.", count, parse.GetValue(id));
            return 0;
        }));

        var list = new Command("list", "List the stored contracts with their payments to date.");
        list.Options.Add(database);
        list.Options.Add(postgres);
        list.SetAction((parse, ct) => MoneyStoreRun(parse, database, postgres, async (services, today) =>
        {
            await using var scope = services.CreateAsyncScope();
            var store = scope.ServiceProvider.GetRequiredService<ContractStore>();
            var table = new Table().AddColumns("Id", "Name", "Kind", "Start", "Paid", "Caps hit", "Source");
            foreach (var row in await store.ListAsync(ct))
            {
                var stored = (await store.RunAsync(row.Id, ct))!;
                table.AddRow(row.Id.ToString(CultureInfo.InvariantCulture), Markup.Escape(row.Name), row.Kind, row.Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    Markup.Escape(stored.Result.TotalPaid.ToString()), stored.Result.CapsHit.Count.ToString(CultureInfo.InvariantCulture), Markup.Escape(row.SourceFile));
            }

            AnsiConsole.Write(table);
            return 0;
        }));

        var show = new Command("show", "A stored contract's cash flows, payments, caps, pass-through and investor returns; --out writes the INDIGO files.");
        show.Arguments.Add(id);
        show.Options.Add(output);
        show.Options.Add(database);
        show.Options.Add(postgres);
        show.SetAction((parse, ct) => MoneyStoreRun(parse, database, postgres, async (services, today) =>
        {
            await using var scope = services.CreateAsyncScope();
            var stored = await scope.ServiceProvider.GetRequiredService<ContractStore>().RunAsync(parse.GetValue(id), ct);
            if (stored is null)
            {
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"error: there is no contract {parse.GetValue(id)}; see hearth contract list"));
                return 1;
            }

            PrintContract(stored.Contract, stored.Result);
            if (parse.GetValue(output) is { } dir)
            {
                foreach (var written in IndigoExport.Write(stored.Result, dir.FullName))
                {
                    AnsiConsole.MarkupLine("wrote {0}", Markup.Escape(written));
                }
            }

            return 0;
        }));

        command.Subcommands.Add(import);
        command.Subcommands.Add(outcomes);
        command.Subcommands.Add(list);
        command.Subcommands.Add(show);
    }
}
