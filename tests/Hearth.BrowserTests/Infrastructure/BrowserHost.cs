using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Hearth.Core.Intake;
using Hearth.Core.Synthetic;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Hearth.BrowserTests.Infrastructure;

/// <summary>
/// The assembly's shared host (<see cref="WebAppHost"/>): the web app at the real time on a store holding a small
/// synthetic borough (100 households) imported as a data lead would, and the Chromium that most journeys use.
/// Also the journeys' common steps: signing in, the accessibility check and screenshots.
/// </summary>
public sealed class BrowserHost() : WebAppHost("shared")
{
    /// <summary>Where screenshots are written for people to look at after a run.</summary>
    public static string ScreenshotDirectory { get; } =
        Path.Combine(Environment.GetEnvironmentVariable("HEARTH_TEST_RESULTS") ?? Path.Combine(AppContext.BaseDirectory, "test-results"), "screenshots");

    protected override async Task SeedAsync(IServiceProvider services)
    {
        var borough = Path.Combine(Folder, "borough");
        BoroughGenerator.Generate(new GeneratorSettings { Households = 100, Seed = 5 }, borough);
        await using var scope = services.CreateAsyncScope();
        await BoroughImport.ImportAsync(scope.ServiceProvider.GetRequiredService<IntakeService>(), borough, "browser tests");
    }

    /// <summary>A fresh browser context and page; the context is closed when the page's owner disposes it.</summary>
    public Task<IPage> NewPageAsync() => NewPageAsync(null);

    /// <summary>Creates a user with <paramref name="roles"/> (password and authenticator in place).</summary>
    public Task<Hearth.IntegrationTests.Web.TestUser> CreateUserAsync(params Hearth.Core.Access.HearthRole[] roles) =>
        Hearth.IntegrationTests.Web.TestAccounts.CreateAsync(Services, roles);

    /// <summary>A fresh page signed in as a new user with <paramref name="roles"/>, through the sign-in form and a TOTP code.</summary>
    public async Task<IPage> SignedInPageAsync(params Hearth.Core.Access.HearthRole[] roles) =>
        await SignedInPageAsync(await CreateUserAsync(roles));

    /// <summary>Signs in on <paramref name="page"/> as <paramref name="user"/>: user name, password, then the authenticator code for <paramref name="now"/> (the app's clock; the real time unless given).</summary>
    public static async Task SignInAsync(IPage page, Hearth.IntegrationTests.Web.TestUser user, DateTimeOffset? now = null)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(user);
        await page.GotoAsync("/account/sign-in");
        await page.GetByLabel("User name").FillAsync(user.UserName);
        await page.GetByLabel("Password").FillAsync(user.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        try
        {
            await page.WaitForURLAsync("**/account/second-factor**");
        }
        catch (TimeoutException e)
        {
            // Say what the app answered instead, so a failed sign-in names its reason.
            throw new TimeoutException($"Sign-in did not reach the second factor; the page is {page.Url}: {await page.Locator("main").InnerTextAsync()}", e);
        }

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
}
