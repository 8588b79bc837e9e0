using System.Text;
using Hearth.Core.Audit;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Core.Data;

/// <summary>
/// Hearth's database. The model is the same on every provider; <see cref="SqliteHearthDb"/> and
/// <see cref="PostgresHearthDb"/> each carry their own migrations. Tables and columns are snake_case so the
/// bulk import paths and reports can write plain SQL that reads the same on both.
/// </summary>
public abstract partial class HearthDb : DbContext
{
    protected HearthDb(DbContextOptions options)
        : base(options)
    {
    }

    public DbSet<Agency> Agencies => Set<Agency>();

    public DbSet<Dataset> Datasets => Set<Dataset>();

    public DbSet<SourceRecord> SourceRecords => Set<SourceRecord>();

    public DbSet<AgencyEvent> Events => Set<AgencyEvent>();

    public DbSet<QuarantinedRow> QuarantinedRows => Set<QuarantinedRow>();

    public DbSet<ImportIssue> ImportIssues => Set<ImportIssue>();

    public DbSet<Person> Persons => Set<Person>();

    public DbSet<PersonRecord> PersonRecords => Set<PersonRecord>();

    public DbSet<LinkageRun> LinkageRuns => Set<LinkageRun>();

    public DbSet<LinkReview> LinkReviews => Set<LinkReview>();

    public DbSet<Household> Households => Set<Household>();

    public DbSet<HouseholdMember> HouseholdMembers => Set<HouseholdMember>();

    public DbSet<Family> Families => Set<Family>();

    public DbSet<FamilyMember> FamilyMembers => Set<FamilyMember>();

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    /// <summary>Which provider this context talks to.</summary>
    public abstract DatabaseProvider Provider { get; }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);

        modelBuilder.Entity<Agency>(e =>
        {
            e.ToTable("agencies");
            e.HasKey(a => a.Id);
            e.Property(a => a.Id).HasMaxLength(64);
            e.Property(a => a.Name).HasMaxLength(200);
        });

        modelBuilder.Entity<Dataset>(e =>
        {
            e.ToTable("datasets");
            e.HasOne<Agency>().WithMany().HasForeignKey(d => d.AgencyId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(d => new { d.AgencyId, d.Kind, d.Sha256 }).IsUnique();
            e.Property(d => d.Kind).HasMaxLength(100);
            e.Property(d => d.EventType).HasMaxLength(50);
            e.Property(d => d.Sha256).HasMaxLength(64);
            e.Property(d => d.FileName).HasMaxLength(400);
            e.Property(d => d.ImportedBy).HasMaxLength(200);
            e.Property(d => d.Status).HasConversion<string>().HasMaxLength(20);
        });

        modelBuilder.Entity<SourceRecord>(e =>
        {
            e.ToTable("source_records");
            e.HasOne<Agency>().WithMany().HasForeignKey(s => s.AgencyId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Dataset>().WithMany().HasForeignKey(s => s.DatasetId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(s => new { s.AgencyId, s.DetailsHash }).IsUnique();
            e.HasIndex(s => new { s.AgencyId, s.AgencyRecordId });
        });

        modelBuilder.Entity<AgencyEvent>(e =>
        {
            e.ToTable("events");
            var discriminator = e.HasDiscriminator<string>("event_type");
            foreach (var (name, type) in EventTypes.All)
            {
                discriminator.HasValue(type, name);
            }

            e.Property("event_type").HasMaxLength(50);
            e.HasOne<SourceRecord>().WithMany().HasForeignKey(v => v.SourceRecordId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Dataset>().WithMany().HasForeignKey(v => v.DatasetId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(v => new { v.AgencyId, v.Fingerprint }).IsUnique();
            e.HasIndex(v => v.SourceRecordId);
            e.HasIndex(v => v.DatasetId);
        });

        foreach (var type in EventTypes.All.Values)
        {
            modelBuilder.Entity(type);
        }

        modelBuilder.Entity<QuarantinedRow>(e =>
        {
            e.ToTable("quarantined_rows");
            e.HasOne<Dataset>().WithMany().HasForeignKey(q => q.DatasetId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(q => new { q.DatasetId, q.RowNumber });
        });

        modelBuilder.Entity<ImportIssue>(e =>
        {
            e.ToTable("import_issues");
            e.HasOne<Dataset>().WithMany().HasForeignKey(i => i.DatasetId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(i => new { i.DatasetId, i.RowNumber });
            e.Property(i => i.Severity).HasConversion<string>().HasMaxLength(10);
            e.Property(i => i.Code).HasMaxLength(50);
        });

        ConfigurePersons(modelBuilder);
        ConfigureProgrammes(modelBuilder);
        ConfigureMoney(modelBuilder);
        ConfigureSecurity(modelBuilder);
        ConfigureCaseWork(modelBuilder);
        ConfigureIdentification(modelBuilder);

        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
            {
                property.SetColumnName(SnakeCase(property.Name));
            }

            foreach (var key in entity.GetKeys())
            {
                key.SetName(SnakeCase(key.GetName() ?? string.Empty));
            }

            foreach (var foreignKey in entity.GetForeignKeys())
            {
                foreignKey.SetConstraintName(SnakeCase(foreignKey.GetConstraintName() ?? string.Empty));
            }

            foreach (var index in entity.GetIndexes())
            {
                index.SetDatabaseName(SnakeCase(index.GetDatabaseName() ?? string.Empty));
            }
        }
    }

    private static void ConfigurePersons(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<LinkageRun>(e =>
        {
            e.ToTable("linkage_runs");
            e.Property(r => r.StartedBy).HasMaxLength(200);
        });

        modelBuilder.Entity<Person>(e =>
        {
            e.ToTable("persons");
            e.Property(p => p.Reference).HasMaxLength(20);
            e.HasIndex(p => p.Reference).IsUnique();
            e.HasOne<LinkageRun>().WithMany().HasForeignKey(p => p.CreatedByRunId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Person>().WithMany().HasForeignKey(p => p.MergedIntoPersonId).OnDelete(DeleteBehavior.Restrict);
        });

        modelBuilder.Entity<PersonRecord>(e =>
        {
            e.ToTable("person_records");
            e.HasKey(r => r.SourceRecordId);
            e.Property(r => r.SourceRecordId).ValueGeneratedNever();
            e.HasOne<SourceRecord>().WithOne().HasForeignKey<PersonRecord>(r => r.SourceRecordId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<Person>().WithMany().HasForeignKey(r => r.PersonId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<LinkageRun>().WithMany().HasForeignKey(r => r.LinkageRunId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(r => r.PersonId);
            e.Property(r => r.Method).HasConversion<string>().HasMaxLength(20);
        });

        modelBuilder.Entity<LinkReview>(e =>
        {
            e.ToTable("link_reviews");
            e.HasOne<SourceRecord>().WithMany().HasForeignKey(r => r.LeftSourceRecordId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<SourceRecord>().WithMany().HasForeignKey(r => r.RightSourceRecordId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(r => new { r.LeftSourceRecordId, r.RightSourceRecordId }).IsUnique();
            e.HasIndex(r => r.Status);
            e.Property(r => r.Status).HasConversion<string>().HasMaxLength(20);
            e.Property(r => r.DecidedBy).HasMaxLength(200);
            e.Property(r => r.Reason).HasMaxLength(2000);
        });

        modelBuilder.Entity<Household>(e =>
        {
            e.ToTable("households");
            e.Property(h => h.Reference).HasMaxLength(20);
            e.HasIndex(h => h.Reference).IsUnique();
            e.HasIndex(h => h.Uprn);
            e.Property(h => h.Uprn).HasMaxLength(12);
            e.Property(h => h.Postcode).HasMaxLength(8);
        });

        modelBuilder.Entity<HouseholdMember>(e =>
        {
            e.ToTable("household_members");
            e.HasOne<Household>().WithMany().HasForeignKey(m => m.HouseholdId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<Person>().WithMany().HasForeignKey(m => m.PersonId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(m => m.HouseholdId);
            e.HasIndex(m => m.PersonId);
            e.Property(m => m.Evidence).HasMaxLength(400);
        });

        modelBuilder.Entity<Family>(e =>
        {
            e.ToTable("families");
            e.Property(f => f.Reference).HasMaxLength(20);
            e.HasIndex(f => f.Reference).IsUnique();
            e.HasOne<Household>().WithMany().HasForeignKey(f => f.HouseholdId).OnDelete(DeleteBehavior.SetNull);
        });

        modelBuilder.Entity<AuditEntry>(e =>
        {
            e.ToTable("audit_entries");
            e.Property(a => a.ActorId).HasMaxLength(100);
            e.Property(a => a.ActorName).HasMaxLength(200);
            e.Property(a => a.ActorRoles).HasMaxLength(200);
            e.Property(a => a.Action).HasMaxLength(100);
            e.Property(a => a.SubjectType).HasMaxLength(50);
            e.Property(a => a.SubjectId).HasMaxLength(50);
            e.Property(a => a.Purpose).HasMaxLength(50);
            e.Property(a => a.Outcome).HasMaxLength(20);
            e.Property(a => a.Detail).HasMaxLength(400);
            e.Property(a => a.ClientAddress).HasMaxLength(64);
            e.Property(a => a.CorrelationId).HasMaxLength(64);
            e.HasIndex(a => new { a.SubjectType, a.SubjectId });
            e.HasIndex(a => a.ActorId);
            e.HasIndex(a => a.OccurredUtc);
        });

        modelBuilder.Entity<FamilyMember>(e =>
        {
            e.ToTable("family_members");
            e.HasOne<Family>().WithMany().HasForeignKey(m => m.FamilyId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<Person>().WithMany().HasForeignKey(m => m.PersonId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(m => m.FamilyId);
            e.HasIndex(m => m.PersonId);
            e.Property(m => m.Role).HasConversion<string>().HasMaxLength(20);
            e.Property(m => m.Relationship).HasMaxLength(50);
        });
    }

    /// <summary>"SessionsPossible" → "sessions_possible"; already snake_case names are unchanged.</summary>
    internal static string SnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsAsciiLetterUpper(c))
            {
                if (i > 0 && name[i - 1] != '_' && (char.IsAsciiLetterLower(name[i - 1]) || char.IsAsciiDigit(name[i - 1])
                    || (i + 1 < name.Length && char.IsAsciiLetterLower(name[i + 1]))))
                {
                    builder.Append('_');
                }

                builder.Append(char.ToLowerInvariant(c));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}

/// <summary>The database servers Hearth runs on.</summary>
public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}
