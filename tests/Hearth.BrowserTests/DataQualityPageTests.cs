using Hearth.BrowserTests.Infrastructure;
using Microsoft.Playwright;

namespace Hearth.BrowserTests;

public sealed class DataQualityPageTests(BrowserHost host)
{
    [Fact]
    public async Task DataLead_FollowsHomeToDataQuality_SeesEachAgencysExtracts()
    {
        var page = await host.SignedInPageAsync(Hearth.Core.Access.HearthRole.DataLead);
        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Link, new() { Name = "Data quality by agency and extract" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Data quality", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Northbridge Police", Level = 2 })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Table, new() { Name = "Extracts from Northbridge Police" })
            .GetByRole(AriaRole.Rowheader).Filter(new() { HasText = "offences" })).ToBeVisibleAsync();
        await BrowserHost.ScreenshotAsync(page, "data-quality");
        Assert.Empty(await BrowserHost.SeriousAccessibilityViolationsAsync(page));
        await page.Context.CloseAsync();
    }
}
