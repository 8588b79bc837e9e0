using System.Net;
using System.Text.RegularExpressions;
using Hearth.Core.CaseWork;
using Hearth.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Hearth.IntegrationTests.CaseWork.CaseWorkTestData;

namespace Hearth.IntegrationTests.CaseWork;

public sealed partial class CaseWorkPageTests : IAsyncLifetime
{
    private readonly CaseWorkWebFactory _factory = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await _factory.SeedAsync(Ct);

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    private static async Task<string> TokenAsync(HttpClient client, string url)
    {
        var html = await client.GetStringAsync(new Uri(url, UriKind.Relative), Ct);
        return TokenPattern().Match(html).Groups[1].Value;
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string url, IEnumerable<KeyValuePair<string, string>> fields, string? formUrl = null)
    {
        var token = await TokenAsync(client, formUrl ?? url.Split('?')[0]);
        using var content = new FormUrlEncodedContent(fields.Append(new("__RequestVerificationToken", token)));
        return await client.PostAsync(new Uri(url, UriKind.Relative), content, Ct);
    }

    private async Task AllocateAsync()
    {
        using var manager = await _factory.ClientForAsync("tm1");
        var response = await PostAsync(manager, $"/families/{FamilyRef}/allocate", [new("KeyWorkerId", _factory.Id("kw1"))]);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    [Fact]
    public async Task Anonymous_IsRedirectedToSignIn()
    {
        using var client = _factory.Web.CreateBrowserClient();
        foreach (var path in new[] { $"/families/{FamilyRef}", "/families", "/dashboard", "/dashboard/team" })
        {
            var response = await client.GetAsync(new Uri(path, UriKind.Relative), Ct);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/account/sign-in", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Allocate_ThenKeyWorkerSeesTheRecordWithMembersAddressesAndTimeline()
    {
        await AllocateAsync();
        using var kw = await _factory.ClientForAsync("kw1");

        var html = await kw.GetStringAsync(new Uri($"/families/{FamilyRef}", UriKind.Relative), Ct);

        Assert.Contains(MotherName, html, StringComparison.Ordinal);
        Assert.Contains("1 Test Street", html, StringComparison.Ordinal);
        Assert.Contains("9 Old Road", html, StringComparison.Ordinal);
        Assert.Contains("Criminal damage: Community resolution", html, StringComparison.Ordinal);
        Assert.Contains("Spring term: 20.0% absence (24 of 120 sessions, 18 unauthorised)", html, StringComparison.Ordinal); // (6 + 18) / 120 = 20%
        Assert.Contains("Northbridge Police", html, StringComparison.Ordinal);
        Assert.Contains("Kim Walker", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Record_OtherTeamOrAgencyGets404_RolesWithoutCaseWorkGet403()
    {
        await AllocateAsync();
        foreach (var (user, expected) in new[] { ("kw3", HttpStatusCode.NotFound), ("pp1", HttpStatusCode.NotFound), ("dl1", HttpStatusCode.Forbidden), ("ad1", HttpStatusCode.Forbidden) })
        {
            using var client = await _factory.ClientForAsync(user);
            var response = await client.GetAsync(new Uri($"/families/{FamilyRef}", UriKind.Relative), Ct);
            Assert.True(expected == response.StatusCode, $"{user}: expected {(int)expected}, got {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task Consent_WithNothingChosen_ShowsErrorSummaryAndInlineErrors()
    {
        await AllocateAsync();
        using var kw = await _factory.ClientForAsync("kw1");

        var response = await PostAsync(kw, $"/families/{FamilyRef}/consent?handler=Record", [], $"/families/{FamilyRef}/consent");
        var html = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("govuk-error-summary", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#PersonReference\">Select the family member.</a>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#GivenOn\">Enter the date consent was given.</a>", html, StringComparison.Ordinal);
        Assert.Contains("id=\"GivenBy-error\"", html, StringComparison.Ordinal);
        Assert.Contains("id=\"Agencies-error\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Consent_ParentForTeenager_RefusedInlineWithTheAgeRule()
    {
        await AllocateAsync();
        using var kw = await _factory.ClientForAsync("kw1");

        var response = await PostAsync(kw, $"/families/{FamilyRef}/consent?handler=Record",
            [new("PersonReference", Teen), new("GivenBy", "ParentOrCarer"), new("GivenByPersonReference", Mother), new("GivenOn.Day", "30"), new("GivenOn.Month", "4"), new("GivenOn.Year", "2024"), new("Agencies", "school")],
            $"/families/{FamilyRef}/consent");
        var html = await response.Content.ReadAsStringAsync(Ct);

        Assert.Contains("<a href=\"#GivenBy\">Aged 14 on 30 April 2024: 13 or over, so consents for themselves. A parent or carer cannot consent for them.</a>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_WithoutAntiforgeryToken_IsRejected()
    {
        await AllocateAsync();
        using var kw = await _factory.ClientForAsync("kw1");
        using var content = new FormUrlEncodedContent([new("PersonReference", Mother), new("GivenBy", "Self")]);

        var response = await kw.PostAsync(new Uri($"/families/{FamilyRef}/consent?handler=Record", UriKind.Relative), content, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await using var scope = _factory.Services.CreateAsyncScope();
        Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<HearthDb>().MemberConsents.CountAsync(Ct));
    }

    [Fact]
    public async Task PartnerJourney_UpdatesOwnAction_AndStaleFormGetsAConflict()
    {
        await AllocateAsync();
        using var kw = await _factory.ClientForAsync("kw1");
        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(kw, $"/families/{FamilyRef}/team?handler=Add", [new("UserId", _factory.Id("pp1")), new("Role", "Family liaison")], $"/families/{FamilyRef}/team")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(kw, $"/families/{FamilyRef}/consent?handler=Record",
            [new("PersonReference", Mother), new("GivenBy", "Self"), new("GivenOn.Day", "30"), new("GivenOn.Month", "4"), new("GivenOn.Year", "2024"), new("Agencies", "council"), new("Agencies", "school")],
            $"/families/{FamilyRef}/consent")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(kw, $"/families/{FamilyRef}/plan?handler=Create", [new("NextReviewDue.Day", "1"), new("NextReviewDue.Month", "7"), new("NextReviewDue.Year", "2024")], $"/families/{FamilyRef}/plan")).StatusCode);

        long actionId;
        Guid version;
        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HearthDb>();
            var service = scope.ServiceProvider.GetRequiredService<CaseWorkService>();
            var actor = _factory.Actor("kw1");
            var plan = await db.Plans.SingleAsync(Ct);
            var need = await service.AddNeedAsync(actor, FamilyRef, plan.Version, "education", "School attendance", Ct);
            plan = await db.Plans.AsNoTracking().SingleAsync(Ct);
            var goal = await service.AddGoalAsync(actor, FamilyRef, plan.Version, need.Id, "Attend every day", null, Ct);
            plan = await db.Plans.AsNoTracking().SingleAsync(Ct);
            var action = await service.AddActionAsync(actor, FamilyRef, plan.Version, goal.Id, "Morning check-in", _factory.Id("pp1"), new DateOnly(2024, 5, 20), Ct);
            actionId = action.Id;
            version = action.Version;
        }

        using var partner = await _factory.ClientForAsync("pp1");
        var planHtml = await partner.GetStringAsync(new Uri($"/families/{FamilyRef}/plan", UriKind.Relative), Ct);
        Assert.Contains("Morning check-in", planHtml, StringComparison.Ordinal);
        var url = $"/families/{FamilyRef}/actions/{actionId}";
        var ok = await PostAsync(partner, url, [new("Status", "InProgress"), new("ProgressNote", "Two check-ins done"), new("Version", version.ToString())]);
        Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);

        // The key worker's form was opened before the partner saved: the stale version is refused.
        var stale = await PostAsync(kw, url, [new("Status", "Cancelled"), new("Version", version.ToString())]);
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Contains("Someone else changed this", await stale.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        await using var check = _factory.Services.CreateAsyncScope();
        var stored = await check.ServiceProvider.GetRequiredService<HearthDb>().PlanActions.SingleAsync(Ct);
        Assert.Equal(PlanActionStatus.InProgress, stored.Status);
    }

    [Fact]
    public async Task Dashboards_RenderForKeyWorkerAndManager_AndFamilyListHasNoNamesInLinks()
    {
        await AllocateAsync();
        using var kw = await _factory.ClientForAsync("kw1");
        var mine = await kw.GetStringAsync(new Uri("/dashboard", UriKind.Relative), Ct);
        Assert.Contains($"href=\"/families/{FamilyRef}\"", mine, StringComparison.Ordinal);
        Assert.Contains("href=\"/families\">Families</a>", mine, StringComparison.Ordinal); // navigation for case work roles
        Assert.DoesNotContain("href=\"/dashboard/team\"", mine, StringComparison.Ordinal);
        using var dataLead = await _factory.ClientForAsync("dl1");
        var home = await dataLead.GetStringAsync(new Uri("/", UriKind.Relative), Ct);
        Assert.DoesNotContain("href=\"/families\"", home, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"/dashboard\"", home, StringComparison.Ordinal);

        using var manager = await _factory.ClientForAsync("tm1");
        var team = await manager.GetStringAsync(new Uri("/dashboard/team", UriKind.Relative), Ct);
        Assert.Contains("Kim Walker", team, StringComparison.Ordinal);
        Assert.Contains("href=\"/dashboard/team\">Team</a>", team, StringComparison.Ordinal);
        var list = await manager.GetStringAsync(new Uri("/families?q=" + Teen, UriKind.Relative), Ct);
        Assert.Contains(FamilyRef, list, StringComparison.Ordinal);
        Assert.DoesNotContain("Testmother", list, StringComparison.Ordinal);

        var bad = await manager.GetStringAsync(new Uri("/families?q=Alice", UriKind.Relative), Ct);
        Assert.Contains("<a href=\"#q\">Enter a family reference", bad, StringComparison.Ordinal);

        using var worker = await _factory.ClientForAsync("kw1");
        Assert.Equal(HttpStatusCode.Forbidden, (await worker.GetAsync(new Uri("/dashboard/team", UriKind.Relative), Ct)).StatusCode);
    }

    [Fact]
    public async Task Close_WithoutReason_ShowsErrors_ThenCloses()
    {
        await AllocateAsync();
        using var kw = await _factory.ClientForAsync("kw1");
        Guid version;
        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            version = await scope.ServiceProvider.GetRequiredService<HearthDb>().Cases.Select(c => c.Version).SingleAsync(Ct);
        }

        var bad = await PostAsync(kw, $"/families/{FamilyRef}/close", [new("Version", version.ToString())]);
        var html = await bad.Content.ReadAsStringAsync(Ct);
        Assert.Contains("<a href=\"#Reason\">Select why the case is closing.</a>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#ClosedOn\">Enter the closure date.</a>", html, StringComparison.Ordinal);

        var good = await PostAsync(kw, $"/families/{FamilyRef}/close", [new("Version", version.ToString()), new("Reason", "SteppedDown"), new("ClosedOn.Day", "1"), new("ClosedOn.Month", "5"), new("ClosedOn.Year", "2024")]);
        Assert.Equal(HttpStatusCode.Redirect, good.StatusCode);
        var record = await kw.GetStringAsync(new Uri($"/families/{FamilyRef}", UriKind.Relative), Ct);
        Assert.Contains(">closed</strong>", record, StringComparison.Ordinal);
    }
}
