using Hearth.Core.Programmes;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Core.Data;

/// <summary>The programme side of the store: attachments with frozen baselines, need measurements, claims.</summary>
public abstract partial class HearthDb
{
    /// <summary>The SQL filter of the no-double-claim index: a rejected claim no longer blocks a new one.</summary>
    public const string LiveClaimFilter = "status <> 'Rejected'";

    /// <summary>The name of the unique index that refuses a second live claim for the same scheme, family and result.</summary>
    public const string NoDoubleClaimIndex = "ux_programme_claims_no_double_claim";

    public DbSet<ProgrammeAttachment> ProgrammeAttachments => Set<ProgrammeAttachment>();

    public DbSet<ProgrammeNeedMeasurement> ProgrammeNeedMeasurements => Set<ProgrammeNeedMeasurement>();

    public DbSet<ProgrammeClaimBatch> ProgrammeClaimBatches => Set<ProgrammeClaimBatch>();

    public DbSet<ProgrammeClaim> ProgrammeClaims => Set<ProgrammeClaim>();

    public DbSet<ProgrammeClaimTransition> ProgrammeClaimTransitions => Set<ProgrammeClaimTransition>();

    /// <summary>"NotStarted" → "not_started".</summary>
    public static string SnakeCaseName(string name) => SnakeCase(name);

    private static void ConfigureProgrammes(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<ProgrammeAttachment>(e =>
        {
            e.ToTable("programme_attachments");
            e.HasOne<Family>().WithMany().HasForeignKey(a => a.FamilyId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(a => new { a.FamilyId, a.Scheme }).IsUnique();
            e.HasIndex(a => new { a.FrameworkId, a.Cohort });
            e.Property(a => a.Scheme).HasMaxLength(100);
            e.Property(a => a.FrameworkId).HasMaxLength(100);
            e.Property(a => a.FrameworkVersion).HasMaxLength(50);
            e.Property(a => a.FrameworkHash).HasMaxLength(64);
            e.Property(a => a.Cohort).HasMaxLength(100);
            e.Property(a => a.ClosureReason).HasMaxLength(400);
            e.Property(a => a.BaselineSha256).HasMaxLength(64);
            e.Property(a => a.CreatedBy).HasMaxLength(200);
        });

        modelBuilder.Entity<ProgrammeNeedMeasurement>(e =>
        {
            e.ToTable("programme_need_measurements");
            e.HasOne<ProgrammeAttachment>().WithMany().HasForeignKey(m => m.AttachmentId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(m => m.AttachmentId);
            e.Property(m => m.NeedId).HasMaxLength(100);
            e.Property(m => m.PersonReference).HasMaxLength(20);
            e.Property(m => m.Status).HasMaxLength(20);
            e.Property(m => m.Why).HasMaxLength(1000);
        });

        modelBuilder.Entity<ProgrammeClaimBatch>(e =>
        {
            e.ToTable("programme_claim_batches");
            e.HasIndex(b => b.Reference).IsUnique();
            e.Property(b => b.Reference).HasMaxLength(200);
            e.Property(b => b.FrameworkId).HasMaxLength(100);
            e.Property(b => b.WindowId).HasMaxLength(100);
            e.Property(b => b.SampleRate).HasPrecision(9, 6);
            e.Property(b => b.CreatedBy).HasMaxLength(200);
        });

        modelBuilder.Entity<ProgrammeClaim>(e =>
        {
            e.ToTable("programme_claims");
            e.HasOne<Family>().WithMany().HasForeignKey(c => c.FamilyId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<ProgrammeAttachment>().WithMany().HasForeignKey(c => c.AttachmentId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<ProgrammeClaimBatch>().WithMany().HasForeignKey(c => c.BatchId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(c => new { c.Scheme, c.FamilyId, c.ResultId }).IsUnique().HasFilter(LiveClaimFilter).HasDatabaseName(NoDoubleClaimIndex);
            e.HasIndex(c => c.Reference).IsUnique();
            e.HasIndex(c => new { c.WindowId, c.Status });
            e.Property(c => c.Reference).HasMaxLength(200);
            e.Property(c => c.Scheme).HasMaxLength(100);
            e.Property(c => c.FrameworkId).HasMaxLength(100);
            e.Property(c => c.FrameworkVersion).HasMaxLength(50);
            e.Property(c => c.ResultId).HasMaxLength(100);
            e.Property(c => c.WindowId).HasMaxLength(100);
            e.Property(c => c.Status).HasConversion<string>().HasMaxLength(20);
            e.Property(c => c.DiscretionaryRationale).HasMaxLength(2000);
            e.Property(c => c.DiscretionaryApprovedBy).HasMaxLength(200);
            e.Property(c => c.RiskFlags).HasMaxLength(200);
            e.Property(c => c.SampledBecause).HasMaxLength(100);
            e.Property(c => c.EvidenceSha256).HasMaxLength(64);
            e.Property(c => c.CreatedBy).HasMaxLength(200);
        });

        modelBuilder.Entity<ProgrammeClaimTransition>(e =>
        {
            e.ToTable("programme_claim_transitions");
            e.HasOne<ProgrammeClaim>().WithMany().HasForeignKey(t => t.ClaimId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(t => t.ClaimId);
            e.Property(t => t.FromStatus).HasConversion<string>().HasMaxLength(20);
            e.Property(t => t.ToStatus).HasConversion<string>().HasMaxLength(20);
            e.Property(t => t.ActorId).HasMaxLength(100);
            e.Property(t => t.ActorName).HasMaxLength(200);
            e.Property(t => t.Reason).HasMaxLength(1000);
        });
    }
}
