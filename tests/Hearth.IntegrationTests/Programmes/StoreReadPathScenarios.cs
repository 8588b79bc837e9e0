using Hearth.Core.Access;
using Hearth.Core.Audit;
using Hearth.Core.Data;
using Hearth.Core.Intake;
using Hearth.Core.Programmes;
using Hearth.Core.Synthetic;
using Hearth.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Hearth.IntegrationTests.Programmes;

/// <summary>
/// The programme store reader's two plans (one sequential pass over events, and index lookups per batch) against a
/// straightforward reference read, family by family and member by member through the entity model, on a small
/// generated borough with a retired family, a person in two families in different batches and a bounded stay.
/// </summary>
public abstract class StoreReadPathScenarios : StoreScenarios
{
    private static readonly DateOnly AsOf = new(2024, 6, 30);
    private static readonly Actor Lead = new("u-lead", "lead", new HashSet<HearthRole> { HearthRole.DataLead });

    private string? _dir;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _dir = Directory.CreateTempSubdirectory("hearth-readpath-").FullName;
        BoroughGenerator.Generate(new GeneratorSettings { Households = 90, Seed = 23 }, _dir, cancellationToken: Ct);
        await using (var db = Factory.Create())
        {
            await BoroughImport.ImportAsync(new IntakeService(db, TimeProvider.System), _dir, "test", cancellationToken: Ct);
        }

        var agencyOfExtract = BoroughImport.Extracts.ToDictionary(e => e.File, e => e.Agency, StringComparer.Ordinal);
        await using (var db = Factory.Create())
        {
            await BoroughTruth.FillPerfectLinkageAsync(db, Path.Combine(_dir, "truth"), agencyOfExtract, TimeProvider.System, Ct);
        }

        // Complications: the first family's first member also joins the last family (a later batch) for a bounded
        // stay, and the second family is retired.
        await using (var db = Factory.Create())
        {
            var ids = await db.Families.OrderBy(f => f.Id).Select(f => f.Id).ToListAsync(Ct);
            var moved = await db.FamilyMembers.Where(m => m.FamilyId == ids[0]).OrderBy(m => m.Id).Select(m => m.PersonId).FirstAsync(Ct);
            db.FamilyMembers.Add(new FamilyMember { FamilyId = ids[^1], PersonId = moved, Role = FamilyRole.Child, From = new DateOnly(2022, 9, 1), To = new DateOnly(2023, 8, 31) });
            await db.SaveChangesAsync(Ct);
            await db.Families.Where(f => f.Id == ids[1]).ExecuteUpdateAsync(s => s.SetProperty(f => f.RetiredUtc, DateTime.UtcNow), Ct);
        }
    }

    public override ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_dir is not null)
        {
            Directory.Delete(_dir, recursive: true);
        }

        GC.SuppressFinalize(this);
        return base.DisposeAsync();
    }

    [Fact]
    public async Task ScanAndLookup_EveryFamily_SameFamiliesMembersAndEventsAsReference()
    {
        List<long> expectedIds;
        int stored;
        await using (var db = Factory.Create())
        {
            expectedIds = await db.Families.Where(f => f.RetiredUtc == null).OrderBy(f => f.Id).Select(f => f.Id).ToListAsync(Ct);
            stored = await db.Families.CountAsync(Ct);
        }

        var reference = await ReferenceAsync(expectedIds, null);
        Assert.Equal(stored - 1, reference.Count);
        Assert.True(reference.Count > 60, "several batches of 20 families");
        Assert.True(reference.Sum(f => f.Events.Count) > 1_000, "the borough has events to compare");

        var (scanBatches, scan) = await ReadAsync(StoreReadPlan.Scan, null, null);
        var (lookupBatches, lookup) = await ReadAsync(StoreReadPlan.Lookup, null, null);
        var (autoBatches, auto) = await ReadAsync(StoreReadPlan.Auto, null, null);
        Assert.Equal(StoreReadPlan.Scan, scan.Plan);
        Assert.Equal(StoreReadPlan.Lookup, lookup.Plan);
        Assert.Equal(StoreReadPlan.Scan, auto.Plan);

        // Batches of 20 families in id order, the last one holding the rest.
        Assert.Equal(reference.Chunk(20).Select(c => c.Length), scanBatches.Select(b => b.Count));
        AssertSame(reference, scanBatches.SelectMany(b => b).ToList());
        AssertSame(reference, lookupBatches.SelectMany(b => b).ToList());
        AssertSame(reference, autoBatches.SelectMany(b => b).ToList());
        AssertSameReport(lookup, scan);
        Assert.Equal(reference.Sum(f => f.Members.Count), scan.Members);

        // With a tiny memory budget the rows go through the temporary file and come back the same.
        var (spilledBatches, spilled) = await ReadAsync(StoreReadPlan.Scan, null, null, spillAfter: 100);
        Assert.True(spilled.RowsSpilled > 0);
        AssertSame(reference, spilledBatches.SelectMany(b => b).ToList());
        AssertSameReport(lookup, spilled);
    }

    [Fact]
    public async Task ScanAndLookup_ListedFamiliesWithScheme_SameAsReferenceWithAttachments()
    {
        var framework = FrameworkCatalog.Shipped()["supporting-families-2022"];
        List<long> all;
        List<string> attachRefs;
        await using (var db = Factory.Create())
        {
            all = await db.Families.OrderBy(f => f.Id).Select(f => f.Id).ToListAsync(Ct);
            attachRefs = await db.Families.Where(f => f.RetiredUtc == null).OrderBy(f => f.Id).Select(f => f.Reference).Take(30).ToListAsync(Ct);
        }

        var service = new ProgrammeClaimsService(Factory, new AuditTrail(TimeProvider.System), TimeProvider.System);
        Assert.Equal(30, await service.AttachAsync(Lead, framework, attachRefs, new DateOnly(2023, 1, 2), "c", true, true, true, Ct));

        // Every other family (the retired one included, as a listed family is read whatever its state), the last
        // family, which holds the moved person, and an id that does not exist; listed out of order.
        var listed = all.Where((_, i) => i % 2 == 1).Append(all[^1]).Append(all[^1] + 1_000).Reverse().ToList();
        var expectedIds = listed.Where(all.Contains).Distinct().Order().ToList();
        var reference = await ReferenceAsync(expectedIds, framework.Scheme);
        Assert.Contains(reference, f => f.AttachmentId is not null);

        var (scanBatches, scan) = await ReadAsync(StoreReadPlan.Scan, listed, framework.Scheme);
        var (lookupBatches, lookup) = await ReadAsync(StoreReadPlan.Lookup, listed, framework.Scheme);
        AssertSame(reference, scanBatches.SelectMany(b => b).ToList());
        AssertSame(reference, lookupBatches.SelectMany(b => b).ToList());
        Assert.Equal(lookupBatches.Select(b => b.Count), scanBatches.Select(b => b.Count));
        AssertSameReport(lookup, scan);
    }

    private async Task<(List<IReadOnlyList<StoredFamily>> Batches, StoreReadReport Report)> ReadAsync(StoreReadPlan plan, IReadOnlyCollection<long>? only, string? scheme, int spillAfter = 1_500_000)
    {
        await using var db = Factory.Create();
        var reader = new StoreFamilyReader(db, 20, plan) { SpillAfterRows = spillAfter };
        var coverage = await reader.CoverageAsync(Ct);
        var batches = new List<IReadOnlyList<StoredFamily>>();
        await foreach (var batch in reader.ReadAsync(coverage, AsOf, scheme, only, Ct))
        {
            batches.Add(batch);
        }

        return (batches, reader.Report);
    }

    private sealed record ReferenceFamily(long Id, string Reference, List<ProgrammeMember> Members, List<ProgrammeEvent> Events, long? AttachmentId);

    /// <summary>
    /// The reference: each family on its own, each member's person, source records and events by plain entity
    /// queries; the date of birth is the most frequent valid one (ties to the earliest record), sex likewise.
    /// </summary>
    private async Task<List<ReferenceFamily>> ReferenceAsync(List<long> familyIds, string? scheme)
    {
        await using var db = Factory.Create();
        var result = new List<ReferenceFamily>();
        foreach (var id in familyIds)
        {
            var family = await db.Families.AsNoTracking().SingleAsync(f => f.Id == id, Ct);
            var members = new List<ProgrammeMember>();
            var events = new List<ProgrammeEvent>();
            var seen = new HashSet<long>();
            foreach (var m in await db.FamilyMembers.AsNoTracking().Where(m => m.FamilyId == id).OrderBy(m => m.Id).ToListAsync(Ct))
            {
                var person = await db.Persons.AsNoTracking().SingleAsync(p => p.Id == m.PersonId, Ct);
                var records = await (from pr in db.PersonRecords
                                     join sr in db.SourceRecords on pr.SourceRecordId equals sr.Id
                                     where pr.PersonId == m.PersonId
                                     orderby sr.Id
                                     select sr).AsNoTracking().ToListAsync(Ct);
                var dob = records.Where(r => r.DateOfBirth >= new DateOnly(1901, 1, 1) && r.DateOfBirth <= AsOf)
                    .GroupBy(r => r.DateOfBirth).OrderByDescending(g => g.Count()).ThenBy(g => g.First().Id).Select(g => g.Key).FirstOrDefault();
                var sex = records.Where(r => r.Sex == "female" || r.Sex == "male")
                    .GroupBy(r => r.Sex).OrderByDescending(g => g.Count()).ThenBy(g => g.First().Id).Select(g => g.Key).FirstOrDefault();
                members.Add(new ProgrammeMember(person.Reference, m.Role == FamilyRole.Adult ? MemberRole.Adult : MemberRole.Child, dob, sex, m.From, m.To));
                if (!seen.Add(m.PersonId))
                {
                    continue;
                }

                var recordIds = records.Select(r => r.Id).ToList();
                foreach (var stored in await db.Events.AsNoTracking().Where(e => recordIds.Contains(e.SourceRecordId)).OrderBy(e => e.Id).ToListAsync(Ct))
                {
                    if (StoreEventMapping.Map(stored, person.Reference, out _) is { } mapped)
                    {
                        events.Add(mapped);
                    }
                }
            }

            var attachmentId = scheme is null ? null
                : await db.ProgrammeAttachments.Where(a => a.FamilyId == id && a.Scheme == scheme).Select(a => (long?)a.Id).SingleOrDefaultAsync(Ct);
            result.Add(new ReferenceFamily(id, family.Reference, members, events, attachmentId));
        }

        return result;
    }

    private static void AssertSame(List<ReferenceFamily> expected, List<StoredFamily> actual)
    {
        Assert.Equal(expected.Select(f => (f.Id, f.Reference)), actual.Select(f => (f.FamilyId, f.Data.Family.FamilyId)));
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Members, actual[i].Data.Family.Members);
            Assert.Equal(expected[i].Events, actual[i].Data.Events);
            Assert.Equal(expected[i].AttachmentId, actual[i].Attachment?.Id);
            Assert.Equal(actual[i].Attachment?.AttachedOn, actual[i].Data.Family.AttachmentDate);
        }
    }

    private static void AssertSameReport(StoreReadReport expected, StoreReadReport actual)
    {
        Assert.Equal(
            (expected.Families, expected.Members, expected.EventsMapped, expected.EventsLeftOut, expected.MembersWithoutDateOfBirth, expected.MembersWithConflictingDateOfBirth),
            (actual.Families, actual.Members, actual.EventsMapped, actual.EventsLeftOut, actual.MembersWithoutDateOfBirth, actual.MembersWithConflictingDateOfBirth));
        Assert.Equal(expected.Unmapped.OrderBy(kv => kv.Key.ToString(), StringComparer.Ordinal), actual.Unmapped.OrderBy(kv => kv.Key.ToString(), StringComparer.Ordinal));
    }
}

public sealed class SqliteStoreReadPathTests : StoreReadPathScenarios
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "hearth-readpath-" + Guid.NewGuid().ToString("N")[..10] + ".db");

    protected override Task<HearthDatabaseOptions> CreateDatabaseAsync() => Task.FromResult(HearthDatabaseOptions.Sqlite(_path));

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        File.Delete(_path);
    }
}

public sealed class PostgresStoreReadPathTests(PostgresServer server) : StoreReadPathScenarios
{
    protected override async Task<HearthDatabaseOptions> CreateDatabaseAsync() => HearthDatabaseOptions.Postgres(await server.CreateDatabaseAsync());
}
