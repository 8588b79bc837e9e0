using System.Net;
using System.Reflection;
using System.Text.RegularExpressions;
using Hearth.Core.Access;
using Hearth.Core.Data;
using Hearth.IntegrationTests.Finance;
using Hearth.Web.Infrastructure.Security;
using Hearth.Web.Pages.Money;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.IntegrationTests.Web;

/// <summary>
/// The money pages rendered with data: a store seeded with two families (see <see cref="MoneyStoreSeed"/>) and
/// users signed in through the app's own sign-in (password and second factor) with the roles each test needs.
/// </summary>
public sealed partial class MoneyPagesTests : IAsyncLifetime
{
    private readonly HearthWebFactory _factory = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _factory.CreateClient().Dispose();
        await using var scope = _factory.Services.CreateAsyncScope();
        await MoneyStoreSeed.SeedAsync(scope.ServiceProvider.GetRequiredService<HearthDb>(), Ct);
    }

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    private Task<HttpClient> Client() => _factory.SignInAsync(HearthRole.Analyst, HearthRole.DataLead);

    private static async Task<string> Get(HttpClient client, string url)
    {
        using var response = await client.GetAsync(new Uri(url, UriKind.Relative), Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {response.StatusCode}");
        return WebUtility.HtmlDecode(html);
    }

    [Fact]
    public void EveryMoneyPage_NeedsItsPolicy()
    {
        var pages = typeof(CohortModel).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(CohortModel).Namespace && typeof(PageModel).IsAssignableFrom(t)).ToList();

        // Each money page needs its policy: by its own attribute, or by its entry in HearthPolicies.PagePolicies.
        Assert.Equal(10, pages.Count);
        foreach (var page in pages)
        {
            var name = page.Name[..^"Model".Length];
            var policy = page.GetCustomAttributes<AuthorizeAttribute>().SingleOrDefault()?.Policy
                ?? HearthPolicies.PagePolicies.Single(p => p.PageOrFolder == "/Money/" + name).Policy;
            Assert.Equal(name is "LedgerPost" or "LocalCostEdit" ? HearthPolicies.ManageData : HearthPolicies.ViewMoney, policy);
        }

        // Reading is for analysts, data leads and team managers (as FamilyCostService.Readers); changing the ledger for data leads.
        Assert.Equal([HearthRole.Analyst, HearthRole.DataLead, HearthRole.TeamManager], HearthPolicies.Roles[HearthPolicies.ViewMoney]);
        Assert.Equal([HearthRole.DataLead], HearthPolicies.Roles[HearthPolicies.ManageData]);
    }

    [Fact]
    public async Task Costs_SearchUpratedToAPriceYear()
    {
        using var client = await Client();
        var html = await Get(client, "/money/costs?q=foster+care&year=2015%2F16");

        Assert.Contains("SS2.0", html, StringComparison.Ordinal);
        // SS2.0 £700 a week (2013/14) × 195.97 ÷ 190.0337266 = £721.866 → £721.87 (the workbook's 2015/16 figure).
        Assert.Contains("£721.87", html, StringComparison.Ordinal);
        Assert.DoesNotContain("SS1.0<", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Family_ShowsTheProfileAndAuditsTheRead()
    {
        var (client, user) = await _factory.SignInUserAsync([HearthRole.Analyst]);
        using (client)
        {
            var html = await Get(client, "/money/family/F0000001?attached=2023-07-15");

            // £663.37 + £3,619.67 + £4,329.50 (see MoneyStoreScenarios for the arithmetic).
            Assert.Contains("£8,612.54", html, StringComparison.Ordinal);
            Assert.Contains("£4,992.87", html, StringComparison.Ordinal);
            Assert.Contains("SS1.0", html, StringComparison.Ordinal);
            Assert.Contains("police, youth_justice", html, StringComparison.Ordinal);
        }

        await using var scope = _factory.Services.CreateAsyncScope();
        var audit = await scope.ServiceProvider.GetRequiredService<HearthDb>().AuditEntries.AsNoTracking()
            .SingleAsync(a => a.Action == "family-cost-profile.read", Ct);
        Assert.Equal(("F0000001", user.Id), (audit.SubjectId, audit.ActorId));
    }

    [Fact]
    public async Task Family_TeamManager_MayRead()
    {
        using var client = await _factory.SignInAsync(HearthRole.TeamManager);
        var html = await Get(client, "/money/family/F0000001?attached=2023-07-15");

        Assert.Contains("£8,612.54", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Family_WithoutSignIn_RedirectsToSignInAndNothingIsRead()
    {
        using var client = _factory.CreateBrowserClient();
        using var response = await client.GetAsync(new Uri("/money/family/F0000001", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/sign-in", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        await using var scope = _factory.Services.CreateAsyncScope();
        Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<HearthDb>().AuditEntries.CountAsync(a => a.Action == "family-cost-profile.read", Ct));
    }

    [Fact]
    public async Task Family_KeyWorker_IsForbidden()
    {
        using var client = await _factory.SignInAsync(HearthRole.KeyWorker);
        using var response = await client.GetAsync(new Uri("/money/family/F0000001", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task LedgerPost_Analyst_IsForbidden()
    {
        using var client = await _factory.SignInAsync(HearthRole.Analyst);
        using var response = await client.GetAsync(new Uri("/money/ledger/post", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Cohort_ListsTotalsAndTheCostliestFamilies()
    {
        using var client = await Client();
        var html = await Get(client, "/money/cohort");

        // £8,612.54 + £663.37 = £9,275.91.
        Assert.Contains("£9,275.91", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/money/family/F0000001\"", html, StringComparison.Ordinal);
        Assert.DoesNotMatch(TenDigits(), html);
    }

    [Fact]
    public async Task Ledger_PostedThroughTheForm_ShowsInTheBalances()
    {
        using var client = await Client();
        await Post(client, new() { ["Operation"] = "open", ["Pot"] = "families", ["Date"] = "2026-04-01" });
        await Post(client, new() { ["Operation"] = "contribute", ["Pot"] = "families", ["Amount"] = "120000", ["Agency"] = "Police", ["Year"] = "2026/27", ["Date"] = "2026-04-01" });
        var refused = await Post(client, new() { ["Operation"] = "allocate", ["Pot"] = "families", ["Amount"] = "500000", ["Service"] = "keyworkers", ["Date"] = "2026-04-02" });
        await Post(client, new() { ["Operation"] = "allocate", ["Pot"] = "families", ["Amount"] = "20000.50", ["Service"] = "keyworkers", ["Date"] = "2026-04-02" });

        Assert.Contains("cannot allocate", refused, StringComparison.Ordinal);
        var html = await Get(client, "/money/ledger");
        Assert.Contains("£120,000.00", html, StringComparison.Ordinal);
        // Unallocated £120,000 − £20,000.50 = £99,999.50.
        Assert.Contains("£99,999.50", html, StringComparison.Ordinal);
        Assert.Contains("Police", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cba_WhatIf_WorksWithoutScript()
    {
        using var client = await Client();
        var html = await Get(client, "/money/cba?run=true&PriceYear=2015%2F16&Horizon=1&Cost=1000&CostYears=1&CostAgency=Police&Cashability=1&CostUplift=0&BenefitReduction=0&BiasSource=test"
            + "&Outcomes%5B0%5D.Code=CR1.1&Outcomes%5B0%5D.Need=100&Outcomes%5B0%5D.Engagement=1&Outcomes%5B0%5D.Impact=1&Outcomes%5B0%5D.Deadweight=0&Outcomes%5B0%5D.Duration=1");

        // Year 0 only: 100 incidents avoided × CR1.1 £47.13 (2015/16) = £4,713.00, all cashable, costs £1,000.00:
        // net present budget impact £3,713.00.
        Assert.Contains("Net present budget impact", html, StringComparison.Ordinal);
        Assert.Contains("£3,713.00", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cba_WithoutOptimismBias_AsksForIt()
    {
        using var client = await Client();
        var html = await Get(client, "/money/cba?run=true");

        Assert.Contains("Hearth ships no percentages", html, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"result\"", html, StringComparison.Ordinal);
    }

    private static async Task<string> Post(HttpClient client, Dictionary<string, string> form)
    {
        using var response = await HearthWebFactory.PostFormAsync(client, "/money/ledger/post", form);
        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"POST /money/ledger/post: {response.StatusCode}");
        return WebUtility.HtmlDecode(html);
    }

    [GeneratedRegex(@"\b\d{10}\b")]
    private static partial Regex TenDigits();
}
