using System.Globalization;
using Hearth.Core.Access;
using Hearth.Core.Audit;
using Hearth.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Core.CaseWork;

/// <summary>
/// Case work for one family at a time: allocation, consent, assessment, plan, team around the family, notes and
/// closure. Every call takes the acting user, is authorised by <see cref="CaseAccess"/> and writes one audit
/// entry (purpose "case-work", subject the family reference, no personal data) in the same save as the work.
/// A family the actor may not see is reported as not found, and the refusal is audited.
/// </summary>
public sealed partial class CaseWorkService(HearthDb db, IAuditTrail audit, IUserDirectory users, TimeProvider clock)
{
    public const string Purpose = "case-work";
    public const string SubjectType = "family";

    private DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    // ---------------------------------------------------------------- access

    private sealed record Loaded(Family Family, FamilyCase? Case, List<TeamMember> Team, List<MemberConsent> Consents, CaseAccessDecision Access);

    private async Task<Loaded> LoadAsync(Actor actor, string familyReference, string action, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var family = await db.Families.AsNoTracking().SingleOrDefaultAsync(f => f.Reference == familyReference, ct);
        if (family is null)
        {
            await DenyAsync(actor, action, familyReference, "no such family", ct);
            throw new CaseNotFoundException();
        }

        var familyCase = await db.Cases
            .Where(c => c.FamilyId == family.Id)
            .OrderBy(c => c.Status == CaseStatus.Closed ? 1 : 0).ThenByDescending(c => c.Id)
            .FirstOrDefaultAsync(ct);
        var team = familyCase is null ? [] : await db.TeamMembers.Where(t => t.CaseId == familyCase.Id).ToListAsync(ct);
        var consents = familyCase is null ? [] : await db.MemberConsents.Where(k => k.CaseId == familyCase.Id).ToListAsync(ct);
        var decision = CaseAccess.Decide(actor, new CaseAccessFacts(family.Reference, familyCase, team, consents));
        if (!decision.CanView)
        {
            await DenyAsync(actor, action, family.Reference, decision.Reason, ct);
            throw new CaseNotFoundException();
        }

        return new Loaded(family, familyCase, team, consents, decision);
    }

    private async Task<Loaded> LoadForEditAsync(Actor actor, string familyReference, string action, CancellationToken ct)
    {
        var loaded = await LoadAsync(actor, familyReference, action, ct);
        if (!loaded.Access.CanEdit || loaded.Case is null)
        {
            await DenyAsync(actor, action, familyReference, "not the family's key worker or manager, or the case is closed", ct);
            throw new CaseForbiddenException(loaded.Case?.Status == CaseStatus.Closed
                ? "The case is closed; it can no longer be changed."
                : "Only the family's key worker or their team manager can make this change.");
        }

        return loaded;
    }

    private async Task DenyAsync(Actor actor, string action, string familyReference, string why, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        audit.Record(db, new AuditEvent(actor, action, SubjectType, familyReference, Purpose, AuditOutcomes.Denied, why));
        await db.SaveChangesAsync(ct);
    }

    private void Audit(Actor actor, string action, string? familyReference, string? detail = null) =>
        audit.Record(db, new AuditEvent(actor, action, SubjectType, familyReference, Purpose, AuditOutcomes.Allowed, detail));

    private async Task SaveAsync(CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException ex)
        {
            db.ChangeTracker.Clear();
            throw new CaseConflictException(
                "Someone else changed this since you opened it. Your change was not saved: reload, check their change and try again.", ex);
        }
    }

    /// <summary>Checks the version the user read against the stored one, and makes the save conditional on it.</summary>
    private void ExpectVersion<T>(T entity, Func<T, Guid> current, Guid expected, Action<T, Guid> set)
        where T : class
    {
        if (current(entity) != expected)
        {
            throw new CaseConflictException();
        }

        db.Entry(entity).Property(nameof(FamilyPlan.Version)).OriginalValue = expected;
        set(entity, Guid.NewGuid());
    }

    private async Task<string> DisplayNameAsync(string? userId, CancellationToken ct)
    {
        if (userId is null)
        {
            return "nobody";
        }

        var user = await users.FindAsync(userId, ct);
        return user?.DisplayName ?? userId;
    }

    // ---------------------------------------------------------------- reads

    /// <summary>
    /// The families the actor works with, optionally narrowed to a family or person reference. A team manager
    /// also sees families not yet allocated to any team, to allocate them.
    /// </summary>
    public async Task<IReadOnlyList<FamilyListItem>> ListFamiliesAsync(Actor actor, string? search, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!CaseAccess.UsesCaseWork(actor))
        {
            audit.Record(db, new AuditEvent(actor, "family.list", SubjectType, null, Purpose, AuditOutcomes.Denied, "role gives no case work"));
            await db.SaveChangesAsync(ct);
            return [];
        }

        var families = db.Families.AsNoTracking().Where(f => f.RetiredUtc == null);
        var term = search?.Trim().ToUpperInvariant();
        if (!string.IsNullOrEmpty(term))
        {
            if (term.StartsWith('P'))
            {
                var personIds = db.Persons.Where(p => p.Reference == term).Select(p => p.Id);
                var familyIds = db.FamilyMembers.Where(m => personIds.Contains(m.PersonId)).Select(m => m.FamilyId);
                families = families.Where(f => familyIds.Contains(f.Id));
            }
            else
            {
                families = families.Where(f => f.Reference == term);
            }
        }

        var cases = db.Cases.AsNoTracking();
        var teamId = actor.TeamId;
        var visibleCaseIds = new HashSet<long>();
        if (actor.Is(HearthRole.TeamManager) && teamId is not null)
        {
            visibleCaseIds.UnionWith(await cases.Where(c => c.TeamId == teamId).Select(c => c.Id).ToListAsync(ct));
        }

        if (actor.Is(HearthRole.KeyWorker))
        {
            visibleCaseIds.UnionWith(await cases.Where(c => c.KeyWorkerId == actor.UserId || (teamId != null && c.TeamId == teamId)).Select(c => c.Id).ToListAsync(ct));
        }

        if (actor.Is(HearthRole.PartnerPractitioner) && actor.AgencyId is { } agency)
        {
            var mine = db.TeamMembers.Where(t => t.UserId == actor.UserId && t.AgencyId == agency && t.RemovedUtc == null).Select(t => t.CaseId);
            visibleCaseIds.UnionWith(await cases.Where(c => mine.Contains(c.Id) && c.Status != CaseStatus.Closed).Select(c => c.Id).ToListAsync(ct));
        }

        var idList = visibleCaseIds.ToList();
        var visibleCases = await cases.Where(c => idList.Contains(c.Id)).ToListAsync(ct);
        var familyIdsWithCase = visibleCases.Select(c => c.FamilyId).ToHashSet();
        var fids = familyIdsWithCase.ToList();
        var rows = await families.Where(f => fids.Contains(f.Id)).Select(f => new { f.Id, f.Reference }).ToListAsync(ct);

        var result = new List<(long Id, string Reference, FamilyCase? Case)>();
        foreach (var row in rows)
        {
            var c = visibleCases.Where(x => x.FamilyId == row.Id).OrderBy(x => x.Status == CaseStatus.Closed ? 1 : 0).ThenByDescending(x => x.Id).First();
            result.Add((row.Id, row.Reference, c));
        }

        if (actor.Is(HearthRole.TeamManager) && teamId is not null)
        {
            // Unallocated: an identified case with no team, or (when searching) a family with no open case.
            var identified = db.Cases.Where(c => c.Status == CaseStatus.Identified && c.TeamId == null).Select(c => c.FamilyId);
            var withOpenCase = db.Cases.Where(c => c.Status != CaseStatus.Closed).Select(c => c.FamilyId);
            var unallocated = string.IsNullOrEmpty(term)
                ? families.Where(f => identified.Contains(f.Id))
                : families.Where(f => identified.Contains(f.Id) || !withOpenCase.Contains(f.Id));
            var extra = await unallocated.OrderBy(f => f.Reference).Take(200).Select(f => new { f.Id, f.Reference }).ToListAsync(ct);
            foreach (var row in extra.Where(r => !familyIdsWithCase.Contains(r.Id)))
            {
                var c = await db.Cases.AsNoTracking().Where(x => x.FamilyId == row.Id && x.Status != CaseStatus.Closed).FirstOrDefaultAsync(ct);
                result.Add((row.Id, row.Reference, c));
            }
        }

        var ids = result.Select(r => r.Id).ToList();
        var today = Today;
        var memberCounts = await db.FamilyMembers.Where(m => ids.Contains(m.FamilyId) && (m.To == null || m.To >= today))
            .GroupBy(m => m.FamilyId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        var items = new List<FamilyListItem>();
        foreach (var (id, reference, c) in result.OrderBy(r => r.Reference, StringComparer.Ordinal))
        {
            items.Add(new FamilyListItem(reference, c?.Status, c?.TeamId, c?.KeyWorkerId is null ? null : await DisplayNameAsync(c.KeyWorkerId, ct),
                memberCounts.GetValueOrDefault(id)));
        }

        Audit(actor, "family.list", null, string.Create(CultureInfo.InvariantCulture, $"{items.Count} families listed{(string.IsNullOrEmpty(term) ? string.Empty : " for a reference search")}"));
        await db.SaveChangesAsync(ct);
        return items;
    }

    /// <summary>
    /// The family record as the actor may see it. <paramref name="action"/> names the page for the audit log (e.g.
    /// "family.view", "plan.view"). The agency event timeline, the heaviest part, is read only when
    /// <paramref name="withTimeline"/> is set; without it <see cref="FamilyRecord.Timeline"/> is empty and
    /// <see cref="FamilyRecord.HiddenEvents"/> is zero.
    /// </summary>
    public async Task<FamilyRecord> GetFamilyAsync(Actor actor, string familyReference, string action = "family.view", bool withTimeline = true, CancellationToken ct = default)
    {
        var loaded = await LoadAsync(actor, familyReference, action, ct);
        var record = await BuildRecordAsync(actor, loaded, withTimeline, ct);
        Audit(actor, action, loaded.Family.Reference, loaded.Access.Level.ToString().ToLowerInvariant() + " access");
        await db.SaveChangesAsync(ct);
        return record;
    }

    private async Task<FamilyRecord> BuildRecordAsync(Actor actor, Loaded loaded, bool withTimeline, CancellationToken ct)
    {
        var access = loaded.Access;
        var today = Today;
        var family = loaded.Family;
        var memberships = await db.FamilyMembers.AsNoTracking().Where(m => m.FamilyId == family.Id).OrderBy(m => m.Role).ThenBy(m => m.Id).ToListAsync(ct);
        var personIds = memberships.Select(m => m.PersonId).Distinct().ToList();
        var persons = await db.Persons.AsNoTracking().Where(p => personIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Reference, ct);
        var links = await db.PersonRecords.AsNoTracking().Where(r => personIds.Contains(r.PersonId)).Select(r => new { r.PersonId, r.SourceRecordId }).ToListAsync(ct);
        var recordIds = links.Select(l => l.SourceRecordId).ToList();
        var sources = await db.SourceRecords.AsNoTracking().Where(s => recordIds.Contains(s.Id)).ToListAsync(ct);
        var personOfRecord = links.ToDictionary(l => l.SourceRecordId, l => l.PersonId);
        var agencyNames = await db.Agencies.AsNoTracking().ToDictionaryAsync(a => a.Id, a => a.Name, StringComparer.Ordinal, ct);
        var leads = loaded.Case is null ? [] : await db.LeadProfessionals.AsNoTracking().Where(l => l.CaseId == loaded.Case.Id).ToListAsync(ct);

        var members = new List<MemberView>();
        foreach (var m in memberships)
        {
            var mine = sources.Where(s => personOfRecord.GetValueOrDefault(s.Id) == m.PersonId).ToList();
            var dob = PersonDetails.DateOfBirth(mine);
            var (giver, rule) = ConsentRules.RequiredGiver(m.Role == FamilyRole.Adult, dob, today);
            var visible = access.Level != CaseAccessLevel.Allocation && access.CanSeePerson(m.PersonId);
            var lead = leads.FirstOrDefault(l => l.PersonId == m.PersonId);
            members.Add(new MemberView(
                m.PersonId,
                persons.GetValueOrDefault(m.PersonId) ?? "unknown",
                visible,
                visible ? PersonDetails.Name(mine) : null,
                visible ? dob : null,
                visible && dob is { } d ? ConsentRules.AgeOn(d, today) : null,
                m.Role,
                m.Relationship,
                m.From,
                m.To,
                access.Level == CaseAccessLevel.Allocation ? [] : mine.Select(s => s.AgencyId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
                lead is null ? null : new LeadProfessionalView(lead.UserId, await DisplayNameAsync(lead.UserId, ct), lead.AgencyId),
                giver,
                rule));
        }

        var addresses = new List<AddressView>();
        var timeline = new List<TimelineEntry>();
        var hiddenEvents = 0;
        if (access.CanViewRecord)
        {
            var stays = await db.HouseholdMembers.AsNoTracking().Where(h => personIds.Contains(h.PersonId)).ToListAsync(ct);
            var householdIds = stays.Select(s => s.HouseholdId).Distinct().ToList();
            var households = await db.Households.AsNoTracking().Where(h => householdIds.Contains(h.Id)).ToDictionaryAsync(h => h.Id, ct);
            foreach (var stay in stays.Where(s => access.CanSeePerson(s.PersonId)).OrderBy(s => persons.GetValueOrDefault(s.PersonId), StringComparer.Ordinal).ThenByDescending(s => s.From))
            {
                var h = households[stay.HouseholdId];
                addresses.Add(new AddressView(persons.GetValueOrDefault(stay.PersonId) ?? "unknown", h.Reference, h.Address, h.Postcode, stay.From, stay.To));
            }

            var events = withTimeline ? await db.Events.AsNoTracking().Where(e => recordIds.Contains(e.SourceRecordId)).ToListAsync(ct) : [];
            var datasetIds = events.Select(e => e.DatasetId).Distinct().ToList();
            var imported = await db.Datasets.AsNoTracking().Where(d => datasetIds.Contains(d.Id)).ToDictionaryAsync(d => d.Id, d => d.CompletedUtc ?? d.StartedUtc, ct);
            foreach (var e in events)
            {
                var personId = personOfRecord[e.SourceRecordId];
                if (!access.CanSeeEvent(personId, e.AgencyId))
                {
                    hiddenEvents++;
                    continue;
                }

                timeline.Add(new TimelineEntry(persons.GetValueOrDefault(personId) ?? "unknown", e.AgencyId, EventSummaries.TypeName(e), e.StartDate, e.EndDate,
                    EventSummaries.Describe(e), imported.TryGetValue(e.DatasetId, out var when) ? when : null));
            }

            timeline.Sort((a, b) => b.Start.CompareTo(a.Start) != 0 ? b.Start.CompareTo(a.Start) : string.CompareOrdinal(a.PersonReference, b.PersonReference));
        }

        var consents = loaded.Consents
            .Where(k => access.Level == CaseAccessLevel.Full || access.CanSeePerson(k.PersonId))
            .OrderBy(k => persons.GetValueOrDefault(k.PersonId), StringComparer.Ordinal).ThenByDescending(k => k.RecordedUtc)
            .Select(k => new ConsentView(k.Id, persons.GetValueOrDefault(k.PersonId) ?? "unknown", k.GivenBy,
                k.GivenByPersonId is { } g ? persons.GetValueOrDefault(g) : null, k.GivenOn, k.AgencyList, k.RuleExplanation, k.RecordedUtc, k.WithdrawnUtc, k.WithdrawalNote))
            .ToList();

        FamilyAssessment? assessment = null;
        PlanView? plan = null;
        var team = new List<TeamMemberView>();
        var notes = new List<NoteView>();
        if (loaded.Case is { } c && access.CanViewRecord)
        {
            if (access.Level == CaseAccessLevel.Full)
            {
                assessment = await db.Assessments.AsNoTracking().Where(a => a.CaseId == c.Id).OrderByDescending(a => a.Id).FirstOrDefaultAsync(ct);
            }

            plan = await BuildPlanAsync(actor, access, c, ct);
            foreach (var t in loaded.Team.Where(t => t.RemovedUtc is null).OrderBy(t => t.AgencyId, StringComparer.Ordinal))
            {
                team.Add(new TeamMemberView(t, await DisplayNameAsync(t.UserId, ct)));
            }

            var allNotes = await db.CaseNotes.AsNoTracking().Where(n => n.CaseId == c.Id).OrderByDescending(n => n.WrittenUtc).ThenByDescending(n => n.Id).ToListAsync(ct);
            foreach (var n in allNotes.Where(access.CanSeeNote))
            {
                notes.Add(new NoteView(n, n.PersonId is { } p ? persons.GetValueOrDefault(p) : null, await DisplayNameAsync(n.WrittenBy, ct)));
            }
        }

        return new FamilyRecord(family.Id, family.Reference, access, loaded.Case,
            loaded.Case?.KeyWorkerId is { } kw ? await DisplayNameAsync(kw, ct) : null,
            members, addresses, timeline, hiddenEvents, consents, assessment, plan, team, notes, agencyNames);
    }

    private async Task<PlanView?> BuildPlanAsync(Actor actor, CaseAccessDecision access, FamilyCase c, CancellationToken ct)
    {
        var plan = await db.Plans.AsNoTracking().Where(p => p.CaseId == c.Id).FirstOrDefaultAsync(ct);
        if (plan is null)
        {
            return null;
        }

        var today = Today;
        var needs = await db.PlanNeeds.AsNoTracking().Where(n => n.PlanId == plan.Id).OrderBy(n => n.Id).ToListAsync(ct);
        var needIds = needs.Select(n => n.Id).ToList();
        var goals = await db.PlanGoals.AsNoTracking().Where(g => needIds.Contains(g.NeedId)).OrderBy(g => g.Id).ToListAsync(ct);
        var actions = await db.PlanActions.AsNoTracking().Where(a => a.PlanId == plan.Id).OrderBy(a => a.DueDate).ThenBy(a => a.Id).ToListAsync(ct);
        var reviews = await db.PlanReviews.AsNoTracking().Where(r => r.PlanId == plan.Id).OrderByDescending(r => r.ReviewedOn).ToListAsync(ct);

        // A partner whose agency no live consent covers sees only the actions they own, not the family's needs.
        var partial = access.Level == CaseAccessLevel.Partner && !access.ConsentedAgencies.Values.Any(a => a.Contains(access.PartnerAgency!));
        var needViews = new List<NeedView>();
        foreach (var need in needs)
        {
            var goalViews = new List<GoalView>();
            foreach (var goal in goals.Where(g => g.NeedId == need.Id))
            {
                var actionViews = new List<ActionView>();
                foreach (var a in actions.Where(a => a.GoalId == goal.Id))
                {
                    if (partial && !string.Equals(a.OwnerUserId, actor.UserId, StringComparison.Ordinal))
                    {
                        continue;
                    }

                    actionViews.Add(new ActionView(a, await DisplayNameAsync(a.OwnerUserId, ct), CaseAccess.CanUpdateAction(actor, access, a),
                        a.DueDate < today && a.Status is PlanActionStatus.NotStarted or PlanActionStatus.InProgress));
                }

                if (!partial || actionViews.Count > 0)
                {
                    goalViews.Add(new GoalView(partial ? new PlanGoal { Id = goal.Id, NeedId = goal.NeedId, Description = "Goal shared without details" } : goal, actionViews));
                }
            }

            if (!partial || goalViews.Count > 0)
            {
                needViews.Add(new NeedView(partial ? new PlanNeed { Id = need.Id, PlanId = need.PlanId, Theme = "not shared", Description = "Need not shared with your agency" } : need, goalViews));
            }
        }

        return new PlanView(plan.Id, plan.Version, plan.NextReviewDue, plan.NextReviewDue < today, needViews, partial ? [] : reviews, partial);
    }
}
