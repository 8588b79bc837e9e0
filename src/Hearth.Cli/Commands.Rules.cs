using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Hearth.Core;
using Hearth.Core.Access;
using Hearth.Core.Programmes;

namespace Hearth.Cli;

public static partial class Commands
{
    /// <summary><c>hearth identify</c>: which families a framework finds eligible, with the evidence.</summary>
    internal static Command Identify()
    {
        var command = new Command("identify", "List the families a programme framework finds eligible on a date, each need with the member, indicator, events and period behind it. Reads the store (families from linkage) or, with --families, a JSON input file.");
        var (framework, asOf, families) = CommonOptions(command, familiesRequired: false);
        var explain = new Option<bool>("--explain") { Description = "Print the full explanation for every family, eligible or not." };
        var output = new Option<FileInfo?>("--output") { Description = "Also write the results as JSON to this file (JSON input mode)." };
        var csv = new Option<FileInfo?>("--csv") { Description = "Write one CSV row per family (decision, needs, why not) to this file (store mode)." };
        var truth = new Option<DirectoryInfo?>("--truth") { Description = "A synthetic borough's truth directory: report precision and recall against the true needs (store mode)." };
        var minTrue = new Option<int>("--truth-min-headlines") { Description = "Compare with true needs on the as-of date alone: this many headlines with a true need make a family truly eligible (default: the framework's published definition, with look-back windows and the dependent-child test)", DefaultValueFactory = _ => 0 };
        var (database, postgres) = DatabaseOptions();
        var (user, role) = ActorOptions(HearthRole.DataLead);
        foreach (var o in new Option[] { explain, output, csv, truth, minTrue, database, postgres, user, role })
        {
            command.Options.Add(o);
        }

        command.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(families) is null)
            {
                return await IdentifyOnStoreAsync(parse, framework, asOf, explain, csv, truth, minTrue, database, postgres, user, role, ct);
            }

            if (!Prepare(parse, framework, asOf, families, out var f, out var date, out var input))
            {
                return 2;
            }

            var engine = new ProgrammeEngine();
            var results = input.Families.Select(d => engine.Identify(f, d, date)).ToList();
            var eligible = results.Count(r => r.Eligible == Truth.True);
            var unknown = results.Count(r => r.Eligible == Truth.Unknown);
            Console.WriteLine($"{f.Id} as of {date:yyyy-MM-dd}: {results.Count} families read, {eligible} eligible, {unknown} unknown (data missing), {results.Count - eligible - unknown} not eligible.");
            foreach (var r in results)
            {
                if (parse.GetValue(explain))
                {
                    Console.Write(r.Explain());
                    continue;
                }

                if (r.Eligible != Truth.True)
                {
                    continue;
                }

                Console.WriteLine($"{r.FamilyId}: eligible");
                foreach (var n in r.RaisedNeeds)
                {
                    foreach (var m in n.Members.Where(m => m.Truth == Truth.True))
                    {
                        Console.WriteLine($"  {n.Need.HeadlineId}/{n.Need.Id} ({(m.PersonId is null ? "household" : "member " + m.PersonId)}): {n.Need.Title}");
                        foreach (var e in m.Evidence.Where(e => e.Kind == EvidenceKind.Aggregate && e.Outcome != Truth.False && (e.Events.Count > 0 || e.Value != "0")))
                        {
                            var sources = string.Join(", ", e.Events.Select(x => x.Source.ToString()));
                            Console.WriteLine($"    {e.Expression} = {e.Value}, {e.Period}{(sources.Length > 0 ? " — " + sources : string.Empty)}");
                        }
                    }
                }
            }

            if (parse.GetValue(output) is { } file)
            {
                var json = results.Select(r => new
                {
                    family_id = r.FamilyId,
                    framework = r.Framework.Id,
                    framework_sha256 = r.Framework.ContentHash,
                    as_of = r.AsOf,
                    eligible = r.Eligible.Word(),
                    unknown_reason = r.UnknownReason,
                    needs = r.Needs.Select(n => new
                    {
                        need = n.Need.Id,
                        headline = n.Need.HeadlineId,
                        indicator = n.Need.EligibilityText,
                        raised = n.Raised.Word(),
                        members = n.Members.Select(m => new { person_id = m.PersonId, outcome = m.Truth.Word(), note = m.Note, evidence = EvidenceRecord.From(m.Evidence) }),
                    }),
                    explanation = r.Explain(),
                });
                File.WriteAllText(file.FullName, JsonSerializer.Serialize(json, ProgrammeJson.Options));
                Console.WriteLine($"Wrote {file.FullName}");
            }

            return input.Problems.Count > 0 ? 1 : 0;
        });
        return command;
    }

    /// <summary><c>hearth rules</c>: list and validate rules files, measure outcomes and build claim packs.</summary>
    internal static Command Rules()
    {
        var command = new Command("rules", "Programme rules: list the shipped frameworks, validate rules files, measure outcomes, build claim packs.");
        command.Subcommands.Add(RulesList());
        command.Subcommands.Add(RulesValidate());
        command.Subcommands.Add(RulesOutcomes());
        command.Subcommands.Add(RulesClaims());
        return command;
    }

    private static Command RulesList()
    {
        var command = new Command("list", "List the frameworks shipped with Hearth, their dates and their unconfirmed (L) parameters.");
        command.SetAction(_ =>
        {
            foreach (var f in FrameworkCatalog.Shipped().All)
            {
                Console.WriteLine($"{f.Id}  {f.Title}  in force {f.Effective}  ({f.Headlines.Count} headlines, {f.Needs.Count()} needs, {f.Results.Count} results; sha256 {f.ContentHash[..12]})");
                var unconfirmed = f.Parameters.Values.Where(p => p.Unconfirmed).Select(p => $"{p.Name}={p.Text}").ToList();
                if (unconfirmed.Count > 0)
                {
                    Console.WriteLine($"  unconfirmed (L) parameters: {string.Join("; ", unconfirmed)}");
                }
            }

            return 0;
        });
        return command;
    }

    private static Command RulesValidate()
    {
        var command = new Command("validate", "Check rules files: every error is reported as file:line: reason.");
        var files = new Argument<FileInfo[]>("files") { Description = "Rules files (YAML)", Arity = ArgumentArity.OneOrMore };
        command.Arguments.Add(files);
        command.SetAction(parse =>
        {
            var failed = 0;
            foreach (var file in parse.GetValue(files) ?? [])
            {
                if (!file.Exists)
                {
                    Console.Error.WriteLine($"{file.Name}: no such file");
                    failed++;
                    continue;
                }

                try
                {
                    var f = FrameworkLoader.LoadFile(file.FullName);
                    Console.WriteLine($"{file.Name}: valid — {f.Id} version {f.Version}, {f.Needs.Count()} needs, {f.Results.Count} results");
                }
                catch (RulesFileException ex)
                {
                    Console.Error.WriteLine(ex.Message);
                    failed++;
                }
            }

            return failed == 0 ? 0 : 1;
        });
        return command;
    }

    private static Command RulesOutcomes()
    {
        var command = new Command("outcomes", "Measure every attached family's needs against its baseline at attachment, with each need's status and evidence.");
        var (framework, asOf, families) = CommonOptions(command);
        command.SetAction(parse =>
        {
            if (!Prepare(parse, framework, asOf, families, out var f, out var date, out var input))
            {
                return 2;
            }

            var engine = new ProgrammeEngine();
            foreach (var d in input.Families)
            {
                Console.Write(engine.Measure(f, d, date).Explain());
            }

            return input.Problems.Count > 0 ? 1 : 0;
        });
        return command;
    }

    private static Command RulesClaims()
    {
        var command = new Command("claims", "Draft claims for every achieved result on a claim date, sample them for audit and write the claim pack (CSV, HTML, frozen evidence JSON) and the national return.");
        var (framework, asOf, families) = CommonOptions(command);
        var window = new Option<string>("--window") { Description = "Claim window id, e.g. 2024-25-q4", Required = true };
        var from = new Option<string>("--window-from") { Description = "First day of the claim window (yyyy-mm-dd)", Required = true };
        var to = new Option<string>("--window-to") { Description = "Last day of the claim window (yyyy-mm-dd)", Required = true };
        var allocation = new Option<int>("--allocation") { Description = "Families the allocation allows in this window", Required = true };
        var seed = new Option<ulong>("--seed") { Description = "Seed for the random audit sample", DefaultValueFactory = _ => 1 };
        var rate = new Option<decimal>("--sample-rate") { Description = "Share of claims sampled at random (0 to 1)", DefaultValueFactory = _ => 0.1m };
        var outDir = new Option<DirectoryInfo>("--out") { Description = "Directory for the claim pack", Required = true };
        foreach (var o in new Option[] { window, from, to, allocation, seed, rate, outDir })
        {
            command.Options.Add(o);
        }

        command.SetAction(parse =>
        {
            if (!Prepare(parse, framework, asOf, families, out var f, out var date, out var input))
            {
                return 2;
            }

            if (!TryDate(parse.GetValue(from)!, "--window-from", out var start) || !TryDate(parse.GetValue(to)!, "--window-to", out var end))
            {
                return 2;
            }

            if (end < start || parse.GetValue(allocation) < 0 || parse.GetValue(rate) is < 0 or > 1)
            {
                Console.Error.WriteLine("--window-to must not be before --window-from, --allocation must be 0 or more and --sample-rate from 0 to 1");
                return 2;
            }

            var claimWindow = new ClaimWindow(parse.GetValue(window)!, f.Id, new DatePeriod(start, end), parse.GetValue(allocation));
            var ledger = new ClaimLedger(new ProgrammeEngine(), TimeProvider.System);
            var actor = new ClaimActor("hearth-cli", ClaimRole.Officer);
            var refused = 0;
            foreach (var d in input.Families)
            {
                var assessment = ledger.Assess(f, d, date);
                foreach (var r in assessment.Results.Where(r => r.Finding.Achieved == Truth.True))
                {
                    var (_, broken) = ledger.Draft(assessment, r.Finding.Result.Id, claimWindow, actor);
                    if (broken.Count > 0)
                    {
                        refused++;
                        Console.Error.WriteLine($"{d.Family.FamilyId}/{r.Finding.Result.Id}: not drafted — {string.Join("; ", broken)}");
                    }
                }
            }

            var dir = parse.GetValue(outDir)!;
            dir.Create();
            var sample = AuditSampler.Sample(ledger.Claims, parse.GetValue(seed), parse.GetValue(rate), new HashSet<string>(StringComparer.Ordinal) { "near_threshold", "short_intervention" });
            using (var csv = new StreamWriter(Path.Combine(dir.FullName, "claims.csv")))
            {
                ClaimPack.WriteCsv(csv, ledger.Claims, sample);
            }

            using (var html = new StreamWriter(Path.Combine(dir.FullName, "claims.html")))
            {
                ClaimPack.WriteHtml(html, claimWindow.Id, ledger.Claims, sample);
            }

            File.WriteAllText(Path.Combine(dir.FullName, "evidence.json"), "[\n" + string.Join(",\n", ledger.Claims.Select(c => c.EvidenceJson)) + "\n]\n");
            var attached = input.Families.Count(d => d.Family.AttachmentDate is { } a && a <= date);
            File.WriteAllText(Path.Combine(dir.FullName, "national-return.csv"), NationalReturn.Build(claimWindow, f, attached, ledger.Claims).ToCsv());
            var total = ledger.Claims.Aggregate(Money.Zero, (m, c) => m + c.Amount);
            Console.WriteLine($"{ledger.Claims.Count} claims drafted ({total}), {refused} refused, {sample.Count} sampled for audit; pack written to {dir.FullName}");
            return input.Problems.Count > 0 ? 1 : 0;
        });
        return command;
    }

    private static (Option<string> Framework, Option<string> AsOf, Option<FileInfo> Families) CommonOptions(Command command, bool familiesRequired = true)
    {
        var framework = new Option<string>("--framework") { Description = "A shipped framework id (see 'hearth rules list') or the path of a rules file", Required = true };
        var asOf = new Option<string>("--as-of") { Description = "The date to evaluate on (yyyy-mm-dd)", Required = true };
        var families = new Option<FileInfo>("--families") { Description = "Input file of families, members, events and source coverage (JSON; see docs/programmes.md)", Required = familiesRequired };
        command.Options.Add(framework);
        command.Options.Add(asOf);
        command.Options.Add(families);
        return (framework, asOf, families);
    }

    private static bool Prepare(ParseResult parse, Option<string> framework, Option<string> asOf, Option<FileInfo> families, out Framework f, out DateOnly date, out ProgrammeInput input)
    {
        f = null!;
        input = null!;
        if (!TryDate(parse.GetValue(asOf)!, "--as-of", out date))
        {
            return false;
        }

        var name = parse.GetValue(framework)!;
        try
        {
            f = File.Exists(name) ? FrameworkLoader.LoadFile(name) : FrameworkCatalog.Shipped()[name];
        }
        catch (RulesFileException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return false;
        }
        catch (KeyNotFoundException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return false;
        }

        var file = parse.GetValue(families)!;
        if (!file.Exists)
        {
            Console.Error.WriteLine($"--families: {file.FullName} does not exist");
            return false;
        }

        input = ProgrammeInputFile.Read(file.FullName);
        foreach (var p in input.Problems)
        {
            Console.Error.WriteLine(p.ToString());
        }

        if (input.Problems.Count > 0)
        {
            Console.Error.WriteLine($"{input.Problems.Count} problem(s) in the input; families with a problem were left out and are not evaluated.");
        }

        return true;
    }

    private static bool TryDate(string text, string option, out DateOnly date)
    {
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
        {
            return true;
        }

        Console.Error.WriteLine($"{option}: '{text}' is not a date like 2025-03-31");
        return false;
    }
}
