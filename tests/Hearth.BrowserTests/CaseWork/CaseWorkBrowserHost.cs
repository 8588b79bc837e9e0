using Hearth.BrowserTests.Infrastructure;
using Hearth.Core.Data;
using Hearth.IntegrationTests.CaseWork;
using Hearth.IntegrationTests.Web;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;

namespace Hearth.BrowserTests.CaseWork;

/// <summary>
/// The web app on a free loopback port with a clock fixed at 1 May 2024, the case work test families and real
/// users (<see cref="CaseWorkTestData.Users"/>) who sign in through the sign-in form; and Chromium. Kept apart
/// from the shared browser host because case work needs the fixed clock (ages, review dates).
/// </summary>
public sealed class CaseWorkBrowserHost : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "hearth-casework-browser-" + Guid.NewGuid().ToString("N"));
    private WebApplicationFactory<Hearth.Web.Program>? _factory;
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private readonly FakeTimeProvider _clock = new(CaseWorkTestData.Now);
    private readonly Dictionary<string, TestUser> _users = new(StringComparer.Ordinal);

    public Uri BaseAddress { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var chromium = Environment.GetEnvironmentVariable("HEARTH_CHROMIUM") ?? "/usr/bin/chromium";
        if (!File.Exists(chromium))
        {
            throw new InvalidOperationException($"Chromium was not found at {chromium}. Install Debian's 'chromium' package or set HEARTH_CHROMIUM.");
        }

        Directory.CreateDirectory(_folder);
        _factory = new WebApplicationFactory<Hearth.Web.Program>()
            .WithWebHostBuilder(b => b
                .UseEnvironment("Production")
                .UseSetting("urls", "http://127.0.0.1:0")
                .UseSetting("Hearth:Database:Provider", "sqlite")
                // Every browser test signs its users in from the same loopback address; the per-address sign-in
                // limit is tested over HTTP, so here it is raised above what the whole browser suite sends.
                .UseSetting("Hearth:Security:SignInRequestsPerMinute", "1000")
                .UseSetting("Hearth:Database:Path", Path.Combine(_folder, "hearth.db"))
                .ConfigureServices(services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(_clock))));
        _factory.UseKestrel(0);
        _factory.StartServer();
        BaseAddress = _factory.ClientOptions.BaseAddress;
        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            await CaseWorkTestData.SeedAsync(scope.ServiceProvider.GetRequiredService<HearthDb>(), CancellationToken.None);
        }

        foreach (var u in CaseWorkTestData.Users)
        {
            _users[u.Key] = await TestAccounts.CreateAsync(_factory.Services, u.Roles, u.Team, u.Agency, userName: u.Key, displayName: u.DisplayName);
        }

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>The app's services, for tests that add data of their own to the store.</summary>
    public IServiceProvider Services => _factory!.Services;

    /// <summary>The store's id for the test user <paramref name="key"/> ("pp1").</summary>
    public string Id(string key) => _users[key].Id;

    /// <summary>A page in a fresh context signed in as the test user <paramref name="key"/> through the sign-in form.</summary>
    public async Task<IPage> PageForAsync(string key)
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseAddress.ToString() });
        var page = await context.NewPageAsync();
        await BrowserHost.SignInAsync(page, _users[key], _clock.GetUtcNow());
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
