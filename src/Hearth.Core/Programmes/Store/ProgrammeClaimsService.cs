using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Hearth.Core.Access;
using Hearth.Core.Audit;
using Hearth.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Core.Programmes;

/// <summary>A refused claim action: the named rules that were broken.</summary>
public sealed class ClaimRefusedException(IReadOnlyList<BrokenRule> broken)
    : Exception(string.Join("; ", broken.Select(b => b.ToString())))
{
    public IReadOnlyList<BrokenRule> Broken { get; } = broken;
}

/// <summary>What building a claim batch did.</summary>
public sealed record ClaimBatchResult(string Reference, int FamiliesAssessed, int Drafted, int AlreadyClaimed, int Refused, int Sampled, Money Total);

/// <summary>What measuring outcomes did, by need status.</summary>
public sealed record OutcomeMeasurementResult(int Families, IReadOnlyDictionary<NeedStatus, int> Needs);

/// <summary>
/// The programme side of the store: attaching families (baseline frozen), measuring outcomes per need from the
/// current data, claims with frozen evidence and their status workflow, batches with audit sampling, the claim
/// pack and the national return. Every call takes an <see cref="Actor"/>, is authorised by role and writes an
/// audit event in the same transaction as its change.
/// <para>Who may do what: data leads attach, measure and draft claims and mark them ready (the claims officer);
/// team managers are the senior officer (discretionary claims, submit, paid, clawed back); auditors sign off or
/// reject ready claims and never drafted or prepared the claim they sign; key workers, partner practitioners and
/// analysts take no part.</para>
/// </summary>
public sealed class ProgrammeClaimsService(HearthDbFactory factory, IAuditTrail audit, TimeProvider clock, ProgrammeEngine engine)
{
    public const string Purpose = "programme_claims";

    private static readonly IReadOnlySet<string> RiskFlagsSampled = new HashSet<string>(StringComparer.Ordinal) { "near_threshold", "short_intervention" };

    public ProgrammeClaimsService(HearthDbFactory factory, IAuditTrail audit, TimeProvider clock)
        : this(factory, audit, clock, new ProgrammeEngine())
    {
    }

    /// <summary>The claim role an actor acts in for a transition, or null when none of their roles may.</summary>
    public static ClaimRole? ClaimRoleOf(Actor actor, IReadOnlyCollection<ClaimRole> wanted)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(wanted);
        foreach (var (role, claimRole) in RoleMap)
        {
            if (actor.Is(role) && wanted.Contains(claimRole))
            {
                return claimRole;
            }
        }

        return null;
    }

    private static readonly (HearthRole Role, ClaimRole ClaimRole)[] RoleMap =
    [
        (HearthRole.DataLead, ClaimRole.Officer),
        (HearthRole.TeamManager, ClaimRole.SeniorOfficer),
        (HearthRole.Auditor, ClaimRole.InternalAuditor),
    ];

    /// <summary>
    /// Attaches families to a framework on a date, freezing the needs raised that day as the baseline. Families
    /// already attached to the framework's scheme are left as they are. Returns the number attached.
    /// </summary>
    public async Task<int> AttachAsync(Actor actor, Framework framework, IReadOnlyCollection<string> familyReferences, DateOnly attachedOn, string? cohort,
        bool? keyWorkerAssigned = null, bool? assessmentDone = null, bool? planCoversNeeds = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(framework);
        ArgumentNullException.ThrowIfNull(familyReferences);
        await using var db = factory.Create();
        await RequireAsync(db, actor, "programme.attach", "framework", framework.Id, [ClaimRole.Officer], ct).ConfigureAwait(false);
        var attached = await AttachCoreAsync(db, actor, framework, familyReferences, attachedOn, cohort, keyWorkerAssigned, assessmentDone, planCoversNeeds, ct).ConfigureAwait(false);
        audit.Record(db, new AuditEvent(actor, "programme.attach", "framework", framework.Id, Purpose,
            Detail: string.Create(CultureInfo.InvariantCulture, $"{attached} families attached on {attachedOn:yyyy-MM-dd}, cohort {cohort ?? "(none)"}")));
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        return attached;
    }

    /// <summary>
    /// Attaches one family found by identification, from the identification list: the data lead (claims officer)
    /// or the team manager taking the family on may do it. Refused, with the reason, when the family does not
    /// exist or is already attached to the framework's scheme. The key worker prerequisite is recorded as met
    /// when the family's open case has a key worker allocated.
    /// </summary>
    public async Task AttachIdentifiedAsync(Actor actor, Framework framework, string familyReference, DateOnly attachedOn, string? cohort, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(framework);
        ArgumentNullException.ThrowIfNull(familyReference);
        await using var db = factory.Create();
        await RequireAsync(db, actor, "programme.attach", "family", familyReference, [ClaimRole.Officer, ClaimRole.SeniorOfficer], ct).ConfigureAwait(false);
        var family = await db.Families.AsNoTracking().Where(f => f.Reference == familyReference).Select(f => (long?)f.Id).FirstOrDefaultAsync(ct).ConfigureAwait(false)
            ?? throw new ClaimRefusedException([new BrokenRule("FamilyExists", $"there is no family {familyReference} in the store")]);
        var existing = await db.ProgrammeAttachments.AsNoTracking().Where(a => a.FamilyId == family && a.Scheme == framework.Scheme)
            .Select(a => new { a.FrameworkId, a.AttachedOn }).FirstOrDefaultAsync(ct).ConfigureAwait(false);
        if (existing is not null)
        {
            audit.Record(db, new AuditEvent(actor, "programme.attach", "family", familyReference, Purpose, AuditOutcomes.Denied, "already attached"));
            await db.SaveChangesAsync(ct).ConfigureAwait(false);
            throw new ClaimRefusedException([new BrokenRule("OneAttachmentPerScheme",
                string.Create(CultureInfo.InvariantCulture, $"family {familyReference} is already attached to {framework.Scheme} ({existing.FrameworkId}, since {existing.AttachedOn:d MMMM yyyy})"))]);
        }

        var keyWorker = await db.Cases.AsNoTracking().AnyAsync(c => c.FamilyId == family && c.Status != CaseWork.CaseStatus.Closed && c.KeyWorkerId != null, ct).ConfigureAwait(false);
        await AttachCoreAsync(db, actor, framework, [familyReference], attachedOn, cohort, keyWorker ? true : null, null, null, ct).ConfigureAwait(false);
        audit.Record(db, new AuditEvent(actor, "programme.attach", "family", familyReference, Purpose,
            Detail: string.Create(CultureInfo.InvariantCulture, $"attached to {framework.Id} on {attachedOn:yyyy-MM-dd}, cohort {(string.IsNullOrEmpty(cohort) ? "(none)" : cohort)}")));
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
    }

    private async Task<int> AttachCoreAsync(HearthDb db, Actor actor, Framework framework, IReadOnlyCollection<string> familyReferences, DateOnly attachedOn, string? cohort,
        bool? keyWorkerAssigned, bool? assessmentDone, bool? planCoversNeeds, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var attached = 0;
        foreach (var chunk in familyReferences.Chunk(2_000))
        {
            var refs = chunk.ToList();
            var ids = await db.Families.Where(f => EF.Parameter(refs).Contains(f.Reference)).Select(f => f.Id).ToListAsync(ct).ConfigureAwait(false);
            var already = (await db.ProgrammeAttachments.Where(a => a.Scheme == framework.Scheme && EF.Parameter(ids).Contains(a.FamilyId)).Select(a => a.FamilyId)
                .ToListAsync(ct).ConfigureAwait(false)).ToHashSet();
            ids.RemoveAll(already.Contains);
            var reader = new StoreFamilyReader(db, 2_000);
            var coverage = await reader.CoverageAsync(ct).ConfigureAwait(false);
            await foreach (var batch in reader.ReadAsync(coverage, attachedOn, null, ids, ct).ConfigureAwait(false))
            {
                var rows = new ProgrammeAttachment[batch.Count];
                Parallel.For(0, batch.Count, i =>
                {
                    var f = batch[i];
                    var data = f.Data with { Family = f.Data.Family with { AttachmentDate = attachedOn, Cohort = cohort } };
                    var baseline = engine.Baseline(framework, data)!;
                    var json = baseline.ToJson();
                    rows[i] = new ProgrammeAttachment
                    {
                        FamilyId = f.FamilyId,
                        Scheme = framework.Scheme,
                        FrameworkId = framework.Id,
                        FrameworkVersion = framework.Version,
                        FrameworkHash = framework.ContentHash,
                        AttachedOn = attachedOn,
                        Cohort = cohort,
                        BaselineJson = json,
                        BaselineSha256 = Sha256(json),
                        BaselineNeeds = baseline.Needs.Count,
                        KeyWorkerAssigned = keyWorkerAssigned,
                        AssessmentDone = assessmentDone,
                        PlanCoversNeeds = planCoversNeeds,
                        CreatedBy = actor.UserId,
                        CreatedUtc = now,
                    };
                });
                db.ProgrammeAttachments.AddRange(rows);
                attached += rows.Length;
            }
        }

        return attached;
    }

    /// <summary>Records a case's closure (date and reason) on the family's attachment to a scheme.</summary>
    public async Task CloseAsync(Actor actor, string scheme, string familyReference, DateOnly closedOn, string reason, CancellationToken ct = default)
    {
        await using var db = factory.Create();
        await RequireAsync(db, actor, "programme.close", "family", familyReference, [ClaimRole.Officer, ClaimRole.SeniorOfficer], ct).ConfigureAwait(false);
        var attachment = await (from a in db.ProgrammeAttachments
                                join f in db.Families on a.FamilyId equals f.Id
                                where a.Scheme == scheme && f.Reference == familyReference
                                select a).FirstOrDefaultAsync(ct).ConfigureAwait(false)
            ?? throw new ClaimRefusedException([new BrokenRule("Attached", $"family {familyReference} is not attached to {scheme}")]);
        if (string.IsNullOrWhiteSpace(reason) || closedOn < attachment.AttachedOn)
        {
            throw new ClaimRefusedException([new BrokenRule("ClosureRecorded", "a closure needs a reason and a date on or after attachment")]);
        }

        attachment.ClosedOn = closedOn;
        attachment.ClosureReason = reason;
        audit.Record(db, new AuditEvent(actor, "programme.close", "family", familyReference, Purpose));
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Measures every attached family's baseline needs from the current data as of a date (not started,
    /// progressing, met, sustained, lapsed or unknown, with the evidence), replacing the previous measurement.
    /// </summary>
    public async Task<OutcomeMeasurementResult> MeasureAsync(Actor actor, Framework framework, DateOnly asOf, int batchSize = 2_000, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(framework);
        await using var db = factory.Create();
        await RequireAsync(db, actor, "programme.measure", "framework", framework.Id, [ClaimRole.Officer, ClaimRole.SeniorOfficer], ct).ConfigureAwait(false);
        var ids = await db.ProgrammeAttachments.AsNoTracking().Where(a => a.FrameworkId == framework.Id).Select(a => a.FamilyId).ToListAsync(ct).ConfigureAwait(false);
        var counts = Enum.GetValues<NeedStatus>().ToDictionary(s => s, _ => 0);
        var families = 0;
        var now = clock.GetUtcNow().UtcDateTime;
        var reader = new StoreFamilyReader(db, batchSize);
        var coverage = await reader.CoverageAsync(ct).ConfigureAwait(false);
        await foreach (var batch in reader.ReadAsync(coverage, asOf, framework.Scheme, ids, ct).ConfigureAwait(false))
        {
            var attachmentIds = batch.Select(b => b.Attachment!.Id).ToList();
            await db.ProgrammeNeedMeasurements.Where(m => EF.Parameter(attachmentIds).Contains(m.AttachmentId)).ExecuteDeleteAsync(ct).ConfigureAwait(false);
            var rows = new List<ProgrammeNeedMeasurement>[batch.Count];
            Parallel.For(0, batch.Count, i =>
            {
                var f = batch[i];
                var report = engine.Measure(framework, f.Data, asOf, f.Baseline);
                rows[i] = [.. report.Needs.Select(n => new ProgrammeNeedMeasurement
                {
                    AttachmentId = f.Attachment!.Id,
                    NeedId = n.Need.Id,
                    PersonReference = n.PersonId,
                    Status = StatusName(n.Status),
                    Why = n.Why.Length > 1000 ? n.Why[..1000] : n.Why,
                    EvidenceJson = JsonSerializer.Serialize(EvidenceRecord.From(n.Evidence), ProgrammeJson.Options),
                    MeasuredAsOf = asOf,
                    MeasuredUtc = now,
                })];
            });
            foreach (var list in rows)
            {
                foreach (var r in list)
                {
                    counts[Enum.Parse<NeedStatus>(r.Status.Replace("_", string.Empty, StringComparison.Ordinal), ignoreCase: true)]++;
                }

                db.ProgrammeNeedMeasurements.AddRange(list);
            }

            families += batch.Count;
            await db.SaveChangesAsync(ct).ConfigureAwait(false);
            db.ChangeTracker.Clear();
        }

        audit.Record(db, new AuditEvent(actor, "programme.measure", "framework", framework.Id, Purpose,
            Detail: string.Create(CultureInfo.InvariantCulture, $"{families} families measured as of {asOf:yyyy-MM-dd}")));
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        return new OutcomeMeasurementResult(families, counts);
    }

    /// <summary>"NotStarted" → "not_started".</summary>
    public static string StatusName(NeedStatus status) => HearthDb.SnakeCaseName(status.ToString());

    /// <summary>
    /// Drafts a claim for every achieved result of every family attached to the framework, freezing the evidence,
    /// then draws the audit sample (random at <paramref name="sampleRate"/> from <paramref name="seed"/>, plus every
    /// risk-flagged and discretionary claim). Results already claimed (a live claim in any batch) are skipped.
    /// </summary>
    public async Task<ClaimBatchResult> BuildBatchAsync(Actor actor, Framework framework, ClaimWindow window, DateOnly claimDate, ulong seed, decimal sampleRate,
        int batchSize = 2_000, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(framework);
        ArgumentNullException.ThrowIfNull(window);
        await using var db = factory.Create();
        var role = await RequireAsync(db, actor, "claims.build", "framework", framework.Id, [ClaimRole.Officer], ct).ConfigureAwait(false);
        var now = clock.GetUtcNow().UtcDateTime;
        var batchRow = new ProgrammeClaimBatch
        {
            Reference = $"{framework.Id}/{window.Id}",
            FrameworkId = framework.Id,
            WindowId = window.Id,
            WindowStart = window.Period.Start,
            WindowEnd = window.Period.End,
            ClaimDate = claimDate,
            AllocationFamilies = window.AllocationFamilies,
            SampleSeed = unchecked((long)seed),
            SampleRate = sampleRate,
            CreatedBy = actor.UserId,
            CreatedUtc = now,
        };
        if (await db.ProgrammeClaimBatches.AnyAsync(b => b.Reference == batchRow.Reference, ct).ConfigureAwait(false))
        {
            throw new ClaimRefusedException([new BrokenRule("OneBatchPerWindow", $"batch {batchRow.Reference} already exists")]);
        }

        db.ProgrammeClaimBatches.Add(batchRow);
        await db.SaveChangesAsync(ct).ConfigureAwait(false);

        var ids = await db.ProgrammeAttachments.AsNoTracking().Where(a => a.FrameworkId == framework.Id).Select(a => a.FamilyId).ToListAsync(ct).ConfigureAwait(false);
        var live = (await db.ProgrammeClaims.AsNoTracking().Where(c => c.Scheme == framework.Scheme && c.Status != ClaimStatus.Rejected)
            .Select(c => new { c.FamilyId, c.ResultId }).ToListAsync(ct).ConfigureAwait(false)).Select(c => (c.FamilyId, c.ResultId)).ToHashSet();
        var claimActor = new ClaimActor(actor.UserId, role);
        var ledger = new ClaimLedger(engine, clock);
        var rows = new List<(ProgrammeClaim Row, Claim Claim)>();
        int assessed = 0, already = 0, refused = 0;
        var reader = new StoreFamilyReader(db, batchSize);
        var coverage = await reader.CoverageAsync(ct).ConfigureAwait(false);
        await foreach (var batch in reader.ReadAsync(coverage, claimDate, framework.Scheme, ids, ct).ConfigureAwait(false))
        {
            var assessments = new ClaimAssessment[batch.Count];
            Parallel.For(0, batch.Count, i => assessments[i] = ledger.Assess(framework, batch[i].Data, claimDate, batch[i].Baseline));
            for (var i = 0; i < batch.Count; i++)
            {
                assessed++;
                foreach (var r in assessments[i].Results.Where(r => r.Finding.Achieved == Truth.True))
                {
                    if (live.Contains((batch[i].FamilyId, r.Finding.Result.Id)))
                    {
                        already++;
                        continue;
                    }

                    var (claim, broken) = ledger.Draft(assessments[i], r.Finding.Result.Id, window, claimActor);
                    if (claim is null || broken.Count > 0)
                    {
                        refused++;
                        continue;
                    }

                    rows.Add((NewRow(claim, batch[i].FamilyId, batch[i].Attachment?.Id, batchRow.Id, framework, window, claimDate, actor, now), claim));
                }
            }
        }

        var sample = AuditSampler.Sample(ledger.Claims, seed, sampleRate, RiskFlagsSampled).ToDictionary(s => s.Claim.Id, s => string.Join("; ", s.Reasons), StringComparer.Ordinal);
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        foreach (var (row, claim) in rows)
        {
            row.SampledBecause = sample.GetValueOrDefault(claim.Id) is { } why ? Truncate(why, 100) : null;
            db.ProgrammeClaims.Add(row);
        }

        await SaveClaimsAsync(db, ct).ConfigureAwait(false);
        foreach (var (row, _) in rows)
        {
            db.ProgrammeClaimTransitions.Add(new ProgrammeClaimTransition { ClaimId = row.Id, FromStatus = ClaimStatus.Draft, ToStatus = ClaimStatus.Draft, ActorId = actor.UserId, ActorName = actor.UserName, AtUtc = now, Reason = "drafted, evidence frozen" });
        }

        audit.Record(db, new AuditEvent(actor, "claims.build", "claim_batch", batchRow.Reference, Purpose,
            Detail: string.Create(CultureInfo.InvariantCulture, $"{assessed} families assessed, {rows.Count} claims drafted, {sample.Count} sampled")));
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        var total = rows.Aggregate(Money.Zero, (m, r) => m + r.Claim.Amount);
        return new ClaimBatchResult(batchRow.Reference, assessed, rows.Count, already, refused, sample.Count, total);
    }

    /// <summary>
    /// A discretionary claim (F6): a senior officer's approval of a result the rules alone would not pay, with a
    /// written rationale. Always sampled for audit.
    /// </summary>
    public async Task<string> DraftDiscretionaryAsync(Actor actor, Framework framework, string familyReference, string resultId, ClaimWindow window, DateOnly claimDate, string rationale, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(framework);
        ArgumentNullException.ThrowIfNull(window);
        await using var db = factory.Create();
        var role = await RequireAsync(db, actor, "claims.draft_discretionary", "family", familyReference, [ClaimRole.SeniorOfficer], ct).ConfigureAwait(false);
        var familyId = await db.Families.Where(f => f.Reference == familyReference).Select(f => (long?)f.Id).FirstOrDefaultAsync(ct).ConfigureAwait(false)
            ?? throw new ClaimRefusedException([new BrokenRule("KnownFamily", $"no family {familyReference}")]);
        var reader = new StoreFamilyReader(db);
        var coverage = await reader.CoverageAsync(ct).ConfigureAwait(false);
        StoredFamily? family = null;
        await foreach (var b in reader.ReadAsync(coverage, claimDate, framework.Scheme, [familyId], ct).ConfigureAwait(false))
        {
            family = b.Count > 0 ? b[0] : null;
        }

        if (family is null)
        {
            throw new ClaimRefusedException([new BrokenRule("KnownFamily", $"family {familyReference} could not be read for {framework.Scheme}")]);
        }

        var ledger = new ClaimLedger(engine, clock);
        var assessment = ledger.Assess(framework, family.Data, claimDate, family.Baseline);
        var (claim, broken) = ledger.Draft(assessment, resultId, window, new ClaimActor(actor.UserId, role), new DiscretionaryApproval(actor.UserId, rationale));
        if (claim is null || broken.Count > 0)
        {
            audit.Record(db, new AuditEvent(actor, "claims.draft_discretionary", "family", familyReference, Purpose, AuditOutcomes.Denied, Truncate(string.Join("; ", broken), 400)));
            await db.SaveChangesAsync(ct).ConfigureAwait(false);
            throw new ClaimRefusedException(broken);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var row = NewRow(claim, familyId, family.Attachment?.Id, null, framework, window, claimDate, actor, now);
        row.SampledBecause = "discretionary (always sampled)";

        // A fresh ledger numbers from 1; count the claims (rejected ones included) already stored for the same window, family and result.
        var prefix = $"{window.Id}/{familyReference}/{resultId}/";
        var earlier = await db.ProgrammeClaims.CountAsync(c => c.Reference.StartsWith(prefix), ct).ConfigureAwait(false);
        row.Reference = prefix + (earlier + 1).ToString(CultureInfo.InvariantCulture);
        db.ProgrammeClaims.Add(row);
        await SaveClaimsAsync(db, ct).ConfigureAwait(false);
        db.ProgrammeClaimTransitions.Add(new ProgrammeClaimTransition { ClaimId = row.Id, FromStatus = ClaimStatus.Draft, ToStatus = ClaimStatus.Draft, ActorId = actor.UserId, ActorName = actor.UserName, AtUtc = now, Reason = "discretionary: " + Truncate(rationale, 900) });
        audit.Record(db, new AuditEvent(actor, "claims.draft_discretionary", "claim", row.Reference, Purpose));
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        return row.Reference;
    }

    /// <summary>
    /// Moves a claim along draft → ready → signed off / rejected → submitted → paid / clawed back, when the actor's
    /// role may make that move; rejecting and clawing back need a reason; the auditor who signs off must not have
    /// drafted or prepared the claim. Every move is recorded with who, when and why.
    /// </summary>
    public async Task MoveAsync(Actor actor, string claimReference, ClaimStatus to, string? reason = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var db = factory.Create();
        var claim = await db.ProgrammeClaims.FirstOrDefaultAsync(c => c.Reference == claimReference, ct).ConfigureAwait(false)
            ?? throw new ClaimRefusedException([new BrokenRule("KnownClaim", $"no claim {claimReference}")]);
        var broken = new List<BrokenRule>();
        if (!ClaimLedger.Allowed.TryGetValue((claim.Status, to), out var roles))
        {
            broken.Add(new BrokenRule("TransitionAllowed", $"a claim cannot go from {claim.Status} to {to}"));
        }
        else if (ClaimRoleOf(actor, roles) is null)
        {
            broken.Add(new BrokenRule("RoleMayAct", $"{string.Join(", ", actor.Roles.Order())} cannot move a claim from {claim.Status} to {to} (needs {string.Join(" or ", roles.Select(RoleName))})"));
        }

        if (to is ClaimStatus.Rejected or ClaimStatus.ClawedBack && string.IsNullOrWhiteSpace(reason))
        {
            broken.Add(new BrokenRule("ReasonGiven", $"moving a claim to {to} needs a reason"));
        }

        if (to == ClaimStatus.SignedOff && (claim.CreatedBy == actor.UserId
            || await db.ProgrammeClaimTransitions.AnyAsync(t => t.ClaimId == claim.Id && t.ActorId == actor.UserId, ct).ConfigureAwait(false)))
        {
            broken.Add(new BrokenRule("AuditorIndependent", "the internal auditor who signs off must not have drafted or prepared the claim (rule G8)"));
        }

        if (to == ClaimStatus.Submitted && broken.Count == 0)
        {
            broken.AddRange(await SubmissionChecksAsync(db, claim, ct).ConfigureAwait(false));
        }

        if (broken.Count > 0)
        {
            audit.Record(db, new AuditEvent(actor, "claims.move", "claim", Truncate(claimReference, 50), Purpose, AuditOutcomes.Denied, Truncate(string.Join("; ", broken), 400)));
            await db.SaveChangesAsync(ct).ConfigureAwait(false);
            throw new ClaimRefusedException(broken);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        db.ProgrammeClaimTransitions.Add(new ProgrammeClaimTransition { ClaimId = claim.Id, FromStatus = claim.Status, ToStatus = to, ActorId = actor.UserId, ActorName = actor.UserName, AtUtc = now, Reason = reason });
        audit.Record(db, new AuditEvent(actor, "claims.move", "claim", Truncate(claimReference, 50), Purpose, Detail: $"{claim.Status} → {to}"));
        claim.Status = to;
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Claims (optionally of one batch or window), newest first; a read audited per call.</summary>
    public async Task<IReadOnlyList<ProgrammeClaim>> ListAsync(Actor actor, string? windowId = null, ClaimStatus? status = null, CancellationToken ct = default)
    {
        await using var db = factory.Create();
        await RequireAsync(db, actor, "claims.list", "claims", windowId, [ClaimRole.Officer, ClaimRole.SeniorOfficer, ClaimRole.InternalAuditor], ct).ConfigureAwait(false);
        var q = db.ProgrammeClaims.AsNoTracking();
        if (windowId is not null)
        {
            q = q.Where(c => c.WindowId == windowId);
        }

        if (status is { } s)
        {
            q = q.Where(c => c.Status == s);
        }

        var list = await q.OrderBy(c => c.Reference).ToListAsync(ct).ConfigureAwait(false);
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        return list;
    }

    /// <summary>The status history of one claim.</summary>
    public async Task<IReadOnlyList<ProgrammeClaimTransition>> HistoryAsync(Actor actor, string claimReference, CancellationToken ct = default)
    {
        await using var db = factory.Create();
        await RequireAsync(db, actor, "claims.history", "claim", Truncate(claimReference, 50), [ClaimRole.Officer, ClaimRole.SeniorOfficer, ClaimRole.InternalAuditor], ct).ConfigureAwait(false);
        var list = await (from t in db.ProgrammeClaimTransitions.AsNoTracking()
                          join c in db.ProgrammeClaims on t.ClaimId equals c.Id
                          where c.Reference == claimReference
                          orderby t.Id
                          select t).ToListAsync(ct).ConfigureAwait(false);
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        return list;
    }

    /// <summary>
    /// Writes the claim pack of a window to a directory: claims.csv, claims.html (readable, with the sample and
    /// each claim's frozen evidence), evidence.json and national-return.csv (counts only). Returns the files.
    /// </summary>
    public async Task<IReadOnlyList<string>> ExportPackAsync(Actor actor, Framework framework, string windowId, string directory, CancellationToken ct = default)
    {
        var pack = await LoadPackAsync(actor, framework, windowId, ct).ConfigureAwait(false);
        Directory.CreateDirectory(directory);
        var files = new List<string>();
        string PathOf(string name)
        {
            var p = Path.Combine(directory, name);
            files.Add(p);
            return p;
        }

        await using (var csv = new StreamWriter(PathOf("claims.csv")))
        {
            pack.WriteCsv(csv);
        }

        await using (var html = new StreamWriter(PathOf("claims.html")))
        {
            pack.WriteHtml(html);
        }

        await File.WriteAllTextAsync(PathOf("evidence.json"), pack.EvidenceJson(), ct).ConfigureAwait(false);
        await File.WriteAllTextAsync(PathOf("national-return.csv"), pack.Return.ToCsv(), ct).ConfigureAwait(false);
        return files;
    }

    /// <summary>
    /// The claim pack of a window in memory: its claims with their frozen evidence and history, the audit sample
    /// and the national return (counts only). Audited as an export.
    /// </summary>
    public async Task<ClaimPackContent> LoadPackAsync(Actor actor, Framework framework, string windowId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(framework);
        await using var db = factory.Create();
        await RequireAsync(db, actor, "claims.export", "claims", windowId, [ClaimRole.Officer, ClaimRole.SeniorOfficer, ClaimRole.InternalAuditor], ct).ConfigureAwait(false);
        var rows = await db.ProgrammeClaims.AsNoTracking().Where(c => c.WindowId == windowId && c.FrameworkId == framework.Id).OrderBy(c => c.Reference).ToListAsync(ct).ConfigureAwait(false);
        var claimIds = rows.Select(r => r.Id).ToList();
        var transitions = (await db.ProgrammeClaimTransitions.AsNoTracking().Where(t => EF.Parameter(claimIds).Contains(t.ClaimId)).OrderBy(t => t.Id).ToListAsync(ct).ConfigureAwait(false))
            .ToLookup(t => t.ClaimId);
        var attached = await db.ProgrammeAttachments.CountAsync(a => a.FrameworkId == framework.Id, ct).ConfigureAwait(false);
        var claims = new List<Claim>();
        var sample = new List<SampledClaim>();
        ClaimWindow? window = null;
        foreach (var r in rows)
        {
            window ??= new ClaimWindow(r.WindowId, r.FrameworkId, new DatePeriod(r.WindowStart, r.WindowEnd), 0);
            var claim = new Claim(r.Reference, window, FrozenClaimEvidence.FromJson(r.EvidenceJson), r.EvidenceJson, new Money(r.AmountPence),
                r.Discretionary ? new DiscretionaryApproval(r.DiscretionaryApprovedBy ?? string.Empty, r.DiscretionaryRationale ?? string.Empty) : null,
                (r.RiskFlags ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries), r.CreatedBy);
            foreach (var t in transitions[r.Id].Where(t => t.FromStatus != t.ToStatus))
            {
                claim.Move(t.ToStatus, new ClaimActor(t.ActorId, ClaimRole.Officer), new DateTimeOffset(t.AtUtc, TimeSpan.Zero), t.Reason);
            }

            claims.Add(claim);
            if (r.SampledBecause is { } why)
            {
                sample.Add(new SampledClaim(claim, why.Split("; ")));
            }
        }

        window ??= new ClaimWindow(windowId, framework.Id, new DatePeriod(DateOnly.MinValue, DateOnly.MinValue), 0);
        audit.Record(db, new AuditEvent(actor, "claims.export", "claims", Truncate(windowId, 50), Purpose,
            Detail: string.Create(CultureInfo.InvariantCulture, $"{rows.Count} claims in the pack")));
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        return new ClaimPackContent(windowId, claims, sample, NationalReturn.Build(window, framework, attached, claims), [.. rows.Select(r => r.EvidenceJson)]);
    }

    /// <summary>The claim batches, newest first, with their claim counts and totals by status; a read audited per call.</summary>
    public async Task<IReadOnlyList<ClaimBatchSummary>> ListBatchesAsync(Actor actor, CancellationToken ct = default)
    {
        await using var db = factory.Create();
        await RequireAsync(db, actor, "claims.list", "claim_batches", null, [ClaimRole.Officer, ClaimRole.SeniorOfficer, ClaimRole.InternalAuditor], ct).ConfigureAwait(false);
        var batches = await db.ProgrammeClaimBatches.AsNoTracking().OrderByDescending(b => b.Id).ToListAsync(ct).ConfigureAwait(false);
        var stats = await db.ProgrammeClaims.AsNoTracking().GroupBy(c => new { c.FrameworkId, c.WindowId })
            .Select(g => new { g.Key.FrameworkId, g.Key.WindowId, Count = g.Count(), Sampled = g.Count(c => c.SampledBecause != null), Pence = g.Sum(c => c.AmountPence) })
            .ToListAsync(ct).ConfigureAwait(false);
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        return [.. batches.Select(b =>
        {
            var s = stats.FirstOrDefault(x => x.FrameworkId == b.FrameworkId && x.WindowId == b.WindowId);
            return new ClaimBatchSummary(b, s?.Count ?? 0, s?.Sampled ?? 0, new Money(s?.Pence ?? 0));
        })];
    }

    /// <summary>
    /// One claim for reading: its row, frozen evidence, family reference, batch, history (who, when, why) and the
    /// moves the actor's role may make now. A read audited per call.
    /// </summary>
    public async Task<ClaimDetail> GetAsync(Actor actor, string claimReference, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var db = factory.Create();
        await RequireAsync(db, actor, "claims.view", "claim", Truncate(claimReference, 50), [ClaimRole.Officer, ClaimRole.SeniorOfficer, ClaimRole.InternalAuditor], ct).ConfigureAwait(false);
        var claim = await db.ProgrammeClaims.AsNoTracking().FirstOrDefaultAsync(c => c.Reference == claimReference, ct).ConfigureAwait(false);
        if (claim is null)
        {
            await db.SaveChangesAsync(ct).ConfigureAwait(false);
            throw new ClaimNotFoundException(claimReference);
        }

        var family = await db.Families.AsNoTracking().Where(f => f.Id == claim.FamilyId).Select(f => f.Reference).FirstAsync(ct).ConfigureAwait(false);
        var batch = claim.BatchId is { } b ? await db.ProgrammeClaimBatches.AsNoTracking().FirstOrDefaultAsync(x => x.Id == b, ct).ConfigureAwait(false) : null;
        var history = await db.ProgrammeClaimTransitions.AsNoTracking().Where(t => t.ClaimId == claim.Id).OrderBy(t => t.Id).ToListAsync(ct).ConfigureAwait(false);
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        var moves = new List<ClaimStatus>();
        foreach (var ((from, to), roles) in ClaimLedger.Allowed)
        {
            if (from == claim.Status && ClaimRoleOf(actor, roles) is not null
                && !(to == ClaimStatus.SignedOff && (claim.CreatedBy == actor.UserId || history.Any(h => h.ActorId == actor.UserId))))
            {
                moves.Add(to);
            }
        }

        return new ClaimDetail(claim, FrozenClaimEvidence.FromJson(claim.EvidenceJson), family, batch, history, [.. moves.Order()]);
    }

    /// <summary>
    /// A family's programme outcomes: for each framework it is attached to, the baseline (date and needs) and each
    /// need's last measured status with its evidence. The caller has authorised access to the family's case;
    /// this reads no other family.
    /// </summary>
    public static async Task<IReadOnlyList<FamilyOutcomes>> FamilyOutcomesAsync(HearthDb db, string familyReference, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var attachments = await (from a in db.ProgrammeAttachments.AsNoTracking()
                                 join f in db.Families on a.FamilyId equals f.Id
                                 where f.Reference == familyReference
                                 orderby a.AttachedOn
                                 select a).ToListAsync(ct).ConfigureAwait(false);
        var ids = attachments.Select(a => a.Id).ToList();
        var measured = (await db.ProgrammeNeedMeasurements.AsNoTracking().Where(m => EF.Parameter(ids).Contains(m.AttachmentId)).OrderBy(m => m.NeedId).ThenBy(m => m.PersonReference)
            .ToListAsync(ct).ConfigureAwait(false)).ToLookup(m => m.AttachmentId);
        return [.. attachments.Select(a => new FamilyOutcomes(a, BaselineSnapshot.FromJson(a.BaselineJson),
            [.. measured[a.Id].Select(m => new MeasuredNeed(m, JsonSerializer.Deserialize<List<EvidenceRecord>>(m.EvidenceJson, ProgrammeJson.Options) ?? []))]))];
    }

    /// <summary>
    /// What a submission must satisfy beyond the status machine: the claim window is open today, the window's
    /// allocation is not exceeded by families with submitted or paid claims (rules B6, G7), and no other claim for
    /// the same family and result under the scheme has been submitted (the database index guards drafting; this
    /// guards submission).
    /// </summary>
    private async Task<List<BrokenRule>> SubmissionChecksAsync(HearthDb db, ProgrammeClaim claim, CancellationToken ct)
    {
        var broken = new List<BrokenRule>();
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var window = new DatePeriod(claim.WindowStart, claim.WindowEnd);
        if (!window.Contains(today))
        {
            broken.Add(new BrokenRule("WithinClaimWindow", string.Create(CultureInfo.InvariantCulture, $"window {claim.WindowId} ({window}) is not open on {today:yyyy-MM-dd}")));
        }

        var allocation = await db.ProgrammeClaimBatches.AsNoTracking().Where(b => b.FrameworkId == claim.FrameworkId && b.WindowId == claim.WindowId)
            .Select(b => (int?)b.AllocationFamilies).FirstOrDefaultAsync(ct).ConfigureAwait(false);
        if (allocation is { } cap)
        {
            var claimed = await db.ProgrammeClaims.AsNoTracking()
                .Where(c => c.FrameworkId == claim.FrameworkId && c.WindowId == claim.WindowId && (c.Status == ClaimStatus.Submitted || c.Status == ClaimStatus.Paid))
                .Select(c => c.FamilyId).Distinct().ToListAsync(ct).ConfigureAwait(false);
            if (!claimed.Contains(claim.FamilyId) && claimed.Count >= cap)
            {
                broken.Add(new BrokenRule("AllocationCap", string.Create(CultureInfo.InvariantCulture,
                    $"window {claim.WindowId} already has {claimed.Count} of its {cap} allocated families claimed (rules B6, G7)")));
            }
        }

        var other = await db.ProgrammeClaims.AsNoTracking()
            .Where(c => c.Id != claim.Id && c.Scheme == claim.Scheme && c.FamilyId == claim.FamilyId && c.ResultId == claim.ResultId
                && (c.Status == ClaimStatus.Submitted || c.Status == ClaimStatus.Paid || c.Status == ClaimStatus.ClawedBack))
            .Select(c => c.Reference).FirstOrDefaultAsync(ct).ConfigureAwait(false);
        if (other is not null)
        {
            broken.Add(new BrokenRule("NoDoubleClaim", $"claim {other} for the same family and result under {claim.Scheme} has already been submitted"));
        }

        return broken;
    }

    /// <summary>Whether a failed save broke the no-double-claim index, and a message saying so.</summary>
    public static bool IsDoubleClaim(DbUpdateException ex, out string message)
    {
        ArgumentNullException.ThrowIfNull(ex);
        var text = ex.InnerException?.Message ?? ex.Message;
        var hit = text.Contains(HearthDb.NoDoubleClaimIndex, StringComparison.Ordinal)
            || text.Contains("programme_claims.scheme, programme_claims.family_id, programme_claims.result_id", StringComparison.Ordinal);
        message = hit
            ? "NoDoubleClaim: the family already has a live claim for this result under this scheme (refused by the database's unique index " + HearthDb.NoDoubleClaimIndex + ")"
            : text;
        return hit;
    }

    private static async Task SaveClaimsAsync(HearthDb db, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct).ConfigureAwait(false);
        }
        catch (DbUpdateException ex) when (IsDoubleClaim(ex, out var message))
        {
            throw new ClaimRefusedException([new BrokenRule("NoDoubleClaim", message)]);
        }
    }

    private static ProgrammeClaim NewRow(Claim claim, long familyId, long? attachmentId, long? batchId, Framework framework, ClaimWindow window, DateOnly claimDate, Actor actor, DateTime now) => new()
    {
        Reference = claim.Id,
        BatchId = batchId,
        FamilyId = familyId,
        AttachmentId = attachmentId,
        Scheme = framework.Scheme,
        FrameworkId = framework.Id,
        FrameworkVersion = framework.Version,
        ResultId = claim.ResultId,
        WindowId = window.Id,
        WindowStart = window.Period.Start,
        WindowEnd = window.Period.End,
        ClaimDate = claimDate,
        AmountPence = claim.Amount.Pence,
        Status = ClaimStatus.Draft,
        Discretionary = claim.Discretionary is not null,
        DiscretionaryRationale = claim.Discretionary?.Rationale,
        DiscretionaryApprovedBy = claim.Discretionary?.OfficerId,
        RiskFlags = claim.RiskFlags.Count == 0 ? null : string.Join(',', claim.RiskFlags),
        EvidenceJson = claim.EvidenceJson,
        EvidenceSha256 = Sha256(claim.EvidenceJson),
        CreatedBy = actor.UserId,
        CreatedUtc = now,
    };

    private async Task<ClaimRole> RequireAsync(HearthDb db, Actor actor, string action, string subjectType, string? subjectId, ClaimRole[] roles, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var role = ClaimRoleOf(actor, roles);
        if (role is { } r)
        {
            if (action is "claims.list" or "claims.history" or "claims.view")
            {
                audit.Record(db, new AuditEvent(actor, action, subjectType, subjectId, Purpose));
            }

            return r;
        }

        audit.Record(db, new AuditEvent(actor, action, subjectType, subjectId, Purpose, AuditOutcomes.Denied));
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        throw new ProgrammeAccessDeniedException($"{actor.UserName} may not do {action}: it needs the {string.Join(" or ", roles.Select(RoleName))} role");
    }

    private static string RoleName(ClaimRole role) => role switch
    {
        ClaimRole.Officer => "DataLead",
        ClaimRole.SeniorOfficer => "TeamManager",
        _ => "Auditor",
    };

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..max];

    internal static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
