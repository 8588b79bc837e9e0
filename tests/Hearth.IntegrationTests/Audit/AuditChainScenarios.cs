using System.Globalization;
using Hearth.Core.Access;
using Hearth.Core.Audit;
using Hearth.Core.Data;
using Hearth.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Hearth.IntegrationTests.Audit;

/// <summary>The hash-chained audit log on every provider: appends, concurrent appends, tampering, checkpoints.</summary>
public abstract class AuditChainScenarios : IAsyncLifetime
{
    private HearthDbFactory? _factory;

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 3, 2, 9, 15, 30, TimeSpan.Zero).AddTicks(1234567));

    protected HearthDbFactory Factory => _factory ?? throw new InvalidOperationException("not initialised");

    protected string Folder { get; } = Path.Combine(Path.GetTempPath(), "hearth-audit-" + Guid.NewGuid().ToString("N")[..10]);

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected static Actor Worker { get; } = new("u-17", "kw.one", new HashSet<HearthRole> { HearthRole.KeyWorker }, "team-1");

    protected abstract Task<HearthDatabaseOptions> CreateDatabaseAsync();

    /// <summary>Changes one stored row behind the application's back (on PostgreSQL with the triggers disabled, as the table owner could).</summary>
    protected abstract Task TamperAsync(HearthDb db, long sequence, string newDetail);

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(Folder);
        _factory = new HearthDbFactory(await CreateDatabaseAsync());
        await _factory.MigrateAsync(Ct);
    }

    public virtual ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }

        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    protected async Task AppendAsync(int count, string prefix = "family.view")
    {
        var trail = new AuditTrail(Time);
        await using var db = Factory.Create();
        for (var i = 0; i < count; i++)
        {
            trail.Record(db, new AuditEvent(Worker, prefix, "family", "F" + i.ToString("D7", CultureInfo.InvariantCulture), "case-work", Detail: "plan, due date"), "127.0.0.1", "corr-" + i.ToString(CultureInfo.InvariantCulture));
            Time.Advance(TimeSpan.FromSeconds(1));
            if (i % 3 == 2)
            {
                await db.SaveChangesAsync(Ct);
            }
        }

        await db.SaveChangesAsync(Ct);
    }

    [Fact]
    public async Task Append_NumbersFromOneAndLinksEachRowToTheOneBefore()
    {
        await AppendAsync(7);
        await using var db = Factory.Create();
        var rows = await db.AuditEntries.OrderBy(a => a.Id).ToListAsync(Ct);
        Assert.Equal(Enumerable.Range(1, 7).Select(i => (long)i), rows.Select(r => r.Id));
        Assert.Equal(AuditChain.Genesis, rows[0].PrevHash);
        for (var i = 1; i < rows.Count; i++)
        {
            Assert.Equal(rows[i - 1].RowHash, rows[i].PrevHash);
        }

        // Recomputed independently of AuditChain: SHA-256(prev bytes ‖ canonical text), the canonical text
        // built by hand from the documented field order (length:value lines, '~' for null).
        var first = rows[0];
        var canonical = string.Join("", new[]
        {
            "1", first.OccurredUtc.Ticks.ToString(CultureInfo.InvariantCulture), "u-17", "kw.one", "KeyWorker", "family.view", "family", "F0000000",
            "case-work", "allowed", "plan, due date", "127.0.0.1", "corr-0",
        }.Select(v => v.Length.ToString(CultureInfo.InvariantCulture) + ":" + v + "\n"));
        var expected = System.Security.Cryptography.SHA256.HashData([.. new byte[32], .. System.Text.Encoding.UTF8.GetBytes(canonical)]);
        Assert.Equal(Convert.ToHexStringLower(expected), first.RowHash);
        // Stored time is whole microseconds, so it reads back from either database exactly as hashed.
        Assert.Equal(0, first.OccurredUtc.Ticks % 10);

        var result = await AuditChain.VerifyAsync(db, null, Ct);
        Assert.True(result.Intact);
        Assert.Equal(7, result.Entries);
    }

    [Fact]
    public async Task ConcurrentAppends_FromManyContexts_StayOneUnbrokenChain()
    {
        var writers = Enumerable.Range(0, 6).Select(async w =>
        {
            var trail = new AuditTrail(TimeProvider.System);
            for (var i = 0; i < 5; i++)
            {
                await using var db = Factory.Create();
                trail.Record(db, new AuditEvent(Worker, "family.view", "family", "F" + w.ToString(CultureInfo.InvariantCulture), "case-work"));
                await SaveWithRetryAsync(db);
            }
        });
        await Task.WhenAll(writers);
        await using var check = Factory.Create();
        var result = await AuditChain.VerifyAsync(check, null, Ct);
        Assert.True(result.Intact, result.Reason);
        Assert.Equal(30, result.Entries);
    }

    /// <summary>SQLite may answer "busy" to a writer that waited too long; a caller retries the whole unit.</summary>
    private static async Task SaveWithRetryAsync(HearthDb db)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await db.SaveChangesAsync(Ct);
                return;
            }
            catch (Exception) when (attempt < 20 && db.Provider == DatabaseProvider.Sqlite)
            {
                await Task.Delay(20, Ct);
            }
        }
    }

    [Fact]
    public async Task Verify_RowChangedDirectly_ReportsItsSequence()
    {
        await AppendAsync(10);
        await using var db = Factory.Create();
        await TamperAsync(db, 6, "nothing to see");
        var result = await AuditChain.VerifyAsync(db, null, Ct);
        Assert.False(result.Intact);
        Assert.Equal(6, result.FirstBrokenSequence);
        Assert.Contains("content does not match", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Checkpoint_ForgedChainWithoutTheKey_FailsVerification()
    {
        await AppendAsync(8);
        var key = AuditCheckpointKey.Create(Path.Combine(Folder, "checkpoint.key"));
        await using (var db = Factory.Create())
        {
            Assert.NotNull(await AuditChain.CheckpointAsync(db, key, Time, Ct));
            Assert.True((await AuditChain.VerifyAsync(db, key, Ct)).Intact);
        }

        // Whoever can write the table rewrites entry 4 and recomputes every hash after it: the chain is whole again...
        await using (var db = Factory.Create())
        {
            await TamperAsync(db, 4, "rewritten");
            var rows = await db.AuditEntries.AsNoTracking().OrderBy(a => a.Id).ToListAsync(Ct);
            var prev = rows[2].RowHash;
            foreach (var row in rows.Skip(3))
            {
                row.PrevHash = prev;
                row.RowHash = AuditChain.ComputeRowHash(prev, row);
                prev = row.RowHash;
                await RewriteHashesAsync(db, row.Id, row.PrevHash, row.RowHash);
            }

            var result = await AuditChain.VerifyAsync(db, key, Ct);
            Assert.Null(result.FirstBrokenSequence);

            // ...but not the signed checkpoint, which still names the old head.
            Assert.False(result.Intact);
            Assert.Contains(result.CheckpointProblems, p => p.Contains("chain was rewritten", StringComparison.Ordinal));

            // A checkpoint made up without the key does not verify either.
            var forged = new AuditCheckpoint { Sequence = 8, HeadHash = prev, CreatedUtc = Time.GetUtcNow().UtcDateTime, KeyId = key.KeyId, Signature = new string('a', 64) };
            Assert.False(key.Verify(forged));
            var otherKey = AuditCheckpointKey.FromBytes(new byte[32]);
            forged.Signature = otherKey.Sign(forged);
            Assert.False(key.Verify(forged));
        }
    }

    [Fact]
    public async Task Verify_LastRowsDeleted_CheckpointReportsTheMissingEntries()
    {
        await AppendAsync(5);
        var key = AuditCheckpointKey.FromBytes(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
        await using var db = Factory.Create();
        await AuditChain.CheckpointAsync(db, key, Time, Ct);
        await DeleteFromAsync(db, 4);
        var result = await AuditChain.VerifyAsync(db, key, Ct);
        Assert.Null(result.FirstBrokenSequence);
        Assert.Equal(3, result.Entries);
        Assert.Contains(result.CheckpointProblems, p => p.Contains("no longer holds", StringComparison.Ordinal));
    }

    protected abstract Task RewriteHashesAsync(HearthDb db, long sequence, string prevHash, string rowHash);

    protected abstract Task DeleteFromAsync(HearthDb db, long fromSequence);
}

public sealed class SqliteAuditChainTests : AuditChainScenarios
{
    protected override Task<HearthDatabaseOptions> CreateDatabaseAsync() => Task.FromResult(HearthDatabaseOptions.Sqlite(Path.Combine(Folder, "hearth.db")));

    protected override Task TamperAsync(HearthDb db, long sequence, string newDetail) =>
        db.Database.ExecuteSqlAsync($"UPDATE audit_entries SET detail = {newDetail} WHERE id = {sequence}", Ct);

    protected override Task RewriteHashesAsync(HearthDb db, long sequence, string prevHash, string rowHash) =>
        db.Database.ExecuteSqlAsync($"UPDATE audit_entries SET prev_hash = {prevHash}, row_hash = {rowHash} WHERE id = {sequence}", Ct);

    protected override Task DeleteFromAsync(HearthDb db, long fromSequence) =>
        db.Database.ExecuteSqlAsync($"DELETE FROM audit_entries WHERE id >= {fromSequence}", Ct);
}

public sealed class PostgresAuditChainTests(PostgresServer server) : AuditChainScenarios
{
    protected override async Task<HearthDatabaseOptions> CreateDatabaseAsync() => HearthDatabaseOptions.Postgres(await server.CreateDatabaseAsync());

    protected override Task TamperAsync(HearthDb db, long sequence, string newDetail) =>
        AsOwnerWithTriggersOffAsync(db, () => db.Database.ExecuteSqlAsync($"UPDATE audit_entries SET detail = {newDetail} WHERE id = {sequence}", Ct));

    protected override Task RewriteHashesAsync(HearthDb db, long sequence, string prevHash, string rowHash) =>
        AsOwnerWithTriggersOffAsync(db, () => db.Database.ExecuteSqlAsync($"UPDATE audit_entries SET prev_hash = {prevHash}, row_hash = {rowHash} WHERE id = {sequence}", Ct));

    protected override Task DeleteFromAsync(HearthDb db, long fromSequence) =>
        AsOwnerWithTriggersOffAsync(db, () => db.Database.ExecuteSqlAsync($"DELETE FROM audit_entries WHERE id >= {fromSequence}", Ct));

    [Fact]
    public async Task AppendOnly_UpdateDeleteAndTruncate_AreRefusedByTriggers()
    {
        await AppendAsync(3);
        await using var db = Factory.Create();
        var update = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => db.Database.ExecuteSqlRawAsync("UPDATE audit_entries SET detail = 'x' WHERE id = 2", Ct));
        Assert.Contains("append-only", update.MessageText, StringComparison.Ordinal);
        var delete = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => db.Database.ExecuteSqlRawAsync("DELETE FROM audit_entries WHERE id = 1", Ct));
        Assert.Contains("append-only", delete.MessageText, StringComparison.Ordinal);
        var truncate = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => db.Database.ExecuteSqlRawAsync("TRUNCATE audit_entries", Ct));
        Assert.Contains("append-only", truncate.MessageText, StringComparison.Ordinal);
        Assert.Equal(3, await db.AuditEntries.CountAsync(Ct));
        Assert.True((await AuditChain.VerifyAsync(db, null, Ct)).Intact);
    }

    private static async Task AsOwnerWithTriggersOffAsync(HearthDb db, Func<Task<int>> change)
    {
        await db.Database.ExecuteSqlRawAsync("ALTER TABLE audit_entries DISABLE TRIGGER USER", Ct);
        await change();
        await db.Database.ExecuteSqlRawAsync("ALTER TABLE audit_entries ENABLE TRIGGER USER", Ct);
    }
}
