using Hearth.Core.Access;
using Hearth.Core.Audit;
using Hearth.Core.CaseWork;
using Hearth.Core.Data;
using Hearth.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using static Hearth.IntegrationTests.CaseWork.CaseWorkTestData;

namespace Hearth.IntegrationTests.CaseWork;

/// <summary>Case work on a real database; each subclass supplies a fresh, migrated SQLite or PostgreSQL store.</summary>
public abstract class CaseWorkScenarios : IAsyncLifetime
{
    private HearthDbFactory? _factory;
    private readonly List<HearthDb> _contexts = [];

    protected FakeTimeProvider Time { get; } = new(Now);

    protected abstract Task<HearthDatabaseOptions> CreateDatabaseAsync();

    public async ValueTask InitializeAsync()
    {
        _factory = new HearthDbFactory(await CreateDatabaseAsync());
        await _factory.MigrateAsync(TestContext.Current.CancellationToken);
        await using var db = _factory.Create();
        await SeedAsync(db, TestContext.Current.CancellationToken);
        await SeedUsersAsync(db, TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var db in _contexts)
        {
            await db.DisposeAsync();
        }

        if (_factory?.Options.Provider == DatabaseProvider.Sqlite)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { string.Empty, "-wal", "-shm" })
            {
                File.Delete(_factory.Options.Target + suffix);
            }
        }

        GC.SuppressFinalize(this);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A service on its own context, as each web request has.</summary>
    private CaseWorkService Service()
    {
        var db = _factory!.Create();
        _contexts.Add(db);
        return new CaseWorkService(db, new AuditTrail(Time), new StoreUserDirectory(db), Time);
    }

    private async Task<T> QueryAsync<T>(Func<HearthDb, Task<T>> query)
    {
        await using var db = _factory!.Create();
        return await query(db);
    }

    /// <summary>tm1 allocates F9000001 to kw1; kw1 adds pp1 (school) and pp2 (police) to the team around the family.</summary>
    private async Task AllocateWithTeamAsync()
    {
        await Service().AllocateAsync(ActorFor("tm1"), FamilyRef, "kw1", null, Ct);
        await Service().AddTeamMemberAsync(ActorFor("kw1"), FamilyRef, "pp1", "Family liaison", Ct);
        await Service().AddTeamMemberAsync(ActorFor("kw1"), FamilyRef, "pp2", "Neighbourhood officer", Ct);
    }

    private static ConsentInput Consent(string person, ConsentGiver giver, params string[] agencies) =>
        new(person, giver, giver == ConsentGiver.ParentOrCarer ? Mother : null, new DateOnly(2024, 4, 30), agencies);

    [Fact]
    public async Task Journey_AllocateConsentPlanPartnerUpdateClose_RecordsEachStepAndAuditsWithoutPersonalData()
    {
        var kw = ActorFor("kw1");
        await AllocateWithTeamAsync();
        Assert.Equal(CaseStatus.Allocated, (await Service().GetFamilyAsync(kw, FamilyRef, ct: Ct)).Case!.Status);

        await Service().RecordConsentAsync(kw, FamilyRef, Consent(Mother, ConsentGiver.Self, "council", "school"), Ct);
        await Service().RecordConsentAsync(kw, FamilyRef, Consent(Child, ConsentGiver.ParentOrCarer, "council", "school"), Ct);
        var plan = await Service().CreatePlanAsync(kw, FamilyRef, new DateOnly(2024, 7, 1), Ct);
        var need = await Service().AddNeedAsync(kw, FamilyRef, plan.Version, "education", "Sam misses school", Ct);
        var version = (await Service().GetFamilyAsync(kw, FamilyRef, ct: Ct)).Plan!.Version;
        var goal = await Service().AddGoalAsync(kw, FamilyRef, version, need.Id, "Attend 95% of sessions", new DateOnly(2024, 7, 20), Ct);
        version = (await Service().GetFamilyAsync(kw, FamilyRef, ct: Ct)).Plan!.Version;
        var action = await Service().AddActionAsync(kw, FamilyRef, version, goal.Id, "Weekly check-in with school", "pp1", new DateOnly(2024, 5, 10), Ct);
        Assert.Equal("school", action.AgencyId);

        var partner = ActorFor("pp1");
        await Service().UpdateActionAsync(partner, FamilyRef, action.Id, action.Version, PlanActionStatus.Done, "Attendance 96% this month", null, Ct);
        var record = await Service().GetFamilyAsync(kw, FamilyRef, ct: Ct);
        Assert.Equal(CaseStatus.Active, record.Case!.Status);
        Assert.Equal(PlanActionStatus.Done, record.Plan!.Needs.Single().Goals.Single().Actions.Single().Action.Status);

        await Service().CloseAsync(kw, FamilyRef, record.Case.Version, ClosureReason.OutcomesAchieved, new DateOnly(2024, 5, 1), null, Ct);
        var closed = await Service().GetFamilyAsync(kw, FamilyRef, ct: Ct);
        Assert.Equal(CaseStatus.Closed, closed.Case!.Status);
        Assert.Equal(ClosureReason.OutcomesAchieved, closed.Case.ClosureReason);
        Assert.False(closed.Access.CanEdit);

        var audit = await QueryAsync(db => db.AuditEntries.OrderBy(a => a.Id).ToListAsync(Ct));
        var actions = audit.Select(a => a.Action).ToList();
        Assert.Contains("case.allocate", actions);
        Assert.Contains("consent.record", actions);
        Assert.Contains("plan.create", actions);
        Assert.Contains("action.update", actions);
        Assert.Contains("case.close", actions);
        Assert.All(audit, a =>
        {
            Assert.Equal("case-work", a.Purpose);
            Assert.Equal("family", a.SubjectType);
            var text = string.Join("|", a.SubjectId, a.Detail, a.ActorName);
            Assert.DoesNotContain("Testmother", text, StringComparison.Ordinal);
            Assert.DoesNotContain("Alice", text, StringComparison.Ordinal);
            Assert.DoesNotContain("1985", text, StringComparison.Ordinal);
            Assert.DoesNotContain("P900000", text, StringComparison.Ordinal);
        });
        Assert.All(audit.Where(a => a.Action != "family.list" && a.Action != "dashboard.view"), a => Assert.Equal(FamilyRef, a.SubjectId));
    }

    [Fact]
    public async Task Partner_SeesOnlyWhatConsentShares_AndWithdrawalTakesEffectOnTheNextRead()
    {
        var kw = ActorFor("kw1");
        await AllocateWithTeamAsync();
        var mother = await Service().RecordConsentAsync(kw, FamilyRef, Consent(Mother, ConsentGiver.Self, "council", "school"), Ct);
        await Service().RecordConsentAsync(kw, FamilyRef, Consent(Teen, ConsentGiver.Self, "police", "school"), Ct);

        var school = await Service().GetFamilyAsync(ActorFor("pp1"), FamilyRef, ct: Ct);
        Assert.Equal(CaseAccessLevel.Partner, school.Access.Level);
        Assert.Equal(MotherName, school.Members.Single(m => m.PersonReference == Mother).Name);
        Assert.Null(school.Members.Single(m => m.PersonReference == Child).Name); // no consent for Sam
        Assert.Equal(TeenName, school.Members.Single(m => m.PersonReference == Teen).Name);
        // Mother: council event (council and school consented) yes, police event no. Teen: school and police events both.
        Assert.Equal(
            ["council:" + Mother, "police:" + Teen, "school:" + Teen],
            school.Timeline.Select(t => t.AgencyId + ":" + t.PersonReference).Order(StringComparer.Ordinal).ToArray());
        Assert.Equal(3, school.HiddenEvents); // mother's police event, and both of Sam's events
        Assert.Null(school.Assessment);

        await Service().WithdrawConsentAsync(kw, FamilyRef, mother.Id, "Mother asked to stop sharing", Ct);

        var after = await Service().GetFamilyAsync(ActorFor("pp1"), FamilyRef, ct: Ct);
        Assert.Null(after.Members.Single(m => m.PersonReference == Mother).Name);
        Assert.DoesNotContain(after.Timeline, t => t.PersonReference == Mother);
        Assert.DoesNotContain(after.Addresses, a => a.PersonReference == Mother);
        var keyWorkerView = await Service().GetFamilyAsync(kw, FamilyRef, ct: Ct);
        Assert.Equal(6, keyWorkerView.Timeline.Count); // the key worker's team still sees all six events
        Assert.NotNull(keyWorkerView.Consents.Single(c => c.PersonReference == Mother).WithdrawnUtc);

        // Pages that do not show the timeline skip reading it; everything else on the record is the same.
        var withoutTimeline = await Service().GetFamilyAsync(kw, FamilyRef, "plan.view", withTimeline: false, ct: Ct);
        Assert.Empty(withoutTimeline.Timeline);
        Assert.Equal(0, withoutTimeline.HiddenEvents);
        Assert.Equal(keyWorkerView.Members.Select(m => m.PersonReference), withoutTimeline.Members.Select(m => m.PersonReference));
        Assert.Equal(keyWorkerView.Addresses.Count, withoutTimeline.Addresses.Count);
        Assert.Equal(keyWorkerView.Consents.Count, withoutTimeline.Consents.Count);
    }

    [Fact]
    public async Task OtherTeamAndRolesWithoutCaseWork_GetNotFound_AndTheRefusalIsAudited()
    {
        await AllocateWithTeamAsync();
        foreach (var id in new[] { "kw3", "tm2", "ad1", "dl1", "au1", "an1" })
        {
            await Assert.ThrowsAsync<CaseNotFoundException>(() => Service().GetFamilyAsync(ActorFor(id), FamilyRef, ct: Ct));
            Assert.Empty(await Service().ListFamiliesAsync(ActorFor(id), FamilyRef, Ct));
        }

        var denied = await QueryAsync(db => db.AuditEntries.Where(a => a.Outcome == AuditOutcomes.Denied && a.Action == "family.view").Select(a => a.ActorId).ToListAsync(Ct));
        Assert.Equal(["ad1", "an1", "au1", "dl1", "kw3", "tm2"], denied.Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public async Task KeyWorker_ListsTheirFamilies_ManagerAlsoSeesUnallocated()
    {
        await AllocateWithTeamAsync();
        await Service().IdentifyAsync(ActorFor("tm2"), OtherFamilyRef, Ct);

        Assert.Equal([FamilyRef], (await Service().ListFamiliesAsync(ActorFor("kw1"), null, Ct)).Select(f => f.Reference).ToArray());
        Assert.Equal([FamilyRef], (await Service().ListFamiliesAsync(ActorFor("kw2"), null, Ct)).Select(f => f.Reference).ToArray());
        Assert.Equal([FamilyRef, OtherFamilyRef], (await Service().ListFamiliesAsync(ActorFor("tm1"), null, Ct)).Select(f => f.Reference).ToArray());
        Assert.Equal([OtherFamilyRef], (await Service().ListFamiliesAsync(ActorFor("tm2"), null, Ct)).Select(f => f.Reference).ToArray());
        Assert.Equal([FamilyRef], (await Service().ListFamiliesAsync(ActorFor("pp1"), null, Ct)).Select(f => f.Reference).ToArray());
        Assert.Equal([FamilyRef], (await Service().ListFamiliesAsync(ActorFor("kw1"), Teen, Ct)).Select(f => f.Reference).ToArray());

        var dashboard = await Service().ManagerDashboardAsync(ActorFor("tm1"), Ct);
        Assert.Equal([OtherFamilyRef], dashboard.Unallocated.Select(u => u.Reference).ToArray());
        Assert.Equal(1, dashboard.Caseloads.Single(c => c.UserId == "kw1").Allocated);
        Assert.Equal(0, dashboard.Caseloads.Single(c => c.UserId == "kw2").Allocated);
    }

    [Fact]
    public async Task Consent_ParentForThirteenPlus_RefusedOnTheGiverField()
    {
        await AllocateWithTeamAsync();
        var error = await Assert.ThrowsAsync<CaseValidationException>(() =>
            Service().RecordConsentAsync(ActorFor("kw1"), FamilyRef, Consent(Teen, ConsentGiver.ParentOrCarer, "school"), Ct));

        Assert.Equal("GivenBy", error.Errors.Single().Field);
        Assert.Contains("Aged 14", error.Errors.Single().Message, StringComparison.Ordinal);
        Assert.Equal(0, await QueryAsync(db => db.MemberConsents.CountAsync(Ct)));
    }

    [Fact]
    public async Task Plan_SecondEditorWithTheOldVersion_GetsAConflictNotALostUpdate()
    {
        var kw = ActorFor("kw1");
        var manager = ActorFor("tm1");
        await AllocateWithTeamAsync();
        var plan = await Service().CreatePlanAsync(kw, FamilyRef, new DateOnly(2024, 7, 1), Ct);

        // Both read the plan at the same version; the key worker saves first.
        var read = plan.Version;
        await Service().AddNeedAsync(kw, FamilyRef, read, "housing", "Rent arrears", Ct);
        await Assert.ThrowsAsync<CaseConflictException>(() => Service().AddNeedAsync(manager, FamilyRef, read, "finance", "Debts", Ct));

        Assert.Equal(["housing"], await QueryAsync(db => db.PlanNeeds.Select(n => n.Theme).ToArrayAsync(Ct)));
    }

    [Fact]
    public async Task Action_SecondEditorWithTheOldVersion_GetsAConflict()
    {
        var kw = ActorFor("kw1");
        await AllocateWithTeamAsync();
        var plan = await Service().CreatePlanAsync(kw, FamilyRef, new DateOnly(2024, 7, 1), Ct);
        var need = await Service().AddNeedAsync(kw, FamilyRef, plan.Version, "education", "School", Ct);
        var v = (await Service().GetFamilyAsync(kw, FamilyRef, ct: Ct)).Plan!.Version;
        var goal = await Service().AddGoalAsync(kw, FamilyRef, v, need.Id, "Attend", null, Ct);
        v = (await Service().GetFamilyAsync(kw, FamilyRef, ct: Ct)).Plan!.Version;
        var action = await Service().AddActionAsync(kw, FamilyRef, v, goal.Id, "Check-in", "pp1", new DateOnly(2024, 5, 20), Ct);

        await Service().UpdateActionAsync(ActorFor("pp1"), FamilyRef, action.Id, action.Version, PlanActionStatus.InProgress, "Started", null, Ct);
        await Assert.ThrowsAsync<CaseConflictException>(() =>
            Service().UpdateActionAsync(kw, FamilyRef, action.Id, action.Version, PlanActionStatus.Cancelled, "No longer needed", null, Ct));

        var stored = await QueryAsync(db => db.PlanActions.SingleAsync(Ct));
        Assert.Equal(PlanActionStatus.InProgress, stored.Status);
        Assert.Equal("Started", stored.ProgressNote);
    }

    [Fact]
    public async Task Action_TwoContextsSavingTheSameRow_TheDatabaseRefusesTheSecond()
    {
        var kw = ActorFor("kw1");
        await AllocateWithTeamAsync();
        var plan = await Service().CreatePlanAsync(kw, FamilyRef, new DateOnly(2024, 7, 1), Ct);

        // Two requests load the plan before either saves: the in-memory check passes for both, the save must not.
        await using var first = _factory!.Create();
        await using var second = _factory.Create();
        var a = await first.Plans.SingleAsync(p => p.Id == plan.Id, Ct);
        var b = await second.Plans.SingleAsync(p => p.Id == plan.Id, Ct);
        a.NextReviewDue = new DateOnly(2024, 8, 1);
        a.Version = Guid.NewGuid();
        await first.SaveChangesAsync(Ct);
        b.NextReviewDue = new DateOnly(2024, 9, 1);
        b.Version = Guid.NewGuid();

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => second.SaveChangesAsync(Ct));
        Assert.Equal(new DateOnly(2024, 8, 1), await QueryAsync(db => db.Plans.Select(p => p.NextReviewDue).SingleAsync(Ct)));
    }

    [Fact]
    public async Task Partner_CannotUpdateSomeoneElsesAction_OrEditThePlan()
    {
        var kw = ActorFor("kw1");
        await AllocateWithTeamAsync();
        var plan = await Service().CreatePlanAsync(kw, FamilyRef, new DateOnly(2024, 7, 1), Ct);
        var need = await Service().AddNeedAsync(kw, FamilyRef, plan.Version, "crime", "Offending", Ct);
        var v = (await Service().GetFamilyAsync(kw, FamilyRef, ct: Ct)).Plan!.Version;
        var goal = await Service().AddGoalAsync(kw, FamilyRef, v, need.Id, "No further offences", null, Ct);
        v = (await Service().GetFamilyAsync(kw, FamilyRef, ct: Ct)).Plan!.Version;
        var police = await Service().AddActionAsync(kw, FamilyRef, v, goal.Id, "Diversion scheme", "pp2", new DateOnly(2024, 6, 1), Ct);

        var school = ActorFor("pp1");
        await Assert.ThrowsAsync<CaseForbiddenException>(() => Service().UpdateActionAsync(school, FamilyRef, police.Id, police.Version, PlanActionStatus.Done, null, null, Ct));
        v = (await Service().GetFamilyAsync(kw, FamilyRef, ct: Ct)).Plan!.Version;
        await Assert.ThrowsAsync<CaseForbiddenException>(() => Service().AddNeedAsync(school, FamilyRef, v, "crime", "x", Ct));

        // Without any consent covering the school, the partner sees no needs or goals, and not the police's action.
        var view = await Service().GetFamilyAsync(school, FamilyRef, ct: Ct);
        Assert.True(view.Plan!.Partial);
        Assert.Empty(view.Plan.Needs);
    }

    [Fact]
    public async Task WorkerDashboard_ShowsDueActionsAndEventsImportedSinceAllocation()
    {
        var kw = ActorFor("kw1");
        await AllocateWithTeamAsync();
        var plan = await Service().CreatePlanAsync(kw, FamilyRef, new DateOnly(2024, 7, 1), Ct);
        var need = await Service().AddNeedAsync(kw, FamilyRef, plan.Version, "finance", "Debt", Ct);
        var v = (await Service().GetFamilyAsync(kw, FamilyRef, ct: Ct)).Plan!.Version;
        var goal = await Service().AddGoalAsync(kw, FamilyRef, v, need.Id, "Budget", null, Ct);
        v = (await Service().GetFamilyAsync(kw, FamilyRef, ct: Ct)).Plan!.Version;
        await Service().AddActionAsync(kw, FamilyRef, v, goal.Id, "Debt advice referral", "kw1", new DateOnly(2024, 4, 28), Ct);

        // A new police dataset imported a day after allocation, with one event about the teenager.
        Time.Advance(TimeSpan.FromDays(1));
        await using (var db = _factory!.Create())
        {
            var when = Time.GetUtcNow().UtcDateTime;
            var d = new Dataset { AgencyId = "police", Kind = "police-2", EventType = "offence", FileName = "p2.csv", Sha256 = new string('a', 64), Status = DatasetStatus.Completed, ImportedBy = "test", StartedUtc = when, CompletedUtc = when };
            db.Datasets.Add(d);
            await db.SaveChangesAsync(Ct);
            var teen = await db.Persons.Where(p => p.Reference == Teen).Select(p => p.Id).SingleAsync(Ct);
            var source = await db.PersonRecords.Where(r => r.PersonId == teen).Join(db.SourceRecords.Where(s => s.AgencyId == "police"), r => r.SourceRecordId, s => s.Id, (r, s) => s.Id).SingleAsync(Ct);
            db.Events.Add(new Offence { AgencyId = "police", SourceRecordId = source, DatasetId = d.Id, RowNumber = 2, StartDate = new DateOnly(2024, 4, 29), OffenceCategory = "theft", Fingerprint = new byte[16] });
            await db.SaveChangesAsync(Ct);
        }

        var dashboard = await Service().WorkerDashboardAsync(kw, Ct);
        Assert.Equal([FamilyRef], dashboard.MyFamilies.Select(f => f.Reference).ToArray());
        var due = Assert.Single(dashboard.ActionsDue);
        Assert.True(due.Overdue);
        var news = Assert.Single(dashboard.NewAgencyEvents);
        Assert.Equal(("police", 1), (news.AgencyId, news.Count));
    }
}

public sealed class SqliteCaseWorkTests : CaseWorkScenarios
{
    protected override Task<HearthDatabaseOptions> CreateDatabaseAsync() =>
        Task.FromResult(HearthDatabaseOptions.Sqlite(Path.Combine(Path.GetTempPath(), "hearth-casework-" + Guid.NewGuid().ToString("N")[..10] + ".db")));
}

public sealed class PostgresCaseWorkTests(PostgresServer server) : CaseWorkScenarios
{
    protected override async Task<HearthDatabaseOptions> CreateDatabaseAsync() =>
        HearthDatabaseOptions.Postgres(await server.CreateDatabaseAsync());
}
