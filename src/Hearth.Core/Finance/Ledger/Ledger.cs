using System.Collections.Immutable;

namespace Hearth.Core.Finance.Ledger;

/// <summary>What an account represents in a pooled (community) budget.</summary>
public enum AccountKind
{
    /// <summary>A pot's unallocated funds (asset: debit balance).</summary>
    Pot,

    /// <summary>What an agency has put into a pot (equity: credit balance).</summary>
    Contribution,

    /// <summary>Money allocated from a pot to a service and not yet spent (asset: debit balance).</summary>
    Allocation,

    /// <summary>Money spent by a service (expense: debit balance).</summary>
    Spend,

    /// <summary>An invest-to-save line: money lent from a pot, repaid from savings (asset: debit balance = outstanding).</summary>
    InvestToSave,

    /// <summary>Savings received back from a benefiting agency (income: credit balance).</summary>
    SavingsReturned,
}

/// <summary>An account, named by kind and key (e.g. <c>Contribution:pot-a:Police</c>).</summary>
public readonly record struct AccountId(AccountKind Kind, string Key)
{
    public override string ToString() => $"{Kind}:{Key}";
}

/// <summary>
/// Optional analysis dimensions of a posting line: which agency, financial year, service and family
/// (an opaque case reference, never a name) it concerns.
/// </summary>
public sealed record LineDimensions(string? Agency = null, PriceYear? Year = null, string? Service = null, string? FamilyRef = null)
{
    public static readonly LineDimensions None = new();
}

/// <summary>One side of a posting: a positive amount debited or credited to an account.</summary>
public sealed record PostingLine(AccountId Account, Money Debit, Money Credit, LineDimensions Dimensions)
{
    public static PostingLine Dr(AccountId account, Money amount, LineDimensions? dimensions = null) =>
        new(account, amount, Money.Zero, dimensions ?? LineDimensions.None);

    public static PostingLine Cr(AccountId account, Money amount, LineDimensions? dimensions = null) =>
        new(account, Money.Zero, amount, dimensions ?? LineDimensions.None);

    /// <summary>Debit minus credit.</summary>
    public Money Net => Debit - Credit;
}

/// <summary>
/// An immutable journal entry. Σ debits = Σ credits always; once posted it never changes. A mistake is put
/// right by a reversing posting (<see cref="Reverses"/>) and, if needed, a new correct one.
/// </summary>
public sealed record Posting(long Id, DateOnly Date, string Description, ImmutableArray<PostingLine> Lines, long? Reverses)
{
    public Money TotalDebits => Lines.Aggregate(Money.Zero, (s, l) => s + l.Debit);
    public Money TotalCredits => Lines.Aggregate(Money.Zero, (s, l) => s + l.Credit);
}

/// <summary>Why a posting was refused.</summary>
public sealed class LedgerException(string message) : Exception(message)
{
    public LedgerException()
        : this("the posting was refused")
    {
    }

    public LedgerException(string message, Exception innerException)
        : this(message + ": " + innerException?.Message)
    {
    }
}

/// <summary>
/// A double-entry journal held in memory, append-only. Every posting is checked before it is accepted:
/// at least two lines, each line either a positive debit or a positive credit (never both, never zero),
/// and Σ debits = Σ credits in whole pence. Balances are derived from the journal, never stored.
/// </summary>
public sealed class Journal
{
    private readonly List<Posting> _postings = [];
    private readonly Dictionary<long, long> _reversedBy = [];

    public IReadOnlyList<Posting> Postings => _postings;

    /// <summary>Checks and appends a posting; returns it with its sequential id.</summary>
    public Posting Post(DateOnly date, string description, IEnumerable<PostingLine> lines) =>
        Append(date, description, lines.ToImmutableArray(), null);

    /// <summary>
    /// Posts the mirror image of posting <paramref name="id"/> (every debit becomes a credit and vice versa) dated
    /// <paramref name="date"/>. A posting can be reversed once; a reversal cannot itself be reversed (post afresh instead).
    /// </summary>
    public Posting Reverse(long id, DateOnly date, string reason)
    {
        if (id < 1 || id > _postings.Count)
        {
            throw new LedgerException($"there is no posting {id}");
        }

        var original = _postings[(int)(id - 1)];
        if (original.Reverses is not null)
        {
            throw new LedgerException($"posting {id} is itself a reversal; post a new entry instead");
        }

        if (_reversedBy.TryGetValue(id, out var by))
        {
            throw new LedgerException($"posting {id} was already reversed by posting {by}");
        }

        if (date < original.Date)
        {
            throw new LedgerException($"a reversal cannot be dated before the posting it reverses ({original.Date:yyyy-MM-dd})");
        }

        var mirror = original.Lines.Select(l => l with { Debit = l.Credit, Credit = l.Debit }).ToImmutableArray();
        var posting = Append(date, $"Reversal of {id}: {reason}", mirror, id);
        _reversedBy[id] = posting.Id;
        return posting;
    }

    /// <summary>
    /// Re-appends a posting read back from the store, with the same checks as <see cref="Post"/>; its id must be
    /// the next in sequence, and a reversal must name an earlier posting not yet reversed.
    /// </summary>
    public Posting Restore(long id, DateOnly date, string description, IEnumerable<PostingLine> lines, long? reverses)
    {
        if (id != _postings.Count + 1)
        {
            throw new LedgerException($"posting {id} is out of sequence; expected {_postings.Count + 1}");
        }

        if (reverses is { } r && (r < 1 || r >= id || _reversedBy.ContainsKey(r) || _postings[(int)(r - 1)].Reverses is not null))
        {
            throw new LedgerException($"posting {id} reverses {r}, which cannot be reversed");
        }

        var posting = Append(date, description, lines.ToImmutableArray(), reverses);
        if (reverses is { } rev)
        {
            _reversedBy[rev] = posting.Id;
        }

        return posting;
    }

    public bool IsReversed(long id) => _reversedBy.ContainsKey(id);

    /// <summary>Debit minus credit over all postings to the account, optionally only lines matching <paramref name="filter"/>.</summary>
    public Money Balance(AccountId account, Func<PostingLine, bool>? filter = null) =>
        _postings.SelectMany(p => p.Lines)
            .Where(l => l.Account == account && (filter is null || filter(l)))
            .Aggregate(Money.Zero, (s, l) => s + l.Net);

    /// <summary>Every account's debit-minus-credit balance. The values always sum to zero.</summary>
    public IReadOnlyDictionary<AccountId, Money> TrialBalance() =>
        _postings.SelectMany(p => p.Lines)
            .GroupBy(l => l.Account)
            .ToDictionary(g => g.Key, g => g.Aggregate(Money.Zero, (s, l) => s + l.Net));

    private Posting Append(DateOnly date, string description, ImmutableArray<PostingLine> lines, long? reverses)
    {
        if (string.IsNullOrWhiteSpace(description))
        {
            throw new LedgerException("a posting needs a description");
        }

        if (lines.Length < 2)
        {
            throw new LedgerException("a posting needs at least two lines");
        }

        foreach (var line in lines)
        {
            if (line.Debit.Pence < 0 || line.Credit.Pence < 0)
            {
                throw new LedgerException($"{line.Account}: amounts are positive; use the other side instead of a negative");
            }

            if ((line.Debit.Pence == 0) == (line.Credit.Pence == 0))
            {
                throw new LedgerException($"{line.Account}: each line is either a debit or a credit, and not zero");
            }

            if (string.IsNullOrWhiteSpace(line.Account.Key))
            {
                throw new LedgerException("every line needs an account key");
            }
        }

        var posting = new Posting(_postings.Count + 1, date, description, lines, reverses);
        if (posting.TotalDebits != posting.TotalCredits)
        {
            throw new LedgerException($"debits {posting.TotalDebits} do not equal credits {posting.TotalCredits}");
        }

        _postings.Add(posting);
        return posting;
    }
}
