using System.Net;
using System.Text.RegularExpressions;
using Hearth.Core.Data;
using Hearth.IntegrationTests.CaseWork;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Hearth.IntegrationTests.CaseWork.CaseWorkTestData;

namespace Hearth.IntegrationTests.Audit;

/// <summary>A family's access history (/families/{reference}/access) and the anomaly report (/admin/audit/anomalies) over HTTP.</summary>
public sealed partial class AccessReportPageTests : IAsyncLifetime
{
    private readonly CaseWorkWebFactory _factory = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await _factory.SeedAsync(Ct);

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    private static string AccessUrl => $"/families/{FamilyRef}/access";

    private async Task AllocateToKw1Async()
    {
        using var manager = await _factory.ClientForAsync("tm1");
        var html = await manager.GetStringAsync(new Uri($"/families/{FamilyRef}/allocate", UriKind.Relative), Ct);
        using var content = new FormUrlEncodedContent([new("KeyWorkerId", _factory.Id("kw1")), new("__RequestVerificationToken", TokenPattern().Match(html).Groups[1].Value)]);
        using var response = await manager.PostAsync(new Uri($"/families/{FamilyRef}/allocate", UriKind.Relative), content, Ct);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    private async Task<HttpStatusCode> GetStatusAsync(string user, string path)
    {
        using var client = await _factory.ClientForAsync(user);
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative), Ct);
        return response.StatusCode;
    }

    [Fact]
    public async Task AccessHistory_TeamManager_SeesWhoViewedTheFamilyAndTheReadIsAudited()
    {
        await AllocateToKw1Async();
        using (var kw = await _factory.ClientForAsync("kw1"))
        {
            Assert.Equal(HttpStatusCode.OK, (await kw.GetAsync(new Uri($"/families/{FamilyRef}", UriKind.Relative), Ct)).StatusCode);
        }

        using var manager = await _factory.ClientForAsync("tm1");
        var html = await manager.GetStringAsync(new Uri(AccessUrl, UriKind.Relative), Ct);

        Assert.Contains("Access history", html, StringComparison.Ordinal);
        Assert.Contains("Team manager of team north", html, StringComparison.Ordinal);
        Assert.Matches(@"<td class=""govuk-table__cell"">kw1</td>\s*<td class=""govuk-table__cell"">KeyWorker</td>\s*<td class=""govuk-table__cell"">case-work</td>\s*<td class=""govuk-table__cell"">family.view</td>", html);
        Assert.Contains("case.allocate", html, StringComparison.Ordinal);
        // Names and dates of birth of the family never appear: the history holds references only.
        Assert.DoesNotContain(MotherName, html, StringComparison.Ordinal);

        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HearthDb>();
        var read = await db.AuditEntries.Where(e => e.Action == "family.access-history").SingleAsync(Ct);
        Assert.Equal(_factory.Id("tm1"), read.ActorId);
        Assert.Equal("allowed", read.Outcome);
        Assert.Equal(FamilyRef, read.SubjectId);
        Assert.Equal("audit", read.Purpose);
    }

    [Fact]
    public async Task AccessHistory_WhoMaySeeIt_ManagerOfTheTeamAdministratorAuditor()
    {
        await AllocateToKw1Async();
        var expected = new (string User, HttpStatusCode Status)[]
        {
            ("tm1", HttpStatusCode.OK), ("ad1", HttpStatusCode.OK), ("au1", HttpStatusCode.OK),
            ("tm2", HttpStatusCode.NotFound), ("kw1", HttpStatusCode.Forbidden), ("pp1", HttpStatusCode.Forbidden),
            ("dl1", HttpStatusCode.Forbidden), ("an1", HttpStatusCode.Forbidden),
        };
        var failures = new List<string>();
        foreach (var (user, status) in expected)
        {
            var got = await GetStatusAsync(user, AccessUrl);
            if (got != status)
            {
                failures.Add($"{user}: expected {(int)status}, got {(int)got}");
            }
        }

        Assert.Empty(failures);
        Assert.Equal(HttpStatusCode.NotFound, await GetStatusAsync("ad1", "/families/F0000000/access"));

        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HearthDb>();
        var refused = await db.AuditEntries.Where(e => e.Action == "family.access-history" && e.Outcome == "denied").ToListAsync(Ct);
        Assert.Equal([_factory.Id("tm2"), _factory.Id("ad1")], refused.OrderBy(e => e.Id).Select(e => e.ActorId));
    }

    [Fact]
    public async Task AccessHistory_UnallocatedFamily_NotForTeamManagers()
    {
        Assert.Equal(HttpStatusCode.NotFound, await GetStatusAsync("tm1", AccessUrl));
        Assert.Equal(HttpStatusCode.OK, await GetStatusAsync("au1", AccessUrl));
    }

    [Fact]
    public async Task FamilyRecord_LinksToAccessHistoryForTheTeamManagerOnly()
    {
        await AllocateToKw1Async();
        using var manager = await _factory.ClientForAsync("tm1");
        Assert.Contains($"href=\"/families/{FamilyRef}/access\"", await manager.GetStringAsync(new Uri($"/families/{FamilyRef}", UriKind.Relative), Ct), StringComparison.Ordinal);
        using var kw = await _factory.ClientForAsync("kw1");
        Assert.DoesNotContain("/access\"", await kw.GetStringAsync(new Uri($"/families/{FamilyRef}", UriKind.Relative), Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Anomalies_RepeatedDenialsOfAnotherTeamsFamily_FlaggedAndTheRunIsAudited()
    {
        await AllocateToKw1Async();
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.NotFound, await GetStatusAsync("kw3", $"/families/{FamilyRef}"));
        }

        using var admin = await _factory.ClientForAsync("ad1");
        var html = await admin.GetStringAsync(new Uri("/admin/audit/anomalies", UriKind.Relative), Ct);

        // The clock is 1 May 2024: the default period is the 30 days before, to today.
        Assert.Contains("value=\"2024-04-01\"", html, StringComparison.Ordinal);
        var row = Regex.Match(html, "<tr class=\"govuk-table__row\" data-rule=\"repeated-denials\">(.*?)</tr>", RegexOptions.Singleline);
        Assert.True(row.Success, "no repeated-denials finding");
        Assert.Contains(">kw3</a>", row.Value, StringComparison.Ordinal);
        Assert.Contains("5 refused requests", row.Value, StringComparison.Ordinal);
        Assert.Contains("family.view × 5", WebUtility.HtmlDecode(row.Value), StringComparison.Ordinal);
        Assert.Contains($"/families/{FamilyRef}/access", row.Value, StringComparison.Ordinal);

        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HearthDb>();
        var run = await db.AuditEntries.Where(e => e.Action == "audit.anomalies").SingleAsync(Ct);
        Assert.Equal(_factory.Id("ad1"), run.ActorId);
        Assert.StartsWith("2024-04-01 to 2024-05-02:", run.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Anomalies_BadDates_ErrorSummaryAndInlineErrors()
    {
        using var auditor = await _factory.ClientForAsync("au1");
        var html = await auditor.GetStringAsync(new Uri("/admin/audit/anomalies?From=2024-13-01&To=2024-04-01&DormantDays=x", UriKind.Relative), Ct);
        Assert.Contains("There is a problem", html, StringComparison.Ordinal);
        Assert.Contains("Enter the first day as a real date in the form YYYY-MM-DD", html, StringComparison.Ordinal);
        Assert.Contains("Dormancy must be a whole number of days", html, StringComparison.Ordinal);
        Assert.Contains("id=\"From-error\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Findings", html, StringComparison.Ordinal);

        var reversed = await auditor.GetStringAsync(new Uri("/admin/audit/anomalies?From=2024-04-10&To=2024-04-01", UriKind.Relative), Ct);
        Assert.Contains("The last day must be the same as or after the first day.", reversed, StringComparison.Ordinal);
    }
}
