using System.Net;
using Hearth.Core.Data;
using Hearth.Core.Programmes;
using Hearth.IntegrationTests.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Hearth.IntegrationTests.CaseWork.CaseWorkTestData;

namespace Hearth.IntegrationTests.CaseWork;

/// <summary>A family's programme outcomes tab: what it shows once attached and measured, and who may open it.</summary>
public sealed class CaseWorkOutcomesPageTests : IAsyncLifetime
{
    private readonly CaseWorkWebFactory _factory = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await _factory.SeedAsync(Ct);

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    private static Uri Outcomes(string reference) => new($"/families/{reference}/outcomes", UriKind.Relative);

    private async Task AllocateToKeyWorkerAsync()
    {
        using var manager = await _factory.ClientForAsync("tm1");
        var response = await HearthWebFactory.PostFormAsync(manager, $"/families/{FamilyRef}/allocate", new() { ["KeyWorkerId"] = _factory.Id("kw1") });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    [Fact]
    public async Task Outcomes_BeforeAttachment_SaysNotAttached()
    {
        await AllocateToKeyWorkerAsync();
        using var kw = await _factory.ClientForAsync("kw1");

        var html = await kw.GetStringAsync(Outcomes(FamilyRef), Ct);

        Assert.Contains("not attached to a programme framework", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Outcomes_AttachedAndMeasured_ShowsAttachmentAndEveryStoredNeedStatus_AndIsAudited()
    {
        await AllocateToKeyWorkerAsync();
        var framework = FrameworkCatalog.LoadShipped("supporting-families-2022.yaml");
        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            var claims = scope.ServiceProvider.GetRequiredService<ProgrammeClaimsService>();
            Assert.Equal(1, await claims.AttachAsync(_factory.Actor("dl1"), framework, [FamilyRef], new DateOnly(2024, 1, 8), "spring cohort", ct: Ct));
            await claims.MeasureAsync(_factory.Actor("dl1"), framework, new DateOnly(2024, 4, 30), ct: Ct);
        }

        List<string> needs;
        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HearthDb>();
            needs = await (from m in db.ProgrammeNeedMeasurements
                           join a in db.ProgrammeAttachments on m.AttachmentId equals a.Id
                           join f in db.Families on a.FamilyId equals f.Id
                           where f.Reference == FamilyRef
                           select m.NeedId).ToListAsync(Ct);
        }

        using var kw = await _factory.ClientForAsync("kw1");
        var html = await kw.GetStringAsync(Outcomes(FamilyRef), Ct);

        Assert.Contains(framework.Id + " (version " + framework.Version + ")", html, StringComparison.Ordinal);
        Assert.Contains("8 January 2024, cohort spring cohort", html, StringComparison.Ordinal);
        Assert.DoesNotContain("not attached to a programme framework", html, StringComparison.Ordinal);
        if (needs.Count > 0)
        {
            Assert.Contains("As of 30 April 2024", html, StringComparison.Ordinal);
            Assert.All(needs, need => Assert.Contains(">" + need + "<", html, StringComparison.Ordinal));
        }
        else
        {
            Assert.Contains("Not measured yet", html, StringComparison.Ordinal);
        }

        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HearthDb>();
            var views = await db.AuditEntries.Where(e => e.Action == "outcomes.view" && e.SubjectId == FamilyRef && e.ActorId == _factory.Id("kw1")).CountAsync(Ct);
            Assert.Equal(1, views);
        }
    }

    [Fact]
    public async Task Outcomes_OtherTeamGets404_RolesWithoutCaseWorkGet403()
    {
        await AllocateToKeyWorkerAsync();
        foreach (var (user, expected) in new[] { ("kw3", HttpStatusCode.NotFound), ("dl1", HttpStatusCode.Forbidden), ("ad1", HttpStatusCode.Forbidden) })
        {
            using var client = await _factory.ClientForAsync(user);
            var response = await client.GetAsync(Outcomes(FamilyRef), Ct);
            Assert.True(expected == response.StatusCode, $"{user}: expected {expected}, got {response.StatusCode}");
        }
    }
}
