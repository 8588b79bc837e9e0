using Hearth.Core.Access;
using Hearth.Core.Data;
using Hearth.Core.Programmes;
using Hearth.IntegrationTests.Programmes;
using Microsoft.EntityFrameworkCore;

namespace Hearth.IntegrationTests.Web;

/// <summary>
/// A store for the claim pages: a local rules file with one need (antisocial behaviour in the last 12 months, met
/// when there is none in the last 3 months) paying £800, and one-adult families with incidents in early 2023,
/// attached on 1 June 2023 so that by 2024 every need is met and every family's result can be claimed.
/// </summary>
public static class ClaimsStoreSeed
{
    public static readonly string FrameworkYaml = AsbTestStore.FrameworkYaml(discretionaryClaims: true);

    public static readonly DateOnly AttachedOn = new(2023, 6, 1);

    /// <summary>The actor who attaches the families (not one of the signed-in test users).</summary>
    public static readonly Actor Attacher = new("seed-lead", "seed lead", new HashSet<HearthRole> { HearthRole.DataLead });

    /// <summary>Writes the rules file to <paramref name="folder"/> and returns its path (for <c>Hearth:Claims:Frameworks</c>).</summary>
    public static string WriteFramework(string folder)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "test-asb.yaml");
        File.WriteAllText(path, FrameworkYaml);
        return path;
    }

    public static Framework Framework() => FrameworkLoader.Load(FrameworkYaml, "test-asb.yaml");

    /// <summary>Adds one-adult families (references as given) with an ASB incident in February 2023, attached to the framework.</summary>
    public static async Task SeedAsync(HearthDbFactory factory, TimeProvider clock, IReadOnlyList<string> families, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(families);
        await using (var db = factory.Create())
        {
            var (dataset, run) = await AsbTestStore.EnsurePoliceAsbAsync(db, ct);
            var row = 2 + await db.SourceRecords.CountAsync(ct);
            foreach (var familyRef in families)
            {
                var personRef = "P" + familyRef[1..];
                var (record, _) = await AsbTestStore.AddOneAdultFamilyAsync(db, dataset, run, familyRef, personRef, row++, "R-" + personRef, new DateOnly(1985, 4, 1), ct);
                db.Events.Add(AsbTestStore.Incident(record, row++, new DateOnly(2023, 2, 1)));
                await db.SaveChangesAsync(ct);
            }
        }

        var service = new ProgrammeClaimsService(factory, new Hearth.Core.Audit.AuditTrail(clock), clock);
        await service.AttachAsync(Attacher, Framework(), families, AttachedOn, "test cohort", true, true, true, ct);
    }
}
