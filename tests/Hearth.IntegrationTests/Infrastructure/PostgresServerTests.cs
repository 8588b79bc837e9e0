using Npgsql;

namespace Hearth.IntegrationTests.Infrastructure;

public sealed class PostgresServerTests(PostgresServer server)
{
    [Fact]
    public async Task CreateDatabase_GivesAnEmptyWritableDatabase()
    {
        var connectionString = await server.CreateDatabaseAsync();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var create = new NpgsqlCommand("CREATE TABLE probe (id int primary key); INSERT INTO probe VALUES (1), (2);", connection);
        await create.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        await using var count = new NpgsqlCommand("SELECT count(*) FROM probe", connection);
        Assert.Equal(2L, await count.ExecuteScalarAsync(TestContext.Current.CancellationToken));
    }
}
