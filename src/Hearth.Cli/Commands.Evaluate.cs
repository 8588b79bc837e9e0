using System.CommandLine;
using System.Globalization;
using Hearth.Core.Evaluation;
using Spectre.Console;

namespace Hearth.Cli;

public static partial class Commands
{
    /// <summary><c>hearth evaluate</c>: matched comparison (propensity score matching) and DiD; <c>evaluate truth-check</c>.</summary>
    internal static Command Evaluate()
    {
        var command = new Command("evaluate", "Estimate a programme's impact against a matched comparison group (propensity score matching, difference-in-differences).");
        var data = new Option<string>("--data") { Description = "CSV file, one row per unit, with a header row" };
        var id = new Option<string>("--id") { Description = "Unit identifier column" };
        var treatment = new Option<string>("--treatment") { Description = "Treatment column (0 = comparison, 1 = treated)" };
        var covariates = new Option<string>("--covariates") { Description = "Comma-separated covariate columns; text columns become factors (first level alphabetically is the reference)" };
        var outcome = new Option<string>("--outcome") { Description = "Outcome column (numeric; 0/1 outcomes also get risk difference and relative reduction)" };
        var method = new Option<string>("--method") { Description = "Matching method (nearest)", DefaultValueFactory = _ => "nearest" };
        var ratio = new Option<int>("--ratio") { Description = "Controls per treated unit (1:k)", DefaultValueFactory = _ => 1 };
        var replace = new Option<bool>("--replace") { Description = "Match with replacement" };
        var distance = new Option<string>("--distance") { Description = "Match on the score (ps) or its linear predictor (logit)", DefaultValueFactory = _ => "ps" };
        var caliper = new Option<double?>("--caliper") { Description = "Caliper in standard deviations of the caliper scale" };
        var caliperScale = new Option<string?>("--caliper-scale") { Description = "Scale of the caliper: ps or logit (default: the matching distance)" };
        var exact = new Option<string?>("--exact") { Description = "Comma-separated columns to match exactly on" };
        var reference = new Option<string?>("--reference") { Description = "Reference levels of factors, e.g. race=white,region=North (default: first level alphabetically)" };
        var link = new Option<string>("--link") { Description = "Propensity model link: logit or probit", DefaultValueFactory = _ => "logit" };
        var order = new Option<string>("--order") { Description = "Matching order: largest, smallest, random or data", DefaultValueFactory = _ => "largest" };
        var seed = new Option<int>("--seed") { Description = "Seed for --order random", DefaultValueFactory = _ => 1 };
        var preOutcome = new Option<string?>("--pre-outcome") { Description = "Outcome measured before the programme: adds the before/after change and matched DiD" };
        var earlierOutcome = new Option<string?>("--earlier-outcome") { Description = "An earlier pre-period outcome: adds the parallel-trend (placebo) check" };
        var cluster = new Option<string?>("--cluster") { Description = "Cluster column (e.g. family) for CR1 standard errors" };
        var smd = new Option<string>("--smd") { Description = "SMD denominator: treated (MatchIt) or pooled", DefaultValueFactory = _ => "treated" };
        var json = new Option<string?>("--json") { Description = "Write the full result as JSON here" };
        var report = new Option<string?>("--report") { Description = "Write a self-contained HTML report here (plots also as SVG/PNG beside it)" };
        foreach (var o in new Option[] { data, id, treatment, covariates, outcome, method, ratio, replace, distance, caliper, caliperScale, exact, reference, link, order, seed, preOutcome, earlierOutcome, cluster, smd, json, report })
        {
            command.Options.Add(o);
        }

        command.SetAction(parse =>
        {
            try
            {
                var missing = new[] { (data, "--data"), (id, "--id"), (treatment, "--treatment"), (covariates, "--covariates"), (outcome, "--outcome") }
                    .Where(x => string.IsNullOrWhiteSpace(parse.GetValue(x.Item1)))
                    .Select(x => x.Item2)
                    .ToList();
                if (missing.Count > 0)
                {
                    return FailEvaluate($"missing required option(s): {string.Join(", ", missing)}");
                }

                if (!string.Equals(parse.GetValue(method), "nearest", StringComparison.Ordinal))
                {
                    return FailEvaluate($"--method '{parse.GetValue(method)}' is not supported; use nearest");
                }

                var spec = new EvaluationSpec
                {
                    IdColumn = parse.GetValue(id)!,
                    TreatmentColumn = parse.GetValue(treatment)!,
                    Covariates = SplitList(parse.GetValue(covariates)),
                    OutcomeColumn = parse.GetValue(outcome)!,
                    Ratio = parse.GetValue(ratio),
                    Replace = parse.GetValue(replace),
                    Distance = ParseScale(parse.GetValue(distance)!, "--distance"),
                    Caliper = parse.GetValue(caliper),
                    CaliperScale = parse.GetValue(caliperScale) is { } cs ? ParseScale(cs, "--caliper-scale") : null,
                    Exact = SplitList(parse.GetValue(exact)),
                    ReferenceLevels = ParseReferences(parse.GetValue(reference)),
                    Link = parse.GetValue(link) switch
                    {
                        "logit" => LinkFunction.Logit,
                        "probit" => LinkFunction.Probit,
                        var other => throw new ArgumentException($"--link must be logit or probit, not '{other}'"),
                    },
                    Order = parse.GetValue(order) switch
                    {
                        "largest" => MatchOrder.Largest,
                        "smallest" => MatchOrder.Smallest,
                        "random" => MatchOrder.Random,
                        "data" => MatchOrder.Data,
                        var other => throw new ArgumentException($"--order must be largest, smallest, random or data, not '{other}'"),
                    },
                    Seed = parse.GetValue(seed),
                    PreOutcomeColumn = parse.GetValue(preOutcome),
                    EarlierOutcomeColumn = parse.GetValue(earlierOutcome),
                    ClusterColumn = parse.GetValue(cluster),
                    SmdScale = parse.GetValue(smd) switch
                    {
                        "treated" => SmdScale.TreatedSd,
                        "pooled" => SmdScale.PooledSd,
                        var other => throw new ArgumentException($"--smd must be treated or pooled, not '{other}'"),
                    },
                };
                if (spec.Ratio < 1)
                {
                    return FailEvaluate("--ratio must be 1 or more");
                }

                if (spec.CaliperScale is not null && spec.Caliper is null)
                {
                    return FailEvaluate("--caliper-scale needs --caliper (the width in standard deviations)");
                }

                if (spec.EarlierOutcomeColumn is not null && spec.PreOutcomeColumn is null)
                {
                    return FailEvaluate("--earlier-outcome needs --pre-outcome as well");
                }

                var table = EvaluationTable.Load(parse.GetValue(data)!);
                var result = EvaluationRunner.Run(table, spec);
                PrintEvaluation(result);
                WriteOutputs(result, parse.GetValue(json), parse.GetValue(report), null, null);
                return 0;
            }
            catch (Exception ex) when (ex is EvaluationInputException or ArgumentException or IOException or UnauthorizedAccessException)
            {
                return FailEvaluate(ex.Message);
            }
        });

        command.Subcommands.Add(TruthCheckCommand());
        command.Subcommands.Add(StaggeredCommand());
        return command;
    }

    private static Command TruthCheckCommand()
    {
        var command = new Command("truth-check", "Compare the naive before/after change, the matched estimate and the true effect on a synthetic cohort (truth/programme_cohort.csv).");
        var cohort = new Option<string>("--cohort") { Description = "Cohort CSV written by the synthetic borough generator", Required = true };
        var caliper = new Option<double>("--caliper") { Description = "Caliper in SDs of the logit of the score (0 = none)", DefaultValueFactory = _ => TruthCheck.DefaultCaliper };
        var json = new Option<string?>("--json") { Description = "Write the evaluation result as JSON here" };
        var report = new Option<string?>("--report") { Description = "Write an HTML report here" };
        command.Options.Add(cohort);
        command.Options.Add(caliper);
        command.Options.Add(json);
        command.Options.Add(report);
        command.SetAction(parse =>
        {
            try
            {
                var table = EvaluationTable.Load(parse.GetValue(cohort)!);
                var width = parse.GetValue(caliper);
                if (width < 0)
                {
                    return FailEvaluate("--caliper must be 0 (none) or a positive number of standard deviations");
                }

                var result = TruthCheck.Run(table, width > 0 ? width : null);
                var att = result.Evaluation.Att;
                Console.WriteLine("Effect of the programme on offences in the 12 months after the reference date:");
                Console.WriteLine($"  {"Naive before/after change among treated families",-52} {Num(result.NaiveChange),10}");
                Console.WriteLine($"  {"Matched estimate (ATT, " + att.SeDescription + ")",-52} {Num(att.Estimate),10}  95% CI {Num(att.Lower)} to {Num(att.Upper)}");
                Console.WriteLine($"  {"True effect among treated families",-52} {Num(result.TrueEffect),10}");
                Console.WriteLine($"  {"True effect among matched treated families",-52} {Num(result.TrueEffectMatched),10}  {(result.CiCoversTruth ? "inside" : "OUTSIDE")} the matched CI");
                AnsiConsole.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{result.Evaluation.Match.MatchedTreated:N0} of {result.Evaluation.TreatedCount:N0} treated families matched; covariates: {string.Join(", ", result.Covariates)}.")));
                foreach (var note in result.Notes.Concat(result.Evaluation.Warnings))
                {
                    AnsiConsole.MarkupLine("[yellow]note:[/] " + Markup.Escape(note));
                }

                WriteOutputs(result.Evaluation, parse.GetValue(json), parse.GetValue(report), TruthCheck.Preface(result), "Truth check: programme effect on offences");
                return 0;
            }
            catch (Exception ex) when (ex is EvaluationInputException or IOException)
            {
                return FailEvaluate(ex.Message);
            }
        });
        return command;
    }

    private static Command StaggeredCommand()
    {
        var command = new Command("staggered", "Difference-in-differences with staggered entry: group-time effects against not-yet-treated units (Callaway and Sant'Anna), by months since joining.");
        var data = new Option<string>("--data") { Description = "Long CSV: one row per unit and period (balanced panel)", Required = true };
        var id = new Option<string>("--id") { Description = "Unit identifier column", Required = true };
        var period = new Option<string>("--period") { Description = "Period column (whole numbers, e.g. month index)", Required = true };
        var first = new Option<string>("--first-treated") { Description = "Column with the unit's first treated period (blank, NA or 0 = never treated)", Required = true };
        var outcome = new Option<string>("--outcome") { Description = "Outcome column", Required = true };
        var bootstrap = new Option<int>("--bootstrap") { Description = "Bootstrap replicates (units resampled) for standard errors", DefaultValueFactory = _ => 499 };
        var seed = new Option<int>("--seed") { Description = "Bootstrap seed", DefaultValueFactory = _ => 1 };
        var json = new Option<string?>("--json") { Description = "Write the result as JSON here" };
        foreach (var o in new Option[] { data, id, period, first, outcome, bootstrap, seed, json })
        {
            command.Options.Add(o);
        }

        command.SetAction(parse =>
        {
            try
            {
                if (parse.GetValue(bootstrap) < 2)
                {
                    return FailEvaluate("--bootstrap must be at least 2");
                }

                var table = EvaluationTable.Load(parse.GetValue(data)!);
                var r = StaggeredDid.FromTable(table, parse.GetValue(id)!, parse.GetValue(period)!, parse.GetValue(first)!, parse.GetValue(outcome)!, parse.GetValue(bootstrap), parse.GetValue(seed));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{r.Units:N0} units ({r.NeverTreated:N0} never treated); standard errors from {r.BootstrapReplicates} bootstrap replicates."));
                Console.WriteLine("Effect by periods since joining (negative = before joining: should be near 0):");
                foreach (var e in r.EventTime)
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {e.EventTime,4}  {Num(e.Estimate),12}  SE {Num(e.StandardError),10}  95% CI {Num(e.Lower)} to {Num(e.Upper)}  ({e.Cohorts} cohorts)"));
                }

                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Overall effect after joining: {Num(r.Overall)} (SE {Num(r.OverallStandardError)}; 95% CI {Num(r.OverallLower)} to {Num(r.OverallUpper)})"));
                foreach (var note in r.Notes)
                {
                    Console.WriteLine("note: " + note);
                }

                if (parse.GetValue(json) is { } path)
                {
                    File.WriteAllText(path, StaggeredJson(r));
                    Console.WriteLine($"JSON written to {path}");
                }

                return 0;
            }
            catch (Exception ex) when (ex is EvaluationInputException or IOException)
            {
                return FailEvaluate(ex.Message);
            }
        });
        return command;
    }

    private static string StaggeredJson(StaggeredDidResult r)
    {
        var doc = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["units"] = r.Units,
            ["never_treated"] = r.NeverTreated,
            ["bootstrap_replicates"] = r.BootstrapReplicates,
            ["overall"] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["estimate"] = r.Overall, ["se"] = Finite(r.OverallStandardError), ["ci_lower"] = Finite(r.OverallLower), ["ci_upper"] = Finite(r.OverallUpper) },
            ["event_time"] = r.EventTime.Select(e => new Dictionary<string, object?>(StringComparer.Ordinal) { ["event_time"] = e.EventTime, ["estimate"] = e.Estimate, ["se"] = Finite(e.StandardError), ["cohorts"] = e.Cohorts }).ToList(),
            ["group_time"] = r.GroupTime.Select(c => new Dictionary<string, object?>(StringComparer.Ordinal) { ["cohort"] = c.Cohort, ["period"] = c.Period, ["event_time"] = c.EventTime, ["estimate"] = c.Estimate, ["se"] = Finite(c.StandardError), ["treated"] = c.TreatedUnits, ["comparison"] = c.ComparisonUnits }).ToList(),
            ["notes"] = r.Notes,
        };
        return System.Text.Json.JsonSerializer.Serialize(doc, IndentedJson);
    }

    private static readonly System.Text.Json.JsonSerializerOptions IndentedJson = new() { WriteIndented = true };

    private static double? Finite(double v) => double.IsFinite(v) ? v : null;

    private static void WriteOutputs(EvaluationResult result, string? json, string? report, string? preface, string? title)
    {
        if (json is not null)
        {
            File.WriteAllText(json, EvaluationJson.Write(result));
            AnsiConsole.MarkupLine($"JSON written to [green]{Markup.Escape(json)}[/]");
        }

        if (report is not null)
        {
            EvaluationReport.WriteFiles(result, report, preface, title);
            AnsiConsole.MarkupLine($"Report written to [green]{Markup.Escape(report)}[/]");
        }
    }

    private static void PrintEvaluation(EvaluationResult r)
    {
        AnsiConsole.MarkupLine(Markup.Escape(string.Create(
            CultureInfo.InvariantCulture,
            $"{r.Rows:N0} units: {r.TreatedCount:N0} treated, {r.ControlCount:N0} comparison. Propensity model {r.Fit.Status} in {r.Fit.Iterations} iterations.")));
        AnsiConsole.MarkupLine(Markup.Escape(string.Create(
            CultureInfo.InvariantCulture,
            $"Matched: {r.Match.MatchedTreated:N0} treated, {r.Match.MatchedControls:N0} comparison units, {r.Match.Pairs:N0} pairs ({NearestNeighbourMatcher.Describe(r.Match.Options)}).")));
        var effects = new Table().AddColumns("Estimate", "Value", "SE", "95% CI");
        if (r.PrePost is { } pp)
        {
            effects.AddRow("Before/after change among treated", Num(pp.TreatedChange), "—", "—");
        }

        effects.AddRow("Naive treated − untreated", Num(r.NaiveDifference), "—", "—");
        foreach (var e in new[] { r.Att, r.Adjusted }.Concat(r.PrePost is { } p ? [p.MatchedDid] : []))
        {
            effects.AddRow(Markup.Escape($"{e.Name} ({e.SeDescription})"), Num(e.Estimate), Num(e.StandardError), $"{Num(e.Lower)} to {Num(e.Upper)}");
        }

        AnsiConsole.Write(effects);
        var balance = new Table().AddColumns("Term", "SMD before", "SMD after");
        foreach (var row in r.Balance.Rows)
        {
            balance.AddRow(Markup.Escape(row.Term), row.SmdBefore.ToString("F3", CultureInfo.InvariantCulture), row.SmdAfter.ToString("F3", CultureInfo.InvariantCulture));
        }

        AnsiConsole.Write(balance);
        foreach (var w in r.Warnings)
        {
            AnsiConsole.MarkupLine("[yellow]warning:[/] " + Markup.Escape(w));
        }
    }

    private static string Num(double v) => v.ToString("#,0.####", CultureInfo.InvariantCulture);

    private static DistanceScale ParseScale(string text, string option) => text switch
    {
        "ps" => DistanceScale.Score,
        "logit" => DistanceScale.Linear,
        _ => throw new ArgumentException($"{option} must be ps or logit, not '{text}'"),
    };

    private static Dictionary<string, string> ParseReferences(string? text)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in SplitList(text))
        {
            var parts = item.Split('=', 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
            {
                throw new ArgumentException($"--reference expects COLUMN=LEVEL pairs, not '{item}'");
            }

            result[parts[0]] = parts[1];
        }

        return result;
    }

    private static string[] SplitList(string? text) =>
        text is null ? [] : [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    private static int FailEvaluate(string message)
    {
        Console.Error.WriteLine("hearth evaluate: " + message);
        return 1;
    }
}
