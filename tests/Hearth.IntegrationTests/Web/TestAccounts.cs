using System.Security.Cryptography;
using Hearth.Core.Access;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using OtpNet;

namespace Hearth.IntegrationTests.Web;

/// <summary>A user created for a test: sign-in name, password and authenticator key (base32).</summary>
public sealed class TestUser(string id, string userName, string password, string authenticatorKey)
{
    public string Id { get; } = id;

    public string UserName { get; } = userName;

    public string Password { get; } = password;

    public string AuthenticatorKey { get; } = authenticatorKey;

    /// <summary>The last TOTP step this test used, so the next code is for a later step (codes work once).</summary>
    public long LastStep { get; private set; }

    /// <summary>A TOTP code for the current step at <paramref name="now"/>, or the step after the last one used.</summary>
    public string NextCode(DateTimeOffset now)
    {
        var step = now.ToUnixTimeSeconds() / 30;
        if (step <= LastStep)
        {
            step = LastStep + 1;
        }

        LastStep = step;
        return new Totp(Base32Encoding.ToBytes(AuthenticatorKey)).ComputeTotp(DateTimeOffset.FromUnixTimeSeconds(step * 30).UtcDateTime);
    }
}

/// <summary>Creates set-up users directly in the app's store (password and authenticator already in place).</summary>
public static class TestAccounts
{
    /// <summary>
    /// A new user holding <paramref name="roles"/> (key workers and managers get team "team-1", partner
    /// practitioners agency "agency-1" unless given), with a random strong password and an authenticator.
    /// </summary>
    public static async Task<TestUser> CreateAsync(IServiceProvider services, IReadOnlyCollection<HearthRole> roles, string? team = null, string? agency = null, string? userName = null, string? displayName = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(roles);
        await using var scope = services.CreateAsyncScope();
        var manager = scope.ServiceProvider.GetRequiredService<UserManager<HearthUser>>();
        var clock = scope.ServiceProvider.GetRequiredService<TimeProvider>();
        // Two groups of five hex digits: a random name can never read as a ten-digit identifier (an NHS number),
        // which the pages' no-personal-data checks look for.
        var random = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5));
        var name = userName ?? "user-" + random[..5] + "-" + random[5..];
        var password = "test " + Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)) + " phrase";
        var user = new HearthUser
        {
            UserName = name,
            DisplayName = displayName ?? "Test " + string.Join(' ', roles),
            TeamId = team ?? (roles.Contains(HearthRole.KeyWorker) || roles.Contains(HearthRole.TeamManager) ? "team-1" : null),
            AgencyId = agency ?? (roles.Contains(HearthRole.PartnerPractitioner) ? "agency-1" : null),
            CreatedUtc = clock.GetUtcNow().UtcDateTime,
            LockoutEnabled = true,
        };
        user.SetRoles(roles);
        Check(await manager.CreateAsync(user, password));
        Check(await manager.ResetAuthenticatorKeyAsync(user));
        Check(await manager.SetTwoFactorEnabledAsync(user, true));
        var key = await manager.GetAuthenticatorKeyAsync(user) ?? throw new InvalidOperationException("No authenticator key was stored.");
        return new TestUser(user.Id, name, password, key);
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("Creating a test user failed: " + string.Join("; ", result.Errors.Select(e => e.Description)));
        }
    }
}
