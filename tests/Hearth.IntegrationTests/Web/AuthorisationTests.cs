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
        ("/data/imports", "DataLead"),
        ("/data/imports/1", "DataLead"),
        ("/data/upload", "DataLead"),
        ("/data/linkage/review", "DataLead"),
        ("/data/linkage/review/1", "DataLead"),
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
        ("/money/costs/local", "Analyst,DataLead,TeamManager"),
        ("/money/costs/local/edit", "DataLead"),
        ("/money/contracts", "Analyst,DataLead,TeamManager"),
        ("/money/contracts/1", "Analyst,DataLead,TeamManager"),
        ("/families", "KeyWorker,TeamManager,PartnerPractitioner"),
        ("/dashboard", "KeyWorker,TeamManager,PartnerPractitioner"),
        ("/dashboard/team", "TeamManager"),
        ("/programmes/identification", "DataLead,TeamManager"),
        ("/programmes/identification/F0000001", "DataLead,TeamManager"),
        ("/claims", "DataLead,TeamManager,Auditor"),
        ("/claims/new-batch", "DataLead"),
        ("/claims/discretionary", "TeamManager"),
        ("/claims/download?framework=supporting-families-2022&window=none&format=return", "DataLead,TeamManager,Auditor"),
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
        // Dataset 1 and review pair 1 exist, so their pages answer 200 to the roles allowed.
        await DataWebTestData.SeedDatasetAndReviewAsync(_factory.Services, Ct);
        await StoreAContractAsync();
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

    /// <summary>Stores contract 1 (the pass-through example), so its page has something to show to the roles that may see it.</summary>
    private async Task StoreAContractAsync()
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HearthDb>();
        if (await db.OutcomeContracts.AnyAsync(Ct))
        {
            return;
        }

        var contract = new Hearth.Core.Finance.Contracts.OutcomeContract
        {
            Name = "Matrix contract",
            Kind = Hearth.Core.Finance.Contracts.ContractKind.PaymentByResults,
            Start = new DateOnly(2024, 4, 1),
            RateCard = [new Hearth.Core.Finance.Contracts.RateCardEntry("outcome", "an outcome", Hearth.Core.Money.FromPounds(800), null)],
        };
        var lead = new Actor("u-matrix", "matrix", new HashSet<HearthRole> { HearthRole.DataLead });
        await new Hearth.Core.Finance.Store.ContractStore(db, TimeProvider.System).CreateAsync(lead, contract, "matrix.yaml", new string('0', 64), Ct);
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
