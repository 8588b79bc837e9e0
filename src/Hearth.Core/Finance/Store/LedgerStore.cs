using System.Collections.Immutable;
using Hearth.Core.Access;
using Hearth.Core.Data;
using Hearth.Core.Finance.Ledger;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Core.Finance.Store;

/// <summary>A ledger operation to post (the fields each operation needs are listed on <see cref="LedgerStore.PostAsync"/>).</summary>
public sealed record LedgerOperation(
    string Operation,
    string Pot,
    DateOnly Date,
    Money Amount,
    string? Agency = null,
    PriceYear? Year = null,
    string? Service = null,
    string? FamilyRef = null,
    string? Description = null);

/// <summary>
/// The pooled budget ledger kept in the store. Each operation replays the journal from the store into a
/// <see cref="CommunityBudget"/> (so availability and the double-entry rules are checked by the same code as in
/// memory), posts it there, checks Σ debits = Σ credits once more, and writes the posting and its lines in one
/// transaction with the journal number as a unique key, so two writers cannot both take the same number.
/// </summary>
public sealed class LedgerStore(HearthDb db, TimeProvider clock)
{
    public static readonly IReadOnlyList<string> Operations = ["contribute", "allocate", "spend", "invest", "return", "reverse"];

    /// <summary>The ledger as the store holds it: pots opened and every posting replayed.</summary>
    public async Task<CommunityBudget> LoadAsync(CancellationToken cancellationToken = default)
    {
        var budget = new CommunityBudget();
        foreach (var pot in await db.LedgerPots.AsNoTracking().OrderBy(p => p.Name).Select(p => p.Name).ToListAsync(cancellationToken))
        {
            budget.OpenPot(pot);
        }

        var postings = await db.LedgerPostings.AsNoTracking().OrderBy(p => p.Number).ToListAsync(cancellationToken);
        var lines = (await db.LedgerLines.AsNoTracking().ToListAsync(cancellationToken))
            .GroupBy(l => l.PostingId).ToDictionary(g => g.Key, g => g.OrderBy(l => l.LineNumber).ToList());
        foreach (var p in postings)
        {
            var postingLines = lines.GetValueOrDefault(p.Id) ?? [];
            budget.Journal.Restore(p.Number, p.Date, p.Description, postingLines.Select(ToLine), p.Reverses);
        }

        return budget;
    }

    public async Task<LedgerPot> OpenPotAsync(Actor actor, string name, string? description, DateOnly openedOn, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var budget = await LoadAsync(cancellationToken);
        budget.OpenPot(name);
        var pot = new LedgerPot
        {
            Name = name,
            Description = description,
            OpenedOn = openedOn,
            CreatedUtc = clock.GetUtcNow().UtcDateTime,
            CreatedBy = actor.UserName,
        };
        db.LedgerPots.Add(pot);
        await db.SaveChangesAsync(cancellationToken);
        return pot;
    }

    /// <summary>
    /// Posts one operation: contribute (pot, agency, year, amount), allocate (pot, service, amount), spend (pot,
    /// service, amount, optional family reference), invest (pot, service = the invest-to-save line, amount),
    /// return (pot, service = line, agency, year, amount). Refused with a <see cref="LedgerException"/> saying why.
    /// </summary>
    public async Task<Posting> PostAsync(Actor actor, LedgerOperation op, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(op);
        if (op.Amount.Pence <= 0)
        {
            throw new LedgerException("the amount must be more than zero");
        }

        var budget = await LoadAsync(cancellationToken);
        var posting = op.Operation switch
        {
            "contribute" => budget.Contribute(op.Pot, Need(op.Agency, "agency"), op.Year ?? throw new LedgerException("a contribution needs a financial year"), op.Amount, op.Date),
            "allocate" => budget.Allocate(op.Pot, Need(op.Service, "service"), op.Amount, op.Date),
            "spend" => budget.Spend(op.Pot, Need(op.Service, "service"), op.Amount, op.Date, op.FamilyRef, op.Description),
            "invest" => budget.InvestToSave(op.Pot, Need(op.Service, "invest-to-save line"), op.Amount, op.Date),
            "return" => budget.ReturnSavings(op.Pot, Need(op.Service, "invest-to-save line"), Need(op.Agency, "agency"),
                op.Year ?? throw new LedgerException("returned savings need a financial year"), op.Amount, op.Date),
            _ => throw new LedgerException($"'{op.Operation}' is not an operation; expected contribute, allocate, spend, invest or return"),
        };
        await SaveAsync(actor, posting, op.Pot, op.Operation, cancellationToken);
        return posting;
    }

    /// <summary>Reverses posting <paramref name="number"/> (its mirror image), giving a reason.</summary>
    public async Task<Posting> ReverseAsync(Actor actor, long number, DateOnly date, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new LedgerException("say why the posting is reversed");
        }

        var original = await db.LedgerPostings.AsNoTracking().FirstOrDefaultAsync(p => p.Number == number, cancellationToken)
            ?? throw new LedgerException($"there is no posting {number}");
        var budget = await LoadAsync(cancellationToken);
        var posting = budget.Journal.Reverse(number, date, reason);
        await SaveAsync(actor, posting, original.Pot, "reverse", cancellationToken);
        return posting;
    }

    private async Task SaveAsync(Actor actor, Posting posting, string pot, string operation, CancellationToken cancellationToken)
    {
        // The journal already refused an unbalanced posting; check again at the door of the store.
        if (posting.TotalDebits != posting.TotalCredits || posting.Lines.Any(l => (l.Debit.Pence > 0) == (l.Credit.Pence > 0) || l.Debit.Pence < 0 || l.Credit.Pence < 0))
        {
            throw new LedgerException($"posting {posting.Id} is not balanced and is not written");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var row = new LedgerPostingRow
        {
            Number = posting.Id,
            Date = posting.Date,
            Description = posting.Description.Length > 400 ? posting.Description[..400] : posting.Description,
            Reverses = posting.Reverses,
            Pot = pot,
            Operation = operation,
            PostedUtc = clock.GetUtcNow().UtcDateTime,
            PostedBy = actor.UserName,
        };
        db.LedgerPostings.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        var n = 0;
        foreach (var line in posting.Lines)
        {
            db.LedgerLines.Add(new LedgerLineRow
            {
                PostingId = row.Id,
                LineNumber = n++,
                AccountKind = line.Account.Kind.ToString(),
                AccountKey = line.Account.Key,
                DebitPence = line.Debit.Pence,
                CreditPence = line.Credit.Pence,
                Agency = line.Dimensions.Agency,
                Year = line.Dimensions.Year?.StartYear,
                Service = line.Dimensions.Service,
                FamilyRef = line.Dimensions.FamilyRef,
            });
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
    }

    private static PostingLine ToLine(LedgerLineRow l) => new(
        new AccountId(Enum.Parse<AccountKind>(l.AccountKind), l.AccountKey),
        new Money(l.DebitPence),
        new Money(l.CreditPence),
        new LineDimensions(l.Agency, l.Year is { } y ? new PriceYear(y) : null, l.Service, l.FamilyRef));

    private static string Need(string? value, string what) =>
        string.IsNullOrWhiteSpace(value) ? throw new LedgerException($"this operation needs a {what}") : value.Trim();
}

/// <summary>Pot balances with the contributions by agency and year, for reports and pages.</summary>
public sealed record LedgerReport(
    IReadOnlyList<PotBalance> Pots,
    IReadOnlyList<(string Pot, string Agency, PriceYear Year, Money Amount)> Contributions,
    IReadOnlyList<(string Pot, string Service, Money Amount)> SpendByService,
    IReadOnlyList<(string Pot, string Family, Money Amount)> SpendByFamily,
    ImmutableArray<Posting> Postings)
{
    public static LedgerReport Of(CommunityBudget budget)
    {
        ArgumentNullException.ThrowIfNull(budget);
        var pots = budget.Pots.Order(StringComparer.Ordinal).ToList();
        return new LedgerReport(
            pots.Select(budget.Balance).ToList(),
            pots.SelectMany(p => budget.ContributionsByAgencyAndYear(p).OrderBy(c => c.Key.Agency, StringComparer.Ordinal).ThenBy(c => c.Key.Year)
                .Select(c => (p, c.Key.Agency, c.Key.Year, c.Value))).ToList(),
            pots.SelectMany(p => budget.SpendByService(p).OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => (p, s.Key, s.Value))).ToList(),
            pots.SelectMany(p => budget.SpendByFamily(p).Where(s => s.Key.Length > 0).OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => (p, s.Key, s.Value))).ToList(),
            [.. budget.Journal.Postings]);
    }
}
