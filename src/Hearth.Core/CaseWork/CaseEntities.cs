namespace Hearth.Core.CaseWork;

/// <summary>Where a family's case stands. A case moves forward only: identified → allocated → active → closed.</summary>
public enum CaseStatus
{
    /// <summary>The family has been identified for the programme and waits for allocation.</summary>
    Identified,

    /// <summary>A team (and usually a key worker) has been given the family; work has not started.</summary>
    Allocated,

    /// <summary>The key worker is working with the family (consent recorded, assessment or plan under way).</summary>
    Active,

    /// <summary>Work has ended, with a reason.</summary>
    Closed,
}

/// <summary>Why a case was closed.</summary>
public enum ClosureReason
{
    /// <summary>The plan's goals were met.</summary>
    OutcomesAchieved,

    /// <summary>Stepped up to children's social care.</summary>
    SteppedUpToSocialCare,

    /// <summary>Stepped down to universal or single-agency services.</summary>
    SteppedDown,

    /// <summary>The family moved out of the area.</summary>
    MovedAway,

    /// <summary>The family did not consent or withdrew from the work.</summary>
    DeclinedOrWithdrew,

    /// <summary>Identified in error, or another reason given in the closure note.</summary>
    Other,
}

/// <summary>Who gave a member's consent.</summary>
public enum ConsentGiver
{
    /// <summary>The member themselves (adults and children aged 13 or over).</summary>
    Self,

    /// <summary>A parent or carer, for a child under 13.</summary>
    ParentOrCarer,
}

/// <summary>Where an action in a family plan stands.</summary>
public enum PlanActionStatus
{
    NotStarted,
    InProgress,
    Done,
    Cancelled,
}

/// <summary>
/// A family's case: who holds it (team and key worker), where it stands, and why it closed. A family has at
/// most one case that is not closed. <see cref="Version"/> is an application-managed concurrency token: every
/// change writes a new one, and a save whose original token no longer matches is refused.
/// </summary>
public sealed class FamilyCase
{
    public long Id { get; set; }

    public long FamilyId { get; set; }

    public CaseStatus Status { get; set; }

    /// <summary>The team the family is allocated to.</summary>
    public string? TeamId { get; set; }

    /// <summary>The key worker's user id.</summary>
    public string? KeyWorkerId { get; set; }

    public DateTime CreatedUtc { get; set; }

    public DateTime? AllocatedUtc { get; set; }

    public DateOnly? ActiveFrom { get; set; }

    public DateOnly? ClosedOn { get; set; }

    public ClosureReason? ClosureReason { get; set; }

    public string? ClosureNote { get; set; }

    public Guid Version { get; set; }
}

/// <summary>
/// One member's consent to share: who gave it, on what date, and which agencies may share information with
/// the team around the family and see it (<see cref="Agencies"/>, comma-separated agency codes). A withdrawn
/// consent stays on record with its withdrawal date; it no longer grants anything from that moment.
/// </summary>
public sealed class MemberConsent
{
    public long Id { get; set; }

    public long CaseId { get; set; }

    public long PersonId { get; set; }

    public ConsentGiver GivenBy { get; set; }

    /// <summary>The parent or carer who consented for a child under 13 (a person in the family).</summary>
    public long? GivenByPersonId { get; set; }

    public DateOnly GivenOn { get; set; }

    /// <summary>Agency codes that may share and see, comma separated, in code order.</summary>
    public required string Agencies { get; set; }

    /// <summary>Why this member gives consent themselves or through a parent: the age rule as applied.</summary>
    public required string RuleExplanation { get; set; }

    public required string RecordedBy { get; set; }

    public DateTime RecordedUtc { get; set; }

    public DateTime? WithdrawnUtc { get; set; }

    public string? WithdrawnBy { get; set; }

    public string? WithdrawalNote { get; set; }

    public IReadOnlyList<string> AgencyList =>
        Agencies.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>A whole-family assessment: strengths, concerns, the family's own view, and the needs it found.</summary>
public sealed class FamilyAssessment
{
    public long Id { get; set; }

    public long CaseId { get; set; }

    public DateOnly CompletedOn { get; set; }

    public required string Strengths { get; set; }

    public required string Concerns { get; set; }

    public required string FamilyView { get; set; }

    /// <summary>Need themes found (codes from <see cref="NeedThemes"/>), comma separated.</summary>
    public required string Themes { get; set; }

    public required string AssessedBy { get; set; }

    public DateTime RecordedUtc { get; set; }
}

/// <summary>The family plan: needs, goals under each need, actions under each goal, and reviews.</summary>
public sealed class FamilyPlan
{
    public long Id { get; set; }

    public long CaseId { get; set; }

    public DateTime CreatedUtc { get; set; }

    public required string CreatedBy { get; set; }

    public DateOnly NextReviewDue { get; set; }

    public DateTime UpdatedUtc { get; set; }

    public required string UpdatedBy { get; set; }

    public Guid Version { get; set; }
}

/// <summary>A need the plan addresses, under one of the programme's themes.</summary>
public sealed class PlanNeed
{
    public long Id { get; set; }

    public long PlanId { get; set; }

    public required string Theme { get; set; }

    public required string Description { get; set; }
}

/// <summary>What the family wants to achieve for a need.</summary>
public sealed class PlanGoal
{
    public long Id { get; set; }

    public long NeedId { get; set; }

    public required string Description { get; set; }

    public DateOnly? TargetDate { get; set; }
}

/// <summary>
/// Something someone will do towards a goal: its owner (a user), the owner's agency, the due date and status.
/// Partner practitioners update the actions they own. <see cref="Version"/> guards against lost updates.
/// </summary>
public sealed class PlanAction
{
    public long Id { get; set; }

    public long GoalId { get; set; }

    public long PlanId { get; set; }

    public required string Description { get; set; }

    public required string OwnerUserId { get; set; }

    public required string AgencyId { get; set; }

    public DateOnly DueDate { get; set; }

    public PlanActionStatus Status { get; set; }

    public string? ProgressNote { get; set; }

    public DateTime UpdatedUtc { get; set; }

    public required string UpdatedBy { get; set; }

    public Guid Version { get; set; }
}

/// <summary>A review of the plan: what has changed and when the next review is due.</summary>
public sealed class PlanReview
{
    public long Id { get; set; }

    public long PlanId { get; set; }

    public DateOnly ReviewedOn { get; set; }

    public required string Summary { get; set; }

    public DateOnly NextReviewDue { get; set; }

    public required string ReviewedBy { get; set; }
}

/// <summary>A partner practitioner in the team around the family, with their agency; removal ends their access.</summary>
public sealed class TeamMember
{
    public long Id { get; set; }

    public long CaseId { get; set; }

    public required string UserId { get; set; }

    public required string AgencyId { get; set; }

    /// <summary>Their part in the team, e.g. "school family liaison", "neighbourhood officer".</summary>
    public required string Role { get; set; }

    public DateTime AddedUtc { get; set; }

    public DateTime? RemovedUtc { get; set; }
}

/// <summary>The lead professional for one family member: the practitioner others should talk to about them.</summary>
public sealed class LeadProfessional
{
    public long Id { get; set; }

    public long CaseId { get; set; }

    public long PersonId { get; set; }

    public required string UserId { get; set; }

    public required string AgencyId { get; set; }
}

/// <summary>
/// A case note. Notes written by a partner agency are seen by the key worker's team and that agency; notes the
/// key worker marks as shared are seen by partners whose agency the family member's consent covers.
/// </summary>
public sealed class CaseNote
{
    public long Id { get; set; }

    public long CaseId { get; set; }

    /// <summary>The member the note is about, or null for the whole family.</summary>
    public long? PersonId { get; set; }

    public required string Text { get; set; }

    public required string WrittenBy { get; set; }

    /// <summary>The author's agency, for partner practitioners; null for the key worker's team.</summary>
    public string? AuthorAgencyId { get; set; }

    public bool SharedWithTeam { get; set; }

    public DateTime WrittenUtc { get; set; }
}

/// <summary>The need themes of the Supporting Families outcome framework that assessments and plans use.</summary>
public static class NeedThemes
{
    public static IReadOnlyDictionary<string, string> All { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["education"] = "Getting a good education",
        ["early-years"] = "Good early years development",
        ["health"] = "Improved mental and physical health",
        ["substance-use"] = "Promoting recovery and reducing harm from substance use",
        ["crime"] = "Crime prevention and tackling crime",
        ["domestic-abuse"] = "Safe from domestic abuse",
        ["housing"] = "Secure housing",
        ["finance"] = "Financial stability",
        ["family-relationships"] = "Improved family relationships",
        ["children-safe"] = "Children safe from abuse and exploitation",
    };
}
