using System.Security.Cryptography;
using System.Text;
using Hearth.Core.Data;

namespace Hearth.IntegrationTests.Finance;

/// <summary>
/// A small store with two families, written straight into the tables (as linkage would leave them):
/// F0000001: an adult with a police offence on 1 Jul 2023 and a child (in the family from 1 Jun 2023) looked
/// after 1 Jan–30 Jun 2023 and with a youth justice disposal on 1 Aug 2023; F0000002: an adult with an offence on
/// 1 May 2022. A fourth person, in no family, has an offence that must not be counted.
/// </summary>
public static class MoneyStoreSeed
{
    public static async Task SeedAsync(HearthDb db, CancellationToken cancellationToken)
    {
        var now = new DateTime(2024, 4, 1, 0, 0, 0, DateTimeKind.Utc);
        foreach (var agency in new[] { "police", "social_care", "youth_justice" })
        {
            db.Agencies.Add(new Agency { Id = agency, Name = agency, CreatedUtc = now });
        }

        await db.SaveChangesAsync(cancellationToken);
        var datasets = new Dictionary<string, Dataset>();
        foreach (var (agency, type) in new[] { ("police", EventTypes.Offence), ("social_care", EventTypes.SocialCare), ("youth_justice", EventTypes.YouthJustice) })
        {
            var d = new Dataset { AgencyId = agency, Kind = type, EventType = type, FileName = type + ".csv", Sha256 = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(agency))), ImportedBy = "test", StartedUtc = now };
            db.Datasets.Add(d);
            datasets[agency] = d;
        }

        await db.SaveChangesAsync(cancellationToken);
        var run = new LinkageRun { StartedUtc = now, StartedBy = "test", SettingsYaml = "{}" };
        db.LinkageRuns.Add(run);
        await db.SaveChangesAsync(cancellationToken);

        var persons = new List<Person>();
        for (var i = 1; i <= 4; i++)
        {
            var p = new Person { Reference = $"P{i:D7}", CreatedUtc = now, CreatedByRunId = run.Id };
            db.Persons.Add(p);
            persons.Add(p);
        }

        await db.SaveChangesAsync(cancellationToken);

        async Task<SourceRecord> Record(string agency, int person, string recordId)
        {
            var r = new SourceRecord { AgencyId = agency, DatasetId = datasets[agency].Id, RowNumber = 2, AgencyRecordId = recordId, DetailsHash = Hash(agency + recordId) };
            db.SourceRecords.Add(r);
            await db.SaveChangesAsync(cancellationToken);
            db.PersonRecords.Add(new PersonRecord { SourceRecordId = r.Id, PersonId = persons[person - 1].Id, Method = LinkMethod.Founding, LinkageRunId = run.Id, LinkedUtc = now });
            return r;
        }

        var adultPolice = await Record("police", 1, "A1");
        var childCare = await Record("social_care", 2, "C1");
        var childYouth = await Record("youth_justice", 2, "Y1");
        var otherPolice = await Record("police", 3, "A3");
        var loner = await Record("police", 4, "A4");

        var row = 2;
        T Ev<T>(T e)
            where T : AgencyEvent
        {
            e.DatasetId = datasets[e.AgencyId].Id;
            e.RowNumber = row++;
            db.Events.Add(e);
            return e;
        }

        Ev(new Offence { AgencyId = "police", SourceRecordId = adultPolice.Id, StartDate = new(2023, 7, 1), OffenceCategory = "theft", Fingerprint = Hash("o1") });
        Ev(new SocialCareEpisode { AgencyId = "social_care", SourceRecordId = childCare.Id, StartDate = new(2023, 1, 1), EndDate = new(2023, 6, 30), EpisodeType = "looked_after", Fingerprint = Hash("s1") });
        Ev(new YouthJusticeEvent { AgencyId = "youth_justice", SourceRecordId = childYouth.Id, StartDate = new(2023, 8, 1), Disposal = "referral_order", Fingerprint = Hash("y1") });
        Ev(new Offence { AgencyId = "police", SourceRecordId = otherPolice.Id, StartDate = new(2022, 5, 1), Fingerprint = Hash("o2") });
        Ev(new Offence { AgencyId = "police", SourceRecordId = loner.Id, StartDate = new(2023, 5, 1), Fingerprint = Hash("o3") });
        await db.SaveChangesAsync(cancellationToken);

        var f1 = new Family { Reference = "F0000001", CreatedUtc = now };
        var f2 = new Family { Reference = "F0000002", CreatedUtc = now };
        db.Families.AddRange(f1, f2);
        await db.SaveChangesAsync(cancellationToken);
        db.FamilyMembers.Add(new FamilyMember { FamilyId = f1.Id, PersonId = persons[0].Id, Role = FamilyRole.Adult, Relationship = "parent" });
        db.FamilyMembers.Add(new FamilyMember { FamilyId = f1.Id, PersonId = persons[1].Id, Role = FamilyRole.Child, Relationship = "child", From = new DateOnly(2023, 6, 1) });
        db.FamilyMembers.Add(new FamilyMember { FamilyId = f2.Id, PersonId = persons[2].Id, Role = FamilyRole.Adult, Relationship = "parent" });
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
    }

    private static byte[] Hash(string text) => SHA256.HashData(Encoding.UTF8.GetBytes(text))[..16];
}
