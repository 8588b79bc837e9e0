using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Hearth.Core.Access;
using Hearth.Core.Audit;
using Hearth.Core.CaseWork;
using Hearth.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Core.Programmes;

/// <summary>A stored identification run as the list shows it.</summary>
public sealed record IdentificationRunSummary(
    long Id, string FrameworkId, string FrameworkVersion, DateOnly AsOf, DateTime StartedUtc, DateTime? CompletedUtc, string RunBy,
    long Families, long Eligible, long NotEligible, long Unknown);

/// <summary>One family on the identification list: its result and where it stands in case work and on the programme.</summary>
public sealed record IdentifiedFamily(
    string Reference, string Eligible, int NeedsRaised, int HeadlinesRaised, IReadOnlyList<string> Headlines, string Reason,
    CaseStatus? CaseStatus, string? TeamId, string? KeyWorkerId, string? KeyWorkerName, DateOnly? AttachedOn, string? AttachedFramework);

/// <summary>A page of the identification list with the total the filters match.</summary>
public sealed record IdentifiedFamilyPage(IdentificationRunSummary Run, IReadOnlyList<IdentifiedFamily> Families, int Total, int Page, int PageSize)
{
    public int Pages => Math.Max(1, (Total + PageSize - 1) / PageSize);
}

/// <summary>What the list may be filtered by: one raised headline, only families no team holds, and which eligibility.</summary>
public sealed record IdentificationFilter(string? Headline = null, bool UnallocatedOnly = false, string Eligible = "yes");

/// <summary>
/// Stored identification runs: runs identification over the whole store and keeps each family's result (eligible,
/// needs and headlines raised, a reason in rule terms) so the identification list can be paged and filtered and
/// joined to case work and programme attachments without judging every family again. Results are written a batch
/// at a time as the store is read, so a county store of hundreds of thousands of families runs in flat memory.
/// Data leads, team managers and administrators may run and read; every run and every read is in the audit log
/// (counts and references only).
/// </summary>
public sealed partial class IdentificationRuns(HearthDbFactory factory, IAuditTrail audit, TimeProvider clock)
{
    public const string Purpose = IdentificationService.Purpose;

    /// <summary>Runs <paramref name="framework"/> over the store as of <paramref name="asOf"/> and stores the run; returns it and the read summary.</summary>
    public async Task<(IdentificationRunSummary Run, IdentificationSummary Summary)> RunAsync(
        Actor actor, Framework framework, DateOnly asOf, Action<IReadOnlyList<StoredIdentification>>? onBatch = null, int batchSize = 2_000, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(framework);
        await using var db = factory.Create();
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        IdentificationRun? run = null;
        async Task<IdentificationRun> StartAsync()
        {
            var r = new IdentificationRun
            {
                FrameworkId = framework.Id,
                FrameworkVersion = framework.Version,
                FrameworkHash = framework.ContentHash,
                AsOf = asOf,
                StartedUtc = clock.GetUtcNow().UtcDateTime,
                RunBy = actor.UserId,
            };
            db.IdentificationRuns.Add(r);
            await db.SaveChangesAsync(ct).ConfigureAwait(false);
            db.ChangeTracker.Clear();
            return r;
        }

        IdentificationSummary summary;
        try
        {
            summary = await new IdentificationService(factory, audit).IdentifyAsync(actor, framework, asOf, async (batch, token) =>
            {
                run ??= await StartAsync().ConfigureAwait(false);
                onBatch?.Invoke(batch);
                var rows = new IdentificationRunFamily[batch.Count];
                for (var i = 0; i < batch.Count; i++)
                {
                    rows[i] = RowFor(run.Id, batch[i]);
                }

                db.IdentificationRunFamilies.AddRange(rows);
                await db.SaveChangesAsync(token).ConfigureAwait(false);
                db.ChangeTracker.Clear();
            }, batchSize: batchSize, ct: ct).ConfigureAwait(false);
        }
        catch (Exception) when (run is not null)
        {
            // A run that did not finish is removed with its results, so the list never shows half a store.
            await db.IdentificationRuns.Where(r => r.Id == run.Id).ExecuteDeleteAsync(CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        run ??= await StartAsync().ConfigureAwait(false);
        run.Families = summary.Families;
        run.Eligible = summary.Eligible;
        run.Unknown = summary.Unknown;
        run.NotEligible = summary.Families - summary.Eligible - summary.Unknown;
        run.CompletedUtc = clock.GetUtcNow().UtcDateTime;
        db.IdentificationRuns.Update(run);
        audit.Record(db, new AuditEvent(actor, "identification.run", "identification_run", run.Id.ToString(CultureInfo.InvariantCulture), Purpose,
            Detail: string.Create(CultureInfo.InvariantCulture, $"{framework.Id} as of {asOf:yyyy-MM-dd}: {run.Families} families stored, {run.Eligible} eligible, {run.Unknown} unknown")));
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        return (Summarise(run), summary);
    }

    /// <summary>The latest completed run of a framework, or null when it has never run (a read of counts only).</summary>
    public async Task<IdentificationRunSummary?> LatestRunAsync(Actor actor, string frameworkId, CancellationToken ct = default)
    {
        await using var db = factory.Create();
        await RequireAsync(db, actor, "identification.latest", "framework", frameworkId, ct).ConfigureAwait(false);
        var run = await LatestAsync(db, frameworkId, ct).ConfigureAwait(false);
        return run is null ? null : Summarise(run);
    }

    /// <summary>
    /// A page of the latest run's families (eligible ones unless the filter asks otherwise), in reference order,
    /// with the open case's team and key worker and whether the family is attached to the framework's scheme.
    /// Returns null when the framework has no completed run. The read is audited (page, filters and row count).
    /// </summary>
    public async Task<IdentifiedFamilyPage?> ListAsync(Actor actor, Framework framework, IdentificationFilter filter, int page, int pageSize = 25, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(framework);
        ArgumentNullException.ThrowIfNull(filter);
        page = Math.Max(1, page);
        pageSize = Math.Clamp(pageSize, 1, 500);
        await using var db = factory.Create();
        await RequireAsync(db, actor, "identification.list", "framework", framework.Id, ct).ConfigureAwait(false);
        var run = await LatestAsync(db, framework.Id, ct).ConfigureAwait(false);
        if (run is null)
        {
            return null;
        }

        var scheme = framework.Scheme;
        var rows = db.IdentificationRunFamilies.AsNoTracking().Where(r => r.RunId == run.Id);
        if (filter.Eligible is "yes" or "no" or "unknown")
        {
            rows = rows.Where(r => r.Eligible == filter.Eligible);
        }

        if (!string.IsNullOrWhiteSpace(filter.Headline))
        {
            var token = "," + filter.Headline.Trim() + ",";
            rows = rows.Where(r => r.Headlines.Contains(token));
        }

        if (filter.UnallocatedOnly)
        {
            rows = rows.Where(r => !db.Cases.Any(c => c.FamilyId == r.FamilyId && c.Status != CaseStatus.Closed && c.TeamId != null));
        }

        var total = await rows.CountAsync(ct).ConfigureAwait(false);
        var found = await (from r in rows
                           join f in db.Families on r.FamilyId equals f.Id
                           orderby f.Reference
                           let c = db.Cases.Where(c => c.FamilyId == r.FamilyId && c.Status != CaseStatus.Closed).OrderByDescending(c => c.Id).FirstOrDefault()
                           let a = db.ProgrammeAttachments.Where(a => a.FamilyId == r.FamilyId && a.Scheme == scheme).FirstOrDefault()
                           select new
                           {
                               f.Reference,
                               r.Eligible,
                               r.NeedsRaised,
                               r.HeadlinesRaised,
                               r.Headlines,
                               r.Reason,
                               Status = c == null ? (CaseStatus?)null : c.Status,
                               TeamId = c == null ? null : c.TeamId,
                               KeyWorkerId = c == null ? null : c.KeyWorkerId,
                               KeyWorkerName = c == null ? null : db.Users.Where(u => u.Id == c.KeyWorkerId).Select(u => u.DisplayName).FirstOrDefault(),
                               AttachedOn = a == null ? (DateOnly?)null : a.AttachedOn,
                               AttachedFramework = a == null ? null : a.FrameworkId,
                           }).Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(ct).ConfigureAwait(false);
        audit.Record(db, new AuditEvent(actor, "identification.list", "identification_run", run.Id.ToString(CultureInfo.InvariantCulture), Purpose,
            Detail: string.Create(CultureInfo.InvariantCulture,
                $"{filter.Eligible} families, page {page}{(string.IsNullOrWhiteSpace(filter.Headline) ? string.Empty : ", headline " + filter.Headline.Trim())}{(filter.UnallocatedOnly ? ", unallocated only" : string.Empty)}: {found.Count} of {total} shown")));
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        return new IdentifiedFamilyPage(
            Summarise(run),
            [.. found.Select(x => new IdentifiedFamily(x.Reference, x.Eligible, x.NeedsRaised, x.HeadlinesRaised, SplitHeadlines(x.Headlines), x.Reason,
                x.Status, x.TeamId, x.KeyWorkerId, x.KeyWorkerName, x.AttachedOn, x.AttachedFramework))],
            total, page, pageSize);
    }

    /// <summary>One family's stored result in the latest run and its case and attachment, or null when the family is not in that run.</summary>
    public async Task<IdentifiedFamily?> FamilyAsync(Actor actor, Framework framework, string familyReference, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(framework);
        await using var db = factory.Create();
        await RequireAsync(db, actor, "identification.family", "family", familyReference, ct).ConfigureAwait(false);
        var run = await LatestAsync(db, framework.Id, ct).ConfigureAwait(false);
        var family = await db.Families.AsNoTracking().Where(f => f.Reference == familyReference).Select(f => (long?)f.Id).FirstOrDefaultAsync(ct).ConfigureAwait(false);
        if (family is not { } id)
        {
            return null;
        }

        var row = run is null ? null : await db.IdentificationRunFamilies.AsNoTracking().FirstOrDefaultAsync(r => r.RunId == run.Id && r.FamilyId == id, ct).ConfigureAwait(false);
        var c = await db.Cases.AsNoTracking().Where(c => c.FamilyId == id && c.Status != CaseStatus.Closed).OrderByDescending(c => c.Id).FirstOrDefaultAsync(ct).ConfigureAwait(false);
        var worker = c?.KeyWorkerId is { } w ? await db.Users.AsNoTracking().Where(u => u.Id == w).Select(u => u.DisplayName).FirstOrDefaultAsync(ct).ConfigureAwait(false) : null;
        var a = await db.ProgrammeAttachments.AsNoTracking().FirstOrDefaultAsync(a => a.FamilyId == id && a.Scheme == framework.Scheme, ct).ConfigureAwait(false);
        return new IdentifiedFamily(familyReference, row?.Eligible ?? "not in the latest run", row?.NeedsRaised ?? 0, row?.HeadlinesRaised ?? 0, SplitHeadlines(row?.Headlines),
            row?.Reason ?? string.Empty, c?.Status, c?.TeamId, c?.KeyWorkerId, worker, a?.AttachedOn, a?.FrameworkId);
    }

    /// <summary>The stored row for one family's result: no names, dates of birth or identifiers.</summary>
    public static IdentificationRunFamily RowFor(long runId, StoredIdentification result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var r = result.Result;
        var raised = r.Headlines.Where(h => h.Value == Truth.True).Select(h => h.Key).ToList();
        var headlines = raised.Count == 0 ? "," : "," + string.Join(',', raised) + ",";
        return new IdentificationRunFamily
        {
            RunId = runId,
            FamilyId = result.FamilyId,
            Eligible = EligibleWord(r.Eligible),
            NeedsRaised = r.RaisedNeeds.Count(),
            HeadlinesRaised = raised.Count,
            Headlines = headlines.Length > 400 ? headlines[..400] : headlines,
            Reason = Reason(r),
        };
    }

    /// <summary>"yes", "no" or "unknown".</summary>
    public static string EligibleWord(Truth eligible) => eligible switch { Truth.True => "yes", Truth.False => "no", _ => "unknown" };

    /// <summary>
    /// Why a family is or is not eligible, in the identification rule's terms: e.g. "2 of 3 criteria met; not met:
    /// headlines_raised >= 2 (is 1)". References to people or families in an unknown reason are replaced by
    /// "a member", so the text carries no identifiers. At most 400 characters.
    /// </summary>
    public static string Reason(IdentificationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var tests = result.RuleEvidence.Where(e => e.Kind == EvidenceKind.Test).ToList();
        var met = tests.Count(t => t.Outcome == Truth.True);
        var sb = new StringBuilder();
        var raisedHeadlines = result.Headlines.Where(h => h.Value == Truth.True).Select(h => h.Key).ToList();
        if (result.Eligible == Truth.True)
        {
            sb.Append(CultureInfo.InvariantCulture, $"eligible: {result.RaisedNeeds.Count()} needs raised in {raisedHeadlines.Count} headlines ({string.Join(", ", raisedHeadlines)})");
        }
        else
        {
            if (tests.Count > 0)
            {
                sb.Append(CultureInfo.InvariantCulture, $"{met} of {tests.Count} criteria met");
            }

            var failing = tests.Where(t => t.Outcome != Truth.True).Select(t =>
                string.Create(CultureInfo.InvariantCulture, $"{t.Expression} {(t.Outcome == Truth.False ? "not met" : "unknown")} (is {t.Value}, needs {t.Comparison} {t.Threshold})"));
            var list = string.Join("; ", failing);
            if (list.Length > 0)
            {
                sb.Append(sb.Length > 0 ? "; " : string.Empty).Append(list);
            }

            if (result.Eligible == Truth.Unknown && result.UnknownReason is { } why)
            {
                sb.Append(sb.Length > 0 ? "; " : string.Empty).Append("unknown because ").Append(why);
            }

            if (sb.Length == 0)
            {
                sb.Append(CultureInfo.InvariantCulture, $"{result.RaisedNeeds.Count()} needs raised");
            }
        }

        var text = References().Replace(sb.ToString(), "a member");
        return text.Length > 400 ? text[..399] + "…" : text;
    }

    [GeneratedRegex(@"\b[PF][0-9]{4,}\b", RegexOptions.None, 1000)]
    private static partial Regex References();

    private static string[] SplitHeadlines(string? headlines) =>
        headlines is null ? [] : headlines.Split(',', StringSplitOptions.RemoveEmptyEntries);

    private static Task<IdentificationRun?> LatestAsync(HearthDb db, string frameworkId, CancellationToken ct) =>
        db.IdentificationRuns.AsNoTracking().Where(r => r.FrameworkId == frameworkId && r.CompletedUtc != null)
            .OrderByDescending(r => r.CompletedUtc).ThenByDescending(r => r.Id).FirstOrDefaultAsync(ct);

    private static IdentificationRunSummary Summarise(IdentificationRun r) =>
        new(r.Id, r.FrameworkId, r.FrameworkVersion, r.AsOf, r.StartedUtc, r.CompletedUtc, r.RunBy, r.Families, r.Eligible, r.NotEligible, r.Unknown);

    /// <summary>Refuses (and audits the refusal of) an actor without an identifying role; callers that read families audit the allowed read with what they read.</summary>
    private async Task RequireAsync(HearthDb db, Actor actor, string action, string subjectType, string? subjectId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (IdentificationService.MayIdentify.Any(actor.Is))
        {
            return;
        }

        audit.Record(db, new AuditEvent(actor, action, subjectType, subjectId, Purpose, AuditOutcomes.Denied));
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        throw new ProgrammeAccessDeniedException($"{actor.UserName} may not read identification results: it needs the DataLead, TeamManager or Administrator role");
    }
}
