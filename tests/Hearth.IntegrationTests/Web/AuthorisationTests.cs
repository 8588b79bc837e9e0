using System.Net;
using Hearth.Core.Access;
using Hearth.Core.Data;
using Hearth.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.IntegrationTests.Web;

/// <summary>Deny by default, the anonymous allow-list, and every role against every page.</summary>
public sealed class AuthorisationTests : IClassFixture<HearthWebFactory>
{
    private readonly HearthWebFactory _factory;

    public AuthorisationTests(HearthWebFactory factory) => _factory = factory;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Every page in the app and the roles that may open it (empty: any signed-in user).</summary>
    private static readonly (string Path, string Roles)[] PageRoles =
    [
        ("/", ""),
        ("/data/quality", "DataLead,Analyst,Administrator"),
        ("/admin/users", "Administrator"),
        ("/admin/users/new", "Administrator"),
        ("/admin/audit", "Administrator,Auditor"),
        ("/admin/audit/anomalies", "Administrator,Auditor"),
        ("/account/sign-out", ""),
        ("/api/reference", ""),
        ("/money", "Analyst,DataLead,TeamManager"),
        ("/money/costs", "Analyst,DataLead,TeamManager"),
        ("/money/cohort", "Analyst,DataLead,TeamManager"),
        ("/money/ledger", "Analyst,DataLead,TeamManager"),
        ("/money/cba", "Analyst,DataLead,TeamManager"),
        ("/money/ledger/post", "DataLead"),
        ("/families", "KeyWorker,TeamManager,PartnerPractitioner"),
        ("/dashboard", "KeyWorker,TeamManager,PartnerPractitioner"),
        ("/dashboard/team", "TeamManager"),
    ];

    public static TheoryData<string, string> Pages { get; } = new(PageRoles.Select(p => new TheoryDataRow<string, string>(p.Path, p.Roles)));

    [Fact]
    public void Endpoints_OutsideTheAllowList_AllCarryAuthorizationMetadata()
    {
        _factory.CreateClient().Dispose();
        var endpoints = _factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        Assert.NotEmpty(endpoints);
        var anonymousRoutes = HearthPolicies.AnonymousPages.ToHashSet(StringComparer.Ordinal);
        var offenders = new List<string>();
        foreach (var endpoint in endpoints)
        {
            var route = "/" + endpoint.RoutePattern.RawText?.TrimStart('/');
            var page = endpoint.Metadata.GetMetadata<PageActionDescriptor>()?.ViewEnginePath;
            var allowed = (page is not null && anonymousRoutes.Contains(page)) || HearthPolicies.AnonymousEndpoints.Contains(route);
            var anonymous = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            var authorised = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Count > 0;
            if (anonymous && !allowed)
            {
                offenders.Add(route + " allows anonymous users but is not on the allow-list");
            }
            else if (!anonymous && !authorised)
            {
                offenders.Add(route + " has no authorization metadata");
            }
        }

        Assert.Empty(offenders);
        // The allow-list itself is small and known.
        Assert.Equal(["/Account/SecondFactor", "/Account/Setup", "/Account/SetupAuthenticator", "/Account/SignIn", "/Error"], HearthPolicies.AnonymousPages.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Page_Anonymous_RedirectsToSignIn(string path, string roles)
    {
        _ = roles;
        using var client = _factory.CreateBrowserClient();
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/sign-in", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryRole_AgainstEveryPage_AllowedOrForbidden()
    {
        var failures = new List<string>();
        foreach (var role in Enum.GetValues<HearthRole>())
        {
            using var client = await _factory.SignInAsync(role);
            foreach (var (path, roles) in PageRoles)
            {
                var allowed = roles.Length == 0 || roles.Split(',').Contains(role.ToString());
                using var response = await client.GetAsync(new Uri(path, UriKind.Relative), Ct);
                var expected = allowed ? HttpStatusCode.OK : HttpStatusCode.Forbidden;
                if (response.StatusCode != expected)
                {
                    failures.Add($"{role} {path}: expected {(int)expected}, got {(int)response.StatusCode}");
                }
            }
        }

        Assert.Empty(failures);
    }

    [Fact]
    public async Task Forbidden_IsAuditedWithoutPersonalData()
    {
        var (client, user) = await _factory.SignInUserAsync([HearthRole.KeyWorker]);
        using (client)
        {
            using var response = await client.GetAsync(new Uri("/admin/audit", UriKind.Relative), Ct);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Contains("You do not have access to this page", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        await using var scope = _factory.Services.CreateAsyncScope();
        var entry = await scope.ServiceProvider.GetRequiredService<HearthDb>().AuditEntries
            .SingleAsync(a => a.ActorId == user.Id && a.Action == "authorisation.denied", Ct);
        Assert.Equal("denied", entry.Outcome);
        Assert.Equal("/admin/audit", entry.Detail);
        Assert.Equal("KeyWorker", entry.ActorRoles);
    }

    [Fact]
    public async Task StaticAssetsAndHealth_AreServedToAnonymousUsers()
    {
        using var client = _factory.CreateBrowserClient();
        foreach (var path in new[] { "/health", "/css/hearth.css", "/lib/govuk-frontend/govuk-frontend.min.css", "/account/sign-in", "/account/setup" })
        {
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative), Ct);
            Assert.True(response.StatusCode == HttpStatusCode.OK, path + " gave " + (int)response.StatusCode);
        }
    }
}
