using System.Net;
using Hearth.Core.Access;

namespace Hearth.IntegrationTests.Web;

public sealed class HomeAndHealthTests : IClassFixture<HearthWebFactory>
{
    private readonly HearthWebFactory _factory;

    public HomeAndHealthTests(HearthWebFactory factory) => _factory = factory;

    [Fact]
    public async Task Health_ReportsHealthyAsJson()
    {
        using var client = _factory.CreateClient();
        using var response = await client.GetAsync(new Uri("/health", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"status\":\"Healthy\"", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Home_Anonymous_RedirectsToSignIn()
    {
        using var client = _factory.CreateBrowserClient();
        using var response = await client.GetAsync(new Uri("/", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/sign-in", response.Headers.Location?.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Home_ServesGovUkPageWithSecurityHeaders()
    {
        using var client = await _factory.SignInAsync(HearthRole.Analyst);
        using var response = await client.GetAsync(new Uri("/", UriKind.Relative), TestContext.Current.CancellationToken);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("govuk-template", html, StringComparison.Ordinal);
        Assert.Contains("What this Hearth holds", html, StringComparison.Ordinal);
        Assert.Contains("No agency data has been imported yet", html, StringComparison.Ordinal);
        var csp = string.Join(' ', response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", string.Join(' ', response.Headers.GetValues("X-Content-Type-Options")));
    }

    [Theory]
    [InlineData("/lib/govuk-frontend/govuk-frontend.min.css", "text/css")]
    [InlineData("/lib/govuk-frontend/govuk-frontend.min.js", "text/javascript")]
    [InlineData("/assets/images/govuk-crest.svg", "image/svg+xml")]
    public async Task GovUkFrontendAssets_AreServedByTheApp(string path, string mediaType)
    {
        using var client = _factory.CreateClient();
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
    }
}
