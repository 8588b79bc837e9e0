using System.Globalization;
using System.Text;

namespace Hearth.Core.Programmes;

/// <summary>A family's data as the engine reads it: the family, its members' events and what the sources cover.</summary>
public sealed record ProgrammeFamilyData(ProgrammeFamily Family, IReadOnlyList<ProgrammeEvent> Events, ProgrammeDataCoverage Coverage);

/// <summary>One member's (or the household's) result on a need or measure, with the evidence behind it.</summary>
public sealed record MemberFinding(string? PersonId, Truth Truth, IReadOnlyList<Evidence> Evidence, string? Note = null);

/// <summary>Whether a need was raised, and for whom.</summary>
public sealed record NeedFinding(NeedDefinition Need, Truth Raised, IReadOnlyList<MemberFinding> Members)
{
    /// <summary>The members the need concerns (null for a household need).</summary>
    public IEnumerable<string?> Concerns => Members.Where(m => m.Truth == Truth.True).Select(m => m.PersonId);
}

/// <summary>A measure's result for the family.</summary>
public sealed record MeasureFinding(MeasureDefinition Measure, Truth Holds, IReadOnlyList<MemberFinding> Members);

/// <summary>Who is eligible and why: every need with the member it concerns, the indicator and the evidence.</summary>
public sealed class IdentificationResult
{
    internal IdentificationResult(Framework framework, string familyId, DateOnly asOf, IReadOnlyList<NeedFinding> needs, Truth eligible, IReadOnlyList<Evidence> ruleEvidence, string? why)
    {
        Framework = framework;
        FamilyId = familyId;
        AsOf = asOf;
        Needs = needs;
        Eligible = eligible;
        RuleEvidence = ruleEvidence;
        UnknownReason = why;
    }

    public Framework Framework { get; }

    public string FamilyId { get; }

    public DateOnly AsOf { get; }

    public IReadOnlyList<NeedFinding> Needs { get; }

    public Truth Eligible { get; }

    public IReadOnlyList<Evidence> RuleEvidence { get; }

    public string? UnknownReason { get; }

    public IEnumerable<NeedFinding> RaisedNeeds => Needs.Where(n => n.Raised == Truth.True);

    /// <summary>Headline id → whether any of its needs was raised.</summary>
    public IReadOnlyDictionary<string, Truth> Headlines =>
        Framework.Headlines.ToDictionary(h => h.Id, h => Needs.Where(n => n.Need.HeadlineId == h.Id).Aggregate(Truth.False, (t, n) => TruthOps.Or(t, n.Raised)), StringComparer.Ordinal);

    /// <summary>The decision in words a data officer can check against the data.</summary>
    public string Explain()
    {
        var sb = new StringBuilder();
        var raised = Headlines.Count(h => h.Value == Truth.True);
        sb.Append(CultureInfo.InvariantCulture, $"Family {FamilyId} under {Framework.Id} as of {AsOf:yyyy-MM-dd}: ");
        sb.Append(Eligible switch { Truth.True => "ELIGIBLE", Truth.False => "NOT ELIGIBLE", _ => "UNKNOWN (data missing)" });
        sb.Append(CultureInfo.InvariantCulture, $"; {raised} of {Framework.Headlines.Count} headlines raised, {RaisedNeeds.Count()} needs.\n");
        sb.Append("  Rule: ").Append(Framework.IdentificationText).Append('\n');
        Explanation.Append(sb, new MemberFinding(null, Eligible, RuleEvidence), "    ");
        if (Eligible == Truth.Unknown && UnknownReason is not null)
        {
            sb.Append("  Unknown because: ").Append(UnknownReason).Append('\n');
        }

        foreach (var h in Framework.Headlines)
        {
            sb.Append(CultureInfo.InvariantCulture, $"  {h.Title} [{h.Id}]: {Headlines[h.Id].Word()}\n");
            foreach (var n in Needs.Where(n => n.Need.HeadlineId == h.Id))
            {
                sb.Append(CultureInfo.InvariantCulture, $"    {n.Need.Title} [{n.Need.Id}]: {n.Raised.Word()}\n");
                foreach (var m in n.Members)
                {
                    Explanation.Append(sb, m, "      ");
                }
            }
        }

        return sb.ToString();
    }
}

/// <summary>Where a raised need stands, for the member it concerns.</summary>
public sealed record NeedOutcome(NeedDefinition Need, string? PersonId, NeedStatus Status, string Why, bool Excluded, IReadOnlyList<Evidence> Evidence);

/// <summary>A payable result's rule and whether it holds, with what it would pay.</summary>
public sealed record ResultFinding(ResultDefinition Result, Truth Achieved, Money Payment, IReadOnlyList<Evidence> Evidence, string? UnknownReason);

/// <summary>Progress on every need raised at attachment, the measures and the results, as of a date.</summary>
public sealed class OutcomeReport
{
    internal OutcomeReport(Framework framework, ProgrammeFamily family, DateOnly asOf, BaselineSnapshot? baseline, IReadOnlyList<NeedOutcome> needs, IReadOnlyList<MeasureFinding> measures, IReadOnlyList<ResultFinding> results)
    {
        Framework = framework;
        Family = family;
        AsOf = asOf;
        Baseline = baseline;
        Needs = needs;
        Measures = measures;
        Results = results;
    }

    public Framework Framework { get; }

    public ProgrammeFamily Family { get; }

    public DateOnly AsOf { get; }

    /// <summary>The needs raised at attachment, frozen; null when the family has not been attached.</summary>
    public BaselineSnapshot? Baseline { get; }

    public IReadOnlyList<NeedOutcome> Needs { get; }

    public IReadOnlyList<MeasureFinding> Measures { get; }

    public IReadOnlyList<ResultFinding> Results { get; }

    public string Explain()
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"Family {Family.FamilyId} under {Framework.Id} as of {AsOf:yyyy-MM-dd}");
        if (Baseline is null)
        {
            sb.Append(" (not attached)\n");
        }
        else
        {
            sb.Append(CultureInfo.InvariantCulture, $" (attached {Baseline.AttachmentDate:yyyy-MM-dd}, {Baseline.Needs.Count} needs at baseline)\n");
        }
        foreach (var n in Needs)
        {
            sb.Append(CultureInfo.InvariantCulture, $"  need {n.Need.Id}{(n.PersonId is null ? string.Empty : " (member " + n.PersonId + ")")}: {n.Status} — {n.Why}\n");
            var truth = n.Status switch
            {
                NeedStatus.Met or NeedStatus.Sustained => Truth.True,
                NeedStatus.Unknown => Truth.Unknown,
                _ => Truth.False,
            };
            if (n.Evidence.Count > 0)
            {
                Explanation.Append(sb, new MemberFinding(n.PersonId, truth, n.Evidence, "success condition"), "      ");
            }
        }

        foreach (var m in Measures)
        {
            sb.Append(CultureInfo.InvariantCulture, $"  measure {m.Measure.Id}: {m.Holds.Word()}\n");
            foreach (var f in m.Members)
            {
                Explanation.Append(sb, f, "      ");
            }
        }

        foreach (var r in Results)
        {
            sb.Append(CultureInfo.InvariantCulture, $"  result {r.Result.Id}: {r.Achieved.Word()} ({r.Result.RuleText}){(r.Achieved == Truth.True ? " pays " + r.Payment : string.Empty)}\n");
        }

        return sb.ToString();
    }
}

internal static class Explanation
{
    private static void AppendSources(StringBuilder sb, Evidence a)
    {
        if (a.Events.Count > 0)
        {
            sb.Append(" from ").Append(string.Join(", ", a.Events.Take(12).Select(x => x.Source.ToString())));
            if (a.Events.Count > 12)
            {
                sb.Append(CultureInfo.InvariantCulture, $" and {a.Events.Count - 12} more");
            }
        }
    }

    public static void Append(StringBuilder sb, MemberFinding m, string indent)
    {
        var who = m.PersonId is null ? "family" : "member " + m.PersonId;
        sb.Append(indent).Append(who).Append(": ").Append(m.Truth.Word());
        if (m.Note is not null)
        {
            sb.Append(" (").Append(m.Note).Append(')');
        }

        sb.Append('\n');
        Evidence? lastAggregate = null;
        var tested = m.Evidence.Where(e => e.Kind == EvidenceKind.Test).Select(e => e.Expression).ToHashSet(StringComparer.Ordinal);
        foreach (var e in m.Evidence)
        {
            if (e.Kind == EvidenceKind.Aggregate)
            {
                lastAggregate = e;
                if (!tested.Contains(e.Expression))
                {
                    // A yes/no aggregate (any, none) decides on its own.
                    sb.Append(indent).Append("  ").Append(e.Outcome.Word()).Append(": ").Append(e.Expression).Append(" [").Append(e.Window).Append(']');
                    AppendSources(sb, e);
                    if (e.Outcome == Truth.Unknown && e.UnknownReason is { } reason)
                    {
                        sb.Append(" — unknown: ").Append(reason);
                    }

                    sb.Append('\n');
                }

                continue;
            }

            if (e.Kind == EvidenceKind.Fact)
            {
                sb.Append(indent).Append("  ").Append(e.Expression).Append(": ").Append(e.Value).Append('\n');
                continue;
            }

            sb.Append(indent).Append("  ").Append(e.Outcome.Word()).Append(": ").Append(e.Expression).Append(" = ").Append(e.Value)
              .Append(" (needs ").Append(e.Comparison).Append(' ').Append(e.Threshold).Append(')');
            if (lastAggregate is { } a && a.Expression == e.Expression)
            {
                sb.Append(" [").Append(a.Window).Append(']');
                AppendSources(sb, a);
            }

            if (e.Outcome == Truth.Unknown && e.UnknownReason is { } why)
            {
                sb.Append(" — unknown: ").Append(why);
            }

            sb.Append('\n');
        }
    }
}

/// <summary>
/// Runs a framework over one family: identification as of a date, the baseline at attachment, and outcome
/// measurement as data arrives. Deterministic: the same data, framework and date give the same answer.
/// </summary>
public sealed class ProgrammeEngine(SchoolTermCalendar calendar)
{
    public ProgrammeEngine()
        : this(SchoolTermCalendar.Default)
    {
    }

    public SchoolTermCalendar Calendar { get; } = calendar;

    public IdentificationResult Identify(Framework framework, ProgrammeFamilyData data, DateOnly asOf)
    {
        ArgumentNullException.ThrowIfNull(framework);
        ArgumentNullException.ThrowIfNull(data);
        var ctx = new FamilyContext(data.Family, data.Events, data.Coverage, Calendar, asOf);
        return Identify(framework, ctx, asOf);
    }

    /// <summary>Freezes the needs raised on the attachment date; null if the family is not attached.</summary>
    public BaselineSnapshot? Baseline(Framework framework, ProgrammeFamilyData data)
    {
        ArgumentNullException.ThrowIfNull(framework);
        ArgumentNullException.ThrowIfNull(data);
        if (data.Family.AttachmentDate is not { } attached)
        {
            return null;
        }

        var ctx = new FamilyContext(data.Family, data.Events, data.Coverage, Calendar, attached);
        return BaselineSnapshot.From(Identify(framework, ctx, attached));
    }

    /// <summary>
    /// Measures progress on each need in <paramref name="baseline"/> (or a baseline taken now from the data when
    /// none was frozen), evaluates every measure and result, as of <paramref name="asOf"/>.
    /// </summary>
    public OutcomeReport Measure(Framework framework, ProgrammeFamilyData data, DateOnly asOf, BaselineSnapshot? baseline = null)
    {
        ArgumentNullException.ThrowIfNull(framework);
        ArgumentNullException.ThrowIfNull(data);
        var family = data.Family;
        var ctx = new FamilyContext(family, data.Events, data.Coverage, Calendar, asOf);
        if (baseline is null && family.AttachmentDate is { } attached && attached <= asOf)
        {
            ctx.AsOf = attached;
            baseline = BaselineSnapshot.From(Identify(framework, ctx, attached));
        }

        var outcomes = new List<NeedOutcome>();
        foreach (var b in baseline?.Needs ?? [])
        {
            var need = framework.Needs.FirstOrDefault(n => n.Id == b.NeedId)
                ?? throw new InvalidOperationException($"the baseline names need '{b.NeedId}', which {framework.Id} does not define");
            outcomes.Add(NeedStatusOf(need, b.PersonId, ctx, asOf));
        }

        var measures = framework.Measures.Select(m => EvaluateMeasure(m, ctx, asOf)).ToList();
        var state = new OutcomeState(framework, baseline, outcomes, measures);
        ctx.AsOf = asOf;
        ctx.Member = -1;
        ctx.State = state;
        var results = new List<ResultFinding>();
        foreach (var r in framework.Results)
        {
            var v = r.Rule.Eval(ctx);
            results.Add(new ResultFinding(r, v.Truth, framework.PaymentFor(r, family.AttachmentDate), LazyEvidence.Of(ctx, r.Rule, [asOf], -1, state), v.Truth == Truth.Unknown ? v.Why : null));
        }

        return new OutcomeReport(framework, family, asOf, baseline, outcomes, measures, results);
    }

    private static IdentificationResult Identify(Framework framework, FamilyContext ctx, DateOnly asOf)
    {
        ctx.AsOf = asOf;
        var findings = new List<NeedFinding>();
        foreach (var need in framework.Needs)
        {
            var members = EvaluatePerScope(need.AppliesTo, need.AgeMin, need.AgeMax, need.Eligibility, ctx, asOf, out var truth, each: false);
            findings.Add(new NeedFinding(need, truth, members));
        }

        ctx.Member = -1;
        var state = new IdentificationState(framework, findings);
        ctx.State = state;
        var v = framework.Identification.Eval(ctx);
        ctx.State = null;
        var evidence = LazyEvidence.Of(ctx, framework.Identification, [asOf], -1, state);
        return new IdentificationResult(framework, ctx.Family.FamilyId, asOf, findings, v.Truth, evidence, v.Truth == Truth.Unknown ? v.Why : null);
    }

    /// <summary>Evaluates a condition for the household or each member in scope; combines with any (needs) or each.</summary>
    private static List<MemberFinding> EvaluatePerScope(AppliesTo applies, int? ageMin, int? ageMax, Node condition, FamilyContext ctx, DateOnly asOf, out Truth combined, bool each)
    {
        ctx.AsOf = asOf;
        var list = new List<MemberFinding>();
        if (applies == AppliesTo.Family)
        {
            ctx.Member = -1;
            var v = condition.Eval(ctx);
            list.Add(new MemberFinding(null, v.Truth, LazyEvidence.Of(ctx, condition, [asOf], -1, null), v.Truth == Truth.Unknown ? v.Why : null));
            combined = v.Truth;
            return list;
        }

        combined = each ? Truth.True : Truth.False;
        for (var i = 0; i < ctx.Members.Length; i++)
        {
            var m = ctx.Members[i];
            if (!InScope(m, applies, asOf))
            {
                continue;
            }

            if (ageMin is not null || ageMax is not null)
            {
                var age = m.AgeOn(asOf);
                if (age is null)
                {
                    list.Add(new MemberFinding(m.PersonId, Truth.Unknown, [], "date of birth not recorded"));
                    combined = each ? TruthOps.And(combined, Truth.Unknown) : TruthOps.Or(combined, Truth.Unknown);
                    continue;
                }

                if (age < ageMin || age > ageMax)
                {
                    continue;
                }
            }

            ctx.Member = i;
            var v = condition.Eval(ctx);
            list.Add(new MemberFinding(m.PersonId, v.Truth, LazyEvidence.Of(ctx, condition, [asOf], i, null), v.Truth == Truth.Unknown ? v.Why : null));
            combined = each ? TruthOps.And(combined, v.Truth) : TruthOps.Or(combined, v.Truth);
        }

        ctx.Member = -1;
        return list;
    }

    private static bool InScope(ProgrammeMember m, AppliesTo applies, DateOnly asOf) =>
        m.IsMemberOn(asOf) && applies switch
        {
            AppliesTo.Child => m.Role == MemberRole.Child,
            AppliesTo.Adult => m.Role is MemberRole.Adult or MemberRole.ExpectantParent,
            _ => true,
        };

    private static MeasureFinding EvaluateMeasure(MeasureDefinition m, FamilyContext ctx, DateOnly asOf)
    {
        var members = EvaluatePerScope(m.AppliesTo, m.AgeMin, m.AgeMax, m.Condition, ctx, asOf, out var truth, m.Each);
        return new MeasureFinding(m, truth, members);
    }

    private static NeedOutcome NeedStatusOf(NeedDefinition need, string? personId, FamilyContext ctx, DateOnly asOf)
    {
        var family = ctx.Family;
        var memberIndex = -1;
        if (personId is not null)
        {
            memberIndex = Array.FindIndex(ctx.Members, m => m.PersonId == personId);
            if (memberIndex < 0 || !ctx.Members[memberIndex].IsMemberOn(asOf))
            {
                var left = memberIndex >= 0 && ctx.Members[memberIndex].MemberTo is { } to ? to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "an unrecorded date";
                return new NeedOutcome(need, personId, NeedStatus.NotStarted, $"member left the household on {left}; the need is no longer assessed", true, []);
            }
        }

        if (family.AttachmentDate is not { } attached || asOf < attached)
        {
            return new NeedOutcome(need, personId, NeedStatus.NotStarted, "not attached by the as-of date", false, []);
        }

        if (need.Success is null)
        {
            return new NeedOutcome(need, personId, NeedStatus.Progressing, "the framework sets no success condition for this need (results use measures)", false, []);
        }

        Val At(DateOnly date)
        {
            ctx.AsOf = date;
            ctx.Member = memberIndex;
            var v = need.Success.Eval(ctx);
            ctx.Member = -1;
            return v;
        }

        if (need.SustainMonths is { } months && family.ClosureDate is { } closed && closed <= asOf)
        {
            var sustainDate = closed.AddMonths(months);
            var atClose = At(closed);
            var checkDate = asOf < sustainDate ? asOf : sustainDate;
            var later = At(checkDate);
            var cd = checkDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var c = closed.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var sd = sustainDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var evidence = LazyEvidence.Of(ctx, need.Success, [closed, checkDate], memberIndex, null);
            return (atClose.Truth, later.Truth) switch
            {
                (Truth.True, Truth.True) when checkDate == sustainDate => new(need, personId, NeedStatus.Sustained, $"met at closure ({c}) and still met {months} months later ({sd})", false, evidence),
                (Truth.True, Truth.True) => new(need, personId, NeedStatus.Met, $"met at closure ({c}) and on {cd}; sustained if still met on {sd}", false, evidence),
                (Truth.True, Truth.False) => new(need, personId, NeedStatus.Lapsed, $"met at closure ({c}) but not on {cd}", false, evidence),
                (Truth.Unknown, _) or (_, Truth.Unknown) => new(need, personId, NeedStatus.Unknown, $"cannot tell: {atClose.Why ?? later.Why}", false, evidence),
                (Truth.False, Truth.True) => new(need, personId, NeedStatus.Met, $"not met at closure ({c}) but met on {cd}: not sustained since closure", false, evidence),
                _ => new(need, personId, NeedStatus.Progressing, $"not met at closure ({c}) nor on {cd}", false, evidence),
            };
        }

        var now = At(asOf);
        var evidenceNow = LazyEvidence.Of(ctx, need.Success, [asOf], memberIndex, null);
        return now.Truth switch
        {
            Truth.True => new(need, personId, NeedStatus.Met, need.SustainMonths is { } m2 ? $"met; sustained once met {m2} months after closure" : "met", false, evidenceNow),
            Truth.False => new(need, personId, NeedStatus.Progressing, "success condition not yet met", false, evidenceNow),
            _ => new(need, personId, NeedStatus.Unknown, "cannot tell: " + now.Why, false, evidenceNow),
        };
    }

    private sealed class IdentificationState(Framework framework, List<NeedFinding> findings) : IProgrammeState
    {
        public Truth NeedRaised(string needId) => findings.First(f => f.Need.Id == needId).Raised;

        public Truth HeadlineRaised(string headlineId) =>
            findings.Where(f => f.Need.HeadlineId == headlineId).Aggregate(Truth.False, (t, f) => TruthOps.Or(t, f.Raised));

        public Truth NeedStatusAtLeast(string needId, NeedStatus status) => Truth.Unknown;

        public Truth Measure(string measureId) => Truth.Unknown;

        public Val CountNeedsRaised() => Range(findings.Select(f => f.Raised));

        public Val CountHeadlinesRaised() => Range(framework.Headlines.Select(h => HeadlineRaised(h.Id)));

        public Truth AllRaisedNeeds(NeedStatus atLeast) => Truth.Unknown;

        public Truth EligibleAtAttachment() => Truth.Unknown;

        internal static Val Range(IEnumerable<Truth> truths)
        {
            int yes = 0, maybe = 0;
            foreach (var t in truths)
            {
                if (t == Truth.True)
                {
                    yes++;
                }
                else if (t == Truth.Unknown)
                {
                    maybe++;
                }
            }

            return Val.Range(yes, yes + maybe, $"{maybe} need(s) could not be decided");
        }
    }

    private sealed class OutcomeState(Framework framework, BaselineSnapshot? baseline, List<NeedOutcome> outcomes, List<MeasureFinding> measures) : IProgrammeState
    {
        public Truth NeedRaised(string needId) => TruthOps.Of(baseline?.Needs.Any(n => n.NeedId == needId) ?? false);

        public Truth HeadlineRaised(string headlineId) => TruthOps.Of(baseline?.Needs.Any(n => n.HeadlineId == headlineId) ?? false);

        public Truth NeedStatusAtLeast(string needId, NeedStatus status)
        {
            var mine = outcomes.Where(o => o.Need.Id == needId && !o.Excluded).ToList();
            return mine.Count == 0 ? Truth.False : mine.Aggregate(Truth.True, (t, o) => TruthOps.And(t, Reaches(o.Status, status)));
        }

        public Truth Measure(string measureId) => measures.First(m => m.Measure.Id == measureId).Holds;

        public Truth EligibleAtAttachment() => baseline?.Eligible switch
        {
            "met" => Truth.True,
            "unknown" => Truth.Unknown,
            _ => Truth.False,
        };

        public Val CountNeedsRaised() => Val.Num(baseline?.Needs.Select(n => n.NeedId).Distinct(StringComparer.Ordinal).Count() ?? 0);

        public Val CountHeadlinesRaised() => Val.Num(baseline?.Needs.Select(n => n.HeadlineId).Distinct(StringComparer.Ordinal).Count() ?? 0);

        public Truth AllRaisedNeeds(NeedStatus atLeast)
        {
            var live = outcomes.Where(o => !o.Excluded).ToList();
            return live.Count == 0 ? Truth.False : live.Aggregate(Truth.True, (t, o) => TruthOps.And(t, Reaches(o.Status, atLeast)));
        }

        private static Truth Reaches(NeedStatus status, NeedStatus wanted) => status switch
        {
            NeedStatus.Unknown => Truth.Unknown,
            NeedStatus.Sustained => Truth.True,
            NeedStatus.Met => TruthOps.Of(wanted == NeedStatus.Met),
            _ => Truth.False,
        };

        public override string ToString() => framework.Id;
    }
}

/// <summary>
/// Evidence gathered when first read, by evaluating the condition again over the same (immutable) family data:
/// identification of half a million families need not build explanations nobody reads, and an explanation read
/// later is exactly the one the decision was made on.
/// </summary>
internal sealed class LazyEvidence : IReadOnlyList<Evidence>
{
    private readonly FamilyContext _ctx;
    private readonly Node _node;
    private readonly DateOnly[] _dates;
    private readonly int _member;
    private readonly IProgrammeState? _state;
    private volatile List<Evidence>? _items;

    private LazyEvidence(FamilyContext ctx, Node node, DateOnly[] dates, int member, IProgrammeState? state)
    {
        _ctx = ctx;
        _node = node;
        _dates = dates;
        _member = member;
        _state = state;
    }

    public int Count => Items.Count;

    private List<Evidence> Items
    {
        get
        {
            if (_items is { } ready)
            {
                return ready;
            }

            lock (_ctx)
            {
                if (_items is null)
                {
                    var (asOf, member, state, sink) = (_ctx.AsOf, _ctx.Member, _ctx.State, _ctx.Evidence);
                    var list = new List<Evidence>();
                    try
                    {
                        _ctx.Member = _member;
                        _ctx.State = _state;
                        _ctx.Evidence = list;
                        foreach (var d in _dates)
                        {
                            _ctx.AsOf = d;
                            _node.Eval(_ctx);
                        }
                    }
                    finally
                    {
                        (_ctx.AsOf, _ctx.Member, _ctx.State, _ctx.Evidence) = (asOf, member, state, sink);
                    }

                    _items = list;
                }

                return _items;
            }
        }
    }

    public Evidence this[int index] => Items[index];

    public static LazyEvidence Of(FamilyContext ctx, Node node, DateOnly[] dates, int member, IProgrammeState? state) => new(ctx, node, dates, member, state);

    public IEnumerator<Evidence> GetEnumerator() => Items.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
