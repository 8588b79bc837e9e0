using Hearth.Core.Data;
using Hearth.Core.Programmes;

namespace Hearth.IntegrationTests.Programmes;

/// <summary>
/// What identification needs on top of the case work test families: a completed dataset of every event type the
/// rules read, covering September 2019 to August 2025, so a missing event means "none" rather than "no data".
/// With it, on 1 May 2024 the case work family F9000001 (two children missing 20% of sessions in spring 2024, an
/// offence by the mother and by the older child in February 2024, the mother on universal credit) is eligible for
/// Supporting Families, and F9000002 (one adult, no events) is not: it has no child.
/// </summary>
public static class IdentificationTestData
{
    public const string EligibleFamily = "F9000001";

    public const string NotEligibleFamily = "F9000002";

    public static async Task AddCoverageAsync(HearthDb db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        db.Agencies.Add(new Agency { Id = "coverage", Name = "Extract periods" });
        foreach (var type in StoreEventMapping.RulesTypeOf.Keys)
        {
            db.Datasets.Add(new Dataset
            {
                AgencyId = "coverage", Kind = type, EventType = type, FileName = type + ".csv", Sha256 = new string('c', 64), ImportedBy = "test",
                Status = DatasetStatus.Completed, PeriodStart = new DateOnly(2019, 9, 1), PeriodEnd = new DateOnly(2025, 8, 31),
            });
        }

        await db.SaveChangesAsync(ct);

        // Sam's two earlier attendance returns, so the last three terms are all there: 24 of 120 sessions missed each term (20%).
        var sam = db.SourceRecords.Single(r => r.AgencyRecordId == "school-P9000002");
        foreach (var (term, start, end) in new[] { ("summer", new DateOnly(2023, 4, 17), new DateOnly(2023, 7, 21)), ("autumn", new DateOnly(2023, 9, 4), new DateOnly(2023, 12, 20)) })
        {
            db.Events.Add(new SchoolAttendance
            {
                AgencyId = "school", SourceRecordId = sam.Id, DatasetId = sam.DatasetId, RowNumber = 100 + start.Month, StartDate = start, EndDate = end, Term = term,
                SessionsPossible = 120, SessionsAuthorisedAbsence = 6, SessionsUnauthorisedAbsence = 18, Fingerprint = Guid.NewGuid().ToByteArray(),
            });
        }

        await db.SaveChangesAsync(ct);
    }
}
