using System.IO.Compression;
using System.Net;
using Hearth.Core.Access;
using Hearth.Core.Data;
using Hearth.Core.Finance.Contracts;
using Hearth.Core.Finance.Store;
using Hearth.Core.Finance.UnitCosts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.IntegrationTests.Web;

/// <summary>Local unit costs added and changed on the web (with their errors), and the stored outcome contracts' pages.</summary>
public sealed class MoneyContractAndLocalCostPagesTests : IAsyncLifetime
{
    private static readonly Actor Lead = new("u-seed", "seed-lead", new HashSet<HearthRole> { HearthRole.DataLead });
    private readonly HearthWebFactory _factory = new();
    private long _pbrId;
    private long _sibId;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _factory.CreateClient().Dispose();
        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HearthDb>();
        var store = new ContractStore(db, TimeProvider.System);
        var (pbr, _) = ContractFile.Load(Example("pbr-pass-through.yaml"), UnitCostDatabase.UcdV14(), GdpDeflator.UcdV14());
        var (sib, _) = ContractFile.Load(Example("essex-edge-of-care-sib.yaml"), UnitCostDatabase.UcdV14(), GdpDeflator.UcdV14());
        _pbrId = (await store.CreateAsync(Lead, pbr, "pbr-pass-through.yaml", new string('a', 64), Ct)).Id;
        _sibId = (await store.CreateAsync(Lead, sib, "essex-edge-of-care-sib.yaml", new string('b', 64), Ct)).Id;
    }

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    private static async Task<(HttpStatusCode Status, string Html)> Get(HttpClient client, string url)
    {
        using var response = await client.GetAsync(new Uri(url, UriKind.Relative), Ct);
        return (response.StatusCode, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Ct)));
    }

    private static Dictionary<string, string> Form(string code, string fiscal, string year, string day) => new()
    {
        ["Code"] = code,
        ["Outcome"] = "Multi-systemic therapy session",
        ["Unit"] = "Per session",
        ["Agency"] = "Local Authority",
        ["Fiscal"] = fiscal,
        ["Economic"] = "",
        ["Social"] = "",
        ["PriceYear"] = year,
        ["Source"] = "Children's services budget book",
        ["SourceDate.Day"] = day,
        ["SourceDate.Month"] = "3",
        ["SourceDate.Year"] = "2024",
    };

    [Fact]
    public async Task LocalCost_InvalidFields_EachGetsAnErrorAndNothingIsSaved()
    {
        using var client = await _factory.SignInAsync(HearthRole.DataLead);
        using var response = await HearthWebFactory.PostFormAsync(client, "/money/costs/local/edit", Form("SS1.0", "12.345", "2024", "31"));
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Ct));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("govuk-error-summary", html, StringComparison.Ordinal);
        // One summary link and one inline message per wrong field (31 March is real, so the date is fine).
        Assert.Contains("href=\"#Code\"", html, StringComparison.Ordinal);
        Assert.Contains("SS1.0 is already a code in the Unit Cost Database v1.4", html, StringComparison.Ordinal);
        Assert.Contains("href=\"#Fiscal\"", html, StringComparison.Ordinal);
        Assert.Contains("Fiscal value must have no more than 2 decimal places", html, StringComparison.Ordinal);
        Assert.Contains("href=\"#PriceYear\"", html, StringComparison.Ordinal);
        Assert.Contains("id=\"PriceYear-error\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"#SourceDate\"", html, StringComparison.Ordinal);
        Assert.Equal(3, CountOf(html, "class=\"govuk-error-message\""));
        // What was typed is kept.
        Assert.Contains("value=\"12.345\"", html, StringComparison.Ordinal);

        using var empty = await HearthWebFactory.PostFormAsync(client, "/money/costs/local/edit", new Dictionary<string, string>(), "/money/costs/local/edit");
        var emptyHtml = WebUtility.HtmlDecode(await empty.Content.ReadAsStringAsync(Ct));
        foreach (var field in new[] { "Code", "Outcome", "Unit", "Agency", "Fiscal", "PriceYear", "Source", "SourceDate" })
        {
            Assert.Contains($"href=\"#{field}\"", emptyHtml, StringComparison.Ordinal);
        }

        await using var scope = _factory.Services.CreateAsyncScope();
        Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<HearthDb>().LocalUnitCosts.CountAsync(Ct));
    }

    [Fact]
    public async Task LocalCost_AddedAndChanged_IsStoredInPenceAuditedAndSearchable()
    {
        var (client, user) = await _factory.SignInUserAsync([HearthRole.DataLead]);
        using (client)
        {
            using (var added = await HearthWebFactory.PostFormAsync(client, "/money/costs/local/edit", Form("LOCAL-MST-1", "£1,130.50", "2023/24", "31")))
            {
                Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
                Assert.Equal("/money/costs/local?saved=LOCAL-MST-1", added.Headers.Location?.OriginalString);
            }

            // Adding the same code again is refused; changing it goes through the edit form.
            using (var again = await HearthWebFactory.PostFormAsync(client, "/money/costs/local/edit", Form("LOCAL-MST-1", "1", "2023/24", "1")))
            {
                Assert.Contains("There is already a local cost LOCAL-MST-1", WebUtility.HtmlDecode(await again.Content.ReadAsStringAsync(Ct)), StringComparison.Ordinal);
            }

            var (status, editHtml) = await Get(client, "/money/costs/local/edit?code=LOCAL-MST-1");
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Contains("value=\"1130.50\"", editHtml, StringComparison.Ordinal);
            using (var changed = await HearthWebFactory.PostFormAsync(client, "/money/costs/local/edit?code=LOCAL-MST-1", Form("ignored", "1200", "2024/25", "1")))
            {
                Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
            }

            var (_, list) = await Get(client, "/money/costs/local");
            Assert.Contains("£1,200.00 (2024/25)", list, StringComparison.Ordinal);
            Assert.Contains("changed by " + user.UserName, list, StringComparison.Ordinal);
            var (_, search) = await Get(client, "/money/costs?q=LOCAL-MST");
            Assert.Contains("LOCAL-MST-1", search, StringComparison.Ordinal);
            Assert.Contains(">local</strong>", search, StringComparison.Ordinal);
        }

        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HearthDb>();
        var row = await db.LocalUnitCosts.AsNoTracking().SingleAsync(Ct);
        // £1,200 → 120,000 pence in 2024/25 prices; first typed as £1,130.50 → 113,050 pence.
        Assert.Equal(("LOCAL-MST-1", 120_000L, 2024), (row.Code, row.FiscalPence!.Value, row.FiscalYear!.Value));
        Assert.Equal((user.UserName, user.UserName), (row.CreatedBy, row.UpdatedBy));
        var actions = await db.AuditEntries.AsNoTracking().Where(a => a.SubjectType == "local-cost").OrderBy(a => a.Id).Select(a => a.Action).ToListAsync(Ct);
        Assert.Equal(["local-cost.create", "local-cost.update"], actions);
    }

    [Fact]
    public async Task LocalCostEdit_Analyst_IsForbiddenButMayList()
    {
        using var client = await _factory.SignInAsync(HearthRole.Analyst);
        var (editStatus, _) = await Get(client, "/money/costs/local/edit");
        var (listStatus, list) = await Get(client, "/money/costs/local");

        Assert.Equal(HttpStatusCode.Forbidden, editStatus);
        Assert.Equal(HttpStatusCode.OK, listStatus);
        Assert.DoesNotContain("Add a local cost", list, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Contracts_ListAndDetailShowTheComputedFigures()
    {
        using var client = await _factory.SignInAsync(HearthRole.TeamManager);
        var (status, list) = await Get(client, "/money/contracts");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Whole-family keyworker provider contract (worked example)", list, StringComparison.Ordinal);

        var (_, pbr) = await Get(client, $"/money/contracts/{_pbrId}");
        // 107 claims × £800 = £85,600; one third (0.3333) rounded down per payment passed through: £28,530.48.
        Assert.Contains("£85,600.00 paid", pbr, StringComparison.Ordinal);
        Assert.Contains("£28,530.48 to Family support provider", pbr, StringComparison.Ordinal);

        var (_, sib) = await Get(client, $"/money/contracts/{_sibId}");
        // Essex: £7.1m overall cap reached; investors' money multiple ≈ 1.45 of the £3.1m committed.
        Assert.Contains("£7,100,000.00 paid", sib, StringComparison.Ordinal);
        Assert.Contains("cap reached", sib, StringComparison.Ordinal);
        Assert.Contains("1.45", sib, StringComparison.Ordinal);
        Assert.Contains("Investor IRR", sib, StringComparison.Ordinal);

        var (missing, _) = await Get(client, "/money/contracts/999999");
        Assert.Equal(HttpStatusCode.NotFound, missing);
    }

    [Fact]
    public async Task Contract_IndigoDownload_IsAZipOfTheIndigoFiles()
    {
        using var client = await _factory.SignInAsync(HearthRole.Analyst);
        using var response = await client.GetAsync(new Uri($"/money/contracts/{_pbrId}?handler=indigo", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        await using var stream = await response.Content.ReadAsStreamAsync(Ct);
        using var zip = new ZipArchive(stream, ZipArchiveMode.Read);
        Assert.Equal(["cashflows.csv", "indigo-outcome-metrics.csv", "indigo-outcome-payments.csv", "indigo-outcome-pricings.csv", "indigo-project.csv", "indigo-transactions.csv"],
            zip.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal));
        using var reader = new StreamReader(zip.GetEntry("indigo-project.csv")!.Open());
        var project = await reader.ReadToEndAsync(Ct);
        Assert.Contains("overall_project_finance/total_outcome_payments_made/amount,85600.00", project, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Contracts_KeyWorker_IsForbidden()
    {
        using var client = await _factory.SignInAsync(HearthRole.KeyWorker);
        var (status, _) = await Get(client, $"/money/contracts/{_pbrId}");
        Assert.Equal(HttpStatusCode.Forbidden, status);
    }

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
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
