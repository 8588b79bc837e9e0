using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Hearth.Core.Intake;
using Hearth.Core.Synthetic;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Hearth.BrowserTests.Infrastructure;

/// <summary>
/// Hosts the web app in-process on a free loopback port (real Kestrel, real HTTP) and drives Debian's
/// Chromium through Playwright. The browser comes from <c>HEARTH_CHROMIUM</c> or <c>/usr/bin/chromium</c>;
/// without it the tests fail with a message saying so: they never skip.
/// </summary>
public sealed class BrowserHost : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "hearth-browser-" + Guid.NewGuid().ToString("N"));
    private WebApplicationFactory<Hearth.Web.Program>? _factory;
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The app's services, for tests that put something in the store before a journey.</summary>
    public IServiceProvider Services => (_factory ?? throw new InvalidOperationException("not started")).Services;

    /// <summary>Where screenshots are written for people to look at after a run.</summary>
    public static string ScreenshotDirectory { get; } =
        Path.Combine(Environment.GetEnvironmentVariable("HEARTH_TEST_RESULTS") ?? Path.Combine(AppContext.BaseDirectory, "test-results"), "screenshots");

    public async ValueTask InitializeAsync()
    {
        var chromium = Environment.GetEnvironmentVariable("HEARTH_CHROMIUM") ?? "/usr/bin/chromium";
        if (!File.Exists(chromium))
        {
            throw new InvalidOperationException(
                $"Chromium was not found at {chromium}. Install Debian's 'chromium' package or set HEARTH_CHROMIUM; the browser tests never run without a browser.");
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
                .UseSetting("Hearth:Database:Path", Path.Combine(_folder, "hearth.db")));
        _factory.UseKestrel(0);
        _factory.StartServer();
        BaseAddress = _factory.ClientOptions.BaseAddress;

        // A small synthetic borough in the store, imported as a data lead would.
        var borough = Path.Combine(_folder, "borough");
        BoroughGenerator.Generate(new GeneratorSettings { Households = 100, Seed = 5 }, borough);
        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            await BoroughImport.ImportAsync(scope.ServiceProvider.GetRequiredService<IntakeService>(), borough, "browser tests");
        }

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
            ],
        });
        Directory.CreateDirectory(ScreenshotDirectory);
    }

    /// <summary>A fresh browser context and page; the context is closed when the page's owner disposes it.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseAddress.ToString() });
        return await context.NewPageAsync();
    }

    /// <summary>Creates a user with <paramref name="roles"/> (password and authenticator in place).</summary>
    public Task<Hearth.IntegrationTests.Web.TestUser> CreateUserAsync(params Hearth.Core.Access.HearthRole[] roles) =>
        Hearth.IntegrationTests.Web.TestAccounts.CreateAsync(_factory!.Services, roles);

    /// <summary>A fresh page signed in as a new user with <paramref name="roles"/>, through the sign-in form and a TOTP code.</summary>
    public async Task<IPage> SignedInPageAsync(params Hearth.Core.Access.HearthRole[] roles)
    {
        var page = await NewPageAsync();
        await SignInAsync(page, await CreateUserAsync(roles));
        return page;
    }

    /// <summary>Signs in on <paramref name="page"/> as <paramref name="user"/>: user name, password, then the authenticator code for <paramref name="now"/> (the app's clock; the real time unless given).</summary>
    public static async Task SignInAsync(IPage page, Hearth.IntegrationTests.Web.TestUser user, DateTimeOffset? now = null)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(user);
        await page.GotoAsync("/account/sign-in");
        await page.GetByLabel("User name").FillAsync(user.UserName);
        await page.GetByLabel("Password").FillAsync(user.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await page.WaitForURLAsync("**/account/second-factor**");
        await page.GetByLabel("Enter your authenticator code").FillAsync(user.NextCode(now ?? DateTimeOffset.UtcNow));
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");
    }

    /// <summary>Runs axe-core on the page (WCAG 2.0–2.2 A/AA rules) and returns the serious or critical violations.</summary>
    public static async Task<IReadOnlyList<string>> SeriousAccessibilityViolationsAsync(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        var results = await page.RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
        });
        return results.Violations
            .Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}")
            .ToList();
    }

    public static Task ScreenshotAsync(IPage page, string name)
    {
        ArgumentNullException.ThrowIfNull(page);
        return page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = true });
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
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
