using Hearth.IntegrationTests.Infrastructure;

// One PostgreSQL server for the whole test assembly; each test creates its own database on it.
[assembly: AssemblyFixture(typeof(PostgresServer))]
