using System.Security.Claims;
using Hearth.Core.Access;

namespace Hearth.Web.Infrastructure;

/// <summary>Turns the signed-in user's principal into the <see cref="Actor"/> the domain services take.</summary>
public static class PrincipalActor
{
    /// <summary>The actor for a signed-in principal, or null for an anonymous one.</summary>
    public static Actor? ToActor(this ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        if (principal.Identity?.IsAuthenticated != true)
        {
            return null;
        }

        var id = principal.FindFirstValue(ClaimTypes.NameIdentifier);
        if (string.IsNullOrEmpty(id))
        {
            return null;
        }

        var roles = new HashSet<HearthRole>();
        foreach (var claim in principal.FindAll(ClaimTypes.Role))
        {
            if (Enum.TryParse<HearthRole>(claim.Value, ignoreCase: false, out var role))
            {
                roles.Add(role);
            }
        }

        return new Actor(
            id,
            principal.Identity.Name ?? id,
            roles,
            principal.FindFirstValue(HearthClaimTypes.Team),
            principal.FindFirstValue(HearthClaimTypes.Agency));
    }
}
