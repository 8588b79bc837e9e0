using System.Globalization;
using Hearth.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Core.Programmes;

/// <summary>Identification against the synthetic borough's true needs: per family and per headline.</summary>
public sealed record IdentificationTruthCheck(
    string FrameworkId,
    DateOnly AsOf,
    int FamiliesCompared,
    int FamiliesUnmatched,
    int TruePositives,
    int FalsePositives,
    int FalseNegatives,
    int UnknownDecisions,
    IReadOnlyDictionary<string, (int Tp, int Fp, int Fn)> ByHeadline)
{
    /// <summary>Of the families found eligible, the share that truly had enough needs; null when none were found.</summary>
    public double? Precision => TruePositives + FalsePositives == 0 ? null : (double)TruePositives / (TruePositives + FalsePositives);

    /// <summary>Of the families that truly had enough needs, the share found eligible; null when there were none.</summary>
    public double? Recall => TruePositives + FalseNegatives == 0 ? null : (double)TruePositives / (TruePositives + FalseNegatives);

    public string Describe()
    {
        static string P(double? v) => v is { } x ? x.ToString("P1", CultureInfo.InvariantCulture) : "n/a";
        var lines = new List<string>
        {
            $"{FrameworkId} as of {AsOf:yyyy-MM-dd}: {FamiliesCompared} families compared with the truth ({FamiliesUnmatched} store families had no true family)",
            $"  families: {TruePositives} correctly found, {FalsePositives} found but not truly in need, {FalseNegatives} missed, {UnknownDecisions} unknown (counted as not found); precision {P(Precision)}, recall {P(Recall)}",
        };
        foreach (var (headline, (tp, fp, fn)) in ByHeadline.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            lines.Add($"  headline {headline}: precision {P(tp + fp == 0 ? null : (double)tp / (tp + fp))}, recall {P(tp + fn == 0 ? null : (double)tp / (tp + fn))} ({tp} right, {fp} extra, {fn} missed)");
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

    /// <summary>
    /// Compares identification results (by family reference) with the true needs on the as-of date. A family is
    /// truly in need when at least <paramref name="minTrueHeadlines"/> of the framework's compared headlines have
    /// a true need. Store families are matched to true families by reference when the references are the truth's
    /// (perfect linkage), else by <paramref name="trueFamilyOf"/>.
    /// </summary>
    public static IdentificationTruthCheck Check(
        Framework framework,
        DateOnly asOf,
        IEnumerable<IdentificationResult> results,
        string truthDir,
        int minTrueHeadlines,
        IReadOnlyDictionary<string, string>? trueFamilyOf = null)
    {
        ArgumentNullException.ThrowIfNull(framework);
        ArgumentNullException.ThrowIfNull(results);
        var active = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var row in ReadCsv(Path.Combine(truthDir, "needs.csv")))
        {
            var from = DateOnly.ParseExact(row["from"], "yyyy-MM-dd", CultureInfo.InvariantCulture);
            var to = row["to"].Length == 0 ? DateOnly.MaxValue : DateOnly.ParseExact(row["to"], "yyyy-MM-dd", CultureInfo.InvariantCulture);
            if (from <= asOf && asOf <= to)
            {
                if (!active.TryGetValue(row["family_id"], out var set))
                {
                    active[row["family_id"]] = set = new HashSet<string>(StringComparer.Ordinal);
                }

                set.Add(row["need"]);
            }
        }

        var families = ReadCsv(Path.Combine(truthDir, "households.csv")).Select(r => r["family_id"]).ToHashSet(StringComparer.Ordinal);
        var headlines = framework.Headlines.Select(h => h.Id).Where(TrueNeedsOfHeadline.ContainsKey).ToList();
        var byHeadline = headlines.ToDictionary(h => h, _ => (Tp: 0, Fp: 0, Fn: 0), StringComparer.Ordinal);
        int compared = 0, unmatched = 0, tp = 0, fp = 0, fn = 0, unknown = 0;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var r in results)
        {
            var truthId = families.Contains(r.FamilyId) ? r.FamilyId : trueFamilyOf?.GetValueOrDefault(r.FamilyId);
            if (truthId is null || !seen.Add(truthId))
            {
                unmatched++;
                continue;
            }

            compared++;
            var needs = active.GetValueOrDefault(truthId) ?? [];
            var trueHeadlines = headlines.Where(h => TrueNeedsOfHeadline[h].Any(needs.Contains)).ToHashSet(StringComparer.Ordinal);
            var truly = trueHeadlines.Count >= minTrueHeadlines;
            var found = r.Eligible == Truth.True;
            unknown += r.Eligible == Truth.Unknown ? 1 : 0;
            (tp, fp, fn) = (tp + (found && truly ? 1 : 0), fp + (found && !truly ? 1 : 0), fn + (!found && truly ? 1 : 0));
            var raised = r.Headlines;
            foreach (var h in headlines)
            {
                var isRaised = raised.GetValueOrDefault(h) == Truth.True;
                var isTrue = trueHeadlines.Contains(h);
                var c = byHeadline[h];
                byHeadline[h] = (c.Tp + (isRaised && isTrue ? 1 : 0), c.Fp + (isRaised && !isTrue ? 1 : 0), c.Fn + (!isRaised && isTrue ? 1 : 0));
            }
        }

        // True families the store never produced count as missed when they were truly in need.
        if (trueFamilyOf is null || trueFamilyOf.Count > 0)
        {
            foreach (var f in families.Where(f => !seen.Contains(f)))
            {
                var needs = active.GetValueOrDefault(f) ?? [];
                if (headlines.Count(h => TrueNeedsOfHeadline[h].Any(needs.Contains)) >= minTrueHeadlines)
                {
                    fn++;
                }
            }
        }

        return new IdentificationTruthCheck(framework.Id, asOf, compared, unmatched, tp, fp, fn, unknown,
            byHeadline.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal));
    }

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
