using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Hearth.Core.Linkage;
using Spectre.Console;

namespace Hearth.Cli;

public static partial class Commands
{
    /// <summary>
    /// <c>hearth link</c>: probabilistic record linkage (Fellegi–Sunter) of one file (deduplicate) or two (link).
    /// </summary>
    internal static Command Link()
    {
        var left = new Option<FileInfo?>("--left") { Description = "CSV file of records (the only file when deduplicating); without it, links the store" };
        var right = new Option<FileInfo?>("--right") { Description = "Second CSV file: link its records to --left's" };
        var id = new Option<string?>("--id") { Description = "Column holding each record's unique id (with --left)" };
        var config = new Option<FileInfo?>("--config") { Description = "Linkage configuration (YAML); without it Hearth configures itself" };
        var threshold = new Option<double?>("--threshold") { Description = "Match probability at or above which a pair is a match (default 0.9)" };
        var thresholdWeight = new Option<double?>("--threshold-weight") { Description = "Match weight at or above which a pair is a match (overrides --threshold)" };
        var output = new Option<FileInfo?>("--out") { Description = "Write matching pairs to this CSV (with --left)" };
        var clusters = new Option<FileInfo?>("--clusters") { Description = "Write id,cluster_id for every record to this CSV" };
        var labels = new Option<string?>("--labels") { Description = "Column naming each record's true entity, to measure accuracy (FEBRL rec_id values work as they are)" };
        var saveModel = new Option<FileInfo?>("--save-model") { Description = "Save the trained model (JSON)" };
        var model = new Option<FileInfo?>("--model") { Description = "Use a saved model instead of training" };
        var writeConfig = new Option<FileInfo?>("--write-config") { Description = "Write the configuration used (YAML) to this file" };
        var curve = new Option<FileInfo?>("--pr-curve") { Description = "With --labels: write the precision–recall curve to this CSV (and a PNG beside it)" };
        var reviewWeight = new Option<double?>("--review-weight") { Description = "Store: pairs from this match weight up to the automatic threshold go to the review queue (default: threshold − 2)" };
        var truth = new Option<DirectoryInfo?>("--truth") { Description = "Store: the synthetic borough's truth folder, to measure persons, households and families against it" };
        var asOf = new Option<DateOnly?>("--as-of") { Description = "Store: build families on this date (default: the latest event date in the store)" };
        var (database, postgres) = DatabaseOptions();
        var command = new Command("link", "Find records of the same person: link every source record in the store into persons, households and families, or deduplicate one CSV file or link two (Fellegi–Sunter, trained unsupervised)");
        foreach (var o in new Option[] { left, right, id, config, threshold, thresholdWeight, output, clusters, labels, saveModel, model, writeConfig, curve, reviewWeight, truth, asOf, database, postgres })
        {
            command.Options.Add(o);
        }

        command.Subcommands.Add(LinkReview());
        command.SetAction((parse, cancellationToken) =>
        {
            if (parse.GetValue(left) is null)
            {
                if (parse.GetValue(right) is not null || parse.GetValue(id) is not null || parse.GetValue(output) is not null || parse.GetValue(config) is not null
                    || parse.GetValue(model) is not null || parse.GetValue(labels) is not null)
                {
                    return Task.FromResult(FailIntake("hearth link: --right, --id, --out, --config, --model and --labels are for files and need --left"));
                }

                if (!TryDatabase(parse, database, postgres, out var options, out var problem))
                {
                    return Task.FromResult(FailIntake(problem));
                }

                var thresholdValue = parse.GetValue(thresholdWeight) ?? (parse.GetValue(threshold) is { } tp ? FellegiSunter.WeightOf(tp) : (double?)null);
                return RunStoreLinkAsync(options, thresholdValue, parse.GetValue(reviewWeight), parse.GetValue(asOf), parse.GetValue(truth), cancellationToken);
            }

            if (parse.GetValue(id) is null || parse.GetValue(output) is null)
            {
                return Task.FromResult(FailIntake("hearth link: with --left, --id and --out are required"));
            }

            try
            {
                return Task.FromResult(RunLink(new LinkOptions(
                    parse.GetValue(left)!, parse.GetValue(right), parse.GetValue(id)!, parse.GetValue(config), parse.GetValue(threshold),
                    parse.GetValue(thresholdWeight), parse.GetValue(output)!, parse.GetValue(clusters), parse.GetValue(labels),
                    parse.GetValue(saveModel), parse.GetValue(model), parse.GetValue(writeConfig), parse.GetValue(curve))));
            }
            catch (Exception e) when (e is LinkageInputException or IOException or UnauthorizedAccessException)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
                return Task.FromResult(1);
            }
        });
        return command;
    }

    private static readonly string[] LinkStages = ["standardise", "block", "compare", "train", "score"];

    private sealed record LinkOptions(
        FileInfo Left, FileInfo? Right, string Id, FileInfo? Config, double? Threshold, double? ThresholdWeight, FileInfo Out,
        FileInfo? Clusters, string? Labels, FileInfo? SaveModel, FileInfo? Model, FileInfo? WriteConfig, FileInfo? Curve);

    private static int RunLink(LinkOptions o)
    {
        if (o.Threshold is { } p && (p <= 0 || p >= 1))
        {
            AnsiConsole.MarkupLine("[red]error:[/] --threshold is a probability and must be between 0 and 1 (exclusive).");
            return 2;
        }

        var timings = new List<(string Stage, TimeSpan Time)>();
        T Stage<T>(string name, Func<T> work)
        {
            var sw = Stopwatch.StartNew();
            var result = work();
            timings.Add((name, sw.Elapsed));
            return result;
        }

        var leftTable = Stage("read", () => LinkageTable.ReadCsv(o.Left.FullName, o.Id));
        var rightTable = o.Right is null ? null : Stage("read right", () => LinkageTable.ReadCsv(o.Right.FullName, o.Id));
        if (rightTable is null && leftTable.Count < 2)
        {
            throw new LinkageInputException($"{leftTable.Name}: deduplication needs at least two records.");
        }

        var exclude = new List<string>();
        if (o.Labels is not null)
        {
            exclude.Add(o.Labels);
        }

        LinkageSettings settings;
        FieldStore? fields = null;
        var savedModel = o.Model is null ? null : FellegiSunterModel.Load(o.Model.FullName);
        if (o.Config is not null)
        {
            settings = LinkageSettingsYaml.Load(o.Config.FullName);
            AnsiConsole.MarkupLineInterpolated($"Configuration: {o.Config.Name}");
        }
        else if (savedModel?.Settings is { } saved)
        {
            // A saved model carries the configuration it was trained with.
            settings = LinkageSettingsYaml.Parse(saved, o.Model!.Name + " (settings)");
            AnsiConsole.MarkupLineInterpolated($"Configuration: the one saved in {o.Model!.Name}");
        }
        else
        {
            var auto = Stage("configure", () => AutoConfigure.Configure(leftTable, rightTable, exclude));
            settings = auto.Settings;
            fields = auto.Fields;
            var roles = new Table().AddColumns("column", "recognised as", "type", "because");
            foreach (var r in auto.Roles)
            {
                roles.AddRow(Markup.Escape(r.Column), r.Role, r.Type is { } t ? LinkageSettingsYaml.TypeName(t) : "-", Markup.Escape(r.Reason));
            }

            AnsiConsole.WriteLine("Hearth configured itself from the columns (pass --config to override):");
            AnsiConsole.Write(roles);
            foreach (var n in auto.Notes)
            {
                AnsiConsole.MarkupLineInterpolated($"  {n}");
            }

            AnsiConsole.WriteLine();
            Console.Out.WriteLine(LinkageSettingsYaml.Write(settings));
        }

        if (o.WriteConfig is not null)
        {
            File.WriteAllText(o.WriteConfig.FullName, LinkageSettingsYaml.Write(settings));
            AnsiConsole.MarkupLineInterpolated($"Configuration written to {o.WriteConfig.FullName}");
        }

        var thresholdWeight = o.ThresholdWeight
            ?? (o.Threshold is { } tp ? FellegiSunter.WeightOf(tp) : settings.EffectiveThresholdWeight);
        var engine = new LinkageEngine(settings, leftTable, rightTable, fields: fields);
        CandidatePairs pairs = null!;
        FellegiSunterModel fs = null!;
        double[] weights = [];
        void Pipeline(Action<string, double>? report)
        {
            Stage("standardise", () =>
            {
                engine.Prepare();
                report?.Invoke("standardise", 1);
                return 0;
            });
            pairs = Stage("block", engine.GeneratePairs);
            report?.Invoke("block", 1);
            Stage("compare", () =>
            {
                engine.ComparePairs(pairs, report is null ? null : new Progress<double>(f => report("compare", f)));
                report?.Invoke("compare", 1);
                return 0;
            });
            fs = savedModel ?? Stage("train", () => engine.Train(pairs));
            report?.Invoke("train", 1);
            weights = Stage("score", () => engine.Score(fs, pairs));
            report?.Invoke("score", 1);
        }

        if (AnsiConsole.Profile.Capabilities.Interactive && !Console.IsOutputRedirected)
        {
            AnsiConsole.Progress().Start(ctx =>
            {
                var tasks = LinkStages.ToDictionary(n => n, n => ctx.AddTask(n, maxValue: 1));
                Pipeline((stage, fraction) => tasks[stage].Value = Math.Max(tasks[stage].Value, fraction));
            });
        }
        else
        {
            Pipeline(null);
        }

        var blocking = new Table().AddColumns("blocking rule", "pairs (counted before running)", "new pairs");
        foreach (var r in pairs.Rules)
        {
            blocking.AddRow(Markup.Escape(r.Rule), r.PairsBeforeDeduplication.ToString("N0", CultureInfo.InvariantCulture), r.NewPairs.ToString("N0", CultureInfo.InvariantCulture));
        }

        AnsiConsole.Write(blocking);
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"{pairs.Count:N0} candidate pairs of {engine.TotalPairs:N0} possible ({engine.Count:N0} records, {(engine.IsLink ? "link" : "deduplicate")}).");
        if (pairs.Count == 0)
        {
            AnsiConsole.MarkupLine("[yellow]warning:[/] the blocking rules found no candidate pairs, so no model could be trained and nothing matches; check the rules and the columns they use.");
        }

        PrintModel(fs);
        if (o.SaveModel is not null)
        {
            fs.Save(o.SaveModel.FullName);
            AnsiConsole.MarkupLineInterpolated($"Model saved to {o.SaveModel.FullName}");
        }

        PrintDistribution(weights, pairs.Count, thresholdWeight);
        var matched = Stage("write pairs", () => WritePairs(o.Out.FullName, engine, fs, pairs, weights, thresholdWeight));
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture,
            $"{matched:N0} pairs at or above weight {thresholdWeight:F2} (probability {FellegiSunter.ProbabilityOf(thresholdWeight):F4}) written to {o.Out.FullName}");
        ClusterResult? clusterResult = null;
        if (o.Clusters is not null || o.Labels is not null)
        {
            clusterResult = Stage("cluster", () => engine.Cluster(pairs, weights, thresholdWeight));
            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture,
                $"{clusterResult.ClusterCount:N0} clusters; {clusterResult.Cuts.Count:N0} links cut because strong identifiers conflict.");
            if (o.Clusters is not null)
            {
                WriteClusters(o.Clusters.FullName, engine, clusterResult);
            }
        }

        if (o.Labels is not null)
        {
            var labels = Labels(o.Labels, o.Id, leftTable, rightTable);
            var evaluation = new LinkageEvaluation(labels, engine.LeftCount, engine.IsLink);
            var curve = evaluation.Curve(pairs, weights);
            var best = LinkageEvaluation.Best(curve);
            var at = evaluation.At(pairs, weights, thresholdWeight);
            var table = new Table().AddColumns("threshold", "weight", "probability", "precision", "recall", "F1", "TP", "FP", "FN");
            void Row(string name, ThresholdMetrics m) => table.AddRow(
                name, F(m.ThresholdWeight, "F2"), F(m.ThresholdProbability, "F4"), F(m.Precision, "F4"), F(m.Recall, "F4"), F(m.F1, "F4"),
                m.TruePositives.ToString(CultureInfo.InvariantCulture), m.FalsePositives.ToString(CultureInfo.InvariantCulture), m.FalseNegatives.ToString(CultureInfo.InvariantCulture));
            Row("chosen", at);
            Row("best F1", best);
            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"Accuracy against '{o.Labels}': {evaluation.TruePairs:N0} true pairs.");
            AnsiConsole.Write(table);
            if (clusterResult is not null)
            {
                var cm = evaluation.Clusters(clusterResult);
                AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture,
                    $"Clusters: pairwise precision {cm.Pairwise.Precision:F4}, recall {cm.Pairwise.Recall:F4}, F1 {cm.Pairwise.F1:F4}; {cm.EntitiesExactlyRecovered:N0} of {cm.TrueEntities:N0} entities recovered exactly ({cm.ExactEntityRate:P2}).");
            }

            if (o.Curve is not null)
            {
                var sb = new StringBuilder("match_weight,match_probability,precision,recall,f1,true_positives,false_positives\n");
                foreach (var m in curve)
                {
                    sb.Append(CultureInfo.InvariantCulture, $"{m.ThresholdWeight:R},{m.ThresholdProbability:R},{m.Precision:R},{m.Recall:R},{m.F1:R},{m.TruePositives},{m.FalsePositives}\n");
                }

                File.WriteAllText(o.Curve.FullName, sb.ToString());
                var png = Path.ChangeExtension(o.Curve.FullName, ".png");
                LinkageEvaluation.SaveCurvePng(curve, png);
                AnsiConsole.MarkupLineInterpolated($"Precision–recall curve written to {o.Curve.FullName} and {png}");
            }
        }

        var times = new Table().AddColumns("stage", "seconds");
        foreach (var (stage, time) in timings)
        {
            times.AddRow(stage, time.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture));
        }

        AnsiConsole.Write(times);
        return 0;
    }

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    private static void PrintModel(FellegiSunterModel model)
    {
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture,
            $"Model: prior λ = {model.Prior:G4} (weight {model.PriorWeight:F2}); EM {model.Iterations} iterations, {(model.Converged ? "converged" : "did not converge")}; {model.ExpectedMatches:N0} expected matches among candidates.");
        var table = new Table().AddColumns("comparison", "level", "m", "u", "weight log2(m/u)");
        foreach (var c in model.Comparisons)
        {
            var first = true;
            foreach (var l in c.Levels)
            {
                table.AddRow(first ? Markup.Escape(c.Name) : string.Empty, Markup.Escape(l.Label), F(l.M, "G4"), F(l.U, "G4"), F(l.Weight, "F2"));
                first = false;
            }
        }

        AnsiConsole.Write(table);
    }

    private static void PrintDistribution(double[] weights, int count, double threshold)
    {
        if (count == 0)
        {
            return;
        }

        var min = Math.Floor(weights.Take(count).Min() / 5) * 5;
        var max = Math.Ceiling(weights.Take(count).Max() / 5) * 5;
        var bins = Math.Max(1, (int)((max - min) / 5));
        var hist = new long[bins + 1];
        for (var i = 0; i < count; i++)
        {
            hist[Math.Min(bins, (int)((weights[i] - min) / 5))]++;
        }

        var chart = new BarChart().Label($"Match weight distribution of candidate pairs (threshold {threshold.ToString("F2", CultureInfo.InvariantCulture)})").Width(70);
        for (var b = 0; b < bins; b++)
        {
            var lo = min + (b * 5);
            chart.AddItem(string.Create(CultureInfo.InvariantCulture, $"{lo,4:F0} to {lo + 5,3:F0}"), hist[b] + (b == bins - 1 ? hist[bins] : 0), lo + 5 <= threshold ? Color.Grey : Color.Green);
        }

        AnsiConsole.Write(chart);
    }

    private static string Csv(string value) =>
        value.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;

    private static long WritePairs(string path, LinkageEngine engine, FellegiSunterModel model, CandidatePairs pairs, double[] weights, double threshold)
    {
        var selected = new List<int>();
        for (var i = 0; i < pairs.Count; i++)
        {
            if (weights[i] >= threshold)
            {
                selected.Add(i);
            }
        }

        selected.Sort((x, y) =>
        {
            var c = weights[y].CompareTo(weights[x]);
            if (c == 0)
            {
                c = pairs.Left[x].CompareTo(pairs.Left[y]);
            }

            return c != 0 ? c : pairs.Right[x].CompareTo(pairs.Right[y]);
        });
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
        var header = new StringBuilder("left_id,right_id,match_probability,match_weight,prior_weight");
        foreach (var c in engine.Comparisons)
        {
            var n = c.Settings.Name;
            header.Append(CultureInfo.InvariantCulture, $",{Csv(n + "_level")},{Csv(n + "_weight")},{Csv(n + "_tf_adjustment")}");
        }

        writer.WriteLine(header.ToString());
        var line = new StringBuilder();
        foreach (var i in selected)
        {
            var e = engine.Explain(model, pairs.Left[i], pairs.Right[i]);
            line.Clear();
            line.Append(CultureInfo.InvariantCulture, $"{Csv(e.LeftId)},{Csv(e.RightId)},{e.MatchProbability:G6},{e.MatchWeight:F4},{e.PriorWeight:F4}");
            foreach (var t in e.Terms)
            {
                line.Append(CultureInfo.InvariantCulture, $",{Csv(t.LevelLabel)},{t.PartialWeight:F4},{t.TermFrequencyAdjustment:F4}");
            }

            writer.WriteLine(line.ToString());
        }

        return selected.Count;
    }

    private static void WriteClusters(string path, LinkageEngine engine, ClusterResult clusters)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
        writer.WriteLine(engine.IsLink ? "id,cluster_id,source" : "id,cluster_id");
        for (var i = 0; i < engine.Count; i++)
        {
            var cluster = engine.RecordId(clusters.Representative[i]);
            writer.WriteLine(engine.IsLink
                ? $"{Csv(engine.RecordId(i))},{Csv(cluster)},{engine.Source(i)}"
                : $"{Csv(engine.RecordId(i))},{Csv(cluster)}");
        }
    }

    private static string?[] Labels(string column, string idColumn, LinkageTable left, LinkageTable? right)
    {
        string?[] Of(LinkageTable t) => column == idColumn ? t.Ids : t.Column(column);
        return right is null ? Of(left) : [.. Of(left), .. Of(right)];
    }
}
