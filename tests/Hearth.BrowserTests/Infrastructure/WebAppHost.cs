using Hearth.IntegrationTests.Web;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Playwright;

namespace Hearth.BrowserTests.Infrastructure;

/// <summary>
/// The web app in-process on a free loopback port (real Kestrel, real HTTP) on its own SQLite store in a temp
/// folder, optionally with a fixed clock, and Debian's Chromium driven through Playwright. A host for one set of
/// journeys derives from this and says only what its store holds (<see cref="SeedAsync"/>) and any settings of
/// its own (<see cref="Configure"/>). The browser comes from <c>HEARTH_CHROMIUM</c> or <c>/usr/bin/chromium</c>;
/// without it the tests fail with a message saying so: they never skip.
/// </summary>
public abstract class WebAppHost : IAsyncLifetime
{
    private readonly TimeProvider? _clock;
    private readonly bool _launchesBrowser;
    private WebApplicationFactory<Hearth.Web.Program>? _factory;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <param name="name">A word for the temp folder's name ("casework").</param>
    /// <param name="clock">The app's clock; the real time when null.</param>
    /// <param name="launchesBrowser">False for a host whose pages open in another host's Chromium.</param>
    protected WebAppHost(string name, TimeProvider? clock = null, bool launchesBrowser = true)
    {
        Folder = Path.Combine(Path.GetTempPath(), "hearth-" + name + "-browser-" + Guid.NewGuid().ToString("N"));
        _clock = clock;
        _launchesBrowser = launchesBrowser;
    }

    /// <summary>The temp folder holding the store and any files the host writes; deleted on disposal.</summary>
    protected string Folder { get; }

    /// <summary>The Chromium this host launched.</summary>
    public IBrowser Browser => _browser ?? throw new InvalidOperationException("This host has no browser of its own.");

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The app's services, for tests that put something in the store before a journey.</summary>
    public IServiceProvider Services => (_factory ?? throw new InvalidOperationException("not started")).Services;

    /// <summary>The app's time now: its fixed clock, or the real time.</summary>
    protected DateTimeOffset Now => _clock?.GetUtcNow() ?? DateTimeOffset.UtcNow;

    /// <summary>Settings of this host's own, added to the web host before it starts (files may be written to <see cref="Folder"/>).</summary>
    protected virtual void Configure(IWebHostBuilder builder)
    {
    }

    /// <summary>Fills the store (and creates any users) once the app has started.</summary>
    protected abstract Task SeedAsync(IServiceProvider services);

    public async ValueTask InitializeAsync()
    {
        var chromium = Environment.GetEnvironmentVariable("HEARTH_CHROMIUM") ?? "/usr/bin/chromium";
        if (_launchesBrowser && !File.Exists(chromium))
        {
            throw new InvalidOperationException(
                $"Chromium was not found at {chromium}. Install Debian's 'chromium' package or set HEARTH_CHROMIUM; the browser tests never run without a browser.");
        }

        Directory.CreateDirectory(Folder);
        _factory = new WebApplicationFactory<Hearth.Web.Program>()
            .WithWebHostBuilder(b =>
            {
                b.UseEnvironment("Production")
                    .UseSetting("urls", "http://127.0.0.1:0")
                    .UseSetting("Hearth:Database:Provider", "sqlite")
                    // Every browser test signs its users in from the same loopback address; the per-address sign-in
                    // limit is tested over HTTP, so here it is raised above what the whole browser suite sends.
                    .UseSetting("Hearth:Security:SignInRequestsPerMinute", "1000")
                    .UseSetting("Hearth:Database:Path", Path.Combine(Folder, "hearth.db"));
                if (_clock is { } clock)
                {
                    b.ConfigureServices(services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)));
                }

                Configure(b);
            });
        _factory.UseKestrel(0);
        _factory.StartServer();
        BaseAddress = _factory.ClientOptions.BaseAddress;
        await SeedAsync(_factory.Services);

        if (_launchesBrowser)
        {
            _playwright = await Playwright.CreateAsync();
            _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = chromium,
                Headless = true,
                Args =
                [
                    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync",
                ],
            });
        }

        Directory.CreateDirectory(BrowserHost.ScreenshotDirectory);
    }

    /// <summary>A fresh context and page of <paramref name="browser"/> (this host's own when null) on this app; the context is closed when the page's owner disposes it.</summary>
    public async Task<IPage> NewPageAsync(IBrowser? browser = null)
    {
        var context = await (browser ?? Browser).NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseAddress.ToString() });
        return await context.NewPageAsync();
    }

    /// <summary>A fresh page signed in as <paramref name="user"/> through the sign-in form, with the authenticator code for the app's time.</summary>
    protected async Task<IPage> SignedInPageAsync(TestUser user, IBrowser? browser = null)
    {
        var page = await NewPageAsync(browser);
        await BrowserHost.SignInAsync(page, user, Now);
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
        if (Directory.Exists(Folder))
        {
            Directory.Delete(Folder, recursive: true);
        }

        GC.SuppressFinalize(this);
    }
}
