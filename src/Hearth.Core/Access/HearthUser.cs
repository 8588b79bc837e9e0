using Microsoft.AspNetCore.Identity;

namespace Hearth.Core.Access;

/// <summary>
/// A local Hearth account. Password hash, lockout counters and the authenticator key are kept by ASP.NET Core
/// Identity's columns; Hearth adds the roles, team and agency that authorise the user, whether the account is
/// disabled, when it last signed in, the one-time set-up secret and the last TOTP time step used.
/// </summary>
public sealed class HearthUser : IdentityUser
{
    /// <summary>The name shown in lists and "decided by" columns (a work name, not personal data about families).</summary>
    public string DisplayName { get; set; } = string.Empty;

    /// <summary>The <see cref="HearthRole"/> names the user holds, comma separated.</summary>
    public string Roles { get; set; } = string.Empty;

    /// <summary>The team of a key worker or team manager.</summary>
    public string? TeamId { get; set; }

    /// <summary>The agency of a partner practitioner.</summary>
    public string? AgencyId { get; set; }

    /// <summary>A disabled user cannot sign in and their sessions end at their next request.</summary>
    public bool Disabled { get; set; }

    public DateTime CreatedUtc { get; set; }

    public DateTime? LastSignInUtc { get; set; }

    /// <summary>SHA-256 (hex) of the one-time set-up secret, until the account is set up.</summary>
    public string? SetupSecretHash { get; set; }

    public DateTime? SetupSecretExpiresUtc { get; set; }

    /// <summary>The TOTP time step of the last accepted code; a code for this step or an earlier one is a replay.</summary>
    public long LastTotpTimeStep { get; set; }

    /// <summary>The roles parsed from <see cref="Roles"/>.</summary>
    public IReadOnlySet<HearthRole> RoleSet()
    {
        var set = new HashSet<HearthRole>();
        foreach (var name in Roles.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (Enum.TryParse<HearthRole>(name, ignoreCase: false, out var role))
            {
                set.Add(role);
            }
        }

        return set;
    }

    /// <summary>Stores the roles in a fixed order.</summary>
    public void SetRoles(IEnumerable<HearthRole> roles) =>
        Roles = string.Join(',', roles.Distinct().Order().Select(r => r.ToString()));
}

/// <summary>
/// A signed-in session held on the server. The cookie carries only the session id (inside the protected
/// ticket); ending the row ends the session however many copies of the cookie exist.
/// </summary>
public sealed class UserSession
{
    /// <summary>A random 128-bit id, hex.</summary>
    public required string Id { get; set; }

    public required string UserId { get; set; }

    public DateTime CreatedUtc { get; set; }

    public DateTime LastSeenUtc { get; set; }

    /// <summary>Whether the user completed the second factor for this session.</summary>
    public bool SecondFactor { get; set; }

    public DateTime? EndedUtc { get; set; }

    /// <summary>"sign-out", "idle", "expired", "disabled", "ended-by-administrator".</summary>
    public string? EndReason { get; set; }

    public string? ClientAddress { get; set; }
}
