using Hearth.IntegrationTests.Infrastructure;
using Hearth.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Hearth.IntegrationTests.Audit;

/// <summary>The <c>hearth users</c> and <c>hearth audit</c> verbs, run in process on a SQLite file.</summary>
[Collection(ConsoleCapture.Name)]
public sealed class SecurityCommandTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "hearth-seccli-" + Guid.NewGuid().ToString("N")[..10]);

    public SecurityCommandTests() => Directory.CreateDirectory(_directory);

    private string Db => Path.Combine(_directory, "h.db");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private static Task<(int Exit, string Output, string Error)> RunAsync(params string[] args) => ConsoleCapture.RunHearthAsync(args);

    [Fact]
    public async Task UsersAdd_FirstAdministrator_PrintsAOneTimeCodeAndStoresOnlyItsHash()
    {
        var (exit, output, _) = await RunAsync("users", "add", "--user-name", "first.admin", "--role", "Administrator", "--database", Db);
        Assert.Equal(0, exit);
        var code = output.Split('\n').Single(l => l.StartsWith("Set-up code:", StringComparison.Ordinal))["Set-up code:".Length..].Trim();
        Assert.Matches("^[A-Z2-9]{5}(-[A-Z2-9]{5}){3}$", code);
        await using var db = new HearthDbFactory(HearthDatabaseOptions.Sqlite(Db)).Create();
        var user = await db.Users.SingleAsync(TestContext.Current.CancellationToken);
        Assert.Equal("Administrator", user.Roles);
        Assert.Null(user.PasswordHash);
        Assert.Equal(Hearth.Core.Access.UserAccounts.HashSecret(code), user.SetupSecretHash);
        Assert.DoesNotContain(code, user.SetupSecretHash, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UsersAdd_KeyWorkerWithoutTeam_ExitCode2WithReason()
    {
        var (exit, _, error) = await RunAsync("users", "add", "--user-name", "kw.one", "--role", "KeyWorker", "--database", Db);
        Assert.Equal(2, exit);
        Assert.True(error.Contains("need a team", StringComparison.Ordinal), error);
    }

    [Fact]
    public async Task AuditVerify_TamperedRow_ExitCode1AndNamesTheSequence()
    {
        var key = Path.Combine(_directory, "checkpoint.key");
        Assert.Equal(0, (await RunAsync("audit", "keygen", "--key-file", key)).Exit);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(0, (await RunAsync("users", "add", "--user-name", "user" + i, "--role", "Analyst", "--database", Db)).Exit);
        }

        Assert.Equal(0, (await RunAsync("audit", "checkpoint", "--key-file", key, "--database", Db)).Exit);
        var (ok, okOutput, _) = await RunAsync("audit", "verify", "--key-file", key, "--database", Db);
        Assert.Equal(0, ok);
        Assert.Contains("Hash chain: intact.", okOutput, StringComparison.Ordinal);

        await using (var db = new HearthDbFactory(HearthDatabaseOptions.Sqlite(Db)).Create())
        {
            await db.Database.ExecuteSqlRawAsync("UPDATE audit_entries SET detail = 'roles DataLead' WHERE id = 2", TestContext.Current.CancellationToken);
        }

        var (broken, output, _) = await RunAsync("audit", "verify", "--key-file", key, "--database", Db);
        Assert.Equal(1, broken);
        Assert.Contains("BROKEN at sequence 2", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditKeygen_ExistingFile_IsNeverOverwritten()
    {
        var key = Path.Combine(_directory, "k.key");
        Assert.Equal(0, (await RunAsync("audit", "keygen", "--key-file", key)).Exit);
        var before = await File.ReadAllTextAsync(key, TestContext.Current.CancellationToken);
        var (exit, _, error) = await RunAsync("audit", "keygen", "--key-file", key);
        Assert.Equal(2, exit);
        Assert.Contains("never overwrites", error, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllTextAsync(key, TestContext.Current.CancellationToken));
    }
}
