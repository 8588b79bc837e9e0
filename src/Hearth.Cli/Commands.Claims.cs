using System.CommandLine;
using Hearth.Core;
using Hearth.Core.Access;
using Hearth.Core.Audit;
using Hearth.Core.Data;
using Hearth.Core.Programmes;
using Hearth.Core.Synthetic;

namespace Hearth.Cli;

public static partial class Commands
{
    /// <summary><c>hearth claims</c>: attach families, measure outcomes, build claim batches, move claims, export packs.</summary>
    internal static Command Claims()
    {
        var command = new Command("claims", "Programme claims on the store: attach families (baseline frozen), measure outcomes, build a claim batch for a window, list, sign off or reject, export the claim pack and national return.");
        command.Subcommands.Add(ClaimsAttach());
        command.Subcommands.Add(ClaimsMeasure());
        command.Subcommands.Add(ClaimsBuild());
        command.Subcommands.Add(ClaimsList());
        command.Subcommands.Add(ClaimsMove());
        command.Subcommands.Add(ClaimsExport());
        return command;
    }

    /// <summary>Who runs the command: recorded in the audit log and on every claim transition.</summary>
    internal static (Option<string?> User, Option<HearthRole> Role) ActorOptions(HearthRole defaultRole) =>
    (
        new Option<string?>("--user") { Description = "Who is acting (recorded in the audit log); default: the login name" },
        new Option<HearthRole>("--role") { Description = $"The role you act in (default {defaultRole}): DataLead, TeamManager, Auditor, ...", DefaultValueFactory = _ => defaultRole }
    );

    private static Actor ActorFrom(ParseResult parse, Option<string?> user, Option<HearthRole> role)
    {
        var name = parse.GetValue(user) ?? Environment.UserName;
        return new Actor("cli:" + name, name, new HashSet<HearthRole> { parse.GetValue(role) });
    }

    private static bool TryFramework(string name, out Framework framework)
    {
        framework = null!;
        try
        {
            framework = File.Exists(name) ? FrameworkLoader.LoadFile(name) : FrameworkCatalog.Shipped()[name];
            return true;
        }
        catch (RulesFileException ex)
        {
            Console.Error.WriteLine(ex.Message);
        }
        catch (KeyNotFoundException ex)
        {
            Console.Error.WriteLine(ex.Message);
        }

        return false;
    }

    private static async Task<HearthDbFactory?> OpenStoreAsync(ParseResult parse, Option<FileInfo?> database, Option<string?> postgres, CancellationToken ct)
    {
        if (!TryDatabase(parse, database, postgres, out var options, out var problem))
        {
            Console.Error.WriteLine(problem);
            return null;
        }

        if (options.Provider == DatabaseProvider.Sqlite && !File.Exists(options.Target))
        {
            Console.Error.WriteLine("the store does not exist: give --database FILE (import extracts and run linkage first) or --families FILE");
            return null;
        }

        var factory = new HearthDbFactory(options);
        await factory.MigrateAsync(ct);
        return factory;
    }

    private static async Task<int> IdentifyOnStoreAsync(ParseResult parse, Option<string> framework, Option<string> asOf, Option<bool> explain, Option<FileInfo?> csv,
        Option<DirectoryInfo?> truth, Option<int> minTrue, Option<FileInfo?> database, Option<string?> postgres, Option<string?> user, Option<HearthRole> role, CancellationToken ct)
    {
        if (!TryDate(parse.GetValue(asOf)!, "--as-of", out var date) || !TryFramework(parse.GetValue(framework)!, out var f))
        {
            return 2;
        }

        var truthDir = parse.GetValue(truth);
        if (truthDir is not null && !File.Exists(Path.Combine(truthDir.FullName, "needs.csv")))
        {
            Console.Error.WriteLine($"--truth: {truthDir.FullName} has no needs.csv (give the borough's truth directory)");
            return 2;
        }

        var factory = await OpenStoreAsync(parse, database, postgres, ct);
        if (factory is null)
        {
            return 2;
        }

        var runs = new IdentificationRuns(factory, new AuditTrail(TimeProvider.System), TimeProvider.System);
        var csvFile = parse.GetValue(csv);
        using var writer = csvFile is null ? null : new StreamWriter(csvFile.FullName);
        writer?.Write(IdentificationService.CsvHeader + "\n");
        var kept = truthDir is null ? null : new List<IdentificationResult>();
        var printAll = parse.GetValue(explain);
        IdentificationSummary summary;
        IdentificationRunSummary run;
        try
        {
            (run, summary) = await runs.RunAsync(ActorFrom(parse, user, role), f, date, batch =>
            {
                if (writer is not null)
                {
                    IdentificationService.WriteCsvRows(writer, batch);
                }

                kept?.AddRange(batch.Select(b => b.Result));
                foreach (var r in batch.Where(r => printAll || r.Result.Eligible == Truth.True))
                {
                    Console.Write(printAll ? r.Result.Explain() : IdentificationService.Describe(r));
                }
            }, ct: ct);
        }
        catch (ProgrammeAccessDeniedException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return 3;
        }

        Console.WriteLine($"Stored identification run {run.Id} (the web app's identification list shows the latest run).");
        Console.WriteLine($"{f.Id} as of {date:yyyy-MM-dd} on the store: {summary.Families:N0} families read, {summary.Eligible:N0} eligible, {summary.Unknown:N0} unknown (data missing), {summary.Families - summary.Eligible - summary.Unknown:N0} not eligible.");
        Console.WriteLine($"  {summary.Read.Members:N0} members ({summary.Read.MembersWithoutDateOfBirth:N0} without a usable date of birth, {summary.Read.MembersWithConflictingDateOfBirth:N0} with conflicting ones), {summary.Read.EventsMapped:N0} events mapped, {summary.Read.EventsLeftOut:N0} left out.");
        Console.WriteLine("  coverage: " + string.Join(", ", summary.Coverage.Periods.OrderBy(p => p.Key).Select(p => $"{EventSchema.NameOf(p.Key)} {p.Value}")));
        foreach (var line in summary.Read.DescribeUnmapped())
        {
            Console.WriteLine("  unmapped: " + line);
        }

        if (csvFile is not null)
        {
            Console.WriteLine($"Wrote {csvFile.FullName}");
        }

        if (truthDir is not null)
        {
            // The framework's published definition by default; --truth-min-headlines gives the on-the-date yardstick.
            var profile = parse.GetValue(minTrue) is > 0 and var m ? BoroughTruth.OnDateProfile(f, m) : BoroughTruth.ProfileFor(f);
            await using var db = factory.Create();
            var agencyOfExtract = BoroughImport.Extracts.ToDictionary(e => e.File, e => e.Agency, StringComparer.Ordinal);
            var trueFamilies = await BoroughTruth.TrueFamiliesAsync(db, truthDir.FullName, agencyOfExtract, ct);
            Console.Write(BoroughTruth.Check(f, date, kept!, truthDir.FullName, profile, trueFamilies).Describe());
        }

        return 0;
    }

    private static Command ClaimsAttach()
    {
        var command = new Command("attach", "Attach families to a framework on a date, freezing the needs raised that day as each family's baseline.");
        var framework = new Option<string>("--framework") { Description = "Framework id or rules file", Required = true };
        var on = new Option<string>("--on") { Description = "Attachment date (yyyy-mm-dd)", Required = true };
        var families = new Option<string[]>("--family") { Description = "Family references to attach (repeat); or --eligible", AllowMultipleArgumentsPerToken = true };
        var eligible = new Option<bool>("--eligible") { Description = "Attach every family the framework finds eligible on the date" };
        var limit = new Option<int>("--limit") { Description = "With --eligible: at most this many families (lowest references first)", DefaultValueFactory = _ => int.MaxValue };
        var cohort = new Option<string?>("--cohort") { Description = "Cohort name, e.g. \"2024 Q1\"" };
        var prerequisites = new Option<bool>("--prerequisites-met") { Description = "Record that a key worker, a whole-family assessment and a plan covering the needs are in place" };
        var (database, postgres) = DatabaseOptions();
        var (user, role) = ActorOptions(HearthRole.DataLead);
        foreach (var o in new Option[] { framework, on, families, eligible, limit, cohort, prerequisites, database, postgres, user, role })
        {
            command.Options.Add(o);
        }

        command.SetAction(async (parse, ct) =>
        {
            if (!TryDate(parse.GetValue(on)!, "--on", out var date) || !TryFramework(parse.GetValue(framework)!, out var f))
            {
                return 2;
            }

            var refs = (parse.GetValue(families) ?? []).ToList();
            if (refs.Count == 0 && !parse.GetValue(eligible))
            {
                Console.Error.WriteLine("give --family REF (one or more) or --eligible");
                return 2;
            }

            var factory = await OpenStoreAsync(parse, database, postgres, ct);
            if (factory is null)
            {
                return 2;
            }

            var actor = ActorFrom(parse, user, role);
            try
            {
                if (parse.GetValue(eligible))
                {
                    var found = new List<string>();
                    await new IdentificationService(factory, new AuditTrail(TimeProvider.System)).IdentifyAsync(actor, f, date,
                        batch => found.AddRange(batch.Where(b => b.Result.Eligible == Truth.True).Select(b => b.Result.FamilyId)), ct: ct);
                    refs.AddRange(found.Order(StringComparer.Ordinal).Take(parse.GetValue(limit)));
                }

                var met = parse.GetValue(prerequisites) ? true : (bool?)null;
                var n = await new ProgrammeClaimsService(factory, new AuditTrail(TimeProvider.System), TimeProvider.System)
                    .AttachAsync(actor, f, refs, date, parse.GetValue(cohort), met, met, met, ct);
                Console.WriteLine($"{n:N0} families attached to {f.Id} on {date:yyyy-MM-dd} ({refs.Count - n:N0} already attached or unknown).");
                return 0;
            }
            catch (ProgrammeAccessDeniedException ex)
            {
                Console.Error.WriteLine(ex.Message);
                return 3;
            }
        });
        return command;
    }

    private static Command ClaimsMeasure()
    {
        var command = new Command("measure", "Measure every attached family's baseline needs from the current data (not started, progressing, met, sustained, lapsed, unknown).");
        var framework = new Option<string>("--framework") { Description = "Framework id or rules file", Required = true };
        var asOf = new Option<string>("--as-of") { Description = "Date to measure on (yyyy-mm-dd)", Required = true };
        var (database, postgres) = DatabaseOptions();
        var (user, role) = ActorOptions(HearthRole.DataLead);
        foreach (var o in new Option[] { framework, asOf, database, postgres, user, role })
        {
            command.Options.Add(o);
        }

        command.SetAction(async (parse, ct) =>
        {
            if (!TryDate(parse.GetValue(asOf)!, "--as-of", out var date) || !TryFramework(parse.GetValue(framework)!, out var f))
            {
                return 2;
            }

            var factory = await OpenStoreAsync(parse, database, postgres, ct);
            if (factory is null)
            {
                return 2;
            }

            try
            {
                var r = await new ProgrammeClaimsService(factory, new AuditTrail(TimeProvider.System), TimeProvider.System).MeasureAsync(ActorFrom(parse, user, role), f, date, ct: ct);
                Console.WriteLine($"{r.Families:N0} attached families measured as of {date:yyyy-MM-dd}: " + string.Join(", ", r.Needs.Where(kv => kv.Value > 0).Select(kv => $"{kv.Value:N0} {ProgrammeClaimsService.StatusName(kv.Key)}")));
                return 0;
            }
            catch (ProgrammeAccessDeniedException ex)
            {
                Console.Error.WriteLine(ex.Message);
                return 3;
            }
        });
        return command;
    }

    private static Command ClaimsBuild()
    {
        var command = new Command("build", "Draft a claim, evidence frozen, for every achieved result of the attached families in a claim window, and draw the audit sample.");
        var framework = new Option<string>("--framework") { Description = "Framework id or rules file", Required = true };
        var window = new Option<string>("--window") { Description = "Claim window id, e.g. 2024-25-q4", Required = true };
        var from = new Option<string>("--window-from") { Description = "First day of the window (yyyy-mm-dd)", Required = true };
        var to = new Option<string>("--window-to") { Description = "Last day of the window (yyyy-mm-dd)", Required = true };
        var claimDate = new Option<string?>("--claim-date") { Description = "Date the results are assessed on (default: the window's last day)" };
        var allocation = new Option<int>("--allocation") { Description = "Families the allocation allows in this window", Required = true };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the random audit sample (the same seed draws the same sample)", DefaultValueFactory = _ => 1 };
        var rate = new Option<decimal>("--sample-rate") { Description = "Share sampled at random (0 to 1); risk-flagged and discretionary claims are always sampled", DefaultValueFactory = _ => 0.1m };
        var (database, postgres) = DatabaseOptions();
        var (user, role) = ActorOptions(HearthRole.DataLead);
        foreach (var o in new Option[] { framework, window, from, to, claimDate, allocation, seed, rate, database, postgres, user, role })
        {
            command.Options.Add(o);
        }

        command.SetAction(async (parse, ct) =>
        {
            if (!TryFramework(parse.GetValue(framework)!, out var f) || !TryDate(parse.GetValue(from)!, "--window-from", out var start) || !TryDate(parse.GetValue(to)!, "--window-to", out var end))
            {
                return 2;
            }

            var date = end;
            if (parse.GetValue(claimDate) is { } cd && !TryDate(cd, "--claim-date", out date))
            {
                return 2;
            }

            if (end < start || parse.GetValue(allocation) < 0 || parse.GetValue(rate) is < 0 or > 1)
            {
                Console.Error.WriteLine("--window-to must not be before --window-from, --allocation must be 0 or more and --sample-rate from 0 to 1");
                return 2;
            }

            var factory = await OpenStoreAsync(parse, database, postgres, ct);
            if (factory is null)
            {
                return 2;
            }

            try
            {
                var w = new ClaimWindow(parse.GetValue(window)!, f.Id, new DatePeriod(start, end), parse.GetValue(allocation));
                var r = await new ProgrammeClaimsService(factory, new AuditTrail(TimeProvider.System), TimeProvider.System)
                    .BuildBatchAsync(ActorFrom(parse, user, role), f, w, date, parse.GetValue(seed), parse.GetValue(rate), ct: ct);
                Console.WriteLine($"Batch {r.Reference}: {r.FamiliesAssessed:N0} attached families assessed on {date:yyyy-MM-dd}, {r.Drafted:N0} claims drafted ({r.Total}), {r.AlreadyClaimed:N0} results already claimed, {r.Refused:N0} refused, {r.Sampled:N0} sampled for audit.");
                return 0;
            }
            catch (ProgrammeAccessDeniedException ex)
            {
                Console.Error.WriteLine(ex.Message);
                return 3;
            }
            catch (ClaimRefusedException ex)
            {
                Console.Error.WriteLine(ex.Message);
                return 1;
            }
        });
        return command;
    }

    private static Command ClaimsList()
    {
        var command = new Command("list", "List claims with status, amount, flags and why each was sampled.");
        var window = new Option<string?>("--window") { Description = "Only this claim window" };
        var status = new Option<ClaimStatus?>("--status") { Description = "Only this status (Draft, Ready, SignedOff, Rejected, Submitted, Paid, ClawedBack)" };
        var (database, postgres) = DatabaseOptions();
        var (user, role) = ActorOptions(HearthRole.DataLead);
        foreach (var o in new Option[] { window, status, database, postgres, user, role })
        {
            command.Options.Add(o);
        }

        command.SetAction(async (parse, ct) =>
        {
            var factory = await OpenStoreAsync(parse, database, postgres, ct);
            if (factory is null)
            {
                return 2;
            }

            try
            {
                var list = await new ProgrammeClaimsService(factory, new AuditTrail(TimeProvider.System), TimeProvider.System)
                    .ListAsync(ActorFrom(parse, user, role), parse.GetValue(window), parse.GetValue(status), ct);
                foreach (var c in list)
                {
                    Console.WriteLine($"{c.Reference}  {c.Status}  {new Money(c.AmountPence)}  {(c.Discretionary ? "discretionary  " : string.Empty)}{c.RiskFlags ?? string.Empty}{(c.SampledBecause is { } s ? "  sampled: " + s : string.Empty)}");
                }

                Console.WriteLine($"{list.Count:N0} claims, {new Money(list.Sum(c => c.AmountPence))}");
                return 0;
            }
            catch (ProgrammeAccessDeniedException ex)
            {
                Console.Error.WriteLine(ex.Message);
                return 3;
            }
        });
        return command;
    }

    private static Command ClaimsMove()
    {
        var command = new Command("move", "Move claims along draft → ready → signed off / rejected → submitted → paid / clawed back (ready: DataLead; sign off or reject: Auditor; submit, paid, claw back: DataLead or TeamManager; submission needs the window open and room in the allocation).");
        var claims = new Argument<string[]>("CLAIM") { Description = "Claim references", Arity = ArgumentArity.OneOrMore };
        var to = new Option<ClaimStatus>("--to") { Description = "Ready, SignedOff, Rejected, Submitted, Paid or ClawedBack", Required = true };
        var reason = new Option<string?>("--reason") { Description = "Why (required to reject or claw back)" };
        var (database, postgres) = DatabaseOptions();
        var (user, role) = ActorOptions(HearthRole.DataLead);
        command.Arguments.Add(claims);
        foreach (var o in new Option[] { to, reason, database, postgres, user, role })
        {
            command.Options.Add(o);
        }

        command.SetAction(async (parse, ct) =>
        {
            var factory = await OpenStoreAsync(parse, database, postgres, ct);
            if (factory is null)
            {
                return 2;
            }

            var service = new ProgrammeClaimsService(factory, new AuditTrail(TimeProvider.System), TimeProvider.System);
            var actor = ActorFrom(parse, user, role);
            var failed = 0;
            foreach (var c in parse.GetValue(claims) ?? [])
            {
                try
                {
                    await service.MoveAsync(actor, c, parse.GetValue(to), parse.GetValue(reason), ct);
                    Console.WriteLine($"{c}: {parse.GetValue(to)}");
                }
                catch (Exception ex) when (ex is ClaimRefusedException or ProgrammeAccessDeniedException)
                {
                    Console.Error.WriteLine($"{c}: refused — {ex.Message}");
                    failed++;
                }
            }

            return failed == 0 ? 0 : 1;
        });
        return command;
    }

    private static Command ClaimsExport()
    {
        var command = new Command("export", "Write a window's claim pack (claims.csv, claims.html, evidence.json) and the national return (counts only).");
        var framework = new Option<string>("--framework") { Description = "Framework id or rules file", Required = true };
        var window = new Option<string>("--window") { Description = "Claim window id", Required = true };
        var outDir = new Option<DirectoryInfo>("--out") { Description = "Directory for the pack", Required = true };
        var (database, postgres) = DatabaseOptions();
        var (user, role) = ActorOptions(HearthRole.DataLead);
        foreach (var o in new Option[] { framework, window, outDir, database, postgres, user, role })
        {
            command.Options.Add(o);
        }

        command.SetAction(async (parse, ct) =>
        {
            if (!TryFramework(parse.GetValue(framework)!, out var f))
            {
                return 2;
            }

            var factory = await OpenStoreAsync(parse, database, postgres, ct);
            if (factory is null)
            {
                return 2;
            }

            try
            {
                var files = await new ProgrammeClaimsService(factory, new AuditTrail(TimeProvider.System), TimeProvider.System)
                    .ExportPackAsync(ActorFrom(parse, user, role), f, parse.GetValue(window)!, parse.GetValue(outDir)!.FullName, ct);
                foreach (var file in files)
                {
                    Console.WriteLine($"Wrote {file}");
                }

                return 0;
            }
            catch (ProgrammeAccessDeniedException ex)
            {
                Console.Error.WriteLine(ex.Message);
                return 3;
            }
        });
        return command;
    }
}
