using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Hearth.Core.Data;

/// <summary>Hearth on a SQLite file: a single analyst's machine, demos and tests. Migrations in Data/Sqlite/Migrations.</summary>
public sealed class SqliteHearthDb(DbContextOptions<SqliteHearthDb> options) : HearthDb(options)
{
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

/// <summary>Lets the EF tools build the SQLite model to write migrations; never used at run time.</summary>
public sealed class SqliteHearthDbDesignFactory : IDesignTimeDbContextFactory<SqliteHearthDb>
{
    public SqliteHearthDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteHearthDb>().UseSqlite("Data Source=design-time.db").Options);
}
