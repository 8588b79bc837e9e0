using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Hearth.Core.Access;
using Hearth.Core.Audit;
using Hearth.Core.Data;
using Microsoft.EntityFrameworkCore;
using NpgsqlTypes;

namespace Hearth.Core.Linkage;

/// <summary>Thresholds and dates of a persisted linkage run.</summary>
public sealed record PersonLinkageOptions
{
    /// <summary>How far below the automatic threshold the review queue reaches, in match weight, by default.</summary>
    public const double DefaultReviewBand = 2.0;

    /// <summary>Pairs at or above this match weight are linked automatically (default: the settings', probability 0.9).</summary>
    public double? ThresholdWeight { get; init; }

    /// <summary>Pairs from this weight up to the automatic threshold go to review (default: threshold − <see cref="DefaultReviewBand"/>).</summary>
    public double? ReviewWeight { get; init; }

    /// <summary>The date families are built on (default: the latest event date in the store).</summary>
    public DateOnly? AsOf { get; init; }
}

/// <summary>What a persisted linkage run did.</summary>
public sealed record PersonLinkageResult(
    LinkageRun Run,
    StoreLinkageOutcome Outcome,
    int RetiredPersons,
    int PendingReviews,
    int RetiredFamilies,
    HouseholdBuild Households,
    IReadOnlyDictionary<long, long> PersonOfSourceRecord,
    IReadOnlyDictionary<long, string> PersonReferences,
    IReadOnlyDictionary<string, long> FamilyOfDwelling,
    IReadOnlyList<(string Stage, TimeSpan Time)> Timings);

/// <summary>A review-queue pair without anyone's details: for lists.</summary>
public sealed record ReviewSummary(
    long Id, ReviewStatus Status, double MatchWeight, double MatchProbability, long LeftSourceRecordId, string LeftAgency,
    long RightSourceRecordId, string RightAgency, string? DecidedBy, DateTime? DecidedUtc);

/// <summary>One comparison's part in a review pair's match weight.</summary>
public sealed record ReviewTerm(string Field, int Level, string Label, double Weight, double TermFrequencyAdjustment);

/// <summary>The stored explanation of a review pair: prior plus terms sum to the total.</summary>
public sealed record ReviewExplanation(double Prior, IReadOnlyList<ReviewTerm> Terms, double Total);

/// <summary>The reviewer's view of a pair: both source records, the persons they belong to, and the weights.</summary>
public sealed record ReviewDetail(
    LinkReview Review, SourceRecord Left, SourceRecord Right, string? LeftPerson, string? RightPerson, ReviewExplanation Explanation);

/// <summary>
/// Record linkage of the whole store, persisted: runs <see cref="StoreLinkage.Link"/> with the reviewers'
/// decisions, keeps person references stable across runs, fills the review queue, and builds households and
/// families. Every call takes an <see cref="Actor"/> (the DataLead role is required) and writes an audit entry
/// naming only ids and counts, never anyone's details.
/// </summary>
public sealed class PersonLinkageService(HearthDb db, IAuditTrail audit, TimeProvider clock)
{
    /// <summary>Audit purpose of a linkage run.</summary>
    public const string RunPurpose = "linkage";

    /// <summary>Audit purpose of review-queue work.</summary>
    public const string ReviewPurpose = "linkage-review";

    private static readonly JsonSerializerOptions ExplanationJson = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private static readonly BulkColumn[] PersonColumns =
    [
        new("id", NpgsqlDbType.Bigint), new("reference", NpgsqlDbType.Varchar), new("created_utc", NpgsqlDbType.TimestampTz),
        new("created_by_run_id", NpgsqlDbType.Bigint),
    ];

    private static readonly BulkColumn[] PersonRecordColumns =
    [
        new("source_record_id", NpgsqlDbType.Bigint), new("person_id", NpgsqlDbType.Bigint), new("method", NpgsqlDbType.Varchar),
        new("match_weight", NpgsqlDbType.Double), new("linkage_run_id", NpgsqlDbType.Bigint), new("linked_utc", NpgsqlDbType.TimestampTz),
    ];

    private static readonly BulkColumn[] HouseholdColumns =
    [
        new("id", NpgsqlDbType.Bigint), new("reference", NpgsqlDbType.Varchar), new("uprn", NpgsqlDbType.Varchar),
        new("postcode", NpgsqlDbType.Varchar), new("address", NpgsqlDbType.Text), new("created_utc", NpgsqlDbType.TimestampTz),
    ];

    private static readonly BulkColumn[] HouseholdMemberColumns =
    [
        new("household_id", NpgsqlDbType.Bigint), new("person_id", NpgsqlDbType.Bigint), new("from", NpgsqlDbType.Date),
        new("to", NpgsqlDbType.Date), new("evidence", NpgsqlDbType.Varchar),
    ];

    private static readonly BulkColumn[] FamilyColumns =
    [
        new("id", NpgsqlDbType.Bigint), new("reference", NpgsqlDbType.Varchar), new("household_id", NpgsqlDbType.Bigint),
        new("created_utc", NpgsqlDbType.TimestampTz),
    ];

    private static readonly BulkColumn[] FamilyMemberColumns =
    [
        new("family_id", NpgsqlDbType.Bigint), new("person_id", NpgsqlDbType.Bigint), new("role", NpgsqlDbType.Varchar),
        new("relationship", NpgsqlDbType.Varchar), new("from", NpgsqlDbType.Date), new("to", NpgsqlDbType.Date),
    ];

    /// <summary>
    /// Links every source record in the store and saves the result in one transaction: a <see cref="LinkageRun"/>,
    /// every record's person, the review queue, households and families.
    /// </summary>
    public async Task<PersonLinkageResult> RunAsync(Actor actor, PersonLinkageOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new PersonLinkageOptions();
        await AuthoriseAsync(actor, "link.run", "linkage_run", null, RunPurpose, cancellationToken);
        var timings = new List<(string, TimeSpan)>();
        var watch = Stopwatch.StartNew();
        void Lap(string stage)
        {
            timings.Add((stage, watch.Elapsed));
            watch.Restart();
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var records = await StoreLinkage.ReadAsync(db, cancellationToken);
        if (records.Table.Count < 2)
        {
            throw new LinkageInputException("The store holds fewer than two sets of person details; import agency extracts first.");
        }

        var rowOf = new Dictionary<long, int>(records.SourceRecords);
        for (var row = 0; row < records.Members.Count; row++)
        {
            foreach (var key in records.Members[row])
            {
                rowOf[StoreRecords.SourceRecordId(key)] = row;
            }
        }

        var decided = await db.LinkReviews.AsNoTracking().Where(r => r.Status != ReviewStatus.Pending)
            .OrderBy(r => r.Id).ToListAsync(cancellationToken);
        var mustLink = new List<(int, int)>();
        var cannotLink = new List<(int, int)>();
        var acceptedRows = new HashSet<(int, int)>();
        foreach (var r in decided)
        {
            if (rowOf.TryGetValue(r.LeftSourceRecordId, out var a) && rowOf.TryGetValue(r.RightSourceRecordId, out var b) && a != b)
            {
                (r.Status == ReviewStatus.Accepted ? mustLink : cannotLink).Add((a, b));
                if (r.Status == ReviewStatus.Accepted)
                {
                    acceptedRows.Add((Math.Min(a, b), Math.Max(a, b)));
                }
            }
        }

        Lap("read");
        var outcome = StoreLinkage.Link(records, options.ThresholdWeight, mustLink, cannotLink);
        var threshold = outcome.ThresholdWeight;
        var reviewWeight = options.ReviewWeight ?? threshold - PersonLinkageOptions.DefaultReviewBand;
        if (reviewWeight > threshold)
        {
            throw new LinkageInputException(string.Create(CultureInfo.InvariantCulture,
                $"The review weight {reviewWeight:F2} is above the automatic threshold {threshold:F2}."));
        }

        Lap("link");

        if (db.Provider == DatabaseProvider.Sqlite)
        {
            // In WAL mode a commit then syncs once; the setting is per connection and cannot change inside a transaction.
            await db.Database.OpenConnectionAsync(cancellationToken);
            await db.Database.ExecuteSqlRawAsync("PRAGMA synchronous = NORMAL", cancellationToken);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var run = new LinkageRun
        {
            StartedUtc = now,
            StartedBy = actor.UserName,
            ThresholdWeight = threshold,
            ReviewWeight = reviewWeight,
            SettingsYaml = LinkageSettingsYaml.Write(outcome.Settings),
        };
        db.LinkageRuns.Add(run);
        await db.SaveChangesAsync(cancellationToken);

        // Persons: each cluster keeps the existing person holding most of its records.
        var rep = outcome.Clusters.Representative;
        var clusterRows = new Dictionary<int, List<int>>();
        for (var row = 0; row < rep.Length; row++)
        {
            if (!clusterRows.TryGetValue(rep[row], out var list))
            {
                clusterRows[rep[row]] = list = [];
            }

            list.Add(row);
        }

        var clusterList = clusterRows.Values
            .Select(rows => rows.SelectMany(r => records.Members[r]).Select(StoreRecords.SourceRecordId).Order().ToArray())
            .OrderBy(ids => ids[0])
            .ToList();
        var existing = await db.PersonRecords.AsNoTracking()
            .Select(p => new { p.SourceRecordId, p.PersonId, p.Method, p.MatchWeight, p.LinkageRunId, p.LinkedUtc })
            .ToDictionaryAsync(p => p.SourceRecordId, cancellationToken);
        var claims = new List<(int Cluster, long Person, int Count)>();
        for (var c = 0; c < clusterList.Count; c++)
        {
            foreach (var g in clusterList[c].Where(existing.ContainsKey).GroupBy(id => existing[id].PersonId))
            {
                claims.Add((c, g.Key, g.Count()));
            }
        }

        var personOfCluster = Assign(clusterList.Count, claims);
        var maxPersonId = await db.Persons.MaxAsync(p => (long?)p.Id, cancellationToken) ?? 0;
        var nextPerson = await NextReferenceAsync(db.Persons.Select(p => p.Reference), cancellationToken);
        var newPersons = new List<object?[]>();
        var references = new Dictionary<long, string>();
        for (var c = 0; c < clusterList.Count; c++)
        {
            if (personOfCluster[c] == 0)
            {
                personOfCluster[c] = ++maxPersonId;
                var reference = Reference('P', nextPerson++);
                references[maxPersonId] = reference;
                newPersons.Add([maxPersonId, reference, now, run.Id]);
            }
        }

        await LinkageStoreWriter.InsertAsync(db, "persons", PersonColumns, newPersons, cancellationToken);
        await LinkageStoreWriter.ResetIdentityAsync(db, "persons", cancellationToken);

        // Person records, with how each came to be there.
        var bestWeight = new Dictionary<int, double>();
        for (var i = 0; i < outcome.Pairs.Count; i++)
        {
            var (l, r) = (outcome.Pairs.Left[i], outcome.Pairs.Right[i]);
            var w = outcome.Weights[i];
            if (w >= threshold && rep[l] == rep[r])
            {
                bestWeight[l] = Math.Max(bestWeight.GetValueOrDefault(l, double.NegativeInfinity), w);
                bestWeight[r] = Math.Max(bestWeight.GetValueOrDefault(r, double.NegativeInfinity), w);
            }
        }

        var reviewedRows = acceptedRows.Where(p => rep[p.Item1] == rep[p.Item2]).SelectMany(p => new[] { p.Item1, p.Item2 }).ToHashSet();
        var personOf = new Dictionary<long, long>(records.SourceRecords);
        var recordRows = new List<object?[]>(records.SourceRecords);
        var changed = new List<long>();
        var founding = clusterList.Select(ids => ids[0]).ToHashSet();
        for (var c = 0; c < clusterList.Count; c++)
        {
            var person = personOfCluster[c];
            foreach (var id in clusterList[c])
            {
                personOf[id] = person;
                var row = rowOf[id];
                var first = StoreRecords.SourceRecordId(records.Members[row][0]) == id;
                LinkMethod method;
                double? weight = null;
                if (founding.Contains(id))
                {
                    method = LinkMethod.Founding;
                }
                else if (!first)
                {
                    method = LinkMethod.Identical;
                }
                else
                {
                    method = reviewedRows.Contains(row) ? LinkMethod.Reviewed : LinkMethod.Automatic;
                    weight = bestWeight.TryGetValue(row, out var bw) ? bw : null;
                }

                var had = existing.TryGetValue(id, out var old);
                if (had && old!.PersonId == person && old.Method == method && old.MatchWeight == weight)
                {
                    continue; // unchanged: the row stays as it is
                }

                if (had)
                {
                    changed.Add(id);
                }

                var kept = had && old!.PersonId == person;
                recordRows.Add([id, person, method.ToString(), weight, kept ? old!.LinkageRunId : run.Id, kept ? DateTime.SpecifyKind(old!.LinkedUtc, DateTimeKind.Utc) : now]);
            }
        }

        // Only records that are new or changed are written; on an unchanged store nothing is.
        foreach (var chunk in changed.Chunk(1000))
        {
            await db.PersonRecords.Where(r => chunk.Contains(r.SourceRecordId)).ExecuteDeleteAsync(cancellationToken);
        }

        await LinkageStoreWriter.InsertAsync(db, "person_records", PersonRecordColumns, recordRows, cancellationToken);

        // Retire persons left without records: merged into the person now holding most of their old records.
        var live = personOfCluster.ToHashSet();
        var formerRecords = existing.Values.GroupBy(e => e.PersonId).ToDictionary(g => g.Key, g => g.Select(e => e.SourceRecordId).ToList());
        var toRetire = formerRecords.Keys.Where(p => !live.Contains(p)).ToList();
        var retired = 0;
        foreach (var chunk in toRetire.Chunk(500))
        {
            var persons = await db.Persons.Where(p => chunk.Contains(p.Id) && p.RetiredUtc == null).ToListAsync(cancellationToken);
            foreach (var p in persons)
            {
                p.RetiredUtc = now;
                p.MergedIntoPersonId = formerRecords[p.Id].Where(personOf.ContainsKey).GroupBy(id => personOf[id])
                    .OrderByDescending(g => g.Count()).ThenBy(g => g.Key).Select(g => (long?)g.Key).FirstOrDefault();
                retired++;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        Lap("persons");

        // The review queue: pairs between the two thresholds whose records ended in different persons.
        var pending = await UpdateReviewQueueAsync(outcome, records, reviewWeight, run.Id, cancellationToken);
        Lap("reviews");

        // Households and families.
        var asOf = options.AsOf ?? await LatestEventDateAsync(cancellationToken) ?? DateOnly.FromDateTime(now);
        var build = HouseholdBuilder.Build(await ObservationsAsync(personOf, cancellationToken), asOf);
        var (familyOfDwelling, retiredFamilies) = await SaveHouseholdsAsync(build, now, cancellationToken);
        Lap("households");

        run.CompletedUtc = clock.GetUtcNow().UtcDateTime;
        run.SourceRecords = records.SourceRecords;
        run.Persons = clusterList.Count;
        run.NewPersons = newPersons.Count;
        run.CandidatePairs = outcome.Pairs.Count;
        run.LinkedPairs = outcome.Weights.LongCount(w => w >= threshold);
        run.ReviewPairs = pending;
        run.Households = build.Residences.Where(r => r.To is null || r.To >= asOf).Select(r => r.DwellingKey).Distinct(StringComparer.Ordinal).Count();
        run.Families = build.Families.Count;
        audit.Record(db, new AuditEvent(actor, "link.run", "linkage_run", run.Id.ToString(CultureInfo.InvariantCulture), RunPurpose,
            Detail: string.Create(CultureInfo.InvariantCulture,
                $"{run.SourceRecords} source records, {run.Persons} persons ({run.NewPersons} new, {retired} retired), {pending} pairs to review, {run.Families} families")));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        Lap("save");

        var allReferences = await db.Persons.AsNoTracking().Where(p => p.RetiredUtc == null).ToDictionaryAsync(p => p.Id, p => p.Reference, cancellationToken);
        return new PersonLinkageResult(run, outcome, retired, pending, retiredFamilies, build, personOf, allReferences, familyOfDwelling, timings);
    }

    /// <summary>Review-queue pairs, weakest decision first: the status asked for (all when null), up to <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<ReviewSummary>> ListReviewsAsync(Actor actor, ReviewStatus? status, int limit, CancellationToken cancellationToken = default)
    {
        if (limit <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(limit), "The limit must be at least 1.");
        }

        await AuthoriseAsync(actor, "link.review.list", "link_review", null, ReviewPurpose, cancellationToken);
        var query = db.LinkReviews.AsNoTracking();
        if (status is { } s)
        {
            query = query.Where(r => r.Status == s);
        }

        var rows = await query.OrderByDescending(r => r.MatchWeight).ThenBy(r => r.Id).Take(limit)
            .Join(db.SourceRecords, r => r.LeftSourceRecordId, l => l.Id, (r, l) => new { r, LeftAgency = l.AgencyId })
            .Join(db.SourceRecords, x => x.r.RightSourceRecordId, rr => rr.Id, (x, rr) => new { x.r, x.LeftAgency, RightAgency = rr.AgencyId })
            .ToListAsync(cancellationToken);
        audit.Record(db, new AuditEvent(actor, "link.review.list", "link_review", null, ReviewPurpose,
            Detail: string.Create(CultureInfo.InvariantCulture, $"status {status?.ToString() ?? "any"}, {rows.Count} listed")));
        await db.SaveChangesAsync(cancellationToken);
        return [.. rows.OrderByDescending(x => x.r.MatchWeight).ThenBy(x => x.r.Id).Select(x => new ReviewSummary(
            x.r.Id, x.r.Status, x.r.MatchWeight, x.r.MatchProbability, x.r.LeftSourceRecordId, x.LeftAgency, x.r.RightSourceRecordId,
            x.RightAgency, x.r.DecidedBy, x.r.DecidedUtc))];
    }

    /// <summary>The reviewer's view of one pair (both records' details); audited as "link.review.show".</summary>
    public async Task<ReviewDetail> ShowReviewAsync(Actor actor, long reviewId, CancellationToken cancellationToken = default)
    {
        var subject = reviewId.ToString(CultureInfo.InvariantCulture);
        await AuthoriseAsync(actor, "link.review.show", "link_review", subject, ReviewPurpose, cancellationToken);
        var review = await db.LinkReviews.AsNoTracking().FirstOrDefaultAsync(r => r.Id == reviewId, cancellationToken)
            ?? throw new KeyNotFoundException($"There is no review {subject}.");
        var left = await db.SourceRecords.AsNoTracking().FirstAsync(r => r.Id == review.LeftSourceRecordId, cancellationToken);
        var right = await db.SourceRecords.AsNoTracking().FirstAsync(r => r.Id == review.RightSourceRecordId, cancellationToken);
        var persons = await db.PersonRecords.AsNoTracking()
            .Where(p => p.SourceRecordId == left.Id || p.SourceRecordId == right.Id)
            .Join(db.Persons, p => p.PersonId, q => q.Id, (p, q) => new { p.SourceRecordId, q.Reference })
            .ToDictionaryAsync(p => p.SourceRecordId, p => p.Reference, cancellationToken);
        audit.Record(db, new AuditEvent(actor, "link.review.show", "link_review", subject, ReviewPurpose));
        await db.SaveChangesAsync(cancellationToken);
        return new ReviewDetail(review, left, right, persons.GetValueOrDefault(left.Id), persons.GetValueOrDefault(right.Id),
            JsonSerializer.Deserialize<ReviewExplanation>(review.Explanation, ExplanationJson)!);
    }

    /// <summary>Decides the pair is one person: the next run links the two records whatever their weight.</summary>
    public Task<LinkReview> AcceptAsync(Actor actor, long reviewId, string reason, CancellationToken cancellationToken = default) =>
        DecideAsync(actor, reviewId, reason, ReviewStatus.Accepted, "link.accept", cancellationToken);

    /// <summary>Decides the pair is two people: no later run puts the two records in one person.</summary>
    public Task<LinkReview> RejectAsync(Actor actor, long reviewId, string reason, CancellationToken cancellationToken = default) =>
        DecideAsync(actor, reviewId, reason, ReviewStatus.Rejected, "link.reject", cancellationToken);

    private async Task<LinkReview> DecideAsync(Actor actor, long reviewId, string reason, ReviewStatus status, string action, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new ArgumentException("A reason is required for every review decision.", nameof(reason));
        }

        var subject = reviewId.ToString(CultureInfo.InvariantCulture);
        await AuthoriseAsync(actor, action, "link_review", subject, ReviewPurpose, cancellationToken);
        var review = await db.LinkReviews.FirstOrDefaultAsync(r => r.Id == reviewId, cancellationToken)
            ?? throw new KeyNotFoundException($"There is no review {subject}.");
        var previous = review.Status;
        review.Status = status;
        review.DecidedBy = actor.UserName;
        review.DecidedUtc = clock.GetUtcNow().UtcDateTime;
        review.Reason = reason.Trim();
        audit.Record(db, new AuditEvent(actor, action, "link_review", subject, ReviewPurpose,
            Detail: previous == ReviewStatus.Pending ? null : "was " + previous.ToString().ToLowerInvariant()));
        await db.SaveChangesAsync(cancellationToken);
        return review;
    }

    private async Task AuthoriseAsync(Actor actor, string action, string subjectType, string? subjectId, string purpose, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor.Is(HearthRole.DataLead))
        {
            return;
        }

        db.ChangeTracker.Clear();
        audit.Record(db, new AuditEvent(actor, action, subjectType, subjectId, purpose, AuditOutcomes.Denied, "requires the DataLead role"));
        await db.SaveChangesAsync(cancellationToken);
        throw new UnauthorizedAccessException($"{action} requires the DataLead role.");
    }

    /// <summary>
    /// Gives each cluster an existing person: claims (cluster, person, records shared) are taken largest first,
    /// ties to the lowest person id then the earliest cluster, each person and cluster once. 0 = new person.
    /// </summary>
    internal static long[] Assign(int clusters, List<(int Cluster, long Person, int Count)> claims)
    {
        var result = new long[clusters];
        var taken = new HashSet<long>();
        foreach (var (cluster, person, _) in claims.OrderByDescending(c => c.Count).ThenBy(c => c.Person).ThenBy(c => c.Cluster))
        {
            if (result[cluster] == 0 && taken.Add(person))
            {
                result[cluster] = person;
            }
        }

        return result;
    }

    private static string Reference(char prefix, long number) =>
        prefix + number.ToString("D7", CultureInfo.InvariantCulture);

    private static async Task<long> NextReferenceAsync(IQueryable<string> references, CancellationToken cancellationToken)
    {
        // References are fixed width, so the greatest sorts last.
        var last = await references.OrderByDescending(r => r).FirstOrDefaultAsync(cancellationToken);
        return last is null ? 1 : long.Parse(last.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture) + 1;
    }

    private async Task<int> UpdateReviewQueueAsync(
        StoreLinkageOutcome outcome, StoreRecords records, double reviewWeight, long runId, CancellationToken cancellationToken)
    {
        var rep = outcome.Clusters.Representative;
        var queue = new Dictionary<(long, long), (int L, int R, double W)>();
        for (var i = 0; i < outcome.Pairs.Count; i++)
        {
            var w = outcome.Weights[i];
            var (l, r) = (outcome.Pairs.Left[i], outcome.Pairs.Right[i]);
            if (w >= reviewWeight && w < outcome.ThresholdWeight && rep[l] != rep[r])
            {
                var a = StoreRecords.SourceRecordId(records.Members[l][0]);
                var b = StoreRecords.SourceRecordId(records.Members[r][0]);
                queue[(Math.Min(a, b), Math.Max(a, b))] = a < b ? (l, r, w) : (r, l, w);
            }
        }

        var reviews = await db.LinkReviews.ToListAsync(cancellationToken);
        var byPair = reviews.ToDictionary(r => (r.LeftSourceRecordId, r.RightSourceRecordId));
        var pending = 0;
        foreach (var ((a, b), (l, r, w)) in queue.OrderBy(q => q.Key))
        {
            var explanation = Explain(outcome, l, r);
            if (byPair.TryGetValue((a, b), out var review))
            {
                review.LastRunId = runId;
                review.MatchWeight = explanation.Total;
                review.MatchProbability = FellegiSunter.ProbabilityOf(explanation.Total);
                review.Explanation = JsonSerializer.Serialize(explanation, ExplanationJson);
            }
            else
            {
                db.LinkReviews.Add(new LinkReview
                {
                    LeftSourceRecordId = a,
                    RightSourceRecordId = b,
                    MatchWeight = explanation.Total,
                    MatchProbability = FellegiSunter.ProbabilityOf(explanation.Total),
                    Explanation = JsonSerializer.Serialize(explanation, ExplanationJson),
                    Status = ReviewStatus.Pending,
                    FirstRunId = runId,
                    LastRunId = runId,
                });
            }

            if (review is null or { Status: ReviewStatus.Pending })
            {
                pending++;
            }
        }

        // Pending pairs this run no longer puts in the band (linked elsewhere, or weaker now) leave the queue.
        foreach (var stale in reviews.Where(r => r.Status == ReviewStatus.Pending && !queue.ContainsKey((r.LeftSourceRecordId, r.RightSourceRecordId))))
        {
            db.LinkReviews.Remove(stale);
        }

        await db.SaveChangesAsync(cancellationToken);
        return pending;
    }

    private static ReviewExplanation Explain(StoreLinkageOutcome outcome, int left, int right)
    {
        var e = outcome.Engine.Explain(outcome.Model, left, right);
        return new ReviewExplanation(e.PriorWeight, [.. e.Terms.Select(t => new ReviewTerm(t.Comparison, t.Level, t.LevelLabel, t.PartialWeight, t.TermFrequencyAdjustment))], e.MatchWeight);
    }

    private async Task<DateOnly?> LatestEventDateAsync(CancellationToken cancellationToken) =>
        await db.Events.MaxAsync(e => (DateOnly?)e.StartDate, cancellationToken);

    private async Task<List<AddressObservation>> ObservationsAsync(Dictionary<long, long> personOf, CancellationToken cancellationToken)
    {
        var dates = await db.Events.AsNoTracking()
            .GroupBy(e => e.SourceRecordId)
            .Select(g => new { Id = g.Key, First = g.Min(e => e.StartDate), Last = g.Max(e => e.EndDate ?? e.StartDate) })
            .ToDictionaryAsync(d => d.Id, cancellationToken);
        var rows = await db.SourceRecords.AsNoTracking()
            .Select(r => new { r.Id, r.AgencyId, r.Uprn, r.Address, r.Postcode, r.FamilyName, r.DateOfBirth })
            .ToListAsync(cancellationToken);
        var result = new List<AddressObservation>(rows.Count);
        foreach (var r in rows)
        {
            if (!personOf.TryGetValue(r.Id, out var person) || !dates.TryGetValue(r.Id, out var d))
            {
                continue;
            }

            result.Add(new AddressObservation(person, r.AgencyId, r.Uprn, r.Address, r.Postcode, r.FamilyName, r.DateOfBirth, d.First, d.Last));
        }

        return result;
    }

    private async Task<(Dictionary<string, long> FamilyOfDwelling, int RetiredFamilies)> SaveHouseholdsAsync(
        HouseholdBuild build, DateTime now, CancellationToken cancellationToken)
    {
        // Households are dwellings: found again by UPRN, or by address and postcode.
        var householdOf = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var h in await db.Households.AsNoTracking().OrderBy(h => h.Id).ToListAsync(cancellationToken))
        {
            var key = h.Uprn is not null ? "U:" + h.Uprn : h.Address is not null && h.Postcode is not null ? "A:" + HouseholdBuilder.AddressKey(h.Address, h.Postcode) : null;
            if (key is not null)
            {
                householdOf.TryAdd(key, h.Id);
            }
        }

        var maxHousehold = await db.Households.MaxAsync(h => (long?)h.Id, cancellationToken) ?? 0;
        var nextHousehold = await NextReferenceAsync(db.Households.Select(h => h.Reference), cancellationToken);
        var newHouseholds = new List<object?[]>();
        foreach (var key in build.Residences.Select(r => r.DwellingKey).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            if (!householdOf.ContainsKey(key))
            {
                var d = build.Dwellings[key];
                householdOf[key] = ++maxHousehold;
                newHouseholds.Add([maxHousehold, Reference('H', nextHousehold++), d.Uprn, d.Postcode, d.Address, now]);
            }
        }

        await LinkageStoreWriter.InsertAsync(db, "households", HouseholdColumns, newHouseholds, cancellationToken);
        await LinkageStoreWriter.ResetIdentityAsync(db, "households", cancellationToken);
        await db.HouseholdMembers.ExecuteDeleteAsync(cancellationToken);
        await LinkageStoreWriter.InsertAsync(db, "household_members", HouseholdMemberColumns,
            build.Residences.Select(r => new object?[] { householdOf[r.DwellingKey], r.PersonId, r.From, r.To, r.Evidence }), cancellationToken);

        // Families keep the reference of the existing family sharing most of their members.
        var current = await db.FamilyMembers.AsNoTracking()
            .Join(db.Families.Where(f => f.RetiredUtc == null), m => m.FamilyId, f => f.Id, (m, f) => new { m.FamilyId, m.PersonId })
            .ToListAsync(cancellationToken);
        var familyOfPerson = current.GroupBy(m => m.PersonId).ToDictionary(g => g.Key, g => g.Min(m => m.FamilyId));
        var claims = new List<(int, long, int)>();
        for (var f = 0; f < build.Families.Count; f++)
        {
            foreach (var g in build.Families[f].Members.Where(m => familyOfPerson.ContainsKey(m.PersonId)).GroupBy(m => familyOfPerson[m.PersonId]))
            {
                claims.Add((f, g.Key, g.Count()));
            }
        }

        var familyIds = Assign(build.Families.Count, claims);
        var maxFamily = await db.Families.MaxAsync(f => (long?)f.Id, cancellationToken) ?? 0;
        var nextFamily = await NextReferenceAsync(db.Families.Select(f => f.Reference), cancellationToken);
        var newFamilies = new List<object?[]>();
        var familyOfDwelling = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var f = 0; f < familyIds.Length; f++)
        {
            var household = householdOf[build.Families[f].DwellingKey];
            if (familyIds[f] == 0)
            {
                familyIds[f] = ++maxFamily;
                newFamilies.Add([maxFamily, Reference('F', nextFamily++), household, now]);
            }

            familyOfDwelling[build.Families[f].DwellingKey] = familyIds[f];
        }

        await LinkageStoreWriter.InsertAsync(db, "families", FamilyColumns, newFamilies, cancellationToken);
        await LinkageStoreWriter.ResetIdentityAsync(db, "families", cancellationToken);

        // Families that keep their reference move with their people; families left with nobody are retired.
        var kept = familyIds.Select((id, f) => (id, f)).ToDictionary(x => x.id, x => householdOf[build.Families[x.f].DwellingKey]);
        var retiredFamilies = 0;
        foreach (var family in await db.Families.Where(f => f.RetiredUtc == null).ToListAsync(cancellationToken))
        {
            if (kept.TryGetValue(family.Id, out var household))
            {
                family.HouseholdId = household;
            }
            else
            {
                family.RetiredUtc = now;
                retiredFamilies++;
            }
        }

        await db.FamilyMembers.ExecuteDeleteAsync(cancellationToken);
        await LinkageStoreWriter.InsertAsync(db, "family_members", FamilyMemberColumns,
            build.Families.SelectMany((family, f) => family.Members.Select(m => new object?[]
            {
                familyIds[f], m.PersonId, m.Role.ToString(), m.Relationship, m.From, null,
            })), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return (familyOfDwelling, retiredFamilies);
    }
}
