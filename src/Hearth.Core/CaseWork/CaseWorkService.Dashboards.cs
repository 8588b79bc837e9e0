using System.Globalization;
using Hearth.Core.Access;
using Hearth.Core.Audit;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Core.CaseWork;

public sealed partial class CaseWorkService
{
    /// <summary>How far ahead "actions due" looks.</summary>
    public const int ActionsDueWithinDays = 14;

    /// <summary>How far back "new agency events" looks (by import date, and never before allocation).</summary>
    public const int NewEventsWithinDays = 30;

    /// <summary>
    /// A key worker's families (or a partner practitioner's teams around families), the actions due in the next
    /// two weeks or overdue (theirs, and on their families), and agency events imported since each family was
    /// allocated, in the last 30 days, that they may see.
    /// </summary>
    public async Task<WorkerDashboard> WorkerDashboardAsync(Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var today = Today;
        List<FamilyCase> cases = [];
        if (actor.Is(HearthRole.KeyWorker))
        {
            cases.AddRange(await db.Cases.AsNoTracking().Where(c => c.KeyWorkerId == actor.UserId && c.Status != CaseStatus.Closed).ToListAsync(ct));
        }

        if (actor.Is(HearthRole.PartnerPractitioner) && actor.AgencyId is { } agency)
        {
            var mine = db.TeamMembers.Where(t => t.UserId == actor.UserId && t.AgencyId == agency && t.RemovedUtc == null).Select(t => t.CaseId);
            cases.AddRange(await db.Cases.AsNoTracking().Where(c => mine.Contains(c.Id) && c.Status != CaseStatus.Closed).ToListAsync(ct));
        }

        cases = cases.DistinctBy(c => c.Id).ToList();
        var familyIds = cases.Select(c => c.FamilyId).ToList();
        var references = await db.Families.AsNoTracking().Where(f => familyIds.Contains(f.Id)).ToDictionaryAsync(f => f.Id, f => f.Reference, ct);
        var families = new List<FamilyListItem>();
        var due = new List<DueAction>();
        var news = new List<NewEvents>();
        var horizon = today.AddDays(ActionsDueWithinDays);
        var since = clock.GetUtcNow().UtcDateTime.AddDays(-NewEventsWithinDays);
        var agencyNames = await db.Agencies.AsNoTracking().ToDictionaryAsync(a => a.Id, a => a.Name, StringComparer.Ordinal, ct);

        // One query per kind of fact for all the cases together, not one per case (the dashboard lists every family).
        var caseIds = cases.Select(c => c.Id).ToList();
        var teams = (await db.TeamMembers.AsNoTracking().Where(t => caseIds.Contains(t.CaseId)).ToListAsync(ct)).ToLookup(t => t.CaseId);
        var consents = (await db.MemberConsents.AsNoTracking().Where(k => caseIds.Contains(k.CaseId)).ToListAsync(ct)).ToLookup(k => k.CaseId);
        var memberCounts = await db.FamilyMembers.Where(m => familyIds.Contains(m.FamilyId) && (m.To == null || m.To >= today))
            .GroupBy(m => m.FamilyId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        var planCases = await db.Plans.Where(p => caseIds.Contains(p.CaseId)).Select(p => new { p.Id, p.CaseId }).ToDictionaryAsync(p => p.Id, p => p.CaseId, ct);
        var planIds = planCases.Keys.ToList();
        var openActions = (await db.PlanActions.AsNoTracking()
            .Where(a => planIds.Contains(a.PlanId) && a.DueDate <= horizon && (a.Status == PlanActionStatus.NotStarted || a.Status == PlanActionStatus.InProgress))
            .ToListAsync(ct)).ToLookup(a => planCases[a.PlanId]);
        var recentByFamily = (await (from m in db.FamilyMembers
                                     join r in db.PersonRecords on m.PersonId equals r.PersonId
                                     join e in db.Events on r.SourceRecordId equals e.SourceRecordId
                                     join d in db.Datasets on e.DatasetId equals d.Id
                                     where familyIds.Contains(m.FamilyId) && (d.CompletedUtc ?? d.StartedUtc) >= since
                                     select new { m.FamilyId, EventId = e.Id, r.PersonId, e.AgencyId, e.StartDate, Imported = d.CompletedUtc ?? d.StartedUtc }).ToListAsync(ct))
            .DistinctBy(e => (e.FamilyId, e.EventId)).ToLookup(e => e.FamilyId);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);

        foreach (var c in cases.OrderBy(c => references[c.FamilyId], StringComparer.Ordinal))
        {
            var reference = references[c.FamilyId];
            var access = CaseAccess.Decide(actor, new CaseAccessFacts(reference, c, teams[c.Id].ToList(), consents[c.Id].ToList()));
            if (!access.CanViewRecord)
            {
                continue;
            }

            var workerKey = c.KeyWorkerId ?? string.Empty;
            if (!names.TryGetValue(workerKey, out var workerName))
            {
                workerName = await DisplayNameAsync(c.KeyWorkerId, ct);
                names[workerKey] = workerName;
            }

            families.Add(new FamilyListItem(reference, c.Status, c.TeamId, workerName, memberCounts.GetValueOrDefault(c.FamilyId)));

            foreach (var a in openActions[c.Id].Where(a => access.Level == CaseAccessLevel.Full || string.Equals(a.OwnerUserId, actor.UserId, StringComparison.Ordinal)))
            {
                due.Add(new DueAction(reference, a.Id, a.Description, a.DueDate, a.Status, a.DueDate < today));
            }

            var fromUtc = c.AllocatedUtc is { } allocated && allocated > since ? allocated : since;
            var recent = recentByFamily[c.FamilyId].Where(e => e.Imported >= fromUtc);
            foreach (var g in recent.Where(e => access.CanSeeEvent(e.PersonId, e.AgencyId)).GroupBy(e => e.AgencyId, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                news.Add(new NewEvents(reference, g.Key, agencyNames.GetValueOrDefault(g.Key) ?? g.Key, g.Count(), g.Max(e => e.StartDate)));
            }
        }

        Audit(actor, "dashboard.view", null, string.Create(CultureInfo.InvariantCulture, $"worker dashboard: {families.Count} families"));
        await db.SaveChangesAsync(ct);
        return new WorkerDashboard(families, due.OrderBy(d => d.DueDate).ToList(), news);
    }

    /// <summary>
    /// A team manager's view of their team: caseloads per key worker, families waiting for allocation, plans
    /// whose review is overdue or that have overdue actions, and active families whose every action is done
    /// (ready to close).
    /// </summary>
    public async Task<ManagerDashboard> ManagerDashboardAsync(Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Is(HearthRole.TeamManager) || actor.TeamId is null)
        {
            audit.Record(db, new AuditEvent(actor, "dashboard.view", SubjectType, null, Purpose, AuditOutcomes.Denied, "not a team manager"));
            await db.SaveChangesAsync(ct);
            throw new CaseForbiddenException("The manager dashboard is for team managers.");
        }

        var today = Today;
        var team = actor.TeamId;
        var cases = await db.Cases.AsNoTracking().Where(c => c.TeamId == team && c.Status != CaseStatus.Closed).ToListAsync(ct);
        var caseFamilyIds = cases.Select(c => c.FamilyId).ToList();
        var unallocatedCases = await db.Cases.AsNoTracking().Where(c => c.Status == CaseStatus.Identified && c.TeamId == null).ToListAsync(ct);
        var allIds = caseFamilyIds.Concat(unallocatedCases.Select(c => c.FamilyId)).ToList();
        var references = await db.Families.AsNoTracking().Where(f => allIds.Contains(f.Id)).ToDictionaryAsync(f => f.Id, f => f.Reference, ct);

        var caseloads = new List<Caseload>();
        foreach (var user in (await users.ListAsync(ct)).Where(u => u.Active && u.Roles.Contains(HearthRole.KeyWorker) && string.Equals(u.TeamId, team, StringComparison.Ordinal)))
        {
            caseloads.Add(new Caseload(user.UserId, user.DisplayName,
                cases.Count(c => c.KeyWorkerId == user.UserId && c.Status == CaseStatus.Allocated),
                cases.Count(c => c.KeyWorkerId == user.UserId && c.Status == CaseStatus.Active)));
        }

        var unallocated = unallocatedCases.OrderBy(c => c.CreatedUtc).Select(c => new FamilyListItem(references[c.FamilyId], c.Status, null, null,
            db.FamilyMembers.Count(m => m.FamilyId == c.FamilyId && (m.To == null || m.To >= today)))).ToList();

        var caseIds = cases.Select(c => c.Id).ToList();
        var plans = await db.Plans.AsNoTracking().Where(p => caseIds.Contains(p.CaseId)).ToListAsync(ct);
        var planIds = plans.Select(p => p.Id).ToList();
        var actions = await db.PlanActions.AsNoTracking().Where(a => planIds.Contains(a.PlanId)).ToListAsync(ct);
        var overdue = new List<OverduePlan>();
        var ready = new List<ReadyToClose>();
        foreach (var plan in plans)
        {
            var c = cases.Single(x => x.Id == plan.CaseId);
            var mine = actions.Where(a => a.PlanId == plan.Id).ToList();
            var late = mine.Count(a => a.DueDate < today && a.Status is PlanActionStatus.NotStarted or PlanActionStatus.InProgress);
            var worker = await DisplayNameAsync(c.KeyWorkerId, ct);
            if (plan.NextReviewDue < today || late > 0)
            {
                var why = new List<string>();
                if (plan.NextReviewDue < today)
                {
                    why.Add(string.Format(CultureInfo.InvariantCulture, "review was due {0:d MMMM yyyy}", plan.NextReviewDue));
                }

                if (late > 0)
                {
                    why.Add(string.Format(CultureInfo.InvariantCulture, "{0} action{1} past due", late, late == 1 ? string.Empty : "s"));
                }

                overdue.Add(new OverduePlan(references[c.FamilyId], worker, plan.NextReviewDue, late, string.Join("; ", why)));
            }

            var done = mine.Count(a => a.Status == PlanActionStatus.Done);
            if (c.Status == CaseStatus.Active && done > 0 && mine.All(a => a.Status is PlanActionStatus.Done or PlanActionStatus.Cancelled))
            {
                ready.Add(new ReadyToClose(references[c.FamilyId], worker, done,
                    string.Format(CultureInfo.InvariantCulture, "all {0} actions done or cancelled ({1} done)", mine.Count, done)));
            }
        }

        Audit(actor, "dashboard.view", null, string.Create(CultureInfo.InvariantCulture, $"manager dashboard: {cases.Count} team families, {unallocated.Count} unallocated"));
        await db.SaveChangesAsync(ct);
        return new ManagerDashboard(caseloads.OrderBy(c => c.DisplayName, StringComparer.Ordinal).ToList(), unallocated,
            overdue.OrderBy(o => o.NextReviewDue).ToList(), ready.OrderBy(r => r.FamilyReference, StringComparer.Ordinal).ToList());
    }

    /// <summary>Opens a case for an identified family, waiting for allocation (the identification step or a team manager does this).</summary>
    public async Task<FamilyCase> IdentifyAsync(Actor actor, string familyReference, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        const string Action = "case.identify";
        var family = await db.Families.AsNoTracking().SingleOrDefaultAsync(f => f.Reference == familyReference, ct);
        if (family is null || !actor.Is(HearthRole.TeamManager))
        {
            await DenyAsync(actor, Action, familyReference, family is null ? "no such family" : "only a team manager opens a case", ct);
            throw new CaseNotFoundException();
        }

        if (await db.Cases.AnyAsync(c => c.FamilyId == family.Id && c.Status != CaseStatus.Closed, ct))
        {
            throw new CaseValidationException(string.Empty, "The family already has an open case.");
        }

        var c = new FamilyCase { FamilyId = family.Id, Status = CaseStatus.Identified, CreatedUtc = Now, Version = Guid.NewGuid() };
        db.Cases.Add(c);
        Audit(actor, Action, family.Reference, "case opened as identified");
        await SaveAsync(ct);
        return c;
    }
}
