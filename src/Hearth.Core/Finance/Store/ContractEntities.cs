namespace Hearth.Core.Finance.Store;

/// <summary>
/// An outcomes contract kept in the store: a provider contract paid by results (with the provider's
/// pass-through share) or a social impact bond (investor capital and return terms). Amounts are whole pence.
/// The rate card, drawdowns and outcome payments are in their own tables; the figures (payments by metric,
/// caps, IRR, money multiple, pass-through) are computed from them by the contract engine, never stored.
/// </summary>
public sealed class OutcomeContractRow
{
    public long Id { get; set; }

    public required string Name { get; set; }

    /// <summary>"pbr" or "sib".</summary>
    public required string Kind { get; set; }

    public required string OutcomePayer { get; set; }

    public required string Provider { get; set; }

    public required string Investor { get; set; }

    public DateOnly Start { get; set; }

    public long CommittedCapitalPence { get; set; }

    public long? OutcomeCapPence { get; set; }

    /// <summary>Maximum annual return to investors, as a fraction (0.13 = 13%).</summary>
    public decimal? InvestorReturnCap { get; set; }

    public decimal InvestorShare { get; set; } = 1m;

    public string? PassThroughProvider { get; set; }

    /// <summary>The provider's share of each payment, 0 to 1.</summary>
    public decimal? PassThroughShare { get; set; }

    /// <summary>"nearest" or "down".</summary>
    public string? PassThroughRounding { get; set; }

    /// <summary>Explanations of the outcome rules that produced outcomes when the contract was loaded, one per line.</summary>
    public string? RuleNotes { get; set; }

    /// <summary>The file the contract was created from (name only) and its SHA-256, so a figure traces to its input.</summary>
    public required string SourceFile { get; set; }

    public required string SourceSha256 { get; set; }

    public DateTime CreatedUtc { get; set; }

    public required string CreatedBy { get; set; }
}

/// <summary>A rate-card line of a stored contract: metric, price per unit and optional cap.</summary>
public sealed class ContractRateCardRow
{
    public long Id { get; set; }

    public long ContractId { get; set; }

    public int Position { get; set; }

    public required string MetricId { get; set; }

    public required string Definition { get; set; }

    public long PricePence { get; set; }

    public long? CapPence { get; set; }

    public required string ValidationMethod { get; set; }

    public required string DataSource { get; set; }

    public required string PriceDescription { get; set; }
}

/// <summary>Investor capital drawn on a date (social impact bonds).</summary>
public sealed class ContractDrawdownRow
{
    public long Id { get; set; }

    public long ContractId { get; set; }

    public DateOnly Date { get; set; }

    public long AmountPence { get; set; }
}

/// <summary>Validated outcomes for one metric, paid on a date; the payment is computed from the rate card and caps.</summary>
public sealed class ContractOutcomeRow
{
    public long Id { get; set; }

    public long ContractId { get; set; }

    public DateOnly Date { get; set; }

    public required string MetricId { get; set; }

    public decimal Count { get; set; }

    public required string Period { get; set; }

    public required string Evidence { get; set; }

    public DateTime RecordedUtc { get; set; }

    public required string RecordedBy { get; set; }
}
