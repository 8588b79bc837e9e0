using System.Globalization;
using Hearth.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Core.Programmes;

/// <summary>Counts of one confusion table: right, extra (found but not true) and missed.</summary>
public readonly record struct Confusion(int Tp, int Fp, int Fn)
{
    public double? Precision => Tp + Fp == 0 ? null : (double)Tp / (Tp + Fp);

    public double? Recall => Tp + Fn == 0 ? null : (double)Tp / (Tp + Fn);

    public Confusion Add(bool found, bool truly) => new(Tp + (found && truly ? 1 : 0), Fp + (found && !truly ? 1 : 0), Fn + (!found && truly ? 1 : 0));
}

/// <summary>
/// What "truly in need" means for one framework, from its published definition (docs/domain-research.md §7):
/// which of the generator's true needs stand behind each headline and how far back the headline's descriptor
/// looks, how many needs or headlines make a family eligible, and whether the family must have a dependent child
/// or expectant parent. Written from the published rules, never from the rules engine's code or output.
/// </summary>
public sealed record TruthProfile(
    string Name,
    int MinCount,
    bool CountHeadlines,
    bool RequiresDependentChild,
    IReadOnlyDictionary<string, HeadlineTruth> Headlines)
{
    /// <summary>Describes the profile in one line for reports.</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{Name}: truly in need with at least {MinCount} {(CountHeadlines ? "headlines" : "distinct true needs")}{(RequiresDependentChild ? " and a dependent child (under 18) or expectant parent on the date" : string.Empty)}");
}

/// <summary>
/// The true needs behind one headline and the look-back of its published descriptor: a need counts when one of
/// its episodes overlaps the last <see cref="LookBackMonths"/> months up to the as-of date (0: on the date itself).
/// </summary>
public sealed record HeadlineTruth(string[] Needs, int LookBackMonths);

/// <summary>Identification against the synthetic borough's true needs: per family, per headline, per true need and by cause.</summary>
public sealed record IdentificationTruthCheck(
    string FrameworkId,
    DateOnly AsOf,
    TruthProfile Profile,
    int FamiliesCompared,
    int FamiliesUnmatched,
    int TruePositives,
    int FalsePositives,
    int FalseNegatives,
    int UnknownDecisions,
    IReadOnlyDictionary<string, (int Tp, int Fp, int Fn)> ByHeadline,
    IReadOnlyDictionary<string, int> Causes,
    IReadOnlyDictionary<string, (int Active, int Raised)> ByTrueNeed)
{
    /// <summary>Of the families found eligible, the share that truly had enough needs; null when none were found.</summary>
    public double? Precision => TruePositives + FalsePositives == 0 ? null : (double)TruePositives / (TruePositives + FalsePositives);

    /// <summary>Of the families that truly had enough needs, the share found eligible; null when there were none.</summary>
    public double? Recall => TruePositives + FalseNegatives == 0 ? null : (double)TruePositives / (TruePositives + FalseNegatives);

    /// <summary>Families found eligible (right plus extra).</summary>
    public int Found => TruePositives + FalsePositives;

    /// <summary>Families truly in need (right plus missed).</summary>
    public int TrulyInNeed => TruePositives + FalseNegatives;

    public string Describe()
    {
        static string P(double? v) => v is { } x ? x.ToString("P1", CultureInfo.InvariantCulture) : "n/a";
        var lines = new List<string>
        {
            $"{FrameworkId} as of {AsOf:yyyy-MM-dd}: {FamiliesCompared} families compared with the truth ({FamiliesUnmatched} store families had no true family of their own)",
            $"  truth: {Profile.Describe()}",
            $"  families: {TruePositives} correctly found, {FalsePositives} found but not truly in need, {FalseNegatives} missed, {UnknownDecisions} unknown (counted as not found); precision {P(Precision)}, recall {P(Recall)}",
        };
        foreach (var (headline, (tp, fp, fn)) in ByHeadline.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            lines.Add($"  headline {headline}: precision {P(tp + fp == 0 ? null : (double)tp / (tp + fp))}, recall {P(tp + fn == 0 ? null : (double)tp / (tp + fn))} ({tp} right, {fp} extra, {fn} missed)");
        }

        foreach (var (need, (active, raised)) in ByTrueNeed.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            lines.Add($"  true need {need}: {active} families, its headline raised for {raised} ({P(active == 0 ? null : (double)raised / active)})");
        }

        foreach (var (cause, n) in Causes.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            lines.Add($"  cause {cause}: {n}");
        }

        return string.Join('\n', lines) + "\n";
    }
}

/// <summary>
/// The synthetic borough's truth files (docs/synthetic-borough.md) as a yardstick for identification, and as a
/// "perfect linkage" that fills persons and families straight from the truth so identification can be measured
/// on perfect and on engine linkage alike.
/// </summary>
public static class BoroughTruth
{
    /// <summary>
    /// Which true needs (truth/needs.csv) stand behind each framework headline. A headline not listed (TF1's local
    /// discretion) is not compared.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string[]> TrueNeedsOfHeadline = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        // Supporting Families 2022
        ["education"] = ["education"],
        ["early_years"] = ["early_years"],
        ["health"] = ["health", "mental_health"],
        ["substance_use"] = ["substance"],
        ["family_relationships"] = ["family_relationships"],
        ["children_safe"] = ["safeguarding"],
        ["crime"] = ["crime"],
        ["domestic_abuse"] = ["domestic_abuse"],
        ["housing"] = ["housing"],
        ["financial_stability"] = ["financial", "worklessness"],

        // Troubled Families 2012 and 2015
        ["crime_asb"] = ["crime"],
        ["work"] = ["worklessness"],
        ["school"] = ["education"],
        ["children_need_help"] = ["safeguarding"],
        ["worklessness"] = ["worklessness", "financial"],
    };

    /// <summary>The look-back of descriptors that speak of "the last 12 months" or "the last 3 terms" (a school year).</summary>
    private const int YearLookBack = 12;

    /// <summary>
    /// The truth each shipped framework's published definition gives (docs/domain-research.md §7), by framework id.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, TruthProfile> PublishedProfiles = new Dictionary<string, TruthProfile>(StringComparer.Ordinal)
    {
        // G1: dependent children or expectant parents; G3: at least three family needs (distinct descriptors, so
        // physical and mental health, or worklessness and financial difficulty, are two needs); G2 descriptors: the
        // last 12 months or 3 terms, a plan, homelessness, arrears or a benefit on the date.
        ["supporting-families-2022"] = new("Supporting Families 2022 (G1, G2, G3)", 3, CountHeadlines: false, RequiresDependentChild: true,
            new Dictionary<string, HeadlineTruth>(StringComparer.Ordinal)
            {
                ["education"] = new(["education"], YearLookBack),
                ["early_years"] = new(["early_years"], YearLookBack),
                ["health"] = new(["health", "mental_health"], YearLookBack),
                ["substance_use"] = new(["substance"], YearLookBack),
                ["family_relationships"] = new(["family_relationships"], YearLookBack),
                ["children_safe"] = new(["safeguarding"], 0),
                ["crime"] = new(["crime"], YearLookBack),
                ["domestic_abuse"] = new(["domestic_abuse"], YearLookBack),
                ["housing"] = new(["housing"], 0),
                ["financial_stability"] = new(["financial", "worklessness"], 0),
            }),

        // F1: at least two of the six headline problems, with the example indicators' windows (F2).
        ["troubled-families-2015"] = new("Troubled Families 2015 (F1, F2)", 2, CountHeadlines: true, RequiresDependentChild: false,
            new Dictionary<string, HeadlineTruth>(StringComparer.Ordinal)
            {
                ["crime_asb"] = new(["crime"], YearLookBack),
                ["school"] = new(["education"], YearLookBack),
                ["children_need_help"] = new(["safeguarding"], YearLookBack),
                ["worklessness"] = new(["worklessness", "financial"], 0),
                ["domestic_abuse"] = new(["domestic_abuse"], YearLookBack),
                ["health"] = new(["health", "mental_health", "substance"], YearLookBack),
            }),

        // B1-B3, B5: all three national criteria (local discretion is not in the truth), offences in the last
        // 12 months, school over 3 terms, an out-of-work benefit on the date.
        ["troubled-families-2012"] = new("Troubled Families 2012 (B1, B2, B3, B5)", 3, CountHeadlines: true, RequiresDependentChild: false,
            new Dictionary<string, HeadlineTruth>(StringComparer.Ordinal)
            {
                ["crime_asb"] = new(["crime"], YearLookBack),
                ["education"] = new(["education"], YearLookBack),
                ["work"] = new(["worklessness"], 0),
            }),
    };

    /// <summary>
    /// The earlier yardstick: a family truly in need when at least <paramref name="minTrueHeadlines"/> of the
    /// framework's headlines have a true need active on the as-of date itself, with no look-back and no test for
    /// dependent children. Kept to show what the published definitions change.
    /// </summary>
    public static TruthProfile OnDateProfile(Framework framework, int minTrueHeadlines)
    {
        ArgumentNullException.ThrowIfNull(framework);
        return new TruthProfile("true needs on the date (no look-back, no dependent-child test)", minTrueHeadlines, CountHeadlines: true, RequiresDependentChild: false,
            framework.Headlines.Where(h => TrueNeedsOfHeadline.ContainsKey(h.Id))
                .ToDictionary(h => h.Id, h => new HeadlineTruth(TrueNeedsOfHeadline[h.Id], 0), StringComparer.Ordinal));
    }

    /// <summary>
    /// The truth for <paramref name="framework"/>: its published profile when it is a shipped framework, else the
    /// headline table with a 12-month look-back and the framework's <c>min_needs</c> (else 2) headlines.
    /// </summary>
    public static TruthProfile ProfileFor(Framework framework)
    {
        ArgumentNullException.ThrowIfNull(framework);
        if (PublishedProfiles.TryGetValue(framework.Id, out var profile))
        {
            return profile;
        }

        var min = framework.Parameters.TryGetValue("min_needs", out var p) && int.TryParse(p.Text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 2;
        return OnDateProfile(framework, min) with { Name = "headline table with a 12-month look-back", Headlines = framework.Headlines.Where(h => TrueNeedsOfHeadline.ContainsKey(h.Id))
            .ToDictionary(h => h.Id, h => new HeadlineTruth(TrueNeedsOfHeadline[h.Id], YearLookBack), StringComparer.Ordinal) };
    }

    /// <summary>Compares with the earlier on-the-date yardstick (<see cref="OnDateProfile"/>).</summary>
    public static IdentificationTruthCheck Check(
        Framework framework,
        DateOnly asOf,
        IEnumerable<IdentificationResult> results,
        string truthDir,
        int minTrueHeadlines,
        IReadOnlyDictionary<string, string>? trueFamilyOf = null) =>
        Check(framework, asOf, results, truthDir, OnDateProfile(framework, minTrueHeadlines), trueFamilyOf);

    /// <summary>
    /// Compares identification results (by family reference) with the truth as <paramref name="profile"/> defines
    /// it on the as-of date, per family, per headline and per true need, and counts every disagreement by cause.
    /// Store families are matched to true families by <paramref name="trueFamilyOf"/> when it is given (engine
    /// references have the same form as the truth's ids, so a reference alone proves nothing), else by reference
    /// (perfect linkage); a true family several store families map to is compared
    /// once (the first), and the others count as unmatched.
    /// </summary>
    public static IdentificationTruthCheck Check(
        Framework framework,
        DateOnly asOf,
        IEnumerable<IdentificationResult> results,
        string truthDir,
        TruthProfile profile,
        IReadOnlyDictionary<string, string>? trueFamilyOf = null)
    {
        ArgumentNullException.ThrowIfNull(framework);
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(profile);
        var truth = TrueFamilies.Load(truthDir, asOf, profile);
        var headlines = framework.Headlines.Select(h => h.Id).Where(profile.Headlines.ContainsKey).ToList();
        var byHeadline = headlines.ToDictionary(h => h, _ => new Confusion(), StringComparer.Ordinal);
        var byNeed = new Dictionary<string, (int Active, int Raised)>(StringComparer.Ordinal);
        var causes = new Dictionary<string, int>(StringComparer.Ordinal);
        void Cause(string c) => causes[c] = causes.GetValueOrDefault(c) + 1;
        var family = new Confusion();
        int compared = 0, unmatched = 0, unknown = 0;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var r in results)
        {
            // Engine references look like the truth's ids (F + 7 digits) without being them: with a mapping, only
            // the mapping says which true family a store family is.
            var truthId = trueFamilyOf is null ? (truth.Families.Contains(r.FamilyId) ? r.FamilyId : null) : trueFamilyOf.GetValueOrDefault(r.FamilyId);
            if (truthId is null || !seen.Add(truthId))
            {
                unmatched++;
                if (r.Eligible == Truth.True)
                {
                    Cause(truthId is null ? "family extra: store family with no true family behind it (linkage)" : "family extra: a second store family for one true family (linkage split it)");
                    family = family.Add(true, false);
                }

                continue;
            }

            compared++;
            var raised = r.Headlines;
            var t = truth.Assess(truthId, headlines, profile);
            var found = r.Eligible == Truth.True;
            unknown += r.Eligible == Truth.Unknown ? 1 : 0;
            family = family.Add(found, t.InNeed);
            if (found && !t.InNeed)
            {
                Cause(t.Count >= profile.MinCount
                    ? "family extra: enough true needs but no dependent child or expectant parent in the truth"
                    : "family extra: needs raised without enough true needs behind them");
            }
            else if (!found && t.InNeed)
            {
                Cause(r.Eligible == Truth.Unknown ? "family missed: decision unknown (data missing)"
                    : !t.HasChild ? "family missed: expectant parents only (the store holds no expectant parents)"
                    : "family missed: the data shows fewer needs than are true");
            }

            foreach (var h in headlines)
            {
                var isRaised = raised.GetValueOrDefault(h) == Truth.True;
                var isTrue = t.Headlines.Contains(h);
                byHeadline[h] = byHeadline[h].Add(isRaised, isTrue);
                if (isRaised && !isTrue)
                {
                    Cause($"headline {h} extra: " + (truth.ActiveWithin(truthId, profile.Headlines[h].Needs, YearLookBack)
                        ? "a true need in the last 12 months, not in the truth's window"
                        : "no true need in the last 12 months"));
                }
                else if (!isRaised && isTrue)
                {
                    Cause($"headline {h} missed: " + (raised.GetValueOrDefault(h) == Truth.Unknown ? "unknown (data missing)"
                        : "the data does not show " + string.Join(" or ", profile.Headlines[h].Needs.Where(t.Needs.Contains))));
                }

                foreach (var need in profile.Headlines[h].Needs.Where(t.Needs.Contains))
                {
                    var c = byNeed.GetValueOrDefault(need);
                    byNeed[need] = (c.Active + 1, c.Raised + (isRaised ? 1 : 0));
                }
            }
        }

        // True families the store never produced count as missed when they were truly in need.
        if (trueFamilyOf is null || trueFamilyOf.Count > 0)
        {
            foreach (var f in truth.Families.Where(f => !seen.Contains(f)))
            {
                if (truth.Assess(f, headlines, profile).InNeed)
                {
                    family = family.Add(false, true);
                    Cause("family missed: no store family for the true family (linkage)");
                }
            }
        }

        return new IdentificationTruthCheck(framework.Id, asOf, profile, compared, unmatched, family.Tp, family.Fp, family.Fn, unknown,
            byHeadline.ToDictionary(kv => kv.Key, kv => (kv.Value.Tp, kv.Value.Fp, kv.Value.Fn), StringComparer.Ordinal), causes, byNeed);
    }

    /// <summary>The truth files read once for one as-of date.</summary>
    private sealed class TrueFamilies
    {
        private readonly Dictionary<string, List<(string Need, DateOnly From, DateOnly To)>> _episodes = new(StringComparer.Ordinal);
        private readonly HashSet<string> _withChild = new(StringComparer.Ordinal);
        private readonly HashSet<string> _expectant = new(StringComparer.Ordinal);
        private DateOnly _asOf;

        public HashSet<string> Families { get; } = new(StringComparer.Ordinal);

        public static TrueFamilies Load(string truthDir, DateOnly asOf, TruthProfile profile)
        {
            var t = new TrueFamilies { _asOf = asOf };
            foreach (var row in ReadCsv(Path.Combine(truthDir, "needs.csv")))
            {
                var from = ParseDate(row["from"]);
                var to = row["to"].Length == 0 ? DateOnly.MaxValue : ParseDate(row["to"]);
                if (!t._episodes.TryGetValue(row["family_id"], out var list))
                {
                    t._episodes[row["family_id"]] = list = [];
                }

                list.Add((row["need"], from, to));
            }

            var dob = profile.RequiresDependentChild
                ? ReadCsv(Path.Combine(truthDir, "persons.csv")).ToDictionary(r => r["person_id"], r => ParseDate(r["dob"]), StringComparer.Ordinal)
                : [];
            foreach (var row in ReadCsv(Path.Combine(truthDir, "households.csv")))
            {
                var f = row["family_id"];
                t.Families.Add(f);
                if (!profile.RequiresDependentChild || !dob.TryGetValue(row["person_id"], out var born))
                {
                    continue;
                }

                var from = ParseDate(row["from"]);
                var to = row["to"].Length == 0 ? DateOnly.MaxValue : ParseDate(row["to"]);
                if (from <= asOf && asOf <= to && born <= asOf && born.AddYears(18) > asOf)
                {
                    t._withChild.Add(f);
                }

                // Expectant: a baby born into the family (joining on its birth day) from 13 weeks into the
                // pregnancy, that is within 196 days (40 weeks less 12) after the date.
                if (row["role"] == "child" && from == born && born > asOf && born.DayNumber - asOf.DayNumber <= 196)
                {
                    t._expectant.Add(f);
                }
            }

            return t;
        }

        public bool ActiveWithin(string family, IEnumerable<string> needs, int months)
        {
            var start = months == 0 ? _asOf : _asOf.AddMonths(-months).AddDays(1);
            var list = _episodes.GetValueOrDefault(family);
            return list is not null && needs.Any(n => list.Any(e => e.Need == n && e.From <= _asOf && e.To >= start));
        }

        public (bool InNeed, bool HasChild, int Count, HashSet<string> Headlines, HashSet<string> Needs) Assess(string family, List<string> headlines, TruthProfile profile)
        {
            var trueHeadlines = new HashSet<string>(StringComparer.Ordinal);
            var trueNeeds = new HashSet<string>(StringComparer.Ordinal);
            foreach (var h in headlines)
            {
                foreach (var need in profile.Headlines[h].Needs)
                {
                    if (ActiveWithin(family, [need], profile.Headlines[h].LookBackMonths))
                    {
                        trueNeeds.Add(need);
                        trueHeadlines.Add(h);
                    }
                }
            }

            var count = profile.CountHeadlines ? trueHeadlines.Count : trueNeeds.Count;
            var hasChild = _withChild.Contains(family);
            var scoped = !profile.RequiresDependentChild || hasChild || _expectant.Contains(family);
            return (scoped && count >= profile.MinCount, hasChild || !profile.RequiresDependentChild, count, trueHeadlines, trueNeeds);
        }
    }

    private static DateOnly ParseDate(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>
    /// For engine-linked stores: the true family behind each store family, by majority of its members' source
    /// records (agency record ids looked up in truth/records.csv, then truth/persons.csv).
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, string>> TrueFamiliesAsync(HearthDb db, string truthDir, IReadOnlyDictionary<string, string> agencyOfExtract, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(agencyOfExtract);
        var personOfRecord = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var row in ReadCsv(Path.Combine(truthDir, "records.csv")))
        {
            if (agencyOfExtract.TryGetValue(row["extract"], out var agency))
            {
                personOfRecord[agency + ":" + row["record_id"]] = row["person_id"];
            }
        }

        var familyOfPerson = ReadCsv(Path.Combine(truthDir, "persons.csv")).ToDictionary(r => r["person_id"], r => r["family_id"], StringComparer.Ordinal);
        var rows = await (from f in db.Families.AsNoTracking()
                          join m in db.FamilyMembers.AsNoTracking() on f.Id equals m.FamilyId
                          join pr in db.PersonRecords.AsNoTracking() on m.PersonId equals pr.PersonId
                          join sr in db.SourceRecords.AsNoTracking() on pr.SourceRecordId equals sr.Id
                          select new { f.Reference, sr.AgencyId, sr.AgencyRecordId }).ToListAsync(ct).ConfigureAwait(false);
        return rows.GroupBy(r => r.Reference, StringComparer.Ordinal)
            .Select(g => (g.Key, Truth: g.Select(r => personOfRecord.GetValueOrDefault(r.AgencyId + ":" + r.AgencyRecordId))
                .Select(p => p is null ? null : familyOfPerson.GetValueOrDefault(p))
                .Where(x => x is not null).GroupBy(x => x!, StringComparer.Ordinal)
                .OrderByDescending(x => x.Count()).ThenBy(x => x.Key, StringComparer.Ordinal).Select(x => x.Key).FirstOrDefault()))
            .Where(x => x.Truth is not null)
            .ToDictionary(x => x.Key, x => x.Truth!, StringComparer.Ordinal);
    }

    /// <summary>
    /// Perfect linkage: fills persons, person records and families straight from the truth files (persons and
    /// families keep the truth's ids as references). For tests and benchmarks on a store whose person and family
    /// tables are empty. Returns the number of persons and families written.
    /// </summary>
    public static async Task<(int Persons, int Families, int RecordsLinked)> FillPerfectLinkageAsync(
        HearthDb db, string truthDir, IReadOnlyDictionary<string, string> agencyOfExtract, TimeProvider clock, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(agencyOfExtract);
        ArgumentNullException.ThrowIfNull(clock);
        var now = clock.GetUtcNow().UtcDateTime;
        var run = new LinkageRun
        {
            StartedUtc = now,
            CompletedUtc = now,
            StartedBy = "truth",
            SettingsYaml = "# perfect linkage: persons and families from the synthetic borough's truth files\n",
        };
        db.LinkageRuns.Add(run);
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        db.ChangeTracker.AutoDetectChangesEnabled = false;

        var persons = new Dictionary<string, Person>(StringComparer.Ordinal);
        foreach (var row in ReadCsv(Path.Combine(truthDir, "persons.csv")))
        {
            var p = new Person { Reference = row["person_id"], CreatedUtc = now, CreatedByRunId = run.Id };
            persons[p.Reference] = p;
            db.Persons.Add(p);
        }

        var families = new Dictionary<string, Family>(StringComparer.Ordinal);
        var memberRows = ReadCsv(Path.Combine(truthDir, "households.csv")).ToList();
        foreach (var id in memberRows.Select(r => r["family_id"]).Distinct(StringComparer.Ordinal))
        {
            var f = new Family { Reference = id, CreatedUtc = now };
            families[id] = f;
            db.Families.Add(f);
        }

        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        db.ChangeTracker.Clear();
        foreach (var row in memberRows)
        {
            if (!persons.TryGetValue(row["person_id"], out var person))
            {
                continue;
            }

            db.FamilyMembers.Add(new FamilyMember
            {
                FamilyId = families[row["family_id"]].Id,
                PersonId = person.Id,
                Role = row["role"] is "child" or "stepchild" ? FamilyRole.Child : FamilyRole.Adult,
                Relationship = row["role"],
                From = Date(row["from"]),
                To = Date(row["to"]),
            });
        }

        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        db.ChangeTracker.Clear();

        var personOfRecord = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var row in ReadCsv(Path.Combine(truthDir, "records.csv")))
        {
            if (agencyOfExtract.TryGetValue(row["extract"], out var agency))
            {
                personOfRecord[agency + ":" + row["record_id"]] = row["person_id"];
            }
        }

        var linked = 0;
        var records = await db.SourceRecords.AsNoTracking().Select(s => new { s.Id, s.AgencyId, s.AgencyRecordId }).ToListAsync(ct).ConfigureAwait(false);
        foreach (var chunk in records.Chunk(20_000))
        {
            foreach (var r in chunk)
            {
                if (personOfRecord.TryGetValue(r.AgencyId + ":" + r.AgencyRecordId, out var pid) && persons.TryGetValue(pid, out var person))
                {
                    db.PersonRecords.Add(new PersonRecord { SourceRecordId = r.Id, PersonId = person.Id, Method = LinkMethod.Founding, LinkageRunId = run.Id, LinkedUtc = now });
                    linked++;
                }
            }

            await db.SaveChangesAsync(ct).ConfigureAwait(false);
            db.ChangeTracker.Clear();
        }

        db.ChangeTracker.AutoDetectChangesEnabled = true;
        return (persons.Count, families.Count, linked);
    }

    private static DateOnly? Date(string text) =>
        text.Length == 0 ? null : DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static IEnumerable<Dictionary<string, string>> ReadCsv(string path)
    {
        using var reader = new StreamReader(path);
        string[]? header = null;
        foreach (var (_, fields) in CsvRecords.Read(reader))
        {
            if (header is null)
            {
                header = fields;
                continue;
            }

            var row = new Dictionary<string, string>(header.Length, StringComparer.Ordinal);
            for (var i = 0; i < header.Length; i++)
            {
                row[header[i]] = i < fields.Length ? fields[i] : string.Empty;
            }

            yield return row;
        }
    }
}
