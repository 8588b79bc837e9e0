using Hearth.IntegrationTests.Web;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Playwright;

namespace Hearth.BrowserTests.Data;

/// <summary>
/// The web app on a free loopback port with a linked 150-household borough, so the link review queue has
/// pending pairs. Kept apart from the shared browser host, whose store stays unlinked for the other pages.
/// Pages open in the shared host's Chromium.
/// </summary>
public sealed class DataBrowserHost : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "hearth-data-browser-" + Guid.NewGuid().ToString("N"));
    private WebApplicationFactory<Hearth.Web.Program>? _factory;

    public Uri BaseAddress { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        _factory = new WebApplicationFactory<Hearth.Web.Program>()
            .WithWebHostBuilder(b => b
                .UseEnvironment("Production")
                .UseSetting("urls", "http://127.0.0.1:0")
                .UseSetting("Hearth:Database:Provider", "sqlite")
                .UseSetting("Hearth:Security:SignInRequestsPerMinute", "1000")
                .UseSetting("Hearth:Database:Path", Path.Combine(_folder, "hearth.db")));
        _factory.UseKestrel(0);
        _factory.StartServer();
        BaseAddress = _factory.ClientOptions.BaseAddress;
        await DataWebTestData.LoadLinkedBoroughAsync(_factory.Services, _folder, CancellationToken.None);
    }

    /// <summary>A page in a fresh context of <paramref name="browser"/>, signed in through the form as a new user with <paramref name="roles"/>.</summary>
    public async Task<IPage> SignedInPageAsync(IBrowser browser, params Hearth.Core.Access.HearthRole[] roles)
    {
        ArgumentNullException.ThrowIfNull(browser);
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseAddress.ToString() });
        var page = await context.NewPageAsync();
        await Infrastructure.BrowserHost.SignInAsync(page, await TestAccounts.CreateAsync(_factory!.Services, roles));
        return page;
    }

    public async ValueTask DisposeAsync()
    {
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
