using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Hearth.Core.Data;
using Hearth.Core.Evaluation;
using Hearth.Core.Intake;
using Hearth.Core.Linkage;
using Hearth.Core.Synthetic;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Hearth.Cli;

public static partial class Commands
{
    /// <summary>
    /// <c>hearth demo</c>: Hearth's main job end to end on the embedded store. Generates the synthetic borough,
    /// imports every agency's extract into a SQLite file, reports data quality, links the people behind the
    /// records across agencies and measures that against the truth, and puts the naive "turned around" figure
    /// beside a matched estimate and the true effect of the programme.
    /// </summary>
    internal static Command Demo()
    {
        var households = new Option<int>("--households") { Description = "Households in the demo borough", DefaultValueFactory = _ => 10_000 };
        var seed = new Option<long>("--seed") { Description = "Random seed for the borough", DefaultValueFactory = _ => 1 };
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder for the borough and the SQLite store", DefaultValueFactory = _ => new DirectoryInfo("demo") };
        var serve = new Option<bool>("--serve") { Description = "Then serve the web app on the demo store, with one demo account per role" };
        var urls = new Option<string>("--urls") { Description = "Where to listen with --serve", DefaultValueFactory = _ => "http://127.0.0.1:5080" };
        var command = new Command("demo", "Run Hearth end to end on the synthetic borough of Northbridge, in a SQLite file.");
        command.Options.Add(households);
        command.Options.Add(serve);
        command.Options.Add(urls);
        command.Options.Add(seed);
        command.Options.Add(output);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var result = await RunDemoAsync(parse.GetValue(households), parse.GetValue(seed), parse.GetValue(output)!, cancellationToken);
            return result != 0 || !parse.GetValue(serve)
                ? result
                : await ServeDemoAsync(Path.Combine(parse.GetValue(output)!.FullName, "hearth.db"), parse.GetValue(urls)!, cancellationToken);
        });
        return command;
    }

    /// <summary>The date the demo's stored identification run judges as of: inside the synthetic borough's data and the Supporting Families framework.</summary>
    internal static readonly DateOnly DemoIdentificationAsOf = new(2024, 5, 1);

    internal static async Task<int> RunDemoAsync(int households, long seed, DirectoryInfo output, CancellationToken cancellationToken)
    {
        if (households is < 100 or > 200_000)
        {
            await Console.Error.WriteLineAsync("hearth demo: --households must be between 100 and 200,000");
            return 2;
        }

        var clock = Stopwatch.StartNew();
        var boroughDir = Path.Combine(output.FullName, "northbridge");
        var databasePath = Path.Combine(output.FullName, "hearth.db");
        Directory.CreateDirectory(output.FullName);
        AnsiConsole.MarkupLine("[bold]Hearth demo[/]: the synthetic borough of Northbridge, end to end in the SQLite file " + Markup.Escape(databasePath));
        AnsiConsole.WriteLine();

        // 1. The borough.
        Heading("1. Generate the borough");
        var generated = BoroughGenerator.Generate(new GeneratorSettings { Households = households, Seed = seed }, boroughDir, cancellationToken: cancellationToken);
        AnsiConsole.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"{generated.Households:N0} households, {generated.People:N0} people, {generated.RowCounts.Where(r => r.Key.StartsWith("extracts/", StringComparison.Ordinal)).Sum(r => r.Value):N0} rows in 19 agency extracts, written to {boroughDir} with the ground truth beside them.")));

        await using var services = new ServiceCollection().AddHearthCore(HearthDatabaseOptions.Sqlite(databasePath)).BuildServiceProvider();
        await services.MigrateHearthDatabaseAsync(cancellationToken);

        // 2. Intake.
        Heading("2. Import every agency's extract");
        IReadOnlyList<(string Agency, string Kind, ImportResult Result)> imports;
        await using (var scope = services.CreateAsyncScope())
        {
            imports = await BoroughImport.ImportAsync(scope.ServiceProvider.GetRequiredService<IntakeService>(), boroughDir, "demo", cancellationToken: cancellationToken);
        }

        var importTable = new Table().AddColumns("agency", "extract", "read", "stored", "quarantined", "duplicates", "outcome");
        foreach (var (agency, kind, r) in imports)
        {
            importTable.AddRow(agency, kind, N(r.RowsRead), N(r.RowsStored), N(r.RowsQuarantined), N(r.RowsDuplicate),
                r.Outcome == ImportOutcome.AlreadyImported ? "already imported: nothing changed" : r.Outcome.ToString().ToLowerInvariant());
        }

        AnsiConsole.Write(importTable);
        var read = imports.Sum(i => (long)i.Result.RowsRead);
        var kept = imports.Sum(i => (long)i.Result.RowsStored + i.Result.RowsQuarantined + i.Result.RowsDuplicate);
        AnsiConsole.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"Rows read {read:N0} = stored + quarantined + duplicates {kept:N0}: no row lost{(read == kept ? "." : " — MISMATCH")}")));

        // 3. Data quality.
        Heading("3. Data quality by agency");
        await using (var scope = services.CreateAsyncScope())
        {
            var quality = await scope.ServiceProvider.GetRequiredService<QualityReportService>().ReportAsync(cancellationToken: cancellationToken);
            var table = new Table().AddColumns("agency", "source records", "identifier completeness");
            foreach (var a in quality)
            {
                table.AddRow(Markup.Escape(a.Name), N(a.SourceRecords), Markup.Escape(string.Join(", ",
                    a.Completeness.Where(c => c.Present > 0).Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Field} {c.Percent:F0}%")))));
            }

            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine(Markup.Escape($"Every issue by dataset, row and column: hearth quality --database {databasePath}"));
        }

        // 4. Linkage.
        Heading("4. Link the people behind the records into persons, households and families");
        await using (var scope = services.CreateAsyncScope())
        {
            var linked = await scope.ServiceProvider.GetRequiredService<PersonLinkageService>().RunAsync(LocalDataLead(), cancellationToken: cancellationToken);
            PrintStoreLinkage(linked, LinkageTruth.Measure(linked, Path.Combine(boroughDir, "truth")));
            AnsiConsole.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                $"{generated.People:N0} people really live in the borough. Persons, households and families are stored with stable references; review the uncertain pairs with: hearth link review list --database {databasePath}")));
        }

        // 5. Identification.
        Heading("5. Identify the families Supporting Families finds eligible, and store the run for the web app's list");
        {
            var framework = Hearth.Core.Programmes.FrameworkCatalog.Shipped()["supporting-families-2022"];
            var (run, _) = await new Hearth.Core.Programmes.IdentificationRuns(services.GetRequiredService<HearthDbFactory>(), services.GetRequiredService<Hearth.Core.Audit.IAuditTrail>(), TimeProvider.System)
                .RunAsync(LocalDataLead(), framework, DemoIdentificationAsOf, ct: cancellationToken);
            AnsiConsole.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                $"{framework.Id} as of {run.AsOf:yyyy-MM-dd}: {run.Families:N0} families judged, {run.Eligible:N0} eligible, {run.Unknown:N0} unknown (data missing), {run.NotEligible:N0} not eligible. Stored as run {run.Id}: the web app's identification list (/programmes/identification) shows it.")));
        }

        // 6. Payment by results.
        Heading("6. Payment by results: attach identified families, measure their outcomes, build a claim batch");
        await DemoClaimsAsync(services, cancellationToken);

        // 7. Evaluation.
        Heading("7. Did the programme work? Claimed against counterfactual against truth");
        var cohort = EvaluationTable.Load(Path.Combine(boroughDir, "truth", "programme_cohort.csv"));
        TruthCheckResult? truth = null;
        try
        {
            truth = TruthCheck.Run(cohort);
        }
        catch (EvaluationInputException e)
        {
            AnsiConsole.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                $"The programme cohort of {cohort.RowCount:N0} families is too small for a matched estimate ({e.Message}); run the demo with --households 10000 or more.")));
        }

        if (truth is not null)
        {
            var att = truth.Evaluation.Att;
            var effects = new Table().AddColumns("change in proven offences per family, 12 months after joining", "estimate");
            effects.AddRow("Naive before/after among families in the programme (what a 'turned around' claim rests on)", F(truth.NaiveChange));
            effects.AddRow(Markup.Escape($"Matched comparison (ATT, 95% CI {F(att.Lower)} to {F(att.Upper)})"), F(att.Estimate));
            effects.AddRow("True effect of the programme (known only because the borough is synthetic)", F(truth.TrueEffect));
            AnsiConsole.Write(effects);
            AnsiConsole.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                $"{truth.Evaluation.Match.MatchedTreated:N0} of {truth.Evaluation.TreatedCount:N0} families in the programme matched to families with similar needs and history who were not in it. The before/after figure mixes the programme's effect with families improving anyway.")));
        }


        AnsiConsole.WriteLine();
        AnsiConsole.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"Done in {clock.Elapsed.TotalSeconds:F1} s. Next:")));
        AnsiConsole.MarkupLine(Markup.Escape($"  web app on this store:  hearth demo --serve (demo accounts), or hearth serve --database {databasePath}"));
        AnsiConsole.MarkupLine(Markup.Escape($"  impact report (HTML):   hearth evaluate truth-check --cohort {Path.Combine(boroughDir, "truth", "programme_cohort.csv")} --report impact.html"));
        AnsiConsole.MarkupLine(Markup.Escape("  cost-benefit analysis:  hearth cba docs/examples/cba-family-intervention.yaml --report cba.html"));
        return read == kept ? 0 : 1;

        static void Heading(string text)
        {
            AnsiConsole.WriteLine();
            AnsiConsole.MarkupLine("[bold]" + Markup.Escape(text) + "[/]");
        }

        static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

        static string F(double value) => value.ToString("+0.000;-0.000;0.000", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The demo's claims: families the Supporting Families framework finds eligible on 2 January 2023 are attached
    /// that day (baseline frozen, prerequisites recorded as met), those with every need met on 29 September 2023
    /// closed that day, their needs measured as of 31 March 2024 from the
    /// borough's data, and a claim batch built for results achieved by then. The claim window runs from 1 January
    /// 2024 to the end of the month after today, so that in <c>demo --serve</c> claims can be taken all the way to
    /// submission; a real window is the department's quarter.
    /// </summary>
    private static async Task DemoClaimsAsync(ServiceProvider services, CancellationToken cancellationToken)
    {
        var framework = Hearth.Core.Programmes.FrameworkCatalog.Shipped()["supporting-families-2022"];
        var factory = services.GetRequiredService<HearthDbFactory>();
        var time = services.GetRequiredService<TimeProvider>();
        var audit = services.GetRequiredService<Hearth.Core.Audit.IAuditTrail>();
        var actor = LocalDataLead();
        var attachedOn = new DateOnly(2023, 1, 2);
        var asOf = new DateOnly(2024, 3, 31);
        var eligible = new List<string>();
        await new Hearth.Core.Programmes.IdentificationService(factory, audit).IdentifyAsync(actor, framework, attachedOn,
            batch => eligible.AddRange(batch.Where(b => b.Result.Eligible == Hearth.Core.Programmes.Truth.True).Select(b => b.Result.FamilyId)), ct: cancellationToken);
        var service = new Hearth.Core.Programmes.ProgrammeClaimsService(factory, audit, time);
        var picked = eligible.Order(StringComparer.Ordinal).Take(500).ToList();
        var attached = await service.AttachAsync(actor, framework, picked, attachedOn, "demo cohort", true, true, true, cancellationToken);

        // Key workers close a case when the plan is done: here, the families whose every baseline need is met on
        // 29 September 2023 are closed that day; sustainment is then six months after closure.
        var closedOn = new DateOnly(2023, 9, 29);
        await service.MeasureAsync(actor, framework, closedOn, ct: cancellationToken);
        List<string> done;
        await using (var db = factory.Create())
        {
            done = await (from a in db.ProgrammeAttachments
                          join f in db.Families on a.FamilyId equals f.Id
                          where a.FrameworkId == framework.Id && a.ClosedOn == null && a.BaselineNeeds > 0
                              && db.ProgrammeNeedMeasurements.Where(m => m.AttachmentId == a.Id).All(m => m.Status == "met")
                          select f.Reference).ToListAsync(cancellationToken);
        }

        foreach (var family in done)
        {
            await service.CloseAsync(actor, framework.Scheme, family, closedOn, "plan complete: every need met", cancellationToken);
        }

        var measured = await service.MeasureAsync(actor, framework, asOf, ct: cancellationToken);
        var statuses = string.Join(", ", measured.Needs.Where(n => n.Value > 0).Select(n => string.Create(CultureInfo.InvariantCulture, $"{n.Key} {n.Value:N0}")));
        AnsiConsole.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"{eligible.Count:N0} families eligible for {framework.Id} on {attachedOn:yyyy-MM-dd}; {picked.Count:N0} attached ({attached:N0} new) with their baseline frozen; {done.Count:N0} closed on {closedOn:yyyy-MM-dd} with every need met. Needs as of {asOf:yyyy-MM-dd}: {statuses}.")));
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var end = new DateOnly(today.Year, today.Month, 1).AddMonths(2).AddDays(-1);
        var window = new Hearth.Core.Programmes.ClaimWindow("demo-window", framework.Id, new Hearth.Core.DatePeriod(new DateOnly(2024, 1, 1), end), picked.Count);
        try
        {
            var batch = await service.BuildBatchAsync(actor, framework, window, asOf, 7, 0.1m, ct: cancellationToken);
            AnsiConsole.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                $"Claim batch {batch.Reference} (claim date {asOf:yyyy-MM-dd}, window to {end:yyyy-MM-dd}): {batch.Drafted:N0} claims drafted with their evidence frozen, {batch.Total} in total, {batch.Sampled:N0} sampled for internal audit.")));
        }
        catch (Hearth.Core.Programmes.ClaimRefusedException ex)
        {
            AnsiConsole.MarkupLine(Markup.Escape("Claim batch not built again: " + ex.Message));
        }

        AnsiConsole.MarkupLine("In the web app: /claims (data lead, team manager, auditor), each claim's evidence and sign-off, and each family's outcomes under Outcomes on its record.");
    }
}
