using System.Security.Claims;
using System.Text.Encodings.Web;
using Hearth.Core.Access;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Hearth.IntegrationTests.CaseWork;

/// <summary>
/// Test-only sign-in: the request names its user in the <c>X-Test-User</c> header and gets that user's claims
/// from <see cref="TestUserDirectory"/> (id, name, roles, team, agency), as the real sign-in puts them on the
/// principal. Registered only by test hosts.
/// </summary>
public sealed class TestSignInHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Test";
    public const string Header = "X-Test-User";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(Header, out var value))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var user = TestUserDirectory.Users.FirstOrDefault(u => u.UserId == value.ToString());
        if (user is null)
        {
            return Task.FromResult(AuthenticateResult.Fail("unknown test user"));
        }

        var claims = new List<Claim> { new(ClaimTypes.NameIdentifier, user.UserId), new(ClaimTypes.Name, user.UserName) };
        claims.AddRange(user.Roles.Select(r => new Claim(ClaimTypes.Role, r.ToString())));
        if (user.TeamId is not null)
        {
            claims.Add(new Claim(HearthClaimTypes.Team, user.TeamId));
        }

        if (user.AgencyId is not null)
        {
            claims.Add(new Claim(HearthClaimTypes.Agency, user.AgencyId));
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }

    /// <summary>Registers the test sign-in, the in-test user directory and a fixed clock.</summary>
    public static void Register(IServiceCollection services, TimeProvider clock)
    {
        services.AddAuthentication(SchemeName).AddScheme<AuthenticationSchemeOptions, TestSignInHandler>(SchemeName, _ => { });
        services.RemoveAll<IUserDirectory>();
        services.AddSingleton<IUserDirectory, TestUserDirectory>();
        services.RemoveAll<TimeProvider>();
        services.AddSingleton(clock);
    }
}
