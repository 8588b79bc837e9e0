using System.Globalization;
using Hearth.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Core.Linkage;

/// <summary>The outcome of linking every source record in the store, with accuracy where truth is known.</summary>
public sealed record StoreLinkageResult(
    int Records,
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
/// birth, sex, address, postcode and identifiers, never written anywhere else), lets the engine configure
/// itself, trains the model, scores the candidate pairs and clusters them into persons with the
/// conflicting-identifier guard. Where a truth table is given (the synthetic borough's truth/records.csv) the
/// result carries pairwise and cluster accuracy against it.
/// </summary>
public static class StoreLinkage
{
    /// <summary>Reads the store's source records as a linkage table keyed by "agency:record id".</summary>
    public static async Task<LinkageTable> ReadAsync(HearthDb db, CancellationToken cancellationToken = default)
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
                r.Uprn,
            })
            .ToListAsync(cancellationToken);
        var ids = new string[rows.Count];
        string?[] given = new string?[rows.Count], family = new string?[rows.Count], dob = new string?[rows.Count],
            sex = new string?[rows.Count], postcode = new string?[rows.Count], nhs = new string?[rows.Count],
            nino = new string?[rows.Count], upn = new string?[rows.Count], uprn = new string?[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            // One agency record id can carry several versions of a person's details (an address change).
            ids[i] = string.Create(CultureInfo.InvariantCulture, $"{r.AgencyId}:{r.AgencyRecordId}#{r.Id}");
            given[i] = r.GivenName;
            family[i] = r.FamilyName;
            dob[i] = r.DateOfBirth?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            sex[i] = r.Sex;
            postcode[i] = r.Postcode;
            nhs[i] = r.NhsNumber;
            nino[i] = r.Nino;
            upn[i] = r.Upn;
            uprn[i] = r.Uprn;
        }

        return new LinkageTable("source records", ids, new Dictionary<string, string?[]>(StringComparer.Ordinal)
        {
            ["given_name"] = given,
            ["family_name"] = family,
            ["date_of_birth"] = dob,
            ["sex"] = sex,
            ["postcode"] = postcode,
            ["nhs_number"] = nhs,
            ["nino"] = nino,
            ["upn"] = upn,
            ["uprn"] = uprn,
        });
    }

    /// <summary>
    /// The true person behind each record of <paramref name="table"/>, from the synthetic borough's
    /// truth/records.csv (extract file, record id, person id), or null for a record the truth does not know.
    /// </summary>
    public static IReadOnlyList<string?> TruthLabels(LinkageTable table, string truthRecordsCsv, IReadOnlyDictionary<string, string> agencyOfExtract)
    {
        ArgumentNullException.ThrowIfNull(table);
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

        var labels = new string?[table.Count];
        for (var i = 0; i < table.Count; i++)
        {
            var id = table.Ids[i];
            var key = id[..id.LastIndexOf('#')];
            labels[i] = person.GetValueOrDefault(key);
        }

        return labels;
    }

    /// <summary>Runs the whole pipeline on <paramref name="table"/> (deduplication across and within agencies).</summary>
    public static StoreLinkageResult Run(LinkageTable table, IReadOnlyList<string?>? labels = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        var auto = AutoConfigure.Configure(table, null);
        var engine = new LinkageEngine(auto.Settings, table, null, fields: auto.Fields);
        engine.Prepare();
        var pairs = engine.GeneratePairs();
        engine.ComparePairs(pairs);
        var model = engine.Train(pairs);
        var weights = engine.Score(model, pairs);
        var threshold = auto.Settings.EffectiveThresholdWeight;
        long linked = 0;
        foreach (var w in weights)
        {
            if (w >= threshold)
            {
                linked++;
            }
        }

        var clusters = engine.Cluster(pairs, weights, threshold);
        ThresholdMetrics? pairwise = null;
        ClusterMetrics? clusterAccuracy = null;
        if (labels is not null)
        {
            var evaluation = new LinkageEvaluation(labels, engine.LeftCount, engine.IsLink);
            pairwise = evaluation.At(pairs, weights, threshold);
            clusterAccuracy = evaluation.Clusters(clusters);
        }

        return new StoreLinkageResult(
            table.Count, pairs.Count, engine.TotalPairs, threshold, linked, clusters.ClusterCount, clusters.Cuts.Count,
            pairwise, clusterAccuracy, auto.Settings);
    }
}
