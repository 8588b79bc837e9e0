using Hearth.Core;
using Hearth.Core.Access;
using Hearth.Core.Audit;
using Hearth.Core.Data;
using Hearth.Core.Finance;
using Hearth.Core.Finance.Ledger;
using Hearth.Core.Finance.Profiles;
using Hearth.Core.Finance.Store;
using Hearth.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Hearth.IntegrationTests.Finance;

/// <summary>Family cost profiles, local costs and the pooled budget ledger on the store, on every provider.</summary>
public abstract class MoneyStoreScenarios : IAsyncLifetime
{
    private static readonly Actor Analyst = new("u-analyst", "analyst", new HashSet<HearthRole> { HearthRole.Analyst });
    private static readonly Actor KeyWorker = new("u-kw", "keyworker", new HashSet<HearthRole> { HearthRole.KeyWorker });
    private static readonly Actor DataLead = new("u-lead", "lead", new HashSet<HearthRole> { HearthRole.DataLead });
    private static readonly DateOnly Day = new(2026, 4, 1);
    private HearthDbFactory? _factory;

    protected string Directory { get; } = Path.Combine(Path.GetTempPath(), "hearth-moneystore-" + Guid.NewGuid().ToString("N")[..10]);

    // "Today" is 10 Apr 2024 for every rule in these tests.
    private FakeTimeProvider Time { get; } = new(new DateTimeOffset(2024, 4, 10, 9, 0, 0, TimeSpan.Zero));

    private HearthDbFactory Factory => _factory ?? throw new InvalidOperationException("not initialised");

    protected abstract Task<HearthDatabaseOptions> CreateDatabaseAsync();

    public async ValueTask InitializeAsync()
    {
        System.IO.Directory.CreateDirectory(Directory);
        _factory = new HearthDbFactory(await CreateDatabaseAsync());
        await _factory.MigrateAsync(TestContext.Current.CancellationToken);
    }

    public ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }

        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Profile_FromTheStore_IsTheHandArithmeticAndIsAudited()
    {
        var ct = TestContext.Current.CancellationToken;
        await using (var seed = Factory.Create())
        {
            await MoneyStoreSeed.SeedAsync(seed, ct);
        }

        await using var db = Factory.Create();
        var service = new FamilyCostService(db, new AuditTrail(Time), Time);

        var profile = await service.ProfileAsync(Analyst, "F0000001", "cost-analysis", attachDate: new DateOnly(2023, 7, 15), cancellationToken: ct);

        Assert.NotNull(profile);
        // Default configuration, 2015/16 prices (UCD workbook figures):
        //   offence 1 Jul 2023, CR8.0 £609 (2010/11) → £663.37;
        //   youth justice 1 Aug 2023, CR4.0 £3,152 (2008/09) → £3,619.67;
        //   looked after 1 Jan–30 Jun 2023, but the child is in the family from 1 Jun: 30 days of SS1.0
        //   £52,675.64 a year = £52,675.64 × 30 ÷ 365 = £4,329.5046 → £4,329.50.
        // Total £663.37 + £3,619.67 + £4,329.50 = £8,612.54.
        Assert.Equal(Money.FromPounds(8_612.54m), profile.Total);
        var byRule = profile.Lines.ToDictionary(l => l.RuleId);
        Assert.Equal((30, Money.FromPounds(4_329.50m)), (byRule["looked-after"].Days, byRule["looked-after"].Amount));
        Assert.Equal(new PriceYear(2023), byRule["looked-after"].Year);
        Assert.Equal(Money.FromPounds(663.37m), byRule["offence"].Amount);
        Assert.Equal(Money.FromPounds(3_619.67m), byRule["youth-justice"].Amount);
        // Attached 15 Jul 2023: before = £4,329.50 + £663.37 = £4,992.87; after = £3,619.67.
        Assert.Equal((Money.FromPounds(4_992.87m), Money.FromPounds(3_619.67m)), (profile.Before, profile.After));
        var duplication = Assert.Single(profile.Duplications);
        Assert.Equal(["police", "youth_justice"], duplication.Agencies);
        Assert.All(profile.Lines, l => Assert.Single(l.EventIds));

        var audit = await db.AuditEntries.AsNoTracking().SingleAsync(ct);
        Assert.Equal(("family-cost-profile.read", "family", "F0000001", AuditOutcomes.Allowed, "u-analyst"), (audit.Action, audit.SubjectType, audit.SubjectId, audit.Outcome, audit.ActorId));
    }

    [Fact]
    public async Task Cohort_FromTheStore_CountsEveryFamilyOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        await using (var seed = Factory.Create())
        {
            await MoneyStoreSeed.SeedAsync(seed, ct);
        }

        await using var db = Factory.Create();
        var service = new FamilyCostService(db, new AuditTrail(Time), Time);

        var report = await service.CohortAsync(Analyst, "cost-analysis", top: 5, cancellationToken: ct);

        // F0000001 £8,612.54; F0000002 one offence 1 May 2022 £663.37; the person in no family is not counted.
        Assert.Equal(2, report.Families);
        Assert.Equal(Money.FromPounds(9_275.91m), report.Total);
        Assert.Equal(["F0000001", "F0000002"], report.Top.Select(t => t.FamilyReference));
        Assert.Equal(Money.FromPounds(663.37m + 663.37m), report.ByAgency.Single(a => a.Key == "police").Amount);
        Assert.Equal(1, report.FamiliesWithDuplication);

        var single = await service.CohortAsync(Analyst, "cost-analysis", year: new PriceYear(2022), cancellationToken: ct);
        Assert.Equal(Money.FromPounds(663.37m), single.Total);
    }

    [Fact]
    public async Task Profile_RoleWithoutAccess_IsRefusedAndAudited()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = Factory.Create();
        var service = new FamilyCostService(db, new AuditTrail(Time), Time);

        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => service.ProfileAsync(KeyWorker, "F0000001", "case-work", cancellationToken: ct));

        var audit = await db.AuditEntries.AsNoTracking().SingleAsync(ct);
        Assert.Equal((AuditOutcomes.Denied, "F0000001"), (audit.Outcome, audit.SubjectId));
    }

    [Fact]
    public async Task LocalCosts_AreSavedEditedAndUsedInTheCatalogue()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = Factory.Create();
        var store = new LocalCostStore(db, Time);

        await store.SaveAsync(DataLead, new LocalCostInput("LOCAL-MST-1", "MST session", "Per session", "Local Authority", Money.FromPounds(130.50m), new PriceYear(2014),
            "Children's services finance", new DateOnly(2026, 3, 31)), ct);
        await store.SaveAsync(DataLead, new LocalCostInput("LOCAL-MST-1", "MST session, revised", "Per session", "Local Authority", Money.FromPounds(135m), new PriceYear(2015),
            "Budget book 2026", new DateOnly(2026, 4, 30)), ct);
        var error = await Assert.ThrowsAsync<FinanceInputException>(() => store.SaveAsync(DataLead, new LocalCostInput("SS1.0", "x", "y", "z", Money.FromPounds(1), new PriceYear(2015), "s", Day), ct));

        await using var read = Factory.Create();
        var catalogue = await new LocalCostStore(read, Time).CatalogueAsync(ct);
        var cost = catalogue.Find("LOCAL-MST-1");
        Assert.NotNull(cost);
        Assert.Equal((Money.FromPounds(135m), new PriceYear(2015), "Budget book 2026"), (cost.Fiscal!.Amount, cost.Fiscal.PriceYear, cost.Source));
        Assert.Equal(684, catalogue.Costs.Count);
        Assert.Equal("code", error.Field);
        var row = await read.LocalUnitCosts.SingleAsync(ct);
        Assert.Equal(("lead", "lead"), (row.CreatedBy, row.UpdatedBy));
    }

    [Fact]
    public async Task Ledger_PersistedPostings_AlwaysBalance()
    {
        var ct = TestContext.Current.CancellationToken;
        await using (var db = Factory.Create())
        {
            var ledger = new LedgerStore(db, Time);
            await ledger.OpenPotAsync(DataLead, "families", "Whole-family pot", Day, ct);
            var year = new PriceYear(2026);
            await ledger.PostAsync(DataLead, new LedgerOperation("contribute", "families", Day, Money.FromPounds(100_000), Agency: "Police", Year: year), ct);
            await ledger.PostAsync(DataLead, new LedgerOperation("contribute", "families", Day, Money.FromPounds(250_000), Agency: "Council", Year: year), ct);
            await ledger.PostAsync(DataLead, new LedgerOperation("allocate", "families", Day, Money.FromPounds(200_000), Service: "keyworkers"), ct);
            await ledger.PostAsync(DataLead, new LedgerOperation("spend", "families", Day, Money.FromPounds(1_234.56m), Service: "keyworkers", FamilyRef: "F0000001"), ct);
            await ledger.PostAsync(DataLead, new LedgerOperation("invest", "families", Day, Money.FromPounds(50_000), Service: "mst"), ct);
            await ledger.PostAsync(DataLead, new LedgerOperation("return", "families", Day, Money.FromPounds(60_000), Agency: "Police", Year: year, Service: "mst"), ct);
            await ledger.ReverseAsync(DataLead, 1, Day, "keyed twice", ct);

            // Refused: only £150,000 − … is unallocated; nothing is written.
            var refused = await Assert.ThrowsAsync<LedgerException>(() => ledger.PostAsync(DataLead, new LedgerOperation("allocate", "families", Day, Money.FromPounds(1_000_000), Service: "x"), ct));
            Assert.Contains("unallocated", refused.Message, StringComparison.Ordinal);
        }

        await using var read = Factory.Create();
        Assert.Equal(7, await read.LedgerPostings.CountAsync(ct));
        // Double entry in the tables: every posting's debits equal its credits, so all lines sum to zero.
        var lines = await read.LedgerLines.AsNoTracking().ToListAsync(ct);
        Assert.Equal(0L, lines.Sum(l => l.DebitPence) - lines.Sum(l => l.CreditPence));
        Assert.All(lines.GroupBy(l => l.PostingId), g => Assert.Equal(g.Sum(l => l.DebitPence), g.Sum(l => l.CreditPence)));
        Assert.All(lines, l => Assert.True((l.DebitPence > 0) != (l.CreditPence > 0)));

        var budget = await new LedgerStore(read, Time).LoadAsync(TestContext.Current.CancellationToken);
        var b = budget.Balance("families");
        // Contributed £250,000 (the £100,000 police contribution was reversed); allocated £200,000; spent £1,234.56;
        // invested £50,000, repaid £50,000 with £10,000 more returned as savings.
        // Unallocated = £250,000 − £200,000 − £50,000 + £60,000 = £60,000.
        Assert.Equal(Money.FromPounds(250_000), b.Contributed);
        Assert.Equal(Money.FromPounds(60_000), b.Unallocated);
        Assert.Equal(Money.FromPounds(198_765.44m), b.AllocatedUnspent);
        Assert.Equal(Money.FromPounds(1_234.56m), b.Spent);
        Assert.Equal(Money.Zero, b.InvestToSaveOutstanding);
        Assert.Equal(Money.FromPounds(10_000), b.SavingsReturned);
        Assert.Equal(b.Contributed + b.SavingsReturned, b.Unallocated + b.AllocatedUnspent + b.Spent + b.InvestToSaveOutstanding);
        Assert.Equal(Money.FromPounds(1_234.56m), budget.SpendByFamily("families")["F0000001"]);
        Assert.True(budget.Journal.IsReversed(1));
    }

    [Fact]
    public async Task Ledger_UnbalancedPostingInTheTables_IsRefusedOnLoad()
    {
        var ct = TestContext.Current.CancellationToken;
        await using (var db = Factory.Create())
        {
            var ledger = new LedgerStore(db, Time);
            await ledger.OpenPotAsync(DataLead, "families", null, Day, ct);
            await ledger.PostAsync(DataLead, new LedgerOperation("contribute", "families", Day, Money.FromPounds(100), Agency: "Police", Year: new PriceYear(2026)), ct);
            var line = await db.LedgerLines.FirstAsync(l => l.DebitPence > 0, ct);
            line.DebitPence += 1;
            await db.SaveChangesAsync(ct);
        }

        await using var read = Factory.Create();
        var error = await Assert.ThrowsAsync<LedgerException>(() => new LedgerStore(read, Time).LoadAsync(ct));
        Assert.Contains("do not equal", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LocalCosts_WriterIsAuditedAndOtherRolesAreRefused()
    {
        var ct = TestContext.Current.CancellationToken;
        await using (var db = Factory.Create())
        {
            var store = new LocalCostStore(db, Time, new AuditTrail(Time));
            await store.SaveAsync(DataLead, new LocalCostInput("LOCAL-FC-1", "Foster care week", "Per week", "Local Authority", Money.FromPounds(612.34m), new PriceYear(2024),
                "Placements team", new DateOnly(2024, 3, 1)), ct);
            await Assert.ThrowsAsync<UnauthorizedAccessException>(() => store.SaveAsync(Analyst, new LocalCostInput("LOCAL-FC-2", "x", "y", "z", Money.FromPounds(1), new PriceYear(2024), "s", Day), ct));
            var duplicate = await Assert.ThrowsAsync<FinanceInputException>(() => store.SaveAsync(DataLead, new LocalCostInput("LOCAL-FC-1", "again", "y", "z", Money.FromPounds(1), new PriceYear(2024), "s", Day), true, ct));
            Assert.Equal("code", duplicate.Field);
        }

        await using var read = Factory.Create();
        var row = await read.LocalUnitCosts.SingleAsync(ct);
        // £612.34 is kept as 61,234 whole pence.
        Assert.Equal((61_234L, 2024, "Foster care week"), (row.FiscalPence!.Value, row.FiscalYear!.Value, row.Description));
        var audit = await read.AuditEntries.AsNoTracking().OrderBy(a => a.Id).Select(a => new { a.Action, a.SubjectId, a.Outcome, a.ActorId }).ToListAsync(ct);
        Assert.Equal(2, audit.Count);
        Assert.Equal(("local-cost.create", "LOCAL-FC-1", AuditOutcomes.Allowed, "u-lead"), (audit[0].Action, audit[0].SubjectId, audit[0].Outcome, audit[0].ActorId));
        Assert.Equal(("local-cost.save", "LOCAL-FC-2", AuditOutcomes.Denied, "u-analyst"), (audit[1].Action, audit[1].SubjectId, audit[1].Outcome, audit[1].ActorId));
    }

    [Fact]
    public async Task Contracts_StoredFromTheExamples_GiveTheWorkedFigures()
    {
        var ct = TestContext.Current.CancellationToken;
        var ucd = Hearth.Core.Finance.UnitCosts.UnitCostDatabase.UcdV14();
        var deflator = Hearth.Core.Finance.UnitCosts.GdpDeflator.UcdV14();
        long pbrId, essexId;
        await using (var db = Factory.Create())
        {
            var store = new ContractStore(db, Time, new AuditTrail(Time));
            var (pbr, _) = Hearth.Core.Finance.Contracts.ContractFile.Load(Example("pbr-pass-through.yaml"), ucd, deflator);
            var (essex, _) = Hearth.Core.Finance.Contracts.ContractFile.Load(Example("essex-edge-of-care-sib.yaml"), ucd, deflator);
            pbrId = (await store.CreateAsync(DataLead, pbr, "pbr-pass-through.yaml", new string('a', 64), ct)).Id;
            essexId = (await store.CreateAsync(DataLead, essex, "essex-edge-of-care-sib.yaml", new string('b', 64), ct)).Id;
            var twice = await Assert.ThrowsAsync<FinanceInputException>(() => store.CreateAsync(DataLead, pbr, "again.yaml", new string('c', 64), ct));
            Assert.Equal("name", twice.Field);
            await Assert.ThrowsAsync<UnauthorizedAccessException>(() => store.CreateAsync(KeyWorker, pbr, "kw.yaml", new string('d', 64), ct));
        }

        await using (var read = Factory.Create())
        {
            var store = new ContractStore(read, Time);
            Assert.Equal(2, (await store.ListAsync(ct)).Count);
            var stored = await store.RunAsync(pbrId, ct);
            Assert.NotNull(stored);
            // Claims 37 + 41 + 29 = 107 × £800 = £85,600; provider 0.3333 rounded down per payment:
            // 29,600 × 0.3333 = 9,865.68; 32,800 × 0.3333 = 10,932.24; 23,200 × 0.3333 = 7,732.56 => £28,530.48.
            Assert.Equal(Money.FromPounds(85_600), stored.Result.TotalPaid);
            Assert.Equal(Money.FromPounds(28_530.48m), stored.Result.TotalToProvider);
            Assert.Equal(("pbr", "pbr-pass-through.yaml", "lead"), (stored.Row.Kind, stored.Row.SourceFile, stored.Row.CreatedBy));

            var sib = await store.RunAsync(essexId, ct);
            Assert.NotNull(sib);
            // Essex: outcome payments stop at the £7.1m overall cap; investors drew £2.6m and received ≈ 1.45 × £3.1m committed.
            Assert.Equal(Money.FromPounds(7_100_000), sib.Result.TotalPaid);
            Assert.Equal(2, sib.Result.CapsHit.Count);
            Assert.Equal(Money.FromPounds(2_600_000), sib.Result.TotalDrawn);
            Assert.Equal(1.45m, decimal.Round(sib.Result.MultipleOfCommitted!.Value, 2));
            Assert.True(sib.Result.DatedIrr!.IsSolved);
            Assert.Null(await store.RunAsync(999_999, ct));
        }

        await using (var db = Factory.Create())
        {
            var store = new ContractStore(db, Time, new AuditTrail(Time));
            var csv = "date,metric,count,period,evidence\n2023-12-31,family-outcomes-achieved,10,2023/24 Q3,claim batch 4\n";
            var lines = Hearth.Core.Finance.Contracts.ContractOutcomesFile.Load(new StringReader(csv), "q3.csv");
            Assert.Equal(1, await store.AddOutcomesAsync(DataLead, pbrId, lines, "q3.csv", ct));
            var bad = Hearth.Core.Finance.Contracts.ContractOutcomesFile.Load(new StringReader("date,metric,count\n2024-03-31,family-outcomes-achieved,1\n2024-03-31,no-such-metric,2\n"), "bad.csv");
            var error = await Assert.ThrowsAsync<FinanceInputException>(() => store.AddOutcomesAsync(DataLead, pbrId, bad, "bad.csv", ct));
            Assert.Equal((3, "metric"), (error.Line, error.Field));
        }

        await using var after = Factory.Create();
        var again = await new ContractStore(after, Time).RunAsync(pbrId, ct);
        // 10 more × £800 = £8,000 → £93,600; provider 8,000 × 0.3333 = £2,666.40 → £31,196.88. The refused file added nothing.
        Assert.Equal(Money.FromPounds(93_600), again!.Result.TotalPaid);
        Assert.Equal(Money.FromPounds(31_196.88m), again.Result.TotalToProvider);
        var actions = await after.AuditEntries.AsNoTracking().OrderBy(a => a.Id).Select(a => a.Action + ":" + a.Outcome).ToListAsync(ct);
        Assert.Equal(["contract.create:allowed", "contract.create:allowed", "contract.create:denied", "contract.outcomes:allowed"], actions);
    }

    [Fact]
    public async Task Profile_WithoutADate_SplitsAtTheStoredAttachmentOrCaseAllocation()
    {
        var ct = TestContext.Current.CancellationToken;
        await using (var seed = Factory.Create())
        {
            await MoneyStoreSeed.SeedAsync(seed, ct);
            var f1 = await seed.Families.SingleAsync(f => f.Reference == "F0000001", ct);
            var f2 = await seed.Families.SingleAsync(f => f.Reference == "F0000002", ct);
            // F0000001: allocated 1 Jan 2023 but attached to the programme 15 Jul 2023: the attachment wins.
            seed.Cases.Add(new Hearth.Core.CaseWork.FamilyCase { FamilyId = f1.Id, Status = Hearth.Core.CaseWork.CaseStatus.Active, CreatedUtc = new DateTime(2023, 1, 1, 0, 0, 0, DateTimeKind.Utc),
                AllocatedUtc = new DateTime(2023, 1, 1, 10, 0, 0, DateTimeKind.Utc), Version = Guid.NewGuid() });
            seed.ProgrammeAttachments.Add(new Hearth.Core.Programmes.ProgrammeAttachment { FamilyId = f1.Id, Scheme = "supporting-families", FrameworkId = "sf", FrameworkVersion = "1",
                FrameworkHash = new string('0', 64), AttachedOn = new DateOnly(2023, 7, 15), BaselineJson = "{}", BaselineSha256 = new string('0', 64), CreatedBy = "lead", CreatedUtc = DateTime.UtcNow });
            // F0000002: no attachment; its case was allocated 1 Jun 2022, after its only offence (1 May 2022).
            seed.Cases.Add(new Hearth.Core.CaseWork.FamilyCase { FamilyId = f2.Id, Status = Hearth.Core.CaseWork.CaseStatus.Active, CreatedUtc = new DateTime(2022, 5, 20, 0, 0, 0, DateTimeKind.Utc),
                AllocatedUtc = new DateTime(2022, 6, 1, 9, 0, 0, DateTimeKind.Utc), Version = Guid.NewGuid() });
            await seed.SaveChangesAsync(ct);
        }

        await using var db = Factory.Create();
        var dates = await AttachmentDates.LoadAsync(db, cancellationToken: ct);
        Assert.Equal(new AttachmentDate(new DateOnly(2023, 7, 15), "programme attachment (supporting-families)"), dates["F0000001"]);
        Assert.Equal(new AttachmentDate(new DateOnly(2022, 6, 1), "case allocation"), dates["F0000002"]);

        var service = new FamilyCostService(db, new AuditTrail(Time), Time);
        var p1 = await service.ProfileAsync(Analyst, "F0000001", "cost-analysis", cancellationToken: ct);
        // As with the typed date: before = £4,329.50 + £663.37 = £4,992.87; after = £3,619.67.
        Assert.Equal((new DateOnly(2023, 7, 15), Money.FromPounds(4_992.87m), Money.FromPounds(3_619.67m)), (p1!.AttachDate!.Value, p1.Before, p1.After));
        var p2 = await service.ProfileAsync(Analyst, "F0000002", "cost-analysis", cancellationToken: ct);
        Assert.Equal((Money.FromPounds(663.37m), Money.Zero), (p2!.Before, p2.After));
        // A typed date still overrides the stored one: split at 1 Jan 2020, everything is after.
        var overridden = await service.ProfileAsync(Analyst, "F0000002", "cost-analysis", attachDate: new DateOnly(2020, 1, 1), cancellationToken: ct);
        Assert.Equal((Money.Zero, Money.FromPounds(663.37m)), (overridden!.Before, overridden.After));

        var cohort = await service.CohortAsync(Analyst, "cost-analysis", attachedOnly: true, cancellationToken: ct);
        Assert.Equal(2, cohort.Families);
    }

    private static string Example(string name)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "docs", "examples", name)))
        {
            dir = dir.Parent;
        }

        return Path.Combine(dir?.FullName ?? throw new FileNotFoundException(name), "docs", "examples", name);
    }
}

public sealed class SqliteMoneyStoreTests : MoneyStoreScenarios
{
    protected override Task<HearthDatabaseOptions> CreateDatabaseAsync() =>
        Task.FromResult(HearthDatabaseOptions.Sqlite(Path.Combine(Directory, "hearth.db")));
}

public sealed class PostgresMoneyStoreTests(PostgresServer server) : MoneyStoreScenarios
{
    protected override async Task<HearthDatabaseOptions> CreateDatabaseAsync() =>
        HearthDatabaseOptions.Postgres(await server.CreateDatabaseAsync());
}
