using Hearth.BrowserTests.Infrastructure;
using Hearth.Core.Access;
using Microsoft.Playwright;

namespace Hearth.BrowserTests;

public sealed class SignInPageTests(BrowserHost host)
{
    [Fact]
    public async Task SignIn_WithPasswordAndAuthenticatorCode_ReachesHomeAccessibly()
    {
        var user = await host.CreateUserAsync(HearthRole.Analyst);
        var page = await host.NewPageAsync();
        await page.GotoAsync("/");
        // Anonymous: sent to sign in.
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in to Hearth" })).ToBeVisibleAsync();
        Assert.Empty(await BrowserHost.SeriousAccessibilityViolationsAsync(page));

        await page.GetByLabel("User name").FillAsync(user.UserName);
        await page.GetByLabel("Password").FillAsync(user.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await Assertions.Expect(page.GetByLabel("Enter your authenticator code")).ToBeVisibleAsync();
        Assert.Empty(await BrowserHost.SeriousAccessibilityViolationsAsync(page));

        // A wrong code is refused with a GOV.UK error summary.
        await page.GetByLabel("Enter your authenticator code").FillAsync("000000");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.Locator(".govuk-error-summary")).ToBeVisibleAsync();

        await page.GetByLabel("Enter your authenticator code").FillAsync(user.NextCode(DateTimeOffset.UtcNow));
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Hearth", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();
        var cookies = await page.Context.CookiesAsync();
        var session = cookies.Single(c => c.Name == "__Host-Hearth");
        Assert.True(session.Secure);
        Assert.True(session.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, session.SameSite);
        await BrowserHost.ScreenshotAsync(page, "signed-in-home");
        Assert.Empty(await BrowserHost.SeriousAccessibilityViolationsAsync(page));

        // Signing out ends the session: home sends us back to sign in.
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Assertions.Expect(page.GetByText("You have signed out.")).ToBeVisibleAsync();
        await page.GotoAsync("/");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in to Hearth" })).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }
}
