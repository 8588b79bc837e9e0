using System.Security.Claims;
using Hearth.Core.Access;
using Hearth.Core.Audit;
using Hearth.Core.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OtpNet;

namespace Hearth.Web.Infrastructure.Security;

/// <summary>What a password step led to.</summary>
public enum PasswordOutcome
{
    /// <summary>Wrong password, unknown user, locked, disabled or not set up: all answered the same way.</summary>
    Failed,

    /// <summary>Password right; the second factor comes next.</summary>
    SecondFactorNeeded,

    /// <summary>Signed in (only when the second factor is not required and the user has no authenticator).</summary>
    SignedIn,
}

/// <summary>
/// Sign-in, second factor, account set-up and sign-out. Passwords are checked by ASP.NET Core Identity
/// (PBKDF2-HMAC-SHA512, lockout counters); TOTP codes are checked here so a code, once used, is refused again.
/// Each outcome is written to the audit log, without the password, the code or the name typed.
/// </summary>
public sealed class SignInService(
    HearthDb db,
    UserManager<HearthUser> users,
    IAuditTrail audit,
    TimeProvider clock,
    IOptions<HearthSecurityOptions> options,
    IHttpContextAccessor http)
{
    private HttpContext Http => http.HttpContext ?? throw new InvalidOperationException("Sign-in needs an HTTP request.");

    public async Task<PasswordOutcome> PasswordAsync(string userName, string password)
    {
        var normalized = (userName ?? string.Empty).Trim().ToUpperInvariant();
        var user = normalized.Length == 0 ? null : await db.Users.FirstOrDefaultAsync(u => u.NormalizedUserName == normalized, Http.RequestAborted);
        if (user is null)
        {
            // Spend the same effort as a real check, so timing does not tell whether the account exists.
            users.PasswordHasher.VerifyHashedPassword(new HearthUser(), DummyHash.Value, password ?? string.Empty);
            await RecordAsync(HearthAuthentication.Anonymous, "signin.failure", null, AuditOutcomes.Denied, "unknown user");
            return PasswordOutcome.Failed;
        }

        var actor = ActorFor(user);
        if (await users.IsLockedOutAsync(user))
        {
            users.PasswordHasher.VerifyHashedPassword(user, DummyHash.Value, password ?? string.Empty);
            await RecordAsync(actor, "signin.failure", user.Id, AuditOutcomes.Denied, "locked out");
            return PasswordOutcome.Failed;
        }

        if (user.Disabled || user.PasswordHash is null || user.SetupSecretHash is not null)
        {
            users.PasswordHasher.VerifyHashedPassword(user, DummyHash.Value, password ?? string.Empty);
            await RecordAsync(actor, "signin.failure", user.Id, AuditOutcomes.Denied, user.Disabled ? "disabled" : "not set up");
            return PasswordOutcome.Failed;
        }

        if (!await users.CheckPasswordAsync(user, password ?? string.Empty))
        {
            await users.AccessFailedAsync(user);
            var locked = await users.IsLockedOutAsync(user);
            await RecordAsync(actor, locked ? "signin.lockout" : "signin.failure", user.Id, AuditOutcomes.Denied, "wrong password");
            return PasswordOutcome.Failed;
        }

        var hasAuthenticator = user.TwoFactorEnabled && await users.GetAuthenticatorKeyAsync(user) is not null;
        if (options.Value.RequireSecondFactor || hasAuthenticator)
        {
            if (!hasAuthenticator)
            {
                await RecordAsync(actor, "signin.failure", user.Id, AuditOutcomes.Denied, "no authenticator");
                return PasswordOutcome.Failed;
            }

            await RecordAsync(actor, "signin.password", user.Id, AuditOutcomes.Allowed, "second factor next");
            await Http.SignInAsync(HearthAuthentication.PendingScheme, Pending(user, "second-factor"));
            return PasswordOutcome.SecondFactorNeeded;
        }

        await users.ResetAccessFailedCountAsync(user);
        await StartSessionAsync(user, secondFactor: false);
        return PasswordOutcome.SignedIn;
    }

    /// <summary>The user part-way through sign-in, from the pending cookie, or null.</summary>
    public async Task<HearthUser?> PendingUserAsync(string stage)
    {
        var result = await Http.AuthenticateAsync(HearthAuthentication.PendingScheme);
        if (!result.Succeeded || result.Principal.FindFirstValue(HearthAuthentication.StageClaim) != stage)
        {
            return null;
        }

        var id = result.Principal.FindFirstValue(ClaimTypes.NameIdentifier);
        var stamp = result.Principal.FindFirstValue("hearth:stamp");
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == id, Http.RequestAborted);
        return user is null || user.Disabled || user.SecurityStamp != stamp ? null : user;
    }

    /// <summary>Checks a TOTP code for the pending user; on success starts the session. Failures count towards lockout.</summary>
    public async Task<bool> SecondFactorAsync(string code)
    {
        var user = await PendingUserAsync("second-factor");
        if (user is null)
        {
            return false;
        }

        var actor = ActorFor(user);
        if (await users.IsLockedOutAsync(user))
        {
            await RecordAsync(actor, "second-factor.failure", user.Id, AuditOutcomes.Denied, "locked out");
            return false;
        }

        var key = await users.GetAuthenticatorKeyAsync(user);
        var result = key is null ? TotpResult.Wrong : CheckCode(user, key, code);
        if (result != TotpResult.Accepted)
        {
            await users.AccessFailedAsync(user);
            var locked = await users.IsLockedOutAsync(user);
            await RecordAsync(actor, locked ? "second-factor.lockout" : "second-factor.failure", user.Id, AuditOutcomes.Denied,
                result == TotpResult.Replayed ? "code already used" : "wrong code");
            return false;
        }

        await users.ResetAccessFailedCountAsync(user);
        await RecordAsync(actor, "second-factor.success", user.Id, AuditOutcomes.Allowed, null);
        await Http.SignOutAsync(HearthAuthentication.PendingScheme);
        await StartSessionAsync(user, secondFactor: true);
        return true;
    }

    /// <summary>Set-up, step 1: a valid one-time secret sets the password and a new authenticator key.</summary>
    public async Task<IdentityResult?> BeginSetupAsync(string userName, string secret, string password)
    {
        var user = await new UserAccounts(db, audit, clock).RedeemableAsync(userName, secret, Http.RequestAborted);
        if (user is null)
        {
            await RecordAsync(HearthAuthentication.Anonymous, "setup.failure", null, AuditOutcomes.Denied, "secret not valid");
            return null;
        }

        foreach (var validator in users.PasswordValidators)
        {
            var check = await validator.ValidateAsync(users, user, password ?? string.Empty);
            if (!check.Succeeded)
            {
                return check;
            }
        }

        user.PasswordHash = users.PasswordHasher.HashPassword(user, password!);
        user.TwoFactorEnabled = false;
        await users.ResetAuthenticatorKeyAsync(user);
        await RecordAsync(ActorFor(user), "setup.password", user.Id, AuditOutcomes.Allowed, null);
        await Http.SignInAsync(HearthAuthentication.PendingScheme, Pending(user, "setup"));
        return IdentityResult.Success;
    }

    /// <summary>Set-up, step 2: a correct code from the new authenticator completes set-up and uses up the secret.</summary>
    public async Task<bool> CompleteSetupAsync(string code)
    {
        var user = await PendingUserAsync("setup");
        var key = user is null ? null : await users.GetAuthenticatorKeyAsync(user);
        if (user is null || key is null || user.SetupSecretHash is null)
        {
            return false;
        }

        if (CheckCode(user, key, code) != TotpResult.Accepted)
        {
            await RecordAsync(ActorFor(user), "setup.failure", user.Id, AuditOutcomes.Denied, "wrong code");
            return false;
        }

        user.TwoFactorEnabled = true;
        user.SetupSecretHash = null;
        user.SetupSecretExpiresUtc = null;
        await users.UpdateSecurityStampAsync(user);
        await RecordAsync(ActorFor(user), "setup.complete", user.Id, AuditOutcomes.Allowed, null);
        await Http.SignOutAsync(HearthAuthentication.PendingScheme);
        return true;
    }

    /// <summary>Ends the current session on the server, so the cookie cannot be replayed, and removes it.</summary>
    public async Task SignOutAsync()
    {
        var sessionId = Http.User.FindFirstValue(HearthAuthentication.SessionClaim);
        var session = sessionId is null ? null : await db.UserSessions.FirstOrDefaultAsync(s => s.Id == sessionId, Http.RequestAborted);
        if (session is not null && session.EndedUtc is null)
        {
            session.EndedUtc = Now();
            session.EndReason = "sign-out";
            audit.Record(db, new AuditEvent(Http.User.ToActor() ?? HearthAuthentication.Anonymous, "signout", "user", session.UserId, "security"),
                ClientAddress(), Http.TraceIdentifier);
            await db.SaveChangesAsync(Http.RequestAborted);
        }

        await Http.SignOutAsync(HearthAuthentication.Scheme);
        await Http.SignOutAsync(HearthAuthentication.PendingScheme);
    }

    private enum TotpResult
    {
        Accepted,
        Wrong,
        Replayed,
    }

    /// <summary>A 6-digit code for the current 30-second step or one step either side, newer than the last code used.</summary>
    private TotpResult CheckCode(HearthUser user, string key, string code)
    {
        code = new string((code ?? string.Empty).Where(char.IsAsciiDigit).ToArray());
        if (code.Length != 6)
        {
            return TotpResult.Wrong;
        }

        var totp = new Totp(Base32Encoding.ToBytes(key));
        if (!totp.VerifyTotp(clock.GetUtcNow().UtcDateTime, code, out var step, new VerificationWindow(previous: 1, future: 1)))
        {
            return TotpResult.Wrong;
        }

        if (step <= user.LastTotpTimeStep)
        {
            return TotpResult.Replayed;
        }

        user.LastTotpTimeStep = step;
        return TotpResult.Accepted;
    }

    private async Task StartSessionAsync(HearthUser user, bool secondFactor)
    {
        // A previous session cookie in this browser is ended first: sign-in always gets a new session id.
        if (Http.User.FindFirstValue(HearthAuthentication.SessionClaim) is { } old &&
            await db.UserSessions.FirstOrDefaultAsync(s => s.Id == old && s.EndedUtc == null, Http.RequestAborted) is { } previous)
        {
            previous.EndedUtc = Now();
            previous.EndReason = "replaced";
        }

        var now = Now();
        var session = new UserSession
        {
            Id = HearthAuthentication.NewSessionId(),
            UserId = user.Id,
            CreatedUtc = now,
            LastSeenUtc = now,
            SecondFactor = secondFactor,
            ClientAddress = ClientAddress(),
        };
        db.UserSessions.Add(session);
        user.LastSignInUtc = now;
        audit.Record(db, new AuditEvent(ActorFor(user), "signin.success", "user", user.Id, "security",
            Detail: secondFactor ? "password and authenticator code" : "password only (second factor not required)"), ClientAddress(), Http.TraceIdentifier);
        await db.SaveChangesAsync(Http.RequestAborted);
        await Http.SignInAsync(HearthAuthentication.Scheme, HearthAuthentication.Principal(user, session), new AuthenticationProperties
        {
            IsPersistent = false,
            IssuedUtc = now,
            // A little past the absolute lifetime: the server-side check ends the session first and records why.
            ExpiresUtc = now + options.Value.AbsoluteLifetime + TimeSpan.FromMinutes(5),
        });
    }

    private static ClaimsPrincipal Pending(HearthUser user, string stage) =>
        new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, user.Id),
            new Claim("hearth:stamp", user.SecurityStamp ?? string.Empty),
            new Claim(HearthAuthentication.StageClaim, stage),
        ], HearthAuthentication.PendingScheme));

    private async Task RecordAsync(Actor actor, string action, string? userId, string outcome, string? detail)
    {
        audit.Record(db, new AuditEvent(actor, action, "user", userId, "security", outcome, detail), ClientAddress(), Http.TraceIdentifier);
        await db.SaveChangesAsync(Http.RequestAborted);
    }

    private static Actor ActorFor(HearthUser user) => new(user.Id, user.UserName ?? user.Id, user.RoleSet(), user.TeamId, user.AgencyId);

    private string? ClientAddress() => Http.Connection.RemoteIpAddress?.ToString();

    private DateTime Now()
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return new DateTime(now.Ticks - (now.Ticks % 10), DateTimeKind.Utc);
    }

    /// <summary>A hash of a random password, verified against when there is no real one to check.</summary>
    private static readonly Lazy<string> DummyHash = new(() =>
        new PasswordHasher<HearthUser>(Options.Create(new PasswordHasherOptions { IterationCount = HearthIdentity.PasswordIterations }))
            .HashPassword(new HearthUser(), Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24))));
}
