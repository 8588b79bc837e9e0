using System.Security.Cryptography;
using Hearth.Core.Access;
using Hearth.Core.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Web.Infrastructure.Security;

/// <summary>A demo account and its password, printed once when the demo starts.</summary>
public sealed record DemoAccount(string UserName, HearthRole Role, string Password);

/// <summary>
/// One account per role for <c>hearth demo --serve</c>, each with a new random password every time the demo
/// starts. Only for a demo store: a real installation has no accounts until an administrator provisions them.
/// </summary>
public static class DemoAccounts
{
    public const string Team = "demo-team";

    private const string Alphabet = "abcdefghjkmnpqrstuvwxyz23456789";

    public static async Task<IReadOnlyList<DemoAccount>> CreateAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HearthDb>();
        var hasher = scope.ServiceProvider.GetRequiredService<IPasswordHasher<HearthUser>>();
        var clock = scope.ServiceProvider.GetRequiredService<TimeProvider>();
        var agency = await db.Agencies.AsNoTracking().OrderBy(a => a.Id).Select(a => a.Id).FirstOrDefaultAsync(cancellationToken) ?? "partner-agency";
        var accounts = new List<DemoAccount>();
        foreach (var role in Enum.GetValues<HearthRole>())
        {
            var name = "demo-" + role.ToString().ToLowerInvariant();
            var normalized = name.ToUpperInvariant();
            var user = await db.Users.FirstOrDefaultAsync(u => u.NormalizedUserName == normalized, cancellationToken);
            if (user is null)
            {
                user = new HearthUser
                {
                    UserName = name,
                    NormalizedUserName = normalized,
                    DisplayName = "Demo " + role,
                    CreatedUtc = clock.GetUtcNow().UtcDateTime,
                    LockoutEnabled = true,
                };
                user.SetRoles([role]);
                user.TeamId = role is HearthRole.KeyWorker or HearthRole.TeamManager ? Team : null;
                user.AgencyId = role is HearthRole.PartnerPractitioner ? agency : null;
                db.Users.Add(user);
            }

            var password = string.Join('-', Enumerable.Range(0, 4).Select(_ =>
                new string(Enumerable.Range(0, 5).Select(_ => Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)]).ToArray())));
            user.PasswordHash = hasher.HashPassword(user, password);
            user.SecurityStamp = Guid.NewGuid().ToString("N");
            user.SetupSecretHash = null;
            user.SetupSecretExpiresUtc = null;
            user.Disabled = false;
            user.AccessFailedCount = 0;
            user.LockoutEnd = null;
            accounts.Add(new DemoAccount(name, role, password));
        }

        await db.SaveChangesAsync(cancellationToken);
        return accounts;
    }
}
