namespace Hearth.Web.Infrastructure;

/// <summary>What this Hearth instance is connected to, shown on the home page and the health endpoint.</summary>
public sealed class SiteStatus(IConfiguration configuration)
{
    /// <summary>The store's provider and location, without credentials.</summary>
    public string Store
    {
        get
        {
            var provider = configuration["Hearth:Database:Provider"] ?? "sqlite";
            return string.Equals(provider, "postgres", StringComparison.OrdinalIgnoreCase)
                ? "PostgreSQL server"
                : "SQLite file " + (configuration["Hearth:Database:Path"] ?? "hearth.db");
        }
    }
}
