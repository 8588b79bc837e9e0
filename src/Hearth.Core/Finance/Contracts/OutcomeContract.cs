namespace Hearth.Core.Finance.Contracts;

/// <summary>Whether a contract is financed by social investors (an impact bond) or is a plain payment-by-results contract.</summary>
public enum ContractKind
{
    /// <summary>Payment by results to a provider, no third-party investors.</summary>
    PaymentByResults,

    /// <summary>Social impact bond: investors fund the service up front and are repaid from outcome payments.</summary>
    SocialImpactBond,
}

/// <summary>How a share of a payment is rounded to the penny.</summary>
public enum ShareRounding
{
    /// <summary>Nearest penny, halves away from zero.</summary>
    Nearest,

    /// <summary>Down to the penny (the payer keeps any fraction).</summary>
    Down,
}

/// <summary>
/// One rate-card line (INDIGO <c>outcome_metrics</c> + <c>outcome_pricings</c>): what outcome is paid for,
/// how it is validated, the price per unit and an optional cap on total payments for this metric.
/// </summary>
public sealed record RateCardEntry(
    string MetricId,
    string Definition,
    Money PricePerUnit,
    Money? Cap,
    string ValidationMethod = "",
    string DataSource = "",
    string PriceDescription = "");

/// <summary>Validated outcomes for one metric, paid on <paramref name="Date"/>; <paramref name="Evidence"/> says where the count came from.</summary>
public sealed record ValidatedOutcomes(DateOnly Date, string MetricId, decimal Count, string Period, string Evidence = "");

/// <summary>Capital drawn from investors on a date (positive amount).</summary>
public sealed record Drawdown(DateOnly Date, Money Amount);

/// <summary>
/// Pass-through of results payments to a commissioned provider: the provider receives
/// <c>payment × Share</c>, rounded by <see cref="Rounding"/>; the commissioner keeps the rest, so the two parts
/// always add up to the payment exactly.
/// </summary>
public sealed record PassThrough(string Provider, decimal Share, ShareRounding Rounding)
{
    public (Money Provider, Money Retained) Split(Money payment)
    {
        if (Share is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(payment), "the pass-through share must be between 0 and 1");
        }

        var exact = payment.Pence * Share;
        var pence = Rounding == ShareRounding.Down
            ? (long)decimal.Floor(exact)
            : (long)decimal.Round(exact, 0, MidpointRounding.AwayFromZero);
        var provider = new Money(pence);
        return (provider, payment - provider);
    }
}

/// <summary>An outcomes contract as loaded from a contract file.</summary>
public sealed record OutcomeContract
{
    public required string Name { get; init; }
    public required ContractKind Kind { get; init; }
    public string OutcomePayer { get; init; } = "Commissioner";
    public string Provider { get; init; } = "Provider";
    public string Investor { get; init; } = "Investors";
    public DateOnly Start { get; init; }

    /// <summary>Capital investors committed (SIB only).</summary>
    public Money CommittedCapital { get; init; }

    /// <summary>Cap on total outcome payments over the contract (e.g. Essex £7.1m); null = no overall cap.</summary>
    public Money? OutcomeCap { get; init; }

    /// <summary>
    /// Maximum annual return to investors (e.g. Peterborough 13%): distributions are limited to capital drawn
    /// compounded at this rate (actual/365) less earlier distributions. Null = no return cap.
    /// </summary>
    public decimal? InvestorReturnCap { get; init; }

    /// <summary>
    /// Share of each outcome payment the vehicle distributes to investors (SIB); the rest pays for delivery and
    /// fees. 1 when not given.
    /// </summary>
    public decimal InvestorShare { get; init; } = 1m;

    public PassThrough? PassThrough { get; init; }
    public IReadOnlyList<RateCardEntry> RateCard { get; init; } = [];
    public IReadOnlyList<Drawdown> Drawdowns { get; init; } = [];
    public IReadOnlyList<ValidatedOutcomes> Outcomes { get; init; } = [];

    /// <summary>Explanations from outcome rules that produced <see cref="Outcomes"/> (cohort thresholds, care days).</summary>
    public IReadOnlyList<string> RuleNotes { get; init; } = [];
}
