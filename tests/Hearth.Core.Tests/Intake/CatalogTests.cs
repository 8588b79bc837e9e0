using Hearth.Core.Data;
using Hearth.Core.Intake;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Core.Tests.Intake;

public sealed class CatalogTests
{
    [Fact]
    public void FieldCatalog_EveryEventField_IsAColumnOfThatEventTypesEntity()
    {
        using var db = new SqliteHearthDbDesignFactory().CreateDbContext([]);
        foreach (var (eventType, fields) in FieldCatalog.EventFields.Where(e => e.Key != EventTypes.Person))
        {
            var entity = db.Model.FindEntityType(EventTypes.All[eventType])!;
            var columns = entity.GetProperties().Select(p => p.GetColumnName()).ToHashSet(StringComparer.Ordinal);
            foreach (var field in fields)
            {
                Assert.True(columns.Contains(field.Column), $"{eventType}.{field.Column} is not a column of {entity.ClrType.Name}");
            }

            var own = entity.GetDeclaredProperties().Select(p => p.GetColumnName());
            Assert.All(own, c => Assert.Contains(c, fields.Select(f => f.Column)));
        }
    }

    [Fact]
    public void FieldCatalog_PersonFields_AreColumnsOfSourceRecords()
    {
        using var db = new SqliteHearthDbDesignFactory().CreateDbContext([]);
        var columns = db.Model.FindEntityType(typeof(SourceRecord))!.GetProperties().Select(p => p.GetColumnName()).ToHashSet(StringComparer.Ordinal);

        Assert.All(FieldCatalog.PersonFields, f => Assert.Contains(f.Column, columns));
    }

    [Fact]
    public void Model_TablesAndColumns_AreSnakeCase()
    {
        using var db = new PostgresHearthDbDesignFactory().CreateDbContext([]);
        var names = db.Model.GetEntityTypes().SelectMany(e => e.GetProperties().Select(p => p.GetColumnName()).Append(e.GetTableName()!));

        Assert.All(names, n => Assert.Matches("^[a-z0-9_]+$", n));
        Assert.Equal("sessions_unauthorised_absence", HearthDb.SnakeCase("SessionsUnauthorisedAbsence"));
        Assert.Equal("pk_agencies", HearthDb.SnakeCase("PK_agencies"));
    }

    [Fact]
    public void Migrations_BothProviders_HaveNoPendingModelChanges()
    {
        using var sqlite = new SqliteHearthDbDesignFactory().CreateDbContext([]);
        using var postgres = new PostgresHearthDbDesignFactory().CreateDbContext([]);

        Assert.False(sqlite.Database.HasPendingModelChanges());
        Assert.False(postgres.Database.HasPendingModelChanges());
    }
}
