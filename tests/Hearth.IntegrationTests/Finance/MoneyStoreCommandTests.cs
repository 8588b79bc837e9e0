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
}
