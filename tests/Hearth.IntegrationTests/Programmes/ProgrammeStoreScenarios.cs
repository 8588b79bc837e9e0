using Hearth.Core;
using Hearth.Core.Access;
using Hearth.Core.Audit;
using Hearth.Core.Data;
using Hearth.Core.Intake;
using Hearth.Core.Programmes;
using Hearth.Core.Synthetic;
using Hearth.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Hearth.IntegrationTests.Programmes;

/// <summary>
/// Programme rules on the store, on SQLite and PostgreSQL: the store adapter, identification on a generated
/// borough with families filled from the truth, attachments, claims with frozen evidence, the status workflow,
/// the database's no-double-claim index and two frameworks for two cohorts.
/// </summary>
public abstract class ProgrammeStoreScenarios : StoreScenarios
{
    private static readonly Actor Lead = new("u-lead", "lead", new HashSet<HearthRole> { HearthRole.DataLead });
    private static readonly Actor Manager = new("u-manager", "manager", new HashSet<HearthRole> { HearthRole.TeamManager });
    private static readonly Actor Auditor = new("u-auditor", "auditor", new HashSet<HearthRole> { HearthRole.Auditor });
    private static readonly Actor KeyWorker = new("u-kw", "keyworker", new HashSet<HearthRole> { HearthRole.KeyWorker });

    private static readonly string TestFramework = AsbTestStore.FrameworkYaml();

    /// <summary>The service on a clock at 1 June 2024: inside the windows the tests submit in.</summary>
    private ProgrammeClaimsService Claims() => Claims(new FakeTimeProvider(new DateTimeOffset(2024, 6, 1, 9, 0, 0, TimeSpan.Zero)));

    private ProgrammeClaimsService Claims(TimeProvider clock) => new(Factory, new AuditTrail(clock), clock);

    /// <summary>A family of one adult with ASB incidents on the given dates, in a police dataset covering 2020–2024.</summary>
    private async Task<(long FamilyId, long EventId)> SeedFamilyAsync(string familyRef, string personRef, params DateOnly[] asbDates)
    {
        await using var db = Factory.Create();
        var (dataset, run) = await AsbTestStore.EnsurePoliceAsbAsync(db, Ct);
        var (record, family) = await AsbTestStore.AddOneAdultFamilyAsync(db, dataset, run, familyRef, personRef, 2, "R-" + personRef, new DateOnly(1985, 4, 1), Ct);
        var events = asbDates.Select((d, i) => AsbTestStore.Incident(record, 10 + i, d)).ToList();
        db.Events.AddRange(events);
        await db.SaveChangesAsync(Ct);
        return (family.Id, events.Count > 0 ? events[0].Id : 0);
    }

    [Fact]
    public async Task Reader_MostFrequentValidDateOfBirthAndMappedEvents_ReadFromStore()
    {
        var (familyId, _) = await SeedFamilyAsync("F1", "P1", new DateOnly(2023, 3, 1));
        await using (var db = Factory.Create())
        {
            // Two more records for the person: one agreeing with 1985-04-01, one with a different date; 1985-04-01 wins 2 to 1.
            var dataset = await db.Datasets.FirstAsync(Ct);
            var person = await db.Persons.FirstAsync(Ct);
            var runId = await db.LinkageRuns.Select(r => r.Id).FirstAsync(Ct);
            var a = new SourceRecord { AgencyId = "police", DatasetId = dataset.Id, RowNumber = 3, AgencyRecordId = "R-x", DateOfBirth = new DateOnly(1985, 1, 4), DetailsHash = Guid.NewGuid().ToByteArray() };
            var b = new SourceRecord { AgencyId = "police", DatasetId = dataset.Id, RowNumber = 4, AgencyRecordId = "R-y", DateOfBirth = new DateOnly(1985, 4, 1), DetailsHash = Guid.NewGuid().ToByteArray() };
            var c = new SourceRecord { AgencyId = "police", DatasetId = dataset.Id, RowNumber = 5, AgencyRecordId = "R-z", DateOfBirth = new DateOnly(1900, 1, 1), DetailsHash = Guid.NewGuid().ToByteArray() };
            db.AddRange(a, b, c);
            await db.SaveChangesAsync(Ct);
            db.PersonRecords.AddRange(
                new PersonRecord { SourceRecordId = a.Id, PersonId = person.Id, LinkageRunId = runId },
                new PersonRecord { SourceRecordId = b.Id, PersonId = person.Id, LinkageRunId = runId },
                new PersonRecord { SourceRecordId = c.Id, PersonId = person.Id, LinkageRunId = runId });
            await db.SaveChangesAsync(Ct);
        }

        await using var read = Factory.Create();
        var reader = new StoreFamilyReader(read);
        var coverage = await reader.CoverageAsync(Ct);
        var batches = new List<StoredFamily>();
        await foreach (var batch in reader.ReadAsync(coverage, new DateOnly(2024, 1, 1), ct: Ct))
        {
            batches.AddRange(batch);
        }

        var family = Assert.Single(batches);
        Assert.Equal(familyId, family.FamilyId);
        var member = Assert.Single(family.Data.Family.Members);
        Assert.Equal("P1", member.PersonId);
        Assert.Equal(MemberRole.Adult, member.Role);
        Assert.Equal(new DateOnly(1985, 4, 1), member.DateOfBirth);
        Assert.Equal(1, reader.Report.MembersWithConflictingDateOfBirth);
        var e = Assert.Single(family.Data.Events);
        Assert.Equal(EventType.Asb, e.Type);
        Assert.Equal("incident", e.Category);
        Assert.Equal("perpetrator", e.Outcome);
        Assert.Equal(10, e.Source.Row);
        Assert.Equal(new DatePeriod(new DateOnly(2020, 1, 1), new DateOnly(2024, 12, 31)), coverage.For(EventType.Asb));
        Assert.Null(coverage.For(EventType.Offence));
    }

    [Fact]
    public async Task NoDoubleClaim_SecondLiveInsertBypassingCode_RefusedByDatabase()
    {
        var (familyId, _) = await SeedFamilyAsync("F1", "P1");
        ProgrammeClaim Row(string reference) => new()
        {
            Reference = reference, FamilyId = familyId, Scheme = "test-scheme", FrameworkId = "test-asb", FrameworkVersion = "1", ResultId = "asb_result",
            WindowId = "w", EvidenceJson = "{}", EvidenceSha256 = new string('0', 64), CreatedBy = "test", Status = ClaimStatus.Draft,
        };

        await using (var db = Factory.Create())
        {
            db.ProgrammeClaims.Add(Row("c1"));
            await db.SaveChangesAsync(Ct);
        }

        await using (var db = Factory.Create())
        {
            db.ProgrammeClaims.Add(Row("c2"));
            var ex = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync(Ct));
            Assert.True(ProgrammeClaimsService.IsDoubleClaim(ex, out var message), ex.InnerException?.Message);
            Assert.StartsWith("NoDoubleClaim:", message, StringComparison.Ordinal);
        }

        // Once the first claim is rejected, the family may be claimed again for that result.
        await using (var db = Factory.Create())
        {
            await db.ProgrammeClaims.Where(c => c.Reference == "c1").ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, ClaimStatus.Rejected), Ct);
            db.ProgrammeClaims.Add(Row("c3"));
            await db.SaveChangesAsync(Ct);
            Assert.Equal(2, await db.ProgrammeClaims.CountAsync(Ct));
        }
    }

    [Fact]
    public async Task Claim_SourceCorrectedAfterDrafting_KeepsFrozenEvidence()
    {
        var framework = FrameworkLoader.Load(TestFramework, "test.yaml");
        var (_, eventId) = await SeedFamilyAsync("F1", "P1", new DateOnly(2023, 3, 1));
        var service = Claims();
        Assert.Equal(1, await service.AttachAsync(Lead, framework, ["F1"], new DateOnly(2023, 6, 1), "cohort-a", true, true, true, Ct));
        var window = new ClaimWindow("2023-24-q4", framework.Id, new DatePeriod(new DateOnly(2024, 1, 1), new DateOnly(2024, 3, 31)), 10);
        var batch = await service.BuildBatchAsync(Lead, framework, window, new DateOnly(2024, 1, 31), 1, 0m, ct: Ct);
        Assert.Equal(1, batch.Drafted);
        Assert.Equal(80_000, batch.Total.Pence);

        string json, hash;
        await using (var db = Factory.Create())
        {
            var claim = await db.ProgrammeClaims.SingleAsync(Ct);
            (json, hash) = (claim.EvidenceJson, claim.EvidenceSha256);
            Assert.Contains("2023-03-01", json, StringComparison.Ordinal);

            // The police correct the incident's date: it happened in December, so the need is no longer met.
            await db.Events.Where(e => e.Id == eventId).ExecuteUpdateAsync(s => s.SetProperty(e => e.StartDate, new DateOnly(2023, 12, 20)), Ct);
        }

        await using (var db = Factory.Create())
        {
            var claim = await db.ProgrammeClaims.SingleAsync(Ct);
            Assert.Equal(json, claim.EvidenceJson);
            Assert.Equal(hash, claim.EvidenceSha256);
            Assert.Equal(hash, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(claim.EvidenceJson))));
            Assert.DoesNotContain("2023-12-20", claim.EvidenceJson, StringComparison.Ordinal);
        }

        // Measured now, the need has lapsed (an incident in the last 3 months), though the claim still shows what was seen.
        var measured = await service.MeasureAsync(Lead, framework, new DateOnly(2024, 1, 31), ct: Ct);
        Assert.Equal(0, measured.Needs[NeedStatus.Met] + measured.Needs[NeedStatus.Sustained]);
    }

    [Fact]
    public async Task Transitions_RolesAndReasons_EnforcedAndRecorded()
    {
        var framework = FrameworkLoader.Load(TestFramework, "test.yaml");
        await SeedFamilyAsync("F1", "P1", new DateOnly(2023, 3, 1));
        await SeedFamilyAsync("F2", "P2", new DateOnly(2023, 2, 1));
        var service = Claims();
        await service.AttachAsync(Lead, framework, ["F1", "F2"], new DateOnly(2023, 6, 1), null, true, true, true, Ct);
        var window = new ClaimWindow("w1", framework.Id, new DatePeriod(new DateOnly(2024, 1, 1), new DateOnly(2024, 12, 31)), 10);
        await service.BuildBatchAsync(Lead, framework, window, new DateOnly(2024, 1, 31), 1, 0m, ct: Ct);
        var claims = await service.ListAsync(Auditor, "w1", ct: Ct);
        Assert.Equal(2, claims.Count);
        var (c1, c2) = (claims[0].Reference, claims[1].Reference);

        // A key worker takes no part in claims.
        await Assert.ThrowsAsync<ProgrammeAccessDeniedException>(() => service.ListAsync(KeyWorker, ct: Ct));
        var kw = await Assert.ThrowsAsync<ClaimRefusedException>(() => service.MoveAsync(KeyWorker, c1, ClaimStatus.Ready, ct: Ct));
        Assert.Contains(kw.Broken, b => b.Rule == "RoleMayAct");

        await service.MoveAsync(Lead, c1, ClaimStatus.Ready, ct: Ct);
        await service.MoveAsync(Lead, c2, ClaimStatus.Ready, ct: Ct);
        var skip = await Assert.ThrowsAsync<ClaimRefusedException>(() => service.MoveAsync(Lead, c1, ClaimStatus.SignedOff, ct: Ct));
        Assert.Contains(skip.Broken, b => b.Rule == "RoleMayAct");
        var kwSign = await Assert.ThrowsAsync<ClaimRefusedException>(() => service.MoveAsync(KeyWorker, c1, ClaimStatus.SignedOff, ct: Ct));
        Assert.Contains(kwSign.Broken, b => b.Rule == "RoleMayAct");
        var noReason = await Assert.ThrowsAsync<ClaimRefusedException>(() => service.MoveAsync(Auditor, c2, ClaimStatus.Rejected, "  ", Ct));
        Assert.Contains(noReason.Broken, b => b.Rule == "ReasonGiven");

        await service.MoveAsync(Auditor, c1, ClaimStatus.SignedOff, ct: Ct);
        await service.MoveAsync(Auditor, c2, ClaimStatus.Rejected, "school record shows a further incident", Ct);
        await service.MoveAsync(Manager, c1, ClaimStatus.Submitted, ct: Ct);
        await service.MoveAsync(Manager, c1, ClaimStatus.Paid, ct: Ct);

        var history = await service.HistoryAsync(Auditor, c1, Ct);
        Assert.Equal([ClaimStatus.Draft, ClaimStatus.Ready, ClaimStatus.SignedOff, ClaimStatus.Submitted, ClaimStatus.Paid], history.Select(h => h.ToStatus));
        Assert.Equal(["u-lead", "u-lead", "u-auditor", "u-manager", "u-manager"], history.Select(h => h.ActorId));
        var rejected = await service.HistoryAsync(Auditor, c2, Ct);
        Assert.Equal("school record shows a further incident", rejected[^1].Reason);

        await using var db = Factory.Create();
        Assert.True(await db.AuditEntries.CountAsync(a => a.Action == "claims.move" && a.Outcome == AuditOutcomes.Denied, Ct) >= 4);
        Assert.Equal(4, await db.AuditEntries.CountAsync(a => a.Action == "claims.move" && a.Outcome == AuditOutcomes.Allowed && a.SubjectId == c1, Ct));
    }

    [Fact]
    public async Task Submit_WindowClosedOrAllocationFull_RefusedNamingTheRule()
    {
        var framework = FrameworkLoader.Load(TestFramework, "test.yaml");
        await SeedFamilyAsync("F1", "P1", new DateOnly(2023, 3, 1));
        await SeedFamilyAsync("F2", "P2", new DateOnly(2023, 2, 1));
        var clock = new FakeTimeProvider(new DateTimeOffset(2024, 3, 1, 9, 0, 0, TimeSpan.Zero));
        var service = Claims(clock);
        await service.AttachAsync(Lead, framework, ["F1", "F2"], new DateOnly(2023, 6, 1), null, true, true, true, Ct);
        var window = new ClaimWindow("w1", framework.Id, new DatePeriod(new DateOnly(2024, 1, 1), new DateOnly(2024, 3, 31)), 1);
        await service.BuildBatchAsync(Lead, framework, window, new DateOnly(2024, 1, 31), 1, 0m, ct: Ct);
        var claims = await service.ListAsync(Auditor, "w1", ct: Ct);
        Assert.Equal(2, claims.Count);
        foreach (var c in claims)
        {
            await service.MoveAsync(Lead, c.Reference, ClaimStatus.Ready, ct: Ct);
            await service.MoveAsync(Auditor, c.Reference, ClaimStatus.SignedOff, ct: Ct);
        }

        // Inside the window the data lead submits the first family; the allocation of one family is then used up.
        await service.MoveAsync(Lead, claims[0].Reference, ClaimStatus.Submitted, ct: Ct);
        var over = await Assert.ThrowsAsync<ClaimRefusedException>(() => service.MoveAsync(Manager, claims[1].Reference, ClaimStatus.Submitted, ct: Ct));
        Assert.Equal(["AllocationCap"], over.Broken.Select(b => b.Rule));

        // The first is rejected after submission, freeing its place; but by 15 April the window (to 31 March) has closed.
        await service.MoveAsync(Manager, claims[0].Reference, ClaimStatus.Rejected, "duplicate family record found", Ct);
        clock.SetUtcNow(new DateTimeOffset(2024, 4, 15, 9, 0, 0, TimeSpan.Zero));
        var late = await Assert.ThrowsAsync<ClaimRefusedException>(() => service.MoveAsync(Manager, claims[1].Reference, ClaimStatus.Submitted, ct: Ct));
        Assert.Equal(["WithinClaimWindow"], late.Broken.Select(b => b.Rule));

        await using var db = Factory.Create();
        Assert.Equal(ClaimStatus.SignedOff, await db.ProgrammeClaims.Where(c => c.Reference == claims[1].Reference).Select(c => c.Status).SingleAsync(Ct));
        Assert.Equal(2, await db.AuditEntries.CountAsync(a => a.Action == "claims.move" && a.Outcome == AuditOutcomes.Denied, Ct));
    }

    [Fact]
    public async Task AuditorWhoPreparedClaim_CannotSignItOff()
    {
        var framework = FrameworkLoader.Load(TestFramework, "test.yaml");
        await SeedFamilyAsync("F1", "P1", new DateOnly(2023, 3, 1));
        var both = new Actor("u-both", "both", new HashSet<HearthRole> { HearthRole.DataLead, HearthRole.Auditor });
        var service = Claims();
        await service.AttachAsync(both, framework, ["F1"], new DateOnly(2023, 6, 1), null, true, true, true, Ct);
        var window = new ClaimWindow("w1", framework.Id, new DatePeriod(new DateOnly(2024, 1, 1), new DateOnly(2024, 12, 31)), 10);
        await service.BuildBatchAsync(both, framework, window, new DateOnly(2024, 1, 31), 1, 0m, ct: Ct);
        var claim = Assert.Single(await service.ListAsync(both, ct: Ct));
        await service.MoveAsync(both, claim.Reference, ClaimStatus.Ready, ct: Ct);
        var ex = await Assert.ThrowsAsync<ClaimRefusedException>(() => service.MoveAsync(both, claim.Reference, ClaimStatus.SignedOff, ct: Ct));
        Assert.Contains(ex.Broken, b => b.Rule == "AuditorIndependent");
    }

    [Fact]
    public async Task BuildBatchTwice_ResultAlreadyClaimed_NotDraftedAgain()
    {
        var framework = FrameworkLoader.Load(TestFramework, "test.yaml");
        await SeedFamilyAsync("F1", "P1", new DateOnly(2023, 3, 1));
        var service = Claims();
        await service.AttachAsync(Lead, framework, ["F1"], new DateOnly(2023, 6, 1), null, true, true, true, Ct);
        var w1 = new ClaimWindow("w1", framework.Id, new DatePeriod(new DateOnly(2024, 1, 1), new DateOnly(2024, 3, 31)), 10);
        var w2 = new ClaimWindow("w2", framework.Id, new DatePeriod(new DateOnly(2024, 4, 1), new DateOnly(2024, 6, 30)), 10);
        Assert.Equal(1, (await service.BuildBatchAsync(Lead, framework, w1, new DateOnly(2024, 1, 31), 1, 0m, ct: Ct)).Drafted);
        var second = await service.BuildBatchAsync(Lead, framework, w2, new DateOnly(2024, 4, 30), 1, 0m, ct: Ct);
        Assert.Equal(0, second.Drafted);
        Assert.Equal(1, second.AlreadyClaimed);
    }

    [Fact]
    public async Task TwoFrameworks_DifferentCohorts_AttachedMeasuredAndClaimedSeparately()
    {
        var asb = FrameworkLoader.Load(TestFramework, "test.yaml");
        var other = FrameworkLoader.Load(TestFramework.Replace("id: test-asb", "id: test-asb-2", StringComparison.Ordinal).Replace("scheme: test-scheme", "scheme: other-scheme", StringComparison.Ordinal), "other.yaml");
        await SeedFamilyAsync("F1", "P1", new DateOnly(2023, 3, 1));
        await SeedFamilyAsync("F2", "P2", new DateOnly(2023, 3, 1));
        await SeedFamilyAsync("F3", "P3", new DateOnly(2023, 3, 1));
        var service = Claims();
        Assert.Equal(2, await service.AttachAsync(Lead, asb, ["F1", "F2"], new DateOnly(2023, 6, 1), "north", true, true, true, Ct));
        Assert.Equal(1, await service.AttachAsync(Lead, other, ["F3"], new DateOnly(2023, 7, 1), "south", true, true, true, Ct));
        // Attaching again to the same scheme changes nothing.
        Assert.Equal(0, await service.AttachAsync(Lead, asb, ["F1"], new DateOnly(2023, 8, 1), "north", ct: Ct));

        Assert.Equal(2, (await service.MeasureAsync(Lead, asb, new DateOnly(2024, 1, 31), ct: Ct)).Families);
        Assert.Equal(1, (await service.MeasureAsync(Lead, other, new DateOnly(2024, 1, 31), ct: Ct)).Families);
        var w = new DatePeriod(new DateOnly(2024, 1, 1), new DateOnly(2024, 3, 31));
        Assert.Equal(2, (await service.BuildBatchAsync(Lead, asb, new ClaimWindow("q4", asb.Id, w, 10), new DateOnly(2024, 1, 31), 1, 0m, ct: Ct)).Drafted);
        Assert.Equal(1, (await service.BuildBatchAsync(Lead, other, new ClaimWindow("q4", other.Id, w, 10), new DateOnly(2024, 1, 31), 1, 0m, ct: Ct)).Drafted);

        await using var db = Factory.Create();
        var cohorts = await db.ProgrammeAttachments.OrderBy(a => a.Id).Select(a => new { a.FrameworkId, a.Cohort }).ToListAsync(Ct);
        Assert.Equal(["north", "north", "south"], cohorts.Select(c => c.Cohort));
        Assert.Equal(["test-scheme", "test-scheme", "other-scheme"], await db.ProgrammeClaims.OrderBy(c => c.Id).Select(c => c.Scheme).ToListAsync(Ct));
    }

    [Fact]
    public async Task Identify_GeneratedBoroughWithTruthFamilies_ReadsEveryFamilyAndEvidenceIsInTheStore()
    {
        var dir = Directory.CreateTempSubdirectory("hearth-progstore-").FullName;
        try
        {
            BoroughGenerator.Generate(new GeneratorSettings { Households = 120, Seed = 5 }, dir, cancellationToken: Ct);
            await using (var db = Factory.Create())
            {
                await BoroughImport.ImportAsync(new IntakeService(db, TimeProvider.System), dir, "test", cancellationToken: Ct);
            }

            var agencyOfExtract = BoroughImport.Extracts.ToDictionary(e => e.File, e => e.Agency, StringComparer.Ordinal);
            var truth = Path.Combine(dir, "truth");
            await using (var db = Factory.Create())
            {
                await BoroughTruth.FillPerfectLinkageAsync(db, truth, agencyOfExtract, TimeProvider.System, Ct);
            }

            var trueFamilies = File.ReadLines(Path.Combine(truth, "households.csv")).Skip(1).Select(l => l.Split(',')[0]).ToHashSet(StringComparer.Ordinal);
            var framework = FrameworkCatalog.Shipped()["supporting-families-2022"];
            var asOf = new DateOnly(2024, 6, 30);
            var results = new List<StoredIdentification>();
            var summary = await new IdentificationService(Factory, new AuditTrail(TimeProvider.System))
                .IdentifyAsync(Lead, framework, asOf, results.AddRange, batchSize: 50, ct: Ct);

            Assert.Equal(trueFamilies.Count, summary.Families);
            Assert.Equal(trueFamilies.Order(StringComparer.Ordinal), results.Select(r => r.Result.FamilyId).Order(StringComparer.Ordinal));
            Assert.DoesNotContain(summary.Read.Unmapped.Keys, k => k.Field != "reason");
            Assert.True(summary.Eligible > 0, "a borough of 120 households has eligible families");

            // Every event cited for a raised need is a stored event row of a member of that family.
            await using var check = Factory.Create();
            var rows = (await (from f in check.Families
                               join m in check.FamilyMembers on f.Id equals m.FamilyId
                               join pr in check.PersonRecords on m.PersonId equals pr.PersonId
                               join e in check.Events on pr.SourceRecordId equals e.SourceRecordId
                               select new { f.Reference, e.DatasetId, e.RowNumber }).ToListAsync(Ct))
                .Select(x => (x.Reference, x.DatasetId.ToString(System.Globalization.CultureInfo.InvariantCulture), x.RowNumber)).ToHashSet();
            foreach (var r in results.Where(r => r.Result.Eligible == Truth.True))
            {
                foreach (var evidence in r.Result.RaisedNeeds.SelectMany(n => n.Members).Where(m => m.Truth == Truth.True).SelectMany(m => m.Evidence))
                {
                    Assert.All(evidence.Events, e => Assert.Contains((r.Result.FamilyId, e.Source.DatasetId, e.Source.Row), rows));
                }
            }

            // The truth check's counts add up to what needs.csv says directly.
            var check2 = BoroughTruth.Check(framework, asOf, results.Select(r => r.Result), truth, 3);
            Assert.Equal(trueFamilies.Count, check2.FamiliesCompared);
            Assert.Equal(summary.Eligible, check2.TruePositives + check2.FalsePositives);
            var trulyInNeed = File.ReadLines(Path.Combine(truth, "needs.csv")).Skip(1).Select(l => l.Split(','))
                .Where(c => DateOnly.Parse(c[2], System.Globalization.CultureInfo.InvariantCulture) <= asOf && (c[3].Length == 0 || DateOnly.Parse(c[3], System.Globalization.CultureInfo.InvariantCulture) >= asOf))
                .GroupBy(c => c[0])
                .Count(g => framework.Headlines.Count(h => BoroughTruth.TrueNeedsOfHeadline[h.Id].Any(n => g.Any(c => c[1] == n))) >= 3);
            Assert.Equal(trulyInNeed, check2.TruePositives + check2.FalseNegatives);

            await using var audit = Factory.Create();
            Assert.Equal(1, await audit.AuditEntries.CountAsync(a => a.Action == "programme.identify", Ct));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task ExplainFamily_Auditor_ExplainsNeedWithStoredRow()
    {
        var framework = FrameworkLoader.Load(TestFramework, "test.yaml");
        await SeedFamilyAsync("F1", "P1", new DateOnly(2023, 3, 1));
        var service = new IdentificationService(Factory, new AuditTrail(TimeProvider.System));
        var explained = await service.ExplainFamilyAsync(Auditor, framework, "F1", new DateOnly(2023, 6, 1), Ct);
        Assert.NotNull(explained);
        Assert.Equal(Truth.True, explained.Result.Eligible);
        var (headline, need, member, _) = Assert.Single(explained.RaisedNeeds);
        Assert.Equal(("crime", "asb", "P1"), (headline, need, member));
        Assert.Contains("row 10", IdentificationService.Describe(explained), StringComparison.Ordinal);
        await Assert.ThrowsAsync<ProgrammeAccessDeniedException>(() => service.ExplainFamilyAsync(KeyWorker, framework, "F1", new DateOnly(2023, 6, 1), Ct));
        await using var db = Factory.Create();
        Assert.Equal(2, await db.AuditEntries.CountAsync(a => a.Action == "programme.explain" && a.SubjectId == "F1", Ct));
    }

    [Fact]
    public async Task Identify_KeyWorker_DeniedAndAudited()
    {
        var framework = FrameworkLoader.Load(TestFramework, "test.yaml");
        await Assert.ThrowsAsync<ProgrammeAccessDeniedException>(() =>
            new IdentificationService(Factory, new AuditTrail(TimeProvider.System)).IdentifyAsync(KeyWorker, framework, new DateOnly(2024, 1, 1), _ => { }, ct: Ct));
        await using var db = Factory.Create();
        Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.Action == "programme.identify" && a.Outcome == AuditOutcomes.Denied, Ct));
    }
}

public sealed class SqliteProgrammeStoreTests : ProgrammeStoreScenarios
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "hearth-progstore-" + Guid.NewGuid().ToString("N")[..10] + ".db");

    protected override Task<HearthDatabaseOptions> CreateDatabaseAsync() => Task.FromResult(HearthDatabaseOptions.Sqlite(_path));

    public override ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(_path);
        return base.DisposeAsync();
    }
}

public sealed class PostgresProgrammeStoreTests(PostgresServer server) : ProgrammeStoreScenarios
{
    protected override async Task<HearthDatabaseOptions> CreateDatabaseAsync() => HearthDatabaseOptions.Postgres(await server.CreateDatabaseAsync());
}
