using System.Net;
using System.Text.RegularExpressions;
using Hearth.Core.Access;
using Hearth.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OtpNet;

namespace Hearth.IntegrationTests.Web;

/// <summary>Provisioning with a one-time set-up code, the administrator's user pages, and the audit search.</summary>
public sealed partial class AccountAdministrationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SetupCode_SetsPasswordAndAuthenticator_ThenSignsIn_AndWorksOnlyOnce()
    {
        await using var factory = new HearthWebFactory();
        ProvisionedUser created;
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            created = await scope.ServiceProvider.GetRequiredService<UserAccounts>().CreateAsync(
                "first.admin", "First Admin", [HearthRole.Administrator], null, null, UserAccounts.CommandLine, Ct);
        }

        const string password = "copper kettle under a winter moon";
        using var client = factory.CreateBrowserClient();
        using (var step1 = await HearthWebFactory.PostFormAsync(client, "/account/setup", new()
        {
            ["UserName"] = "first.admin", ["SetupCode"] = created.SetupSecret.ToLowerInvariant(), ["Password"] = password, ["ConfirmPassword"] = password,
        }))
        {
            Assert.Equal("/account/setup/authenticator", step1.Headers.Location?.OriginalString);
        }

        var page = await client.GetStringAsync(new Uri("/account/setup/authenticator", UriKind.Relative), Ct);
        var key = KeyPattern().Match(page).Groups[1].Value.Replace(" ", "", StringComparison.Ordinal);
        var code = new Totp(Base32Encoding.ToBytes(key)).ComputeTotp(DateTime.UtcNow);
        using (var step2 = await HearthWebFactory.PostFormAsync(client, "/account/setup/authenticator", new() { ["Code"] = code }))
        {
            Assert.Equal("/account/sign-in", step2.Headers.Location?.OriginalString);
        }

        // The code is used up.
        using (var again = await HearthWebFactory.PostFormAsync(client, "/account/setup", new()
        {
            ["UserName"] = "first.admin", ["SetupCode"] = created.SetupSecret, ["Password"] = password, ["ConfirmPassword"] = password,
        }))
        {
            Assert.Contains("set-up code is not right", await again.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        var user = new TestUser("?", "first.admin", password, key);
        user.NextCode(DateTimeOffset.UtcNow); // the set-up step's code is spent
        using var signedIn = factory.CreateBrowserClient();
        await factory.SignInAsync(signedIn, user);
        using var users = await signedIn.GetAsync(new Uri("/admin/users", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, users.StatusCode);
    }

    [Fact]
    public async Task SetupCode_After72Hours_IsRefused()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var factory = new HearthWebFactory { Clock = clock };
        ProvisionedUser created;
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            created = await scope.ServiceProvider.GetRequiredService<UserAccounts>().CreateAsync(
                "late.user", "", [HearthRole.Analyst], null, null, UserAccounts.CommandLine, Ct);
        }

        clock.Advance(TimeSpan.FromHours(72) + TimeSpan.FromMinutes(1));
        using var client = factory.CreateBrowserClient();
        using var response = await HearthWebFactory.PostFormAsync(client, "/account/setup", new()
        {
            ["UserName"] = "late.user", ["SetupCode"] = created.SetupSecret, ["Password"] = "copper kettle under a winter moon", ["ConfirmPassword"] = "copper kettle under a winter moon",
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("has expired", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Administrator_AddsUserWithRoleAndTeam_DisablesThem_AndSeesTheReport()
    {
        await using var factory = new HearthWebFactory();
        using var admin = await factory.SignInAsync(HearthRole.Administrator);
        using (var add = await HearthWebFactory.PostFormAsync(admin, "/admin/users/new", new()
        {
            ["UserName"] = "kw.new", ["DisplayName"] = "New key worker", ["Roles"] = "KeyWorker", ["TeamId"] = "north",
        }))
        {
            var html = await add.Content.ReadAsStringAsync(Ct);
            Assert.Matches(SetupCodePattern(), html);
        }

        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var directory = scope.ServiceProvider.GetRequiredService<IUserDirectory>();
            var found = (await directory.ListAsync(Ct)).Single(u => u.UserName == "kw.new");
            Assert.Equal("north", found.TeamId);
            Assert.Equal([HearthRole.KeyWorker], found.Roles);
            Assert.True(found.Active);
        }

        var report = await admin.GetStringAsync(new Uri("/admin/users", UriKind.Relative), Ct);
        Assert.Contains("kw.new", report, StringComparison.Ordinal);
        Assert.Contains("Not set up", report, StringComparison.Ordinal);
        string id;
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            id = await scope.ServiceProvider.GetRequiredService<HearthDb>().Users.Where(u => u.UserName == "kw.new").Select(u => u.Id).SingleAsync(Ct);
        }

        using (var disable = await HearthWebFactory.PostFormAsync(admin, "/admin/users?handler=Disable", new() { ["userId"] = id }, "/admin/users"))
        {
            Assert.Contains("User disabled", await disable.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        await using (var scope = factory.Services.CreateAsyncScope())
        {
            Assert.False((await scope.ServiceProvider.GetRequiredService<IUserDirectory>().FindAsync(id, Ct))!.Active);
            var actions = await scope.ServiceProvider.GetRequiredService<HearthDb>().AuditEntries.Where(a => a.SubjectId == id).Select(a => a.Action).ToListAsync(Ct);
            Assert.Equal(["user.create", "user.disable"], actions);
        }
    }

    [Fact]
    public async Task Administrator_EndsAnotherUsersSessions()
    {
        await using var factory = new HearthWebFactory();
        var (worker, user) = await factory.SignInUserAsync([HearthRole.KeyWorker]);
        using (worker)
        {
            using var admin = await factory.SignInAsync(HearthRole.Administrator);
            using var end = await HearthWebFactory.PostFormAsync(admin, "/admin/users?handler=EndSessions", new() { ["userId"] = user.Id }, "/admin/users");
            Assert.Contains("1 sessions ended", await end.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
            using var after = await worker.GetAsync(new Uri("/", UriKind.Relative), Ct);
            Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        }
    }

    [Fact]
    public async Task AuditSearch_FiltersByActionAndUser_AndPages()
    {
        await using var factory = new HearthWebFactory();
        var (client, auditor) = await factory.SignInUserAsync([HearthRole.Auditor]);
        using (client)
        {
            // Three failed sign-ins by an unknown name, each an audit entry.
            using var other = factory.CreateBrowserClient();
            for (var i = 0; i < 3; i++)
            {
                using var r = await HearthWebFactory.PostFormAsync(other, "/account/sign-in", new() { ["UserName"] = "ghost", ["Password"] = "wrong wrong wrong" });
            }

            var failures = await client.GetStringAsync(new Uri("/admin/audit?action=signin.failure", UriKind.Relative), Ct);
            Assert.Contains("3 entries", failures, StringComparison.Ordinal);
            Assert.DoesNotContain("ghost", failures, StringComparison.Ordinal);
            var mine = await client.GetStringAsync(new Uri("/admin/audit?user=" + auditor.UserName + "&action=signin", UriKind.Relative), Ct);
            Assert.Contains("signin.success", mine, StringComparison.Ordinal);
            Assert.Contains("signin.password", mine, StringComparison.Ordinal);
            var page2 = await client.GetStringAsync(new Uri("/admin/audit?page=2", UriKind.Relative), Ct);
            Assert.Contains("page 1 of 1", page2, StringComparison.Ordinal);
        }

        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HearthDb>();
        Assert.Equal(3, await db.AuditEntries.CountAsync(a => a.Action == "audit.search" && a.ActorId == auditor.Id, Ct));
        Assert.True((await Hearth.Core.Audit.AuditChain.VerifyAsync(db, null, Ct)).Intact);
    }

    [GeneratedRegex("<code id=\"authenticator-key\">([A-Z2-7 ]+)</code>")]
    private static partial Regex KeyPattern();

    [GeneratedRegex("<code id=\"setup-code\">[A-Z2-9]{5}-[A-Z2-9]{5}-[A-Z2-9]{5}-[A-Z2-9]{5}</code>")]
    private static partial Regex SetupCodePattern();
}
