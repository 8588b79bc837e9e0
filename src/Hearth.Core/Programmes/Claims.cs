using System.Text.Json;

namespace Hearth.Core.Programmes;

/// <summary>Where a results claim is in its life.</summary>
public enum ClaimStatus
{
    Draft,
    Ready,
    SignedOff,
    Rejected,
    Submitted,
    Paid,
    ClawedBack,
}

/// <summary>What a person may do with claims.</summary>
public enum ClaimRole
{
    Officer,
    SeniorOfficer,
    InternalAuditor,
}

/// <summary>Who acts on a claim (an account id, never a name).</summary>
public sealed record ClaimActor(string Id, ClaimRole Role);

/// <summary>A period in which claims may be made against a framework, with the allocation that caps them.</summary>
public sealed record ClaimWindow(string Id, string FrameworkId, DatePeriod Period, int AllocationFamilies);

/// <summary>A named claim rule that was broken, and why.</summary>
public sealed record BrokenRule(string Rule, string Message)
{
    public override string ToString() => $"{Rule}: {Message}";
}

/// <summary>A change of status, who made it, when and under which rule or reason.</summary>
public sealed record ClaimTransition(ClaimStatus From, ClaimStatus To, string ActorId, DateTimeOffset At, string? Reason);

/// <summary>A senior officer's approval of a claim the rules alone would not pay (rule F6).</summary>
public sealed record DiscretionaryApproval(string OfficerId, string Rationale);

/// <summary>A need as it stood when the claim was made.</summary>
public sealed record FrozenNeed(string NeedId, string HeadlineId, string? PersonId, string Status, string Why, IReadOnlyList<EvidenceRecord> Evidence);

/// <summary>A measure as it stood when the claim was made.</summary>
public sealed record FrozenMeasure(string MeasureId, string Holds, IReadOnlyList<EvidenceRecord> Evidence);

/// <summary>
/// Everything the claimant saw, copied by value: the exact events, values, windows and the rules file (by id,
/// version and SHA-256). Serialised to JSON it stays the same after source data is corrected.
/// </summary>
public sealed record FrozenClaimEvidence(
    string FamilyId,
    string FrameworkId,
    string Scheme,
    string Version,
    string FrameworkFile,
    string FrameworkHash,
    DateOnly ClaimDate,
    DateOnly? AttachmentDate,
    DateOnly? ClosureDate,
    string ResultId,
    string ResultTitle,
    string ResultRule,
    string ResultOutcome,
    long AmountPence,
    IReadOnlyDictionary<string, string> Parameters,
    BaselineSnapshot? Baseline,
    IReadOnlyList<FrozenNeed> Needs,
    IReadOnlyList<FrozenMeasure> Measures,
    IReadOnlyList<EvidenceRecord> RuleEvidence)
{
    public string ToJson() => JsonSerializer.Serialize(this, ProgrammeJson.Options);

    public static FrozenClaimEvidence FromJson(string json) =>
        JsonSerializer.Deserialize<FrozenClaimEvidence>(json, ProgrammeJson.Options) ?? throw new JsonException("empty claim evidence");
}

/// <summary>A result a family has achieved (or not) on a claim date, with the payment after the family cap.</summary>
public sealed record ClaimableResult(ResultFinding Finding, Money Payment, string? CapNote);

/// <summary>A family's claim position on a date: every result with what it would pay.</summary>
public sealed record ClaimAssessment(Framework Framework, ProgrammeFamily Family, DateOnly ClaimDate, OutcomeReport Report, IReadOnlyList<ClaimableResult> Results, IReadOnlyList<string> RiskFlags);

/// <summary>A results claim for one family and one result.</summary>
public sealed class Claim
{
    private readonly List<ClaimTransition> _history = [];

    internal Claim(string id, ClaimWindow window, FrozenClaimEvidence evidence, string evidenceJson, Money amount, DiscretionaryApproval? discretionary, IReadOnlyList<string> riskFlags, string createdBy)
    {
        Id = id;
        Window = window;
        Evidence = evidence;
        EvidenceJson = evidenceJson;
        Amount = amount;
        Discretionary = discretionary;
        RiskFlags = riskFlags;
        CreatedBy = createdBy;
    }

    public string Id { get; }

    public ClaimWindow Window { get; }

    public string FamilyId => Evidence.FamilyId;

    public string FrameworkId => Evidence.FrameworkId;

    public string ResultId => Evidence.ResultId;

    public Money Amount { get; }

    public ClaimStatus Status { get; private set; } = ClaimStatus.Draft;

    public DiscretionaryApproval? Discretionary { get; }

    /// <summary>Risk flags for audit sampling, computed when the evidence was frozen.</summary>
    public IReadOnlyList<string> RiskFlags { get; }

    public string CreatedBy { get; }

    /// <summary>The frozen evidence.</summary>
    public FrozenClaimEvidence Evidence { get; }

    /// <summary>The frozen evidence exactly as serialised at claim time.</summary>
    public string EvidenceJson { get; }

    public IReadOnlyList<ClaimTransition> History => _history;

    internal void Move(ClaimStatus to, ClaimActor actor, DateTimeOffset at, string? reason)
    {
        _history.Add(new ClaimTransition(Status, to, actor.Id, at, reason));
        Status = to;
    }
}

/// <summary>
/// Claims for one authority: assessment, freezing of evidence, the guarded status machine
/// (draft → ready → signed off / rejected → submitted → paid / clawed back), the double-claim check and the
/// allocation cap. Every refusal names the rule that was broken.
/// </summary>
public sealed class ClaimLedger(ProgrammeEngine engine, TimeProvider clock)
{
    /// <summary>A claim made within this many days of attachment is flagged for risk-based sampling.</summary>
    public const int ShortInterventionDays = 183;

    internal static readonly Dictionary<(ClaimStatus, ClaimStatus), ClaimRole[]> Allowed = new()
    {
        [(ClaimStatus.Draft, ClaimStatus.Ready)] = [ClaimRole.Officer, ClaimRole.SeniorOfficer],
        [(ClaimStatus.Ready, ClaimStatus.SignedOff)] = [ClaimRole.InternalAuditor],
        [(ClaimStatus.Ready, ClaimStatus.Rejected)] = [ClaimRole.InternalAuditor],
        [(ClaimStatus.SignedOff, ClaimStatus.Submitted)] = [ClaimRole.Officer, ClaimRole.SeniorOfficer],
        [(ClaimStatus.Submitted, ClaimStatus.Paid)] = [ClaimRole.Officer, ClaimRole.SeniorOfficer],
        [(ClaimStatus.Submitted, ClaimStatus.Rejected)] = [ClaimRole.Officer, ClaimRole.SeniorOfficer],
        [(ClaimStatus.Paid, ClaimStatus.ClawedBack)] = [ClaimRole.Officer, ClaimRole.SeniorOfficer],
    };

    private readonly List<Claim> _claims = [];
    private readonly Dictionary<(string Framework, string Family), List<Claim>> _byFamily = [];
    private readonly Dictionary<string, HashSet<string>> _claimedFamiliesByWindow = new(StringComparer.Ordinal);

    public IReadOnlyList<Claim> Claims => _claims;

    /// <summary>What each result would pay the family on <paramref name="claimDate"/>, after the family cap (rule C4).</summary>
    public ClaimAssessment Assess(Framework framework, ProgrammeFamilyData data, DateOnly claimDate, BaselineSnapshot? baseline = null)
    {
        ArgumentNullException.ThrowIfNull(framework);
        ArgumentNullException.ThrowIfNull(data);
        var report = engine.Measure(framework, data, claimDate, baseline);
        var already = Live(framework.Id, data.Family.FamilyId).Aggregate(Money.Zero, (sum, c) => sum + c.Amount);
        var attachment = framework.AttachmentFeeFor(data.Family.AttachmentDate);
        var results = new List<ClaimableResult>();
        foreach (var r in report.Results)
        {
            var pay = r.Payment;
            string? note = null;
            if (framework.CapPerFamily is { } cap)
            {
                var room = Money.Max(Money.Zero, cap - attachment - already);
                if (pay > room)
                {
                    note = $"capped at {room} by the {cap} family cap (attachment fee {attachment}, results already claimed {already})";
                    pay = room;
                }
            }

            results.Add(new ClaimableResult(r, pay, note));
        }

        var flags = new List<string>();
        if (data.Family.AttachmentDate is { } a && claimDate.DayNumber - a.DayNumber < ShortInterventionDays)
        {
            flags.Add("short_intervention");
        }

        if (report.Needs.SelectMany(n => n.Evidence).Concat(report.Measures.SelectMany(m => m.Members).SelectMany(m => m.Evidence)).Any(NearThreshold))
        {
            flags.Add("near_threshold");
        }

        return new ClaimAssessment(framework, data.Family, claimDate, report, results, flags);
    }

    /// <summary>Drafts a claim for an achieved result, freezing the evidence. Discretionary claims need a senior officer's rationale.</summary>
    public (Claim? Claim, IReadOnlyList<BrokenRule> Broken) Draft(ClaimAssessment assessment, string resultId, ClaimWindow window, ClaimActor actor, DiscretionaryApproval? discretionary = null)
    {
        ArgumentNullException.ThrowIfNull(assessment);
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(actor);
        var broken = new List<BrokenRule>();
        var framework = assessment.Framework;
        var result = assessment.Results.FirstOrDefault(r => r.Finding.Result.Id == resultId);
        if (result is null)
        {
            return (null, [new BrokenRule("KnownResult", $"{framework.Id} has no result '{resultId}'")]);
        }

        if (window.FrameworkId != framework.Id)
        {
            broken.Add(new BrokenRule("WindowMatchesFramework", $"window {window.Id} is for {window.FrameworkId}, the family follows {framework.Id}"));
        }

        if (!window.Period.Contains(assessment.ClaimDate))
        {
            broken.Add(new BrokenRule("WithinClaimWindow", $"claim date {assessment.ClaimDate:yyyy-MM-dd} is outside window {window.Id} ({window.Period})"));
        }

        if (discretionary is null && result.Finding.Achieved != Truth.True)
        {
            broken.Add(new BrokenRule("ResultAchieved", $"{resultId} is {result.Finding.Achieved.Word()}{(result.Finding.UnknownReason is { } why ? " (" + why + ")" : string.Empty)}"));
        }

        if (discretionary is not null)
        {
            if (!framework.DiscretionaryClaims)
            {
                broken.Add(new BrokenRule("DiscretionAllowed", $"{framework.Id} does not allow discretionary claims"));
            }

            if (actor.Role != ClaimRole.SeniorOfficer || discretionary.OfficerId != actor.Id)
            {
                broken.Add(new BrokenRule("SeniorOfficerApproves", "a discretionary claim is drafted by the senior officer who approves it"));
            }

            if (string.IsNullOrWhiteSpace(discretionary.Rationale) || discretionary.Rationale.Trim().Length < 20)
            {
                broken.Add(new BrokenRule("RationaleRecorded", "a discretionary claim needs the senior officer's rationale (at least 20 characters)"));
            }
        }

        var duplicate = Live(framework.Id, assessment.Family.FamilyId).FirstOrDefault(c => c.ResultId == resultId);
        if (duplicate is not null)
        {
            broken.Add(new BrokenRule("NoDoubleClaim", $"family {assessment.Family.FamilyId} already has claim {duplicate.Id} for {resultId} ({duplicate.Status})"));
        }

        if (result.Payment <= Money.Zero)
        {
            broken.Add(new BrokenRule("FamilyCap", result.CapNote ?? "the result pays nothing"));
        }

        if (broken.Count > 0)
        {
            return (null, broken);
        }

        var evidence = Freeze(assessment, result);
        var flags = assessment.RiskFlags.ToList();
        if (discretionary is not null)
        {
            flags.Insert(0, "discretionary");
        }

        var key = (framework.Id, assessment.Family.FamilyId);
        if (!_byFamily.TryGetValue(key, out var mine))
        {
            _byFamily[key] = mine = [];
        }

        var id = $"{window.Id}/{assessment.Family.FamilyId}/{resultId}/{mine.Count + 1}";
        var claim = new Claim(id, window, evidence, evidence.ToJson(), result.Payment, discretionary, flags, actor.Id);
        _claims.Add(claim);
        mine.Add(claim);
        return (claim, []);
    }

    public IReadOnlyList<BrokenRule> MarkReady(Claim claim, ClaimActor actor) => Move(claim, ClaimStatus.Ready, actor, null);

    public IReadOnlyList<BrokenRule> SignOff(Claim claim, ClaimActor auditor) => Move(claim, ClaimStatus.SignedOff, auditor, null);

    public IReadOnlyList<BrokenRule> Reject(Claim claim, ClaimActor actor, string reason) => Move(claim, ClaimStatus.Rejected, actor, reason);

    public IReadOnlyList<BrokenRule> Submit(Claim claim, ClaimActor actor) => Move(claim, ClaimStatus.Submitted, actor, null);

    public IReadOnlyList<BrokenRule> MarkPaid(Claim claim, ClaimActor actor) => Move(claim, ClaimStatus.Paid, actor, null);

    public IReadOnlyList<BrokenRule> ClawBack(Claim claim, ClaimActor actor, string reason) => Move(claim, ClaimStatus.ClawedBack, actor, reason);

    private List<BrokenRule> Move(Claim claim, ClaimStatus to, ClaimActor actor, string? reason)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(actor);
        var broken = new List<BrokenRule>();
        if (!Allowed.TryGetValue((claim.Status, to), out var roles))
        {
            return [new BrokenRule("TransitionAllowed", $"a claim cannot go from {claim.Status} to {to}")];
        }

        if (!roles.Contains(actor.Role))
        {
            broken.Add(new BrokenRule("RoleMayAct", $"{actor.Role} cannot move a claim from {claim.Status} to {to} (needs {string.Join(" or ", roles)})"));
        }

        if (to is ClaimStatus.Rejected or ClaimStatus.ClawedBack && string.IsNullOrWhiteSpace(reason))
        {
            broken.Add(new BrokenRule("ReasonGiven", $"moving a claim to {to} needs a reason"));
        }

        if (to == ClaimStatus.SignedOff && (actor.Id == claim.CreatedBy || claim.History.Any(h => h.ActorId == actor.Id)))
        {
            broken.Add(new BrokenRule("AuditorIndependent", "the internal auditor who signs off must not have drafted or prepared the claim (rule G8)"));
        }

        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        if (to == ClaimStatus.Submitted)
        {
            if (!claim.Window.Period.Contains(today))
            {
                broken.Add(new BrokenRule("WithinClaimWindow", $"window {claim.Window.Id} ({claim.Window.Period}) is not open on {today:yyyy-MM-dd}"));
            }

            var families = ClaimedFamilies(claim.Window.Id);
            if (!families.Contains(claim.FamilyId) && families.Count >= claim.Window.AllocationFamilies)
            {
                broken.Add(new BrokenRule("AllocationCap", $"window {claim.Window.Id} already has {families.Count} of its {claim.Window.AllocationFamilies} allocated families claimed (rules B6, G7)"));
            }
        }

        if (broken.Count == 0)
        {
            claim.Move(to, actor, clock.GetUtcNow(), reason);
            var families = ClaimedFamilies(claim.Window.Id);
            if (to == ClaimStatus.Submitted)
            {
                families.Add(claim.FamilyId);
            }
            else if (to is ClaimStatus.Rejected or ClaimStatus.ClawedBack
                && !Live(claim.FrameworkId, claim.FamilyId).Any(c => c.Window.Id == claim.Window.Id && c.Status is ClaimStatus.Submitted or ClaimStatus.Paid))
            {
                families.Remove(claim.FamilyId);
            }
        }

        return broken;
    }

    /// <summary>Families with a submitted or paid claim in the window: what the allocation caps.</summary>
    private HashSet<string> ClaimedFamilies(string windowId)
    {
        if (!_claimedFamiliesByWindow.TryGetValue(windowId, out var set))
        {
            _claimedFamiliesByWindow[windowId] = set = new HashSet<string>(StringComparer.Ordinal);
        }

        return set;
    }

    /// <summary>A family's claims that still count: everything except rejected ones.</summary>
    private IEnumerable<Claim> Live(string frameworkId, string familyId) =>
        _byFamily.TryGetValue((frameworkId, familyId), out var list) ? list.Where(c => c.Status != ClaimStatus.Rejected) : [];

    private static bool NearThreshold(Evidence e)
    {
        if (e.Kind != EvidenceKind.Test || e.Comparison is "==" or "!=" || e.NumericValue is not { } v || e.NumericThreshold is not { } t)
        {
            return false;
        }

        // Within one percentage point of a rate threshold, or exactly on a count threshold.
        return t is > 0 and < 1 ? Math.Abs(v - t) <= 0.01m : v == t;
    }

    private static FrozenClaimEvidence Freeze(ClaimAssessment a, ClaimableResult result)
    {
        var f = a.Framework;
        var report = a.Report;
        return new FrozenClaimEvidence(
            a.Family.FamilyId,
            f.Id,
            f.Scheme,
            f.Version,
            f.FileName,
            f.ContentHash,
            a.ClaimDate,
            a.Family.AttachmentDate,
            a.Family.ClosureDate,
            result.Finding.Result.Id,
            result.Finding.Result.Title,
            result.Finding.Result.RuleText,
            result.Finding.Achieved.Word(),
            result.Payment.Pence,
            f.Parameters.Values.OrderBy(p => p.Name, StringComparer.Ordinal).ToDictionary(p => p.Name, p => p.Text, StringComparer.Ordinal),
            report.Baseline,
            [.. report.Needs.Select(n => new FrozenNeed(n.Need.Id, n.Need.HeadlineId, n.PersonId, n.Status.ToString(), n.Why, EvidenceRecord.From(n.Evidence)))],
            [.. report.Measures.Select(m => new FrozenMeasure(m.Measure.Id, m.Holds.Word(), EvidenceRecord.From(m.Members.SelectMany(x => x.Evidence))))],
            EvidenceRecord.From(result.Finding.Evidence));
    }
}
