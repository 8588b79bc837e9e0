using Hearth.Core.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Hearth.IntegrationTests.CaseWork;

/// <summary>The web app on a temp SQLite file with the test sign-in, the in-test user directory, a fixed clock and the case work test families.</summary>
public sealed class CaseWorkWebFactory : WebApplicationFactory<Hearth.Web.Program>
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "hearth-casework-web-" + Guid.NewGuid().ToString("N"));

    public FakeTimeProvider Time { get; } = new(CaseWorkTestData.Now);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        Directory.CreateDirectory(_folder);
        builder.UseEnvironment("Production");
        builder.UseSetting("Hearth:Database:Provider", "sqlite");
        builder.UseSetting("Hearth:Database:Path", Path.Combine(_folder, "hearth.db"));
        builder.ConfigureTestServices(services => TestSignInHandler.Register(services, Time));
    }

    public async Task SeedAsync(CancellationToken ct)
    {
        CreateClient().Dispose();
        await using var scope = Services.CreateAsyncScope();
        await CaseWorkTestData.SeedAsync(scope.ServiceProvider.GetRequiredService<HearthDb>(), ct);
    }

    /// <summary>A client signed in as the given test user (cookies kept, redirects not followed).</summary>
    public HttpClient ClientFor(string userId)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Add(TestSignInHandler.Header, userId);
        return client;
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
}
