namespace Hearth.Core.Programmes;

/// <summary>A test on one event: true, false or unknown (a field the test needs is not recorded).</summary>
internal delegate Truth EventPredicate(ProgrammeEvent e, int? age);

internal enum AggregateKind
{
    Count,
    Any,
    None,
    Sum,
    Rate,
    Longest,
    TotalDays,
}

/// <summary>
/// <c>count(offence where proven) in last 12 months</c> and its relatives: an aggregate over the events of one type,
/// for the member in scope (or the whole household), filtered, in a window.
/// </summary>
internal sealed class AggregateNode(
    string text, AggregateKind kind, EventType type, EventField? numerator, EventField? denominator, EventPredicate? filter, WindowSpec window)
    : Node(text)
{
    public AggregateKind Kind { get; } = kind;

    public EventType Type { get; } = type;

    public WindowSpec Window { get; } = window;

    public override bool IsBool => Kind is AggregateKind.Any or AggregateKind.None;

    public override bool IsPercent => Kind == AggregateKind.Rate;

    public override Val Eval(FamilyContext ctx)
    {
        var w = ResolvedWindow.Resolve(Window, ctx);
        var result = Compute(ctx, w, out var events);
        ctx.Evidence?.Add(new Evidence(EvidenceKind.Aggregate, Text, CompareNode.ScopePerson(ctx), w, result, default, null, result.Truth, events, IsPercent));
        return result;
    }

    /// <summary>The aggregate's value over a given window (used by <c>reduction</c> for the baseline).</summary>
    internal Val Compute(FamilyContext ctx, ResolvedWindow w, out IReadOnlyList<ProgrammeEvent> evidence)
    {
        evidence = [];
        if (w.Unknown is { } why)
        {
            return Unknown(why);
        }

        var range = w.Range!.Value;
        var covered = ctx.Coverage.For(Type);
        if (covered is not { } cov)
        {
            return Unknown($"no {EventSchema.NameOf(Type)} data was supplied");
        }

        if (cov.Start > range.Start || cov.End < range.End)
        {
            return Unknown($"{EventSchema.NameOf(Type)} data covers {cov}, the window needs {range}");
        }

        var events = ctx.ByType[(int)Type];
        var memberOf = ctx.MemberOf[(int)Type];
        List<ProgrammeEvent>? matched = null;
        int definite = 0, maybe = 0;
        decimal sumA = 0, sumB = 0;
        var fieldMissing = false;
        Span<bool> termSeen = stackalloc bool[w.Terms?.Length ?? 0];
        for (var i = 0; i < events.Length; i++)
        {
            var e = events[i];
            if (e.Start > range.End)
            {
                break;
            }

            var m = memberOf[i];
            if (ctx.Member >= 0 ? m != ctx.Member : m < 0 || !ctx.Members[m].IsMemberOn(e.Start))
            {
                continue;
            }

            var last = e.LastDay(ctx.AsOf);
            if (last < range.Start)
            {
                continue;
            }

            if (w.Terms is { } terms && Type == EventType.Attendance)
            {
                // Completeness is about the returns, whatever the filter keeps.
                for (var k = 0; k < terms.Length; k++)
                {
                    if (terms[k].Period.Contains(e.Start))
                    {
                        termSeen[k] = true;
                    }
                }
            }

            var t = filter is null ? Truth.True : filter(e, ctx.Members[m].AgeOn(e.Start));
            if (t == Truth.False)
            {
                continue;
            }

            (matched ??= []).Add(e);
            if (t == Truth.Unknown)
            {
                maybe++;
                continue;
            }

            definite++;
            if (numerator is not null)
            {
                var a = numerator.Number!(e);
                var b = denominator?.Number!(e);
                if (a is null || (denominator is not null && b is null))
                {
                    fieldMissing = true;
                }

                sumA += a ?? 0;
                sumB += b ?? 0;
            }
        }

        evidence = (IReadOnlyList<ProgrammeEvent>?)matched ?? [];
        if (w.Terms is { } ts && Type == EventType.Attendance)
        {
            for (var k = 0; k < ts.Length; k++)
            {
                if (!termSeen[k])
                {
                    return Unknown($"no attendance return for {ts[k]}");
                }
            }
        }

        switch (Kind)
        {
            case AggregateKind.Count:
                return Val.Range(definite, definite + maybe, $"{maybe} event(s) could not be tested (field not recorded)");
            case AggregateKind.Any:
                return Val.Bool(definite > 0 ? Truth.True : maybe > 0 ? Truth.Unknown : Truth.False, maybe > 0 ? "an event could not be tested (field not recorded)" : null);
            case AggregateKind.None:
                return Val.Bool(definite > 0 ? Truth.False : maybe > 0 ? Truth.Unknown : Truth.True, maybe > 0 ? "an event could not be tested (field not recorded)" : null);
            case AggregateKind.Sum:
            case AggregateKind.Rate:
                if (maybe > 0 || fieldMissing)
                {
                    return Val.UnknownNum($"a {EventSchema.NameOf(Type)} record lacks {numerator!.Name}{(denominator is null ? string.Empty : " or " + denominator.Name)}");
                }

                if (Kind == AggregateKind.Sum)
                {
                    return Val.Num(sumA);
                }

                return sumB == 0 ? Val.UnknownNum($"no {denominator!.Name} recorded in the window") : Val.Num(sumA / sumB);
            default:
                if (maybe > 0)
                {
                    return Val.UnknownNum("a spell could not be tested (field not recorded)");
                }

                return Val.Num(Spells(matched, range, ctx.AsOf, Kind == AggregateKind.Longest));
        }

        Val Unknown(string reason) => IsBool ? Val.Bool(Truth.Unknown, reason) : Val.UnknownNum(reason);
    }

    /// <summary>Days covered by the spells (merged where they overlap or touch), clipped to the window.</summary>
    private static decimal Spells(List<ProgrammeEvent>? spells, DatePeriod range, DateOnly asOf, bool longest)
    {
        if (spells is null)
        {
            return 0;
        }

        int best = 0, total = 0;
        DateOnly? runStart = null, runEnd = null;
        foreach (var s in spells)
        {
            var start = s.Start < range.Start ? range.Start : s.Start;
            var endRaw = s.LastDay(asOf);
            var end = endRaw > range.End ? range.End : endRaw;
            if (runEnd is { } re && start.DayNumber <= re.DayNumber + 1)
            {
                if (end > re)
                {
                    runEnd = end;
                }

                continue;
            }

            Close();
            runStart = start;
            runEnd = end;
        }

        Close();
        return longest ? best : total;

        void Close()
        {
            if (runStart is { } rs && runEnd is { } re2)
            {
                var days = re2.DayNumber - rs.DayNumber + 1;
                best = Math.Max(best, days);
                total += days;
            }
        }
    }
}

/// <summary><c>reduction(count(asb), last 6 months, 6 months before attachment)</c>: (baseline − current) ÷ baseline.</summary>
internal sealed class ReductionNode(string text, AggregateNode current, WindowSpec baseline) : Node(text)
{
    public override bool IsBool => false;

    public override bool IsPercent => true;

    public override Val Eval(FamilyContext ctx)
    {
        var now = current.Eval(ctx);
        var bw = ResolvedWindow.Resolve(baseline, ctx);
        var before = current.Compute(ctx, bw, out var events);
        ctx.Evidence?.Add(new Evidence(EvidenceKind.Aggregate, current.Text + " (baseline)", CompareNode.ScopePerson(ctx), bw, before, default, null, before.Truth, events, false));
        if (!now.Exact || !before.Exact)
        {
            return Val.UnknownNum(now.Why ?? before.Why ?? "unknown");
        }

        return before.Lo == 0
            ? Val.UnknownNum("nothing in the baseline period to reduce")
            : Val.Num((before.Lo - now.Lo) / before.Lo);
    }
}
