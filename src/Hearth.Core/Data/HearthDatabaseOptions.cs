using Microsoft.Extensions.Configuration;

namespace Hearth.Core.Data;

/// <summary>
/// Where Hearth's database is. Read from configuration section <c>Hearth:Database</c>: <c>Provider</c>
/// (<c>sqlite</c> or <c>postgres</c>), <c>Path</c> (the SQLite file) and <c>ConnectionString</c> (PostgreSQL).
/// </summary>
public sealed record HearthDatabaseOptions(DatabaseProvider Provider, string Target)
{
    public static HearthDatabaseOptions Sqlite(string path) => new(DatabaseProvider.Sqlite, path);

    public static HearthDatabaseOptions Postgres(string connectionString) => new(DatabaseProvider.Postgres, connectionString);

    /// <summary>Reads <c>Hearth:Database</c>; a missing or unknown provider, or a missing path or connection string, is an error naming the key.</summary>
    public static HearthDatabaseOptions FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var provider = configuration["Hearth:Database:Provider"];
        if (string.Equals(provider, "sqlite", StringComparison.OrdinalIgnoreCase))
        {
            var path = configuration["Hearth:Database:Path"];
            return string.IsNullOrWhiteSpace(path)
                ? throw new InvalidOperationException("Hearth:Database:Provider is sqlite but Hearth:Database:Path (the database file) is not set.")
                : Sqlite(path);
        }

        if (string.Equals(provider, "postgres", StringComparison.OrdinalIgnoreCase))
        {
            var connection = configuration["Hearth:Database:ConnectionString"];
            return string.IsNullOrWhiteSpace(connection)
                ? throw new InvalidOperationException("Hearth:Database:Provider is postgres but Hearth:Database:ConnectionString is not set.")
                : Postgres(connection);
        }

        throw new InvalidOperationException(
            $"Hearth:Database:Provider must be 'sqlite' or 'postgres' but is {(string.IsNullOrWhiteSpace(provider) ? "not set" : "'" + provider + "'")}.");
    }

    /// <summary>A readable description without secrets: the provider and the file or the host and database.</summary>
    public string Describe()
    {
        if (Provider == DatabaseProvider.Sqlite)
        {
            return "SQLite " + Target;
        }

        var builder = new Npgsql.NpgsqlConnectionStringBuilder(Target);
        return $"PostgreSQL {builder.Host}:{builder.Port}/{builder.Database}";
    }
}
