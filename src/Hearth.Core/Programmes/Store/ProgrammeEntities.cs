namespace Hearth.Core.Programmes;

/// <summary>
/// A family taken onto a programme framework: when, in which cohort, and the needs it had that day, frozen as
/// JSON (<see cref="BaselineSnapshot"/>) so later corrections to the data do not move the baseline. One row per
/// family and scheme (a family is on a scheme once).
/// </summary>
public sealed class ProgrammeAttachment
{
    public long Id { get; set; }

    public long FamilyId { get; set; }

    /// <summary>The framework's scheme (e.g. "supporting-families"): what the no-double-claim rule counts within.</summary>
    public required string Scheme { get; set; }

    public required string FrameworkId { get; set; }

    public required string FrameworkVersion { get; set; }

    /// <summary>SHA-256 of the rules file the baseline was taken with.</summary>
    public required string FrameworkHash { get; set; }

    public DateOnly AttachedOn { get; set; }

    /// <summary>A local cohort name (e.g. "2024-Q1 early help"), so two frameworks can run for different cohorts.</summary>
    public string? Cohort { get; set; }

    public DateOnly? ClosedOn { get; set; }

    /// <summary>Why the case closed, e.g. "plan complete", "moved away", "stepped up to social care".</summary>
    public string? ClosureReason { get; set; }

    /// <summary>The needs raised on the attachment date, with their evidence, as <see cref="BaselineSnapshot.ToJson"/> wrote them.</summary>
    public required string BaselineJson { get; set; }

    /// <summary>Case prerequisite (F3, G4): a named key worker or lead practitioner; null while not recorded.</summary>
    public bool? KeyWorkerAssigned { get; set; }

    /// <summary>Case prerequisite: a whole-family assessment was done; null while not recorded.</summary>
    public bool? AssessmentDone { get; set; }

    /// <summary>Case prerequisite: the family plan covers every identified need; null while not recorded.</summary>
    public bool? PlanCoversNeeds { get; set; }

    /// <summary>Lower-case hex SHA-256 of <see cref="BaselineJson"/>.</summary>
    public required string BaselineSha256 { get; set; }

    public int BaselineNeeds { get; set; }

    public required string CreatedBy { get; set; }

    public DateTime CreatedUtc { get; set; }
}

/// <summary>Where one baseline need stands, as last measured from the current data.</summary>
public sealed class ProgrammeNeedMeasurement
{
    public long Id { get; set; }

    public long AttachmentId { get; set; }

    public required string NeedId { get; set; }

    /// <summary>The member's person reference, or null for a household need.</summary>
    public string? PersonReference { get; set; }

    /// <summary>not_started, progressing, met, sustained, lapsed or unknown.</summary>
    public required string Status { get; set; }

    public required string Why { get; set; }

    /// <summary>The success condition's evidence (events, values, windows) as JSON.</summary>
    public required string EvidenceJson { get; set; }

    public DateOnly MeasuredAsOf { get; set; }

    public DateTime MeasuredUtc { get; set; }
}

/// <summary>A set of claims built for one claim window, with the seed its audit sample was drawn with.</summary>
public sealed class ProgrammeClaimBatch
{
    public long Id { get; set; }

    /// <summary>e.g. "supporting-families-2022/2024-25-q4".</summary>
    public required string Reference { get; set; }

    public required string FrameworkId { get; set; }

    public required string WindowId { get; set; }

    public DateOnly WindowStart { get; set; }

    public DateOnly WindowEnd { get; set; }

    public DateOnly ClaimDate { get; set; }

    public int AllocationFamilies { get; set; }

    /// <summary>Seed of the random part of the audit sample: the same seed draws the same sample.</summary>
    public long SampleSeed { get; set; }

    public decimal SampleRate { get; set; }

    public required string CreatedBy { get; set; }

    public DateTime CreatedUtc { get; set; }
}

/// <summary>
/// A results claim for one family and one result with the evidence frozen at claim time. The database allows
/// one live (not rejected) claim per scheme, family and result: a second one fails on a unique index whatever
/// the code above it checked.
/// </summary>
public sealed class ProgrammeClaim
{
    public long Id { get; set; }

    /// <summary>Shown to users, e.g. "2024-25-q4/F0000123/successful_family_outcome".</summary>
    public required string Reference { get; set; }

    public long? BatchId { get; set; }

    public long FamilyId { get; set; }

    public long? AttachmentId { get; set; }

    public required string Scheme { get; set; }

    public required string FrameworkId { get; set; }

    public required string FrameworkVersion { get; set; }

    /// <summary>The result claimed (the framework's result id): the "result kind" of the no-double-claim rule.</summary>
    public required string ResultId { get; set; }

    public required string WindowId { get; set; }

    public DateOnly WindowStart { get; set; }

    public DateOnly WindowEnd { get; set; }

    public DateOnly ClaimDate { get; set; }

    public long AmountPence { get; set; }

    public ClaimStatus Status { get; set; }

    public bool Discretionary { get; set; }

    /// <summary>The senior officer's rationale for a discretionary claim.</summary>
    public string? DiscretionaryRationale { get; set; }

    public string? DiscretionaryApprovedBy { get; set; }

    /// <summary>Comma-separated risk flags (discretionary, near_threshold, short_intervention).</summary>
    public string? RiskFlags { get; set; }

    /// <summary>Why the claim was drawn into the audit sample ("random", "risk:discretionary"), or null.</summary>
    public string? SampledBecause { get; set; }

    /// <summary>The frozen evidence (<see cref="FrozenClaimEvidence"/> as JSON): events, values, windows, rules file hash.</summary>
    public required string EvidenceJson { get; set; }

    /// <summary>Lower-case hex SHA-256 of <see cref="EvidenceJson"/>.</summary>
    public required string EvidenceSha256 { get; set; }

    public required string CreatedBy { get; set; }

    public DateTime CreatedUtc { get; set; }
}

/// <summary>One change of a claim's status: who, when and why.</summary>
public sealed class ProgrammeClaimTransition
{
    public long Id { get; set; }

    public long ClaimId { get; set; }

    public ClaimStatus FromStatus { get; set; }

    public ClaimStatus ToStatus { get; set; }

    public required string ActorId { get; set; }

    public required string ActorName { get; set; }

    public DateTime AtUtc { get; set; }

    public string? Reason { get; set; }
}
