using Hearth.Core.Finance.UnitCosts;

namespace Hearth.Core.Finance.Cba;

/// <summary>Cost type in the New Economy model (H1).</summary>
public enum CostType
{
    Capital,
    Revenue,

    /// <summary>Staff time or other resources given in kind; a real cost to the agency that gives it.</summary>
    InKind,
}

/// <summary>Whether payback compares discounted or undiscounted cumulative figures.</summary>
public enum PaybackBasis
{
    Discounted,
    Undiscounted,
}

/// <summary>
/// Optimism-bias correction for one evidence confidence grade: costs are raised by <see cref="CostUplift"/> and
/// outcome impacts cut by <see cref="BenefitReduction"/>. The values are configuration supplied by the analyst
/// (from HM Treasury's 2014 guidance, chapters 6–7); Hearth ships none as fact.
/// </summary>
public sealed record OptimismBiasGrade(string Grade, decimal CostUplift, decimal BenefitReduction, string Description);

/// <summary>One band of a discount schedule: <see cref="Rate"/> applies to years up to and including <see cref="ToYear"/>.</summary>
public sealed record DiscountBand(int ToYear, decimal Rate);

/// <summary>A cost line (H1): who bears it, what type, in which year of the analysis, at which price base.</summary>
public sealed record CostLine(string Id, string Agency, CostType Type, int Year, Money Amount, PriceYear PriceYear, string Grade, string Description);

/// <summary>
/// An outcome line (H2): gross outcome changes a year = need × engagement × impact × (1 − deadweight) ×
/// attribution × (1 − optimism-bias benefit reduction for the grade). The change starts
/// <see cref="Lag"/> years after <see cref="StartYear"/> and lasts <see cref="Duration"/> years, falling by
/// <see cref="DropOff"/> of the previous year's effect each year after the first.
/// </summary>
public sealed record OutcomeLine
{
    public required string Id { get; init; }
    public string Description { get; init; } = string.Empty;
    public required string UnitCode { get; init; }
    public IReadOnlyList<ValueKind> Values { get; init; } = [ValueKind.Fiscal, ValueKind.Economic, ValueKind.Social];
    public decimal Need { get; init; }
    public decimal Engagement { get; init; } = 1;
    public decimal Impact { get; init; }
    public decimal Deadweight { get; init; }
    public decimal Attribution { get; init; } = 1;
    public int StartYear { get; init; }
    public int Lag { get; init; }
    public int Duration { get; init; } = 1;
    public decimal DropOff { get; init; }
    public required string Grade { get; init; }

    /// <summary>Cashability for this line's fiscal benefits, overriding the agency and default factors.</summary>
    public decimal? Cashability { get; init; }

    /// <summary>Source line in the input file, for messages.</summary>
    public int SourceLine { get; init; }
}

/// <summary>A complete CBA input (see docs/money.md for the YAML form).</summary>
public sealed record CbaInput
{
    public required string Name { get; init; }
    public required PriceYear PriceYear { get; init; }

    /// <summary>Financial year that is year 0 of the analysis.</summary>
    public required PriceYear FirstYear { get; init; }

    /// <summary>Years analysed: year 0 to year HorizonYears − 1.</summary>
    public required int HorizonYears { get; init; }

    public PaybackBasis Payback { get; init; } = PaybackBasis.Discounted;
    public IReadOnlyList<DiscountBand> Discount { get; init; } = GreenBook;
    public required string OptimismBiasSource { get; init; }
    public required IReadOnlyDictionary<string, OptimismBiasGrade> OptimismBias { get; init; }
    public required decimal DefaultCashability { get; init; }
    public IReadOnlyDictionary<string, decimal> AgencyCashability { get; init; } = new Dictionary<string, decimal>(StringComparer.Ordinal);
    public IReadOnlyList<CostLine> Costs { get; init; } = [];
    public IReadOnlyList<OutcomeLine> Outcomes { get; init; } = [];

    /// <summary>Green Book social time preference rate: 3.5% for years 1–30, 3.0% for years 31–75.</summary>
    public static readonly IReadOnlyList<DiscountBand> GreenBook = [new(30, 0.035m), new(75, 0.03m)];
}
