namespace Hearth.Core.Access;

/// <summary>A user as other parts of Hearth see them: enough to allocate work to them and to show who did what.</summary>
public sealed record HearthUserSummary(
    string UserId,
    string UserName,
    string DisplayName,
    IReadOnlySet<HearthRole> Roles,
    string? TeamId,
    string? AgencyId,
    bool Active);

/// <summary>Looks up Hearth's users (key workers to allocate to, partner practitioners for a team around the family).</summary>
public interface IUserDirectory
{
    Task<IReadOnlyList<HearthUserSummary>> ListAsync(CancellationToken cancellationToken = default);

    Task<HearthUserSummary?> FindAsync(string userId, CancellationToken cancellationToken = default);
}
