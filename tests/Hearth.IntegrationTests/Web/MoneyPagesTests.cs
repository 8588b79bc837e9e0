using System.Net;
using System.Reflection;
using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using Hearth.Core.Data;
using Hearth.IntegrationTests.Finance;
using Hearth.Web.Pages.Money;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Hearth.IntegrationTests.Web;

/// <summary>
/// The money pages rendered with data: a store seeded with two families (see <see cref="MoneyStoreSeed"/>),
/// a signed-in user whose roles come from a test header, and the area's policies.
/// </summary>
public sealed partial class MoneyPagesTests : IAsyncLifetime
{
    private const string Roles = "X-Test-Roles";
    private readonly HearthWebFactory _root = new();
    private WebApplicationFactory<Hearth.Web.Program>? _factory;

    private WebApplicationFactory<Hearth.Web.Program> Factory => _factory ?? throw new InvalidOperationException("not initialised");

    public async ValueTask InitializeAsync()
    {
        _factory = _root.WithWebHostBuilder(b => b.ConfigureTestServices(services =>
        {
            services.AddAuthentication(TestAuthHandler.Name).AddScheme<AuthenticationSchemeOptions, TestAuthHandler>(TestAuthHandler.Name, _ => { });
            services.PostConfigure<AuthenticationOptions>(o =>
            {
                o.DefaultScheme = TestAuthHandler.Name;
                o.DefaultAuthenticateScheme = TestAuthHandler.Name;
                o.DefaultChallengeScheme = TestAuthHandler.Name;
                o.DefaultForbidScheme = TestAuthHandler.Name;
            });
            services.AddAuthorization(o => o.AddMoneyPolicies());
            services.Configure<RouteOptions>(o => o.SuppressCheckForUnhandledSecurityMetadata = true);
            services.AddTransient<IStartupFilter, AuthenticateFirst>();
        }));
        Factory.CreateClient().Dispose();
        await using var scope = Factory.Services.CreateAsyncScope();
        await MoneyStoreSeed.SeedAsync(scope.ServiceProvider.GetRequiredService<HearthDb>(), TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        await _root.DisposeAsync();
    }

    private HttpClient Client(string roles = "Analyst,DataLead")
    {
        var client = Factory.CreateClient();
        if (roles.Length > 0)
        {
            client.DefaultRequestHeaders.Add(Roles, roles);
        }

        return client;
    }

    private static async Task<string> Get(HttpClient client, string url)
    {
        using var response = await client.GetAsync(new Uri(url, UriKind.Relative), TestContext.Current.CancellationToken);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {response.StatusCode}");
        return WebUtility.HtmlDecode(html);
    }

    [Fact]
    public void EveryMoneyPage_NeedsItsPolicy()
    {
        var pages = typeof(MoneyAuthorization).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(MoneyAuthorization).Namespace && typeof(PageModel).IsAssignableFrom(t)).ToList();

        Assert.Equal(6, pages.Count);
        foreach (var page in pages)
        {
            var policy = Assert.Single(page.GetCustomAttributes<AuthorizeAttribute>()).Policy;
            Assert.Equal(page.Name == "LedgerPostModel" ? MoneyAuthorization.ManageData : MoneyAuthorization.Analyse, policy);
        }
    }

    [Fact]
    public async Task Costs_SearchUpratedToAPriceYear()
    {
        using var client = Client();
        var html = await Get(client, "/money/costs?q=foster+care&year=2015%2F16");

        Assert.Contains("SS2.0", html, StringComparison.Ordinal);
        // SS2.0 £700 a week (2013/14) × 195.97 ÷ 190.0337266 = £721.866 → £721.87 (the workbook's 2015/16 figure).
        Assert.Contains("£721.87", html, StringComparison.Ordinal);
        Assert.DoesNotContain("SS1.0<", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Family_ShowsTheProfileAndAuditsTheRead()
    {
        using var client = Client();
        var html = await Get(client, "/money/family/F0000001?attached=2023-07-15");

        // £663.37 + £3,619.67 + £4,329.50 (see MoneyStoreScenarios for the arithmetic).
        Assert.Contains("£8,612.54", html, StringComparison.Ordinal);
        Assert.Contains("£4,992.87", html, StringComparison.Ordinal);
        Assert.Contains("SS1.0", html, StringComparison.Ordinal);
        Assert.Contains("police, youth_justice", html, StringComparison.Ordinal);
        await using var scope = Factory.Services.CreateAsyncScope();
        var audit = await scope.ServiceProvider.GetRequiredService<HearthDb>().AuditEntries.AsNoTracking().SingleAsync(TestContext.Current.CancellationToken);
        Assert.Equal(("family-cost-profile.read", "F0000001", "test-user"), (audit.Action, audit.SubjectId, audit.ActorId));
    }

    [Fact]
    public async Task Family_WithoutSignIn_IsChallengedAndNothingIsRead()
    {
        using var client = Client(roles: string.Empty);
        using var response = await client.GetAsync(new Uri("/money/family/F0000001", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await using var scope = Factory.Services.CreateAsyncScope();
        Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<HearthDb>().AuditEntries.CountAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Family_KeyWorker_IsForbidden()
    {
        using var client = Client(roles: "KeyWorker");
        using var response = await client.GetAsync(new Uri("/money/family/F0000001", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Cohort_ListsTotalsAndTheCostliestFamilies()
    {
        using var client = Client();
        var html = await Get(client, "/money/cohort");

        // £8,612.54 + £663.37 = £9,275.91.
        Assert.Contains("£9,275.91", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/money/family/F0000001\"", html, StringComparison.Ordinal);
        Assert.DoesNotMatch(TenDigits(), html);
    }

    [Fact]
    public async Task Ledger_PostedThroughTheForm_ShowsInTheBalances()
    {
        using var client = Client();
        await Post(client, new() { ["Operation"] = "open", ["Pot"] = "families", ["Date"] = "2026-04-01" });
        await Post(client, new() { ["Operation"] = "contribute", ["Pot"] = "families", ["Amount"] = "120000", ["Agency"] = "Police", ["Year"] = "2026/27", ["Date"] = "2026-04-01" });
        var refused = await Post(client, new() { ["Operation"] = "allocate", ["Pot"] = "families", ["Amount"] = "500000", ["Service"] = "keyworkers", ["Date"] = "2026-04-02" });
        await Post(client, new() { ["Operation"] = "allocate", ["Pot"] = "families", ["Amount"] = "20000.50", ["Service"] = "keyworkers", ["Date"] = "2026-04-02" });

        Assert.Contains("cannot allocate", refused, StringComparison.Ordinal);
        var html = await Get(client, "/money/ledger");
        Assert.Contains("£120,000.00", html, StringComparison.Ordinal);
        // Unallocated £120,000 − £20,000.50 = £99,999.50.
        Assert.Contains("£99,999.50", html, StringComparison.Ordinal);
        Assert.Contains("Police", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cba_WhatIf_WorksWithoutScript()
    {
        using var client = Client();
        var html = await Get(client, "/money/cba?run=true&PriceYear=2015%2F16&Horizon=1&Cost=1000&CostYears=1&CostAgency=Police&Cashability=1&CostUplift=0&BenefitReduction=0&BiasSource=test"
            + "&Outcomes%5B0%5D.Code=CR1.1&Outcomes%5B0%5D.Need=100&Outcomes%5B0%5D.Engagement=1&Outcomes%5B0%5D.Impact=1&Outcomes%5B0%5D.Deadweight=0&Outcomes%5B0%5D.Duration=1");

        // Year 0 only: 100 incidents avoided × CR1.1 £47.13 (2015/16) = £4,713.00, all cashable, costs £1,000.00:
        // net present budget impact £3,713.00.
        Assert.Contains("Net present budget impact", html, StringComparison.Ordinal);
        Assert.Contains("£3,713.00", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cba_WithoutOptimismBias_AsksForIt()
    {
        using var client = Client();
        var html = await Get(client, "/money/cba?run=true");

        Assert.Contains("Hearth ships no percentages", html, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"result\"", html, StringComparison.Ordinal);
    }

    private static async Task<string> Post(HttpClient client, Dictionary<string, string> form)
    {
        var page = await Get(client, "/money/ledger/post");
        form["__RequestVerificationToken"] = Token().Match(page).Groups[1].Value;
        using var content = new FormUrlEncodedContent(form);
        using var response = await client.PostAsync(new Uri("/money/ledger/post", UriKind.Relative), content, TestContext.Current.CancellationToken);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode}: {html} {string.Join(";", response.Headers.Select(h => h.Key))} token {form["__RequestVerificationToken"].Length}");
        return WebUtility.HtmlDecode(html);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();

    [GeneratedRegex(@"\b\d{10}\b")]
    private static partial Regex TenDigits();

    /// <summary>Signs the request in as "test-user" with the roles in the X-Test-Roles header; no header, no user.</summary>
    private sealed class TestAuthHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        public const string Name = "Test";

        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            if (!Request.Headers.TryGetValue(Roles, out var roles))
            {
                return Task.FromResult(AuthenticateResult.NoResult());
            }

            var claims = new List<Claim> { new(ClaimTypes.NameIdentifier, "test-user"), new(ClaimTypes.Name, "tester") };
            claims.AddRange(roles.ToString().Split(',', StringSplitOptions.RemoveEmptyEntries).Select(r => new Claim(ClaimTypes.Role, r)));
            var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, Name));
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, Name)));
        }
    }

    /// <summary>Authenticates every request before the app's own pipeline (the app's sign-in set-up may add its own too).</summary>
    private sealed class AuthenticateFirst : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseAuthentication();
            next(app);
        };
    }
}
