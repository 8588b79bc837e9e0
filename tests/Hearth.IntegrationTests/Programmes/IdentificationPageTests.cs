using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hearth.Core.Data;
using Hearth.IntegrationTests.CaseWork;
using Hearth.IntegrationTests.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Hearth.IntegrationTests.Programmes.IdentificationTestData;

namespace Hearth.IntegrationTests.Programmes;

/// <summary>
/// The identification list over HTTP with real sign-in: run, list and filter, explain, allocate with a way back,
/// attach (and the already-attached error), antiforgery, the API, and the audit trail without personal data.
/// The clock is fixed at 1 May 2024; see <see cref="IdentificationTestData"/> for why F9000001 is eligible.
/// </summary>
public sealed class IdentificationPageTests : IAsyncLifetime
{
    private const string Framework = "supporting-families-2022";
    private readonly CaseWorkWebFactory _factory = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await _factory.SeedAsync(Ct);
        await using var scope = _factory.Services.CreateAsyncScope();
        await AddCoverageAsync(scope.ServiceProvider.GetRequiredService<HearthDb>(), Ct);
    }

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    private static string FamilyPage(string reference) => $"/programmes/identification/{reference}?framework={Framework}";

    private static async Task RunAsync(HttpClient client)
    {
        using var response = await HearthWebFactory.PostFormAsync(client, "/programmes/identification?handler=Run", new() { ["Framework"] = Framework }, "/programmes/identification");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/programmes/identification?framework=" + Framework, response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunListExplainAttach_TeamManager_FindsTheEligibleFamilyAndAttachesIt()
    {
        using var tm = await _factory.ClientForAsync("tm1");
        var before = await tm.GetStringAsync(new Uri("/programmes/identification", UriKind.Relative), Ct);
        Assert.Contains("has not been run on this store yet", before, StringComparison.Ordinal);

        await RunAsync(tm);
        var list = await tm.GetStringAsync(new Uri("/programmes/identification?framework=" + Framework, UriKind.Relative), Ct);
        // Two families in the store: F9000001 eligible, F9000002 not (no child).
        Assert.Contains("1 May 2024", list, StringComparison.Ordinal);
        Assert.Contains("<dd class=\"govuk-summary-list__value\" id=\"count-eligible\">1</dd>", list, StringComparison.Ordinal);
        Assert.Contains($">{EligibleFamily}</a>", list, StringComparison.Ordinal);
        Assert.DoesNotContain($">{NotEligibleFamily}</a>", list, StringComparison.Ordinal);
        Assert.Contains("Getting a good education", list, StringComparison.Ordinal);
        Assert.Contains("Not allocated", list, StringComparison.Ordinal);

        // Filters: a headline it raised keeps it; one it did not removes it; unallocated only keeps it.
        Assert.Contains($">{EligibleFamily}</a>", await tm.GetStringAsync(new Uri($"/programmes/identification?framework={Framework}&headline=crime", UriKind.Relative), Ct), StringComparison.Ordinal);
        var health = await tm.GetStringAsync(new Uri($"/programmes/identification?framework={Framework}&headline=health", UriKind.Relative), Ct);
        Assert.Contains("0 families match", health, StringComparison.Ordinal);
        Assert.Contains($">{EligibleFamily}</a>", await tm.GetStringAsync(new Uri($"/programmes/identification?framework={Framework}&unallocated=true", UriKind.Relative), Ct), StringComparison.Ordinal);

        var explained = await tm.GetStringAsync(new Uri(FamilyPage(EligibleFamily), UriKind.Relative), Ct);
        Assert.Contains("Eligible as of 1 May 2024", explained, StringComparison.Ordinal);
        Assert.Contains("Child with attendance under 90% over the last 3 terms", explained, StringComparison.Ordinal);
        // Sam, born 10 June 2012, is 11 on 1 May 2024; 24 of 120 sessions missed in each of three terms is 20%.
        Assert.Contains("Child, aged 11 to 15", explained, StringComparison.Ordinal);
        Assert.Contains("20%, needs &gt; 10%", explained, StringComparison.Ordinal);
        Assert.Contains("over 1 April 2023 to 31 March 2024", explained, StringComparison.Ordinal);
        Assert.Contains("offence on 11 February 2024", explained, StringComparison.Ordinal);
        Assert.DoesNotContain(CaseWorkTestData.MotherName, explained, StringComparison.Ordinal);
        Assert.DoesNotContain("1985", explained, StringComparison.Ordinal);

        // Attaching needs the confirmation.
        using (var unconfirmed = await HearthWebFactory.PostFormAsync(tm, FamilyPage(EligibleFamily) + "&handler=Attach", new() { ["Cohort"] = "2024 Q2" }, FamilyPage(EligibleFamily)))
        {
            Assert.Equal(HttpStatusCode.OK, unconfirmed.StatusCode);
            var html = await unconfirmed.Content.ReadAsStringAsync(Ct);
            Assert.Contains("govuk-error-summary", html, StringComparison.Ordinal);
            Assert.Contains("Confirm that the family is to be attached", html, StringComparison.Ordinal);
        }

        using (var attached = await HearthWebFactory.PostFormAsync(tm, FamilyPage(EligibleFamily) + "&handler=Attach", new() { ["Cohort"] = "2024 Q2", ["Confirm"] = "true" }, FamilyPage(EligibleFamily)))
        {
            Assert.Equal(HttpStatusCode.Redirect, attached.StatusCode);
            Assert.Equal(FamilyPage(EligibleFamily) + "&attached=1", attached.Headers.Location!.OriginalString);
        }

        var after = await tm.GetStringAsync(new Uri(FamilyPage(EligibleFamily) + "&attached=1", UriKind.Relative), Ct);
        Assert.Contains("is attached to Supporting Families National Outcome Framework (2022-25) from 1 May 2024", after, StringComparison.Ordinal);
        Assert.Contains("Attached to supporting-families-2022 since 1 May 2024", after, StringComparison.Ordinal);
        Assert.Contains("Attached 1 May 2024", await tm.GetStringAsync(new Uri("/programmes/identification?framework=" + Framework, UriKind.Relative), Ct), StringComparison.Ordinal);

        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HearthDb>();
        var attachment = await db.ProgrammeAttachments.SingleAsync(Ct);
        Assert.Equal(new DateOnly(2024, 5, 1), attachment.AttachedOn);
        Assert.Equal("2024 Q2", attachment.Cohort);
        // The baseline has one need per member it concerns: attendance (Sam), offending (mother, older child), worklessness (mother).
        Assert.Equal(4, attachment.BaselineNeeds);
        Assert.Equal(_factory.Id("tm1"), attachment.CreatedBy);
    }

    [Fact]
    public async Task Attach_AlreadyAttached_ShowsTheErrorSummaryAndConflict()
    {
        using var dl = await _factory.ClientForAsync("dl1");
        await RunAsync(dl);
        var fields = new Dictionary<string, string> { ["Confirm"] = "true" };
        using (var first = await HearthWebFactory.PostFormAsync(dl, FamilyPage(EligibleFamily) + "&handler=Attach", new(fields), FamilyPage(EligibleFamily)))
        {
            Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        }

        using var second = await HearthWebFactory.PostFormAsync(dl, FamilyPage(EligibleFamily) + "&handler=Attach", new(fields), FamilyPage(EligibleFamily));
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        var html = await second.Content.ReadAsStringAsync(Ct);
        Assert.Contains("govuk-error-summary", html, StringComparison.Ordinal);
        Assert.Contains($"Family {EligibleFamily} is already attached to supporting-families (supporting-families-2022, since 1 May 2024).", html, StringComparison.Ordinal);
        await using var scope = _factory.Services.CreateAsyncScope();
        Assert.Equal(1, await scope.ServiceProvider.GetRequiredService<HearthDb>().ProgrammeAttachments.CountAsync(Ct));
    }

    [Fact]
    public async Task Explain_NotEligibleFamily_SaysWhichCriteriaFailed()
    {
        using var tm = await _factory.ClientForAsync("tm1");
        await RunAsync(tm);
        var html = await tm.GetStringAsync(new Uri(FamilyPage(NotEligibleFamily), UriKind.Relative), Ct);
        Assert.Contains("Not eligible as of 1 May 2024", html, StringComparison.Ordinal);
        // One adult and no events: no child (0, needs >= 1), no needs (0, needs >= 3), no headlines (0, needs >= 1).
        Assert.Contains("0 of 3 criteria met; family.children &#x2B; family.expectant_parents not met (is 0, needs &gt;= 1); needs_raised not met (is 0, needs &gt;= 3)", html, StringComparison.Ordinal);
        Assert.Contains("Why not eligible", html, StringComparison.Ordinal);

        var missing = await tm.GetStringAsync(new Uri(FamilyPage("F0000404"), UriKind.Relative), Ct);
        Assert.Contains("There is no family F0000404 in the store", missing, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Allocate_FromTheExplanation_ReturnsThereAndTheListShowsTheKeyWorker()
    {
        using var tm = await _factory.ClientForAsync("tm1");
        await RunAsync(tm);
        var explained = await tm.GetStringAsync(new Uri(FamilyPage(EligibleFamily), UriKind.Relative), Ct);
        var allocateUrl = $"/families/{EligibleFamily}/allocate?returnUrl={Uri.EscapeDataString(FamilyPage(EligibleFamily))}";
        Assert.Contains($"href=\"/families/{EligibleFamily}/allocate?returnUrl=", explained, StringComparison.Ordinal);
        using (var response = await HearthWebFactory.PostFormAsync(tm, allocateUrl, new() { ["KeyWorkerId"] = _factory.Id("kw1"), ["ReturnUrl"] = FamilyPage(EligibleFamily) }))
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal(FamilyPage(EligibleFamily), response.Headers.Location!.OriginalString);
        }

        var list = await tm.GetStringAsync(new Uri("/programmes/identification?framework=" + Framework, UriKind.Relative), Ct);
        Assert.Contains("Kim Walker", list, StringComparison.Ordinal);
        Assert.Contains("0 families match", await tm.GetStringAsync(new Uri($"/programmes/identification?framework={Framework}&unallocated=true", UriKind.Relative), Ct), StringComparison.Ordinal);

        // A return address outside the identification pages is ignored.
        using var again = await HearthWebFactory.PostFormAsync(tm, $"/families/{EligibleFamily}/allocate?returnUrl=https%3A%2F%2Fexample.org%2F",
            new() { ["KeyWorkerId"] = _factory.Id("kw2"), ["ReturnUrl"] = "https://example.org/" }, $"/families/{EligibleFamily}/allocate");
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Equal($"/families/{EligibleFamily}", again.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Posts_WithoutAntiforgeryToken_AreRefused()
    {
        using var tm = await _factory.ClientForAsync("tm1");
        using var run = await tm.PostAsync(new Uri("/programmes/identification?handler=Run", UriKind.Relative),
            new FormUrlEncodedContent(new Dictionary<string, string> { ["Framework"] = Framework }), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, run.StatusCode);
        using var attach = await tm.PostAsync(new Uri(FamilyPage(EligibleFamily) + "&handler=Attach", UriKind.Relative),
            new FormUrlEncodedContent(new Dictionary<string, string> { ["Confirm"] = "true" }), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, attach.StatusCode);
        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HearthDb>();
        Assert.Equal(0, await db.IdentificationRuns.CountAsync(Ct));
        Assert.Equal(0, await db.ProgrammeAttachments.CountAsync(Ct));
    }

    [Fact]
    public async Task Audit_RunListExplainAttach_RecordedWithoutPersonalData()
    {
        using var tm = await _factory.ClientForAsync("tm1");
        await RunAsync(tm);
        await tm.GetStringAsync(new Uri("/programmes/identification?framework=" + Framework, UriKind.Relative), Ct);
        await tm.GetStringAsync(new Uri(FamilyPage(EligibleFamily), UriKind.Relative), Ct);
        using (var attached = await HearthWebFactory.PostFormAsync(tm, FamilyPage(EligibleFamily) + "&handler=Attach", new() { ["Confirm"] = "true" }, FamilyPage(EligibleFamily)))
        {
            Assert.Equal(HttpStatusCode.Redirect, attached.StatusCode);
        }

        using var kw = await _factory.ClientForAsync("kw1");
        Assert.Equal(HttpStatusCode.Forbidden, (await kw.GetAsync(new Uri("/programmes/identification", UriKind.Relative), Ct)).StatusCode);

        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HearthDb>();
        var tmId = _factory.Id("tm1");
        var entries = await db.AuditEntries.Where(a => a.ActorId == tmId).ToListAsync(Ct);
        var actions = entries.Select(a => a.Action).ToHashSet(StringComparer.Ordinal);
        Assert.Contains("programme.identify", actions);
        Assert.Contains("identification.run", actions);
        Assert.Contains("identification.list", actions);
        Assert.Contains("programme.explain", actions);
        Assert.Contains("programme.attach", actions);
        Assert.Equal(EligibleFamily, entries.First(a => a.Action == "programme.explain").SubjectId);
        Assert.Contains("2 families stored, 1 eligible", entries.Single(a => a.Action == "identification.run").Detail, StringComparison.Ordinal);
        var kwId = _factory.Id("kw1");
        Assert.Contains(await db.AuditEntries.Where(a => a.ActorId == kwId).Select(a => a.Action).ToListAsync(Ct), a => a == "authorisation.denied");

        // No names, dates of birth or person references in the audit rows or the stored results.
        string[] personal = [CaseWorkTestData.MotherName, "Testmother", "Sam", "1985", "2012-06-10", "P9000001", "P9000002", "P9000003"];
        foreach (var e in entries)
        {
            foreach (var p in personal)
            {
                Assert.DoesNotContain(p, (e.Detail ?? string.Empty) + "|" + e.SubjectId, StringComparison.Ordinal);
            }
        }

        foreach (var r in await db.IdentificationRunFamilies.ToListAsync(Ct))
        {
            foreach (var p in personal)
            {
                Assert.DoesNotContain(p, r.Reason + "|" + r.Headlines, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task Api_RunListExplain_SamePolicyAndInTheOpenApiDocument()
    {
        using var dl = await _factory.ClientForAsync("dl1");
        Assert.Equal(HttpStatusCode.NotFound, (await dl.GetAsync(new Uri("/api/identification?framework=" + Framework, UriKind.Relative), Ct)).StatusCode);
        using (var created = await dl.PostAsJsonAsync(new Uri("/api/identification/runs", UriKind.Relative), new { framework = Framework }, Ct))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            using var run = JsonDocument.Parse(await created.Content.ReadAsStringAsync(Ct));
            Assert.Equal(2, run.RootElement.GetProperty("families").GetInt64());
            Assert.Equal(1, run.RootElement.GetProperty("eligible").GetInt64());
            Assert.Equal("2024-05-01", run.RootElement.GetProperty("asOf").GetString());
        }

        using (var list = JsonDocument.Parse(await dl.GetStringAsync(new Uri("/api/identification?framework=" + Framework, UriKind.Relative), Ct)))
        {
            var families = list.RootElement.GetProperty("families");
            Assert.Equal(1, families.GetArrayLength());
            Assert.Equal(EligibleFamily, families[0].GetProperty("reference").GetString());
            Assert.Equal(3, families[0].GetProperty("needsRaised").GetInt32());
        }

        using (var one = JsonDocument.Parse(await dl.GetStringAsync(new Uri($"/api/identification/{EligibleFamily}?framework={Framework}", UriKind.Relative), Ct)))
        {
            Assert.Equal("yes", one.RootElement.GetProperty("eligible").GetString());
            var needs = one.RootElement.GetProperty("needs").EnumerateArray().ToList();
            var attendance = needs.Single(n => n.GetProperty("need").GetString() == "poor_attendance");
            Assert.Equal("Child, aged 11 to 15", attendance.GetProperty("member").GetString());
            Assert.Equal(3, attendance.GetProperty("evidence")[0].GetProperty("events").GetArrayLength());
        }

        Assert.Equal(HttpStatusCode.NotFound, (await dl.GetAsync(new Uri($"/api/identification/F0000404?framework={Framework}", UriKind.Relative), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await dl.GetAsync(new Uri("/api/identification?framework=nope", UriKind.Relative), Ct)).StatusCode);

        using var kw = await _factory.ClientForAsync("kw1");
        Assert.Equal(HttpStatusCode.Forbidden, (await kw.GetAsync(new Uri("/api/identification?framework=" + Framework, UriKind.Relative), Ct)).StatusCode);
        using (var refused = await kw.PostAsJsonAsync(new Uri("/api/identification/runs", UriKind.Relative), new { framework = Framework }, Ct))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        using var openApi = JsonDocument.Parse(await dl.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative), Ct));
        var paths = openApi.RootElement.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/identification", out _) || paths.TryGetProperty("/api/identification/", out _));
        Assert.True(paths.TryGetProperty("/api/identification/{family}", out _));
        Assert.True(paths.TryGetProperty("/api/identification/runs", out _));
    }
}
