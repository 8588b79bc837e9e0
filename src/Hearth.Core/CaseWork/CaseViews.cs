using Hearth.Core.Data;

namespace Hearth.Core.CaseWork;

/// <summary>A family member as the actor may see them; details are null when consent does not share them.</summary>
public sealed record MemberView(
    long PersonId,
    string PersonReference,
    bool Visible,
    string? Name,
    DateOnly? DateOfBirth,
    int? Age,
    FamilyRole Role,
    string? Relationship,
    DateOnly? From,
    DateOnly? To,
    IReadOnlyList<string> Agencies,
    LeadProfessionalView? LeadProfessional,
    ConsentGiver RequiredGiver,
    string ConsentRule);

public sealed record LeadProfessionalView(string UserId, string DisplayName, string AgencyId);

/// <summary>A member's stay at an address, from the households record linkage built.</summary>
public sealed record AddressView(string PersonReference, string HouseholdReference, string? Address, string? Postcode, DateOnly? From, DateOnly? To);

/// <summary>One agency event about a member, summarised.</summary>
public sealed record TimelineEntry(
    string PersonReference,
    string AgencyId,
    string EventType,
    DateOnly Start,
    DateOnly? End,
    string Summary,
    DateTime? ImportedUtc);

public sealed record ConsentView(
    long Id,
    string PersonReference,
    ConsentGiver GivenBy,
    string? GivenByReference,
    DateOnly GivenOn,
    IReadOnlyList<string> Agencies,
    string Explanation,
    DateTime RecordedUtc,
    DateTime? WithdrawnUtc,
    string? WithdrawalNote);

public sealed record ActionView(PlanAction Action, string OwnerName, bool CanUpdate, bool Overdue);

public sealed record GoalView(PlanGoal Goal, IReadOnlyList<ActionView> Actions);

public sealed record NeedView(PlanNeed Need, IReadOnlyList<GoalView> Goals);

/// <summary>The plan as the actor may see it; a partner whose agency no consent covers sees only their own actions.</summary>
public sealed record PlanView(long Id, Guid Version, DateOnly NextReviewDue, bool ReviewOverdue, IReadOnlyList<NeedView> Needs, IReadOnlyList<PlanReview> Reviews, bool Partial);

public sealed record TeamMemberView(TeamMember Member, string DisplayName);

public sealed record NoteView(CaseNote Note, string? PersonReference, string AuthorName);

/// <summary>Everything about a family the actor may see, with the access decision that filtered it.</summary>
public sealed record FamilyRecord(
    long FamilyId,
    string Reference,
    CaseAccessDecision Access,
    FamilyCase? Case,
    string? KeyWorkerName,
    IReadOnlyList<MemberView> Members,
    IReadOnlyList<AddressView> Addresses,
    IReadOnlyList<TimelineEntry> Timeline,
    int HiddenEvents,
    IReadOnlyList<ConsentView> Consents,
    FamilyAssessment? Assessment,
    PlanView? Plan,
    IReadOnlyList<TeamMemberView> Team,
    IReadOnlyList<NoteView> Notes,
    IReadOnlyDictionary<string, string> AgencyNames)
{
    public string AgencyName(string agencyId) => AgencyNames.TryGetValue(agencyId, out var name) ? name : agencyId;
}

/// <summary>A line of the family list.</summary>
public sealed record FamilyListItem(string Reference, CaseStatus? Status, string? TeamId, string? KeyWorkerName, int Members);

/// <summary>What a key worker (or a partner practitioner) sees first.</summary>
public sealed record WorkerDashboard(
    IReadOnlyList<FamilyListItem> MyFamilies,
    IReadOnlyList<DueAction> ActionsDue,
    IReadOnlyList<NewEvents> NewAgencyEvents);

public sealed record DueAction(string FamilyReference, long ActionId, string Description, DateOnly DueDate, PlanActionStatus Status, bool Overdue);

/// <summary>Agency events imported since the family was allocated (within the last 30 days), counted per family and agency.</summary>
public sealed record NewEvents(string FamilyReference, string AgencyId, string AgencyName, int Count, DateOnly Latest);

/// <summary>What a team manager sees first.</summary>
public sealed record ManagerDashboard(
    IReadOnlyList<Caseload> Caseloads,
    IReadOnlyList<FamilyListItem> Unallocated,
    IReadOnlyList<OverduePlan> PlansOverdue,
    IReadOnlyList<ReadyToClose> ReadyToClose);

public sealed record Caseload(string UserId, string DisplayName, int Allocated, int Active);

public sealed record OverduePlan(string FamilyReference, string? KeyWorkerName, DateOnly NextReviewDue, int OverdueActions, string Why);

public sealed record ReadyToClose(string FamilyReference, string? KeyWorkerName, int ActionsDone, string Why);
