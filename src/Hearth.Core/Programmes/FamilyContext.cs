namespace Hearth.Core.Programmes;

/// <summary>A family's events indexed for rule evaluation, with the as-of date and the member in scope.</summary>
internal sealed class FamilyContext
{
    private static readonly int TypeCount = Enum.GetValues<EventType>().Length;

    public FamilyContext(ProgrammeFamily family, IReadOnlyList<ProgrammeEvent> events, ProgrammeDataCoverage coverage, SchoolTermCalendar calendar, DateOnly asOf)
    {
        Family = family;
        Members = [.. family.Members];
        Coverage = coverage;
        Calendar = calendar;
        AsOf = asOf;
        var index = new Dictionary<string, int>(Members.Length, StringComparer.Ordinal);
        for (var i = 0; i < Members.Length; i++)
        {
            index[Members[i].PersonId] = i;
        }

        var counts = new int[TypeCount];
        foreach (var e in events)
        {
            counts[(int)e.Type]++;
        }

        ByType = new ProgrammeEvent[TypeCount][];
        MemberOf = new int[TypeCount][];
        for (var t = 0; t < TypeCount; t++)
        {
            ByType[t] = counts[t] == 0 ? [] : new ProgrammeEvent[counts[t]];
            MemberOf[t] = counts[t] == 0 ? [] : new int[counts[t]];
        }

        Array.Clear(counts);
        foreach (var e in events)
        {
            var t = (int)e.Type;
            ByType[t][counts[t]++] = e;
        }

        for (var t = 0; t < TypeCount; t++)
        {
            if (ByType[t].Length > 1)
            {
                Array.Sort(ByType[t], static (a, b) => a.Start.CompareTo(b.Start));
            }

            for (var i = 0; i < ByType[t].Length; i++)
            {
                MemberOf[t][i] = index.TryGetValue(ByType[t][i].PersonId, out var m) ? m : -1;
            }
        }
    }

    public ProgrammeFamily Family { get; }

    public ProgrammeMember[] Members { get; }

    public ProgrammeEvent[][] ByType { get; }

    /// <summary>For each event, the index of its person in <see cref="Members"/>, or -1 when not a member.</summary>
    public int[][] MemberOf { get; }

    public ProgrammeDataCoverage Coverage { get; }

    public SchoolTermCalendar Calendar { get; }

    public DateOnly AsOf { get; set; }

    /// <summary>The member being evaluated, or -1 when events of the whole household are pooled.</summary>
    public int Member { get; set; } = -1;

    /// <summary>Where evaluation writes its evidence, or null to collect none.</summary>
    public List<Evidence>? Evidence { get; set; }

    /// <summary>Needs, measures and statuses for result and identification rules.</summary>
    public IProgrammeState? State { get; set; }
}

/// <summary>Answers the references rules make to needs, headlines and measures.</summary>
internal interface IProgrammeState
{
    Truth NeedRaised(string needId);

    Truth HeadlineRaised(string headlineId);

    Truth NeedStatusAtLeast(string needId, NeedStatus status);

    Truth Measure(string measureId);

    Val CountNeedsRaised();

    Val CountHeadlinesRaised();

    Truth AllRaisedNeeds(NeedStatus atLeast);

    Truth EligibleAtAttachment();
}

/// <summary>
/// One piece of evidence behind a decision: an aggregate over events in a window (with the events) or a test of a
/// measured value against a threshold. Text is produced when asked for.
/// </summary>
public sealed class Evidence
{
    private readonly ResolvedWindow? _window;
    private readonly Val _value;
    private readonly Val _threshold;
    private readonly bool _percent;

    internal Evidence(EvidenceKind kind, string expression, string? personId, ResolvedWindow? window, Val value, Val threshold, string? comparison, Truth outcome, IReadOnlyList<ProgrammeEvent> events, bool percent)
    {
        Kind = kind;
        Expression = expression;
        PersonId = personId;
        _window = window;
        _value = value;
        _threshold = threshold;
        Comparison = comparison;
        Outcome = outcome;
        Events = events;
        _percent = percent;
    }

    public EvidenceKind Kind { get; }

    /// <summary>The rule text this evidence is for, e.g. <c>count(offence where proven) in last 12 months</c>.</summary>
    public string Expression { get; }

    /// <summary>The member the evidence concerns, or null for the household as a whole.</summary>
    public string? PersonId { get; }

    /// <summary>The window as placed on the calendar, e.g. <c>over last 3 terms (autumn 2024/25 to summer 2024/25, …)</c>.</summary>
    public string Window => _window?.Label ?? string.Empty;

    /// <summary>The period the window covered, when it could be placed.</summary>
    public DatePeriod? Period => _window?.Range;

    /// <summary>The measured value, e.g. <c>9.8%</c>, <c>2</c> or <c>unknown</c>.</summary>
    public string Value => _value.Format(_percent);

    /// <summary>For a test, the threshold it was compared with.</summary>
    public string? Threshold => Kind == EvidenceKind.Test ? _threshold.Format(_percent) : null;

    /// <summary>For a test, the comparison operator.</summary>
    public string? Comparison { get; }

    public Truth Outcome { get; }

    /// <summary>The events counted (with their source references).</summary>
    public IReadOnlyList<ProgrammeEvent> Events { get; }

    /// <summary>Why the value is unknown, when it is.</summary>
    public string? UnknownReason => _value.Why ?? _window?.Unknown ?? _threshold.Why;

    internal decimal? NumericValue => _value.Exact ? _value.Lo : null;

    internal decimal? NumericThreshold => _threshold.Exact ? _threshold.Lo : null;

    /// <summary>One line a data officer can read.</summary>
    public override string ToString()
    {
        var who = PersonId is null ? "family" : "member " + PersonId;
        return Kind == EvidenceKind.Test
            ? $"{who}: {Expression} is {Value}, needs {Comparison} {Threshold}: {Outcome.Word()}{(UnknownReason is { } r && Outcome == Truth.Unknown ? " (" + r + ")" : string.Empty)}"
            : $"{who}: {Expression} {Window} = {Value}{(Events.Count > 0 ? " from " + string.Join(", ", Events.Select(e => e.Source.ToString())) : string.Empty)}";
    }
}

public enum EvidenceKind
{
    /// <summary>An aggregate over events in a window.</summary>
    Aggregate,

    /// <summary>A measured value compared with a threshold.</summary>
    Test,

    /// <summary>A recorded fact about the family (key worker, assessment, plan).</summary>
    Fact,
}
