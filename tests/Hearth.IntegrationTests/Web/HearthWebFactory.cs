using Hearth.Core.Intake;
using Hearth.Core.Synthetic;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.IntegrationTests.Web;

/// <summary>The web app in process on its own SQLite file in a temporary folder, optionally loaded with a small borough.</summary>
public sealed class HearthWebFactory : WebApplicationFactory<Hearth.Web.Program>
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "hearth-web-" + Guid.NewGuid().ToString("N"));

    public string DatabasePath => Path.Combine(_folder, "hearth.db");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        Directory.CreateDirectory(_folder);
        builder.UseEnvironment("Production");
        builder.UseSetting("Hearth:Database:Provider", "sqlite");
        builder.UseSetting("Hearth:Database:Path", DatabasePath);
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
}
