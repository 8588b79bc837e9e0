namespace Hearth.Core.Programmes;

/// <summary>Whom a need or measure concerns: the household as a whole or each child, adult or member in turn.</summary>
public enum AppliesTo
{
    Family,
    Child,
    Adult,
    Member,
}

/// <summary>Where a family stands on one need.</summary>
public enum NeedStatus
{
    /// <summary>Not yet attached (or the as-of date is before attachment).</summary>
    NotStarted,

    /// <summary>Attached; the success condition does not (yet) hold.</summary>
    Progressing,

    /// <summary>The success condition holds at the as-of date.</summary>
    Met,

    /// <summary>Met at closure and still met at the end of the sustainment period after it.</summary>
    Sustained,

    /// <summary>Met at closure but no longer met.</summary>
    Lapsed,

    /// <summary>The data needed to decide is missing: never counted as met.</summary>
    Unknown,
}

/// <summary>A family need (eligibility indicator) under a headline, with its success condition.</summary>
public sealed class NeedDefinition
{
    public required string Id { get; init; }

    public required string Title { get; init; }

    public required string HeadlineId { get; init; }

    public required AppliesTo AppliesTo { get; init; }

    public int? AgeMin { get; init; }

    public int? AgeMax { get; init; }

    public required string EligibilityText { get; init; }

    public string? SuccessText { get; init; }

    /// <summary>Months after closure the success must hold for the need to count as sustained.</summary>
    public int? SustainMonths { get; init; }

    public string? Source { get; init; }

    public string Confidence { get; init; } = "M";

    public int Line { get; init; }

    internal Node Eligibility { get; init; } = null!;

    internal Node? Success { get; init; }
}

/// <summary>A headline (problem or outcome) grouping needs.</summary>
public sealed record HeadlineDefinition(string Id, string Title, IReadOnlyList<NeedDefinition> Needs);

/// <summary>
/// A named outcome test measured for every family, whether or not it raised a need (phase 1's education and
/// crime tests are of this kind). For each child/adult/member it holds for every one in scope (<c>each</c>) or any.
/// </summary>
public sealed class MeasureDefinition
{
    public required string Id { get; init; }

    public required string Title { get; init; }

    public required AppliesTo AppliesTo { get; init; }

    public bool Each { get; init; } = true;

    public int? AgeMin { get; init; }

    public int? AgeMax { get; init; }

    public required string ConditionText { get; init; }

    public string? Source { get; init; }

    public string Confidence { get; init; } = "M";

    internal Node Condition { get; init; } = null!;
}

/// <summary>A payable result: a rule over needs, measures and family facts, and what it pays.</summary>
public sealed class ResultDefinition
{
    public required string Id { get; init; }

    public required string Title { get; init; }

    public required string RuleText { get; init; }

    /// <summary>A fixed payment for the result.</summary>
    public Money? Amount { get; init; }

    /// <summary>Alternatively, the total for the family including its attachment fee (phase 1's £3,900 and £4,000).</summary>
    public Money? TotalIncludingAttachment { get; init; }

    /// <summary>Whether achieving the result means the family was "turned around" (phase 1: not so for progress to work).</summary>
    public bool TurnsAround { get; init; } = true;

    public string? Source { get; init; }

    internal Node Rule { get; init; } = null!;
}

/// <summary>The attachment fee for families attached within a period.</summary>
public sealed record AttachmentFee(DatePeriod AttachedBetween, Money Amount);

/// <summary>
/// An outcome framework loaded from a rules file: identification, needs, measures, results and payments for one
/// scheme version in force over <see cref="Effective"/>.
/// </summary>
public sealed class Framework
{
    public required string Id { get; init; }

    public required string Scheme { get; init; }

    public required string Version { get; init; }

    public required string Title { get; init; }

    public required DatePeriod Effective { get; init; }

    public required string FileName { get; init; }

    /// <summary>SHA-256 of the file's text: frozen claim evidence names the exact rules it was judged by.</summary>
    public required string ContentHash { get; init; }

    public required IReadOnlyDictionary<string, RuleParameter> Parameters { get; init; }

    public required IReadOnlyList<HeadlineDefinition> Headlines { get; init; }

    public required IReadOnlyList<MeasureDefinition> Measures { get; init; }

    public required IReadOnlyList<ResultDefinition> Results { get; init; }

    public required string IdentificationText { get; init; }

    public IReadOnlyList<AttachmentFee> AttachmentFees { get; init; } = [];

    /// <summary>Most a family can earn (attachment fee plus results), if capped.</summary>
    public Money? CapPerFamily { get; init; }

    /// <summary>Share of identified families the funding covers (phase 1: 5/6).</summary>
    public decimal? FundedShare => FundedShareRatio is { } r ? (decimal)r.Numerator / r.Denominator : null;

    /// <summary>The funded share as a fraction, so 5/6 of 6 families is exactly 5.</summary>
    public (long Numerator, long Denominator)? FundedShareRatio { get; init; }

    /// <summary>Whether a senior officer may approve a discretionary claim.</summary>
    public bool DiscretionaryClaims { get; init; }

    public IEnumerable<NeedDefinition> Needs => Headlines.SelectMany(h => h.Needs);

    internal Node Identification { get; init; } = null!;

    /// <summary>The attachment fee for a family attached on <paramref name="attached"/>, or zero.</summary>
    public Money AttachmentFeeFor(DateOnly? attached) =>
        attached is { } a ? AttachmentFees.FirstOrDefault(f => f.AttachedBetween.Contains(a))?.Amount ?? Money.Zero : Money.Zero;

    /// <summary>What a result pays a family attached on <paramref name="attached"/>, before the family cap.</summary>
    public Money PaymentFor(ResultDefinition result, DateOnly? attached)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Amount is { } amount)
        {
            return amount;
        }

        var total = result.TotalIncludingAttachment ?? Money.Zero;
        return Money.Max(Money.Zero, total - AttachmentFeeFor(attached));
    }

    /// <summary>Families the funding covers out of <paramref name="identified"/> (rounded down; rule B7).</summary>
    public int FundedFamilies(int identified) =>
        FundedShareRatio is { } r ? (int)(identified * r.Numerator / r.Denominator) : identified;

    public override string ToString() => $"{Id} ({Scheme} {Version})";
}
