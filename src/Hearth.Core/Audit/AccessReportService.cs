using System.Globalization;
using Hearth.Core.Access;
using Hearth.Core.CaseWork;
using Hearth.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Core.Audit;

/// <summary>One line of a family's access history: who, in which roles, did what, why, with what outcome, when.</summary>
public sealed record AccessHistoryEntry(
    long Sequence,
    DateTime OccurredUtc,
    string UserId,
    string UserName,
    string Roles,
    string Action,
    string Purpose,
    string Outcome,
    string? Detail);

/// <summary>A page of a family's access history, newest first, with why the reader may see it.</summary>
public sealed record FamilyAccessHistory(
    string FamilyReference,
    string Reason,
    int Total,
    int PageNumber,
    int PageSize,
    IReadOnlyList<AccessHistoryEntry> Entries)
{
    public int Pages => Math.Max(1, (Total + PageSize - 1) / PageSize);
}

/// <summary>
/// Reports over the audit log: a family's access history (who viewed or changed its data) and the anomaly report.
/// Each read of a report is itself written to the audit log (purpose "audit").
/// </summary>
public sealed class AccessReportService(HearthDb db, IAuditTrail audit, TimeProvider clock)
{
    public const string Purpose = "audit";

    public const int PageSize = 50;

    /// <summary>
    /// The access history of a family: every audit entry whose subject is the family, newest first, 50 a page.
    /// An unknown family, or one the actor may not see the history of, is not found (and the refusal is audited).
    /// </summary>
    public async Task<FamilyAccessHistory> FamilyHistoryAsync(Actor actor, string familyReference, int page,
        string? clientAddress = null, string? correlationId = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(familyReference);
        var family = await db.Families.AsNoTracking().Where(f => f.Reference == familyReference).Select(f => new { f.Id, f.Reference }).SingleOrDefaultAsync(ct);
        FamilyCase? familyCase = null;
        if (family is not null)
        {
            familyCase = await db.Cases.AsNoTracking().Where(c => c.FamilyId == family.Id)
                .OrderBy(c => c.Status == CaseStatus.Closed ? 1 : 0).ThenByDescending(c => c.Id).FirstOrDefaultAsync(ct);
        }

        var decision = family is null
            ? new AccessHistoryDecision(false, "no such family")
            : CaseAccess.DecideAccessHistory(actor, familyCase);
        if (!decision.Allowed)
        {
            audit.Record(db, new AuditEvent(actor, "family.access-history", CaseWorkService.SubjectType, familyReference, Purpose, AuditOutcomes.Denied, decision.Reason),
                clientAddress, correlationId);
            await db.SaveChangesAsync(ct);
            throw new CaseNotFoundException();
        }

        var query = db.AuditEntries.AsNoTracking().Where(e => e.SubjectType == CaseWorkService.SubjectType && e.SubjectId == familyReference);
        var total = await query.CountAsync(ct);
        var pages = Math.Max(1, (total + PageSize - 1) / PageSize);
        page = Math.Clamp(page, 1, pages);
        var entries = await query.OrderByDescending(e => e.Id).Skip((page - 1) * PageSize).Take(PageSize)
            .Select(e => new AccessHistoryEntry(e.Id, e.OccurredUtc, e.ActorId, e.ActorName, e.ActorRoles, e.Action, e.Purpose, e.Outcome, e.Detail))
            .ToListAsync(ct);

        audit.Record(db, new AuditEvent(actor, "family.access-history", CaseWorkService.SubjectType, familyReference, Purpose, AuditOutcomes.Allowed,
            total.ToString(CultureInfo.InvariantCulture) + " entries"), clientAddress, correlationId);
        await db.SaveChangesAsync(ct);
        return new FamilyAccessHistory(familyReference, decision.Reason, total, page, PageSize, entries);
    }

    /// <summary>
    /// Runs <see cref="AccessAnomalyRules"/> over the audit entries from <paramref name="fromUtc"/> (inclusive) to
    /// <paramref name="toUtc"/> (exclusive), with every user and each family's current allocation. Only
    /// administrators and auditors may run it; the run is audited.
    /// </summary>
    public async Task<AnomalyReport> AnomaliesAsync(Actor actor, DateTime fromUtc, DateTime toUtc, AnomalyOptions? options = null,
        string? clientAddress = null, string? correlationId = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Is(HearthRole.Administrator) && !actor.Is(HearthRole.Auditor))
        {
            audit.Record(db, new AuditEvent(actor, "audit.anomalies", "audit-log", null, Purpose, AuditOutcomes.Denied, "not an administrator or auditor"),
                clientAddress, correlationId);
            await db.SaveChangesAsync(ct);
            throw new UnauthorizedAccessException("Only administrators and auditors run the anomaly report.");
        }

        var entries = await db.AuditEntries.AsNoTracking().Where(e => e.OccurredUtc >= fromUtc && e.OccurredUtc < toUtc).ToListAsync(ct);
        var users = await AnomalyUsersAsync(db, ct);
        var allocations = await AllocationsAsync(entries, ct);
        var report = AccessAnomalyRules.Evaluate(entries, users, allocations, fromUtc, toUtc, clock, options);

        audit.Record(db, new AuditEvent(actor, "audit.anomalies", "audit-log", null, Purpose, AuditOutcomes.Allowed,
            string.Create(CultureInfo.InvariantCulture, $"{fromUtc:yyyy-MM-dd} to {toUtc:yyyy-MM-dd}: {report.Anomalies.Count} findings")),
            clientAddress, correlationId);
        await db.SaveChangesAsync(ct);
        return report;
    }

    /// <summary>Every user as the anomaly rules see them.</summary>
    public static async Task<IReadOnlyList<AnomalyUser>> AnomalyUsersAsync(HearthDb db, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var users = await db.Users.AsNoTracking().ToListAsync(ct);
        return users.Select(u => new AnomalyUser(u.Id, u.UserName ?? u.Id, u.RoleSet(), u.TeamId, u.Disabled, u.CreatedUtc, u.LastSignInUtc)).ToList();
    }

    private async Task<IReadOnlyList<FamilyAllocation>> AllocationsAsync(List<AuditEntry> entries, CancellationToken ct)
    {
        var references = entries.Where(AccessAnomalyRules.IsFamilyRead).Select(e => e.SubjectId!).Distinct(StringComparer.Ordinal).ToList();
        var result = new List<FamilyAllocation>(references.Count);
        foreach (var chunk in references.Chunk(500))
        {
            var families = await db.Families.AsNoTracking().Where(f => chunk.Contains(f.Reference)).Select(f => new { f.Id, f.Reference }).ToListAsync(ct);
            var ids = families.Select(f => f.Id).ToList();
            var cases = await db.Cases.AsNoTracking().Where(c => ids.Contains(c.FamilyId)).ToListAsync(ct);
            var caseIds = cases.Select(c => c.Id).ToList();
            var team = await db.TeamMembers.AsNoTracking().Where(t => caseIds.Contains(t.CaseId) && t.RemovedUtc == null)
                .Select(t => new { t.CaseId, t.UserId }).ToListAsync(ct);
            foreach (var family in families)
            {
                var current = cases.Where(c => c.FamilyId == family.Id)
                    .OrderBy(c => c.Status == CaseStatus.Closed ? 1 : 0).ThenByDescending(c => c.Id).FirstOrDefault();
                var taf = current is null ? [] : team.Where(t => t.CaseId == current.Id).Select(t => t.UserId).ToHashSet(StringComparer.Ordinal);
                result.Add(new FamilyAllocation(family.Reference, current?.TeamId, current?.KeyWorkerId, taf));
            }
        }

        return result;
    }
}
