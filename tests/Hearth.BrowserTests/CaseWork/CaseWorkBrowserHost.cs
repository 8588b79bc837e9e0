using Hearth.Core.Data;
using Hearth.IntegrationTests.CaseWork;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;

namespace Hearth.BrowserTests.CaseWork;

/// <summary>
/// The web app on a free loopback port with the test sign-in (each browser context sends its user in a header),
/// the in-test user directory, a clock fixed at 1 May 2024 and the case work test families; and Chromium. Kept
/// apart from the shared browser host so the test sign-in can be swapped for the real one in one place.
/// </summary>
public sealed class CaseWorkBrowserHost : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "hearth-casework-browser-" + Guid.NewGuid().ToString("N"));
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
        var clock = new FakeTimeProvider(CaseWorkTestData.Now);
        _factory = new WebApplicationFactory<Hearth.Web.Program>()
            .WithWebHostBuilder(b => b
                .UseEnvironment("Production")
                .UseSetting("urls", "http://127.0.0.1:0")
                .UseSetting("Hearth:Database:Provider", "sqlite")
                .UseSetting("Hearth:Database:Path", Path.Combine(_folder, "hearth.db"))
                .ConfigureTestServices(services => TestSignInHandler.Register(services, clock)));
        _factory.UseKestrel(0);
        _factory.StartServer();
        BaseAddress = _factory.ClientOptions.BaseAddress;
        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            await CaseWorkTestData.SeedAsync(scope.ServiceProvider.GetRequiredService<HearthDb>(), CancellationToken.None);
        }

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>A page in a fresh context signed in as the test user.</summary>
    public async Task<IPage> PageForAsync(string userId)
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseAddress.ToString(),
            ExtraHTTPHeaders = new Dictionary<string, string> { [TestSignInHandler.Header] = userId },
        });
        return await context.NewPageAsync();
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
