using Hearth.BrowserTests.Infrastructure;
using Microsoft.Playwright;

namespace Hearth.BrowserTests;

public sealed class HomePageTests(BrowserHost host)
{
    [Fact]
    public async Task Home_RendersWithGovUkStylesScriptAndNoSeriousAccessibilityIssues()
    {
        var page = await host.SignedInPageAsync(Hearth.Core.Access.HearthRole.DataLead);
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add(message.Text);
            }
        };
        await page.GotoAsync("/");

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Hearth", Level = 1 })).ToBeVisibleAsync();
        // GOV.UK Frontend's script ran (it marks the body) and its stylesheet applied (the heading font).
        await Assertions.Expect(page.Locator("body")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("govuk-frontend-supported"));
        var font = await page.Locator("h1").EvaluateAsync<string>("e => getComputedStyle(e).fontFamily");
        Assert.Contains("GDS Transport", font, StringComparison.Ordinal);
        Assert.Empty(errors);
        await Assertions.Expect(page.GetByText("Agency events")).ToBeVisibleAsync();
        await BrowserHost.ScreenshotAsync(page, "home");
        Assert.Empty(await BrowserHost.SeriousAccessibilityViolationsAsync(page));
        await page.Context.CloseAsync();
    }
}
