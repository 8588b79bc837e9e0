using System.Security.Cryptography;
using System.Text;
using Hearth.Core.Access;
using Hearth.Core.Data;

namespace Hearth.IntegrationTests.CaseWork;

/// <summary>
/// Families put into a store directly (as linkage would): F9000001 with a mother, a child of 11 and a teenager
/// of 14 on 1 May 2024, agency records from the council, the school and the police, and events from each;
/// F9000002, a second family nobody holds yet.
/// </summary>
public static class CaseWorkTestData
{
    public const string FamilyRef = "F9000001";
    public const string OtherFamilyRef = "F9000002";
    public const string Mother = "P9000001";
    public const string Child = "P9000002";
    public const string Teen = "P9000003";
    public const string MotherName = "Alice Testmother";
    public const string TeenName = "Robin Testmother";

    public static readonly DateTimeOffset Now = new(2024, 5, 1, 9, 0, 0, TimeSpan.Zero);

    /// <summary>The case work test users: two teams, their managers and key workers, partner practitioners and other roles.</summary>
    public static IReadOnlyList<(string Key, string DisplayName, HearthRole[] Roles, string? Team, string? Agency)> Users { get; } =
    [
        ("kw1", "Kim Walker", [HearthRole.KeyWorker], "north", null),
        ("kw2", "Kai Webb", [HearthRole.KeyWorker], "north", null),
        ("kw3", "Kit Wren", [HearthRole.KeyWorker], "south", null),
        ("tm1", "Toni Marsh", [HearthRole.TeamManager], "north", null),
        ("tm2", "Tal Moss", [HearthRole.TeamManager], "south", null),
        ("pp1", "Pat Price", [HearthRole.PartnerPractitioner], null, "school"),
        ("pp2", "Pip Pryce", [HearthRole.PartnerPractitioner], null, "police"),
        ("ad1", "Ash Dean", [HearthRole.Administrator], null, null),
        ("dl1", "Dee Lowe", [HearthRole.DataLead], null, null),
        ("au1", "Avi Usher", [HearthRole.Auditor], null, null),
        ("an1", "Ana Nash", [HearthRole.Analyst], null, null),
    ];

    /// <summary>
    /// Puts <see cref="Users"/> into the store's user table with their key as id (accounts as administration
    /// creates them, without credentials), for tests that call the service directly over <see cref="StoreUserDirectory"/>.
    /// </summary>
    public static async Task SeedUsersAsync(HearthDb db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        foreach (var u in Users)
        {
            var user = new HearthUser
            {
                Id = u.Key, UserName = u.Key, NormalizedUserName = u.Key.ToUpperInvariant(), DisplayName = u.DisplayName,
                TeamId = u.Team, AgencyId = u.Agency, CreatedUtc = Now.UtcDateTime, SecurityStamp = Guid.NewGuid().ToString("N"),
            };
            user.SetRoles(u.Roles);
            db.Users.Add(user);
        }

        await db.SaveChangesAsync(ct);
    }

    /// <summary>The actor for a user put in by <see cref="SeedUsersAsync"/>.</summary>
    public static Actor ActorFor(string key)
    {
        var u = Users.Single(x => x.Key == key);
        return new Actor(u.Key, u.Key, u.Roles.ToHashSet(), u.Team, u.Agency);
    }

    public static async Task SeedAsync(HearthDb db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var created = Now.UtcDateTime.AddDays(-3);
        foreach (var (id, name) in new[] { ("council", "Northbridge Council"), ("school", "Northbridge Academy Trust"), ("police", "Northbridge Police") })
        {
            db.Agencies.Add(new Agency { Id = id, Name = name, CreatedUtc = created });
        }

        await db.SaveChangesAsync(ct);
        var datasets = new Dictionary<string, Dataset>(StringComparer.Ordinal);
        foreach (var agency in new[] { "council", "school", "police" })
        {
            var d = new Dataset
            {
                AgencyId = agency, Kind = agency + "-extract", EventType = "mixed", FileName = agency + ".csv", Sha256 = Hash(agency).PadRight(64, '0')[..64],
                Status = DatasetStatus.Completed, ImportedBy = "test", StartedUtc = created, CompletedUtc = created,
            };
            datasets[agency] = d;
            db.Datasets.Add(d);
        }

        var run = new LinkageRun { StartedUtc = created, CompletedUtc = created, StartedBy = "test", SettingsYaml = "test: true" };
        db.LinkageRuns.Add(run);
        await db.SaveChangesAsync(ct);

        var household = new Household { Reference = "H9000001", Uprn = "100000000001", Postcode = "NB1 2AB", Address = "1 Test Street, Northbridge", CreatedUtc = created };
        var oldHome = new Household { Reference = "H9000002", Uprn = "100000000002", Postcode = "NB3 4CD", Address = "9 Old Road, Northbridge", CreatedUtc = created };
        db.Households.AddRange(household, oldHome);
        var family = new Family { Reference = FamilyRef, CreatedUtc = created };
        var other = new Family { Reference = OtherFamilyRef, CreatedUtc = created };
        db.Families.AddRange(family, other);
        await db.SaveChangesAsync(ct);
        family.HouseholdId = household.Id;

        var people = new (string Ref, string Given, DateOnly Dob, FamilyRole Role, string Rel, string[] Agencies)[]
        {
            (Mother, "Alice", new DateOnly(1985, 4, 2), FamilyRole.Adult, "parent", ["council", "police"]),
            (Child, "Sam", new DateOnly(2012, 6, 10), FamilyRole.Child, "child", ["council", "school"]),
            (Teen, "Robin", new DateOnly(2010, 1, 20), FamilyRole.Child, "child", ["school", "police"]),
        };
        var row = 2;
        foreach (var p in people)
        {
            var person = new Person { Reference = p.Ref, CreatedUtc = created, CreatedByRunId = run.Id };
            db.Persons.Add(person);
            await db.SaveChangesAsync(ct);
            db.FamilyMembers.Add(new FamilyMember { FamilyId = family.Id, PersonId = person.Id, Role = p.Role, Relationship = p.Rel, From = new DateOnly(2020, 1, 1) });
            db.HouseholdMembers.Add(new HouseholdMember { HouseholdId = household.Id, PersonId = person.Id, From = new DateOnly(2021, 9, 1), Evidence = "UPRN on 2 records" });
            db.HouseholdMembers.Add(new HouseholdMember { HouseholdId = oldHome.Id, PersonId = person.Id, From = new DateOnly(2018, 1, 1), To = new DateOnly(2021, 8, 31), Evidence = "UPRN on 1 record" });
            foreach (var agency in p.Agencies)
            {
                var source = new SourceRecord
                {
                    AgencyId = agency, DatasetId = datasets[agency].Id, RowNumber = row++, AgencyRecordId = agency + "-" + p.Ref,
                    GivenName = p.Given, FamilyName = "Testmother", DateOfBirth = p.Dob, Postcode = "NB1 2AB", DetailsHash = HashBytes(agency + p.Ref),
                };
                db.SourceRecords.Add(source);
                await db.SaveChangesAsync(ct);
                db.PersonRecords.Add(new PersonRecord { SourceRecordId = source.Id, PersonId = person.Id, Method = LinkMethod.Founding, LinkageRunId = run.Id, LinkedUtc = created });
                db.Events.Add(EventFor(agency, source.Id, datasets[agency].Id, row));
            }
        }

        var stranger = new Person { Reference = "P9000009", CreatedUtc = created, CreatedByRunId = run.Id };
        db.Persons.Add(stranger);
        await db.SaveChangesAsync(ct);
        db.FamilyMembers.Add(new FamilyMember { FamilyId = other.Id, PersonId = stranger.Id, Role = FamilyRole.Adult, Relationship = "parent" });
        await db.SaveChangesAsync(ct);
    }

    private static AgencyEvent EventFor(string agency, long sourceId, long datasetId, int row) => agency switch
    {
        "school" => new SchoolAttendance
        {
            AgencyId = agency, SourceRecordId = sourceId, DatasetId = datasetId, RowNumber = row, StartDate = new DateOnly(2024, 1, 4), EndDate = new DateOnly(2024, 3, 28),
            Term = "spring", SessionsPossible = 120, SessionsAuthorisedAbsence = 6, SessionsUnauthorisedAbsence = 18, Fingerprint = HashBytes("e" + agency + sourceId),
        },
        "police" => new Offence
        {
            AgencyId = agency, SourceRecordId = sourceId, DatasetId = datasetId, RowNumber = row, StartDate = new DateOnly(2024, 2, 11),
            OffenceCategory = "criminal_damage", Outcome = "community_resolution", Fingerprint = HashBytes("e" + agency + sourceId),
        },
        _ => new BenefitSpell
        {
            AgencyId = agency, SourceRecordId = sourceId, DatasetId = datasetId, RowNumber = row, StartDate = new DateOnly(2023, 11, 1),
            BenefitType = "universal_credit", WeeklyAmountPence = 9_500, Fingerprint = HashBytes("e" + agency + sourceId),
        },
    };

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static byte[] HashBytes(string text) => SHA256.HashData(Encoding.UTF8.GetBytes(text))[..16];
}
