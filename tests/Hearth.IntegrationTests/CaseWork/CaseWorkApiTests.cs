using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hearth.Core.CaseWork;
using Hearth.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Hearth.IntegrationTests.CaseWork.CaseWorkTestData;

namespace Hearth.IntegrationTests.CaseWork;

public sealed class CaseWorkApiTests : IAsyncLifetime
{
    private readonly CaseWorkWebFactory _factory = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await _factory.SeedAsync(Ct);
        await using var scope = _factory.Services.CreateAsyncScope();
        var service = scope.ServiceProvider.GetRequiredService<CaseWorkService>();
        await service.AllocateAsync(_factory.Actor("tm1"), FamilyRef, _factory.Id("kw1"), null, Ct);
    }

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    private async Task<PlanAction> ActionForPartnerAsync()
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        var service = scope.ServiceProvider.GetRequiredService<CaseWorkService>();
        var db = scope.ServiceProvider.GetRequiredService<HearthDb>();
        var kw = _factory.Actor("kw1");
        await service.AddTeamMemberAsync(kw, FamilyRef, _factory.Id("pp1"), "Family liaison", Ct);
        var plan = await service.CreatePlanAsync(kw, FamilyRef, new DateOnly(2024, 7, 1), Ct);
        var need = await service.AddNeedAsync(kw, FamilyRef, plan.Version, "education", "School", Ct);
        var v = await db.Plans.AsNoTracking().Select(p => p.Version).SingleAsync(Ct);
        var goal = await service.AddGoalAsync(kw, FamilyRef, v, need.Id, "Attend", null, Ct);
        v = await db.Plans.AsNoTracking().Select(p => p.Version).SingleAsync(Ct);
        return await service.AddActionAsync(kw, FamilyRef, v, goal.Id, "Check-in", _factory.Id("pp1"), new DateOnly(2024, 5, 20), Ct);
    }

    [Fact]
    public async Task GetFamily_KeyWorkerGetsMembers_OtherTeamGets404_AnonymousGets401()
    {
        using var kw = await _factory.ClientForAsync("kw1");
        using var json = JsonDocument.Parse(await kw.GetStringAsync(new Uri($"/api/families/{FamilyRef}", UriKind.Relative), Ct));
        var members = json.RootElement.GetProperty("members");
        Assert.Equal(3, members.GetArrayLength());
        Assert.Contains(members.EnumerateArray(), m => m.GetProperty("name").GetString() == MotherName);
        Assert.Equal("Full", json.RootElement.GetProperty("access").GetString());

        using var other = await _factory.ClientForAsync("kw3");
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync(new Uri($"/api/families/{FamilyRef}", UriKind.Relative), Ct)).StatusCode);
        using var anonymous = _factory.Web.CreateBrowserClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(new Uri($"/api/families/{FamilyRef}", UriKind.Relative), Ct)).StatusCode);

        await using var scope = _factory.Services.CreateAsyncScope();
        var audit = await scope.ServiceProvider.GetRequiredService<HearthDb>().AuditEntries.Where(a => a.Action == "family.view").OrderBy(a => a.Id).ToListAsync(Ct);
        Assert.Equal([(_factory.Id("kw1"), "allowed"), (_factory.Id("kw3"), "denied")], audit.Select(a => (a.ActorId, a.Outcome)).ToArray());
    }

    [Fact]
    public async Task PatchAction_PartnerUpdatesOwn_StaleVersionGets409()
    {
        var action = await ActionForPartnerAsync();
        using var partner = await _factory.ClientForAsync("pp1");
        var url = new Uri($"/api/families/{FamilyRef}/actions/{action.Id}", UriKind.Relative);

        var ok = await partner.PatchAsJsonAsync(url, new { status = "Done", progressNote = "Finished", version = action.Version }, Ct);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var stale = await partner.PatchAsJsonAsync(url, new { status = "InProgress", version = action.Version }, Ct);
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);

        using var plan = JsonDocument.Parse(await partner.GetStringAsync(new Uri($"/api/families/{FamilyRef}/plan", UriKind.Relative), Ct));
        Assert.True(plan.RootElement.GetProperty("partial").GetBoolean()); // no consent covers the school yet
        var only = plan.RootElement.GetProperty("needs")[0].GetProperty("goals")[0].GetProperty("actions")[0];
        Assert.Equal("Done", only.GetProperty("status").GetString());
    }

    [Fact]
    public async Task PostNote_EmptyText_Is400NamingTheField()
    {
        using var kw = await _factory.ClientForAsync("kw1");
        var response = await kw.PostAsJsonAsync(new Uri($"/api/families/{FamilyRef}/notes", UriKind.Relative), new { text = "", shareWithTeam = false }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal("Enter the note.", json.RootElement.GetProperty("errors").GetProperty("Text")[0].GetString());
    }

    [Fact]
    public async Task Api_RoleWithoutCaseWork_Gets403()
    {
        using var dataLead = await _factory.ClientForAsync("dl1");
        Assert.Equal(HttpStatusCode.Forbidden, (await dataLead.GetAsync(new Uri($"/api/families/{FamilyRef}", UriKind.Relative), Ct)).StatusCode);
    }

    [Fact]
    public async Task OpenApiDocument_AnonymousGets401()
    {
        using var anonymous = _factory.Web.CreateBrowserClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative), Ct)).StatusCode);
    }

    [Fact]
    public async Task OpenApiDocument_DescribesTheCaseWorkEndpoints()
    {
        using var kw = await _factory.ClientForAsync("kw1");
        using var json = JsonDocument.Parse(await kw.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative), Ct));
        var paths = json.RootElement.GetProperty("paths");

        Assert.True(paths.TryGetProperty("/api/families/{reference}", out _));
        Assert.True(paths.GetProperty("/api/families/{reference}/actions/{actionId}").TryGetProperty("patch", out _));
        Assert.True(paths.GetProperty("/api/families/{reference}/notes").TryGetProperty("post", out _));
    }
}
