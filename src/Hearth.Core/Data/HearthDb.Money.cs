using Hearth.Core.Finance.Store;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Core.Data;

/// <summary>The money tables: local unit costs and the pooled budget ledger.</summary>
public abstract partial class HearthDb
{
    public DbSet<LocalUnitCost> LocalUnitCosts => Set<LocalUnitCost>();

    public DbSet<LedgerPot> LedgerPots => Set<LedgerPot>();

    public DbSet<LedgerPostingRow> LedgerPostings => Set<LedgerPostingRow>();

    public DbSet<LedgerLineRow> LedgerLines => Set<LedgerLineRow>();

    private static void ConfigureMoney(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<LocalUnitCost>(e =>
        {
            e.ToTable("local_unit_costs");
            e.HasIndex(c => c.Code).IsUnique();
            e.Property(c => c.Code).HasMaxLength(50);
            e.Property(c => c.Description).HasMaxLength(400);
            e.Property(c => c.Unit).HasMaxLength(100);
            e.Property(c => c.AgencyL1).HasMaxLength(100);
            e.Property(c => c.AgencyL2).HasMaxLength(100);
            e.Property(c => c.Category).HasMaxLength(100);
            e.Property(c => c.Rag).HasMaxLength(5);
            e.Property(c => c.Source).HasMaxLength(400);
            e.Property(c => c.CreatedBy).HasMaxLength(200);
            e.Property(c => c.UpdatedBy).HasMaxLength(200);
        });

        modelBuilder.Entity<LedgerPot>(e =>
        {
            e.ToTable("ledger_pots");
            e.HasKey(p => p.Name);
            e.Property(p => p.Name).HasMaxLength(100);
            e.Property(p => p.Description).HasMaxLength(400);
            e.Property(p => p.CreatedBy).HasMaxLength(200);
        });

        modelBuilder.Entity<LedgerPostingRow>(e =>
        {
            e.ToTable("ledger_postings");
            e.HasIndex(p => p.Number).IsUnique();
            e.HasIndex(p => p.Pot);
            e.HasOne<LedgerPot>().WithMany().HasForeignKey(p => p.Pot).OnDelete(DeleteBehavior.Restrict);
            e.Property(p => p.Description).HasMaxLength(400);
            e.Property(p => p.Pot).HasMaxLength(100);
            e.Property(p => p.Operation).HasMaxLength(20);
            e.Property(p => p.PostedBy).HasMaxLength(200);
        });

        modelBuilder.Entity<LedgerLineRow>(e =>
        {
            e.ToTable("ledger_lines");
            e.HasOne<LedgerPostingRow>().WithMany().HasForeignKey(l => l.PostingId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(l => new { l.PostingId, l.LineNumber }).IsUnique();
            e.HasIndex(l => new { l.AccountKind, l.AccountKey });
            e.HasIndex(l => l.FamilyRef);
            e.Property(l => l.AccountKind).HasMaxLength(20);
            e.Property(l => l.AccountKey).HasMaxLength(250);
            e.Property(l => l.Agency).HasMaxLength(100);
            e.Property(l => l.Service).HasMaxLength(100);
            e.Property(l => l.FamilyRef).HasMaxLength(20);
        });
    }
}
