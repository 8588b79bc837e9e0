using System.Net;
using System.Text.RegularExpressions;
using Hearth.Core.Access;
using Hearth.Core.Intake;
using Hearth.Core.Synthetic;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace Hearth.IntegrationTests.Web;

/// <summary>
/// The web app in process on its own SQLite file in a temporary folder, optionally loaded with a small borough.
/// Sign in with <see cref="SignInAsync(HearthRole[])"/>: it creates a user with those roles and signs in over
/// HTTP with the password and a TOTP code, returning a client that carries the session cookie.
/// </summary>
public sealed partial class HearthWebFactory : WebApplicationFactory<Hearth.Web.Program>
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "hearth-web-" + Guid.NewGuid().ToString("N"));

    public string DatabasePath => Path.Combine(_folder, "hearth.db");

    /// <summary>Configuration given to the app; sign-in rate limiting is raised so tests that sign in often are not throttled.</summary>
    public Dictionary<string, string?> Settings { get; } = new(StringComparer.Ordinal)
    {
        ["Hearth:Security:SignInRequestsPerMinute"] = "10000",
    };

    /// <summary>The app's clock when the test controls time (<c>new HearthWebFactory { Clock = ..., Settings = { [key] = value } }</c>).</summary>
    public FakeTimeProvider? Clock { get; init; }

    /// <summary>Now, by the app's clock.</summary>
    public DateTimeOffset Now => Clock?.GetUtcNow() ?? DateTimeOffset.UtcNow;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        Directory.CreateDirectory(_folder);
        builder.UseEnvironment("Production");
        builder.UseSetting("Hearth:Database:Provider", "sqlite");
        builder.UseSetting("Hearth:Database:Path", DatabasePath);
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        if (Clock is not null)
        {
            builder.ConfigureServices(services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Clock)));
        }
    }

    /// <summary>A client that talks HTTPS to the in-process server, keeps cookies and does not follow redirects.</summary>
    public HttpClient CreateBrowserClient() => CreateBrowserClient(new CookieContainer());

    /// <summary>As <see cref="CreateBrowserClient()"/>, keeping cookies in <paramref name="cookies"/> (to read or replay them).</summary>
    public HttpClient CreateBrowserClient(CookieContainer cookies) =>
        CreateDefaultClient(new Uri("https://localhost"), new Microsoft.AspNetCore.Mvc.Testing.Handlers.CookieContainerHandler(cookies));

    /// <summary>Creates a user with <paramref name="roles"/> and returns a client signed in as them (password and TOTP).</summary>
    public async Task<HttpClient> SignInAsync(params HearthRole[] roles) => (await SignInUserAsync(roles)).Client;

    /// <summary>As <see cref="SignInAsync(HearthRole[])"/>, also returning the user (id, name, password, authenticator key).</summary>
    public async Task<(HttpClient Client, TestUser User)> SignInUserAsync(IReadOnlyCollection<HearthRole> roles, string? team = null, string? agency = null)
    {
        var user = await CreateUserAsync(roles, team, agency);
        var client = CreateBrowserClient();
        await SignInAsync(client, user);
        return (client, user);
    }

    /// <summary>Creates a set-up user (password and authenticator in place) without signing in.</summary>
    public Task<TestUser> CreateUserAsync(IReadOnlyCollection<HearthRole> roles, string? team = null, string? agency = null) =>
        TestAccounts.CreateAsync(Services, roles, team, agency);

    /// <summary>Signs <paramref name="client"/> in as <paramref name="user"/> through the sign-in and second-factor pages; throws if either step fails.</summary>
    public async Task SignInAsync(HttpClient client, TestUser user)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(user);
        using var password = await PostFormAsync(client, "/account/sign-in", new() { ["UserName"] = user.UserName, ["Password"] = user.Password });
        if (password.StatusCode != HttpStatusCode.Redirect || password.Headers.Location?.OriginalString.StartsWith("/account/second-factor", StringComparison.Ordinal) != true)
        {
            throw new InvalidOperationException($"The password step did not lead to the second factor: {(int)password.StatusCode} {password.Headers.Location}");
        }

        using var code = await PostFormAsync(client, "/account/second-factor", new() { ["Code"] = user.NextCode(Now) });
        if (code.StatusCode != HttpStatusCode.Redirect || code.Headers.Location?.OriginalString != "/")
        {
            throw new InvalidOperationException($"The second-factor step failed: {(int)code.StatusCode} {code.Headers.Location}");
        }
    }

    /// <summary>GETs <paramref name="path"/> for its antiforgery token, then POSTs the form with it.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string path, Dictionary<string, string> fields, string? formPage = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(fields);
        var html = await client.GetStringAsync(new Uri(formPage ?? path, UriKind.Relative));
        fields["__RequestVerificationToken"] = AntiforgeryToken(html);
        using var content = new FormUrlEncodedContent(fields);
        return await client.PostAsync(new Uri(path, UriKind.Relative), content);
    }

    /// <summary>The antiforgery token in a page's first form.</summary>
    public static string AntiforgeryToken(string html)
    {
        var match = TokenPattern().Match(html ?? string.Empty);
        return match.Success ? WebUtility.HtmlDecode(match.Groups[1].Value) : throw new InvalidOperationException("The page has no antiforgery token.");
    }

    /// <summary>Generates a small borough and imports every extract into this app's store.</summary>
    public async Task LoadBoroughAsync(int households, CancellationToken cancellationToken)
    {
        var borough = Path.Combine(_folder, "borough");
        BoroughGenerator.Generate(new GeneratorSettings { Households = households, Seed = 3 }, borough, cancellationToken: cancellationToken);
        await using var scope = Services.CreateAsyncScope();
        await BoroughImport.ImportAsync(scope.ServiceProvider.GetRequiredService<IntakeService>(), borough, "test", cancellationToken: cancellationToken);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
