using Hearth.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Hearth.IntegrationTests.Programmes;

/// <summary>
/// The small programme store the programme and claims tests build on: a local rules file with one need
/// (antisocial behaviour in the last 12 months, met when there is none in the last 3 months) paying £800, and a
/// police dataset of ASB incidents covering 2020–2024 with one linkage run, to which the tests add their families.
/// </summary>
public static class AsbTestStore
{
    /// <summary>The rules file at <paramref name="version"/>, allowing discretionary claims when asked.</summary>
    public static string FrameworkYaml(string version = "1", bool discretionaryClaims = false) => $$"""
        id: test-asb
        scheme: test-scheme
        version: "{{version}}"
        title: Test ASB
        effective: { from: "2020-01-01", to: "2030-12-31" }
        parameters:
          pay: { value: "£800", confidence: H }
        headlines:
          - id: crime
            title: Crime
            needs:
              - id: asb
                title: ASB in the last 12 months
                applies_to: member
                eligibility: "any(asb) in last 12 months"
                success: "none(asb) in last 3 months"
        identification: "needs_raised >= 1"
        results:
          - id: asb_result
            title: ASB stopped
            rule: all_needs_met
            amount: $pay
        """ + (discretionaryClaims ? "\npayments:\n  discretionary_claims: true\n" : "");

    /// <summary>The police agency, its ASB dataset and a linkage run, added unless the store has them; returns the dataset and run.</summary>
    public static async Task<(Dataset Dataset, LinkageRun Run)> EnsurePoliceAsbAsync(HearthDb db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (!await db.Agencies.AnyAsync(a => a.Id == "police", ct))
        {
            db.Agencies.Add(new Agency { Id = "police", Name = "Police" });
            db.Datasets.Add(new Dataset
            {
                AgencyId = "police", Kind = "asb", EventType = EventTypes.AntisocialBehaviour, FileName = "asb.csv", Sha256 = new string('a', 64), ImportedBy = "test",
                Status = DatasetStatus.Completed, PeriodStart = new DateOnly(2020, 1, 1), PeriodEnd = new DateOnly(2024, 12, 31),
            });
            db.LinkageRuns.Add(new LinkageRun { StartedBy = "test", SettingsYaml = "#" });
            await db.SaveChangesAsync(ct);
        }

        return (await db.Datasets.FirstAsync(d => d.AgencyId == "police", ct), await db.LinkageRuns.OrderBy(r => r.Id).FirstAsync(ct));
    }

    /// <summary>
    /// Adds a source record in <paramref name="dataset"/>, its person (linked by <paramref name="run"/>) and a family
    /// with that person as its one adult; the record, person and family are saved, the link and membership are
    /// left for the caller's next save (with the family's events).
    /// </summary>
    public static async Task<(SourceRecord Record, Family Family)> AddOneAdultFamilyAsync(
        HearthDb db, Dataset dataset, LinkageRun run, string familyRef, string personRef, int rowNumber, string agencyRecordId, DateOnly dateOfBirth, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(run);
        var record = new SourceRecord { AgencyId = dataset.AgencyId, DatasetId = dataset.Id, RowNumber = rowNumber, AgencyRecordId = agencyRecordId, DateOfBirth = dateOfBirth, DetailsHash = Guid.NewGuid().ToByteArray() };
        var person = new Person { Reference = personRef, CreatedByRunId = run.Id };
        var family = new Family { Reference = familyRef };
        db.AddRange(record, person, family);
        await db.SaveChangesAsync(ct);
        db.PersonRecords.Add(new PersonRecord { SourceRecordId = record.Id, PersonId = person.Id, LinkageRunId = run.Id });
        db.FamilyMembers.Add(new FamilyMember { FamilyId = family.Id, PersonId = person.Id, Role = FamilyRole.Adult });
        return (record, family);
    }

    /// <summary>An incident of noise on <paramref name="startDate"/> with the record's person as perpetrator, at <paramref name="rowNumber"/> of the record's dataset.</summary>
    public static AntisocialBehaviourIncident Incident(SourceRecord record, int rowNumber, DateOnly startDate)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new AntisocialBehaviourIncident
        {
            AgencyId = record.AgencyId, SourceRecordId = record.Id, DatasetId = record.DatasetId, RowNumber = rowNumber, StartDate = startDate, Role = "perpetrator", IncidentType = "noise",
            Fingerprint = Guid.NewGuid().ToByteArray(),
        };
    }
}
