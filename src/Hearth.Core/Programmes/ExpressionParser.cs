using System.Globalization;

namespace Hearth.Core.Programmes;

/// <summary>A rule expression that cannot be parsed or refers to something unknown; <see cref="Position"/> is 0-based.</summary>
internal sealed class ExpressionException(int position, string message) : Exception(message)
{
    public int Position { get; } = position;
}

/// <summary>A named threshold or setting from a rules file's <c>parameters</c> section.</summary>
public sealed record RuleParameter(string Name, string Text, decimal? Number, bool Percent, bool? Flag, IReadOnlyList<string>? List, string Confidence, string? Source, string? Note)
{
    /// <summary>For a money value (written <c>£3,200</c>), the amount.</summary>
    public Money? Money { get; init; }

    /// <summary>Whether the research behind the value is unconfirmed (confidence L): such values must be checked before live use.</summary>
    public bool Unconfirmed => Confidence.StartsWith('L');
}

/// <summary>What names an expression may refer to where it is written.</summary>
internal sealed class ParseScope
{
    public required IReadOnlyDictionary<string, RuleParameter> Parameters { get; init; }

    public IReadOnlySet<string> Needs { get; init; } = new HashSet<string>();

    public IReadOnlySet<string> Headlines { get; init; } = new HashSet<string>();

    public IReadOnlySet<string> Measures { get; init; } = new HashSet<string>();

    /// <summary>Whether need, headline and measure references are allowed (identification and result rules).</summary>
    public bool ProgrammeRefs { get; init; }

    /// <summary>Whether <c>member.age</c> is allowed (per-member conditions).</summary>
    public bool MemberRefs { get; init; }
}

/// <summary>
/// Parses the small typed expression language used in rules files (see docs/rules-language.md). Names are
/// resolved while parsing: an unknown event type, field, parameter, window or reference is an error.
/// </summary>
internal sealed class ExpressionParser
{
    private static readonly string[] Symbols = [">=", "<=", "==", "!=", ">", "<", "(", ")", ",", ".", "/", "*", "+", "-"];
    private readonly string _src;
    private readonly List<(string Kind, string Value, int Pos, int End)> _tokens = [];
    private readonly ParseScope _scope;
    private int _i;

    private ExpressionParser(string src, ParseScope scope)
    {
        _src = src;
        _scope = scope;
        Tokenise();
    }

    public static Node Parse(string src, ParseScope scope, bool mustBeBool = true)
    {
        var p = new ExpressionParser(src, scope);
        var node = p.ParseOr();
        if (p.Peek.Kind != "end")
        {
            throw new ExpressionException(p.Peek.Pos, $"unexpected '{p.Peek.Value}' after a complete expression");
        }

        if (mustBeBool && !node.IsBool)
        {
            throw new ExpressionException(0, $"'{src}' is a number; a condition must compare it, e.g. '{src} >= 1'");
        }

        return node;
    }

    private (string Kind, string Value, int Pos, int End) Peek => _tokens[_i];

    private void Tokenise()
    {
        var s = _src;
        var i = 0;
        while (i < s.Length)
        {
            var c = s[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            var start = i;
            if (char.IsAsciiDigit(c))
            {
                while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.'))
                {
                    i++;
                }

                var kind = "num";
                if (i < s.Length && s[i] == '%')
                {
                    i++;
                    kind = "pct";
                }

                _tokens.Add((kind, s[start..i].TrimEnd('%'), start, i));
            }
            else if (char.IsAsciiLetter(c) || c == '_' || c == '$')
            {
                i++;
                while (i < s.Length && (char.IsAsciiLetterOrDigit(s[i]) || s[i] == '_'))
                {
                    i++;
                }

                _tokens.Add((c == '$' ? "param" : "id", c == '$' ? s[(start + 1)..i] : s[start..i], start, i));
            }
            else if (c is '"' or '\'')
            {
                var close = s.IndexOf(c, i + 1);
                if (close < 0)
                {
                    throw new ExpressionException(i, "a quoted value is not closed");
                }

                _tokens.Add(("str", s[(i + 1)..close], start, close + 1));
                i = close + 1;
            }
            else
            {
                var sym = Symbols.FirstOrDefault(x => string.CompareOrdinal(s, i, x, 0, x.Length) == 0)
                    ?? throw new ExpressionException(i, $"unexpected character '{c}'");
                _tokens.Add(("sym", sym, i, i + sym.Length));
                i += sym.Length;
            }
        }

        _tokens.Add(("end", "end of expression", s.Length, s.Length));
    }

    private (string Kind, string Value, int Pos, int End) Next() => _tokens[_i++];

    private bool IsWord(string w) => Peek.Kind == "id" && Peek.Value == w;

    private bool IsSym(string s) => Peek.Kind == "sym" && Peek.Value == s;

    private void Expect(string sym)
    {
        if (!IsSym(sym))
        {
            throw new ExpressionException(Peek.Pos, $"expected '{sym}' but found '{Peek.Value}'");
        }

        _i++;
    }

    private void ExpectWord(string word, string hint)
    {
        if (!IsWord(word))
        {
            throw new ExpressionException(Peek.Pos, $"expected '{word}' but found '{Peek.Value}' ({hint})");
        }

        _i++;
    }

    /// <summary>The source text from a token to the last one read, with each $parameter shown as its value.</summary>
    private string TextFrom(int startToken)
    {
        var end = _tokens[_i - 1].End;
        var pos = _tokens[startToken].Pos;
        var sb = new System.Text.StringBuilder();
        for (var t = startToken; t < _i; t++)
        {
            var tok = _tokens[t];
            if (tok.Kind == "param" && _scope.Parameters.TryGetValue(tok.Value, out var p) && p.List is null)
            {
                sb.Append(_src, pos, tok.Pos - pos).Append(p.Text);
                pos = tok.End;
            }
        }

        return sb.Append(_src, pos, end - pos).ToString();
    }

    private static Node RequireBool(Node n, int pos, string what) =>
        n.IsBool ? n : throw new ExpressionException(pos, $"'{n.Text}' is a number but {what} needs a condition");

    private static Node RequireNumber(Node n, int pos, string what) =>
        !n.IsBool ? n : throw new ExpressionException(pos, $"'{n.Text}' is a condition but {what} needs a number");

    private Node ParseOr()
    {
        var start = _i;
        var left = ParseAnd();
        while (IsWord("or"))
        {
            var pos = Next().Pos;
            var right = ParseAnd();
            left = new LogicNode(TextFrom(start), false, RequireBool(left, pos, "'or'"), RequireBool(right, pos, "'or'"));
        }

        return left;
    }

    private Node ParseAnd()
    {
        var start = _i;
        var left = ParseNot();
        while (IsWord("and"))
        {
            var pos = Next().Pos;
            var right = ParseNot();
            left = new LogicNode(TextFrom(start), true, RequireBool(left, pos, "'and'"), RequireBool(right, pos, "'and'"));
        }

        return left;
    }

    private Node ParseNot()
    {
        if (IsWord("not"))
        {
            var start = _i;
            var pos = Next().Pos;
            var operand = RequireBool(ParseNot(), pos, "'not'");
            return new NotNode(TextFrom(start), operand);
        }

        return ParseCompare();
    }

    private Node ParseCompare()
    {
        var start = _i;
        var left = ParseAdd();
        if (Peek.Kind == "sym" && Peek.Value is ">=" or "<=" or ">" or "<" or "==" or "!=")
        {
            var (_, op, pos, _) = Next();
            var right = ParseAdd();
            return new CompareNode(TextFrom(start), op, RequireNumber(left, pos, $"'{op}'"), RequireNumber(right, pos, $"'{op}'"));
        }

        return left;
    }

    private Node ParseAdd()
    {
        var start = _i;
        var left = ParseMul();
        while (IsSym("+") || IsSym("-"))
        {
            var (_, op, pos, _) = Next();
            var right = ParseMul();
            left = new ArithNode(TextFrom(start), op[0], RequireNumber(left, pos, $"'{op}'"), RequireNumber(right, pos, $"'{op}'"));
        }

        return left;
    }

    private Node ParseMul()
    {
        var start = _i;
        var left = ParsePrimary();
        while (IsSym("*") || IsSym("/"))
        {
            var (_, op, pos, _) = Next();
            var right = ParsePrimary();
            left = new ArithNode(TextFrom(start), op[0], RequireNumber(left, pos, $"'{op}'"), RequireNumber(right, pos, $"'{op}'"));
        }

        return left;
    }

    private Node ParsePrimary()
    {
        var start = _i;
        var tok = Next();
        switch (tok.Kind)
        {
            case "num":
            case "pct":
                var n = ParseDecimal(tok.Value, tok.Pos);
                if (tok.Kind == "pct")
                {
                    return new NumberNode(TextFrom(start), n / 100m, true);
                }

                if (IsWord("weeks") || IsWord("week") || IsWord("days") || IsWord("day"))
                {
                    var unit = Next().Value;
                    return new NumberNode(TextFrom(start), unit.StartsWith("week", StringComparison.Ordinal) ? n * 7 : n, false);
                }

                return new NumberNode(TextFrom(start), n, false);
            case "param":
                var p = Param(tok.Value, tok.Pos);
                if (p.Flag is { } flag)
                {
                    return new BoolNode("$" + p.Name, flag);
                }

                if (p.Number is { } v)
                {
                    if (IsWord("weeks") || IsWord("days"))
                    {
                        var unit = Next().Value;
                        return new NumberNode(TextFrom(start), unit == "weeks" ? v * 7 : v, false);
                    }

                    return new NumberNode("$" + p.Name, v, p.Percent);
                }

                throw new ExpressionException(tok.Pos, $"parameter ${p.Name} is a list; use it with 'in' inside a where clause");
            case "sym" when tok.Value == "(":
                var inner = ParseOr();
                Expect(")");
                return inner;
            case "sym" when tok.Value == "-":
                var operand = RequireNumber(ParsePrimary(), tok.Pos, "'-'");
                return new ArithNode(TextFrom(start), '-', new NumberNode("0", 0, false), operand);
            case "id":
                return ParseName(tok, start);
            default:
                throw new ExpressionException(tok.Pos, $"unexpected '{tok.Value}'");
        }
    }

    private Node ParseName((string Kind, string Value, int Pos, int End) tok, int start)
    {
        switch (tok.Value)
        {
            case "true":
            case "false":
                return new BoolNode(tok.Value, tok.Value == "true");
            case "count":
            case "any":
            case "none":
            case "sum":
            case "rate":
            case "longest":
            case "total_days":
                return ParseAggregate(tok.Value, start);
            case "reduction":
                return ParseReduction(start);
            case "needs_raised":
            case "headlines_raised":
            case "all_needs_met":
            case "all_needs_sustained":
            case "eligible_at_attachment":
                RequireProgrammeRefs(tok);
                return tok.Value switch
                {
                    "needs_raised" => new RefNode(tok.Value, false, c => c.State!.CountNeedsRaised()),
                    "headlines_raised" => new RefNode(tok.Value, false, c => c.State!.CountHeadlinesRaised()),
                    "all_needs_met" => new RefNode(tok.Value, true, c => Val.Bool(c.State!.AllRaisedNeeds(NeedStatus.Met))),
                    "eligible_at_attachment" => new RefNode(tok.Value, true, c => Val.Bool(c.State!.EligibleAtAttachment())),
                    _ => new RefNode(tok.Value, true, c => Val.Bool(c.State!.AllRaisedNeeds(NeedStatus.Sustained))),
                };
            case "need":
            case "headline":
            case "measure":
                return ParseProgrammeRef(tok, start);
            case "family":
                return ParseFamilyRef(start);
            case "member":
                Expect(".");
                var f = Next();
                if (!_scope.MemberRefs || f.Value != "age")
                {
                    throw new ExpressionException(f.Pos, _scope.MemberRefs ? "the only member field is 'member.age'" : "'member.age' is only allowed in a need or measure that applies to each child, adult or member");
                }

                return new RefNode(TextFrom(start), false, c =>
                    c.Members[c.Member].AgeOn(c.AsOf) is { } age ? Val.Num(age) : Val.UnknownNum("date of birth not recorded"));
            default:
                throw new ExpressionException(tok.Pos, $"unknown name '{tok.Value}' (expected an aggregate such as count(...), a number, a $parameter, or need./headline./measure./family. references)");
        }
    }

    private void RequireProgrammeRefs((string Kind, string Value, int Pos, int End) tok)
    {
        if (!_scope.ProgrammeRefs)
        {
            throw new ExpressionException(tok.Pos, $"'{tok.Value}' can only be used in identification and result rules, not inside a need or measure");
        }
    }

    private RefNode ParseProgrammeRef((string Kind, string Value, int Pos, int End) tok, int start)
    {
        RequireProgrammeRefs(tok);
        Expect(".");
        var id = Next();
        var known = tok.Value switch { "need" => _scope.Needs, "headline" => _scope.Headlines, _ => _scope.Measures };
        if (id.Kind != "id" || !known.Contains(id.Value))
        {
            throw new ExpressionException(id.Pos, $"unknown {tok.Value} '{id.Value}' (known: {string.Join(", ", known.Order(StringComparer.Ordinal))})");
        }

        var name = id.Value;
        if (tok.Value == "need" && IsSym("."))
        {
            _i++;
            var st = Next();
            NeedStatus status = st.Value switch
            {
                "met" => NeedStatus.Met,
                "sustained" => NeedStatus.Sustained,
                _ => throw new ExpressionException(st.Pos, $"a need's status is read as need.{name}.met or need.{name}.sustained, not '{st.Value}'"),
            };
            return new RefNode(TextFrom(start), true, c => Val.Bool(c.State!.NeedStatusAtLeast(name, status)));
        }

        return tok.Value switch
        {
            "need" => new RefNode(TextFrom(start), true, c => Val.Bool(c.State!.NeedRaised(name))),
            "headline" => new RefNode(TextFrom(start), true, c => Val.Bool(c.State!.HeadlineRaised(name))),
            _ => new RefNode(TextFrom(start), true, c => Val.Bool(c.State!.Measure(name))),
        };
    }

    private RefNode ParseFamilyRef(int start)
    {
        Expect(".");
        var f = Next();
        Func<FamilyContext, Val>? eval = f.Value switch
        {
            "key_worker" => c => Fact(c, "key worker present", c.Family.KeyWorkerPresent),
            "assessment_done" => c => Fact(c, "whole-family assessment done", c.Family.AssessmentDone),
            "plan_covers_needs" => c => Fact(c, "plan covers every need", c.Family.PlanCoversNeeds),
            "attached" => c => Val.Bool(TruthOps.Of(c.Family.AttachmentDate is { } a && a <= c.AsOf)),
            "closed" => c => Val.Bool(TruthOps.Of(c.Family.ClosureDate is { } d && d <= c.AsOf)),
            _ => null,
        };
        if (eval is not null)
        {
            return new RefNode(TextFrom(start), true, eval);
        }

        Func<FamilyContext, Val>? num = f.Value switch
        {
            "children" => c => CountMembers(c, MemberRole.Child),
            "adults" => c => CountMembers(c, MemberRole.Adult),
            "expectant_parents" => c => CountMembers(c, MemberRole.ExpectantParent),
            "members" => c => CountMembers(c, null),
            "months_since_closure" => c => c.Family.ClosureDate is { } d && d <= c.AsOf
                ? Val.Num(MonthsBetween(d, c.AsOf))
                : Val.UnknownNum("the case is not closed"),
            _ => null,
        };
        return num is not null
            ? new RefNode(TextFrom(start), false, num)
            : throw new ExpressionException(f.Pos, $"unknown family field '{f.Value}' (known: key_worker, assessment_done, plan_covers_needs, attached, closed, children, adults, expectant_parents, members, months_since_closure)");
    }

    private static Val Fact(FamilyContext c, string what, bool? value)
    {
        var t = TruthOps.Of(value);
        c.Evidence?.Add(new Evidence(EvidenceKind.Fact, what, null, null, Val.Bool(t, value is null ? "not recorded" : null), default, null, t, [], false));
        return Val.Bool(t, value is null ? what + " not recorded" : null);
    }

    /// <summary>Whole calendar months from <paramref name="from"/> to <paramref name="to"/>.</summary>
    internal static int MonthsBetween(DateOnly from, DateOnly to)
    {
        var months = ((to.Year - from.Year) * 12) + to.Month - from.Month;
        return to.Day < from.Day ? months - 1 : months;
    }

    private static Val CountMembers(FamilyContext c, MemberRole? role)
    {
        var n = 0;
        foreach (var m in c.Members)
        {
            if (m.IsMemberOn(c.AsOf) && (role is null || m.Role == role)
                && !(m.Role == MemberRole.Child && m.AgeOn(c.AsOf) >= 18))
            {
                n++;
            }
        }

        return Val.Num(n);
    }

    private RuleParameter Param(string name, int pos) =>
        _scope.Parameters.TryGetValue(name, out var p)
            ? p
            : throw new ExpressionException(pos, $"unknown parameter ${name} (declare it under 'parameters')");

    private static decimal ParseDecimal(string text, int pos) =>
        decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var d)
            ? d
            : throw new ExpressionException(pos, $"'{text}' is not a number");

    private EventType ParseType()
    {
        var t = Next();
        return t.Kind == "id" && EventSchema.TryParse(t.Value, out var type)
            ? type
            : throw new ExpressionException(t.Pos, $"unknown event type '{t.Value}' (known: {string.Join(", ", EventSchema.TypeNames)})");
    }

    private EventField ParseField(EventType type, bool number)
    {
        var f = Next();
        if (!EventSchema.FieldsOf(type).TryGetValue(f.Value, out var field))
        {
            throw new ExpressionException(f.Pos, $"unknown field '{f.Value}' for {EventSchema.NameOf(type)} (fields: {string.Join(", ", EventSchema.FieldsOf(type).Keys.Order(StringComparer.Ordinal))})");
        }

        if (number && field.Kind != FieldKind.Number)
        {
            throw new ExpressionException(f.Pos, $"{EventSchema.NameOf(type)}.{f.Value} is not a number");
        }

        return field;
    }

    private AggregateNode ParseAggregate(string fn, int start)
    {
        Expect("(");
        var type = ParseType();
        EventField? a = null, b = null;
        if (fn is "sum" or "rate")
        {
            Expect(".");
            a = ParseField(type, number: true);
            if (fn == "rate")
            {
                Expect("/");
                var t2pos = Peek.Pos;
                if (ParseType() != type)
                {
                    throw new ExpressionException(t2pos, "both sides of rate(...) must be fields of the same event type");
                }

                Expect(".");
                b = ParseField(type, number: true);
            }
        }

        var filter = IsWord("where") ? ParseWhere(type) : null;
        Expect(")");
        var window = ParseWindow(fn);
        var kind = fn switch
        {
            "count" => AggregateKind.Count,
            "any" => AggregateKind.Any,
            "none" => AggregateKind.None,
            "sum" => AggregateKind.Sum,
            "rate" => AggregateKind.Rate,
            "longest" => AggregateKind.Longest,
            _ => AggregateKind.TotalDays,
        };
        return new AggregateNode(TextFrom(start), kind, type, a, b, filter, window);
    }

    private ReductionNode ParseReduction(int start)
    {
        Expect("(");
        var aggStart = _i;
        var fn = Next();
        if (fn.Value is not ("count" or "sum" or "total_days"))
        {
            throw new ExpressionException(fn.Pos, "reduction(...) takes count(...), sum(...) or total_days(...) first");
        }

        Expect("(");
        var type = ParseType();
        EventField? a = null;
        if (fn.Value == "sum")
        {
            Expect(".");
            a = ParseField(type, number: true);
        }

        var filter = IsWord("where") ? ParseWhere(type) : null;
        Expect(")");
        var aggText = TextFrom(aggStart);
        Expect(",");
        var current = ParseWindow("reduction");
        Expect(",");
        var baseline = ParseWindow("reduction");
        Expect(")");
        var kind = fn.Value switch { "count" => AggregateKind.Count, "sum" => AggregateKind.Sum, _ => AggregateKind.TotalDays };
        return new ReductionNode(TextFrom(start), new AggregateNode(aggText, kind, type, a, null, filter, current), baseline);
    }

    private int WindowLength()
    {
        var t = Next();
        decimal value = t.Kind switch
        {
            "num" => ParseDecimal(t.Value, t.Pos),
            "param" => Param(t.Value, t.Pos).Number ?? throw new ExpressionException(t.Pos, $"parameter ${t.Value} is not a number"),
            _ => throw new ExpressionException(t.Pos, $"expected a whole number or $parameter for the window length, found '{t.Value}'"),
        };
        return value is > 0 and <= 240 && value == decimal.Truncate(value)
            ? (int)value
            : throw new ExpressionException(t.Pos, $"a window length must be a whole number from 1 to 240, not {value.ToString(CultureInfo.InvariantCulture)}");
    }

    private WindowSpec ParseWindow(string fn)
    {
        const string Hint = "windows: in last N months, in last N weeks, over last N terms, at as_of, at attachment, at closure, in N months before attachment, over N terms before attachment, in N months after closure, since attachment";
        var start = _i;
        var t = Peek;
        var bare = fn == "reduction" && t.Kind is "num" or "param";
        if (!bare && (t.Kind != "id" || t.Value is not ("in" or "over" or "at" or "since" or "last")))
        {
            throw new ExpressionException(t.Pos, $"{fn}(...) needs a window; {Hint}");
        }

        if (!bare)
        {
            _i++;
        }

        WindowKind kind;
        var n = 0;
        if (t.Value == "last" || ((t.Value is "in" or "over") && IsWord("last")))
        {
            if (t.Value != "last")
            {
                _i++;
            }

            n = WindowLength();
            var unit = Next();
            kind = unit.Value switch
            {
                "months" or "month" => WindowKind.LastMonths,
                "weeks" or "week" => WindowKind.LastWeeks,
                "terms" or "term" => WindowKind.LastTerms,
                _ => throw new ExpressionException(unit.Pos, $"unknown window unit '{unit.Value}'; {Hint}"),
            };
        }
        else if (t.Value == "at")
        {
            var what = Next();
            kind = what.Value switch
            {
                "as_of" => WindowKind.AtAsOf,
                "attachment" => WindowKind.AtAttachment,
                "closure" => WindowKind.AtClosure,
                _ => throw new ExpressionException(what.Pos, $"unknown window 'at {what.Value}'; {Hint}"),
            };
        }
        else if (t.Value == "since")
        {
            ExpectWord("attachment", Hint);
            kind = WindowKind.SinceAttachment;
        }
        else
        {
            n = WindowLength();
            var unit = Next();
            var rel = Next();
            var anchor = Next();
            kind = (unit.Value, rel.Value, anchor.Value) switch
            {
                ("months" or "month", "before", "attachment") => WindowKind.MonthsBeforeAttachment,
                ("terms" or "term", "before", "attachment") => WindowKind.TermsBeforeAttachment,
                ("months" or "month", "after", "closure") => WindowKind.MonthsAfterClosure,
                _ => throw new ExpressionException(unit.Pos, $"unknown window '{t.Value} {n} {unit.Value} {rel.Value} {anchor.Value}'; {Hint}"),
            };
        }

        return new WindowSpec(kind, n, TextFrom(start));
    }

    private EventPredicate ParseWhere(EventType type)
    {
        _i++;
        return ParsePredOr(type);
    }

    private EventPredicate ParsePredOr(EventType type)
    {
        var left = ParsePredAnd(type);
        while (IsWord("or"))
        {
            _i++;
            var l = left;
            var r = ParsePredAnd(type);
            left = (e, age) => TruthOps.Or(l(e, age), r(e, age));
        }

        return left;
    }

    private EventPredicate ParsePredAnd(EventType type)
    {
        var left = ParsePredNot(type);
        while (IsWord("and"))
        {
            _i++;
            var l = left;
            var r = ParsePredNot(type);
            left = (e, age) => TruthOps.And(l(e, age), r(e, age));
        }

        return left;
    }

    private EventPredicate ParsePredNot(EventType type)
    {
        if (IsWord("not"))
        {
            _i++;
            var inner = ParsePredNot(type);
            return (e, age) => TruthOps.Not(inner(e, age));
        }

        if (IsSym("("))
        {
            _i++;
            var inner = ParsePredOr(type);
            Expect(")");
            return inner;
        }

        var f = Peek;
        if (f.Kind != "id")
        {
            throw new ExpressionException(f.Pos, $"expected a field of {EventSchema.NameOf(type)} after 'where', found '{f.Value}'");
        }

        if (f.Value == "age")
        {
            _i++;
            var (op, limit) = ParsePredCompare();
            return (e, age) => age is { } a ? Cmp(a, op, limit) : Truth.Unknown;
        }

        var field = ParseField(type, number: false);
        switch (field.Kind)
        {
            case FieldKind.Flag:
                var flag = field.Flag!;
                return (e, _) => TruthOps.Of(flag(e));
            case FieldKind.Number:
                var (op2, limit2) = ParsePredCompare();
                var num = field.Number!;
                return (e, _) => num(e) is { } v ? Cmp(v, op2, limit2) : Truth.Unknown;
            default:
                var text = field.Text!;
                var negate = false;
                HashSet<string> values;
                if (IsWord("in"))
                {
                    _i++;
                    values = ParseValueList();
                }
                else if (IsSym("==") || IsSym("!="))
                {
                    negate = Next().Value == "!=";
                    var v = Next();
                    if (v.Kind != "str")
                    {
                        throw new ExpressionException(v.Pos, $"compare {field.Name} with a quoted value, e.g. {field.Name} == \"{field.AllowedValues?.FirstOrDefault() ?? "X"}\"");
                    }

                    values = new HashSet<string>(StringComparer.Ordinal) { v.Value };
                }
                else
                {
                    throw new ExpressionException(Peek.Pos, $"{field.Name} is text: use {field.Name} == \"…\" or {field.Name} in (\"…\", \"…\")");
                }

                if (field.AllowedValues is { } allowed)
                {
                    foreach (var v in values.Where(v => !allowed.Contains(v)))
                    {
                        throw new ExpressionException(f.Pos, $"'{v}' is not a {field.Name} of {EventSchema.NameOf(type)} (allowed: {string.Join(", ", allowed.Order(StringComparer.Ordinal))})");
                    }
                }

                return (e, _) => text(e) is { } s ? TruthOps.Of(values.Contains(s) != negate) : Truth.Unknown;
        }
    }

    private HashSet<string> ParseValueList()
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        if (Peek.Kind == "param")
        {
            var t = Next();
            var p = Param(t.Value, t.Pos);
            foreach (var v in p.List ?? throw new ExpressionException(t.Pos, $"parameter ${p.Name} is not a list"))
            {
                set.Add(v);
            }

            return set;
        }

        Expect("(");
        while (true)
        {
            var v = Next();
            if (v.Kind != "str")
            {
                throw new ExpressionException(v.Pos, "a list is written (\"A\", \"B\")");
            }

            set.Add(v.Value);
            if (IsSym(")"))
            {
                _i++;
                return set;
            }

            Expect(",");
        }
    }

    private (string Op, decimal Limit) ParsePredCompare()
    {
        var opTok = Next();
        if (opTok.Kind != "sym" || opTok.Value is not (">=" or "<=" or ">" or "<" or "==" or "!="))
        {
            throw new ExpressionException(opTok.Pos, $"expected a comparison (>=, <, == …) but found '{opTok.Value}'");
        }

        var v = Next();
        var limit = v.Kind switch
        {
            "num" => ParseDecimal(v.Value, v.Pos),
            "pct" => ParseDecimal(v.Value, v.Pos) / 100m,
            "param" => Param(v.Value, v.Pos).Number ?? throw new ExpressionException(v.Pos, $"parameter ${v.Value} is not a number"),
            _ => throw new ExpressionException(v.Pos, $"expected a number, found '{v.Value}'"),
        };
        return (opTok.Value, limit);
    }

    private static Truth Cmp(decimal a, string op, decimal b) => TruthOps.Of(op switch
    {
        ">=" => a >= b,
        "<=" => a <= b,
        ">" => a > b,
        "<" => a < b,
        "==" => a == b,
        _ => a != b,
    });
}
