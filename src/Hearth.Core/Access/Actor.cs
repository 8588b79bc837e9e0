namespace Hearth.Core.Access;

/// <summary>The roles a Hearth user can hold. A user holds one or more.</summary>
public enum HearthRole
{
    /// <summary>Manages users, roles and settings; reads the audit log. Sees no case data by role alone.</summary>
    Administrator,

    /// <summary>Imports extracts, runs linkage and identification, reviews uncertain links, reads data quality.</summary>
    DataLead,

    /// <summary>Leads a team of key workers: allocates families, sees the team's caseload.</summary>
    TeamManager,

    /// <summary>Works with the families allocated to them or their team.</summary>
    KeyWorker,

    /// <summary>A practitioner of a partner agency in a family's team around the family.</summary>
    PartnerPractitioner,

    /// <summary>Reads claims and their evidence and signs them off or rejects them; edits nothing else.</summary>
    Auditor,

    /// <summary>Reads aggregate and pseudonymised data for evaluation and cost-benefit analysis.</summary>
    Analyst,
}

/// <summary>
/// Who is doing something and why: the signed-in user as the domain services see them. Every read or write
/// of a person's data takes an actor and a purpose, so it can be authorised and written to the audit log.
/// </summary>
/// <param name="UserId">The user's stable id (never their name).</param>
/// <param name="UserName">The sign-in name, shown in "decided by" columns.</param>
/// <param name="Roles">The roles the user holds.</param>
/// <param name="TeamId">The team a key worker or team manager belongs to.</param>
/// <param name="AgencyId">The agency a partner practitioner works for.</param>
public sealed record Actor(
    string UserId,
    string UserName,
    IReadOnlySet<HearthRole> Roles,
    string? TeamId = null,
    string? AgencyId = null)
{
    public bool Is(HearthRole role) => Roles.Contains(role);
}

/// <summary>Claim types Hearth puts on a signed-in user's principal besides the standard name, id and roles.</summary>
public static class HearthClaimTypes
{
    public const string Team = "hearth:team";

    public const string Agency = "hearth:agency";
}
