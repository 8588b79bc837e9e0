using System.Globalization;
using Hearth.Core.Synthetic;

namespace Hearth.Core.Linkage;

/// <summary>
/// Pairwise accuracy of a grouping against the truth: true pairs are pairs of items in one true group,
/// predicted pairs are pairs in one found group; precision = TP / predicted, recall = TP / true.
/// </summary>
public sealed record GroupAccuracy(long TruePairs, long PredictedPairs, long TruePositives, int TrueGroups, int FoundGroups, int ExactGroups)
{
    public double Precision => PredictedPairs == 0 ? 1 : (double)TruePositives / PredictedPairs;

    public double Recall => TruePairs == 0 ? 1 : (double)TruePositives / TruePairs;

    /// <summary>Share of true groups found with exactly their members.</summary>
    public double ExactRate => TrueGroups == 0 ? 1 : (double)ExactGroups / TrueGroups;

    /// <summary>Pairwise accuracy of <paramref name="found"/> against <paramref name="truth"/> over the items both know.</summary>
    public static GroupAccuracy Of<TItem, TFound, TTrue>(IReadOnlyDictionary<TItem, TFound> found, IReadOnlyDictionary<TItem, TTrue> truth)
        where TItem : notnull
        where TFound : notnull
        where TTrue : notnull
    {
        ArgumentNullException.ThrowIfNull(found);
        ArgumentNullException.ThrowIfNull(truth);
        var items = found.Keys.Where(truth.ContainsKey).ToList();
        static long Pairs(long n) => n * (n - 1) / 2;
        var byFound = items.GroupBy(i => found[i]).ToList();
        var byTrue = items.GroupBy(i => truth[i]).ToList();
        var predicted = byFound.Sum(g => Pairs(g.Count()));
        var actual = byTrue.Sum(g => Pairs(g.Count()));
        var tp = items.GroupBy(i => (found[i], truth[i])).Sum(g => Pairs(g.Count()));
        var foundSize = byFound.ToDictionary(g => g.Key, g => g.Count());
        var exact = byTrue.Count(t =>
        {
            var f = found[t.First()];
            return t.All(i => found[i].Equals(f)) && foundSize[f] == t.Count();
        });
        return new GroupAccuracy(actual, predicted, tp, byTrue.Count, byFound.Count, exact);
    }
}

/// <summary>Person accuracy between the records of two agencies (the same agency twice: duplicates within it).</summary>
public sealed record AgencyPairAccuracy(string LeftAgency, string RightAgency, long TruePairs, long PredictedPairs, long TruePositives)
{
    public double Precision => PredictedPairs == 0 ? 1 : (double)TruePositives / PredictedPairs;

    public double Recall => TruePairs == 0 ? 1 : (double)TruePositives / TruePairs;
}

/// <summary>A persisted run measured against the synthetic borough's truth.</summary>
public sealed record LinkageTruthReport(
    StoreLinkageResult Linkage,
    GroupAccuracy PersonsOverSourceRecords,
    IReadOnlyList<AgencyPairAccuracy> PersonsByAgencyPair,
    GroupAccuracy Households,
    GroupAccuracy Families,
    int TrueFamiliesWithChildren,
    double RelationshipAgreement,
    DateOnly AsOf);

/// <summary>
/// Measures a persisted linkage run against the truth files <c>hearth generate</c> writes (docs/synthetic-borough.md):
/// persons against truth/records.csv (pairs of source records; per agency pair), households and families on
/// the run's as-of date against truth/households.csv (a true family is the people of one <c>family_id</c> on that
/// date; families with a child use the dates of birth in truth/persons.csv).
/// </summary>
public static class LinkageTruth
{
    public static LinkageTruthReport Measure(PersonLinkageResult result, string truthDirectory)
    {
        ArgumentNullException.ThrowIfNull(result);
        var agencyOfExtract = BoroughImport.Extracts.ToDictionary(e => e.File, e => e.Agency, StringComparer.Ordinal);
        var records = result.Outcome.Records;
        var labels = StoreLinkage.TruthLabels(records, Path.Combine(truthDirectory, "records.csv"), agencyOfExtract);
        var summary = StoreLinkage.Summarise(result.Outcome, labels);

        // Truth per source record.
        var truthOfKey = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var fields in Rows(Path.Combine(truthDirectory, "records.csv")))
        {
            if (fields.Length >= 3 && agencyOfExtract.TryGetValue(fields[0], out var agency))
            {
                truthOfKey[agency + ":" + fields[1]] = fields[2];
            }
        }

        var truthOfRecord = new Dictionary<long, string>();
        var agencyOfSourceRecord = new Dictionary<long, string>();
        foreach (var key in records.Members.SelectMany(m => m))
        {
            agencyOfSourceRecord[StoreRecords.SourceRecordId(key)] = key[..key.IndexOf(':', StringComparison.Ordinal)];
            if (truthOfKey.TryGetValue(key[..key.LastIndexOf('#')], out var person))
            {
                truthOfRecord[StoreRecords.SourceRecordId(key)] = person;
            }
        }

        var persons = GroupAccuracy.Of(result.PersonOfSourceRecord, truthOfRecord);
        var byAgencyPair = AgencyPairs(result.PersonOfSourceRecord, truthOfRecord, agencyOfSourceRecord);

        // Each found person's true person: the one most of their records belong to.
        var truthOfPerson = result.PersonOfSourceRecord.Where(p => truthOfRecord.ContainsKey(p.Key))
            .GroupBy(p => p.Value)
            .ToDictionary(g => g.Key, g => g.GroupBy(p => truthOfRecord[p.Key], StringComparer.Ordinal)
                .OrderByDescending(x => x.Count()).ThenBy(x => x.Key, StringComparer.Ordinal).First().Key);
        var asOf = result.Households.AsOf;
        var trueFamilyOf = new Dictionary<string, string>(StringComparer.Ordinal);
        var trueRole = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var f in Rows(Path.Combine(truthDirectory, "households.csv")))
        {
            var from = DateOnly.ParseExact(f[3], "yyyy-MM-dd", CultureInfo.InvariantCulture);
            var to = f[4].Length == 0 ? (DateOnly?)null : DateOnly.ParseExact(f[4], "yyyy-MM-dd", CultureInfo.InvariantCulture);
            if (from <= asOf && (to is null || to >= asOf))
            {
                trueFamilyOf[f[1]] = f[0];
                trueRole[f[1]] = f[2];
            }
        }

        var birth = Rows(Path.Combine(truthDirectory, "persons.csv"))
            .ToDictionary(f => f[0], f => DateOnly.ParseExact(f[7], "yyyy-MM-dd", CultureInfo.InvariantCulture), StringComparer.Ordinal);
        var withChildren = trueFamilyOf.Where(p => HouseholdBuilder.AgeOn(birth[p.Key], asOf) < 18).Select(p => p.Value).ToHashSet(StringComparer.Ordinal);

        // Households now: found person → dwelling, as true person → true family.
        var foundHousehold = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var r in result.Households.Residences.Where(r => r.From <= asOf && (r.To is null || r.To >= asOf)))
        {
            if (truthOfPerson.TryGetValue(r.PersonId, out var t))
            {
                foundHousehold[t] = r.DwellingKey;
            }
        }

        var households = GroupAccuracy.Of(foundHousehold, trueFamilyOf);
        var foundFamily = new Dictionary<string, string>(StringComparer.Ordinal);
        long agree = 0, compared = 0;
        foreach (var family in result.Households.Families)
        {
            foreach (var m in family.Members)
            {
                if (!truthOfPerson.TryGetValue(m.PersonId, out var t))
                {
                    continue;
                }

                foundFamily[t] = family.DwellingKey;
                if (trueRole.TryGetValue(t, out var role))
                {
                    compared++;
                    if (Agrees(m.Relationship, role))
                    {
                        agree++;
                    }
                }
            }
        }

        var trueFamilies = trueFamilyOf.Where(p => withChildren.Contains(p.Value)).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        // Found family members outside any true family with children count as false pairs: keep them with a
        // unique true label so they add predicted pairs but no true ones.
        var truthForFamilies = foundFamily.Keys.Union(trueFamilies.Keys, StringComparer.Ordinal)
            .ToDictionary(p => p, p => trueFamilies.GetValueOrDefault(p) ?? "none:" + p, StringComparer.Ordinal);
        var foundForFamilies = truthForFamilies.Keys
            .ToDictionary(p => p, p => foundFamily.GetValueOrDefault(p) ?? "none:" + p, StringComparer.Ordinal);
        var familyAccuracy = GroupAccuracy.Of(foundForFamilies, truthForFamilies);
        var familyAccuracyOnTrue = familyAccuracy with
        {
            TrueGroups = withChildren.Count,
            FoundGroups = result.Households.Families.Count,
            ExactGroups = CountExact(foundFamily, trueFamilies),
        };
        return new LinkageTruthReport(summary, persons, byAgencyPair, households, familyAccuracyOnTrue, withChildren.Count,
            compared == 0 ? 1 : (double)agree / compared, asOf);
    }

    /// <summary>Whether an inferred relationship matches the generator's role (partners and step-parents are both "partner" or "parent").</summary>
    public static bool Agrees(string inferred, string trueRole) => (inferred, trueRole) switch
    {
        ("child", "child" or "stepchild") => true,
        ("parent", "parent" or "adult") => true,
        ("parent" or "partner", "partner" or "step_parent" or "new_partner") => true,
        ("adult child", "adult_child") => true,
        ("grandparent", "grandparent") => true,
        ("other adult", "adult") => true,
        _ => false,
    };

    private static int CountExact(Dictionary<string, string> found, Dictionary<string, string> truth)
    {
        var foundGroups = found.GroupBy(p => p.Value, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(p => p.Key).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);
        return truth.GroupBy(p => p.Value, StringComparer.Ordinal).Count(g =>
        {
            var members = g.Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
            return found.TryGetValue(members.First(), out var f) && foundGroups[f].SetEquals(members);
        });
    }

    private static List<AgencyPairAccuracy> AgencyPairs(
        IReadOnlyDictionary<long, long> found, Dictionary<long, string> truth, IReadOnlyDictionary<long, string> agencyOf)
    {
        var agencies = agencyOf.Values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var index = agencies.Select((a, i) => (a, i)).ToDictionary(x => x.a, x => x.i, StringComparer.Ordinal);
        var n = agencies.Count;
        long[] Counts() => new long[n];
        var byFound = new Dictionary<long, long[]>();
        var byTrue = new Dictionary<string, long[]>(StringComparer.Ordinal);
        var byBoth = new Dictionary<(long, string), long[]>();
        foreach (var (id, person) in found)
        {
            if (!truth.TryGetValue(id, out var t) || !agencyOf.TryGetValue(id, out var agency))
            {
                continue;
            }

            var a = index[agency];
            (byFound.TryGetValue(person, out var x) ? x : byFound[person] = Counts())[a]++;
            (byTrue.TryGetValue(t, out var y) ? y : byTrue[t] = Counts())[a]++;
            (byBoth.TryGetValue((person, t), out var z) ? z : byBoth[(person, t)] = Counts())[a]++;
        }

        static long Pairs(IEnumerable<long[]> groups, int a, int b) =>
            groups.Sum(c => a == b ? c[a] * (c[a] - 1) / 2 : c[a] * c[b]);
        var result = new List<AgencyPairAccuracy>();
        for (var a = 0; a < n; a++)
        {
            for (var b = a; b < n; b++)
            {
                var actual = Pairs(byTrue.Values, a, b);
                if (actual == 0)
                {
                    continue;
                }

                result.Add(new AgencyPairAccuracy(agencies[a], agencies[b], actual, Pairs(byFound.Values, a, b), Pairs(byBoth.Values, a, b)));
            }
        }

        return result;
    }

    private static IEnumerable<string[]> Rows(string path)
    {
        using var reader = new StreamReader(path);
        foreach (var (_, fields) in CsvRecords.Read(reader).Skip(1))
        {
            yield return fields;
        }
    }
}
