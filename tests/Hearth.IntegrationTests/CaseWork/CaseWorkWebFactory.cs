using System.Net;
using Hearth.Core.Access;
using Hearth.Core.Data;
using Hearth.IntegrationTests.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Hearth.IntegrationTests.CaseWork;

/// <summary>
/// The web app (<see cref="HearthWebFactory"/>) with a clock fixed at 1 May 2024, the case work test families and
/// real users (<see cref="CaseWorkTestData.Users"/>) who sign in through the sign-in and second-factor pages.
/// Tests name users by their key ("kw1"); <see cref="Id"/> gives the id the store gave them.
/// </summary>
public sealed class CaseWorkWebFactory : IAsyncDisposable
{
    private readonly Dictionary<string, TestUser> _users = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CookieContainer> _sessions = new(StringComparer.Ordinal);

    public HearthWebFactory Web { get; } = new() { Clock = new FakeTimeProvider(CaseWorkTestData.Now) };

    public IServiceProvider Services => Web.Services;

    /// <summary>Seeds the families and agencies, then creates every test user.</summary>
    public async Task SeedAsync(CancellationToken ct)
    {
        Web.CreateClient().Dispose();
        await using (var scope = Web.Services.CreateAsyncScope())
        {
            await CaseWorkTestData.SeedAsync(scope.ServiceProvider.GetRequiredService<HearthDb>(), ct);
        }

        foreach (var u in CaseWorkTestData.Users)
        {
            _users[u.Key] = await TestAccounts.CreateAsync(Web.Services, u.Roles, u.Team, u.Agency, userName: u.Key, displayName: u.DisplayName);
        }
    }

    /// <summary>The store's id for the test user <paramref name="key"/>.</summary>
    public string Id(string key) => _users[key].Id;

    /// <summary>The actor a signed-in <paramref name="key"/> is, for calling the service directly.</summary>
    public Actor Actor(string key)
    {
        var u = CaseWorkTestData.Users.Single(x => x.Key == key);
        return new Actor(Id(key), key, u.Roles.ToHashSet(), u.Team, u.Agency);
    }

    /// <summary>A client signed in as <paramref name="key"/> (signed in once per user; later clients share the session cookie).</summary>
    public async Task<HttpClient> ClientForAsync(string key)
    {
        if (_sessions.TryGetValue(key, out var cookies))
        {
            return Web.CreateBrowserClient(cookies);
        }

        cookies = new CookieContainer();
        var client = Web.CreateBrowserClient(cookies);
        await Web.SignInAsync(client, _users[key]);
        _sessions[key] = cookies;
        return client;
    }

    public ValueTask DisposeAsync() => Web.DisposeAsync();
}
