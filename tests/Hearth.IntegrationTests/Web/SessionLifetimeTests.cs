using System.Net;
using Hearth.Core.Access;
using Hearth.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Hearth.IntegrationTests.Web;

/// <summary>Idle and absolute session lifetimes on a fake clock, and the sign-in rate limit.</summary>
public sealed class SessionLifetimeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<HttpStatusCode> HomeAsync(HttpClient client)
    {
        using var response = await client.GetAsync(new Uri("/", UriKind.Relative), Ct);
        return response.StatusCode;
    }

    [Fact]
    public async Task Session_UnusedFor31Minutes_Ends()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var factory = new HearthWebFactory { Clock = clock };
        var (client, user) = await factory.SignInUserAsync([HearthRole.Analyst]);
        using (client)
        {
            clock.Advance(TimeSpan.FromMinutes(29));
            Assert.Equal(HttpStatusCode.OK, await HomeAsync(client));
            clock.Advance(TimeSpan.FromMinutes(29));
            Assert.Equal(HttpStatusCode.OK, await HomeAsync(client));
            clock.Advance(TimeSpan.FromMinutes(31));
            Assert.Equal(HttpStatusCode.Redirect, await HomeAsync(client));
        }

        await using var scope = factory.Services.CreateAsyncScope();
        Assert.Equal("idle", (await scope.ServiceProvider.GetRequiredService<HearthDb>().UserSessions.SingleAsync(s => s.UserId == user.Id, Ct)).EndReason);
    }

    [Fact]
    public async Task Session_InUseForTwelveHours_EndsAtTheAbsoluteLifetime()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var factory = new HearthWebFactory { Clock = clock };
        var (client, user) = await factory.SignInUserAsync([HearthRole.Analyst]);
        using (client)
        {
            // Used every 20 minutes: never idle, 11 h 40 min old at the last allowed request (35 × 20 min).
            for (var i = 0; i < 35; i++)
            {
                clock.Advance(TimeSpan.FromMinutes(20));
                Assert.Equal(HttpStatusCode.OK, await HomeAsync(client));
            }

            clock.Advance(TimeSpan.FromMinutes(21));
            Assert.Equal(HttpStatusCode.Redirect, await HomeAsync(client));
        }

        await using var scope = factory.Services.CreateAsyncScope();
        Assert.Equal("expired", (await scope.ServiceProvider.GetRequiredService<HearthDb>().UserSessions.SingleAsync(s => s.UserId == user.Id, Ct)).EndReason);
    }

    [Fact]
    public async Task SignIn_MoreThanTheLimitFromOneAddress_Gets429AndIsAudited()
    {
        await using var factory = new HearthWebFactory { Settings = { ["Hearth:Security:SignInRequestsPerMinute"] = "6" } };
        using var client = factory.CreateBrowserClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 8; i++)
        {
            using var response = await client.GetAsync(new Uri("/account/sign-in", UriKind.Relative), Ct);
            statuses.Add(response.StatusCode);
        }

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.OK, 6).Concat(Enumerable.Repeat(HttpStatusCode.TooManyRequests, 2)), statuses);
        await using var scope = factory.Services.CreateAsyncScope();
        Assert.Equal(2, await scope.ServiceProvider.GetRequiredService<HearthDb>().AuditEntries.CountAsync(a => a.Action == "signin.rate-limited", Ct));
    }

    [Fact]
    public async Task SecondFactorOff_PasswordAloneSignsInOnlyThen()
    {
        await using var factory = new HearthWebFactory { Settings = { ["Hearth:Security:RequireSecondFactor"] = "false" } };
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            await Hearth.Web.Infrastructure.Security.DemoAccounts.CreateAsync(scope.ServiceProvider, Ct);
        }

        var accounts = await Hearth.Web.Infrastructure.Security.DemoAccounts.CreateAsync(factory.Services, Ct);
        var analyst = accounts.Single(a => a.Role == HearthRole.Analyst);
        Assert.Equal(Enum.GetValues<HearthRole>().Length, accounts.Count);
        using var client = factory.CreateBrowserClient();
        using var response = await HearthWebFactory.PostFormAsync(client, "/account/sign-in", new() { ["UserName"] = analyst.UserName, ["Password"] = analyst.Password });
        Assert.Equal("/", response.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, await HomeAsync(client));
    }
}
