using Hearth.Core.Programmes;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Core.Data;

/// <summary>Stored identification runs and their per-family results.</summary>
public abstract partial class HearthDb
{
    public DbSet<IdentificationRun> IdentificationRuns => Set<IdentificationRun>();

    public DbSet<IdentificationRunFamily> IdentificationRunFamilies => Set<IdentificationRunFamily>();

    private static void ConfigureIdentification(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<IdentificationRun>(e =>
        {
            e.ToTable("identification_runs");
            e.HasIndex(r => new { r.FrameworkId, r.CompletedUtc });
            e.Property(r => r.FrameworkId).HasMaxLength(100);
            e.Property(r => r.FrameworkVersion).HasMaxLength(50);
            e.Property(r => r.FrameworkHash).HasMaxLength(64);
            e.Property(r => r.RunBy).HasMaxLength(200);
        });

        modelBuilder.Entity<IdentificationRunFamily>(e =>
        {
            e.ToTable("identification_run_families");
            e.HasOne<IdentificationRun>().WithMany().HasForeignKey(r => r.RunId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<Family>().WithMany().HasForeignKey(r => r.FamilyId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(r => new { r.RunId, r.Eligible, r.FamilyId });
            e.HasIndex(r => r.FamilyId);
            e.Property(r => r.Eligible).HasMaxLength(10);
            e.Property(r => r.Headlines).HasMaxLength(400);
            e.Property(r => r.Reason).HasMaxLength(400);
        });
    }
}
