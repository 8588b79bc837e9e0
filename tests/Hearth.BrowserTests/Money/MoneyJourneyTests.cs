using Hearth.BrowserTests.Infrastructure;
using Hearth.Core.Access;
using Hearth.Core.Data;
using Hearth.Core.Finance.Contracts;
using Hearth.Core.Finance.Store;
using Hearth.Core.Finance.UnitCosts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Hearth.BrowserTests.Money;

public sealed class MoneyJourneyTests(BrowserHost host)
{
    [Fact]
    public async Task DataLead_AddsALocalCostWithAnErrorThenCorrectsIt_AndOpensAContract()
    {
        var contractId = await StoreContractAsync();
        var page = await host.SignedInPageAsync(HearthRole.DataLead);
        await page.GotoAsync("/money");
        await page.GetByRole(AriaRole.Link, new() { Name = "Local unit costs" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Add a local cost" }).ClickAsync();

        var code = "LOCAL-BR-" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        await page.GetByLabel("Code").FillAsync(code);
        await page.GetByLabel("Outcome").FillAsync("Family group conference");
        await page.GetByLabel("Unit").FillAsync("Per conference");
        await page.GetByLabel("Agency").FillAsync("Local Authority");
        await page.GetByLabel("Fiscal value (£)").FillAsync("1,450.505");
        await page.GetByLabel("Price year").FillAsync("2024/25");
        await page.GetByLabel("Source", new() { Exact = true }).FillAsync("Early help service budget");
        await page.GetByLabel("Day").FillAsync("31");
        await page.GetByLabel("Month").FillAsync("3");
        await page.GetByLabel("Year", new() { Exact = true }).FillAsync("2024");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save local cost" }).ClickAsync();

        var summary = page.Locator(".govuk-error-summary");
        await Assertions.Expect(summary).ToContainTextAsync("Fiscal value must have no more than 2 decimal places");
        await Assertions.Expect(page.Locator("#Fiscal-error")).ToBeVisibleAsync();
        await BrowserHost.ScreenshotAsync(page, "money-local-cost-error");
        Assert.Empty(await BrowserHost.SeriousAccessibilityViolationsAsync(page));

        // The summary link takes the user to the field; they correct it and save.
        await summary.GetByRole(AriaRole.Link, new() { Name = "Fiscal value must have no more than 2 decimal places (whole pence)" }).ClickAsync();
        await page.GetByLabel("Fiscal value (£)").FillAsync("1,450.50");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save local cost" }).ClickAsync();

        await Assertions.Expect(page.Locator("#saved")).ToContainTextAsync($"Local cost {code} saved.");
        await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = code })).ToContainTextAsync("£1,450.50 (2024/25)");
        await BrowserHost.ScreenshotAsync(page, "money-local-costs");
        Assert.Empty(await BrowserHost.SeriousAccessibilityViolationsAsync(page));

        await page.GotoAsync("/money/contracts");
        await page.GetByRole(AriaRole.Link, new() { Name = "Essex-type edge of care" }).First.ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/money/contracts/{contractId}$"));
        await Assertions.Expect(page.Locator("#total-paid")).ToContainTextAsync("£7,100,000.00 paid");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Download the INDIGO files (zip of CSV)" })).ToBeVisibleAsync();
        await BrowserHost.ScreenshotAsync(page, "money-contract");
        Assert.Empty(await BrowserHost.SeriousAccessibilityViolationsAsync(page));
        await page.Context.CloseAsync();
    }

    private async Task<long> StoreContractAsync()
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HearthDb>();
        var (contract, _) = ContractFile.Load(Example("essex-edge-of-care-sib.yaml"), UnitCostDatabase.UcdV14(), GdpDeflator.UcdV14());
        var existing = (await new ContractStore(db, TimeProvider.System).ListAsync()).FirstOrDefault(c => c.Name == contract.Name);
        if (existing is not null)
        {
            return existing.Id;
        }

        var lead = new Actor("u-browser-lead", "browser-lead", new HashSet<HearthRole> { HearthRole.DataLead });
        return (await new ContractStore(db, TimeProvider.System).CreateAsync(lead, contract, "essex-edge-of-care-sib.yaml", new string('e', 64))).Id;
    }

    private static string Example(string name)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "docs", "examples", name)))
        {
            dir = dir.Parent;
        }

        return Path.Combine(dir?.FullName ?? throw new FileNotFoundException(name), "docs", "examples", name);
    }
}
