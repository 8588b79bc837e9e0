using Hearth.Core.Access;
using Hearth.Core.Audit;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Core.Data;

/// <summary>Accounts, sessions and the audit chain: the tables behind sign-in and the tamper-evident audit log.</summary>
public abstract partial class HearthDb
{
    private List<AuditEntry>? _pendingAudit;
    private long _provisionalAuditId;

    public DbSet<HearthUser> Users => Set<HearthUser>();

    public DbSet<UserSession> UserSessions => Set<UserSession>();

    public DbSet<AuditCheckpoint> AuditCheckpoints => Set<AuditCheckpoint>();

    /// <summary>Adds an audit entry; its sequence number and hashes are assigned when the context saves.</summary>
    internal void AppendAudit(AuditEntry entry)
    {
        // A provisional negative key until the chain assigns the real sequence number under its lock.
        entry.Id = --_provisionalAuditId;
        AuditEntries.Add(entry);
        (_pendingAudit ??= []).Add(entry);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        var pending = TakePendingAudit();
        if (pending.Count == 0)
        {
            return base.SaveChanges(acceptAllChangesOnSuccess);
        }

        if (Database.CurrentTransaction is not null)
        {
            AuditChain.Seal(this, pending);
            return base.SaveChanges(acceptAllChangesOnSuccess);
        }

        using var transaction = Database.BeginTransaction();
        AuditChain.Seal(this, pending);
        var saved = base.SaveChanges(acceptAllChangesOnSuccess);
        transaction.Commit();
        return saved;
    }

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        var pending = TakePendingAudit();
        if (pending.Count == 0)
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }

        if (Database.CurrentTransaction is not null)
        {
            await AuditChain.SealAsync(this, pending, cancellationToken);
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }

        await using var transaction = await Database.BeginTransactionAsync(cancellationToken);
        await AuditChain.SealAsync(this, pending, cancellationToken);
        var saved = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return saved;
    }

    /// <summary>The audit entries added since the last save that are still to be inserted.</summary>
    private List<AuditEntry> TakePendingAudit()
    {
        if (_pendingAudit is not { Count: > 0 })
        {
            return [];
        }

        var pending = _pendingAudit.Where(e => Entry(e).State == EntityState.Added).ToList();
        _pendingAudit.RemoveAll(e => Entry(e).State != EntityState.Added);
        return pending;
    }

    private static void ConfigureSecurity(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<HearthUser>(e =>
        {
            e.ToTable("users");
            e.HasKey(u => u.Id);
            e.Property(u => u.Id).HasMaxLength(64);
            e.HasIndex(u => u.NormalizedUserName).HasDatabaseName("UserNameIndex").IsUnique();
            e.HasIndex(u => u.NormalizedEmail).HasDatabaseName("EmailIndex");
            e.Property(u => u.ConcurrencyStamp).IsConcurrencyToken().HasMaxLength(64);
            e.Property(u => u.SecurityStamp).HasMaxLength(64);
            e.Property(u => u.UserName).HasMaxLength(256);
            e.Property(u => u.NormalizedUserName).HasMaxLength(256);
            e.Property(u => u.Email).HasMaxLength(256);
            e.Property(u => u.NormalizedEmail).HasMaxLength(256);
            e.Property(u => u.PhoneNumber).HasMaxLength(50);
            e.Property(u => u.PasswordHash).HasMaxLength(400);
            e.Property(u => u.DisplayName).HasMaxLength(200);
            e.Property(u => u.Roles).HasMaxLength(200);
            e.Property(u => u.TeamId).HasMaxLength(64);
            e.Property(u => u.AgencyId).HasMaxLength(64);
            e.Property(u => u.SetupSecretHash).HasMaxLength(64);
            e.HasMany<IdentityUserClaim<string>>().WithOne().HasForeignKey(c => c.UserId).IsRequired();
            e.HasMany<IdentityUserLogin<string>>().WithOne().HasForeignKey(l => l.UserId).IsRequired();
            e.HasMany<IdentityUserToken<string>>().WithOne().HasForeignKey(t => t.UserId).IsRequired();
        });

        modelBuilder.Entity<IdentityUserClaim<string>>(e =>
        {
            e.ToTable("user_claims");
            e.HasKey(c => c.Id);
            e.Property(c => c.ClaimType).HasMaxLength(200);
            e.Property(c => c.ClaimValue).HasMaxLength(400);
        });

        modelBuilder.Entity<IdentityUserLogin<string>>(e =>
        {
            e.ToTable("user_logins");
            e.HasKey(l => new { l.LoginProvider, l.ProviderKey });
            e.Property(l => l.LoginProvider).HasMaxLength(128);
            e.Property(l => l.ProviderKey).HasMaxLength(128);
            e.Property(l => l.ProviderDisplayName).HasMaxLength(200);
        });

        modelBuilder.Entity<IdentityUserToken<string>>(e =>
        {
            e.ToTable("user_tokens");
            e.HasKey(t => new { t.UserId, t.LoginProvider, t.Name });
            e.Property(t => t.LoginProvider).HasMaxLength(128);
            e.Property(t => t.Name).HasMaxLength(128);
            e.Property(t => t.Value).HasMaxLength(400);
        });

        modelBuilder.Entity<UserSession>(e =>
        {
            e.ToTable("user_sessions");
            e.HasKey(s => s.Id);
            e.Property(s => s.Id).HasMaxLength(64);
            e.Property(s => s.UserId).HasMaxLength(64);
            e.Property(s => s.EndReason).HasMaxLength(50);
            e.Property(s => s.ClientAddress).HasMaxLength(64);
            e.HasOne<HearthUser>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(s => new { s.UserId, s.EndedUtc });
        });

        modelBuilder.Entity<AuditEntry>(e =>
        {
            // The sequence number is assigned by the chain under a lock, not by the database.
            e.Property(a => a.Id).ValueGeneratedNever();
            e.Property(a => a.PrevHash).HasMaxLength(64);
            e.Property(a => a.RowHash).HasMaxLength(64);
            e.HasIndex(a => a.Action);
        });

        modelBuilder.Entity<AuditCheckpoint>(e =>
        {
            e.ToTable("audit_checkpoints");
            e.Property(c => c.HeadHash).HasMaxLength(64);
            e.Property(c => c.KeyId).HasMaxLength(16);
            e.Property(c => c.Signature).HasMaxLength(64);
            e.HasIndex(c => c.Sequence);
        });
    }
}
