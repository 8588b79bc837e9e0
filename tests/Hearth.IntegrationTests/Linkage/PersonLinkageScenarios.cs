using Hearth.Core.Access;
using Hearth.Core.Audit;
using Hearth.Core.Data;
using Hearth.Core.Intake;
using Hearth.Core.Linkage;
using Hearth.Core.Synthetic;
using Hearth.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Hearth.IntegrationTests.Linkage;

/// <summary>
/// Persisted store linkage on every database provider: a small synthetic borough is imported, linked, and
/// linked again after a new extract or a reviewer's decision.
/// </summary>
public abstract class PersonLinkageScenarios : IAsyncLifetime
{
    /// <summary>The extract held back to arrive "later".</summary>
    private const string LateExtract = "health_ae.csv";

    private static readonly Lazy<string> Borough = new(() =>
    {
        var dir = Path.Combine(Path.GetTempPath(), "hearth-linkstore-borough-" + Guid.NewGuid().ToString("N")[..10]);
        BoroughGenerator.Generate(new GeneratorSettings { Households = 150, Seed = 11 }, dir);
        return dir;
    });

    private static readonly System.Text.Json.JsonSerializerOptions SnakeCase = new() { PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower };

    private static readonly Actor DataLead = new("u-7", "data.lead", new HashSet<HearthRole> { HearthRole.DataLead });

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 9, 1, 9, 0, 0, TimeSpan.Zero));

    protected abstract Task<HearthDatabaseOptions> CreateDatabaseAsync();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<HearthDbFactory> StoreAsync(bool withLateExtract)
    {
        var factory = new HearthDbFactory(await CreateDatabaseAsync());
        await factory.MigrateAsync(Ct);
        foreach (var (file, _, _) in BoroughImport.Extracts.Where(e => withLateExtract || e.File != LateExtract))
        {
            await ImportAsync(factory, file);
        }

        return factory;
    }

    private async Task ImportAsync(HearthDbFactory factory, string file)
    {
        var (_, agency, kind) = BoroughImport.Extracts.Single(e => e.File == file);
        await using var db = factory.Create();
        var result = await new IntakeService(db, _time).ImportAsync(
            new ImportRequest(Path.Combine(Borough.Value, "extracts", file), MappingLoader.FindShipped(agency, kind)!, "test"), cancellationToken: Ct);
        Assert.Equal(ImportOutcome.Imported, result.Outcome);
    }

    private async Task<PersonLinkageResult> LinkAsync(HearthDbFactory factory, Actor? actor = null)
    {
        await using var db = factory.Create();
        return await new PersonLinkageService(db, new AuditTrail(_time), _time).RunAsync(actor ?? DataLead, cancellationToken: Ct);
    }

    private static async Task<T> WithServiceAsync<T>(HearthDbFactory factory, TimeProvider time, Func<PersonLinkageService, Task<T>> work)
    {
        await using var db = factory.Create();
        return await work(new PersonLinkageService(db, new AuditTrail(time), time));
    }

    /// <summary>Reference of the person each source record belongs to, keyed by agency, agency record id and details hash.</summary>
    private static async Task<Dictionary<string, string>> ReferencesAsync(HearthDbFactory factory)
    {
        await using var db = factory.Create();
        var rows = await db.PersonRecords.AsNoTracking()
            .Join(db.Persons, r => r.PersonId, p => p.Id, (r, p) => new { r.SourceRecordId, p.Reference })
            .Join(db.SourceRecords, x => x.SourceRecordId, s => s.Id, (x, s) => new { s.AgencyId, s.AgencyRecordId, s.DetailsHash, x.Reference })
            .ToListAsync(Ct);
        return rows.ToDictionary(r => r.AgencyId + ":" + r.AgencyRecordId + ":" + Convert.ToHexString(r.DetailsHash), r => r.Reference, StringComparer.Ordinal);
    }

    private static async Task<Dictionary<long, long>> PersonOfRecordAsync(HearthDbFactory factory)
    {
        await using var db = factory.Create();
        return await db.PersonRecords.AsNoTracking().ToDictionaryAsync(r => r.SourceRecordId, r => r.PersonId, Ct);
    }

    [Fact]
    public async Task Run_PersistsEveryRecordPersonsWithReferencesAndTheRun()
    {
        var factory = await StoreAsync(withLateExtract: true);
        var result = await LinkAsync(factory);

        await using var db = factory.Create();
        var records = await db.SourceRecords.CountAsync(Ct);
        Assert.Equal(records, await db.PersonRecords.CountAsync(Ct));
        var persons = await db.Persons.ToListAsync(Ct);
        Assert.Equal(result.Run.Persons, persons.Count);
        Assert.All(persons, p => Assert.Matches("^P[0-9]{7}$", p.Reference));
        // References are handed out from P0000001 without gaps on a fresh store.
        Assert.Equal(Enumerable.Range(1, persons.Count).Select(i => "P" + i.ToString("D7", System.Globalization.CultureInfo.InvariantCulture)), persons.Select(p => p.Reference).Order(StringComparer.Ordinal));
        var run = await db.LinkageRuns.SingleAsync(Ct);
        Assert.NotNull(run.CompletedUtc);
        Assert.Equal(records, run.SourceRecords);
        Assert.Equal(persons.Count, run.NewPersons);
        // Every person has a founding record; each person's records are the cluster the engine found.
        Assert.Equal(persons.Count, await db.PersonRecords.CountAsync(r => r.Method == LinkMethod.Founding, Ct));
        Assert.True(await db.Households.CountAsync(Ct) > 50);
        Assert.True(await db.Families.CountAsync(Ct) > 10);
        Assert.All(await db.Families.ToListAsync(Ct), f => Assert.Matches("^F[0-9]{7}$", f.Reference));
        // Each family has at least one child.
        var familyIds = await db.Families.Select(f => f.Id).ToListAsync(Ct);
        var withChild = await db.FamilyMembers.Where(m => m.Role == FamilyRole.Child).Select(m => m.FamilyId).Distinct().ToListAsync(Ct);
        Assert.Equal(familyIds.Order(), withChild.Order());
        // The review queue holds pairs between the thresholds with explanations that sum to the weight.
        var review = await db.LinkReviews.FirstOrDefaultAsync(Ct);
        Assert.NotNull(review);
        Assert.InRange(review.MatchWeight, run.ReviewWeight, run.ThresholdWeight);
        var explanation = System.Text.Json.JsonSerializer.Deserialize<ReviewExplanation>(review.Explanation, SnakeCase)!;
        Assert.Equal(review.MatchWeight, explanation.Prior + explanation.Terms.Sum(t => t.Weight + t.TermFrequencyAdjustment), 6);
    }

    [Fact]
    public async Task Rerun_AfterNewExtract_KeepsEveryReferenceAndAddsNewOnes()
    {
        var factory = await StoreAsync(withLateExtract: false);
        await LinkAsync(factory);
        var before = await ReferencesAsync(factory);
        await using (var db = factory.Create())
        {
            Assert.Equal(0, await db.SourceRecords.CountAsync(s => s.AgencyId == "health" && s.AgencyRecordId.StartsWith("AE"), Ct));
        }

        await ImportAsync(factory, LateExtract);
        var second = await LinkAsync(factory);

        var after = await ReferencesAsync(factory);
        Assert.True(after.Count > before.Count);
        // Old records keep their person: at most a handful move (a new record can bridge two persons, and then one
        // of the two references is retired into the other).
        var moved = before.Count(b => after[b.Key] != b.Value);
        Assert.True(moved <= before.Count / 100, $"{moved} of {before.Count} records changed person");
        await using (var db = factory.Create())
        {
            var retired = await db.Persons.Where(p => p.RetiredUtc != null).ToListAsync(Ct);
            Assert.Equal(second.RetiredPersons, retired.Count);
            Assert.All(retired, p => Assert.NotNull(p.MergedIntoPersonId));
            // New persons' references come after every old one: nothing is renumbered or reused.
            var oldMax = before.Values.Max(StringComparer.Ordinal)!;
            var created = await db.Persons.Where(p => p.CreatedByRunId == second.Run.Id).Select(p => p.Reference).ToListAsync(Ct);
            Assert.Equal(second.Run.NewPersons, created.Count);
            Assert.All(created, r => Assert.True(string.CompareOrdinal(r, oldMax) > 0, $"{r} not after {oldMax}"));
        }

        // A third run on the same store changes nothing.
        var third = await LinkAsync(factory);
        Assert.Equal(0, third.Run.NewPersons);
        Assert.Equal(0, third.RetiredPersons);
        Assert.Equal(after, await ReferencesAsync(factory));
    }

    [Fact]
    public async Task Run_TwoStoresWithTheSameData_GiveTheSameReferences()
    {
        var first = await StoreAsync(withLateExtract: true);
        var second = await StoreAsync(withLateExtract: true);
        await LinkAsync(first);
        await LinkAsync(second);
        Assert.Equal(await ReferencesAsync(first), await ReferencesAsync(second));
        await using var a = first.Create();
        await using var b = second.Create();
        var familiesA = await a.FamilyMembers.Join(a.Families, m => m.FamilyId, f => f.Id, (m, f) => f.Reference + "/" + m.PersonId + "/" + m.Relationship).ToListAsync(Ct);
        var familiesB = await b.FamilyMembers.Join(b.Families, m => m.FamilyId, f => f.Id, (m, f) => f.Reference + "/" + m.PersonId + "/" + m.Relationship).ToListAsync(Ct);
        Assert.Equal(familiesA.Order(StringComparer.Ordinal), familiesB.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Review_AcceptThenReject_SurviveRerunsAndChangeTheClustering()
    {
        var factory = await StoreAsync(withLateExtract: true);
        await LinkAsync(factory);
        var pending = await WithServiceAsync(factory, _time, s => s.ListReviewsAsync(DataLead, ReviewStatus.Pending, 1000, Ct));
        Assert.NotEmpty(pending);
        var pair = pending[0];
        var personOf = await PersonOfRecordAsync(factory);
        var (leftPerson, rightPerson) = (personOf[pair.LeftSourceRecordId], personOf[pair.RightSourceRecordId]);
        Assert.NotEqual(leftPerson, rightPerson);

        await WithServiceAsync(factory, _time, s => s.AcceptAsync(DataLead, pair.Id, "same NHS number on the GP letter", Ct));
        var merged = await LinkAsync(factory);
        personOf = await PersonOfRecordAsync(factory);
        Assert.Equal(personOf[pair.LeftSourceRecordId], personOf[pair.RightSourceRecordId]);
        await using (var db = factory.Create())
        {
            var review = await db.LinkReviews.SingleAsync(r => r.Id == pair.Id, Ct);
            Assert.Equal(ReviewStatus.Accepted, review.Status);
            Assert.Equal("data.lead", review.DecidedBy);
            Assert.Equal("same NHS number on the GP letter", review.Reason);
            Assert.Equal(LinkMethod.Reviewed, (await db.PersonRecords.SingleAsync(r => r.SourceRecordId == pair.RightSourceRecordId, Ct)).Method);

            // One of the two persons now holds both; the other is retired into it and its reference still resolves.
            Assert.Equal(1, merged.RetiredPersons);
            var retired = await db.Persons.SingleAsync(p => p.RetiredUtc != null, Ct);
            Assert.Contains(retired.Id, new[] { leftPerson, rightPerson });
            Assert.Equal(personOf[pair.LeftSourceRecordId], retired.MergedIntoPersonId);
            Assert.False(await db.PersonRecords.AnyAsync(r => r.PersonId == retired.Id, Ct));
        }

        // The decision survives another run unchanged.
        await LinkAsync(factory);
        personOf = await PersonOfRecordAsync(factory);
        Assert.Equal(personOf[pair.LeftSourceRecordId], personOf[pair.RightSourceRecordId]);

        // Rejecting it forbids the link: the records part again, and stay apart.
        await WithServiceAsync(factory, _time, s => s.RejectAsync(DataLead, pair.Id, "different mothers' names on the referral", Ct));
        await LinkAsync(factory);
        personOf = await PersonOfRecordAsync(factory);
        Assert.NotEqual(personOf[pair.LeftSourceRecordId], personOf[pair.RightSourceRecordId]);
        await LinkAsync(factory);
        personOf = await PersonOfRecordAsync(factory);
        Assert.NotEqual(personOf[pair.LeftSourceRecordId], personOf[pair.RightSourceRecordId]);
        await using (var db = factory.Create())
        {
            Assert.Equal(ReviewStatus.Rejected, (await db.LinkReviews.SingleAsync(r => r.Id == pair.Id, Ct)).Status);
        }
    }

    [Fact]
    public async Task Review_DecisionsAndViews_AreAuditedWithoutPersonalDetails()
    {
        var factory = await StoreAsync(withLateExtract: true);
        await LinkAsync(factory);
        var pair = (await WithServiceAsync(factory, _time, s => s.ListReviewsAsync(DataLead, null, 5, Ct)))[0];
        var detail = await WithServiceAsync(factory, _time, s => s.ShowReviewAsync(DataLead, pair.Id, Ct));
        Assert.Equal(pair.LeftSourceRecordId, detail.Left.Id);
        await WithServiceAsync(factory, _time, s => s.AcceptAsync(DataLead, pair.Id, "reviewed", Ct));
        await WithServiceAsync(factory, _time, s => s.RejectAsync(DataLead, pair.Id, "second look", Ct));

        await Assert.ThrowsAsync<ArgumentException>(() => WithServiceAsync(factory, _time, s => s.AcceptAsync(DataLead, pair.Id, "  ", Ct)));
        var keyWorker = new Actor("u-9", "key.worker", new HashSet<HearthRole> { HearthRole.KeyWorker }, "team-1");
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => WithServiceAsync(factory, _time, s => s.ShowReviewAsync(keyWorker, pair.Id, Ct)));

        await using var db = factory.Create();
        var entries = await db.AuditEntries.OrderBy(a => a.Id).ToListAsync(Ct);
        var subject = pair.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(["link.run", "link.review.list", "link.review.show", "link.accept", "link.reject", "link.review.show"], entries.Select(e => e.Action));
        Assert.All(entries.Skip(2), e => Assert.Equal(subject, e.SubjectId));
        Assert.Equal(AuditOutcomes.Denied, entries[^1].Outcome);
        Assert.Equal("u-9", entries[^1].ActorId);
        Assert.All(entries.Take(5), e => Assert.Equal(AuditOutcomes.Allowed, e.Outcome));
        Assert.Equal(PersonLinkageService.ReviewPurpose, entries[2].Purpose);

        // Nothing identifying either person appears in any audit column.
        string?[] details = [.. new[] { detail.Left, detail.Right }.SelectMany(r => new[]
        {
            r.GivenName, r.FamilyName, r.DateOfBirth?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            r.NhsNumber, r.Nino, r.Upn, r.Postcode, r.Address, r.AgencyRecordId,
        }).Where(v => v is { Length: > 2 })];
        Assert.NotEmpty(details);
        foreach (var e in entries)
        {
            var text = string.Join("|", e.ActorId, e.ActorName, e.Action, e.SubjectType, e.SubjectId, e.Purpose, e.Outcome, e.Detail);
            Assert.All(details, d => Assert.DoesNotContain(d!, text, StringComparison.OrdinalIgnoreCase));
        }
    }
}

public sealed class SqlitePersonLinkageTests : PersonLinkageScenarios
{
    private readonly List<string> _paths = [];

    protected override Task<HearthDatabaseOptions> CreateDatabaseAsync()
    {
        var path = Path.Combine(Path.GetTempPath(), "hearth-linkstore-" + Guid.NewGuid().ToString("N")[..10] + ".db");
        _paths.Add(path);
        return Task.FromResult(HearthDatabaseOptions.Sqlite(path));
    }

    public override ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var path in _paths)
        {
            foreach (var file in new[] { path, path + "-wal", path + "-shm" })
            {
                File.Delete(file);
            }
        }

        return base.DisposeAsync();
    }
}

public sealed class PostgresPersonLinkageTests(PostgresServer server) : PersonLinkageScenarios
{
    protected override async Task<HearthDatabaseOptions> CreateDatabaseAsync() => HearthDatabaseOptions.Postgres(await server.CreateDatabaseAsync());
}
