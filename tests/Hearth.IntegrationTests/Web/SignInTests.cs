using System.Buffers.Binary;
using System.Net;
using System.Text.RegularExpressions;
using Hearth.Core.Access;
using Hearth.Core.Data;
using Hearth.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Hearth.IntegrationTests.Web;

public sealed partial class SignInTests : IAsyncLifetime
{
    private readonly HearthWebFactory _factory = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    [Fact]
    public async Task FreshInstall_HasNoAccounts()
    {
        _factory.CreateClient().Dispose();
        await using var scope = _factory.Services.CreateAsyncScope();
        Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<HearthDb>().Users.CountAsync(Ct));
    }

    [Fact]
    public void IdentityOptions_LengthTwelveAndNoCompositionRules()
    {
        var options = _factory.Services.GetRequiredService<IOptions<IdentityOptions>>().Value;
        Assert.Equal(12, options.Password.RequiredLength);
        Assert.False(options.Password.RequireDigit);
        Assert.False(options.Password.RequireUppercase);
        Assert.False(options.Password.RequireLowercase);
        Assert.False(options.Password.RequireNonAlphanumeric);
        Assert.Equal(5, options.Lockout.MaxFailedAccessAttempts);
    }

    [Fact]
    public async Task StoredHash_IsPbkdf2Sha512WithAtLeast210000Iterations()
    {
        var user = await _factory.CreateUserAsync([HearthRole.Analyst]);
        await using var scope = _factory.Services.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<HearthDb>().Users.Where(u => u.Id == user.Id).Select(u => u.PasswordHash).SingleAsync(Ct);
        var bytes = Convert.FromBase64String(stored!);
        // Identity v3 format: 0x01, PRF (uint32 big-endian; 2 = HMAC-SHA512), iteration count, salt length, salt, subkey.
        Assert.Equal(0x01, bytes[0]);
        Assert.Equal(2u, BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(1)));
        Assert.True(BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(5)) >= 210_000);
        Assert.Equal(16u, BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(9)));
    }

    [Theory]
    [InlineData("Password2026!", false)]
    [InlineData("P@ssw0rd12345", false)]
    [InlineData("qwertyqwerty", false)]
    [InlineData("123456789012", false)]
    [InlineData("aaaaaaaaaaaaaaa", false)]
    [InlineData("Liverpool1892!", false)]
    [InlineData("short phrase", true)]
    [InlineData("elevenchars", false)]
    [InlineData("kettle orbit marmalade lantern", true)]
    [InlineData("a sixty-four character passphrase about rivers, tea and trams!!", true)]
    public async Task PasswordValidators_RejectCommonAndShortAcceptPassphrases(string password, bool accepted)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        var manager = scope.ServiceProvider.GetRequiredService<UserManager<HearthUser>>();
        var user = new HearthUser { UserName = "someone" };
        var ok = true;
        foreach (var validator in manager.PasswordValidators)
        {
            ok &= (await validator.ValidateAsync(manager, user, password)).Succeeded;
        }

        Assert.Equal(accepted, ok);
    }

    [Fact]
    public async Task SignIn_PasswordAndTotp_ReachesHomeWithNewSecureSessionCookie()
    {
        var user = await _factory.CreateUserAsync([HearthRole.KeyWorker]);
        using var client = _factory.CreateBrowserClient();
        using var password = await HearthWebFactory.PostFormAsync(client, "/account/sign-in", new() { ["UserName"] = user.UserName, ["Password"] = user.Password });
        Assert.Equal(HttpStatusCode.Redirect, password.StatusCode);

        // Password alone: no page but the sign-in pages.
        using (var home = await client.GetAsync(new Uri("/", UriKind.Relative), Ct))
        {
            Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
            Assert.StartsWith("/account/sign-in", home.Headers.Location!.OriginalString, StringComparison.Ordinal);
        }

        using var code = await HearthWebFactory.PostFormAsync(client, "/account/second-factor", new() { ["Code"] = user.NextCode(_factory.Now) });
        Assert.Equal(HttpStatusCode.Redirect, code.StatusCode);
        var cookie = code.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("__Host-Hearth=", StringComparison.Ordinal));
        var attributes = cookie.ToLowerInvariant();
        Assert.Contains("; secure", attributes, StringComparison.Ordinal);
        Assert.Contains("; httponly", attributes, StringComparison.Ordinal);
        Assert.Contains("; samesite=strict", attributes, StringComparison.Ordinal);
        Assert.Contains("; path=/", attributes, StringComparison.Ordinal);
        Assert.DoesNotContain("domain=", attributes, StringComparison.Ordinal);
        using var signedIn = await client.GetAsync(new Uri("/", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);

        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HearthDb>();
        var actions = await db.AuditEntries.Where(a => a.SubjectId == user.Id).Select(a => a.Action).ToListAsync(Ct);
        Assert.Contains("signin.password", actions);
        Assert.Contains("second-factor.success", actions);
        Assert.Contains("signin.success", actions);
        Assert.NotNull((await db.Users.SingleAsync(u => u.Id == user.Id, Ct)).LastSignInUtc);
    }

    [Fact]
    public async Task SignIn_TwiceInOneBrowser_GetsANewSessionIdAndEndsTheOld()
    {
        var (client, user) = await _factory.SignInUserAsync([HearthRole.Analyst]);
        using (client)
        {
            await _factory.SignInAsync(client, user);
            await using var scope = _factory.Services.CreateAsyncScope();
            var sessions = await scope.ServiceProvider.GetRequiredService<HearthDb>().UserSessions.Where(s => s.UserId == user.Id).OrderBy(s => s.CreatedUtc).ToListAsync(Ct);
            Assert.Equal(2, sessions.Count);
            Assert.NotEqual(sessions[0].Id, sessions[1].Id);
            Assert.Equal("replaced", sessions[0].EndReason);
            Assert.Null(sessions[1].EndedUtc);
        }
    }

    [Fact]
    public async Task Totp_SameCodeTwice_SecondIsRejected()
    {
        var user = await _factory.CreateUserAsync([HearthRole.Analyst]);
        var code = user.NextCode(_factory.Now);
        using (var first = _factory.CreateBrowserClient())
        {
            using var p = await HearthWebFactory.PostFormAsync(first, "/account/sign-in", new() { ["UserName"] = user.UserName, ["Password"] = user.Password });
            using var c = await HearthWebFactory.PostFormAsync(first, "/account/second-factor", new() { ["Code"] = code });
            Assert.Equal("/", c.Headers.Location?.OriginalString);
        }

        using var second = _factory.CreateBrowserClient();
        using var p2 = await HearthWebFactory.PostFormAsync(second, "/account/sign-in", new() { ["UserName"] = user.UserName, ["Password"] = user.Password });
        using var replay = await HearthWebFactory.PostFormAsync(second, "/account/second-factor", new() { ["Code"] = code });
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Contains("each code works once", await replay.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        await using var scope = _factory.Services.CreateAsyncScope();
        Assert.True(await scope.ServiceProvider.GetRequiredService<HearthDb>().AuditEntries
            .AnyAsync(a => a.SubjectId == user.Id && a.Action == "second-factor.failure" && a.Detail == "code already used", Ct));
    }

    [Fact]
    public async Task Lockout_AfterFiveFailures_AndAnswerIsTheSameAsForAnUnknownUser()
    {
        var user = await _factory.CreateUserAsync([HearthRole.Analyst]);
        using var client = _factory.CreateBrowserClient();
        for (var i = 0; i < 5; i++)
        {
            using var wrong = await HearthWebFactory.PostFormAsync(client, "/account/sign-in", new() { ["UserName"] = user.UserName, ["Password"] = "not the password at all" });
            Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        }

        // The right password is refused now, and the page reads exactly as for a user who does not exist.
        using var locked = await HearthWebFactory.PostFormAsync(client, "/account/sign-in", new() { ["UserName"] = user.UserName, ["Password"] = user.Password });
        using var unknown = await HearthWebFactory.PostFormAsync(client, "/account/sign-in", new() { ["UserName"] = "nobody-at-all", ["Password"] = user.Password });
        Assert.Equal(HttpStatusCode.OK, locked.StatusCode);
        Assert.Equal(HttpStatusCode.OK, unknown.StatusCode);
        var lockedHtml = Normalise(await locked.Content.ReadAsStringAsync(Ct), user.UserName);
        var unknownHtml = Normalise(await unknown.Content.ReadAsStringAsync(Ct), "nobody-at-all");
        Assert.Equal(unknownHtml, lockedHtml);
        Assert.Contains(SignInMessage, lockedHtml, StringComparison.Ordinal);

        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HearthDb>();
        var actions = await db.AuditEntries.Where(a => a.SubjectId == user.Id).OrderBy(a => a.Id).Select(a => a.Action + "/" + a.Detail).ToListAsync(Ct);
        Assert.Equal(4, actions.Count(a => a == "signin.failure/wrong password"));
        Assert.Contains("signin.lockout/wrong password", actions);
        Assert.Equal("signin.failure/locked out", actions[^1]);
        // No password ever reaches the audit log.
        Assert.False(await db.AuditEntries.AnyAsync(a => (a.Detail ?? "").Contains("not the password") || (a.Detail ?? "").Contains(user.Password), Ct));
    }

    [Fact]
    public async Task SignOut_EndsTheSessionOnTheServer_OldCookieReplayFails()
    {
        var user = await _factory.CreateUserAsync([HearthRole.Analyst]);
        var cookies = new CookieContainer();
        string cookie;
        using (var client = _factory.CreateBrowserClient(cookies))
        {
            await _factory.SignInAsync(client, user);
            cookie = cookies.GetCookieHeader(new Uri("https://localhost/"));
            Assert.Contains("__Host-Hearth=", cookie, StringComparison.Ordinal);
            using var signOut = await HearthWebFactory.PostFormAsync(client, "/account/sign-out", [], "/account/sign-out");
            Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        }

        using var replay = _factory.CreateDefaultClient(new Uri("https://localhost"));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("Cookie", cookie);
        using var response = await replay.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/sign-in", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DisablingAUser_EndsTheirSessionAtTheNextRequest()
    {
        var (client, user) = await _factory.SignInUserAsync([HearthRole.Analyst]);
        using (client)
        {
            using (var before = await client.GetAsync(new Uri("/", UriKind.Relative), Ct))
            {
                Assert.Equal(HttpStatusCode.OK, before.StatusCode);
            }

            await using (var scope = _factory.Services.CreateAsyncScope())
            {
                await scope.ServiceProvider.GetRequiredService<UserAccounts>().DisableAsync(user.UserName, UserAccounts.CommandLine, Ct);
            }

            using var after = await client.GetAsync(new Uri("/", UriKind.Relative), Ct);
            Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
            using var again = await HearthWebFactory.PostFormAsync(client, "/account/sign-in", new() { ["UserName"] = user.UserName, ["Password"] = user.Password });
            Assert.Contains(SignInMessage, await again.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task PostWithoutAntiforgeryToken_Is400()
    {
        using var client = _factory.CreateBrowserClient();
        using var content = new FormUrlEncodedContent(new Dictionary<string, string> { ["UserName"] = "x", ["Password"] = "y" });
        using var response = await client.PostAsync(new Uri("/account/sign-in", UriKind.Relative), content, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);

        using var admin = await _factory.SignInAsync(HearthRole.Administrator);
        using var disable = new FormUrlEncodedContent(new Dictionary<string, string> { ["userId"] = "anyone" });
        using var adminResponse = await admin.PostAsync(new Uri("/admin/users?handler=Disable", UriKind.Relative), disable, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, adminResponse.StatusCode);
    }

    [Fact]
    public async Task SecondFactorHandler_PasswordOnlyPrincipal_IsRefusedWhenRequired()
    {
        var handler = new SecondFactorHandler(Options.Create(new HearthSecurityOptions()));
        var pwd = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
            [new System.Security.Claims.Claim(HearthAuthentication.AmrClaim, HearthAuthentication.AmrPassword)], "test"));
        var requirement = new SecondFactorRequirement();
        var context = new Microsoft.AspNetCore.Authorization.AuthorizationHandlerContext([requirement], pwd, null);
        await handler.HandleAsync(context);
        Assert.False(context.HasSucceeded);
    }

    private const string SignInMessage = "The user name or password is not right";

    private static string Normalise(string html, string userName) =>
        Token().Replace(html, "TOKEN").Replace(userName, "USER", StringComparison.Ordinal);

    [GeneratedRegex("value=\"CfDJ8[^\"]*\"")]
    private static partial Regex Token();
}
