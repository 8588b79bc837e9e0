using Hearth.Core.CaseWork;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Core.Data;

public abstract partial class HearthDb
{
    public DbSet<FamilyCase> Cases => Set<FamilyCase>();

    public DbSet<MemberConsent> MemberConsents => Set<MemberConsent>();

    public DbSet<FamilyAssessment> Assessments => Set<FamilyAssessment>();

    public DbSet<FamilyPlan> Plans => Set<FamilyPlan>();

    public DbSet<PlanNeed> PlanNeeds => Set<PlanNeed>();

    public DbSet<PlanGoal> PlanGoals => Set<PlanGoal>();

    public DbSet<PlanAction> PlanActions => Set<PlanAction>();

    public DbSet<PlanReview> PlanReviews => Set<PlanReview>();

    public DbSet<TeamMember> TeamMembers => Set<TeamMember>();

    public DbSet<LeadProfessional> LeadProfessionals => Set<LeadProfessional>();

    public DbSet<CaseNote> CaseNotes => Set<CaseNote>();

    /// <summary>
    /// Case work tables. Plans, actions and cases carry a <c>version</c> column the application replaces on every
    /// change and checks on save (the same on SQLite and PostgreSQL), so a concurrent edit is refused, not lost.
    /// </summary>
    private static void ConfigureCaseWork(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<FamilyCase>(e =>
        {
            e.ToTable("cases");
            e.HasOne<Family>().WithMany().HasForeignKey(c => c.FamilyId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(c => c.FamilyId);
            e.HasIndex(c => new { c.TeamId, c.Status });
            e.HasIndex(c => c.KeyWorkerId);
            e.Property(c => c.Status).HasConversion<string>().HasMaxLength(20);
            e.Property(c => c.ClosureReason).HasConversion<string>().HasMaxLength(40);
            e.Property(c => c.TeamId).HasMaxLength(100);
            e.Property(c => c.KeyWorkerId).HasMaxLength(100);
            e.Property(c => c.ClosureNote).HasMaxLength(4000);
            e.Property(c => c.Version).IsConcurrencyToken();
        });

        modelBuilder.Entity<MemberConsent>(e =>
        {
            e.ToTable("member_consents");
            e.Ignore(k => k.AgencyList);
            e.HasOne<FamilyCase>().WithMany().HasForeignKey(k => k.CaseId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<Person>().WithMany().HasForeignKey(k => k.PersonId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Person>().WithMany().HasForeignKey(k => k.GivenByPersonId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(k => k.CaseId);
            e.Property(k => k.GivenBy).HasConversion<string>().HasMaxLength(20);
            e.Property(k => k.Agencies).HasMaxLength(1000);
            e.Property(k => k.RuleExplanation).HasMaxLength(400);
            e.Property(k => k.RecordedBy).HasMaxLength(100);
            e.Property(k => k.WithdrawnBy).HasMaxLength(100);
            e.Property(k => k.WithdrawalNote).HasMaxLength(4000);
        });

        modelBuilder.Entity<FamilyAssessment>(e =>
        {
            e.ToTable("assessments");
            e.HasOne<FamilyCase>().WithMany().HasForeignKey(a => a.CaseId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(a => a.CaseId);
            e.Property(a => a.Strengths).HasMaxLength(4000);
            e.Property(a => a.Concerns).HasMaxLength(4000);
            e.Property(a => a.FamilyView).HasMaxLength(4000);
            e.Property(a => a.Themes).HasMaxLength(400);
            e.Property(a => a.AssessedBy).HasMaxLength(100);
        });

        modelBuilder.Entity<FamilyPlan>(e =>
        {
            e.ToTable("plans");
            e.HasOne<FamilyCase>().WithMany().HasForeignKey(p => p.CaseId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(p => p.CaseId).IsUnique();
            e.Property(p => p.CreatedBy).HasMaxLength(100);
            e.Property(p => p.UpdatedBy).HasMaxLength(100);
            e.Property(p => p.Version).IsConcurrencyToken();
        });

        modelBuilder.Entity<PlanNeed>(e =>
        {
            e.ToTable("plan_needs");
            e.HasOne<FamilyPlan>().WithMany().HasForeignKey(n => n.PlanId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(n => n.PlanId);
            e.Property(n => n.Theme).HasMaxLength(40);
            e.Property(n => n.Description).HasMaxLength(4000);
        });

        modelBuilder.Entity<PlanGoal>(e =>
        {
            e.ToTable("plan_goals");
            e.HasOne<PlanNeed>().WithMany().HasForeignKey(g => g.NeedId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(g => g.NeedId);
            e.Property(g => g.Description).HasMaxLength(4000);
        });

        modelBuilder.Entity<PlanAction>(e =>
        {
            e.ToTable("plan_actions");
            e.HasOne<PlanGoal>().WithMany().HasForeignKey(a => a.GoalId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<FamilyPlan>().WithMany().HasForeignKey(a => a.PlanId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(a => a.PlanId);
            e.HasIndex(a => a.GoalId);
            e.HasIndex(a => a.OwnerUserId);
            e.Property(a => a.Description).HasMaxLength(4000);
            e.Property(a => a.OwnerUserId).HasMaxLength(100);
            e.Property(a => a.AgencyId).HasMaxLength(100);
            e.Property(a => a.Status).HasConversion<string>().HasMaxLength(20);
            e.Property(a => a.ProgressNote).HasMaxLength(4000);
            e.Property(a => a.UpdatedBy).HasMaxLength(100);
            e.Property(a => a.Version).IsConcurrencyToken();
        });

        modelBuilder.Entity<PlanReview>(e =>
        {
            e.ToTable("plan_reviews");
            e.HasOne<FamilyPlan>().WithMany().HasForeignKey(r => r.PlanId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(r => r.PlanId);
            e.Property(r => r.Summary).HasMaxLength(4000);
            e.Property(r => r.ReviewedBy).HasMaxLength(100);
        });

        modelBuilder.Entity<TeamMember>(e =>
        {
            e.ToTable("team_members");
            e.HasOne<FamilyCase>().WithMany().HasForeignKey(t => t.CaseId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(t => t.CaseId);
            e.HasIndex(t => t.UserId);
            e.Property(t => t.UserId).HasMaxLength(100);
            e.Property(t => t.AgencyId).HasMaxLength(100);
            e.Property(t => t.Role).HasMaxLength(200);
        });

        modelBuilder.Entity<LeadProfessional>(e =>
        {
            e.ToTable("lead_professionals");
            e.HasOne<FamilyCase>().WithMany().HasForeignKey(l => l.CaseId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<Person>().WithMany().HasForeignKey(l => l.PersonId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(l => new { l.CaseId, l.PersonId }).IsUnique();
            e.Property(l => l.UserId).HasMaxLength(100);
            e.Property(l => l.AgencyId).HasMaxLength(100);
        });

        modelBuilder.Entity<CaseNote>(e =>
        {
            e.ToTable("case_notes");
            e.HasOne<FamilyCase>().WithMany().HasForeignKey(n => n.CaseId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<Person>().WithMany().HasForeignKey(n => n.PersonId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(n => n.CaseId);
            e.Property(n => n.Text).HasMaxLength(4000);
            e.Property(n => n.WrittenBy).HasMaxLength(100);
            e.Property(n => n.AuthorAgencyId).HasMaxLength(100);
        });
    }
}
