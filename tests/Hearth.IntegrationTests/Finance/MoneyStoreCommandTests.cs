using Hearth.IntegrationTests.Infrastructure;
using Hearth.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Hearth.IntegrationTests.Finance;

/// <summary>The store money verbs (<c>hearth costs profile</c>, <c>hearth ledger</c>), run in process on a SQLite file.</summary>
[Collection(ConsoleCapture.Name)]
public sealed class MoneyStoreCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "hearth-moneycli-" + Guid.NewGuid().ToString("N")[..10]);

    public MoneyStoreCommandTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private static async Task<(int Exit, string Error)> RunAsync(params string[] args)
    {
        var (exit, _, error) = await ConsoleCapture.RunHearthAsync(args);
        return (exit, error);
    }

    [Fact]
    public async Task CostsProfile_BadConfiguration_ExitsOneWithLineAndReason()
    {
        var config = Path.Combine(_dir, "costs.yaml");
        await File.WriteAllTextAsync(config, "price_year: 2015/16\nrules:\n  - { id: a, event_type: burglary, code: CR8.0, basis: per_event, kind: reactive, need: crime }\n", TestContext.Current.CancellationToken);

        var (code, error) = await RunAsync("costs", "profile", "--config", config, "--database", Path.Combine(_dir, "hearth.db"));

        Assert.Equal(1, code);
        Assert.Contains("costs.yaml, line 3, field 'event_type': 'burglary' is not a Hearth event type", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CostsProfile_UnknownFamily_ExitsOne()
    {
        var (code, error) = await RunAsync("costs", "profile", "--family", "F9999999", "--database", Path.Combine(_dir, "hearth.db"));

        Assert.Equal(1, code);
        Assert.Contains("there is no family F9999999", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ledger_PostAndRefuse_ThroughTheCommand()
    {
        var db = Path.Combine(_dir, "ledger.db");
        Assert.Equal(0, (await RunAsync("ledger", "open", "pot-a", "--database", db)).Exit);
        Assert.Equal(0, (await RunAsync("ledger", "post", "contribute", "--pot", "pot-a", "--agency", "Police", "--year", "2026/27", "--amount", "1000", "--date", "2026-04-01", "--database", db)).Exit);

        var (code, error) = await RunAsync("ledger", "post", "allocate", "--pot", "pot-a", "--service", "x", "--amount", "5000", "--database", db);
        var (badAmount, amountError) = await RunAsync("ledger", "post", "allocate", "--pot", "pot-a", "--service", "x", "--amount", "12.345", "--database", db);

        Assert.Equal(1, code);
        Assert.Contains("pot-a has £1,000.00 unallocated; cannot allocate £5,000.00", error, StringComparison.Ordinal);
        Assert.Equal(1, badAmount);
        Assert.Contains("'12.345' is not an amount in pounds", amountError, StringComparison.Ordinal);
        await using var store = new HearthDbFactory(HearthDatabaseOptions.Sqlite(db)).Create();
        Assert.Equal(1, await store.LedgerPostings.CountAsync(TestContext.Current.CancellationToken));
        Assert.Equal(2, await store.LedgerLines.CountAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Contract_ImportOutcomesAndShow_FromTheStore()
    {
        var ct = TestContext.Current.CancellationToken;
        var db = Path.Combine(_dir, "contracts.db");
        var example = Example("pbr-pass-through.yaml");
        var csv = Path.Combine(_dir, "q3.csv");
        await File.WriteAllTextAsync(csv, "date,metric,count,period\n2023-12-31,family-outcomes-achieved,10,2023/24 Q3\n", ct);
        var bad = Path.Combine(_dir, "bad.csv");
        await File.WriteAllTextAsync(bad, "date,metric,count\n2023-12-31,family-outcomes-achieved,ten\n", ct);

        var (imported, _, _) = await ConsoleCapture.RunHearthAsync(["contract", "import", example, "--database", db]);
        var (again, _, againError) = await ConsoleCapture.RunHearthAsync(["contract", "import", example, "--database", db]);
        var (added, _, _) = await ConsoleCapture.RunHearthAsync(["contract", "outcomes", "1", csv, "--database", db]);
        var (refused, _, refusedError) = await ConsoleCapture.RunHearthAsync(["contract", "outcomes", "1", bad, "--database", db]);
        var outDir = Path.Combine(_dir, "indigo");
        var (shown, _, _) = await ConsoleCapture.RunHearthAsync(["contract", "show", "1", "--out", outDir, "--database", db]);
        var (missing, _, missingError) = await ConsoleCapture.RunHearthAsync(["contract", "show", "7", "--database", db]);

        Assert.Equal(0, imported);
        Assert.Equal(1, again);
        Assert.Contains("is already stored", againError, StringComparison.Ordinal);
        Assert.Equal(0, added);
        Assert.Equal(1, refused);
        Assert.Contains("bad.csv, line 2, field 'count'", refusedError, StringComparison.Ordinal);
        Assert.Equal(0, shown);
        // (37 + 41 + 29 + 10) × £800 = £93,600; provider 0.3333 rounded down per payment: £28,530.48 + £2,666.40 = £31,196.88.
        Assert.Contains("overall_project_finance/total_outcome_payments_made/amount,93600.00", await File.ReadAllTextAsync(Path.Combine(outDir, "indigo-project.csv"), ct), StringComparison.Ordinal);
        Assert.Contains("2023-12-31,Department for Education,Family support provider,outcome payment pass-through,GBP,2666.40",
            await File.ReadAllTextAsync(Path.Combine(outDir, "indigo-transactions.csv"), ct), StringComparison.Ordinal);
        Assert.Equal(1, missing);
        Assert.Contains("there is no contract 7", missingError, StringComparison.Ordinal);
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
