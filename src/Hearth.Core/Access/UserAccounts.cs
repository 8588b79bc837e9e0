using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Hearth.Core.Audit;
using Hearth.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Core.Access;

/// <summary>A user/role/last-login report row for access reviews.</summary>
public sealed record UserReportRow(
    string UserId,
    string UserName,
    string DisplayName,
    IReadOnlySet<HearthRole> Roles,
    string? TeamId,
    string? AgencyId,
    bool Disabled,
    bool SetUp,
    DateTime CreatedUtc,
    DateTime? LastSignInUtc,
    int ActiveSessions);

/// <summary>A user just created or reset, with the one-time set-up secret to hand to them (shown once, never stored).</summary>
public sealed record ProvisionedUser(HearthUser User, string SetupSecret, DateTime ExpiresUtc);

/// <summary>A request that cannot be carried out (unknown user, bad user name, missing team); the message says why.</summary>
public sealed class UserAccountException(string message) : Exception(message);

/// <summary>
/// Provisioning and administration of local accounts: create a user with roles, team and agency and a
/// one-time, expiring set-up secret (there are no default accounts), disable and re-enable, end sessions,
/// and the user/role/last-login report. Every change is written to the audit log in the same transaction.
/// </summary>
public sealed class UserAccounts(HearthDb db, IAuditTrail audit, TimeProvider clock)
{
    /// <summary>How long a set-up secret can be used.</summary>
    public static readonly TimeSpan SetupSecretLifetime = TimeSpan.FromHours(72);

    private const string SecretAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    /// <summary>The actor for work done at the command line by whoever runs the hearth command on the server.</summary>
    public static Actor CommandLine { get; } = new("cli", "hearth command line", new HashSet<HearthRole> { HearthRole.Administrator });

    /// <summary>Creates a user who must set a password and an authenticator with the returned secret before signing in.</summary>
    public async Task<ProvisionedUser> CreateAsync(
        string userName, string displayName, IReadOnlyCollection<HearthRole> roles, string? teamId, string? agencyId, Actor by,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(roles);
        ArgumentNullException.ThrowIfNull(by);
        userName = (userName ?? string.Empty).Trim();
        if (userName.Length is < 3 or > 64 || !userName.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '@'))
        {
            throw new UserAccountException($"User name '{userName}' must be 3 to 64 letters, digits, '.', '-', '_' or '@'.");
        }

        if (roles.Count == 0)
        {
            throw new UserAccountException("A user needs at least one role.");
        }

        teamId = string.IsNullOrWhiteSpace(teamId) ? null : teamId.Trim();
        agencyId = string.IsNullOrWhiteSpace(agencyId) ? null : agencyId.Trim();
        if ((roles.Contains(HearthRole.KeyWorker) || roles.Contains(HearthRole.TeamManager)) && teamId is null)
        {
            throw new UserAccountException("Key workers and team managers need a team.");
        }

        if (roles.Contains(HearthRole.PartnerPractitioner) && agencyId is null)
        {
            throw new UserAccountException("Partner practitioners need an agency.");
        }

        var normalized = userName.ToUpperInvariant();
        if (await db.Users.AnyAsync(u => u.NormalizedUserName == normalized, cancellationToken))
        {
            throw new UserAccountException($"A user named '{userName}' already exists.");
        }

        var now = Now();
        var user = new HearthUser
        {
            UserName = userName,
            NormalizedUserName = normalized,
            DisplayName = string.IsNullOrWhiteSpace(displayName) ? userName : displayName.Trim(),
            TeamId = teamId,
            AgencyId = agencyId,
            CreatedUtc = now,
            LockoutEnabled = true,
            SecurityStamp = Guid.NewGuid().ToString("N"),
        };
        user.SetRoles(roles);
        var secret = NewSecret(user, now);
        db.Users.Add(user);
        audit.Record(db, new AuditEvent(by, "user.create", "user", user.Id, "administration", Detail: "roles " + user.Roles));
        await db.SaveChangesAsync(cancellationToken);
        return new ProvisionedUser(user, secret, user.SetupSecretExpiresUtc!.Value);
    }

    /// <summary>Issues a new set-up secret (the user sets a new password and authenticator with it) and ends their sessions.</summary>
    public async Task<ProvisionedUser> ResetAsync(string userIdOrName, Actor by, CancellationToken cancellationToken = default)
    {
        var user = await FindRequiredAsync(userIdOrName, cancellationToken);
        var now = Now();
        var secret = NewSecret(user, now);
        await EndSessionsCoreAsync(user.Id, "reset", now, cancellationToken);
        audit.Record(db, new AuditEvent(by, "user.reset", "user", user.Id, "administration"));
        await db.SaveChangesAsync(cancellationToken);
        return new ProvisionedUser(user, secret, user.SetupSecretExpiresUtc!.Value);
    }

    /// <summary>Disables a user: they cannot sign in, and every session of theirs ends at its next request.</summary>
    public async Task DisableAsync(string userIdOrName, Actor by, CancellationToken cancellationToken = default)
    {
        var user = await FindRequiredAsync(userIdOrName, cancellationToken);
        user.Disabled = true;
        user.SecurityStamp = Guid.NewGuid().ToString("N");
        await EndSessionsCoreAsync(user.Id, "disabled", Now(), cancellationToken);
        audit.Record(db, new AuditEvent(by, "user.disable", "user", user.Id, "administration"));
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task EnableAsync(string userIdOrName, Actor by, CancellationToken cancellationToken = default)
    {
        var user = await FindRequiredAsync(userIdOrName, cancellationToken);
        user.Disabled = false;
        audit.Record(db, new AuditEvent(by, "user.enable", "user", user.Id, "administration"));
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Finds enabled accounts with no sign-in (or, if they never signed in, no creation) for more than
    /// <paramref name="days"/> days and, unless <paramref name="dryRun"/>, disables them: each ends its sessions
    /// and writes a <c>user.disable</c> entry whose detail says it was dormant. Run it daily (requirement A8).
    /// </summary>
    public async Task<IReadOnlyList<DormantAccount>> DisableDormantAsync(int days, bool dryRun, Actor by, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(days);
        var now = Now();
        var dormant = DormantAccounts.Find(await AccessReportService.AnomalyUsersAsync(db, cancellationToken), now, days);
        if (dryRun || dormant.Count == 0)
        {
            return dormant;
        }

        foreach (var d in dormant)
        {
            var user = await db.Users.SingleAsync(u => u.Id == d.User.UserId, cancellationToken);
            user.Disabled = true;
            user.SecurityStamp = Guid.NewGuid().ToString("N");
            await EndSessionsCoreAsync(user.Id, "disabled", now, cancellationToken);
            audit.Record(db, new AuditEvent(by, "user.disable", "user", user.Id, "administration",
                Detail: string.Create(CultureInfo.InvariantCulture, $"dormant: no sign-in for {d.DaysSince} days (limit {days})")));
        }

        await db.SaveChangesAsync(cancellationToken);
        return dormant;
    }

    /// <summary>Ends the sessions of one user, or of every user when <paramref name="userIdOrName"/> is null; returns how many.</summary>
    public async Task<int> EndSessionsAsync(string? userIdOrName, Actor by, CancellationToken cancellationToken = default)
    {
        string? userId = null;
        if (userIdOrName is not null)
        {
            userId = (await FindRequiredAsync(userIdOrName, cancellationToken)).Id;
        }

        var ended = await EndSessionsCoreAsync(userId, "ended-by-administrator", Now(), cancellationToken);
        audit.Record(db, new AuditEvent(by, "session.end-all", userId is null ? "users" : "user", userId, "administration",
            Detail: ended.ToString(CultureInfo.InvariantCulture) + " sessions"));
        await db.SaveChangesAsync(cancellationToken);
        return ended;
    }

    /// <summary>Every user with roles, team, agency, state, last sign-in and open sessions, by user name.</summary>
    public async Task<IReadOnlyList<UserReportRow>> ReportAsync(CancellationToken cancellationToken = default)
    {
        var users = await db.Users.AsNoTracking().OrderBy(u => u.NormalizedUserName).ToListAsync(cancellationToken);
        var sessions = await db.UserSessions.AsNoTracking().Where(s => s.EndedUtc == null)
            .GroupBy(s => s.UserId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        return users.Select(u => new UserReportRow(
            u.Id, u.UserName ?? u.Id, u.DisplayName, u.RoleSet(), u.TeamId, u.AgencyId, u.Disabled, u.PasswordHash is not null,
            u.CreatedUtc, u.LastSignInUtc, sessions.GetValueOrDefault(u.Id))).ToList();
    }

    /// <summary>The user a set-up secret belongs to, when the secret matches, is unexpired and the user is enabled.</summary>
    public async Task<HearthUser?> RedeemableAsync(string userName, string secret, CancellationToken cancellationToken = default)
    {
        var normalized = (userName ?? string.Empty).Trim().ToUpperInvariant();
        var user = await db.Users.FirstOrDefaultAsync(u => u.NormalizedUserName == normalized, cancellationToken);
        if (user?.SetupSecretHash is null || user.Disabled || user.SetupSecretExpiresUtc is not { } expires || expires < Now())
        {
            return null;
        }

        var given = Convert.FromHexString(HashSecret(secret));
        return CryptographicOperations.FixedTimeEquals(given, Convert.FromHexString(user.SetupSecretHash)) ? user : null;
    }

    /// <summary>SHA-256 (hex) of a set-up secret, ignoring case, spaces and dashes.</summary>
    public static string HashSecret(string secret)
    {
        var canonical = new string((secret ?? string.Empty).Where(char.IsAsciiLetterOrDigit).Select(char.ToUpperInvariant).ToArray());
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    private static string NewSecret(HearthUser user, DateTime now)
    {
        var builder = new StringBuilder(24);
        for (var i = 0; i < 20; i++)
        {
            if (i > 0 && i % 5 == 0)
            {
                builder.Append('-');
            }

            builder.Append(SecretAlphabet[RandomNumberGenerator.GetInt32(SecretAlphabet.Length)]);
        }

        var secret = builder.ToString();
        user.SetupSecretHash = HashSecret(secret);
        user.SetupSecretExpiresUtc = now + SetupSecretLifetime;
        return secret;
    }

    private async Task<int> EndSessionsCoreAsync(string? userId, string reason, DateTime now, CancellationToken cancellationToken)
    {
        var open = await db.UserSessions.Where(s => s.EndedUtc == null && (userId == null || s.UserId == userId)).ToListAsync(cancellationToken);
        foreach (var session in open)
        {
            session.EndedUtc = now;
            session.EndReason = reason;
        }

        return open.Count;
    }

    private async Task<HearthUser> FindRequiredAsync(string userIdOrName, CancellationToken cancellationToken)
    {
        var normalized = (userIdOrName ?? string.Empty).Trim().ToUpperInvariant();
        return await db.Users.FirstOrDefaultAsync(u => u.Id == userIdOrName || u.NormalizedUserName == normalized, cancellationToken)
            ?? throw new UserAccountException($"There is no user '{userIdOrName}'.");
    }

    private DateTime Now()
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return new DateTime(now.Ticks - (now.Ticks % 10), DateTimeKind.Utc);
    }
}

/// <summary><see cref="IUserDirectory"/> over Hearth's own user table.</summary>
public sealed class StoreUserDirectory(HearthDb db) : IUserDirectory
{
    public async Task<IReadOnlyList<HearthUserSummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        var users = await db.Users.AsNoTracking().OrderBy(u => u.NormalizedUserName).ToListAsync(cancellationToken);
        return users.Select(Summary).ToList();
    }

    public async Task<HearthUserSummary?> FindAsync(string userId, CancellationToken cancellationToken = default)
    {
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == userId, cancellationToken);
        return user is null ? null : Summary(user);
    }

    private static HearthUserSummary Summary(HearthUser u) =>
        new(u.Id, u.UserName ?? u.Id, u.DisplayName, u.RoleSet(), u.TeamId, u.AgencyId, !u.Disabled);
}
