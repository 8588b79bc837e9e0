using Hearth.BrowserTests.Infrastructure;
using Hearth.Core.Data;
using Hearth.IntegrationTests.CaseWork;
using Hearth.IntegrationTests.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;

namespace Hearth.BrowserTests.CaseWork;

/// <summary>
/// The web app with a clock fixed at 1 May 2024, the case work test families and real users
/// (<see cref="CaseWorkTestData.Users"/>) who sign in through the sign-in form; and Chromium. Kept apart
/// from the shared browser host because case work needs the fixed clock (ages, review dates).
/// </summary>
public sealed class CaseWorkBrowserHost() : WebAppHost("casework", new FakeTimeProvider(CaseWorkTestData.Now))
{
    private readonly Dictionary<string, TestUser> _users = new(StringComparer.Ordinal);

    protected override async Task SeedAsync(IServiceProvider services)
    {
        await using (var scope = services.CreateAsyncScope())
        {
            await CaseWorkTestData.SeedAsync(scope.ServiceProvider.GetRequiredService<HearthDb>(), CancellationToken.None);
        }

        foreach (var u in CaseWorkTestData.Users)
        {
            _users[u.Key] = await TestAccounts.CreateAsync(services, u.Roles, u.Team, u.Agency, userName: u.Key, displayName: u.DisplayName);
        }
    }

    /// <summary>The store's id for the test user <paramref name="key"/> ("pp1").</summary>
    public string Id(string key) => _users[key].Id;

    /// <summary>A page in a fresh context signed in as the test user <paramref name="key"/> through the sign-in form.</summary>
    public Task<IPage> PageForAsync(string key) => SignedInPageAsync(_users[key]);
}
