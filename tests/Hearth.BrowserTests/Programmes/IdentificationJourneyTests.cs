using Hearth.BrowserTests.CaseWork;
using Hearth.BrowserTests.Infrastructure;
using Hearth.Core.Data;
using Hearth.IntegrationTests.Programmes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Hearth.BrowserTests.Programmes;

/// <summary>
/// The identification journey in Chromium: a team manager opens the identification list, runs identification,
/// finds the eligible family, reads why it is eligible, allocates it to a key worker and comes back, then attaches
/// it to the programme (first without confirming, which the error summary catches).
/// </summary>
public sealed class IdentificationJourneyTests(CaseWorkBrowserHost host) : IClassFixture<CaseWorkBrowserHost>, IAsyncLifetime
{
    private const string Family = IdentificationTestData.EligibleFamily;

    public async ValueTask InitializeAsync()
    {
        await using var scope = host.Services.CreateAsyncScope();
        await IdentificationTestData.AddCoverageAsync(scope.ServiceProvider.GetRequiredService<HearthDb>(), CancellationToken.None);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static async Task AccessibleAsync(IPage page, string name)
    {
        await BrowserHost.ScreenshotAsync(page, "identification-" + name);
        Assert.Empty(await BrowserHost.SeriousAccessibilityViolationsAsync(page));
    }

    [Fact]
    public async Task Journey_ListExplainAllocateAttach()
    {
        var manager = await host.PageForAsync("tm1");
        await manager.GotoAsync("/");
        await manager.GetByRole(AriaRole.Link, new() { Name = "Identification", Exact = true }).ClickAsync();
        await Assertions.Expect(manager.GetByRole(AriaRole.Heading, new() { Name = "Identification", Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(manager.Locator("#no-run")).ToBeVisibleAsync();
        await AccessibleAsync(manager, "empty");

        // Run as of today (the fixed clock: 1 May 2024): one of the two families is eligible.
        await manager.GetByRole(AriaRole.Button, new() { Name = "Run identification now" }).ClickAsync();
        await Assertions.Expect(manager.Locator(".govuk-notification-banner")).ToContainTextAsync("1 of 2 families eligible");
        await Assertions.Expect(manager.Locator("#identified-families")).ToContainTextAsync("Not allocated");
        await AccessibleAsync(manager, "list");

        // Only unallocated families with an education headline: the family is still there.
        await manager.GetByLabel("Headline raised").SelectOptionAsync("education");
        await manager.GetByLabel("Only families no team holds yet").CheckAsync();
        await manager.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await manager.GetByRole(AriaRole.Link, new() { Name = Family, Exact = true }).ClickAsync();

        await Assertions.Expect(manager.Locator("#decision")).ToContainTextAsync("Eligible as of 1 May 2024");
        await Assertions.Expect(manager.GetByText("Child, aged 11 to 15").First).ToBeVisibleAsync();
        await AccessibleAsync(manager, "explanation");

        // Allocate from the explanation and come back to it.
        await manager.Locator("#allocate-link").ClickAsync();
        await Assertions.Expect(manager.GetByRole(AriaRole.Heading, new() { Name = "Allocate to a key worker" })).ToBeVisibleAsync();
        await Assertions.Expect(manager.GetByRole(AriaRole.Link, new() { Name = "Back to identification" })).ToBeVisibleAsync();
        await manager.GetByLabel("Kim Walker").CheckAsync();
        await manager.GetByRole(AriaRole.Button, new() { Name = "Allocate" }).ClickAsync();
        await Assertions.Expect(manager.Locator("#key-worker")).ToContainTextAsync("Kim Walker (team north)");

        // Attach: without the confirmation the error summary says so; then confirmed, with a cohort.
        await manager.GetByRole(AriaRole.Button, new() { Name = "Attach to programme" }).ClickAsync();
        await Assertions.Expect(manager.Locator(".govuk-error-summary")).ToContainTextAsync("Confirm that the family is to be attached to the programme from today.");
        await AccessibleAsync(manager, "attach-errors");
        await manager.GetByLabel("Cohort (optional)").FillAsync("2024 Q2 early help");
        await manager.Locator("#Confirm").CheckAsync();
        await manager.GetByRole(AriaRole.Button, new() { Name = "Attach to programme" }).ClickAsync();
        await Assertions.Expect(manager.Locator(".govuk-notification-banner")).ToContainTextAsync($"Family {Family} is attached to");
        await Assertions.Expect(manager.Locator("#attached")).ToContainTextAsync("since 1 May 2024");
        await AccessibleAsync(manager, "attached");

        // Back on the list: allocated and attached.
        await manager.GetByRole(AriaRole.Link, new() { Name = "Back to the identification list" }).ClickAsync();
        var row = manager.Locator("#identified-families tbody tr").Filter(new() { HasText = Family });
        await Assertions.Expect(row).ToContainTextAsync("Kim Walker");
        await Assertions.Expect(row).ToContainTextAsync("Attached 1 May 2024");
        await AccessibleAsync(manager, "list-after");
        await manager.Context.CloseAsync();
    }
}
