using Hearth.BrowserTests.Infrastructure;
using Microsoft.Playwright;

namespace Hearth.BrowserTests;

public sealed class ApiReferencePageTests(BrowserHost host)
{
    [Fact]
    public async Task KeyWorker_TriesGetFamilies_SeesTheResponse()
    {
        var page = await host.SignedInPageAsync(Hearth.Core.Access.HearthRole.KeyWorker);
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                violations.Add(message.Text);
            }
        };
        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Link, new() { Name = "API", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "API reference", Level = 1 })).ToBeVisibleAsync();

        var operation = page.Locator("section.hearth-api-operation").Filter(new() { Has = page.Locator("form[data-method=GET][data-path='/api/families'], form[data-method=GET][data-path='/api/families/']") });
        await operation.Locator("summary").ClickAsync();
        await operation.GetByRole(AriaRole.Button, new() { Name = "Send GET request" }).ClickAsync();

        await Assertions.Expect(operation.Locator(".hearth-api-status")).ToContainTextAsync("→ 200");
        await Assertions.Expect(operation.Locator(".hearth-api-response")).ToContainTextAsync("[");
        await BrowserHost.ScreenshotAsync(page, "api-reference");
        Assert.Empty(await BrowserHost.SeriousAccessibilityViolationsAsync(page));
        Assert.Empty(violations);
        await page.Context.CloseAsync();
    }
}
