using Hearth.BrowserTests.Infrastructure;
using Hearth.IntegrationTests.Web;
using Microsoft.Playwright;

namespace Hearth.BrowserTests.Data;

/// <summary>
/// The web app with a linked 150-household borough, so the link review queue has pending pairs. Kept apart from
/// the shared browser host, whose store stays unlinked for the other pages. It launches no Chromium of its own:
/// pages open in the shared host's.
/// </summary>
public sealed class DataBrowserHost() : WebAppHost("data", launchesBrowser: false)
{
    protected override Task SeedAsync(IServiceProvider services) =>
        DataWebTestData.LoadLinkedBoroughAsync(services, Folder, CancellationToken.None);

    /// <summary>A page in a fresh context of <paramref name="browser"/>, signed in through the form as a new user with <paramref name="roles"/>.</summary>
    public async Task<IPage> SignedInPageAsync(IBrowser browser, params Hearth.Core.Access.HearthRole[] roles)
    {
        ArgumentNullException.ThrowIfNull(browser);
        return await SignedInPageAsync(await TestAccounts.CreateAsync(Services, roles), browser);
    }
}
