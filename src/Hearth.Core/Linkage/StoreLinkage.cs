using System.Globalization;
using Hearth.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Core.Linkage;

/// <summary>The outcome of linking every source record in the store, with accuracy where truth is known.</summary>
public sealed record StoreLinkageResult(
    int Records,
    int DistinctDetails,
    long CandidatePairs,
    long PossiblePairs,
    double ThresholdWeight,
    long LinkedPairs,
    int Clusters,
    int CutLinks,
    ThresholdMetrics? Pairwise,
    ClusterMetrics? ClusterAccuracy,
    LinkageSettings Settings);

/// <summary>
/// Links the people behind every agency's source records: reads the records from the store (names, date of
/// birth, sex, postcode and the personal identifiers NHS number, NINO and UPN, never written anywhere else; a
/// UPRN identifies a dwelling shared by a household, so it is left to household building, not person linkage), lets the engine configure
/// itself, trains the model, scores the candidate pairs and clusters them into persons with the
/// conflicting-identifier guard. Where a truth table is given (the synthetic borough's truth/records.csv) the
/// result carries pairwise and cluster accuracy against it.
/// </summary>
public static class StoreLinkage
{
    /// <summary>
    /// Reads the store's source records as a linkage table with one row per distinct set of person details,
    /// keyed by the first record that carried it ("agency:record id#row").
    /// </summary>
    public static async Task<StoreRecords> ReadAsync(HearthDb db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var rows = await db.SourceRecords.AsNoTracking()
            .OrderBy(r => r.Id)
            .Select(r => new
            {
                r.AgencyId,
                r.AgencyRecordId,
                r.Id,
                r.GivenName,
                r.FamilyName,
                r.DateOfBirth,
                r.Sex,
                r.Postcode,
                r.NhsNumber,
                r.Nino,
                r.Upn,
            })
            .ToListAsync(cancellationToken);
        // Many rows of one agency carry exactly the same details for one person (one row per event); they are
        // linked to each other by identity, so the engine compares each distinct set of details once.
        var distinct = new Dictionary<string, int>(StringComparer.Ordinal);
        var ids = new List<string>();
        var members = new List<List<string>>();
        List<string?> given = [], family = [], dob = [], sex = [], postcode = [], nhs = [], nino = [], upn = [];
        foreach (var r in rows)
        {
            var dateOfBirth = r.DateOfBirth?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var details = string.Join('\u001f', r.GivenName, r.FamilyName, dateOfBirth, r.Sex, r.Postcode, r.NhsNumber, r.Nino, r.Upn);
            // One agency record id can carry several versions of a person's details (an address change).
            var key = string.Create(CultureInfo.InvariantCulture, $"{r.AgencyId}:{r.AgencyRecordId}#{r.Id}");
            if (distinct.TryGetValue(details, out var at))
            {
                members[at].Add(key);
                continue;
            }

            distinct[details] = ids.Count;
            ids.Add(key);
            members.Add([key]);
            given.Add(r.GivenName);
            family.Add(r.FamilyName);
            dob.Add(dateOfBirth);
            sex.Add(r.Sex);
            postcode.Add(r.Postcode);
            nhs.Add(r.NhsNumber);
            nino.Add(r.Nino);
            upn.Add(r.Upn);
        }

        return new StoreRecords(rows.Count, members, new LinkageTable("source records", [.. ids], new Dictionary<string, string?[]>(StringComparer.Ordinal)
        {
            ["given_name"] = [.. given],
            ["family_name"] = [.. family],
            ["date_of_birth"] = [.. dob],
            ["sex"] = [.. sex],
            ["postcode"] = [.. postcode],
            ["nhs_number"] = [.. nhs],
            ["nino"] = [.. nino],
            ["upn"] = [.. upn],
        }));
    }

    /// <summary>
    /// The true person behind each distinct set of details, from the synthetic borough's truth/records.csv
    /// (extract file, record id, person id): the person most of its records belong to, or null when the truth
    /// knows none of them.
    /// </summary>
    public static IReadOnlyList<string?> TruthLabels(StoreRecords records, string truthRecordsCsv, IReadOnlyDictionary<string, string> agencyOfExtract)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(agencyOfExtract);
        var person = new Dictionary<string, string>(StringComparer.Ordinal);
        using (var reader = new StreamReader(truthRecordsCsv))
        {
            foreach (var (_, fields) in CsvRecords.Read(reader).Skip(1))
            {
                if (fields.Length >= 3 && agencyOfExtract.TryGetValue(fields[0], out var agency))
                {
                    person[agency + ":" + fields[1]] = fields[2];
                }
            }
        }

        var labels = new string?[records.Members.Count];
        for (var i = 0; i < labels.Length; i++)
        {
            labels[i] = records.Members[i]
                .Select(key => person.GetValueOrDefault(key[..key.LastIndexOf('#')]))
                .Where(p => p is not null)
                .GroupBy(p => p, StringComparer.Ordinal)
                .OrderByDescending(g => g.Count())
                .ThenBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => g.Key)
                .FirstOrDefault();
        }

        return labels;
    }

    /// <summary>Runs the whole pipeline on the records' distinct details (deduplication across and within agencies).</summary>
    public static StoreLinkageResult Run(StoreRecords records, IReadOnlyList<string?>? labels = null) =>
        Summarise(Link(records), labels);

    /// <summary>
    /// The one pipeline every store linkage uses (the persisted run, the demo, the bench): configure from the
    /// columns, standardise, block, compare, train (unsupervised), score and cluster with the identifier guard
    /// and reviewers' decisions (<paramref name="mustLink"/> and <paramref name="cannotLink"/> are row pairs
    /// of <see cref="StoreRecords.Table"/>). <paramref name="thresholdWeight"/> defaults to the settings'.
    /// </summary>
    public static StoreLinkageOutcome Link(
        StoreRecords records,
        double? thresholdWeight = null,
        IReadOnlyList<(int Left, int Right)>? mustLink = null,
        IReadOnlyList<(int Left, int Right)>? cannotLink = null)
    {
        ArgumentNullException.ThrowIfNull(records);
        var table = records.Table;
        var auto = AutoConfigure.Configure(table, null);
        var engine = new LinkageEngine(auto.Settings, table, null, fields: auto.Fields);
        engine.Prepare();
        var pairs = engine.GeneratePairs();
        engine.ComparePairs(pairs);
        var model = engine.Train(pairs);
        var weights = engine.Score(model, pairs);
        var threshold = thresholdWeight ?? auto.Settings.EffectiveThresholdWeight;
        var clusters = engine.Cluster(pairs, weights, threshold, mustLink, cannotLink);
        return new StoreLinkageOutcome(records, auto.Settings, engine, model, pairs, weights, threshold, clusters);
    }

    /// <summary>Counts and (with truth labels per table row) pairwise and cluster accuracy of an outcome.</summary>
    public static StoreLinkageResult Summarise(StoreLinkageOutcome outcome, IReadOnlyList<string?>? labels = null)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        long linked = 0;
        foreach (var w in outcome.Weights)
        {
            if (w >= outcome.ThresholdWeight)
            {
                linked++;
            }
        }

        ThresholdMetrics? pairwise = null;
        ClusterMetrics? clusterAccuracy = null;
        if (labels is not null)
        {
            var evaluation = new LinkageEvaluation(labels, outcome.Engine.LeftCount, outcome.Engine.IsLink);
            pairwise = evaluation.At(outcome.Pairs, outcome.Weights, outcome.ThresholdWeight);
            clusterAccuracy = evaluation.Clusters(outcome.Clusters);
        }

        return new StoreLinkageResult(
            outcome.Records.SourceRecords, outcome.Records.Table.Count, outcome.Pairs.Count, outcome.Engine.TotalPairs, outcome.ThresholdWeight,
            linked, outcome.Clusters.ClusterCount, outcome.Clusters.Cuts.Count, pairwise, clusterAccuracy, outcome.Settings);
    }
}

/// <summary>Everything one store linkage produced: the engine and model (to explain pairs), pairs, weights and clusters.</summary>
public sealed record StoreLinkageOutcome(
    StoreRecords Records,
    LinkageSettings Settings,
    LinkageEngine Engine,
    FellegiSunterModel Model,
    CandidatePairs Pairs,
    double[] Weights,
    double ThresholdWeight,
    ClusterResult Clusters);

/// <summary>
/// The store's source records prepared for linkage: <see cref="Table"/> has one row per distinct set of person
/// details, and <see cref="Members"/> lists, for each of those rows, every source record that carried it.
/// </summary>
public sealed record StoreRecords(int SourceRecords, IReadOnlyList<List<string>> Members, LinkageTable Table)
{
    /// <summary>The store id of the source record a member key ("agency:record id#id") names.</summary>
    public static long SourceRecordId(string memberKey)
    {
        ArgumentNullException.ThrowIfNull(memberKey);
        return long.Parse(memberKey.AsSpan(memberKey.LastIndexOf('#') + 1), NumberStyles.None, CultureInfo.InvariantCulture);
    }
}
