namespace Hearth.Core.Programmes;

/// <summary>A parsed rule expression. Every node knows its source text, its type and how to evaluate itself.</summary>
internal abstract class Node
{
    protected Node(string text) => Text = text;

    /// <summary>The expression as written in the rules file.</summary>
    public string Text { get; }

    /// <summary>True for a truth-valued node, false for a number.</summary>
    public abstract bool IsBool { get; }

    /// <summary>Whether the value reads best as a percentage.</summary>
    public virtual bool IsPercent => false;

    public abstract Val Eval(FamilyContext ctx);
}

internal sealed class NumberNode(string text, decimal value, bool percent) : Node(text)
{
    public decimal Value { get; } = value;

    public override bool IsBool => false;

    public override bool IsPercent => percent;

    public override Val Eval(FamilyContext ctx) => Val.Num(Value);
}

internal sealed class BoolNode(string text, bool value) : Node(text)
{
    public override bool IsBool => true;

    public override Val Eval(FamilyContext ctx) => Val.Bool(TruthOps.Of(value));
}

internal sealed class NotNode(string text, Node operand) : Node(text)
{
    public override bool IsBool => true;

    public override Val Eval(FamilyContext ctx)
    {
        var v = operand.Eval(ctx);
        return Val.Bool(TruthOps.Not(v.Truth), v.Why);
    }
}

/// <summary><c>all</c> (and), <c>any</c> (or) and <c>at_least N</c> over a list of conditions.</summary>
internal sealed class CombineNode(string text, IReadOnlyList<Node> parts, int atLeast, string kind) : Node(text)
{
    public IReadOnlyList<Node> Parts { get; } = parts;

    /// <summary>all = Parts.Count, any = 1, else the N of at_least.</summary>
    public int AtLeast { get; } = atLeast;

    public string Kind { get; } = kind;

    public override bool IsBool => true;

    public override Val Eval(FamilyContext ctx)
    {
        int yes = 0, unknown = 0;
        string? why = null;
        foreach (var p in Parts)
        {
            var v = p.Eval(ctx);
            if (v.Truth == Truth.True)
            {
                yes++;
            }
            else if (v.Truth == Truth.Unknown)
            {
                unknown++;
                why ??= v.Why;
            }
        }

        var truth = yes >= AtLeast ? Truth.True : yes + unknown >= AtLeast ? Truth.Unknown : Truth.False;
        return Val.Bool(truth, truth == Truth.Unknown ? why : null);
    }
}

internal sealed class ArithNode(string text, char op, Node left, Node right) : Node(text)
{
    public override bool IsBool => false;

    public override bool IsPercent => left.IsPercent || right.IsPercent;

    public override Val Eval(FamilyContext ctx)
    {
        var a = left.Eval(ctx);
        var b = right.Eval(ctx);
        if (!a.Exact || !b.Exact)
        {
            if (op is '+' && a.Lo != decimal.MinValue && b.Lo != decimal.MinValue)
            {
                return Val.Range(a.Lo + b.Lo, a.Hi + b.Hi, a.Why ?? b.Why);
            }

            return Val.UnknownNum(a.Why ?? b.Why ?? "unknown value");
        }

        return op switch
        {
            '+' => Val.Num(a.Lo + b.Lo),
            '-' => Val.Num(a.Lo - b.Lo),
            '*' => Val.Num(a.Lo * b.Lo),
            _ => b.Lo == 0 ? Val.UnknownNum($"division by zero in {Text}") : Val.Num(a.Lo / b.Lo),
        };
    }
}

internal sealed class CompareNode(string text, string op, Node left, Node right) : Node(text)
{
    public override bool IsBool => true;

    public override Val Eval(FamilyContext ctx)
    {
        var a = left.Eval(ctx);
        var b = right.Eval(ctx);
        Truth t;
        if (a.Lo == decimal.MinValue || b.Lo == decimal.MinValue)
        {
            t = Truth.Unknown;
        }
        else
        {
            // Ranges: true if true for every value in both ranges, false if false for every value, else unknown.
            (bool always, bool never) = op switch
            {
                ">=" => (a.Lo >= b.Hi, a.Hi < b.Lo),
                ">" => (a.Lo > b.Hi, a.Hi <= b.Lo),
                "<=" => (a.Hi <= b.Lo, a.Lo > b.Hi),
                "<" => (a.Hi < b.Lo, a.Lo >= b.Hi),
                "==" => (a.Exact && b.Exact && a.Lo == b.Lo, a.Hi < b.Lo || a.Lo > b.Hi),
                _ => (a.Hi < b.Lo || a.Lo > b.Hi, a.Exact && b.Exact && a.Lo == b.Lo),
            };
            t = always ? Truth.True : never ? Truth.False : Truth.Unknown;
        }

        var why = t == Truth.Unknown ? a.Why ?? b.Why ?? "unknown value" : null;
        ctx.Evidence?.Add(new Evidence(EvidenceKind.Test, left.Text, ScopePerson(ctx), null, a, b, op, t, [], left.IsPercent || right.IsPercent));
        return Val.Bool(t, why);
    }

    internal static string? ScopePerson(FamilyContext ctx) => ctx.Member >= 0 ? ctx.Members[ctx.Member].PersonId : null;
}

internal sealed class LogicNode(string text, bool isAnd, Node left, Node right) : Node(text)
{
    public override bool IsBool => true;

    public override Val Eval(FamilyContext ctx)
    {
        var a = left.Eval(ctx);
        if (isAnd ? a.Truth == Truth.False : a.Truth == Truth.True)
        {
            return a;
        }

        var b = right.Eval(ctx);
        var t = isAnd ? TruthOps.And(a.Truth, b.Truth) : TruthOps.Or(a.Truth, b.Truth);
        return Val.Bool(t, t == Truth.Unknown ? a.Why ?? b.Why : null);
    }
}

/// <summary>A reference to a need, headline, measure, family fact or count of needs.</summary>
internal sealed class RefNode(string text, bool isBool, Func<FamilyContext, Val> eval) : Node(text)
{
    public override bool IsBool => isBool;

    public override Val Eval(FamilyContext ctx) => eval(ctx);
}
