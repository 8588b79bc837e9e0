using Hearth.Core.Access;

namespace Hearth.Core.CaseWork;

/// <summary>What an actor may do with a family's case work.</summary>
public enum CaseAccessLevel
{
    /// <summary>Nothing: the family is not theirs to see.</summary>
    None,

    /// <summary>A team manager looking at an unallocated family: its reference, members' references and case status, to allocate it.</summary>
    Allocation,

    /// <summary>A partner practitioner in the team around the family: only what members' consent shares with their agency.</summary>
    Partner,

    /// <summary>The key worker's team: the whole record.</summary>
    Full,
}

/// <summary>The facts access depends on: the family, its open (or last) case, the team around the family and consents.</summary>
public sealed record CaseAccessFacts(
    string FamilyReference,
    FamilyCase? Case,
    IReadOnlyList<TeamMember> Team,
    IReadOnlyList<MemberConsent> Consents);

/// <summary>
/// The answer for one actor and one family, with the reason. For a partner it carries, per member, the agencies
/// that member's live consents cover; a withdrawn consent is not in it, so a withdrawal changes what partners see
/// from the next read.
/// </summary>
public sealed record CaseAccessDecision(
    CaseAccessLevel Level,
    string Reason,
    bool CanEdit,
    bool CanAllocate,
    string? PartnerAgency,
    IReadOnlyDictionary<long, IReadOnlySet<string>> ConsentedAgencies)
{
    public bool CanView => Level is CaseAccessLevel.Full or CaseAccessLevel.Partner or CaseAccessLevel.Allocation;

    public bool CanViewRecord => Level is CaseAccessLevel.Full or CaseAccessLevel.Partner;

    /// <summary>Whether the member's details (names, date of birth, address) may be shown.</summary>
    public bool CanSeePerson(long personId) => Level switch
    {
        CaseAccessLevel.Full => true,
        CaseAccessLevel.Partner => ConsentedAgencies.TryGetValue(personId, out var agencies) && agencies.Contains(PartnerAgency!),
        _ => false,
    };

    /// <summary>
    /// Whether an event an agency recorded about a member may be shown: the team sees all; a partner only when
    /// the member's consent lets the recording agency share and the partner's agency see.
    /// </summary>
    public bool CanSeeEvent(long personId, string recordingAgency) => Level switch
    {
        CaseAccessLevel.Full => true,
        CaseAccessLevel.Partner => ConsentedAgencies.TryGetValue(personId, out var agencies)
            && agencies.Contains(PartnerAgency!) && agencies.Contains(recordingAgency),
        _ => false,
    };

    /// <summary>Notes: the team sees all; a partner sees their agency's notes and shared notes about members whose consent covers them.</summary>
    public bool CanSeeNote(CaseNote note)
    {
        ArgumentNullException.ThrowIfNull(note);
        return Level switch
        {
            CaseAccessLevel.Full => true,
            CaseAccessLevel.Partner => string.Equals(note.AuthorAgencyId, PartnerAgency, StringComparison.Ordinal)
                || (note.SharedWithTeam && (note.PersonId is { } p
                    ? CanSeePerson(p)
                    : ConsentedAgencies.Values.Any(a => a.Contains(PartnerAgency!)))),
            _ => false,
        };
    }
}

/// <summary>Whether an actor may read a family's access history, and why.</summary>
public sealed record AccessHistoryDecision(bool Allowed, string Reason);

/// <summary>
/// Who may see and change a family's case work. One place for the rules:
/// <list type="bullet">
/// <item>a key worker sees families allocated to them or to their team, and changes the ones allocated to them;</item>
/// <item>a team manager sees and changes their team's families, and sees unallocated families (reference and status only) to allocate them;</item>
/// <item>a partner practitioner sees a family only while they are in its team around the family and the case is
/// open, and then only members, events and notes that members' live consent shares with their agency; they
/// update only actions they own and add notes;</item>
/// <item>administrators, data leads, auditors and analysts see no case work by role alone.</item>
/// </list>
/// An actor holding several roles gets the widest answer any of them gives.
/// </summary>
public static class CaseAccess
{
    private static readonly IReadOnlyDictionary<long, IReadOnlySet<string>> NoConsents = new Dictionary<long, IReadOnlySet<string>>();

    public static CaseAccessDecision Decide(Actor actor, CaseAccessFacts facts)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(facts);
        var c = facts.Case;
        var open = c is not null && c.Status != CaseStatus.Closed;
        var unallocated = c is null || (c.Status == CaseStatus.Identified && c.TeamId is null);

        if (actor.Is(HearthRole.TeamManager) && actor.TeamId is { } managerTeam)
        {
            if (c is not null && string.Equals(c.TeamId, managerTeam, StringComparison.Ordinal))
            {
                return Full($"Team manager of team {managerTeam}, which holds the family.", canEdit: open, canAllocate: open);
            }
        }

        if (actor.Is(HearthRole.KeyWorker) && c is not null)
        {
            if (string.Equals(c.KeyWorkerId, actor.UserId, StringComparison.Ordinal))
            {
                return Full("Key worker allocated to the family.", canEdit: open, canAllocate: false);
            }

            if (actor.TeamId is { } team && string.Equals(c.TeamId, team, StringComparison.Ordinal))
            {
                return Full($"Key worker in team {team}, which holds the family; changes are for the allocated key worker or the manager.", canEdit: false, canAllocate: false);
            }
        }

        if (actor.Is(HearthRole.PartnerPractitioner) && open && actor.AgencyId is { } agency)
        {
            var member = facts.Team.FirstOrDefault(t => t.RemovedUtc is null
                && string.Equals(t.UserId, actor.UserId, StringComparison.Ordinal)
                && string.Equals(t.AgencyId, agency, StringComparison.Ordinal));
            if (member is not null)
            {
                var consented = facts.Consents
                    .Where(k => k.WithdrawnUtc is null)
                    .GroupBy(k => k.PersonId)
                    .ToDictionary(g => g.Key, g => (IReadOnlySet<string>)g.SelectMany(k => k.AgencyList).ToHashSet(StringComparer.Ordinal));
                return new CaseAccessDecision(CaseAccessLevel.Partner,
                    $"Partner practitioner of {agency} in the team around the family; sees what members' consent shares with {agency}.",
                    CanEdit: false, CanAllocate: false, agency, consented);
            }
        }

        if (actor.Is(HearthRole.TeamManager) && actor.TeamId is not null && unallocated)
        {
            return new CaseAccessDecision(CaseAccessLevel.Allocation, "Team manager: the family is not allocated to a team yet.",
                CanEdit: false, CanAllocate: true, null, NoConsents);
        }

        return new CaseAccessDecision(CaseAccessLevel.None, NoneReason(actor), false, false, null, NoConsents);

        static CaseAccessDecision Full(string reason, bool canEdit, bool canAllocate) =>
            new(CaseAccessLevel.Full, reason, canEdit, canAllocate, null, NoConsents);
    }

    /// <summary>Whether the actor may change an action: the case's editors, or the partner who owns it.</summary>
    public static bool CanUpdateAction(Actor actor, CaseAccessDecision decision, PlanAction action)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(decision);
        ArgumentNullException.ThrowIfNull(action);
        return decision.CanEdit
            || (decision.Level == CaseAccessLevel.Partner && string.Equals(action.OwnerUserId, actor.UserId, StringComparison.Ordinal));
    }

    /// <summary>Whether the actor may add a case note: the case's editors and partners in the team around the family.</summary>
    public static bool CanAddNote(CaseAccessDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        return decision.CanEdit || decision.Level == CaseAccessLevel.Partner;
    }

    /// <summary>Whether the actor's roles let them use case work at all (dashboards, family lists).</summary>
    public static bool UsesCaseWork(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return actor.Is(HearthRole.KeyWorker) || actor.Is(HearthRole.TeamManager) || actor.Is(HearthRole.PartnerPractitioner);
    }

    /// <summary>
    /// Who may read a family's access history (who viewed or changed its data): administrators and auditors for
    /// any family, and the team manager of the team holding the family. Key workers and partners may not: the
    /// history names colleagues and is for oversight, not case work.
    /// </summary>
    public static AccessHistoryDecision DecideAccessHistory(Actor actor, FamilyCase? familyCase)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor.Is(HearthRole.Administrator))
        {
            return new AccessHistoryDecision(true, "Administrator: reads the access history of any family.");
        }

        if (actor.Is(HearthRole.Auditor))
        {
            return new AccessHistoryDecision(true, "Auditor: reads the access history of any family.");
        }

        if (actor.Is(HearthRole.TeamManager) && actor.TeamId is { } team && familyCase is not null
            && string.Equals(familyCase.TeamId, team, StringComparison.Ordinal))
        {
            return new AccessHistoryDecision(true, $"Team manager of team {team}, which holds the family.");
        }

        return new AccessHistoryDecision(false, "Only the manager of the team holding the family, administrators and auditors read its access history.");
    }

    private static string NoneReason(Actor actor)
    {
        if (!UsesCaseWork(actor))
        {
            return "The actor's roles give no access to case work.";
        }

        return "The family is not allocated to the actor or their team, and they are not in its team around the family.";
    }
}
