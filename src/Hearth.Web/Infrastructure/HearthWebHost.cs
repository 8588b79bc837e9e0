using Hearth.Core.Data;

namespace Hearth.Web.Infrastructure;

/// <summary>
/// Builds the web app for a host other than Hearth.Web's own entry point (<c>hearth serve</c>): the pages
/// are compiled into this assembly and the static files are expected in <c>wwwroot</c> beside the running program.
/// </summary>
public static class HearthWebHost
{
    /// <summary>The app on <paramref name="database"/>, listening on <paramref name="urls"/>, migrated and ready to run.</summary>
    public static async Task<WebApplication> BuildAsync(
        HearthDatabaseOptions database, string urls, IReadOnlyDictionary<string, string?>? settings = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(HearthWebHost).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            WebRootPath = Path.Combine(AppContext.BaseDirectory, "wwwroot"),
            EnvironmentName = Environments.Production,
            Args = [],
        });
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Hearth:Database:Provider"] = database.Provider == DatabaseProvider.Sqlite ? "sqlite" : "postgres",
            ["Hearth:Database:Path"] = database.Provider == DatabaseProvider.Sqlite ? database.Target : null,
            ["Hearth:Database:ConnectionString"] = database.Provider == DatabaseProvider.Postgres ? database.Target : null,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(values);
        builder.WebHost.UseUrls(urls);
        builder.AddHearthWeb();
        var app = builder.Build();
        await app.Services.MigrateHearthDatabaseAsync(cancellationToken);
        app.UseHearthWeb();
        return app;
    }
}
