using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Hearth.Core.Linkage;

/// <summary>
/// Reads and writes <see cref="LinkageSettings"/> as YAML. Every problem in a file is reported with the
/// file name, the line and the reason, e.g. "link.yaml, line 12: 'jaro_winkler 1.5' is not a comparison level".
/// </summary>
public static class LinkageSettingsYaml
{
    private static readonly Dictionary<string, ColumnType> TypeNames = new(StringComparer.Ordinal)
    {
        ["name"] = ColumnType.Name,
        ["text"] = ColumnType.Text,
        ["date"] = ColumnType.Date,
        ["postcode"] = ColumnType.Postcode,
        ["identifier"] = ColumnType.Identifier,
        ["nhs_number"] = ColumnType.NhsNumber,
        ["nino"] = ColumnType.Nino,
        ["category"] = ColumnType.Category,
    };

    /// <summary>The configuration-file word for a column type.</summary>
    public static string TypeName(ColumnType type) => TypeNames.First(p => p.Value == type).Key;

    public static LinkageSettings Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new LinkageInputException($"{path}: configuration file not found.");
        }

        return Parse(File.ReadAllText(path), Path.GetFileName(path));
    }

    public static LinkageSettings Parse(string yaml, string fileName)
    {
        var stream = new YamlStream();
        var parser = new Parser(new StringReader(yaml));
        try
        {
            stream.Load(parser);
        }
        catch (YamlException e)
        {
            throw new LinkageInputException($"{fileName}, line {e.Start.Line}: not valid YAML: {e.InnerException?.Message ?? e.Message}");
        }
        catch (InvalidOperationException)
        {
            // The YAML scanner gives up without a position on some malformed input; the last event it read is
            // the best place to point at.
            var line = parser.Current?.End.Line ?? 1;
            throw new LinkageInputException($"{fileName}, line {line}: not valid YAML near here (check brackets, quotes and indentation).");
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new LinkageInputException($"{fileName}, line 1: the configuration must be a mapping with columns, comparisons and blocking.");
        }

        LinkageInputException Error(YamlNode node, string reason) => new($"{fileName}, line {node.Start.Line}: {reason}");

        string Scalar(YamlNode node, string what) =>
            node is YamlScalarNode { Value: { } v } ? v : throw Error(node, $"{what} must be a single value.");

        double Number(YamlNode node, string what, double min, double max)
        {
            var s = Scalar(node, what);
            return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d >= min && d <= max
                ? d
                : throw Error(node, $"{what} must be a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}, not '{s}'.");
        }

        bool Bool(YamlNode node, string what) => Scalar(node, what) switch
        {
            "true" or "yes" => true,
            "false" or "no" => false,
            var s => throw Error(node, $"{what} must be true or false, not '{s}'."),
        };

        List<YamlNode> Sequence(YamlNode node, string what) =>
            node is YamlSequenceNode seq ? [.. seq.Children] : throw Error(node, $"{what} must be a list.");

        YamlMappingNode Mapping(YamlNode node, string what) =>
            node as YamlMappingNode ?? throw Error(node, $"{what} must be a mapping of keys to values.");

        var known = new HashSet<string>(StringComparer.Ordinal) { "columns", "comparisons", "blocking", "must_not_conflict", "training", "threshold" };
        foreach (var key in root.Children.Keys)
        {
            var k = Scalar(key, "a key");
            if (!known.Contains(k))
            {
                throw Error(key, $"unknown section '{k}'; expected one of {string.Join(", ", known)}.");
            }
        }

        YamlNode Required(YamlMappingNode map, string key, YamlNode where) =>
            map.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v : throw Error(where, $"'{key}' is missing.");

        YamlNode? Optional(YamlMappingNode map, string key) =>
            map.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v : null;

        var columns = new Dictionary<string, ColumnType>(StringComparer.Ordinal);
        foreach (var (k, v) in Mapping(Required(root, "columns", root), "columns").Children)
        {
            var type = Scalar(v, "a column type");
            columns[Scalar(k, "a column name")] = TypeNames.TryGetValue(type, out var t)
                ? t
                : throw Error(v, $"'{type}' is not a column type; use one of {string.Join(", ", TypeNames.Keys)}.");
        }

        void CheckField(YamlNode node, string text)
        {
            var f = FieldRef.Parse(text);
            if (!columns.ContainsKey(f.Column))
            {
                throw Error(node, $"'{f.Column}' is not listed under columns.");
            }

            foreach (var t in f.Transform?.Split(':') ?? [])
            {
                if (!FieldRef.Transforms.Contains(t))
                {
                    throw Error(node, $"'{t}' is not a field transform; use one of {string.Join(", ", FieldRef.Transforms)}.");
                }
            }
        }

        var comparisons = new List<ComparisonSettings>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in Sequence(Required(root, "comparisons", root), "comparisons"))
        {
            var map = Mapping(item, "a comparison");
            foreach (var key in map.Children.Keys)
            {
                var k = Scalar(key, "a key");
                if (k is not ("name" or "field" or "levels" or "term_frequency" or "fixed_m" or "fixed_u"))
                {
                    throw Error(key, $"unknown comparison setting '{k}'; expected name, field, levels, term_frequency, fixed_m or fixed_u.");
                }
            }

            var fieldNode = Required(map, "field", item);
            var field = Scalar(fieldNode, "field");
            CheckField(fieldNode, field);
            var name = Optional(map, "name") is { } n ? Scalar(n, "name") : field;
            if (!names.Add(name))
            {
                throw Error(item, $"comparison '{name}' appears twice.");
            }

            var levels = new List<LevelSpec>();
            foreach (var levelNode in Sequence(Required(map, "levels", item), "levels"))
            {
                var level = LevelSpec.Parse(Scalar(levelNode, "a level"), out var error);
                if (error is not null)
                {
                    throw Error(levelNode, error);
                }

                levels.Add(level);
            }

            if (levels.Count == 0)
            {
                throw Error(item, $"comparison '{name}' needs at least one level.");
            }

            IReadOnlyList<double>? Fixed(string key)
            {
                if (Optional(map, key) is not { } node)
                {
                    return null;
                }

                var values = Sequence(node, key).Select(v => Number(v, key, 1e-12, 1)).ToList();
                return values.Count == levels.Count + 1
                    ? values
                    : throw Error(node, $"{key} needs {levels.Count + 1} probabilities (one per level and one for 'else'), not {values.Count}.");
            }

            comparisons.Add(new ComparisonSettings
            {
                Name = name,
                Field = field,
                Levels = levels,
                TermFrequency = Optional(map, "term_frequency") is { } tf && Bool(tf, "term_frequency"),
                FixedM = Fixed("fixed_m"),
                FixedU = Fixed("fixed_u"),
            });
        }

        if (comparisons.Count == 0)
        {
            throw Error(root, "at least one comparison is needed.");
        }

        var blocking = new List<IReadOnlyList<string>>();
        foreach (var rule in Sequence(Required(root, "blocking", root), "blocking"))
        {
            var keys = rule is YamlScalarNode ? [rule] : Sequence(rule, "a blocking rule");
            var list = new List<string>();
            foreach (var key in keys)
            {
                var text = Scalar(key, "a blocking key");
                CheckField(key, text);
                list.Add(text);
            }

            if (list.Count == 0)
            {
                throw Error(rule, "a blocking rule needs at least one key.");
            }

            blocking.Add(list);
        }

        if (blocking.Count == 0)
        {
            throw Error(root, "at least one blocking rule is needed.");
        }

        var guard = new List<string>();
        if (Optional(root, "must_not_conflict") is { } g)
        {
            foreach (var node in Sequence(g, "must_not_conflict"))
            {
                var text = Scalar(node, "a field");
                CheckField(node, text);
                guard.Add(text);
            }
        }

        var training = new TrainingSettings();
        if (Optional(root, "training") is { } tn)
        {
            var tm = Mapping(tn, "training");
            foreach (var key in tm.Children.Keys)
            {
                var k = Scalar(key, "a key");
                if (k is not ("seed" or "u_sample_pairs" or "max_iterations" or "tolerance" or "prior"))
                {
                    throw Error(key, $"unknown training setting '{k}'; expected seed, u_sample_pairs, max_iterations, tolerance or prior.");
                }
            }

            training = new TrainingSettings
            {
                Seed = Optional(tm, "seed") is { } s ? (int)Number(s, "seed", int.MinValue, int.MaxValue) : training.Seed,
                USamplePairs = Optional(tm, "u_sample_pairs") is { } u ? (int)Number(u, "u_sample_pairs", 1000, 100_000_000) : training.USamplePairs,
                MaxIterations = Optional(tm, "max_iterations") is { } mi ? (int)Number(mi, "max_iterations", 1, 100_000) : training.MaxIterations,
                Tolerance = Optional(tm, "tolerance") is { } to ? Number(to, "tolerance", 1e-15, 0.1) : training.Tolerance,
                Prior = Optional(tm, "prior") is { } p ? Number(p, "prior", 1e-15, 0.999999) : null,
            };
        }

        double probability = 0.9;
        double? weight = null;
        if (Optional(root, "threshold") is { } th)
        {
            var tm = Mapping(th, "threshold");
            foreach (var key in tm.Children.Keys)
            {
                var k = Scalar(key, "a key");
                if (k is not ("probability" or "weight"))
                {
                    throw Error(key, $"unknown threshold setting '{k}'; expected probability or weight.");
                }
            }

            if (Optional(tm, "probability") is { } p)
            {
                probability = Number(p, "threshold probability", 1e-9, 1 - 1e-9);
            }

            if (Optional(tm, "weight") is { } w)
            {
                weight = Number(w, "threshold weight", -100, 100);
            }
        }

        return new LinkageSettings
        {
            Columns = columns,
            Comparisons = comparisons,
            Blocking = blocking,
            MustNotConflict = guard,
            Training = training,
            ThresholdProbability = probability,
            ThresholdWeight = weight,
        };
    }

    /// <summary>The settings as YAML that <see cref="Parse"/> reads back unchanged.</summary>
    public static string Write(LinkageSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        static YamlSequenceNode Flow(IEnumerable<string> items)
        {
            var seq = new YamlSequenceNode(items.Select(i => new YamlScalarNode(i)));
            seq.Style = YamlDotNet.Core.Events.SequenceStyle.Flow;
            return seq;
        }

        static string Num(double d) => d.ToString("R", CultureInfo.InvariantCulture);

        var columns = new YamlMappingNode();
        foreach (var (c, t) in settings.Columns)
        {
            columns.Add(c, TypeName(t));
        }

        var comparisons = new YamlSequenceNode();
        foreach (var c in settings.Comparisons)
        {
            var map = new YamlMappingNode
            {
                { "name", c.Name },
                { "field", c.Field },
                { "levels", Flow(c.Levels.Select(l => l.ToString())) },
            };
            if (c.TermFrequency)
            {
                map.Add("term_frequency", "true");
            }

            if (c.FixedM is not null)
            {
                map.Add("fixed_m", Flow(c.FixedM.Select(Num)));
            }

            if (c.FixedU is not null)
            {
                map.Add("fixed_u", Flow(c.FixedU.Select(Num)));
            }

            comparisons.Add(map);
        }

        var blocking = new YamlSequenceNode(settings.Blocking.Select(r => (YamlNode)Flow(r)));
        var training = new YamlMappingNode
        {
            { "seed", settings.Training.Seed.ToString(CultureInfo.InvariantCulture) },
            { "u_sample_pairs", settings.Training.USamplePairs.ToString(CultureInfo.InvariantCulture) },
            { "max_iterations", settings.Training.MaxIterations.ToString(CultureInfo.InvariantCulture) },
            { "tolerance", Num(settings.Training.Tolerance) },
        };
        if (settings.Training.Prior is { } prior)
        {
            training.Add("prior", Num(prior));
        }

        var threshold = new YamlMappingNode { { "probability", Num(settings.ThresholdProbability) } };
        if (settings.ThresholdWeight is { } w)
        {
            threshold.Add("weight", Num(w));
        }

        var root = new YamlMappingNode
        {
            { "columns", columns },
            { "comparisons", comparisons },
            { "blocking", blocking },
            { "must_not_conflict", Flow(settings.MustNotConflict) },
            { "training", training },
            { "threshold", threshold },
        };
        var stream = new YamlStream(new YamlDocument(root));
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        writer.WriteLine("# Hearth record linkage configuration. Edit and pass back with --config.");
        writer.WriteLine("# Column types: name, text, date, postcode, identifier, nhs_number, nino, category.");
        writer.WriteLine("# Levels are tried in order; a pair meeting none is at 'else'. Missing values carry no weight.");
        stream.Save(writer, assignAnchors: false);
        var text = writer.ToString();
        return text.EndsWith("...\n", StringComparison.Ordinal) ? text[..^4] : text;
    }
}
