using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Hearth.Core.Data;

/// <summary>Creates <see cref="HearthDb"/> contexts for the configured provider and brings the schema up to date.</summary>
public sealed class HearthDbFactory(HearthDatabaseOptions options)
{
    public HearthDatabaseOptions Options { get; } = options ?? throw new ArgumentNullException(nameof(options));

    public HearthDb Create()
    {
        if (Options.Provider == DatabaseProvider.Sqlite)
        {
            var connection = new SqliteConnectionStringBuilder { DataSource = Options.Target, Pooling = false }.ConnectionString;
            return new SqliteHearthDb(new DbContextOptionsBuilder<SqliteHearthDb>().UseSqlite(connection).Options);
        }

        return new PostgresHearthDb(new DbContextOptionsBuilder<PostgresHearthDb>().UseNpgsql(Options.Target).Options);
    }

    /// <summary>
    /// Applies every pending migration (never <c>EnsureCreated</c>). A SQLite file is switched to write-ahead
    /// logging, so readers are not blocked by an import and a large import's transaction does not fsync the
    /// rollback journal each time the page cache spills.
    /// </summary>
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var db = Create();
        await db.Database.MigrateAsync(cancellationToken);
        if (Options.Provider == DatabaseProvider.Sqlite)
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL", cancellationToken);
        }
    }
}

/// <summary>Registers Hearth's Core services for the web app and the CLI.</summary>
public static class HearthCoreServices
{
    /// <summary>Registers Hearth Core with the database named in configuration section <c>Hearth:Database</c>.</summary>
    public static IServiceCollection AddHearthCore(this IServiceCollection services, IConfiguration configuration) =>
        services.AddHearthCore(HearthDatabaseOptions.FromConfiguration(configuration));

    /// <summary>Registers Hearth Core with the given database.</summary>
    public static IServiceCollection AddHearthCore(this IServiceCollection services, HearthDatabaseOptions database)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(database);
        var factory = new HearthDbFactory(database);
        services.AddSingleton(database);
        services.AddSingleton(factory);
        services.AddScoped(_ => factory.Create());
        services.TryAddSingleton(TimeProvider.System);
        services.AddScoped<Intake.IntakeService>();
        services.AddScoped<Intake.QualityReportService>();
        services.AddScoped<CaseWork.CaseWorkService>();
        services.TryAddSingleton<Audit.IAuditTrail, Audit.AuditTrail>();
        services.AddScoped<Access.UserAccounts>();
        services.AddScoped<Audit.AccessReportService>();
        services.TryAddScoped<Access.IUserDirectory, Access.StoreUserDirectory>();
        services.AddScoped<Linkage.PersonLinkageService>();
        services.AddScoped<Intake.ImportHistoryService>();
        return services;
    }

    /// <summary>Applies pending migrations to the registered database; call once at start-up.</summary>
    public static Task MigrateHearthDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken = default) =>
        services.GetRequiredService<HearthDbFactory>().MigrateAsync(cancellationToken);
}
