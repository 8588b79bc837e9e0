using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hearth.Core.Access;
using Hearth.Core.Data;
using Hearth.Core.Programmes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Hearth.IntegrationTests.Web;

/// <summary>
/// The claim pages and API on a seeded store (<see cref="ClaimsStoreSeed"/>): a data lead builds a batch through
/// the form, an auditor signs off or rejects, a data lead moves claims on; roles, reasons, antiforgery and the
/// audit log are checked. The app's clock is 15 February 2024, inside the window used.
/// </summary>
public sealed class ClaimsPagesTests : IAsyncLifetime
{
    private static readonly string[] Families = ["F9000001", "F9000002", "F9000003"];

    private readonly HearthWebFactory _factory;

    public ClaimsPagesTests()
    {
        _factory = new HearthWebFactory { Clock = new FakeTimeProvider(new DateTimeOffset(2024, 2, 15, 12, 0, 0, TimeSpan.Zero)) };
        _factory.Settings["Hearth:Claims:Frameworks"] = ClaimsStoreSeed.WriteFramework(Path.Combine(Path.GetTempPath(), "hearth-claims-" + Guid.NewGuid().ToString("N")));
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _factory.CreateClient().Dispose();
        await ClaimsStoreSeed.SeedAsync(_factory.Services.GetRequiredService<HearthDbFactory>(), _factory.Clock!, Families, Ct);
    }

    public async ValueTask DisposeAsync()
    {
        var folder = Path.GetDirectoryName(_factory.Settings["Hearth:Claims:Frameworks"])!;
        await _factory.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }

    private static Dictionary<string, string> BatchForm(string window = "2023-24-q4") => new()
    {
        ["Framework"] = "test-asb",
        ["WindowId"] = window,
        ["WindowStart.Day"] = "1", ["WindowStart.Month"] = "1", ["WindowStart.Year"] = "2024",
        ["WindowEnd.Day"] = "31", ["WindowEnd.Month"] = "3", ["WindowEnd.Year"] = "2024",
        ["ClaimDate.Day"] = "31", ["ClaimDate.Month"] = "1", ["ClaimDate.Year"] = "2024",
        ["Allocation"] = "2",
        ["SampleRate"] = "100",
        ["Seed"] = "7",
    };

    /// <summary>A data lead builds the batch through the form; returns the data lead's client and the claim references.</summary>
    private async Task<(HttpClient Lead, IReadOnlyList<string> Claims)> BuildAsync()
    {
        var lead = await _factory.SignInAsync(HearthRole.DataLead);
        using var response = await HearthWebFactory.PostFormAsync(lead, "/claims/new-batch", BatchForm());
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/claims?window=2023-24-q4", response.Headers.Location!.OriginalString);
        await using var db = _factory.Services.GetRequiredService<HearthDbFactory>().Create();
        return (lead, await db.ProgrammeClaims.OrderBy(c => c.Reference).Select(c => c.Reference).ToListAsync(Ct));
    }

    private static string Url(string reference) => "/claims/" + reference;

    private static async Task<(HttpStatusCode Status, string Html)> GetAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(new Uri(url, UriKind.Relative), Ct);
        return (response.StatusCode, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Ct)));
    }

    private static async Task<(HttpStatusCode Status, string Html, string? Location)> MoveAsync(HttpClient client, string reference, string to, string? reason = null)
    {
        var fields = new Dictionary<string, string> { ["To"] = to };
        if (reason is not null)
        {
            fields["Reason"] = reason;
        }

        using var response = await HearthWebFactory.PostFormAsync(client, Url(reference), fields);
        return (response.StatusCode, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Ct)), response.Headers.Location?.OriginalString);
    }

    private async Task<ClaimStatus> StatusAsync(string reference)
    {
        await using var db = _factory.Services.GetRequiredService<HearthDbFactory>().Create();
        return await db.ProgrammeClaims.Where(c => c.Reference == reference).Select(c => c.Status).SingleAsync(Ct);
    }

    [Fact]
    public async Task NewBatch_DataLeadPostsForm_DraftsClaimsAndListsThemWithTotalInPounds()
    {
        var (lead, claims) = await BuildAsync();

        // Three families, one £800 result each: 3 × £800 = £2,400; a 100% random sample draws all three.
        Assert.Equal(3, claims.Count);
        var (status, html) = await GetAsync(lead, "/claims?window=2023-24-q4");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Batch test-asb/2023-24-q4 built: 3 families assessed, 3 claims drafted (£2,400.00), 3 sampled for audit.", html, StringComparison.Ordinal);
        Assert.Contains("3 claims, £2,400.00 in total", html, StringComparison.Ordinal);
        Assert.Contains(claims[0], html, StringComparison.Ordinal);

        // Filters: none is ready yet; all three are sampled.
        Assert.Contains("0 claims, £0.00 in total", (await GetAsync(lead, "/claims?status=Ready")).Html, StringComparison.Ordinal);
        Assert.Contains("0 claims, £0.00 in total", (await GetAsync(lead, "/claims?sampled=no")).Html, StringComparison.Ordinal);
        Assert.Contains("3 claims, £2,400.00 in total", (await GetAsync(lead, "/claims?sampled=yes")).Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NewBatch_InvalidFields_ShowErrorSummaryAndKeepInput()
    {
        var lead = await _factory.SignInAsync(HearthRole.DataLead);
        var form = BatchForm();
        form["Framework"] = "";
        form["WindowEnd.Month"] = "13";
        form["ClaimDate.Year"] = "2023";
        form["Allocation"] = "lots";
        form["SampleRate"] = "150";
        using var response = await HearthWebFactory.PostFormAsync(lead, "/claims/new-batch", form);
        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("There is a problem", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#Framework\">Select the framework the claims are made under.</a>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#WindowEnd\">The last day of the window must be a real date, for example 31 3 2025.</a>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#Allocation\">", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#SampleRate\">", html, StringComparison.Ordinal);
        Assert.Contains("value=\"lots\"", html, StringComparison.Ordinal);
        await using var db = _factory.Services.GetRequiredService<HearthDbFactory>().Create();
        Assert.Equal(0, await db.ProgrammeClaimBatches.CountAsync(Ct));
    }

    [Fact]
    public async Task NewBatch_SameWindowAgain_RefusedWithClearMessage_AndLaterWindowClaimsNothingTwice()
    {
        var (lead, claims) = await BuildAsync();
        using var again = await HearthWebFactory.PostFormAsync(lead, "/claims/new-batch", BatchForm());
        var html = await again.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Contains("A batch for window 2023-24-q4 under test-asb already exists", html, StringComparison.Ordinal);

        var next = BatchForm("2023-24-q4b");
        using var second = await HearthWebFactory.PostFormAsync(lead, "/claims/new-batch", next);
        Assert.Equal(HttpStatusCode.Redirect, second.StatusCode);
        var list = (await GetAsync(lead, "/claims?window=2023-24-q4b")).Html;
        Assert.Contains("0 claims drafted", list, StringComparison.Ordinal);
        Assert.Contains("3 results were already claimed in an earlier batch and were not claimed again.", list, StringComparison.Ordinal);
        await using var db = _factory.Services.GetRequiredService<HearthDbFactory>().Create();
        Assert.Equal(claims.Count, await db.ProgrammeClaims.CountAsync(Ct));
    }

    [Fact]
    public async Task Auditor_CannotBuildBatches_OrDraftDiscretionaryClaims()
    {
        var auditor = await _factory.SignInAsync(HearthRole.Auditor);
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync(auditor, "/claims/new-batch")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync(auditor, "/claims/discretionary")).Status);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(auditor, "/claims")).Status);
        // A POST from the auditor, with a valid antiforgery token from a page they may open (the sign-out form), is refused too.
        var auditorToken = HearthWebFactory.AntiforgeryToken((await GetAsync(auditor, "/claims")).Html);
        var fields = BatchForm();
        fields["__RequestVerificationToken"] = auditorToken;
        using var content = new FormUrlEncodedContent(fields);
        using var post = await auditor.PostAsync(new Uri("/claims/new-batch", UriKind.Relative), content, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        await using var db = _factory.Services.GetRequiredService<HearthDbFactory>().Create();
        Assert.Equal(0, await db.ProgrammeClaimBatches.CountAsync(Ct));
    }

    [Fact]
    public async Task Auditor_ReadsEvidence_SignsOff_AndRejectsOnlyWithReason()
    {
        var (lead, claims) = await BuildAsync();
        foreach (var c in claims.Take(2))
        {
            var ready = await MoveAsync(lead, c, "Ready");
            Assert.Equal(HttpStatusCode.Redirect, ready.Status);
        }

        var auditor = await _factory.SignInAsync(HearthRole.Auditor);
        var (status, page) = await GetAsync(auditor, Url(claims[0]));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Ready for audit", page, StringComparison.Ordinal);
        Assert.Contains("Sampled for audit: random", page, StringComparison.Ordinal);
        Assert.Contains("ASB stopped", page, StringComparison.Ordinal);
        Assert.Contains("1 June 2023", page, StringComparison.Ordinal); // attachment (baseline) date
        Assert.Contains("asb 1 February 2023 (incident)", page, StringComparison.Ordinal); // the incident that raised the need
        Assert.Contains("1 November 2023 to 31 January 2024 (in last 3 months)", page, StringComparison.Ordinal); // the success window, none in it
        Assert.Contains(">Sign off</button>", page, StringComparison.Ordinal);
        Assert.Contains(">Reject</button>", page, StringComparison.Ordinal);
        Assert.DoesNotContain(">Submit</button>", page, StringComparison.Ordinal);

        var signed = await MoveAsync(auditor, claims[0], "SignedOff");
        Assert.Equal(HttpStatusCode.Redirect, signed.Status);
        Assert.Equal(ClaimStatus.SignedOff, await StatusAsync(claims[0]));
        var history = (await GetAsync(auditor, Url(claims[0]))).Html;
        Assert.Contains("Ready for audit → Signed off", history, StringComparison.Ordinal);
        Assert.Contains("The claim is now signed off.", history, StringComparison.Ordinal);

        var noReason = await MoveAsync(auditor, claims[1], "Rejected", "   ");
        Assert.Equal(HttpStatusCode.OK, noReason.Status);
        Assert.Contains("There is a problem", noReason.Html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#Reason\">Enter why the claim is being rejected.</a>", noReason.Html, StringComparison.Ordinal);
        Assert.Equal(ClaimStatus.Ready, await StatusAsync(claims[1]));

        var rejected = await MoveAsync(auditor, claims[1], "Rejected", "school record shows a further incident");
        Assert.Equal(HttpStatusCode.Redirect, rejected.Status);
        Assert.Equal(ClaimStatus.Rejected, await StatusAsync(claims[1]));
        Assert.Contains("school record shows a further incident", (await GetAsync(auditor, Url(claims[1]))).Html, StringComparison.Ordinal);

        // The auditor may not submit what they signed off.
        var submit = await MoveAsync(auditor, claims[0], "Submitted");
        Assert.Equal(HttpStatusCode.Forbidden, submit.Status);
        Assert.Contains("RoleMayAct", submit.Html, StringComparison.Ordinal);
        Assert.Equal(ClaimStatus.SignedOff, await StatusAsync(claims[0]));
    }

    [Fact]
    public async Task DataLead_SubmitsPaysAndClawsBackWithReason_AllocationCapsSubmission()
    {
        var (lead, claims) = await BuildAsync();
        var auditor = await _factory.SignInAsync(HearthRole.Auditor);
        foreach (var c in claims)
        {
            Assert.Equal(HttpStatusCode.Redirect, (await MoveAsync(lead, c, "Ready")).Status);
            Assert.Equal(HttpStatusCode.Redirect, (await MoveAsync(auditor, c, "SignedOff")).Status);
        }

        // A data lead cannot sign off.
        Assert.DoesNotContain(">Sign off</button>", (await GetAsync(lead, Url(claims[0]))).Html, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Redirect, (await MoveAsync(lead, claims[0], "Submitted")).Status);
        Assert.Equal(HttpStatusCode.Redirect, (await MoveAsync(lead, claims[1], "Submitted")).Status);

        // The allocation is 2 families: a third family's claim is refused on submission.
        var third = await MoveAsync(lead, claims[2], "Submitted");
        Assert.Equal(HttpStatusCode.OK, third.Status);
        Assert.Contains("AllocationCap", third.Html, StringComparison.Ordinal);
        Assert.Contains("already has 2 of its 2 allocated families claimed", third.Html, StringComparison.Ordinal);
        Assert.Equal(ClaimStatus.SignedOff, await StatusAsync(claims[2]));

        Assert.Equal(HttpStatusCode.Redirect, (await MoveAsync(lead, claims[0], "Paid")).Status);
        var noReason = await MoveAsync(lead, claims[0], "ClawedBack", "");
        Assert.Contains("<a href=\"#Reason\">Enter why the claim is being clawed back.</a>", noReason.Html, StringComparison.Ordinal);
        Assert.Equal(ClaimStatus.Paid, await StatusAsync(claims[0]));
        Assert.Equal(HttpStatusCode.Redirect, (await MoveAsync(lead, claims[0], "ClawedBack", "further incident reported after payment")).Status);
        Assert.Equal(ClaimStatus.ClawedBack, await StatusAsync(claims[0]));

        // The national return counts claims by status and has no person or family references.
        var (status, csv) = await GetAsync(lead, "/claims/download?framework=test-asb&window=2023-24-q4&format=return");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("window,framework,version,families_attached,families_with_successful_outcome,result,claimed,submitted,paid,clawed_back,discretionary,paid_pence", csv.Split('\n')[0]);
        // 3 claimed; submitted counts submitted + paid + clawed back = 2; none paid now; 1 clawed back.
        Assert.Equal("2023-24-q4,test-asb,1,3,1,asb_result,3,2,0,1,0,0", csv.Split('\n')[1]);
        Assert.DoesNotContain("F900", csv, StringComparison.Ordinal);
        Assert.DoesNotContain("P900", csv, StringComparison.Ordinal);

        var pack = await GetAsync(lead, "/claims/download?framework=test-asb&window=2023-24-q4&format=html");
        Assert.Contains("<h1>Claim pack 2023-24-q4</h1>", pack.Html, StringComparison.Ordinal);
        var packCsv = await GetAsync(lead, "/claims/download?framework=test-asb&window=2023-24-q4&format=csv");
        Assert.Contains(claims[2], packCsv.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClaimMove_WithoutAntiforgeryToken_IsRejected()
    {
        var (lead, claims) = await BuildAsync();
        using var content = new FormUrlEncodedContent(new Dictionary<string, string> { ["To"] = "Ready" });
        using var response = await lead.PostAsync(new Uri(Url(claims[0]), UriKind.Relative), content, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(ClaimStatus.Draft, await StatusAsync(claims[0]));
    }

    [Fact]
    public async Task ClaimActions_AreAuditedWithReferencesOnly()
    {
        var (lead, claims) = await BuildAsync();
        await MoveAsync(lead, claims[0], "Ready");
        var auditor = await _factory.SignInAsync(HearthRole.Auditor);
        await MoveAsync(auditor, claims[0], "Rejected", "a note naming nobody");
        await GetAsync(auditor, Url(claims[0]));

        await using var db = _factory.Services.GetRequiredService<HearthDbFactory>().Create();
        var entries = await db.AuditEntries.Where(a => a.Action.StartsWith("claims.")).ToListAsync(Ct);
        Assert.Contains(entries, e => e.Action == "claims.build" && e.SubjectId == "test-asb/2023-24-q4");
        Assert.Contains(entries, e => e.Action == "claims.move" && e.SubjectId == claims[0] && e.Detail == "Ready → Rejected");
        Assert.Contains(entries, e => e.Action == "claims.view" && e.SubjectId == claims[0]);
        foreach (var e in entries)
        {
            // No person references, dates of birth or free-text reasons in the audit log.
            Assert.DoesNotContain("P900", e.Detail ?? string.Empty, StringComparison.Ordinal);
            Assert.DoesNotContain("P900", e.SubjectId ?? string.Empty, StringComparison.Ordinal);
            Assert.DoesNotContain("1985", e.Detail ?? string.Empty, StringComparison.Ordinal);
            Assert.DoesNotContain("naming nobody", e.Detail ?? string.Empty, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Discretionary_TeamManagerNeedsRationale_ClaimIsAlwaysSampled()
    {
        var (_, claims) = await BuildAsync();
        await using (var db = _factory.Services.GetRequiredService<HearthDbFactory>().Create())
        {
            // Reject one so its result may be claimed again, at the senior officer's discretion.
            await db.ProgrammeClaims.Where(c => c.Reference == claims[0]).ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, ClaimStatus.Rejected), Ct);
        }

        var manager = await _factory.SignInAsync(HearthRole.TeamManager);
        var form = new Dictionary<string, string>
        {
            ["Batch"] = "test-asb/2023-24-q4", ["Family"] = "F9000001", ["Result"] = "asb_result",
            ["ClaimDate.Day"] = "15", ["ClaimDate.Month"] = "2", ["ClaimDate.Year"] = "2024", ["Rationale"] = "too short",
        };
        using (var missing = await HearthWebFactory.PostFormAsync(manager, "/claims/discretionary", form))
        {
            var html = await missing.Content.ReadAsStringAsync(Ct);
            Assert.Contains("<a href=\"#Rationale\">Enter your rationale for paying this result (at least 20 characters).</a>", html, StringComparison.Ordinal);
        }

        // A second live claim for a result already claimed is refused with a clear message.
        form["Family"] = "F9000002";
        form["Rationale"] = "The family moved out of the area with the need met; the police confirm no incidents.";
        using (var twice = await HearthWebFactory.PostFormAsync(manager, "/claims/discretionary", form))
        {
            Assert.Contains("Family F9000002 already has a live claim for asb_result under this scheme, so it cannot be claimed again.", await twice.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        form["Family"] = "F9000001";
        using var ok = await HearthWebFactory.PostFormAsync(manager, "/claims/discretionary", form);
        Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
        await using var check = _factory.Services.GetRequiredService<HearthDbFactory>().Create();
        var claim = await check.ProgrammeClaims.SingleAsync(c => c.Discretionary, Ct);
        Assert.Equal("discretionary (always sampled)", claim.SampledBecause);
        Assert.Equal(ClaimStatus.Draft, claim.Status);
    }

    [Fact]
    public async Task Api_ListGetAndTransitions_FollowTheSameRules()
    {
        var (lead, claims) = await BuildAsync();
        var auditor = await _factory.SignInAsync(HearthRole.Auditor);
        var list = await auditor.GetFromJsonAsync<JsonElement>(new Uri("/api/claims?window=2023-24-q4&sampled=true", UriKind.Relative), Ct);
        Assert.Equal(3, list.GetArrayLength());
        Assert.Equal(80_000, list[0].GetProperty("amountPence").GetInt64());

        var one = await auditor.GetFromJsonAsync<JsonElement>(new Uri("/api/claims/" + claims[0], UriKind.Relative), Ct);
        Assert.Equal("2023-06-01", one.GetProperty("evidence").GetProperty("attachmentDate").GetString());
        Assert.Equal("Draft", one.GetProperty("claim").GetProperty("status").GetString());
        Assert.Equal(0, one.GetProperty("allowedMoves").GetArrayLength());

        using (var early = await auditor.PostAsJsonAsync(new Uri("/api/claims/transitions/" + claims[0], UriKind.Relative), new { to = "SignedOff" }, Ct))
        {
            Assert.Equal(HttpStatusCode.Conflict, early.StatusCode); // a draft cannot be signed off
        }

        using (var ready = await lead.PostAsJsonAsync(new Uri("/api/claims/transitions/" + claims[0], UriKind.Relative), new { to = "Ready" }, Ct))
        {
            Assert.Equal(HttpStatusCode.NoContent, ready.StatusCode);
        }

        using (var noReason = await auditor.PostAsJsonAsync(new Uri("/api/claims/transitions/" + claims[0], UriKind.Relative), new { to = "Rejected" }, Ct))
        {
            Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        }

        using (var leadSigns = await lead.PostAsJsonAsync(new Uri("/api/claims/transitions/" + claims[0], UriKind.Relative), new { to = "SignedOff" }, Ct))
        {
            Assert.Equal(HttpStatusCode.Forbidden, leadSigns.StatusCode);
        }

        using (var signed = await auditor.PostAsJsonAsync(new Uri("/api/claims/transitions/" + claims[0], UriKind.Relative), new { to = "SignedOff" }, Ct))
        {
            Assert.Equal(HttpStatusCode.NoContent, signed.StatusCode);
        }

        Assert.Equal(ClaimStatus.SignedOff, await StatusAsync(claims[0]));
        using (var missing = await auditor.GetAsync(new Uri("/api/claims/2023-24-q4/F0000000/none/1", UriKind.Relative), Ct))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }

        var keyWorker = await _factory.SignInAsync(HearthRole.KeyWorker);
        using (var denied = await keyWorker.GetAsync(new Uri("/api/claims", UriKind.Relative), Ct))
        {
            Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        }

        var openApi = await auditor.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative), Ct);
        Assert.Contains("\"/api/claims\"", openApi, StringComparison.Ordinal);
        Assert.Contains("/api/claims/transitions/", openApi, StringComparison.Ordinal);
    }
}
