using Hearth.Core.Access;
using Hearth.Core.Audit;
using Hearth.Core.CaseWork;
using Microsoft.Extensions.Time.Testing;

namespace Hearth.Core.Tests.Audit;

public sealed class AccessAnomalyRulesTests
{
    // Wednesday 1 May 2024, 12:00 UTC (13:00 in London, BST).
    private static readonly DateTime Now = new(2024, 5, 1, 12, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime From = new(2024, 4, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime To = new(2024, 5, 1, 0, 0, 0, DateTimeKind.Utc);

    // Tuesday 9 April 2024, 10:00 UTC = 11:00 BST: within working hours.
    private static readonly DateTime Daytime = new(2024, 4, 9, 10, 0, 0, DateTimeKind.Utc);

    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(Now));

    private static readonly AnomalyOptions Options = new() { TimeZone = TimeZoneInfo.FindSystemTimeZoneById("Europe/London") };

    private static AnomalyUser User(string id, HearthRole role, string? team = "north", DateTime? lastSignIn = null, bool disabled = false) =>
        new(id, id, new HashSet<HearthRole> { role }, team, disabled, new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc), lastSignIn ?? Now.AddDays(-1));

    private static readonly List<AnomalyUser> Users =
    [
        User("kw1", HearthRole.KeyWorker),
        User("kw2", HearthRole.KeyWorker),
        User("kw3", HearthRole.KeyWorker),
        User("kw4", HearthRole.KeyWorker, team: "south"),
        User("tm1", HearthRole.TeamManager),
        User("ad1", HearthRole.Administrator, team: null),
    ];

    private static readonly List<FamilyAllocation> Allocations =
    [
        new("F0000001", "north", "kw1", new HashSet<string>()),
        new("F0000002", "south", "kw4", new HashSet<string> { "kw2" }),
        new("F0000003", null, null, new HashSet<string>()),
    ];

    private static long _sequence;

    private static AuditEntry Entry(string actor, string action, string? family, DateTime when, string outcome = AuditOutcomes.Allowed, string subjectType = "family") => new()
    {
        Id = Interlocked.Increment(ref _sequence),
        OccurredUtc = when,
        ActorId = actor,
        ActorName = actor,
        ActorRoles = "KeyWorker",
        Action = action,
        SubjectType = subjectType,
        SubjectId = family,
        Purpose = "case-work",
        Outcome = outcome,
        PrevHash = AuditChain.Genesis,
        RowHash = AuditChain.Genesis,
    };

    private static IEnumerable<AuditEntry> Reads(string actor, string family, int count) =>
        Enumerable.Range(0, count).Select(i => Entry(actor, "family.view", family, Daytime.AddMinutes(i)));

    private static AnomalyReport Evaluate(IEnumerable<AuditEntry> entries, IReadOnlyList<AnomalyUser>? users = null) =>
        AccessAnomalyRules.Evaluate(entries.ToList(), users ?? Users, Allocations, From, To, Clock, Options);

    [Fact]
    public void Median_OddAndEvenCounts_MiddleValueOrMeanOfMiddleTwo()
    {
        Assert.Equal(3, AccessAnomalyRules.Median([5, 1, 3]));
        Assert.Equal(2.5, AccessAnomalyRules.Median([4, 1, 3, 2])); // (2 + 3) / 2
        Assert.Equal(0, AccessAnomalyRules.Median([]));
    }

    [Fact]
    public void HighVolume_ReadsAboveThreeTimesThePeerMedian_Flagged()
    {
        // Key workers kw1..kw4 read 60, 10, 10 and 0 records: median (10 + 10) / 2 = 10, threshold max(3 × 10, 20) = 30; 60 > 30.
        var entries = Reads("kw1", "F0000001", 60).Concat(Reads("kw2", "F0000002", 10)).Concat(Reads("kw3", "F0000001", 10));
        var report = Evaluate(entries);

        var finding = Assert.Single(report.Anomalies, a => a.Rule == AnomalyRules.HighVolume);
        Assert.Equal("kw1", finding.UserId);
        Assert.Equal(60, finding.Count);
        Assert.Equal(60, finding.EntrySequences.Count);
        Assert.Equal(["F0000001"], finding.FamilyReferences);
        Assert.Contains("median of the 4 users with roles KeyWorker is 10", finding.Explanation, StringComparison.Ordinal);
        Assert.Contains("= 30", finding.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void HighVolume_BelowTheMinimumReads_NotFlagged()
    {
        // kw1 reads 15 against a median of 0 (threshold max(3 × 0, 20) = 20): too few to be bulk viewing.
        var report = Evaluate(Reads("kw1", "F0000001", 15));
        Assert.DoesNotContain(report.Anomalies, a => a.Rule == AnomalyRules.HighVolume);
    }

    [Fact]
    public void HighVolume_EveryoneReadsAlike_NotFlagged()
    {
        // 25 each: median 25, threshold 75.
        var entries = Users.Where(u => u.Roles.Contains(HearthRole.KeyWorker)).SelectMany(u => Reads(u.UserId, "F0000001", 25));
        Assert.DoesNotContain(Evaluate(entries).Anomalies, a => a.Rule == AnomalyRules.HighVolume);
    }

    [Fact]
    public void NotAllocated_ReadOfAnotherTeamsFamily_FlaggedWithTheFamilyAndEntries()
    {
        var own = Entry("kw1", "family.view", "F0000001", Daytime);
        var other = Entry("kw1", "plan.view", "F0000002", Daytime.AddMinutes(1));
        var report = Evaluate([own, other]);

        var finding = Assert.Single(report.Anomalies, a => a.Rule == AnomalyRules.NotAllocated);
        Assert.Equal("kw1", finding.UserId);
        Assert.Equal([other.Id], finding.EntrySequences);
        Assert.Equal(["F0000002"], finding.FamilyReferences);
        Assert.Contains("team north", finding.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void NotAllocated_TeamAroundTheFamilyOrManagerOfUnallocated_NotFlagged()
    {
        // kw2 is in F0000002's team around the family; tm1 reads the unallocated F0000003 to allocate it.
        var report = Evaluate([Entry("kw2", "family.view", "F0000002", Daytime), Entry("tm1", "family.view", "F0000003", Daytime)]);
        Assert.DoesNotContain(report.Anomalies, a => a.Rule == AnomalyRules.NotAllocated);
    }

    [Fact]
    public void NotAllocated_KeyWorkerReadingUnallocatedFamily_Flagged()
    {
        var report = Evaluate([Entry("kw3", "family.view", "F0000003", Daytime)]);
        Assert.Equal("kw3", Assert.Single(report.Anomalies, a => a.Rule == AnomalyRules.NotAllocated).UserId);
    }

    [Fact]
    public void RepeatedDenials_AtTheThreshold_FlaggedWithActionCounts()
    {
        var denied = Enumerable.Range(0, 4).Select(i => Entry("kw3", "family.view", "F0000002", Daytime.AddMinutes(i), AuditOutcomes.Denied))
            .Append(Entry("kw3", "authorisation.denied", null, Daytime.AddMinutes(9), AuditOutcomes.Denied, "page"));
        var report = Evaluate(denied);

        var finding = Assert.Single(report.Anomalies, a => a.Rule == AnomalyRules.RepeatedDenials);
        Assert.Equal(5, finding.Count);
        Assert.Contains("family.view × 4, authorisation.denied × 1", finding.Explanation, StringComparison.Ordinal);
        Assert.Equal(["F0000002"], finding.FamilyReferences);
    }

    [Fact]
    public void RepeatedDenials_BelowTheThreshold_NotFlagged()
    {
        var denied = Enumerable.Range(0, 4).Select(i => Entry("kw3", "family.view", "F0000002", Daytime.AddMinutes(i), AuditOutcomes.Denied));
        Assert.DoesNotContain(Evaluate(denied).Anomalies, a => a.Rule == AnomalyRules.RepeatedDenials);
    }

    [Theory]
    [InlineData(2024, 4, 9, 5, 30, true)]   // Tuesday 06:30 BST: before 07:00
    [InlineData(2024, 4, 9, 6, 0, false)]   // Tuesday 07:00 BST: the first minute of the day
    [InlineData(2024, 4, 9, 17, 59, false)] // Tuesday 18:59 BST
    [InlineData(2024, 4, 9, 18, 0, true)]   // Tuesday 19:00 BST: after hours
    [InlineData(2024, 4, 13, 11, 0, true)]  // Saturday noon BST
    [InlineData(2024, 1, 9, 18, 30, false)] // Tuesday 18:30 GMT in winter (UTC = local)
    public void IsOutOfHours_UkLocalTime(int y, int m, int d, int h, int min, bool expected) =>
        Assert.Equal(expected, AccessAnomalyRules.IsOutOfHours(new DateTime(y, m, d, h, min, 0, DateTimeKind.Utc), Options));

    [Fact]
    public void OutOfHours_SaturdayRead_FlaggedWithLocalTime()
    {
        var saturday = Entry("kw1", "family.view", "F0000001", new DateTime(2024, 4, 13, 22, 15, 0, DateTimeKind.Utc));
        var report = Evaluate([saturday, Entry("kw1", "family.view", "F0000001", Daytime)]);

        var finding = Assert.Single(report.Anomalies, a => a.Rule == AnomalyRules.OutOfHours);
        Assert.Equal([saturday.Id], finding.EntrySequences);
        Assert.Contains("2024-04-13 23:15 local time", finding.Explanation, StringComparison.Ordinal); // 22:15 UTC = 23:15 BST
    }

    [Fact]
    public void Entries_OutsideThePeriod_Ignored()
    {
        var before = Enumerable.Range(0, 6).Select(i => Entry("kw3", "family.view", "F0000002", From.AddMinutes(-1 - i), AuditOutcomes.Denied));
        var atEnd = Entry("kw3", "family.view", "F0000002", To, AuditOutcomes.Denied);
        var report = Evaluate(before.Append(atEnd));
        Assert.Equal(0, report.EntriesExamined);
        Assert.DoesNotContain(report.Anomalies, a => a.Rule != AnomalyRules.Dormant);
    }

    [Fact]
    public void Dormant_EnabledAccountUnusedOverNinetyDays_FlaggedDisabledOrRecentNot()
    {
        var users = new List<AnomalyUser>
        {
            User("old", HearthRole.KeyWorker, lastSignIn: Now.AddDays(-91)),
            User("edge", HearthRole.KeyWorker, lastSignIn: Now.AddDays(-90)),
            User("gone", HearthRole.KeyWorker, lastSignIn: Now.AddDays(-200), disabled: true),
            new("never", "never", new HashSet<HearthRole> { HearthRole.Analyst }, null, false, Now.AddDays(-120), null),
        };
        var report = Evaluate([], users);

        var dormant = report.Anomalies.Where(a => a.Rule == AnomalyRules.Dormant).ToList();
        Assert.Equal(["never", "old"], dormant.Select(a => a.UserId));
        Assert.Contains("last signed in on 2024-01-31, 91 days before 2024-05-01", dormant[1].Explanation, StringComparison.Ordinal);
        Assert.Contains("created on 2024-01-02", dormant[0].Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_PeriodEndingBeforeItStarts_Throws() =>
        Assert.Throws<ArgumentException>(() => AccessAnomalyRules.Evaluate([], Users, Allocations, To, From, Clock, Options));

    [Theory]
    [InlineData("ad1", HearthRole.Administrator, null, true)]
    [InlineData("au1", HearthRole.Auditor, null, true)]
    [InlineData("tm1", HearthRole.TeamManager, "north", true)]
    [InlineData("tm2", HearthRole.TeamManager, "south", false)]
    [InlineData("kw1", HearthRole.KeyWorker, "north", false)]
    [InlineData("dl1", HearthRole.DataLead, null, false)]
    public void DecideAccessHistory_ManagerOfTheTeamAdministratorsAndAuditorsOnly(string id, HearthRole role, string? team, bool allowed)
    {
        var actor = new Actor(id, id, new HashSet<HearthRole> { role }, team);
        var familyCase = new FamilyCase { Id = 1, FamilyId = 1, Status = CaseStatus.Active, TeamId = "north", KeyWorkerId = "kw1" };
        var decision = CaseAccess.DecideAccessHistory(actor, familyCase);
        Assert.Equal(allowed, decision.Allowed);
        Assert.False(string.IsNullOrWhiteSpace(decision.Reason));
    }

    [Fact]
    public void DecideAccessHistory_TeamManagerOfUnallocatedFamily_Refused()
    {
        var manager = new Actor("tm1", "tm1", new HashSet<HearthRole> { HearthRole.TeamManager }, "north");
        Assert.False(CaseAccess.DecideAccessHistory(manager, null).Allowed);
    }
}
