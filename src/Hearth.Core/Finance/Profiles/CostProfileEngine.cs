namespace Hearth.Core.Finance.Profiles;

/// <summary>Whether a cost line falls before or after the family's attachment date (or the family has none).</summary>
public enum CostPhase
{
    /// <summary>No attachment date was given for the family.</summary>
    All,

    /// <summary>Before the attachment date.</summary>
    Before,

    /// <summary>On or after the attachment date.</summary>
    After,
}

/// <summary>
/// One event as the cost profile reads it from the store: its dates, agency and, in <c>Fields</c>, the values of
/// <see cref="CostProfileEngine.Columns"/> in that order.
/// </summary>
public sealed record CostEvent(long EventId, string EventType, string AgencyId, DateOnly Start, DateOnly? End, object?[] Fields);

/// <summary>A stay of a person in the family (inclusive, null = open): only events in it count for the family.</summary>
public readonly record struct Membership(DateOnly? From, DateOnly? To);

/// <summary>
/// One line of a family's cost profile: what the events of one rule, recorded by one agency, cost in one
/// financial year (and phase). <see cref="Amount"/> = Σ over each event's part in the year of
/// round(<see cref="UnitValue"/> × units ÷ divide_by); <see cref="Units"/> are in the basis's unit
/// (events, terms, days, weeks or years) and <see cref="Days"/> counts the days of the events' parts, so the line can be re-added by hand from its events.
/// </summary>
public sealed record CostLine(
    PriceYear Year,
    string AgencyId,
    CostPhase Phase,
    string RuleId,
    string EventType,
    string Code,
    CostBasis Basis,
    decimal DivideBy,
    CostKind Kind,
    string Need,
    Money UnitValue,
    decimal Units,
    int Days,
    int Events,
    Money Amount,
    IReadOnlyList<long> EventIds);

/// <summary>Several agencies recording events with one family for the same kind of need in the same financial year.</summary>
public sealed record Duplication(PriceYear Year, string Need, IReadOnlyList<string> Agencies, int Events, Money Amount);

/// <summary>A family's costs to the public sector, as recorded by the agencies and valued with unit costs.</summary>
public sealed record FamilyCostProfile(
    long FamilyId,
    string FamilyReference,
    DateOnly? AttachDate,
    IReadOnlyList<CostLine> Lines,
    IReadOnlyList<Duplication> Duplications)
{
    public Money Total => Sum(Lines);

    public Money Reactive => Sum(Lines.Where(l => l.Kind == CostKind.Reactive));

    public Money Preventative => Sum(Lines.Where(l => l.Kind == CostKind.Preventative));

    public Money Before => Sum(Lines.Where(l => l.Phase == CostPhase.Before));

    public Money After => Sum(Lines.Where(l => l.Phase == CostPhase.After));

    private static Money Sum(IEnumerable<CostLine> lines) => lines.Aggregate(Money.Zero, (s, l) => s + l.Amount);
}

/// <summary>
/// Values a family's events with the cost profile configuration. For each event the first rule (in file order)
/// whose event type and conditions match prices it; the event's days (start to end inclusive; an open spell
/// runs to <c>asOf</c>) are cut to the person's stays in the family, to <c>asOf</c>, to the financial year
/// asked for, at 1 April of each year and at the attachment date, and each part is priced on its own:
/// per event 1 unit (in the part holding the start date), per term 1, per day days, per week days ÷ 7,
/// per spell-year days ÷ 365; amount = round(unit value × units ÷ divide_by) to the penny.
/// </summary>
public sealed class CostProfileEngine
{
    private readonly Dictionary<string, (CostRule Rule, (int Column, EventCondition Condition)[] Tests)[]> _byType;
    private readonly int _possible;
    private readonly int _unauthorised;

    public CostProfileEngine(CostProfileConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        Config = config;
        var columns = new List<string>();
        int ColumnIndex(string name)
        {
            var i = columns.IndexOf(name);
            if (i < 0)
            {
                columns.Add(name);
                i = columns.Count - 1;
            }

            return i;
        }

        _possible = -1;
        _unauthorised = -1;
        if (config.Rules.Any(r => r.Conditions.Any(c => c.Column == CostProfileConfig.UnauthorisedRate)))
        {
            _possible = ColumnIndex("sessions_possible");
            _unauthorised = ColumnIndex("sessions_unauthorised_absence");
        }

        _byType = config.Rules
            .GroupBy(r => r.EventType, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(r => (r, r.Conditions
                .Select(c => (c.Column == CostProfileConfig.UnauthorisedRate ? -1 : ColumnIndex(c.Column), c)).ToArray())).ToArray(), StringComparer.Ordinal);
        Columns = columns;
    }

    public CostProfileConfig Config { get; }

    /// <summary>The event columns (snake_case) rules test, which the reader must supply in <see cref="CostEvent.Fields"/>.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>The event types any rule prices.</summary>
    public IEnumerable<string> EventTypes => _byType.Keys;

    /// <summary>The first rule that prices the event, or null.</summary>
    public CostRule? Match(CostEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (!_byType.TryGetValue(e.EventType, out var candidates))
        {
            return null;
        }

        foreach (var (rule, tests) in candidates)
        {
            var all = true;
            foreach (var (column, condition) in tests)
            {
                var value = column >= 0 ? e.Fields[column] : UnauthorisedRate(e);
                if (!condition.Matches(value))
                {
                    all = false;
                    break;
                }
            }

            if (all)
            {
                return rule;
            }
        }

        return null;
    }

    /// <summary>
    /// The profile of one family from its events (each with the stays of the member it was recorded for).
    /// <paramref name="keepEventIds"/> keeps every event id on its line, for tracing; bulk runs leave it off.
    /// </summary>
    public FamilyCostProfile Profile(
        long familyId,
        string familyReference,
        IEnumerable<(CostEvent Event, Membership Stay)> events,
        DateOnly asOf,
        PriceYear? year = null,
        DateOnly? attachDate = null,
        bool keepEventIds = true)
    {
        ArgumentNullException.ThrowIfNull(events);
        return ProfileMatched(familyId, familyReference, events.Select(x => (x.Event, x.Stay, Match(x.Event))), asOf, year, attachDate, keepEventIds);
    }

    /// <summary>As <see cref="Profile"/>, for events already matched to their rule (null: not priced).</summary>
    internal static FamilyCostProfile ProfileMatched(
        long familyId,
        string familyReference,
        IEnumerable<(CostEvent Event, Membership Stay, CostRule? Rule)> events,
        DateOnly asOf,
        PriceYear? year,
        DateOnly? attachDate,
        bool keepEventIds)
    {
        var lines = new Dictionary<(int Year, string Agency, CostPhase Phase, string Rule), Accumulator>();
        var seen = new HashSet<(long, int)>();
        foreach (var (e, stay, rule) in events)
        {
            if (rule is null)
            {
                continue;
            }

            var from = Max(e.Start, stay.From);
            var to = Min(Min(e.End ?? asOf, asOf), stay.To);
            if (rule.Basis is CostBasis.PerEvent or CostBasis.PerTerm)
            {
                // Counted once, on the start date, when that date is inside the stay and not after asOf.
                if (e.Start < (stay.From ?? DateOnly.MinValue) || e.Start > Min(asOf, stay.To))
                {
                    continue;
                }

                from = e.Start;
                to = e.Start;
            }

            if (year is { } y)
            {
                from = Max(from, new DateOnly(y.StartYear, 4, 1));
                to = Min(to, new DateOnly(y.StartYear + 1, 3, 31));
            }

            if (to < from)
            {
                continue;
            }

            var partStart = from;
            while (partStart <= to)
            {
                var fy = FinancialYear(partStart);
                var partEnd = Min(to, new DateOnly(fy + 1, 3, 31));
                var phase = CostPhase.All;
                if (attachDate is { } attach)
                {
                    if (partStart < attach)
                    {
                        phase = CostPhase.Before;
                        partEnd = Min(partEnd, attach.AddDays(-1));
                    }
                    else
                    {
                        phase = CostPhase.After;
                    }
                }

                // One event's part is priced once even when the person appears twice in the family.
                if (seen.Add((e.EventId, partStart.DayNumber)))
                {
                    var days = partEnd.DayNumber - partStart.DayNumber + 1;
                    var units = rule.Basis switch
                    {
                        CostBasis.PerEvent or CostBasis.PerTerm => 1m,
                        CostBasis.PerDay => days,
                        CostBasis.PerWeek => days / 7m,
                        _ => days / 365m,
                    };
                    var amount = rule.UnitValue.MultiplyBy(units / rule.DivideBy);
                    var key = (fy, e.AgencyId, phase, rule.Id);
                    if (!lines.TryGetValue(key, out var acc))
                    {
                        acc = new Accumulator(rule, keepEventIds);
                        lines[key] = acc;
                    }

                    acc.Add(e.EventId, units, days, amount);
                }

                partStart = partEnd.AddDays(1);
            }
        }

        var costLines = lines
            .OrderBy(l => l.Key.Year).ThenBy(l => l.Key.Agency, StringComparer.Ordinal).ThenBy(l => l.Key.Phase).ThenBy(l => l.Key.Rule, StringComparer.Ordinal)
            .Select(l => l.Value.ToLine(new PriceYear(l.Key.Year), l.Key.Agency, l.Key.Phase))
            .ToList();
        var duplications = costLines
            .GroupBy(l => (l.Year, l.Need))
            .Select(g => (g.Key, Agencies: g.Select(l => l.AgencyId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(), Lines: g.ToList()))
            .Where(g => g.Agencies.Count > 1)
            .Select(g => new Duplication(g.Key.Year, g.Key.Need, g.Agencies, g.Lines.Sum(l => l.Events), g.Lines.Aggregate(Money.Zero, (s, l) => s + l.Amount)))
            .ToList();
        return new FamilyCostProfile(familyId, familyReference, attachDate, costLines, duplications);
    }

    /// <summary>The start year of the financial year (1 April to 31 March) holding <paramref name="date"/>.</summary>
    public static int FinancialYear(DateOnly date) => date.Month >= 4 ? date.Year : date.Year - 1;

    private double? UnauthorisedRate(CostEvent e)
    {
        if (_possible < 0 || e.Fields[_possible] is null or DBNull || e.Fields[_unauthorised] is null or DBNull)
        {
            return null;
        }

        var possible = Convert.ToDouble(e.Fields[_possible], System.Globalization.CultureInfo.InvariantCulture);
        return possible <= 0 ? null : Convert.ToDouble(e.Fields[_unauthorised], System.Globalization.CultureInfo.InvariantCulture) / possible;
    }

    private static DateOnly Max(DateOnly a, DateOnly? b) => b is { } v && v > a ? v : a;

    private static DateOnly Min(DateOnly a, DateOnly? b) => b is { } v && v < a ? v : a;

    private sealed class Accumulator(CostRule rule, bool keepEventIds)
    {
        private readonly List<long> _ids = [];
        private readonly HashSet<long> _events = [];
        private decimal _units;
        private int _days;
        private Money _amount;

        public void Add(long eventId, decimal units, int days, Money amount)
        {
            _days += days;
            if (_events.Add(eventId) && keepEventIds)
            {
                _ids.Add(eventId);
            }

            _units += units;
            _amount += amount;
        }

        public CostLine ToLine(PriceYear year, string agency, CostPhase phase) =>
            new(year, agency, phase, rule.Id, rule.EventType, rule.Code, rule.Basis, rule.DivideBy, rule.Kind, rule.Need, rule.UnitValue,
                _units, _days, _events.Count, _amount, _ids);
    }
}
