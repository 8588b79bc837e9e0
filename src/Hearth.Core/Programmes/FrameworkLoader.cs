using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using YamlDotNet.RepresentationModel;

namespace Hearth.Core.Programmes;

/// <summary>
/// Reads and validates a rules file. Any problem — a missing key, an unknown key, an expression that refers to an
/// unknown event type, field, parameter, window, need or measure — is a <see cref="RulesFileException"/> naming the
/// file, the line and the reason. Nothing is half-loaded.
/// </summary>
public static class FrameworkLoader
{
    private static readonly string[] TopKeys = ["id", "scheme", "version", "title", "effective", "sources", "notes", "parameters", "headlines", "measures", "identification", "results", "payments"];
    private static readonly string[] NeedKeys = ["id", "title", "applies_to", "age", "eligibility", "success", "sustain_months", "source", "confidence", "note"];
    private static readonly string[] MeasureKeys = ["id", "title", "applies_to", "quantifier", "age", "condition", "source", "confidence", "note"];
    private static readonly string[] ResultKeys = ["id", "title", "rule", "amount", "total_including_attachment", "turns_around", "source", "note"];
    private static readonly string[] ParamKeys = ["value", "confidence", "source", "note"];

    public static Framework LoadFile(string path) => Load(File.ReadAllText(path), Path.GetFileName(path));

    public static Framework Load(string yaml, string fileName)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlDotNet.Core.YamlException ex)
        {
            throw new RulesFileException(fileName, (int)ex.Start.Line, "not valid YAML: " + ex.Message);
        }

        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new RulesFileException(fileName, 1, "a rules file is one YAML mapping (scheme, version, effective, parameters, headlines, identification, results)");
        }

        var r = new Reader(fileName);
        r.OnlyKeys(root, TopKeys, "the top level");
        var id = r.Str(root, "id");
        var scheme = r.Str(root, "scheme");
        var version = r.Str(root, "version");
        var title = r.Str(root, "title");
        var effNode = r.Map(root, "effective");
        var from = r.Date(effNode, "from");
        var to = r.Date(effNode, "to");
        if (to < from)
        {
            throw new RulesFileException(fileName, Line(effNode), "effective.to is before effective.from");
        }

        var parameters = new Dictionary<string, RuleParameter>(StringComparer.Ordinal);
        if (r.OptMap(root, "parameters") is { } pmap)
        {
            foreach (var (k, v) in pmap.Children)
            {
                var name = ((YamlScalarNode)k).Value!;
                parameters[name] = r.Parameter(name, v);
            }
        }

        // First pass: the names every expression may refer to.
        var headlineNodes = r.Seq(root, "headlines");
        var needIds = new HashSet<string>(StringComparer.Ordinal);
        var headlineIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var h in headlineNodes.Children)
        {
            var hm = r.AsMap(h, "a headline");
            if (!headlineIds.Add(r.Str(hm, "id")))
            {
                throw new RulesFileException(fileName, Line(hm), $"headline id '{r.Str(hm, "id")}' is used twice");
            }

            foreach (var n in r.Seq(hm, "needs").Children)
            {
                var nm = r.AsMap(n, "a need");
                if (!needIds.Add(r.Str(nm, "id")))
                {
                    throw new RulesFileException(fileName, Line(nm), $"need id '{r.Str(nm, "id")}' is used twice");
                }
            }
        }

        var measureNodes = r.OptSeq(root, "measures");
        var measureIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var m in measureNodes?.Children ?? [])
        {
            var mm = r.AsMap(m, "a measure");
            if (!measureIds.Add(r.Str(mm, "id")))
            {
                throw new RulesFileException(fileName, Line(mm), $"measure id '{r.Str(mm, "id")}' is used twice");
            }
        }

        var family = new ParseScope { Parameters = parameters };
        var member = new ParseScope { Parameters = parameters, MemberRefs = true };
        var programme = new ParseScope { Parameters = parameters, ProgrammeRefs = true, Needs = needIds, Headlines = headlineIds, Measures = measureIds };

        var headlines = new List<HeadlineDefinition>();
        foreach (var h in headlineNodes.Children)
        {
            var hm = (YamlMappingNode)h;
            r.OnlyKeys(hm, ["id", "title", "needs", "source", "note"], "a headline");
            var hid = r.Str(hm, "id");
            var needs = new List<NeedDefinition>();
            foreach (var n in r.Seq(hm, "needs").Children)
            {
                var nm = (YamlMappingNode)n;
                r.OnlyKeys(nm, NeedKeys, "a need");
                var applies = r.Applies(nm);
                var scope = applies == AppliesTo.Family ? family : member;
                var (ageMin, ageMax) = r.Age(nm);
                var successNode = Reader.OptNode(nm, "success");
                var sustain = Reader.OptNode(nm, "sustain_months") is { } sn ? r.WholeNumber(sn, parameters) : (int?)null;
                needs.Add(new NeedDefinition
                {
                    Id = r.Str(nm, "id"),
                    Title = r.Str(nm, "title"),
                    HeadlineId = hid,
                    AppliesTo = applies,
                    AgeMin = ageMin,
                    AgeMax = ageMax,
                    Eligibility = r.Condition(r.Node(nm, "eligibility"), scope),
                    EligibilityText = r.ConditionText(r.Node(nm, "eligibility")),
                    Success = successNode is null ? null : r.Condition(successNode, scope),
                    SuccessText = successNode is null ? null : r.ConditionText(successNode),
                    SustainMonths = sustain,
                    Source = r.OptStr(nm, "source"),
                    Confidence = r.OptStr(nm, "confidence") ?? "M",
                    Line = Line(nm),
                });
            }

            headlines.Add(new HeadlineDefinition(hid, r.Str(hm, "title"), needs));
        }

        var measures = new List<MeasureDefinition>();
        foreach (var m in measureNodes?.Children ?? [])
        {
            var mm = (YamlMappingNode)m;
            r.OnlyKeys(mm, MeasureKeys, "a measure");
            var applies = r.Applies(mm);
            var (ageMin, ageMax) = r.Age(mm);
            var quantifier = r.OptStr(mm, "quantifier") ?? "each";
            if (quantifier is not ("each" or "any"))
            {
                throw new RulesFileException(fileName, Line(mm), $"quantifier must be 'each' or 'any', not '{quantifier}'");
            }

            measures.Add(new MeasureDefinition
            {
                Id = r.Str(mm, "id"),
                Title = r.Str(mm, "title"),
                AppliesTo = applies,
                Each = quantifier == "each",
                AgeMin = ageMin,
                AgeMax = ageMax,
                Condition = r.Condition(r.Node(mm, "condition"), applies == AppliesTo.Family ? family : member),
                ConditionText = r.ConditionText(r.Node(mm, "condition")),
                Source = r.OptStr(mm, "source"),
                Confidence = r.OptStr(mm, "confidence") ?? "M",
            });
        }

        var identNode = r.Node(root, "identification");
        var results = new List<ResultDefinition>();
        foreach (var res in r.Seq(root, "results").Children)
        {
            var rm = r.AsMap(res, "a result");
            r.OnlyKeys(rm, ResultKeys, "a result");
            var amount = Reader.OptNode(rm, "amount") is { } a ? r.MoneyValue(a, parameters) : (Money?)null;
            var total = Reader.OptNode(rm, "total_including_attachment") is { } t ? r.MoneyValue(t, parameters) : (Money?)null;
            if ((amount is null) == (total is null))
            {
                throw new RulesFileException(fileName, Line(rm), "a result needs exactly one of 'amount' or 'total_including_attachment'");
            }

            results.Add(new ResultDefinition
            {
                Id = r.Str(rm, "id"),
                Title = r.Str(rm, "title"),
                Rule = r.Condition(r.Node(rm, "rule"), programme),
                RuleText = r.ConditionText(r.Node(rm, "rule")),
                Amount = amount,
                TotalIncludingAttachment = total,
                TurnsAround = r.OptStr(rm, "turns_around") is not "false",
                Source = r.OptStr(rm, "source"),
            });
        }

        var fees = new List<AttachmentFee>();
        Money? cap = null;
        (long, long)? funded = null;
        var discretionary = false;
        if (r.OptMap(root, "payments") is { } pay)
        {
            r.OnlyKeys(pay, ["attachment_fees", "cap_per_family", "funded_share", "discretionary_claims"], "payments");
            foreach (var f in r.OptSeq(pay, "attachment_fees")?.Children ?? [])
            {
                var fm = r.AsMap(f, "an attachment fee");
                r.OnlyKeys(fm, ["attached_from", "attached_to", "amount", "source"], "an attachment fee");
                fees.Add(new AttachmentFee(new DatePeriod(r.Date(fm, "attached_from"), r.Date(fm, "attached_to")), r.MoneyValue(r.Node(fm, "amount"), parameters)));
            }

            cap = Reader.OptNode(pay, "cap_per_family") is { } c ? r.MoneyValue(c, parameters) : null;
            funded = Reader.OptNode(pay, "funded_share") is { } fs ? r.Ratio(fs, parameters) : null;
            discretionary = Reader.OptNode(pay, "discretionary_claims") is { } dc && r.FlagValue(dc, parameters);
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(yaml)));
        return new Framework
        {
            Id = id,
            Scheme = scheme,
            Version = version,
            Title = title,
            Effective = new DatePeriod(from, to),
            FileName = fileName,
            ContentHash = hash,
            Parameters = parameters,
            Headlines = headlines,
            Measures = measures,
            Results = results,
            Identification = r.Condition(identNode, programme),
            IdentificationText = r.ConditionText(identNode),
            AttachmentFees = fees,
            CapPerFamily = cap,
            FundedShareRatio = funded,
            DiscretionaryClaims = discretionary,
        };
    }

    private static int Line(YamlNode node) => (int)node.Start.Line;

    /// <summary>Reads nodes with file and line in every error.</summary>
    private sealed class Reader(string fileName)
    {
        public RulesFileException Error(YamlNode node, string reason) => new(fileName, Line(node), reason);

        public void OnlyKeys(YamlMappingNode map, string[] allowed, string where)
        {
            foreach (var k in map.Children.Keys)
            {
                var key = ((YamlScalarNode)k).Value!;
                if (!allowed.Contains(key, StringComparer.Ordinal))
                {
                    throw Error(k, $"unknown key '{key}' in {where} (allowed: {string.Join(", ", allowed)})");
                }
            }
        }

        public YamlNode Node(YamlMappingNode map, string key) =>
            OptNode(map, key) ?? throw Error(map, $"'{key}' is missing");

        public static YamlNode? OptNode(YamlMappingNode map, string key) =>
            map.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v : null;

        public string Str(YamlMappingNode map, string key) =>
            OptStr(map, key) is { Length: > 0 } s ? s : throw Error(map, $"'{key}' is missing or empty");

        public string? OptStr(YamlMappingNode map, string key) => OptNode(map, key) switch
        {
            null => null,
            YamlScalarNode s => s.Value,
            var other => throw Error(other, $"'{key}' must be a single value"),
        };

        public YamlMappingNode AsMap(YamlNode node, string what) =>
            node as YamlMappingNode ?? throw Error(node, $"{what} must be a mapping of keys");

        public YamlMappingNode Map(YamlMappingNode map, string key) => AsMap(Node(map, key), $"'{key}'");

        public YamlMappingNode? OptMap(YamlMappingNode map, string key) => OptNode(map, key) is { } n ? AsMap(n, $"'{key}'") : null;

        public YamlSequenceNode Seq(YamlMappingNode map, string key) =>
            Node(map, key) as YamlSequenceNode ?? throw Error(Node(map, key), $"'{key}' must be a list");

        public YamlSequenceNode? OptSeq(YamlMappingNode map, string key) =>
            OptNode(map, key) is { } n ? n as YamlSequenceNode ?? throw Error(n, $"'{key}' must be a list") : null;

        public DateOnly Date(YamlMappingNode map, string key)
        {
            var s = Str(map, key);
            return DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
                ? d
                : throw Error(Node(map, key), $"'{key}' must be a date like 2022-10-03, not '{s}'");
        }

        public AppliesTo Applies(YamlMappingNode map) => (OptStr(map, "applies_to") ?? "family") switch
        {
            "family" => AppliesTo.Family,
            "child" => AppliesTo.Child,
            "adult" => AppliesTo.Adult,
            "member" => AppliesTo.Member,
            var other => throw Error(Node(map, "applies_to"), $"applies_to must be family, child, adult or member, not '{other}'"),
        };

        public (int? Min, int? Max) Age(YamlMappingNode map)
        {
            if (OptMap(map, "age") is not { } age)
            {
                return (null, null);
            }

            OnlyKeys(age, ["min", "max"], "age");
            int? min = OptNode(age, "min") is YamlScalarNode a ? int.Parse(a.Value!, CultureInfo.InvariantCulture) : null;
            int? max = OptNode(age, "max") is YamlScalarNode b ? int.Parse(b.Value!, CultureInfo.InvariantCulture) : null;
            return (min, max);
        }

        public RuleParameter Parameter(string name, YamlNode node)
        {
            var map = AsMap(node, $"parameter '{name}'");
            OnlyKeys(map, ParamKeys, $"parameter '{name}'");
            var confidence = OptStr(map, "confidence") ?? throw Error(map, $"parameter '{name}' needs a confidence (H, M or L) from the research");
            if (confidence is not ("H" or "M" or "L" or "M-H" or "L-M"))
            {
                throw Error(map, $"confidence must be H, M, M-H, L-M or L, not '{confidence}'");
            }

            var source = OptStr(map, "source");
            var note = OptStr(map, "note");
            var value = Node(map, "value");
            if (value is YamlSequenceNode list)
            {
                return new RuleParameter(name, string.Join(", ", list.Children.Select(c => ((YamlScalarNode)c).Value)), null, false, null, [.. list.Children.Select(c => ((YamlScalarNode)c).Value!)], confidence, source, note);
            }

            var text = ((YamlScalarNode)value).Value!.Trim();
            if (text is "true" or "false")
            {
                return new RuleParameter(name, text, null, false, text == "true", null, confidence, source, note);
            }

            if (text.StartsWith('£'))
            {
                var pounds = ParseNumber(value, text[1..].Replace(",", string.Empty, StringComparison.Ordinal));
                return new RuleParameter(name, text, pounds, false, null, null, confidence, source, note) { Money = Money.FromPounds(pounds) };
            }

            if (text.EndsWith('%'))
            {
                return new RuleParameter(name, text, ParseNumber(value, text[..^1]) / 100m, true, null, null, confidence, source, note);
            }

            if (text.Split('/') is [var num, var den])
            {
                var d = ParseNumber(value, den);
                return d == 0 ? throw Error(value, "a fraction cannot divide by zero") : new RuleParameter(name, text, ParseNumber(value, num) / d, false, null, null, confidence, source, note);
            }

            return new RuleParameter(name, text, ParseNumber(value, text), false, null, null, confidence, source, note);
        }

        private decimal ParseNumber(YamlNode node, string text) =>
            decimal.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var d)
                ? d
                : throw Error(node, $"'{text}' is not a number, percentage (15%), fraction (5/6), money (£800), true/false or list");

        private RuleParameter Lookup(YamlScalarNode s, IReadOnlyDictionary<string, RuleParameter> parameters) =>
            parameters.TryGetValue(s.Value![1..], out var p) ? p : throw Error(s, $"unknown parameter {s.Value}");

        public Money MoneyValue(YamlNode node, IReadOnlyDictionary<string, RuleParameter> parameters)
        {
            var s = node as YamlScalarNode ?? throw Error(node, "an amount is one value like £800 or $parameter");
            if (s.Value!.StartsWith('$'))
            {
                return Lookup(s, parameters).Money ?? throw Error(s, $"parameter {s.Value} is not money (write it as £800)");
            }

            return s.Value.StartsWith('£')
                ? Money.FromPounds(ParseNumber(s, s.Value[1..].Replace(",", string.Empty, StringComparison.Ordinal)))
                : throw Error(s, $"'{s.Value}' is not money: write £800 or £3,200");
        }

        public decimal NumberValue(YamlNode node, IReadOnlyDictionary<string, RuleParameter> parameters)
        {
            var s = node as YamlScalarNode ?? throw Error(node, "expected one number");
            return s.Value!.StartsWith('$')
                ? Lookup(s, parameters).Number ?? throw Error(s, $"parameter {s.Value} is not a number")
                : Parameter("value", new YamlMappingNode(new YamlScalarNode("value"), s, new YamlScalarNode("confidence"), new YamlScalarNode("H"))).Number
                    ?? throw Error(s, $"'{s.Value}' is not a number");
        }

        public (long, long) Ratio(YamlNode node, IReadOnlyDictionary<string, RuleParameter> parameters)
        {
            var s = node as YamlScalarNode ?? throw Error(node, "expected a share such as 5/6");
            var text = s.Value!.StartsWith('$') ? Lookup(s, parameters).Text : s.Value;
            if (text.Split('/') is [var a, var b]
                && long.TryParse(a, NumberStyles.None, CultureInfo.InvariantCulture, out var num)
                && long.TryParse(b, NumberStyles.None, CultureInfo.InvariantCulture, out var den) && den > 0 && num <= den)
            {
                return (num, den);
            }

            var share = NumberValue(node, parameters);
            return share is >= 0 and <= 1
                ? ((long)decimal.Round(share * 1_000_000m), 1_000_000)
                : throw Error(s, $"a funded share is from 0 to 1, not {share.ToString(CultureInfo.InvariantCulture)}");
        }

        public int WholeNumber(YamlNode node, IReadOnlyDictionary<string, RuleParameter> parameters)
        {
            var n = NumberValue(node, parameters);
            return n > 0 && n == decimal.Truncate(n) ? (int)n : throw Error(node, $"expected a whole number of months, not {n.ToString(CultureInfo.InvariantCulture)}");
        }

        public bool FlagValue(YamlNode node, IReadOnlyDictionary<string, RuleParameter> parameters)
        {
            var s = node as YamlScalarNode ?? throw Error(node, "expected true or false");
            var p = s.Value!.StartsWith('$') ? Lookup(s, parameters).Flag : s.Value is "true" ? true : s.Value is "false" ? false : null;
            return p ?? throw Error(s, $"'{s.Value}' is not true or false");
        }

        /// <summary>A condition: an expression string, or <c>all:</c>/<c>any:</c>/<c>not:</c>/<c>at_least:</c>+<c>of:</c>.</summary>
        internal Node Condition(YamlNode node, ParseScope scope)
        {
            switch (node)
            {
                case YamlScalarNode s:
                    try
                    {
                        return ExpressionParser.Parse(s.Value ?? string.Empty, scope);
                    }
                    catch (ExpressionException ex)
                    {
                        var text = s.Value ?? string.Empty;
                        var before = text[..Math.Min(ex.Position, text.Length)];
                        var extraLines = s.Style is YamlDotNet.Core.ScalarStyle.Literal or YamlDotNet.Core.ScalarStyle.Folded ? before.Count(c => c == '\n') + 1 : 0;
                        throw new RulesFileException(fileName, Line(s) + extraLines, $"in \"{text.Trim()}\" at character {(ex.Position + 1).ToString(CultureInfo.InvariantCulture)}: {ex.Message}");
                    }

                case YamlMappingNode m:
                    if (OptNode(m, "at_least") is { } n)
                    {
                        OnlyKeys(m, ["at_least", "of"], "an at_least condition");
                        var parts = Parts(Node(m, "of"), scope);
                        var k = WholeNumber(n, scope.Parameters);
                        if (k > parts.Count)
                        {
                            throw Error(n, $"at_least {k.ToString(CultureInfo.InvariantCulture)} of {parts.Count.ToString(CultureInfo.InvariantCulture)} conditions can never be met");
                        }

                        return new CombineNode(ConditionText(m), parts, k, "at_least");
                    }

                    if (m.Children.Count != 1)
                    {
                        throw Error(m, "a combined condition is one of all:, any:, not: or at_least: with of:");
                    }

                    var (key, value) = m.Children.First();
                    switch (((YamlScalarNode)key).Value)
                    {
                        case "all":
                            var all = Parts(value, scope);
                            return new CombineNode(ConditionText(m), all, all.Count, "all");
                        case "any":
                            return new CombineNode(ConditionText(m), Parts(value, scope), 1, "any");
                        case "not":
                            return new NotNode(ConditionText(m), Condition(value, scope));
                        default:
                            throw Error(key, $"unknown combination '{key}' (use all, any, not, or at_least with of)");
                    }

                default:
                    throw Error(node, "a condition is an expression or all:/any:/not:/at_least:");
            }
        }

        private List<Node> Parts(YamlNode node, ParseScope scope)
        {
            var seq = node as YamlSequenceNode ?? throw Error(node, "expected a list of conditions");
            if (seq.Children.Count == 0)
            {
                throw Error(seq, "a list of conditions cannot be empty");
            }

            return [.. seq.Children.Select(c => Condition(c, scope))];
        }

        /// <summary>The condition as one line of text for explanations.</summary>
        internal string ConditionText(YamlNode node) => node switch
        {
            YamlScalarNode s => (s.Value ?? string.Empty).Trim(),
            YamlMappingNode m when OptNode(m, "at_least") is YamlScalarNode n =>
                $"at least {n.Value} of ({string.Join("; ", ((YamlSequenceNode)Node(m, "of")).Children.Select(ConditionText))})",
            YamlMappingNode m when m.Children.Count == 1 => m.Children.First() switch
            {
                var (k, v) when v is YamlSequenceNode seq => $"{((YamlScalarNode)k).Value} of ({string.Join("; ", seq.Children.Select(ConditionText))})",
                var (k, v) => $"{((YamlScalarNode)k).Value} ({ConditionText(v)})",
            },
            _ => node.ToString(),
        };
    }
}
