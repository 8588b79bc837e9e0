using System.Globalization;

namespace Hearth.Core.Programmes;

/// <summary>The kinds of time window a rule can count events over.</summary>
public enum WindowKind
{
    /// <summary><c>in last N months</c>: the N calendar months ending on the as-of date.</summary>
    LastMonths,

    /// <summary><c>in last N weeks</c>.</summary>
    LastWeeks,

    /// <summary><c>over last N terms</c>: the N most recent school terms completed by the as-of date.</summary>
    LastTerms,

    /// <summary><c>at as_of</c>: spells open on the as-of date.</summary>
    AtAsOf,

    /// <summary><c>at attachment</c>: spells open on the attachment date.</summary>
    AtAttachment,

    /// <summary><c>at closure</c>: spells open on the closure date.</summary>
    AtClosure,

    /// <summary><c>in N months before attachment</c>: the baseline period, ending the day before attachment.</summary>
    MonthsBeforeAttachment,

    /// <summary><c>over N terms before attachment</c>: the N terms completed before the attachment date.</summary>
    TermsBeforeAttachment,

    /// <summary><c>in N months after closure</c>: from the day after closure; unknown until the period has passed.</summary>
    MonthsAfterClosure,

    /// <summary><c>since attachment</c>: from the attachment date to the as-of date.</summary>
    SinceAttachment,
}

/// <summary>A window as written in a rule, with its length resolved from parameters at load time.</summary>
public sealed record WindowSpec(WindowKind Kind, int N, string Text);

/// <summary>A window placed on the calendar for one evaluation.</summary>
internal readonly record struct ResolvedWindow(WindowSpec Spec, DatePeriod? Range, DateOnly? Point, SchoolTerm[]? Terms, string? Unknown)
{
    public string Label
    {
        get
        {
            if (Unknown is not null)
            {
                return Spec.Text + " (cannot be placed: " + Unknown + ")";
            }

            if (Terms is { Length: > 0 } terms)
            {
                return $"{Spec.Text} ({terms[0]} to {terms[^1]}, {Range})";
            }

            return Point is { } p
                ? $"{Spec.Text} ({p.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)})"
                : $"{Spec.Text} ({Range})";
        }
    }

    public static ResolvedWindow Resolve(WindowSpec spec, FamilyContext ctx)
    {
        var asOf = ctx.AsOf;
        var attach = ctx.Family.AttachmentDate;
        var closure = ctx.Family.ClosureDate;
        switch (spec.Kind)
        {
            case WindowKind.LastMonths:
                return new(spec, DatePeriod.MonthsEndingOn(asOf, spec.N), null, null, null);
            case WindowKind.LastWeeks:
                return new(spec, new DatePeriod(asOf.AddDays(1 - (7 * spec.N)), asOf), null, null, null);
            case WindowKind.LastTerms:
                return FromTerms(spec, ctx.Calendar.CompletedTermsCached(asOf, spec.N));
            case WindowKind.AtAsOf:
                return new(spec, new DatePeriod(asOf, asOf), asOf, null, null);
            case WindowKind.AtAttachment:
                return attach is { } a && a <= asOf
                    ? new(spec, new DatePeriod(a, a), a, null, null)
                    : new(spec, null, null, null, attach is null ? "no attachment date" : "attachment is after the as-of date");
            case WindowKind.AtClosure:
                return closure is { } c && c <= asOf
                    ? new(spec, new DatePeriod(c, c), c, null, null)
                    : new(spec, null, null, null, closure is null ? "the case is not closed" : "closure is after the as-of date");
            case WindowKind.MonthsBeforeAttachment:
                return attach is { } a2
                    ? new(spec, DatePeriod.MonthsEndingOn(a2.AddDays(-1), spec.N), null, null, null)
                    : new(spec, null, null, null, "no attachment date");
            case WindowKind.TermsBeforeAttachment:
                return attach is { } a3
                    ? FromTerms(spec, ctx.Calendar.CompletedTermsCached(a3.AddDays(-1), spec.N))
                    : new(spec, null, null, null, "no attachment date");
            case WindowKind.MonthsAfterClosure:
                if (closure is not { } c2)
                {
                    return new(spec, null, null, null, "the case is not closed");
                }

                var end = c2.AddMonths(spec.N);
                return end > asOf
                    ? new(spec, null, null, null, $"the {spec.N.ToString(CultureInfo.InvariantCulture)} months after closure end on {end:yyyy-MM-dd}, after the as-of date")
                    : new(spec, new DatePeriod(c2.AddDays(1), end), null, null, null);
            case WindowKind.SinceAttachment:
                return attach is { } a4 && a4 <= asOf
                    ? new(spec, new DatePeriod(a4, asOf), null, null, null)
                    : new(spec, null, null, null, attach is null ? "no attachment date" : "attachment is after the as-of date");
            default:
                throw new InvalidOperationException("unknown window kind");
        }
    }

    private static ResolvedWindow FromTerms(WindowSpec spec, SchoolTerm[] terms) =>
        terms.Length < spec.N
            ? new(spec, null, null, null, "the term calendar does not reach back far enough")
            : new(spec, new DatePeriod(terms[0].Period.Start, terms[^1].Period.End), null, terms, null);
}
