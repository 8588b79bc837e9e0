using Hearth.BrowserTests.Infrastructure;
using Hearth.IntegrationTests.CaseWork;
using Microsoft.Playwright;

namespace Hearth.BrowserTests.CaseWork;

/// <summary>The case work journey in Chromium: allocate → consent → plan with actions → partner updates an action → close.</summary>
public sealed class CaseWorkJourneyTests(CaseWorkBrowserHost host) : IClassFixture<CaseWorkBrowserHost>
{
    private const string Family = CaseWorkTestData.FamilyRef;

    private static async Task FillDateAsync(IPage page, string field, int day, int month, int year)
    {
        await page.Locator($"#{field}").FillAsync(day.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.Locator($"#{field}-month").FillAsync(month.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.Locator($"#{field}-year").FillAsync(year.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private static async Task AccessibleAsync(IPage page, string name)
    {
        await BrowserHost.ScreenshotAsync(page, "casework-" + name);
        Assert.Empty(await BrowserHost.SeriousAccessibilityViolationsAsync(page));
    }

    [Fact]
    public async Task Journey_AllocateConsentPlanPartnerUpdateClose()
    {
        // The manager allocates the family to Kim Walker.
        var manager = await host.PageForAsync("tm1");
        await manager.GotoAsync($"/families/{Family}/allocate");
        await AccessibleAsync(manager, "allocate");
        await manager.GetByLabel("Kim Walker").CheckAsync();
        await manager.GetByRole(AriaRole.Button, new() { Name = "Allocate" }).ClickAsync();
        await Assertions.Expect(manager.GetByRole(AriaRole.Heading, new() { Name = "Family record" })).ToBeVisibleAsync();
        await Assertions.Expect(manager.GetByText("Key worker: Kim Walker")).ToBeVisibleAsync();
        await manager.Context.CloseAsync();

        // The key worker adds the school's practitioner to the team around the family.
        var kw = await host.PageForAsync("kw1");
        await kw.GotoAsync($"/families/{Family}/team");
        await kw.GetByLabel("Partner practitioner").SelectOptionAsync(host.Id("pp1"));
        await kw.GetByLabel("Their part in the team").FillAsync("Family liaison");
        await kw.GetByRole(AriaRole.Button, new() { Name = "Add to the team" }).ClickAsync();
        await Assertions.Expect(kw.GetByRole(AriaRole.Cell, new() { Name = "Family liaison" })).ToBeVisibleAsync();
        await AccessibleAsync(kw, "team");

        // Consent: first an empty submission shows the error summary, then the mother consents for herself.
        await kw.GotoAsync($"/families/{Family}/consent");
        await kw.GetByRole(AriaRole.Button, new() { Name = "Record consent" }).ClickAsync();
        await Assertions.Expect(kw.Locator(".govuk-error-summary")).ToContainTextAsync("Select the family member.");
        await AccessibleAsync(kw, "consent-errors");
        await kw.Locator($"input[name=PersonReference][value={CaseWorkTestData.Mother}]").CheckAsync();
        await kw.GetByLabel("The member themselves").CheckAsync();
        await FillDateAsync(kw, "GivenOn", 30, 4, 2024);
        await kw.GetByLabel("Northbridge Council").CheckAsync();
        await kw.GetByLabel("Northbridge Academy Trust").CheckAsync();
        await kw.GetByRole(AriaRole.Button, new() { Name = "Record consent" }).ClickAsync();
        await Assertions.Expect(kw.GetByText("Given", new() { Exact = true })).ToBeVisibleAsync();
        await AccessibleAsync(kw, "consent");

        // The plan: created, then a need, a goal and an action owned by the school's practitioner.
        await kw.GotoAsync($"/families/{Family}/plan");
        await FillDateAsync(kw, "NextReviewDue", 1, 7, 2024);
        await kw.GetByRole(AriaRole.Button, new() { Name = "Create the plan" }).ClickAsync();
        await kw.GetByLabel("Theme").SelectOptionAsync("education");
        await kw.GetByLabel("Describe the need").FillAsync("Sam misses school");
        await kw.GetByRole(AriaRole.Button, new() { Name = "Add need" }).ClickAsync();
        await kw.GetByLabel("Need", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Index = 1 });
        await kw.GetByLabel("What the family wants to achieve").FillAsync("Attend 95% of sessions");
        await kw.GetByRole(AriaRole.Button, new() { Name = "Add goal" }).ClickAsync();
        await kw.GetByLabel("Goal", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Index = 1 });
        await kw.GetByLabel("What will be done").FillAsync("Weekly check-in with the school");
        await kw.GetByLabel("Owner").SelectOptionAsync(host.Id("pp1"));
        await FillDateAsync(kw, "DueDate", 20, 5, 2024);
        await kw.GetByRole(AriaRole.Button, new() { Name = "Add action" }).ClickAsync();
        await Assertions.Expect(kw.GetByRole(AriaRole.Cell, new() { Name = "Weekly check-in with the school", Exact = true })).ToBeVisibleAsync();
        await AccessibleAsync(kw, "plan");

        // The partner updates their own action.
        var partner = await host.PageForAsync("pp1");
        await partner.GotoAsync($"/families/{Family}/plan");
        await partner.GetByRole(AriaRole.Link, new() { Name = "Update action: Weekly check-in with the school" }).ClickAsync();
        await AccessibleAsync(partner, "partner-action");
        await partner.GetByLabel("Done").CheckAsync();
        await partner.GetByLabel("Progress note").FillAsync("Attendance 96% this month");
        await partner.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(partner.GetByRole(AriaRole.Cell, new() { Name = "done", Exact = true })).ToBeVisibleAsync();
        await AccessibleAsync(partner, "partner-plan");
        await partner.Context.CloseAsync();

        // The key worker closes the case.
        await kw.GotoAsync($"/families/{Family}/close");
        await kw.GetByLabel("Outcomes achieved").CheckAsync();
        await FillDateAsync(kw, "ClosedOn", 1, 5, 2024);
        await kw.GetByRole(AriaRole.Button, new() { Name = "Close the case" }).ClickAsync();
        await Assertions.Expect(kw.Locator("main .govuk-tag").First).ToHaveTextAsync("closed");
        await AccessibleAsync(kw, "closed");
        await kw.Context.CloseAsync();
    }
}
