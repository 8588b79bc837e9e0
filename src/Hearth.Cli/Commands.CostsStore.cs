using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Hearth.Core.Access;
using Hearth.Core.Data;
using Hearth.Core.Finance;
using Hearth.Core.Finance.Profiles;
using Hearth.Core.Finance.Store;
using Hearth.Core.Finance.UnitCosts;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Hearth.Cli;

public static partial class Commands
{
    private static readonly JsonSerializerOptions MoneyJson = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    /// <summary>The actor the command line acts as: the operating-system user, with the analyst role.</summary>
    private static Actor CliActor(HearthRole role) =>
        new("cli:" + Environment.UserName, Environment.UserName, new HashSet<HearthRole> { role });

    /// <summary><c>hearth costs profile|cohort|local</c>: costs of the families in the store and local unit costs.</summary>
    private static void AddCostsStoreCommands(Command costs)
    {
        var (database, postgres) = DatabaseOptions();
        var config = new Option<FileInfo?>("--config") { Description = "Cost profile configuration (YAML); default: the shipped event-to-UCD mapping" };
        var year = new Option<string?>("--year") { Description = "Only this financial year, e.g. 2024/25" };
        var top = new Option<int>("--top") { Description = "How many of the costliest families to list", DefaultValueFactory = _ => 10 };
        var attachments = new Option<FileInfo?>("--attachments") { Description = "CSV family,attach_date: split each family's costs at these dates instead of the stored programme attachment (or case allocation) dates" };
        var family = new Option<string?>("--family") { Description = "One family's profile, line by line (its reference, e.g. F0000012)" };
        var attachedOn = new Option<string?>("--attached-on") { Description = "With --family: split at this date (yyyy-mm-dd) instead of the stored attachment or case allocation date" };
        var json = new Option<bool>("--json") { Description = "Print JSON" };

        var profile = new Command("profile", "Family cost profiles from the store: each line a rule, agency, financial year and phase with its events and unit cost; or the top-cost families.");
        foreach (var o in new Option[] { family, top, year, attachments, attachedOn, config, json, FinanceCostsOption, database, postgres })
        {
            profile.Options.Add(o);
        }

        profile.SetAction((parse, ct) => MoneyStoreRun(parse, database, postgres, async (services, today) =>
        {
            var (engine, attach) = ProfileInputs(parse, config, attachments);
            var fy = FinanceYear(parse.GetValue(year));
            await using var scope = services.CreateAsyncScope();
            var service = scope.ServiceProvider.GetRequiredService<FamilyCostService>();
            engine ??= await service.EngineAsync(ct);
            if (parse.GetValue(family) is { } reference)
            {
                DateOnly? on = null;
                if (parse.GetValue(attachedOn) is { } text)
                {
                    on = DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
                        ? d : throw new FinanceInputException("--attached-on", 0, string.Empty, $"'{text}' is not a date like 2026-03-31");
                }

                on ??= attach is not null && attach.TryGetValue(reference, out var a) ? a : null;
                var p = await service.ProfileAsync(CliActor(HearthRole.Analyst), reference, "cost-analysis", fy, on, engine, ct)
                    ?? throw new FinanceInputException("--family", 0, string.Empty, $"there is no family {reference} in the store");
                if (parse.GetValue(json))
                {
                    Console.WriteLine(JsonSerializer.Serialize(ProfileJson(p, engine), MoneyJson));
                    return 0;
                }

                PrintProfile(p, engine);
                return 0;
            }

            var report = await service.CohortAsync(CliActor(HearthRole.Analyst), "cost-analysis", fy, parse.GetValue(top), attach, attachedOnly: false, engine, ct);
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(report.Top.Select(t => new { family = t.FamilyReference, total = t.Total.Pounds, reactive = t.Reactive.Pounds, preventative = t.Preventative.Pounds, agencies = t.Agencies, duplications = t.Duplications }), MoneyJson));
                return 0;
            }

            PrintTop(report);
            return 0;
        }));

        var attachedOnly = new Option<bool>("--attached-only") { Description = "Only families with an attachment date (from --attachments, or stored)" };
        var cohort = new Command("cohort", "Cohort report: what the families cost, by agency, year and need, reactive vs preventative, duplication, before/after attachment.");
        foreach (var o in new Option[] { year, top, attachments, attachedOnly, config, json, FinanceCostsOption, database, postgres })
        {
            cohort.Options.Add(o);
        }

        cohort.SetAction((parse, ct) => MoneyStoreRun(parse, database, postgres, async (services, today) =>
        {
            var (engine, attach) = ProfileInputs(parse, config, attachments);
            await using var scope = services.CreateAsyncScope();
            var service = scope.ServiceProvider.GetRequiredService<FamilyCostService>();
            var report = await service.CohortAsync(CliActor(HearthRole.Analyst), "cost-analysis", FinanceYear(parse.GetValue(year)), parse.GetValue(top), attach, parse.GetValue(attachedOnly), engine, ct);
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(report, MoneyJson));
                return 0;
            }

            PrintCohort(report);
            return 0;
        }));

        costs.Subcommands.Add(profile);
        costs.Subcommands.Add(cohort);
        costs.Subcommands.Add(LocalCostsCommand(database, postgres));
    }

    private static Command LocalCostsCommand(Option<FileInfo?> database, Option<string?> postgres)
    {
        var local = new Command("local", "Local unit costs kept in the store (each with its source and date).");
        var list = new Command("list", "List the local unit costs in the store.");
        list.Options.Add(database);
        list.Options.Add(postgres);
        list.SetAction((parse, ct) => MoneyStoreRun(parse, database, postgres, async (services, today) =>
        {
            await using var scope = services.CreateAsyncScope();
            var rows = await scope.ServiceProvider.GetRequiredService<LocalCostStore>().ListAsync(ct);
            var table = new Table().AddColumns("Code", "Description", "Unit", "Agency", "Fiscal", "Price year", "Source", "Source date", "Changed");
            foreach (var r in rows)
            {
                var c = LocalCostStore.ToUnitCost(r);
                table.AddRow(Markup.Escape(r.Code), Markup.Escape(r.Description), Markup.Escape(r.Unit), Markup.Escape(c.AgencyLabel),
                    Markup.Escape(c.Fiscal?.Amount.ToString() ?? "—"), c.Fiscal?.PriceYear.ToString() ?? "—", Markup.Escape(r.Source),
                    r.SourceDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    Markup.Escape($"{(r.UpdatedUtc ?? r.CreatedUtc):yyyy-MM-dd} by {r.UpdatedBy ?? r.CreatedBy}"));
            }

            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine(CultureInfo.InvariantCulture, "{0} local costs.", rows.Count);
            return 0;
        }));

        var file = new Argument<FileInfo>("file") { Description = "CSV of local costs (code, description, unit, agency_l1, fiscal_value, fiscal_year, source, source_date, …)" };
        var import = new Command("import", "Add or update local unit costs in the store from a CSV file (the --costs format); a code already stored is updated.");
        import.Arguments.Add(file);
        import.Options.Add(database);
        import.Options.Add(postgres);
        import.SetAction((parse, ct) => MoneyStoreRun(parse, database, postgres, async (services, today) =>
        {
            var path = FinanceExisting(parse.GetValue(file)!).FullName;
            var ucd = UnitCostDatabase.UcdV14();
            var costs = ucd.WithLocalCosts(path).Costs.Skip(ucd.Costs.Count).ToList();
            await using var scope = services.CreateAsyncScope();
            var store = scope.ServiceProvider.GetRequiredService<LocalCostStore>();
            foreach (var c in costs)
            {
                await store.SaveAsync(CliActor(HearthRole.DataLead), new LocalCostInput(
                    c.Code, c.Description, c.Unit, c.AgencyL1, c.Fiscal?.Amount, c.Fiscal?.PriceYear, c.Source, c.SourceDate!.Value,
                    c.AgencyL2.Length == 0 ? null : c.AgencyL2, c.Category, c.Economic?.Amount, c.Economic?.PriceYear,
                    c.Social?.Amount, c.Social?.PriceYear, c.IsTransferPayment, c.Rag.Length == 0 ? null : c.Rag), ct);
            }

            AnsiConsole.MarkupLine(CultureInfo.InvariantCulture, "Saved {0} local costs from {1}.", costs.Count, Markup.Escape(Path.GetFileName(path)));
            return 0;
        }));

        local.Subcommands.Add(list);
        local.Subcommands.Add(import);
        return local;
    }

    /// <summary>The engine (from --config) and the attachment dates from --attachments; null dates mean "the store's own" (programme attachment, else case allocation).</summary>
    private static (CostProfileEngine? Engine, IReadOnlyDictionary<string, DateOnly>? Attachments) ProfileInputs(ParseResult parse, Option<FileInfo?> config, Option<FileInfo?> attachments)
    {
        CostProfileEngine? engine = null;
        if (parse.GetValue(config) is { } file)
        {
            var (costs, deflator) = FinanceLoad(parse);
            engine = new CostProfileEngine(CostProfileConfig.Load(FinanceExisting(file).FullName, costs, deflator));
        }

        var attach = parse.GetValue(attachments) is { } a
            ? AttachmentFile.Load(FinanceExisting(a).FullName)
            : null;
        return (engine, attach);
    }

    /// <summary>Runs a money command against the store: bad input prints file, line, field and reason with exit code 1.</summary>
    private static async Task<int> MoneyStoreRun(ParseResult parse, Option<FileInfo?> database, Option<string?> postgres, Func<ServiceProvider, DateOnly, Task<int>> action)
    {
        if (!TryDatabase(parse, database, postgres, out var options, out var problem))
        {
            return FailIntake(problem);
        }

        if (Console.IsOutputRedirected && AnsiConsole.Profile.Width < 160)
        {
            AnsiConsole.Profile.Width = 160;
        }

        try
        {
            await using var services = new ServiceCollection().AddHearthCore(options).AddHearthMoney().BuildServiceProvider();
            await services.MigrateHearthDatabaseAsync();
            return await action(services, DateOnly.FromDateTime(DateTime.UtcNow));
        }
        catch (Exception e) when (e is FinanceInputException or Hearth.Core.Finance.Ledger.LedgerException or KeyNotFoundException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine("error: " + (e is KeyNotFoundException k ? k.Message.Trim('\'') : e.Message));
            return 1;
        }
    }

    private static object ProfileJson(FamilyCostProfile p, CostProfileEngine engine) => new
    {
        family = p.FamilyReference,
        price_year = engine.Config.PriceYear.ToString(),
        attach_date = p.AttachDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        total = p.Total.Pounds,
        reactive = p.Reactive.Pounds,
        preventative = p.Preventative.Pounds,
        before = p.Before.Pounds,
        after = p.After.Pounds,
        lines = p.Lines.Select(l => new
        {
            year = l.Year.ToString(),
            agency = l.AgencyId,
            phase = l.Phase.ToString().ToLowerInvariant(),
            rule = l.RuleId,
            event_type = l.EventType,
            code = l.Code,
            basis = l.Basis.ToString(),
            divide_by = l.DivideBy,
            kind = l.Kind.ToString().ToLowerInvariant(),
            need = l.Need,
            unit_value = l.UnitValue.Pounds,
            units = l.Units,
            days = l.Days,
            events = l.Events,
            amount = l.Amount.Pounds,
            event_ids = l.EventIds,
        }),
        duplications = p.Duplications.Select(d => new { year = d.Year.ToString(), need = d.Need, agencies = d.Agencies, events = d.Events, amount = d.Amount.Pounds }),
    };

    private static void PrintProfile(FamilyCostProfile p, CostProfileEngine engine)
    {
        AnsiConsole.MarkupLine(CultureInfo.InvariantCulture, "[bold]Family {0}[/]: {1} in {2} prices ({3} reactive, {4} preventative){5}",
            Markup.Escape(p.FamilyReference), Markup.Escape(p.Total.ToString()), engine.Config.PriceYear, Markup.Escape(p.Reactive.ToString()), Markup.Escape(p.Preventative.ToString()),
            p.AttachDate is { } a ? Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"; attached {a:yyyy-MM-dd}: {p.Before} before, {p.After} after")) : string.Empty);
        var table = new Table().AddColumns("Year", "Agency", "Phase", "Rule", "Code", "Basis", "Kind", "Need", "Unit value", "Units", "Days", "Events", "Amount", "Event ids");
        foreach (var l in p.Lines)
        {
            var ids = l.EventIds.Count <= 8 ? string.Join(' ', l.EventIds) : string.Join(' ', l.EventIds.Take(8)) + " …";
            table.AddRow(l.Year.ToString(), Markup.Escape(l.AgencyId), l.Phase.ToString(), Markup.Escape(l.RuleId), Markup.Escape(l.Code),
                l.DivideBy == 1 ? l.Basis.ToString() : string.Create(CultureInfo.InvariantCulture, $"{l.Basis} ÷ {l.DivideBy}"),
                l.Kind.ToString(), Markup.Escape(l.Need), Markup.Escape(l.UnitValue.ToString()),
                l.Units.ToString("0.####", CultureInfo.InvariantCulture), l.Days.ToString(CultureInfo.InvariantCulture), l.Events.ToString(CultureInfo.InvariantCulture), Markup.Escape(l.Amount.ToString()), ids);
        }

        AnsiConsole.Write(table);
        foreach (var d in p.Duplications)
        {
            AnsiConsole.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                $"Duplication {d.Year}: {d.Agencies.Count} agencies ({string.Join(", ", d.Agencies)}) active for {d.Need}, {d.Events} events, {d.Amount}")));
        }
    }

    private static void PrintTop(CohortReport report)
    {
        var table = new Table().AddColumns("Family", "Total", "Reactive", "Preventative", "Agencies", "Duplications", "Before", "After");
        foreach (var t in report.Top)
        {
            table.AddRow(Markup.Escape(t.FamilyReference), Markup.Escape(t.Total.ToString()), Markup.Escape(t.Reactive.ToString()), Markup.Escape(t.Preventative.ToString()),
                t.Agencies.ToString(CultureInfo.InvariantCulture), t.Duplications.ToString(CultureInfo.InvariantCulture),
                t.AttachDate is null ? "—" : Markup.Escape(t.Before.ToString()), t.AttachDate is null ? "—" : Markup.Escape(t.After.ToString()));
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine(CultureInfo.InvariantCulture, "Top {0} of {1:N0} families ({2:N0} with recorded costs); all families {3} in {4} prices.",
            report.Top.Count, report.Families, report.FamiliesWithCost, Markup.Escape(report.Total.ToString()), report.PriceYear);
    }

    private static void PrintCohort(CohortReport r)
    {
        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("Families", r.Families.ToString("N0", CultureInfo.InvariantCulture));
        grid.AddRow("With recorded costs", r.FamiliesWithCost.ToString("N0", CultureInfo.InvariantCulture));
        grid.AddRow("Total", Markup.Escape($"{r.Total} ({r.PriceYear} prices)"));
        grid.AddRow("Reactive / preventative", Markup.Escape($"{r.Reactive} / {r.Preventative}"));
        grid.AddRow("Mean / median / 90th percentile per family", Markup.Escape($"{r.Mean} / {r.Median} / {r.Percentile90}"));
        grid.AddRow("Families with duplication", Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{r.FamiliesWithDuplication:N0} ({r.DuplicatedAmount} in duplicated needs)")));
        if (r.FamiliesAttached > 0)
        {
            grid.AddRow("Attached families", Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{r.FamiliesAttached:N0}: {r.AttachedBefore} before, {r.AttachedAfter} after attachment")));
        }

        AnsiConsole.Write(grid);
        foreach (var (title, rows) in new[] { ("Agency", r.ByAgency), ("Financial year", r.ByYear), ("Need", r.ByNeed) })
        {
            var table = new Table().AddColumns(title, "Amount", "Families");
            foreach (var b in rows)
            {
                table.AddRow(Markup.Escape(b.Key), Markup.Escape(b.Amount.ToString()), b.Families.ToString("N0", CultureInfo.InvariantCulture));
            }

            AnsiConsole.Write(table);
        }

        PrintTop(r);
    }
}
