using Hearth.Core.Data;

namespace Hearth.IntegrationTests.Infrastructure;

/// <summary>
/// The base of scenarios that run on every database provider: each test gets a fresh, migrated store from the
/// subclass's <see cref="CreateDatabaseAsync"/> (a SQLite file, or a new PostgreSQL database).
/// </summary>
public abstract class StoreScenarios : IAsyncLifetime
{
    private HearthDbFactory? _factory;

    /// <summary>The fresh database's options.</summary>
    protected abstract Task<HearthDatabaseOptions> CreateDatabaseAsync();

    /// <summary>The migrated store.</summary>
    protected HearthDbFactory Factory => _factory ?? throw new InvalidOperationException("The store is not created yet.");

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public virtual async ValueTask InitializeAsync()
    {
        _factory = new HearthDbFactory(await CreateDatabaseAsync());
        await _factory.MigrateAsync(Ct);
    }

    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}
