using Hearth.Core.Finance;
using Hearth.Core.Finance.Ledger;

namespace Hearth.Core.Tests.Finance;

public sealed class LedgerTests
{
    private static readonly DateOnly Day = new(2026, 4, 1);
    private static readonly PriceYear Year = new(2026);

    private static CommunityBudget Seeded()
    {
        var budget = new CommunityBudget();
        budget.OpenPot("families");
        budget.Contribute("families", "Police", Year, Money.FromPounds(100_000), Day);
        budget.Contribute("families", "Local Authority", Year, Money.FromPounds(250_000), Day);
        budget.Contribute("families", "NHS", Year, Money.FromPounds(50_000), Day);
        return budget;
    }

    [Fact]
    public void Post_Unbalanced_IsRefused()
    {
        var journal = new Journal();
        var error = Assert.Throws<LedgerException>(() => journal.Post(Day, "bad",
        [
            PostingLine.Dr(new(AccountKind.Pot, "a"), new Money(100)),
            PostingLine.Cr(new(AccountKind.Contribution, "a:x"), new Money(99)),
        ]));
        Assert.Contains("do not equal", error.Message, StringComparison.Ordinal);
        Assert.Empty(journal.Postings);
    }

    [Fact]
    public void Post_ZeroNegativeOrSingleLine_IsRefused()
    {
        var journal = new Journal();
        Assert.Throws<LedgerException>(() => journal.Post(Day, "one", [PostingLine.Dr(new(AccountKind.Pot, "a"), new Money(1))]));
        Assert.Throws<LedgerException>(() => journal.Post(Day, "zero",
            [PostingLine.Dr(new(AccountKind.Pot, "a"), Money.Zero), PostingLine.Cr(new(AccountKind.Pot, "b"), Money.Zero)]));
        Assert.Throws<LedgerException>(() => journal.Post(Day, "negative",
            [PostingLine.Dr(new(AccountKind.Pot, "a"), new Money(-5)), PostingLine.Cr(new(AccountKind.Pot, "b"), new Money(-5))]));
    }

    [Fact]
    public void Balance_AfterContributionsAllocationAndSpend_AddsUp()
    {
        // In: 100,000 + 250,000 + 50,000 = 400,000. Allocate 150,000 to MST; spend 40,000 (family F1 25,000, F2 15,000).
        // Unallocated = 400,000 - 150,000 = 250,000; allocated unspent = 150,000 - 40,000 = 110,000.
        var budget = Seeded();
        budget.Allocate("families", "MST", Money.FromPounds(150_000), Day);
        budget.Spend("families", "MST", Money.FromPounds(25_000), Day, "F1");
        budget.Spend("families", "MST", Money.FromPounds(15_000), Day, "F2");
        var balance = budget.Balance("families");
        Assert.Equal(Money.FromPounds(400_000), balance.Contributed);
        Assert.Equal(Money.FromPounds(250_000), balance.Unallocated);
        Assert.Equal(Money.FromPounds(110_000), balance.AllocatedUnspent);
        Assert.Equal(Money.FromPounds(40_000), balance.Spent);
        Assert.Equal(Money.FromPounds(25_000), budget.SpendByFamily("families")["F1"]);
        Assert.Equal(Money.FromPounds(40_000), budget.SpendByService("families")["MST"]);
        Assert.Equal(Money.FromPounds(100_000), budget.ContributionsByAgencyAndYear("families")[("Police", Year)]);
        // Conservation: contributed = unallocated + allocated unspent + spent + invest-to-save outstanding.
        Assert.Equal(balance.Contributed, balance.Unallocated + balance.AllocatedUnspent + balance.Spent + balance.InvestToSaveOutstanding);
    }

    [Fact]
    public void Spend_BeyondAllocation_IsRefused()
    {
        var budget = Seeded();
        budget.Allocate("families", "MST", Money.FromPounds(10), Day);
        Assert.Throws<LedgerException>(() => budget.Spend("families", "MST", new Money(1_001), Day));
        Assert.Throws<LedgerException>(() => budget.Allocate("families", "X", Money.FromPounds(400_001), Day));
    }

    [Fact]
    public void Reverse_Contribution_RestoresBalancesAndKeepsOriginal()
    {
        var budget = Seeded();
        var wrong = budget.Contribute("families", "Police", Year, Money.FromPounds(9_999), Day);
        var reversal = budget.Journal.Reverse(wrong.Id, Day.AddDays(1), "keyed twice");
        Assert.Equal(wrong.Id, reversal.Reverses);
        Assert.Equal(wrong.TotalDebits, reversal.TotalCredits);
        Assert.Equal(Money.FromPounds(400_000), budget.Balance("families").Contributed);
        Assert.Equal(Money.FromPounds(100_000), budget.ContributionsByAgencyAndYear("families")[("Police", Year)]);
        Assert.Contains(budget.Journal.Postings, p => p.Id == wrong.Id);
        Assert.Throws<LedgerException>(() => budget.Journal.Reverse(wrong.Id, Day.AddDays(2), "again"));
        Assert.Throws<LedgerException>(() => budget.Journal.Reverse(reversal.Id, Day.AddDays(2), "reverse the reversal"));
    }

    [Fact]
    public void Reverse_DatedBeforeOriginalOrUnknown_IsRefused()
    {
        var budget = Seeded();
        Assert.Throws<LedgerException>(() => budget.Journal.Reverse(1, Day.AddDays(-1), "backdated"));
        Assert.Throws<LedgerException>(() => budget.Journal.Reverse(99, Day, "no such posting"));
        Assert.Throws<LedgerException>(() => budget.Contribute("nowhere", "NHS", Year, new Money(1), Day));
    }

    [Fact]
    public void ReturnSavings_BeyondOutstanding_SplitsRepaymentAndReturn()
    {
        // Invest 60,000; the NHS returns 45,000 then 30,000: 60,000 repays the line, 15,000 is a return.
        var budget = Seeded();
        budget.InvestToSave("families", "falls-prevention", Money.FromPounds(60_000), Day);
        budget.ReturnSavings("families", "falls-prevention", "NHS", Year, Money.FromPounds(45_000), Day);
        var second = budget.ReturnSavings("families", "falls-prevention", "NHS", Year, Money.FromPounds(30_000), Day);
        Assert.Equal(3, second.Lines.Length);
        var balance = budget.Balance("families");
        Assert.Equal(Money.Zero, balance.InvestToSaveOutstanding);
        Assert.Equal(Money.FromPounds(15_000), balance.SavingsReturned);
        Assert.Equal(Money.FromPounds(415_000), balance.Unallocated);
    }

    [Fact]
    public void Invariant_RandomOperations_EveryPostingBalancesAndTrialBalanceIsZero()
    {
        // Property-style: 20 seeded runs of 300 random operations, including refused ones and reversals.
        for (var seed = 1; seed <= 20; seed++)
        {
            var random = new Random(seed);
            var budget = new CommunityBudget();
            string[] pots = ["a", "b"];
            string[] agencies = ["Police", "NHS", "LA", "DWP"];
            string[] services = ["MST", "Keyworker", "Parenting"];
            foreach (var pot in pots)
            {
                budget.OpenPot(pot);
            }

            for (var i = 0; i < 300; i++)
            {
                var pot = pots[random.Next(pots.Length)];
                var amount = new Money(random.NextInt64(1, 5_000_000));
                try
                {
                    switch (random.Next(6))
                    {
                        case 0:
                            budget.Contribute(pot, agencies[random.Next(agencies.Length)], new PriceYear(2024 + random.Next(3)), amount, Day);
                            break;
                        case 1:
                            budget.Allocate(pot, services[random.Next(services.Length)], amount, Day);
                            break;
                        case 2:
                            budget.Spend(pot, services[random.Next(services.Length)], amount, Day, "F" + random.Next(20).ToString(System.Globalization.CultureInfo.InvariantCulture));
                            break;
                        case 3:
                            budget.InvestToSave(pot, "line" + random.Next(2).ToString(System.Globalization.CultureInfo.InvariantCulture), amount, Day);
                            break;
                        case 4:
                            budget.ReturnSavings(pot, "line" + random.Next(2).ToString(System.Globalization.CultureInfo.InvariantCulture), agencies[random.Next(agencies.Length)], new PriceYear(2025), amount, Day);
                            break;
                        default:
                            if (budget.Journal.Postings.Count > 0)
                            {
                                budget.Journal.Reverse(random.Next(1, budget.Journal.Postings.Count + 1), Day, "random correction");
                            }

                            break;
                    }
                }
                catch (LedgerException)
                {
                    // Refused operations leave the journal unchanged; the invariant below still holds.
                }
            }

            Assert.All(budget.Journal.Postings, p => Assert.Equal(p.TotalDebits, p.TotalCredits));
            Assert.Equal(0, budget.Journal.TrialBalance().Values.Sum(m => m.Pence));
            foreach (var pot in pots)
            {
                var b = budget.Balance(pot);
                // Sources (contributions + savings returned) = uses (unallocated + allocated + spent + invested).
                Assert.Equal(b.Contributed + b.SavingsReturned, b.Unallocated + b.AllocatedUnspent + b.Spent + b.InvestToSaveOutstanding);
            }
        }
    }
}
