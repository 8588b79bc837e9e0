namespace Hearth.Core.Finance.Ledger;

/// <summary>A pot's position: what went in, what is allocated, spent, lent to invest-to-save lines and repaid.</summary>
public sealed record PotBalance(
    string Pot,
    Money Contributed,
    Money Unallocated,
    Money AllocatedUnspent,
    Money Spent,
    Money InvestToSaveOutstanding,
    Money SavingsReturned);

/// <summary>
/// A pooled community budget on top of a <see cref="Journal"/>: agencies contribute to pots by year, pots
/// allocate to services, services spend (optionally against a family case reference), and invest-to-save lines
/// lend from a pot and are repaid from savings by the agency that benefits. Each operation is one balanced posting.
/// Accounts: <c>Pot:pot</c>, <c>Contribution:pot:agency</c>, <c>Allocation:pot:service</c>,
/// <c>Spend:pot:service</c>, <c>InvestToSave:pot:line</c>, <c>SavingsReturned:pot:line</c>.
/// </summary>
public sealed class CommunityBudget
{
    private readonly HashSet<string> _pots = new(StringComparer.Ordinal);

    public Journal Journal { get; } = new();

    public IReadOnlyCollection<string> Pots => _pots;

    public void OpenPot(string pot)
    {
        RequireKey(pot, "pot");
        if (!_pots.Add(pot))
        {
            throw new LedgerException($"pot {pot} is already open");
        }
    }

    /// <summary>Dr Pot, Cr Contribution (agency, year).</summary>
    public Posting Contribute(string pot, string agency, PriceYear year, Money amount, DateOnly date)
    {
        RequirePot(pot);
        RequireKey(agency, "agency");
        var dims = new LineDimensions(Agency: agency, Year: year);
        return Journal.Post(date, $"{agency} contribution to {pot} for {year}",
        [
            PostingLine.Dr(new(AccountKind.Pot, pot), amount, dims),
            PostingLine.Cr(new(AccountKind.Contribution, $"{pot}:{agency}"), amount, dims),
        ]);
    }

    /// <summary>Dr Allocation (service), Cr Pot. Refused when the pot's unallocated funds are short.</summary>
    public Posting Allocate(string pot, string service, Money amount, DateOnly date)
    {
        RequirePot(pot);
        RequireKey(service, "service");
        var available = Journal.Balance(new(AccountKind.Pot, pot));
        if (amount > available)
        {
            throw new LedgerException($"{pot} has {available} unallocated; cannot allocate {amount} to {service}");
        }

        var dims = new LineDimensions(Service: service);
        return Journal.Post(date, $"Allocation from {pot} to {service}",
        [
            PostingLine.Dr(new(AccountKind.Allocation, $"{pot}:{service}"), amount, dims),
            PostingLine.Cr(new(AccountKind.Pot, pot), amount, dims),
        ]);
    }

    /// <summary>Dr Spend (service, family), Cr Allocation (service). Refused when the allocation is short.</summary>
    public Posting Spend(string pot, string service, Money amount, DateOnly date, string? familyRef = null, string? description = null)
    {
        RequirePot(pot);
        var allocation = new AccountId(AccountKind.Allocation, $"{pot}:{service}");
        var available = Journal.Balance(allocation);
        if (amount > available)
        {
            throw new LedgerException($"{service} has {available} of its allocation from {pot} left; cannot spend {amount}");
        }

        var dims = new LineDimensions(Service: service, FamilyRef: familyRef);
        return Journal.Post(date, description ?? $"Spend by {service}",
        [
            PostingLine.Dr(new(AccountKind.Spend, $"{pot}:{service}"), amount, dims),
            PostingLine.Cr(allocation, amount, dims),
        ]);
    }

    /// <summary>Dr InvestToSave (line), Cr Pot: money lent to an invest-to-save line, to be repaid from savings.</summary>
    public Posting InvestToSave(string pot, string line, Money amount, DateOnly date)
    {
        RequirePot(pot);
        RequireKey(line, "invest-to-save line");
        var available = Journal.Balance(new(AccountKind.Pot, pot));
        if (amount > available)
        {
            throw new LedgerException($"{pot} has {available} unallocated; cannot invest {amount} in {line}");
        }

        var dims = new LineDimensions(Service: line);
        return Journal.Post(date, $"Invest-to-save {line} from {pot}",
        [
            PostingLine.Dr(new(AccountKind.InvestToSave, $"{pot}:{line}"), amount, dims),
            PostingLine.Cr(new(AccountKind.Pot, pot), amount, dims),
        ]);
    }

    /// <summary>
    /// Savings paid back by the agency that benefits: Dr Pot; Cr InvestToSave up to what is outstanding, and
    /// Cr SavingsReturned for any excess (a return on the investment).
    /// </summary>
    public Posting ReturnSavings(string pot, string line, string agency, PriceYear year, Money amount, DateOnly date)
    {
        RequirePot(pot);
        var investment = new AccountId(AccountKind.InvestToSave, $"{pot}:{line}");
        var outstanding = Money.Max(Money.Zero, Journal.Balance(investment));
        var repay = Money.Min(outstanding, amount);
        var excess = amount - repay;
        var dims = new LineDimensions(Agency: agency, Year: year, Service: line);
        var lines = new List<PostingLine> { PostingLine.Dr(new(AccountKind.Pot, pot), amount, dims) };
        if (repay.Pence > 0)
        {
            lines.Add(PostingLine.Cr(investment, repay, dims));
        }

        if (excess.Pence > 0)
        {
            lines.Add(PostingLine.Cr(new(AccountKind.SavingsReturned, $"{pot}:{line}"), excess, dims));
        }

        return Journal.Post(date, $"Savings from {agency} returned to {pot} for {line}", lines);
    }

    /// <summary>Contributions credited to a pot, by agency and year (reversals included, so corrected figures).</summary>
    public IReadOnlyDictionary<(string Agency, PriceYear Year), Money> ContributionsByAgencyAndYear(string pot) =>
        Journal.Postings.SelectMany(p => p.Lines)
            .Where(l => l.Account.Kind == AccountKind.Contribution && l.Account.Key.StartsWith(pot + ":", StringComparison.Ordinal))
            .GroupBy(l => (l.Dimensions.Agency!, l.Dimensions.Year!.Value))
            .ToDictionary(g => g.Key, g => -g.Aggregate(Money.Zero, (s, l) => s + l.Net));

    /// <summary>Spend from a pot by family case reference (lines without one are grouped under the empty string).</summary>
    public IReadOnlyDictionary<string, Money> SpendByFamily(string pot) =>
        Journal.Postings.SelectMany(p => p.Lines)
            .Where(l => l.Account.Kind == AccountKind.Spend && l.Account.Key.StartsWith(pot + ":", StringComparison.Ordinal))
            .GroupBy(l => l.Dimensions.FamilyRef ?? string.Empty, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Aggregate(Money.Zero, (s, l) => s + l.Net), StringComparer.Ordinal);

    /// <summary>Spend from a pot by service.</summary>
    public IReadOnlyDictionary<string, Money> SpendByService(string pot) =>
        SumByKey(AccountKind.Spend, pot);

    public PotBalance Balance(string pot)
    {
        RequirePot(pot);
        return new PotBalance(
            pot,
            -SumByKey(AccountKind.Contribution, pot).Values.Aggregate(Money.Zero, Money.Add),
            Journal.Balance(new(AccountKind.Pot, pot)),
            SumByKey(AccountKind.Allocation, pot).Values.Aggregate(Money.Zero, Money.Add),
            SumByKey(AccountKind.Spend, pot).Values.Aggregate(Money.Zero, Money.Add),
            SumByKey(AccountKind.InvestToSave, pot).Values.Aggregate(Money.Zero, Money.Add),
            -SumByKey(AccountKind.SavingsReturned, pot).Values.Aggregate(Money.Zero, Money.Add));
    }

    private Dictionary<string, Money> SumByKey(AccountKind kind, string pot) =>
        Journal.TrialBalance()
            .Where(a => a.Key.Kind == kind && a.Key.Key.StartsWith(pot + ":", StringComparison.Ordinal))
            .ToDictionary(a => a.Key.Key[(pot.Length + 1)..], a => a.Value, StringComparer.Ordinal);

    private void RequirePot(string pot)
    {
        if (!_pots.Contains(pot))
        {
            throw new LedgerException($"there is no pot {pot}; open it first");
        }
    }

    private static void RequireKey(string key, string what)
    {
        if (string.IsNullOrWhiteSpace(key) || key.Contains(':', StringComparison.Ordinal))
        {
            throw new LedgerException($"the {what} name must be non-empty and contain no ':'");
        }
    }
}
