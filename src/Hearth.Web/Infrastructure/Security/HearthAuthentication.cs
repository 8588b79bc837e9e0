using System.Security.Claims;
using System.Security.Cryptography;
using Hearth.Core.Access;
using Hearth.Core.Audit;
using Hearth.Core.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Hearth.Web.Infrastructure.Security;

/// <summary>
/// The session cookie and its server-side check. The cookie (<c>__Host-Hearth</c>: Secure, HttpOnly,
/// SameSite=Strict, path /) holds a protected ticket naming a <see cref="UserSession"/> row; every request
/// checks that row: it must not have ended, must have been used within the idle timeout, must be younger than
/// the absolute lifetime, its user must be enabled and, when required, it must have passed the second factor.
/// Otherwise the session is ended and the request is treated as anonymous.
/// </summary>
public static class HearthAuthentication
{
    /// <summary>The signed-in session's scheme.</summary>
    public const string Scheme = "Hearth";

    /// <summary>The short-lived scheme between a correct password and the second factor (or account set-up).</summary>
    public const string PendingScheme = "Hearth.Pending";

    public const string SessionClaim = "hearth:sid";

    /// <summary>How the user authenticated (RFC 8176 values): "pwd" or "mfa".</summary>
    public const string AmrClaim = "amr";

    public const string AmrMfa = "mfa";

    public const string AmrPassword = "pwd";

    /// <summary>On the pending principal: what the user is in the middle of ("second-factor" or "setup").</summary>
    public const string StageClaim = "hearth:stage";

    public static void AddHearthAuthentication(this IServiceCollection services)
    {
        services.AddAuthentication(Scheme)
            .AddCookie(Scheme, o =>
            {
                o.Cookie.Name = "__Host-Hearth";
                o.Cookie.SecurePolicy = CookieSecurePolicy.Always;
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.Path = "/";
                o.SlidingExpiration = false;
                o.LoginPath = "/account/sign-in";
                o.LogoutPath = "/account/sign-out";
                o.AccessDeniedPath = "/account/sign-in";
                o.ReturnUrlParameter = "returnUrl";
                o.Events = new CookieAuthenticationEvents
                {
                    OnValidatePrincipal = ValidateSessionAsync,
                    OnRedirectToAccessDenied = ForbiddenAsync,
                    OnRedirectToLogin = RelativeRedirectAsync,
                };
            })
            .AddCookie(PendingScheme, o =>
            {
                o.Cookie.Name = "__Host-Hearth.Pending";
                o.Cookie.SecurePolicy = CookieSecurePolicy.Always;
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.Path = "/";
                o.ExpireTimeSpan = TimeSpan.FromMinutes(10);
                o.SlidingExpiration = false;
                o.LoginPath = "/account/sign-in";
                o.Events = new CookieAuthenticationEvents { OnRedirectToLogin = RelativeRedirectAsync };
            });
    }

    /// <summary>A signed-in user who lacks the role gets 403 (the status page explains), not a redirect.</summary>
    private static async Task ForbiddenAsync(RedirectContext<CookieAuthenticationOptions> context)
    {
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        await Task.CompletedTask;
    }

    /// <summary>
    /// Redirects to sign-in by path only, so the address the browser used (scheme, host, port) is kept. Calls to
    /// the API under <c>/api</c> (and the OpenAPI document) get a plain 401: a program cannot follow a sign-in page.
    /// </summary>
    private static Task RelativeRedirectAsync(RedirectContext<CookieAuthenticationOptions> context)
    {
        if (ApiPaths.IsApi(context.Request.Path) ||
            context.Request.Path.StartsWithSegments("/openapi", StringComparison.OrdinalIgnoreCase))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Task.CompletedTask;
        }

        var target = Uri.TryCreate(context.RedirectUri, UriKind.Absolute, out var absolute) ? absolute.PathAndQuery : context.RedirectUri;
        context.Response.Redirect(target);
        return Task.CompletedTask;
    }

    /// <summary>The principal for a new session: id, name, roles, team, agency, session id and how the user authenticated.</summary>
    public static ClaimsPrincipal Principal(HearthUser user, UserSession session)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(session);
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, user.Id),
            new(ClaimTypes.Name, user.UserName ?? user.Id),
            new(SessionClaim, session.Id),
            new(AmrClaim, session.SecondFactor ? AmrMfa : AmrPassword),
        };
        claims.AddRange(user.RoleSet().Select(r => new Claim(ClaimTypes.Role, r.ToString())));
        if (user.TeamId is not null)
        {
            claims.Add(new Claim(HearthClaimTypes.Team, user.TeamId));
        }

        if (user.AgencyId is not null)
        {
            claims.Add(new Claim(HearthClaimTypes.Agency, user.AgencyId));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme, ClaimTypes.Name, ClaimTypes.Role));
    }

    /// <summary>A new random session id (128 bits, hex).</summary>
    public static string NewSessionId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private static async Task ValidateSessionAsync(CookieValidatePrincipalContext context)
    {
        var sessionId = context.Principal?.FindFirstValue(SessionClaim);
        var services = context.HttpContext.RequestServices;
        var db = services.GetRequiredService<HearthDb>();
        var options = services.GetRequiredService<IOptions<HearthSecurityOptions>>().Value;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var session = sessionId is null ? null : await db.UserSessions.FirstOrDefaultAsync(s => s.Id == sessionId, context.HttpContext.RequestAborted);
        var user = session is null ? null : await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == session.UserId, context.HttpContext.RequestAborted);

        string? endReason = null;
        if (session is null || user is null || session.EndedUtc is not null)
        {
            endReason = "ended";
        }
        else if (user.Disabled)
        {
            endReason = "disabled";
        }
        else if (now - session.CreatedUtc > options.AbsoluteLifetime)
        {
            endReason = "expired";
        }
        else if (now - session.LastSeenUtc > options.IdleTimeout)
        {
            endReason = "idle";
        }
        else if (options.RequireSecondFactor && !session.SecondFactor)
        {
            endReason = "no-second-factor";
        }

        if (endReason is null)
        {
            // Record use at most once a minute: enough for a 30-minute idle timeout, and few writes.
            if (now - session!.LastSeenUtc >= TimeSpan.FromMinutes(1))
            {
                session.LastSeenUtc = now;
                await db.SaveChangesAsync(context.HttpContext.RequestAborted);
            }

            return;
        }

        if (session is not null && session.EndedUtc is null)
        {
            session.EndedUtc = now;
            session.EndReason = endReason;
            services.GetRequiredService<IAuditTrail>().Record(db,
                new AuditEvent(SystemActor, "session.end", "user", session.UserId, "security", AuditOutcomes.Allowed, endReason),
                context.HttpContext.Connection.RemoteIpAddress?.ToString(), context.HttpContext.TraceIdentifier);
            await db.SaveChangesAsync(context.HttpContext.RequestAborted);
        }

        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(Scheme);
    }

    /// <summary>The actor for security events Hearth records itself (a session timing out).</summary>
    public static Actor SystemActor { get; } = new("system", "hearth", new HashSet<HearthRole>());

    /// <summary>The actor for events about someone not (yet) signed in; never the name they typed.</summary>
    public static Actor Anonymous { get; } = new("anonymous", "anonymous", new HashSet<HearthRole>());
}
