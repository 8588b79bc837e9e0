using System.Reflection;
using System.Threading.RateLimiting;
using Hearth.Core.Access;
using Hearth.Core.Audit;
using Hearth.Core.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Hearth.Web.Infrastructure.Security;

/// <summary>
/// ASP.NET Core Identity configured for Hearth rather than left at its defaults: passwords of 12 to 128
/// characters with no composition rules but checked against a bundled list of common passwords;
/// PBKDF2-HMAC-SHA512 with 210,000 iterations; lockout after 5 failures. Users live in <see cref="HearthDb"/>.
/// </summary>
public static class HearthIdentity
{
    public const int PasswordIterations = 210_000;

    public const int MinimumPasswordLength = 12;

    public const int MaximumPasswordLength = 128;

    /// <summary>The rate-limiter policy on the sign-in, second-factor and set-up pages.</summary>
    public const string SignInRateLimit = "sign-in";

    public static void AddHearthSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(HearthSecurityOptions.Section);
        services.Configure<HearthSecurityOptions>(section);
        var security = section.Get<HearthSecurityOptions>() ?? new HearthSecurityOptions();

        services.AddIdentityCore<HearthUser>(o =>
            {
                o.Password.RequiredLength = MinimumPasswordLength;
                o.Password.RequireDigit = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequiredUniqueChars = 1;
                o.Lockout.AllowedForNewUsers = true;
                o.Lockout.MaxFailedAccessAttempts = security.MaxFailedAttempts;
                o.Lockout.DefaultLockoutTimeSpan = security.LockoutDuration;
                o.User.RequireUniqueEmail = false;
            })
            .AddPasswordValidator<CommonPasswordValidator>();
        services.AddScoped<IUserStore<HearthUser>>(sp => new UserOnlyStore<HearthUser, HearthDb>(sp.GetRequiredService<HearthDb>()));
        services.Configure<PasswordHasherOptions>(o =>
        {
            o.CompatibilityMode = PasswordHasherCompatibilityMode.IdentityV3;
            o.IterationCount = PasswordIterations;
        });

        services.AddHttpContextAccessor();
        services.AddScoped<SignInService>();
        services.AddHearthAuthentication();
        services.AddAuthorization(HearthPolicies.AddPolicies);
        services.AddSingleton<IAuthorizationHandler, SecondFactorHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, AuditedAuthorizationResultHandler>();
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "__Host-Hearth.Antiforgery";
            o.Cookie.SecurePolicy = CookieSecurePolicy.Always;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.HttpOnly = true;
            o.Cookie.Path = "/";
            o.HeaderName = null;
        });
        services.Configure<Microsoft.AspNetCore.Mvc.CookieTempDataProviderOptions>(o =>
        {
            o.Cookie.Name = "__Host-Hearth.TempData";
            o.Cookie.SecurePolicy = CookieSecurePolicy.Always;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.HttpOnly = true;
            o.Cookie.Path = "/";
        });
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(SignInRateLimit, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = Math.Max(1, context.RequestServices.GetRequiredService<IOptions<HearthSecurityOptions>>().Value.SignInRequestsPerMinute),
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                }));
            o.OnRejected = async (context, cancellationToken) =>
            {
                var services = context.HttpContext.RequestServices;
                var db = services.GetRequiredService<HearthDb>();
                services.GetRequiredService<IAuditTrail>().Record(db,
                    new AuditEvent(HearthAuthentication.Anonymous, "signin.rate-limited", "page", null, "security", AuditOutcomes.Denied,
                        context.HttpContext.Request.Path.Value), context.HttpContext.Connection.RemoteIpAddress?.ToString(), context.HttpContext.TraceIdentifier);
                await db.SaveChangesAsync(cancellationToken);
                context.HttpContext.Response.ContentType = "text/plain; charset=utf-8";
                await context.HttpContext.Response.WriteAsync("Too many sign-in attempts from this address. Wait a minute and try again.", cancellationToken);
            };
        });
    }
}

/// <summary>
/// Rejects passwords outside 12–128 characters and passwords that are, or are built from, a common password:
/// the bundled list (common passwords and weak patterns: keyboard walks, sequences, seasons and years, words
/// with digits and symbols added), a single repeated character, or the user name itself.
/// </summary>
public sealed class CommonPasswordValidator : IPasswordValidator<HearthUser>
{
    private static readonly Lazy<HashSet<string>> List = new(Load);

    public Task<IdentityResult> ValidateAsync(UserManager<HearthUser> manager, HearthUser user, string? password)
    {
        ArgumentNullException.ThrowIfNull(user);
        password ??= string.Empty;
        if (password.Length > HearthIdentity.MaximumPasswordLength)
        {
            return Fail("PasswordTooLong", $"Passwords must be {HearthIdentity.MaximumPasswordLength} characters or fewer.");
        }

        if (IsCommon(password, user.UserName))
        {
            return Fail("PasswordCommon", "This password is too common or too easy to guess. Use a longer phrase of unrelated words.");
        }

        return Task.FromResult(IdentityResult.Success);
    }

    /// <summary>Whether the password is on the list or made from a listed password, a repeat, or the user name.</summary>
    public static bool IsCommon(string password, string? userName = null)
    {
        ArgumentNullException.ThrowIfNull(password);
        var lower = password.ToLowerInvariant();
        if (lower.Distinct().Count() <= 2)
        {
            return true;
        }

        if (!string.IsNullOrEmpty(userName) && lower.Contains(userName.ToLowerInvariant(), StringComparison.Ordinal) && lower.Length - userName.Length < 8)
        {
            return true;
        }

        var list = List.Value;
        if (list.Contains(lower))
        {
            return true;
        }

        // Strip the digits and symbols people add around a weak word to pass a rule, undo common letter
        // swaps (p@ssw0rd), and look again; also look at the letters alone.
        var stripped = lower.Trim(Decoration);
        var unleet = new string(stripped.Select(Unleet).ToArray());
        var letters = new string(unleet.Where(char.IsAsciiLetter).ToArray());
        return list.Contains(stripped) || list.Contains(unleet)
            || (letters.Length >= 4 && list.Contains(letters) && lower.Length - letters.Length <= 8)
            || IsRepeatOfListed(stripped, list) || IsRepeatOfListed(unleet, list);
    }

    private static readonly char[] Decoration = "0123456789!@#$%^&*?.,;:_-+=~ ".ToCharArray();

    private static bool IsRepeatOfListed(string value, HashSet<string> list)
    {
        for (var size = 3; size <= value.Length / 2; size++)
        {
            if (value.Length % size == 0)
            {
                var unit = value[..size];
                if (string.Concat(Enumerable.Repeat(unit, value.Length / size)) == value && (list.Contains(unit) || unit.Distinct().Count() <= 3))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static char Unleet(char c) => c switch
    {
        '@' or '4' => 'a',
        '3' => 'e',
        '1' or '!' => 'i',
        '0' => 'o',
        '$' or '5' => 's',
        '7' => 't',
        _ => c,
    };

    private static HashSet<string> Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Hearth.Web.Resources.common-passwords.txt")
            ?? throw new InvalidOperationException("The bundled common-password list is missing from Hearth.Web.");
        using var reader = new StreamReader(stream);
        var set = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            line = line.Trim();
            if (line.Length > 0 && !line.StartsWith('#'))
            {
                set.Add(line.ToLowerInvariant());
            }
        }

        return set;
    }

    private static Task<IdentityResult> Fail(string code, string description) =>
        Task.FromResult(IdentityResult.Failed(new IdentityError { Code = code, Description = description }));
}

/// <summary>Writes every authorisation failure (a signed-in user refused a page) to the audit log, then answers as usual.</summary>
public sealed class AuditedAuthorizationResultHandler(IAuditTrail audit) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(authorizeResult);
        if (authorizeResult.Forbidden && context.User.ToActor() is { } actor)
        {
            var db = context.RequestServices.GetRequiredService<HearthDb>();
            var path = context.Request.Path.Value ?? "/";
            audit.Record(db, new AuditEvent(actor, "authorisation.denied", "page", null, "security", AuditOutcomes.Denied,
                path.Length > 200 ? path[..200] : path), context.Connection.RemoteIpAddress?.ToString(), context.TraceIdentifier);
            await db.SaveChangesAsync(context.RequestAborted);
        }

        await _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
