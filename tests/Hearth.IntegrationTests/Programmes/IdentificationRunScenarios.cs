using Hearth.Core.Access;
using Hearth.Core.Audit;
using Hearth.Core.CaseWork;
using Hearth.Core.Data;
using Hearth.Core.Programmes;
using Hearth.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Hearth.IntegrationTests.Programmes;

/// <summary>
/// Stored identification runs on SQLite and PostgreSQL: a run is written a batch at a time with its counts and
/// per-family results, the list pages and filters them and joins case work and attachments, a later run becomes
/// the latest, a refused run stores nothing, and attaching from identification refuses a family already attached.
/// </summary>
public abstract class IdentificationRunScenarios : StoreScenarios
{
    private static readonly DateOnly AsOf = new(2024, 1, 1);
    private static readonly Actor Lead = new("u-lead", "lead", new HashSet<HearthRole> { HearthRole.DataLead });
    private static readonly Actor Manager = new("u-manager", "manager", new HashSet<HearthRole> { HearthRole.TeamManager }, "north");
    private static readonly Actor KeyWorker = new("u-kw", "keyworker", new HashSet<HearthRole> { HearthRole.KeyWorker }, "north");
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2024, 1, 2, 9, 30, 0, TimeSpan.Zero));

    private IdentificationRuns Runs() => new(Factory, new AuditTrail(Clock), Clock);

    private static Framework Load() => FrameworkLoader.Load(AsbTestStore.FrameworkYaml(version: "7"), "test.yaml");

    /// <summary>Families F1..F5 of one adult each; F1, F3 and F5 have an ASB incident in 2023 (within 12 months of 1 January 2024), F2 and F4 none.</summary>
    private async Task SeedAsync()
    {
        await using var db = Factory.Create();
        var (dataset, run) = await AsbTestStore.EnsurePoliceAsbAsync(db, Ct);
        for (var i = 1; i <= 5; i++)
        {
            var (record, _) = await AsbTestStore.AddOneAdultFamilyAsync(db, dataset, run, "F" + i, "P" + i, i + 1, "R" + i, new DateOnly(1980, 1, i), Ct);
            if (i % 2 == 1)
            {
                db.Events.Add(AsbTestStore.Incident(record, 100 + i, new DateOnly(2023, 6, i)));
            }

            await db.SaveChangesAsync(Ct);
        }
    }

    [Fact]
    public async Task Run_InBatches_StoresTheRunAndEveryFamilysResult()
    {
        await SeedAsync();
        var batches = 0;
        var (run, summary) = await Runs().RunAsync(Lead, Load(), AsOf, _ => batches++, batchSize: 2, ct: Ct);

        // 5 families in batches of 2: 2 + 2 + 1.
        Assert.Equal(3, batches);
        Assert.Equal(5, summary.Families);
        Assert.Equal((5L, 3L, 2L, 0L), (run.Families, run.Eligible, run.NotEligible, run.Unknown));
        await using var db = Factory.Create();
        var stored = await db.IdentificationRuns.SingleAsync(Ct);
        Assert.Equal(("test-asb", "7", AsOf, "u-lead"), (stored.FrameworkId, stored.FrameworkVersion, stored.AsOf, stored.RunBy));
        Assert.Equal(Load().ContentHash, stored.FrameworkHash);
        Assert.Equal(Clock.GetUtcNow().UtcDateTime, stored.CompletedUtc);
        var rows = await (from r in db.IdentificationRunFamilies join f in db.Families on r.FamilyId equals f.Id orderby f.Reference select new { f.Reference, r }).ToListAsync(Ct);
        Assert.Equal(["F1", "F2", "F3", "F4", "F5"], rows.Select(x => x.Reference));
        Assert.Equal(["yes", "no", "yes", "no", "yes"], rows.Select(x => x.r.Eligible));
        Assert.Equal(",crime,", rows[0].r.Headlines);
        Assert.Equal((1, 1), (rows[0].r.NeedsRaised, rows[0].r.HeadlinesRaised));
        Assert.Equal("eligible: 1 needs raised in 1 headlines (crime)", rows[0].r.Reason);
        Assert.Equal(",", rows[1].r.Headlines);
        Assert.Equal("0 of 1 criteria met; needs_raised not met (is 0, needs >= 1)", rows[1].r.Reason);
        var audit = await db.AuditEntries.SingleAsync(a => a.Action == "identification.run", Ct);
        Assert.Equal("test-asb as of 2024-01-01: 5 families stored, 3 eligible, 0 unknown", audit.Detail);
    }

    [Fact]
    public async Task List_PagesFiltersAndJoinsCaseWorkAndAttachments()
    {
        await SeedAsync();
        var framework = Load();
        Assert.Null(await Runs().ListAsync(Manager, framework, new IdentificationFilter(), 1, ct: Ct));
        await Runs().RunAsync(Lead, framework, AsOf, ct: Ct);
        await using (var db = Factory.Create())
        {
            var f3 = await db.Families.SingleAsync(f => f.Reference == "F3", Ct);
            db.Cases.Add(new FamilyCase { FamilyId = f3.Id, Status = CaseStatus.Allocated, TeamId = "north", KeyWorkerId = "u-kw", CreatedUtc = Clock.GetUtcNow().UtcDateTime, Version = Guid.NewGuid() });
            await db.SaveChangesAsync(Ct);
        }

        await new ProgrammeClaimsService(Factory, new AuditTrail(Clock), Clock).AttachIdentifiedAsync(Manager, framework, "F5", AsOf, "north", Ct);

        var page1 = await Runs().ListAsync(Manager, framework, new IdentificationFilter(), 1, 2, Ct);
        Assert.NotNull(page1);
        Assert.Equal((3, 2), (page1.Total, page1.Pages));
        Assert.Equal(["F1", "F3"], page1.Families.Select(f => f.Reference));
        Assert.Equal(("north", "u-kw", CaseStatus.Allocated), (page1.Families[1].TeamId, page1.Families[1].KeyWorkerId, page1.Families[1].CaseStatus));
        var page2 = await Runs().ListAsync(Manager, framework, new IdentificationFilter(), 2, 2, Ct);
        Assert.Equal(["F5"], page2!.Families.Select(f => f.Reference));
        Assert.Equal(AsOf, page2.Families[0].AttachedOn);

        Assert.Equal(2, (await Runs().ListAsync(Manager, framework, new IdentificationFilter(UnallocatedOnly: true), 1, ct: Ct))!.Total);
        Assert.Equal(3, (await Runs().ListAsync(Manager, framework, new IdentificationFilter("crime"), 1, ct: Ct))!.Total);
        Assert.Equal(0, (await Runs().ListAsync(Manager, framework, new IdentificationFilter("cri"), 1, ct: Ct))!.Total);
        Assert.Equal(["F2", "F4"], (await Runs().ListAsync(Manager, framework, new IdentificationFilter(Eligible: "no"), 1, ct: Ct))!.Families.Select(f => f.Reference));

        // Attaching F5 again is refused with the reason; the attachment recorded the team manager.
        var refused = await Assert.ThrowsAsync<ClaimRefusedException>(() =>
            new ProgrammeClaimsService(Factory, new AuditTrail(Clock), Clock).AttachIdentifiedAsync(Lead, framework, "F5", AsOf.AddDays(3), null, Ct));
        Assert.Equal("OneAttachmentPerScheme", refused.Broken.Single().Rule);
        await using var check = Factory.Create();
        var attachment = await check.ProgrammeAttachments.SingleAsync(Ct);
        Assert.Equal(("u-manager", "north", 1), (attachment.CreatedBy, attachment.Cohort, attachment.BaselineNeeds));
    }

    [Fact]
    public async Task LatestRun_IsTheLastCompletedOne()
    {
        await SeedAsync();
        var framework = Load();
        var first = (await Runs().RunAsync(Lead, framework, AsOf, ct: Ct)).Run;
        // A year later the 2023 incidents are outside the 12 months: nobody is eligible.
        var second = (await Runs().RunAsync(Manager, framework, AsOf.AddYears(1), ct: Ct)).Run;
        Assert.True(second.Id > first.Id);
        var latest = await Runs().LatestRunAsync(Lead, framework.Id, Ct);
        Assert.Equal((second.Id, AsOf.AddYears(1), 0L), (latest!.Id, latest.AsOf, latest.Eligible));
        Assert.Equal(0, (await Runs().ListAsync(Lead, framework, new IdentificationFilter(), 1, ct: Ct))!.Total);
    }

    [Fact]
    public async Task Run_KeyWorker_RefusedStoresNothingAndIsAudited()
    {
        await SeedAsync();
        await Assert.ThrowsAsync<ProgrammeAccessDeniedException>(() => Runs().RunAsync(KeyWorker, Load(), AsOf, ct: Ct));
        await Assert.ThrowsAsync<ProgrammeAccessDeniedException>(() => Runs().ListAsync(KeyWorker, Load(), new IdentificationFilter(), 1, ct: Ct));
        await using var db = Factory.Create();
        Assert.Equal(0, await db.IdentificationRuns.CountAsync(Ct));
        Assert.Equal(0, await db.IdentificationRunFamilies.CountAsync(Ct));
        Assert.Equal(2, await db.AuditEntries.CountAsync(a => a.ActorId == "u-kw" && a.Outcome == AuditOutcomes.Denied, Ct));
    }
}

public sealed class SqliteIdentificationRunTests : IdentificationRunScenarios
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "hearth-idruns-" + Guid.NewGuid().ToString("N")[..10] + ".db");

    protected override Task<HearthDatabaseOptions> CreateDatabaseAsync() => Task.FromResult(HearthDatabaseOptions.Sqlite(_path));

    public override ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(_path);
        return base.DisposeAsync();
    }
}

public sealed class PostgresIdentificationRunTests(PostgresServer server) : IdentificationRunScenarios
{
    protected override async Task<HearthDatabaseOptions> CreateDatabaseAsync() => HearthDatabaseOptions.Postgres(await server.CreateDatabaseAsync());
}
