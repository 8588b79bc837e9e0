using System.Text;
using System.Text.RegularExpressions;
using Hearth.BrowserTests.Infrastructure;
using Hearth.Core.Access;
using Hearth.IntegrationTests.Web;
using Microsoft.Playwright;

namespace Hearth.BrowserTests.Data;

/// <summary>
/// The data officer's journey in Chromium: upload an extract with bad rows and look at its quarantine, then
/// decide a pair in the link review queue after reading its match-weight waterfall.
/// </summary>
public sealed partial class DataOfficerJourneyTests(BrowserHost browser, DataBrowserHost host) : IClassFixture<DataBrowserHost>
{
    private static async Task AccessibleAsync(IPage page, string name)
    {
        await BrowserHost.ScreenshotAsync(page, "data-" + name);
        Assert.Empty(await BrowserHost.SeriousAccessibilityViolationsAsync(page));
    }

    [Fact]
    public async Task DataLead_UploadsAnExtractWithBadRows_ThenDecidesAPairReadingTheWaterfall()
    {
        var page = await host.SignedInPageAsync(browser.Browser, HearthRole.DataLead);

        // Upload: 4 good rows, one with an impossible incident date, one with too few fields.
        await page.GetByRole(AriaRole.Link, new() { Name = "Imports", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Imports", Level = 1 })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload an extract" }).ClickAsync();
        await AccessibleAsync(page, "upload-form");
        await page.GetByLabel("Agency and extract").SelectOptionAsync("police/asb");
        await page.GetByLabel("Extract file").SetInputFilesAsync(new FilePayload
        {
            Name = "asb-week-14.csv",
            MimeType = "text/csv",
            Buffer = Encoding.UTF8.GetBytes(DataWebTestData.AsbCsv("WEEK14", 4, badRows: true)),
        });
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload and import" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Extract imported" })).ToBeVisibleAsync();
        var report = page.Locator(".govuk-summary-list");
        await Assertions.Expect(report.Locator(".govuk-summary-list__row").Filter(new() { HasText = "Rows read" }).Locator("dd")).ToHaveTextAsync("6");
        await Assertions.Expect(report.Locator(".govuk-summary-list__row").Filter(new() { HasText = "Rows quarantined" }).Locator("dd")).ToHaveTextAsync("2");
        await AccessibleAsync(page, "upload-report");

        // The import's issues and quarantined rows.
        await page.GetByRole(AriaRole.Link, new() { NameRegex = DatasetLink() }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "asb-week-14.csv", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Table, new() { Name = "Quarantined rows 1 to 2 of 2" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Table, new() { Name = "Issues 1 to 2 of 2" }).GetByRole(AriaRole.Cell, new() { Name = "INCIDENT_DATE", Exact = true })).ToBeVisibleAsync();
        await page.GetByLabel("Show the issues of").SelectOptionAsync("INCIDENT_DATE");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Table, new() { Name = "Issues 1 to 1 of 1" })).ToBeVisibleAsync();
        await AccessibleAsync(page, "import-quarantine");

        // The review queue: open the strongest pending pair.
        await page.GetByRole(AriaRole.Link, new() { Name = "Link review" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Link review", Level = 1 })).ToBeVisibleAsync();
        await AccessibleAsync(page, "review-queue");
        await page.GetByRole(AriaRole.Link, new() { NameRegex = PairLink() }).First.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "are these the same person?", Level = 1 })).ToBeVisibleAsync();

        // The waterfall is an image named by its title and described in words; its figures are in the table.
        var chart = page.GetByRole(AriaRole.Img, new() { NameRegex = WaterfallName() });
        await Assertions.Expect(chart).ToBeVisibleAsync();
        var steps = page.GetByRole(AriaRole.Table, new() { Name = "Match weight, step by step" });
        var total = await steps.GetByRole(AriaRole.Row).Filter(new() { HasText = "Total match weight" }).Locator("strong").InnerTextAsync();
        await Assertions.Expect(page.Locator("#waterfall-title")).ToContainTextAsync(total);
        await Assertions.Expect(page.Locator("#waterfall-desc")).ToContainTextAsync("The match weight starts at the prior");
        await Assertions.Expect(page.Locator(".hearth-waterfall__bar")).ToHaveCountAsync(await steps.Locator("tbody tr").CountAsync());
        await AccessibleAsync(page, "review-pair");

        // A decision needs a reason.
        await page.GetByLabel("Yes, accept: link them as one person").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save decision" }).ClickAsync();
        await Assertions.Expect(page.Locator(".govuk-error-summary")).ToContainTextAsync("Enter the reason for your decision");
        await AccessibleAsync(page, "review-pair-error");
        await page.GetByLabel("Reason").FillAsync("Same family name and address; date of birth one digit apart");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save decision" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "accepted: the records will be linked as one person" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".govuk-inset-text")).ToContainTextAsync("Same family name and address; date of birth one digit apart");
        await AccessibleAsync(page, "review-decided");
        await page.Context.CloseAsync();
    }

    [GeneratedRegex("^See every issue and the quarantined rows of dataset [0-9]+$")]
    private static partial Regex DatasetLink();

    [GeneratedRegex("^Pair [0-9]+$")]
    private static partial Regex PairLink();

    [GeneratedRegex("^Match weight waterfall: total ")]
    private static partial Regex WaterfallName();
}
