namespace Hearth.Core.Finance.Store;

/// <summary>
/// A local unit cost kept in the store: a partnership's own figure (e.g. its foster care rate) with the
/// document or team it came from and the date it was recorded. Amounts are whole pence in their own price
/// year (the start year of the financial year, e.g. 2014 for 2014/15). Codes never reuse a published code.
/// </summary>
public sealed class LocalUnitCost
{
    public long Id { get; set; }

    public required string Code { get; set; }

    public required string Description { get; set; }

    public required string Unit { get; set; }

    public required string AgencyL1 { get; set; }

    public string? AgencyL2 { get; set; }

    public string? Category { get; set; }

    public long? FiscalPence { get; set; }

    public int? FiscalYear { get; set; }

    public long? EconomicPence { get; set; }

    public int? EconomicYear { get; set; }

    public long? SocialPence { get; set; }

    public int? SocialYear { get; set; }

    public bool IsTransferPayment { get; set; }

    public string? Rag { get; set; }

    /// <summary>Where the figure came from (document, team).</summary>
    public required string Source { get; set; }

    /// <summary>When the source gave the figure.</summary>
    public DateOnly SourceDate { get; set; }

    public DateTime CreatedUtc { get; set; }

    public required string CreatedBy { get; set; }

    public DateTime? UpdatedUtc { get; set; }

    public string? UpdatedBy { get; set; }
}

/// <summary>A pot of a pooled budget, opened once.</summary>
public sealed class LedgerPot
{
    /// <summary>The pot's name (no ':'), e.g. "families-2026".</summary>
    public required string Name { get; set; }

    public string? Description { get; set; }

    public DateOnly OpenedOn { get; set; }

    public DateTime CreatedUtc { get; set; }

    public required string CreatedBy { get; set; }
}

/// <summary>
/// One journal entry of the pooled budget ledger. <see cref="Number"/> is the journal's own sequence (1, 2, …,
/// unique), so the ledger replays identically on every provider; a posting never changes once written.
/// </summary>
public sealed class LedgerPostingRow
{
    public long Id { get; set; }

    public long Number { get; set; }

    public DateOnly Date { get; set; }

    public required string Description { get; set; }

    /// <summary>The number of the posting this one reverses, when it is a reversal.</summary>
    public long? Reverses { get; set; }

    /// <summary>The pot the posting concerns.</summary>
    public required string Pot { get; set; }

    /// <summary>The operation: contribute, allocate, spend, invest, return.</summary>
    public required string Operation { get; set; }

    public DateTime PostedUtc { get; set; }

    public required string PostedBy { get; set; }
}

/// <summary>A line of a posting: a positive debit or a positive credit to one account, with its dimensions.</summary>
public sealed class LedgerLineRow
{
    public long Id { get; set; }

    public long PostingId { get; set; }

    /// <summary>Position of the line within its posting (0, 1, …).</summary>
    public int LineNumber { get; set; }

    /// <summary>Account kind name: Pot, Contribution, Allocation, Spend, InvestToSave, SavingsReturned.</summary>
    public required string AccountKind { get; set; }

    public required string AccountKey { get; set; }

    public long DebitPence { get; set; }

    public long CreditPence { get; set; }

    public string? Agency { get; set; }

    /// <summary>Financial year (start year) the line concerns, e.g. 2026 for 2026/27.</summary>
    public int? Year { get; set; }

    public string? Service { get; set; }

    /// <summary>Family case reference (opaque, never a name).</summary>
    public string? FamilyRef { get; set; }
}
