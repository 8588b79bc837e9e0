using Hearth.BrowserTests.Infrastructure;
using Hearth.Core.Access;
using Microsoft.Playwright;

namespace Hearth.BrowserTests.Claims;

/// <summary>The claims journey in Chromium: a data lead builds a batch → an auditor opens a sampled claim, reads its evidence and signs it off → the data lead submits it.</summary>
public sealed class ClaimsJourneyTests(ClaimsBrowserHost host) : IClassFixture<ClaimsBrowserHost>
{
    private static async Task FillDateAsync(IPage page, string field, int day, int month, int year)
    {
        await page.Locator($"#{field}").FillAsync(day.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.Locator($"#{field}-month").FillAsync(month.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.Locator($"#{field}-year").FillAsync(year.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private static async Task AccessibleAsync(IPage page, string name)
    {
        await BrowserHost.ScreenshotAsync(page, "claims-" + name);
        Assert.Empty(await BrowserHost.SeriousAccessibilityViolationsAsync(page));
    }

    [Fact]
    public async Task Journey_BuildBatch_AuditorSignsOffSampledClaim_DataLeadSubmits()
    {
        // The data lead builds the batch from the claims page; a mistake first shows the error summary.
        var lead = await host.PageForAsync(HearthRole.DataLead);
        await lead.GotoAsync("/");
        await lead.GetByRole(AriaRole.Link, new() { Name = "Claims", Exact = true }).ClickAsync();
        await lead.GetByRole(AriaRole.Link, new() { Name = "Build a claim batch" }).ClickAsync();
        await lead.GetByRole(AriaRole.Button, new() { Name = "Build the batch" }).ClickAsync();
        Assert.Contains("Select the framework the claims are made under.", await lead.Locator(".govuk-error-summary").InnerTextAsync(), StringComparison.Ordinal);
        await AccessibleAsync(lead, "new-batch-errors");

        await lead.GetByLabel("Framework").SelectOptionAsync("test-asb");
        await lead.GetByLabel("Claim window name").FillAsync("2023-24-q4");
        await FillDateAsync(lead, "WindowStart", 1, 1, 2024);
        await FillDateAsync(lead, "WindowEnd", 31, 3, 2024);
        await FillDateAsync(lead, "ClaimDate", 31, 1, 2024);
        await lead.GetByLabel("Allocation (families)").FillAsync("10");
        await lead.GetByLabel("Random audit sample").FillAsync("100");
        await lead.GetByLabel("Sample seed").FillAsync("11");
        await lead.GetByRole(AriaRole.Button, new() { Name = "Build the batch" }).ClickAsync();
        await lead.WaitForURLAsync("**/claims?window=2023-24-q4");
        Assert.Contains("4 claims drafted (£3,200.00), 4 sampled for audit", await lead.Locator(".govuk-notification-banner").InnerTextAsync(), StringComparison.Ordinal);
        await AccessibleAsync(lead, "batch-built");

        // The data lead marks the first sampled claim ready for audit.
        var claimLink = lead.Locator("a[href^='/claims/2023-24-q4/']").First;
        var claimUrl = await claimLink.GetAttributeAsync("href");
        await claimLink.ClickAsync();
        await lead.GetByRole(AriaRole.Button, new() { Name = "Mark ready for audit" }).ClickAsync();
        Assert.Contains("The claim is now ready for audit.", await lead.Locator(".govuk-notification-banner").InnerTextAsync(), StringComparison.Ordinal);

        // The auditor finds it among the sampled claims ready for audit, reads the evidence and signs it off.
        var auditor = await host.PageForAsync(HearthRole.Auditor);
        await auditor.GotoAsync("/claims");
        await auditor.GetByLabel("Status").SelectOptionAsync("Ready");
        await auditor.GetByLabel("Audit sample").SelectOptionAsync("yes");
        await auditor.GetByRole(AriaRole.Button, new() { Name = "Filter claims" }).ClickAsync();
        Assert.Contains("1 claims, £800.00 in total", await auditor.Locator("caption").Last.InnerTextAsync(), StringComparison.Ordinal);
        await auditor.Locator($"a[href='{claimUrl}']").ClickAsync();
        Assert.Equal("Evidence, frozen on 31 January 2024", await auditor.GetByRole(AriaRole.Heading, new() { Name = "Evidence, frozen on" }).InnerTextAsync());
        var evidence = await auditor.Locator("main").InnerTextAsync();
        Assert.Contains("any(asb) in last 12 months", evidence, StringComparison.Ordinal);
        Assert.Contains("1 November 2023 to 31 January 2024 (in last 3 months)", evidence, StringComparison.Ordinal);
        Assert.Equal(0, await auditor.GetByRole(AriaRole.Button, new() { Name = "Submit" }).CountAsync());
        await AccessibleAsync(auditor, "claim-evidence");
        await auditor.GetByRole(AriaRole.Button, new() { Name = "Sign off" }).ClickAsync();
        Assert.Contains("The claim is now signed off.", await auditor.Locator(".govuk-notification-banner").InnerTextAsync(), StringComparison.Ordinal);
        await AccessibleAsync(auditor, "signed-off");

        // The data lead submits it; the history shows every step.
        await lead.GotoAsync(claimUrl!);
        await lead.GetByRole(AriaRole.Button, new() { Name = "Submit" }).ClickAsync();
        Assert.Contains("The claim is now submitted.", await lead.Locator(".govuk-notification-banner").InnerTextAsync(), StringComparison.Ordinal);
        var history = await lead.Locator("table").Last.InnerTextAsync();
        Assert.Contains("Ready for audit → Signed off", history, StringComparison.Ordinal);
        Assert.Contains("Signed off → Submitted", history, StringComparison.Ordinal);
        await AccessibleAsync(lead, "submitted");
    }
}
