using Hearth.Core.Access;
using Hearth.Core.Audit;
using Hearth.Core.Data;
using Hearth.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Hearth.IntegrationTests.Audit;

/// <summary>Dormant accounts (no sign-in for more than 90 days) are disabled by <c>hearth users disable-dormant</c> (requirement A8).</summary>
[Collection(ConsoleCapture.Name)]
public sealed class DormantAccountTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "hearth-dormant-" + Guid.NewGuid().ToString("N")[..10]);

    public DormantAccountTests() => Directory.CreateDirectory(_directory);

    private string Db => Path.Combine(_directory, "h.db");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private async Task<HearthDb> StoreAsync()
    {
        var factory = new HearthDbFactory(HearthDatabaseOptions.Sqlite(Db));
        await factory.MigrateAsync(Ct);
        return factory.Create();
    }

    [Fact]
    public async Task DisableDormant_TimeTravel_DisablesOnlyAccountsUnusedOverTheLimitAndEndsTheirSessions()
    {
        var start = new DateTimeOffset(2024, 1, 1, 9, 0, 0, TimeSpan.Zero);
        var clock = new FakeTimeProvider(start);
        await using var db = await StoreAsync();
        var accounts = new UserAccounts(db, new AuditTrail(clock), clock);
        await accounts.CreateAsync("active.user", "", [HearthRole.Analyst], null, null, UserAccounts.CommandLine, Ct);
        await accounts.CreateAsync("idle.user", "", [HearthRole.Analyst], null, null, UserAccounts.CommandLine, Ct);
        var idle = await db.Users.SingleAsync(u => u.UserName == "idle.user", Ct);
        idle.LastSignInUtc = start.UtcDateTime;
        db.UserSessions.Add(new UserSession { Id = "s1", UserId = idle.Id, CreatedUtc = start.UtcDateTime, LastSeenUtc = start.UtcDateTime });
        await db.SaveChangesAsync(Ct);

        // 90 days on, neither is over the limit (the never-signed-in account counts from its creation).
        clock.Advance(TimeSpan.FromDays(90));
        Assert.Empty(await accounts.DisableDormantAsync(90, dryRun: false, UserAccounts.CommandLine, Ct));

        // The active user signs in on day 60 of the next stretch; on day 91 only the idle user is dormant.
        var active = await db.Users.SingleAsync(u => u.UserName == "active.user", Ct);
        active.LastSignInUtc = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(Ct);
        clock.Advance(TimeSpan.FromDays(1));
        var disabled = await accounts.DisableDormantAsync(90, dryRun: false, UserAccounts.CommandLine, Ct);

        Assert.Equal(["idle.user"], disabled.Select(d => d.User.UserName));
        Assert.Equal(91, disabled[0].DaysSince);
        db.ChangeTracker.Clear();
        Assert.True((await db.Users.SingleAsync(u => u.UserName == "idle.user", Ct)).Disabled);
        Assert.False((await db.Users.SingleAsync(u => u.UserName == "active.user", Ct)).Disabled);
        var session = await db.UserSessions.SingleAsync(Ct);
        Assert.Equal("disabled", session.EndReason);
        var entry = await db.AuditEntries.SingleAsync(e => e.Action == "user.disable", Ct);
        Assert.Equal(idle.Id, entry.SubjectId);
        Assert.Equal("dormant: no sign-in for 91 days (limit 90)", entry.Detail);

        // Run again: already disabled accounts are not dormant any more.
        Assert.Empty(await accounts.DisableDormantAsync(90, dryRun: false, UserAccounts.CommandLine, Ct));
    }

    [Fact]
    public async Task UsersDisableDormant_Command_DryRunListsThenDisables()
    {
        Assert.Equal(0, (await ConsoleCapture.RunHearthAsync("users", "add", "--user-name", "old.user", "--role", "Analyst", "--database", Db)).Exit);
        Assert.Equal(0, (await ConsoleCapture.RunHearthAsync("users", "add", "--user-name", "new.user", "--role", "Analyst", "--database", Db)).Exit);
        await using (var db = await StoreAsync())
        {
            var old = await db.Users.SingleAsync(u => u.UserName == "old.user", Ct);
            old.LastSignInUtc = DateTime.UtcNow.AddDays(-120);
            await db.SaveChangesAsync(Ct);
        }

        var (dryExit, dryOutput, _) = await ConsoleCapture.RunHearthAsync("users", "disable-dormant", "--dry-run", "--database", Db);
        Assert.Equal(0, dryExit);
        Assert.Contains("old.user: Enabled account last signed in on", dryOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("new.user", dryOutput, StringComparison.Ordinal);
        Assert.Contains("1 dormant accounts (no sign-in for more than 90 days); none disabled (dry run)", dryOutput, StringComparison.Ordinal);
        await using (var db = await StoreAsync())
        {
            Assert.False(await db.Users.AnyAsync(u => u.Disabled, Ct));
        }

        var (exit, output, _) = await ConsoleCapture.RunHearthAsync("users", "disable-dormant", "--database", Db);
        Assert.Equal(0, exit);
        Assert.Contains("1 dormant accounts (no sign-in for more than 90 days) disabled", output, StringComparison.Ordinal);
        await using (var db = await StoreAsync())
        {
            Assert.Equal(["old.user"], await db.Users.Where(u => u.Disabled).Select(u => u.UserName!).ToListAsync(Ct));
        }

        var (bad, _, error) = await ConsoleCapture.RunHearthAsync("users", "disable-dormant", "--days", "0", "--database", Db);
        Assert.Equal(2, bad);
        Assert.Contains("--days must be a whole number of days, 1 or more", error, StringComparison.Ordinal);
    }
}
