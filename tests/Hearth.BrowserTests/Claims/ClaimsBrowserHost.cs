using Hearth.BrowserTests.Infrastructure;
using Hearth.Core.Access;
using Hearth.Core.Data;
using Hearth.IntegrationTests.Web;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;

namespace Hearth.BrowserTests.Claims;

/// <summary>
/// The app on its own store for the claims journey: the families and local rules file of
/// <see cref="ClaimsStoreSeed"/>, a clock at 15 February 2024 (inside the claim window), a data lead and an auditor.
/// </summary>
public sealed class ClaimsBrowserHost : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "hearth-claims-browser-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2024, 2, 15, 12, 0, 0, TimeSpan.Zero));
    private readonly Dictionary<HearthRole, TestUser> _users = [];
    private WebApplicationFactory<Hearth.Web.Program>? _factory;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public Uri BaseAddress { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var chromium = Environment.GetEnvironmentVariable("HEARTH_CHROMIUM") ?? "/usr/bin/chromium";
        if (!File.Exists(chromium))
        {
            throw new InvalidOperationException($"Chromium was not found at {chromium}. Install Debian's 'chromium' package or set HEARTH_CHROMIUM.");
        }

        Directory.CreateDirectory(_folder);
        var rules = ClaimsStoreSeed.WriteFramework(_folder);
        _factory = new WebApplicationFactory<Hearth.Web.Program>()
            .WithWebHostBuilder(b => b
                .UseEnvironment("Production")
                .UseSetting("urls", "http://127.0.0.1:0")
                .UseSetting("Hearth:Database:Provider", "sqlite")
                .UseSetting("Hearth:Security:SignInRequestsPerMinute", "1000")
                .UseSetting("Hearth:Database:Path", Path.Combine(_folder, "hearth.db"))
                .UseSetting("Hearth:Claims:Frameworks", rules)
                .ConfigureServices(services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(_clock))));
        _factory.UseKestrel(0);
        _factory.StartServer();
        BaseAddress = _factory.ClientOptions.BaseAddress;
        await ClaimsStoreSeed.SeedAsync(_factory.Services.GetRequiredService<HearthDbFactory>(), _clock, ["F9100001", "F9100002", "F9100003", "F9100004"], CancellationToken.None);
        foreach (var role in new[] { HearthRole.DataLead, HearthRole.Auditor })
        {
            _users[role] = await TestAccounts.CreateAsync(_factory.Services, [role]);
        }

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    public async Task<IPage> PageForAsync(HearthRole role)
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseAddress.ToString() });
        var page = await context.NewPageAsync();
        await BrowserHost.SignInAsync(page, _users[role], _clock.GetUtcNow());
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
