using Hearth.Core.Finance.Store;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Core.Data;

/// <summary>The money tables: local unit costs, the pooled budget ledger and outcome contracts.</summary>
public abstract partial class HearthDb
{
    public DbSet<LocalUnitCost> LocalUnitCosts => Set<LocalUnitCost>();

    public DbSet<LedgerPot> LedgerPots => Set<LedgerPot>();

    public DbSet<LedgerPostingRow> LedgerPostings => Set<LedgerPostingRow>();

    public DbSet<LedgerLineRow> LedgerLines => Set<LedgerLineRow>();

    public DbSet<OutcomeContractRow> OutcomeContracts => Set<OutcomeContractRow>();

    public DbSet<ContractRateCardRow> ContractRateCards => Set<ContractRateCardRow>();

    public DbSet<ContractDrawdownRow> ContractDrawdowns => Set<ContractDrawdownRow>();

    public DbSet<ContractOutcomeRow> ContractOutcomes => Set<ContractOutcomeRow>();

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

        modelBuilder.Entity<OutcomeContractRow>(e =>
        {
            e.ToTable("outcome_contracts");
            e.HasIndex(c => c.Name).IsUnique();
            e.Property(c => c.Name).HasMaxLength(200);
            e.Property(c => c.Kind).HasMaxLength(10);
            e.Property(c => c.OutcomePayer).HasMaxLength(200);
            e.Property(c => c.Provider).HasMaxLength(200);
            e.Property(c => c.Investor).HasMaxLength(200);
            e.Property(c => c.InvestorReturnCap).HasPrecision(12, 6);
            e.Property(c => c.InvestorShare).HasPrecision(12, 6);
            e.Property(c => c.PassThroughProvider).HasMaxLength(200);
            e.Property(c => c.PassThroughShare).HasPrecision(12, 6);
            e.Property(c => c.PassThroughRounding).HasMaxLength(10);
            e.Property(c => c.SourceFile).HasMaxLength(260);
            e.Property(c => c.SourceSha256).HasMaxLength(64);
            e.Property(c => c.CreatedBy).HasMaxLength(200);
        });

        modelBuilder.Entity<ContractRateCardRow>(e =>
        {
            e.ToTable("contract_rate_cards");
            e.HasOne<OutcomeContractRow>().WithMany().HasForeignKey(r => r.ContractId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(r => new { r.ContractId, r.MetricId }).IsUnique();
            e.Property(r => r.MetricId).HasMaxLength(100);
            e.Property(r => r.Definition).HasMaxLength(1000);
            e.Property(r => r.ValidationMethod).HasMaxLength(400);
            e.Property(r => r.DataSource).HasMaxLength(400);
            e.Property(r => r.PriceDescription).HasMaxLength(400);
        });

        modelBuilder.Entity<ContractDrawdownRow>(e =>
        {
            e.ToTable("contract_drawdowns");
            e.HasOne<OutcomeContractRow>().WithMany().HasForeignKey(d => d.ContractId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(d => d.ContractId);
        });

        modelBuilder.Entity<ContractOutcomeRow>(e =>
        {
            e.ToTable("contract_outcomes");
            e.HasOne<OutcomeContractRow>().WithMany().HasForeignKey(o => o.ContractId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(o => new { o.ContractId, o.Date });
            e.Property(o => o.MetricId).HasMaxLength(100);
            e.Property(o => o.Count).HasPrecision(18, 4);
            e.Property(o => o.Period).HasMaxLength(100);
            e.Property(o => o.Evidence).HasMaxLength(400);
            e.Property(o => o.RecordedBy).HasMaxLength(200);
        });
    }
}
