using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Hearth.Core.Data;

/// <summary>Hearth on a PostgreSQL server: the partnership's shared deployment. Migrations in Data/Postgres/Migrations.</summary>
public sealed class PostgresHearthDb(DbContextOptions<PostgresHearthDb> options) : HearthDb(options)
{
    public override DatabaseProvider Provider => DatabaseProvider.Postgres;
}

/// <summary>Lets the EF tools build the PostgreSQL model to write migrations; never used at run time (no connection is opened).</summary>
public sealed class PostgresHearthDbDesignFactory : IDesignTimeDbContextFactory<PostgresHearthDb>
{
    public PostgresHearthDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresHearthDb>().UseNpgsql("Host=localhost;Database=hearth_design").Options);
}
