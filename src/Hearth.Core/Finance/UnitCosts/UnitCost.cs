namespace Hearth.Core.Finance.UnitCosts;

/// <summary>The three kinds of value the New Economy / GMCA method attaches to an outcome.</summary>
public enum ValueKind
{
    /// <summary>Cost or saving to the public sector, borne by the agency recorded on the line.</summary>
    Fiscal,

    /// <summary>Net increase in earnings or growth in the local economy.</summary>
    Economic,

    /// <summary>Wider gains to society (health, attainment, safety…).</summary>
    Social,
}

/// <summary>One value of a unit cost: the amount in its own price year, and the source's own uprated figure if it gave one.</summary>
/// <param name="Amount">The value in <paramref name="PriceYear"/> prices.</param>
/// <param name="PriceYear">The price base of <paramref name="Amount"/>.</param>
/// <param name="SourceUprated">The source's own figure at <paramref name="SourceUpratedYear"/> prices (UCD v1.4: 2015/16), or null.</param>
/// <param name="SourceUpratedYear">The price year of <paramref name="SourceUprated"/>.</param>
public sealed record UnitCostValue(Money Amount, PriceYear PriceYear, Money? SourceUprated, PriceYear? SourceUpratedYear);

/// <summary>
/// A unit cost: what one occurrence of an outcome costs (or saves) and whom. Every cost carries its edition,
/// so a figure can always be traced to the table it came from; values keep their own price year.
/// </summary>
public sealed record UnitCost
{
    public required string Code { get; init; }
    public required string Edition { get; init; }
    public string Category { get; init; } = string.Empty;
    public string OutcomeDetail { get; init; } = string.Empty;
    public required string Description { get; init; }
    public string Unit { get; init; } = string.Empty;

    /// <summary>Level 1 agency that bears the cost or makes the saving (e.g. <c>DWP</c>, <c>NHS</c>, <c>Multiple</c>).</summary>
    public string AgencyL1 { get; init; } = string.Empty;

    /// <summary>Level 2 agency (e.g. <c>JCP</c>, <c>Housing Services</c>), empty when not given.</summary>
    public string AgencyL2 { get; init; } = string.Empty;

    public UnitCostValue? Fiscal { get; init; }
    public UnitCostValue? Economic { get; init; }
    public UnitCostValue? Social { get; init; }

    /// <summary>Robustness rating from the source (UCD: R, A or G); empty for local costs without one.</summary>
    public string Rag { get; init; } = string.Empty;

    /// <summary>
    /// True when the fiscal value is a transfer payment (benefit or tax): a real saving to the paying agency,
    /// but not a gain to society, so it is excluded from public value.
    /// </summary>
    public bool IsTransferPayment { get; init; }

    /// <summary>Why the line is classed as a transfer, when it is.</summary>
    public string TransferReason { get; init; } = string.Empty;

    /// <summary>Where a local cost came from (document, team) and when it was recorded; empty for published tables.</summary>
    public string Source { get; init; } = string.Empty;

    public DateOnly? SourceDate { get; init; }

    public UnitCostValue? Value(ValueKind kind) => kind switch
    {
        ValueKind.Fiscal => Fiscal,
        ValueKind.Economic => Economic,
        ValueKind.Social => Social,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>Agency label used to aggregate who benefits: L1, with L2 after a slash when present.</summary>
    public string AgencyLabel => string.IsNullOrEmpty(AgencyL2) ? AgencyL1 : $"{AgencyL1} / {AgencyL2}";
}
