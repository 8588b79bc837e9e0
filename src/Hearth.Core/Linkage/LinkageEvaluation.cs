using System.Text.RegularExpressions;

namespace Hearth.Core.Linkage;

/// <summary>Counts and rates at one threshold.</summary>
public sealed record ThresholdMetrics(double ThresholdWeight, long TruePositives, long FalsePositives, long FalseNegatives)
{
    public double ThresholdProbability => FellegiSunter.ProbabilityOf(ThresholdWeight);

    public double Precision => TruePositives + FalsePositives == 0 ? 1 : (double)TruePositives / (TruePositives + FalsePositives);

    public double Recall => TruePositives + FalseNegatives == 0 ? 1 : (double)TruePositives / (TruePositives + FalseNegatives);

    public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);
}

/// <summary>Cluster-level accuracy: pairwise over the pairs clusters imply, and whole entities recovered exactly.</summary>
public sealed record ClusterMetrics(ThresholdMetrics Pairwise, long TrueEntities, long EntitiesExactlyRecovered, long PredictedClusters)
{
    public double ExactEntityRate => TrueEntities == 0 ? 1 : (double)EntitiesExactlyRecovered / TrueEntities;
}

/// <summary>
/// Accuracy against labels: each record's true entity. True pairs are every pair of records sharing an entity
/// (across the two tables when linking), including pairs blocking never proposed, so recall counts blocking's
/// misses too.
/// </summary>
public sealed class LinkageEvaluation
{
    private static readonly Regex Febrl = new("^rec-(\\d+)-(org|dup-\\d+)$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    private readonly int[] _entity;
    private readonly int _leftCount;
    private readonly bool _isLink;

    /// <summary>Labels per record (left first); an empty label means "unknown entity", never matched.</summary>
    public LinkageEvaluation(IReadOnlyList<string?> labels, int leftCount, bool isLink)
    {
        ArgumentNullException.ThrowIfNull(labels);
        _leftCount = leftCount;
        _isLink = isLink;
        _entity = new int[labels.Count];
        var map = new Dictionary<string, int>(StringComparer.Ordinal);
        var sizesLeft = new List<long>();
        var sizesRight = new List<long>();
        for (var i = 0; i < labels.Count; i++)
        {
            var label = labels[i];
            if (string.IsNullOrWhiteSpace(label))
            {
                _entity[i] = -1 - i; // its own entity
                continue;
            }

            label = EntityOf(label);
            if (!map.TryGetValue(label, out var e))
            {
                e = map.Count;
                map[label] = e;
                sizesLeft.Add(0);
                sizesRight.Add(0);
            }

            _entity[i] = e;
            if (!isLink || i < leftCount)
            {
                sizesLeft[e]++;
            }
            else
            {
                sizesRight[e]++;
            }
        }

        long truePairs = 0;
        for (var e = 0; e < sizesLeft.Count; e++)
        {
            truePairs += isLink ? sizesLeft[e] * sizesRight[e] : sizesLeft[e] * (sizesLeft[e] - 1) / 2;
        }

        TruePairs = truePairs;
        Entities = map.Count;
    }

    /// <summary>Pairs of records that truly belong together.</summary>
    public long TruePairs { get; }

    /// <summary>Distinct labelled entities.</summary>
    public int Entities { get; }

    /// <summary>
    /// The entity a label names. FEBRL record ids ("rec-12-org", "rec-12-dup-0") name entity "12"; any other
    /// label is the entity itself.
    /// </summary>
    public static string EntityOf(string label)
    {
        ArgumentNullException.ThrowIfNull(label);
        var m = Febrl.Match(label.Trim());
        return m.Success ? m.Groups[1].Value : label.Trim();
    }

    public bool IsTrueMatch(int a, int b) => _entity[a] == _entity[b];

    /// <summary>Pairwise metrics for pairs scored at or above <paramref name="thresholdWeight"/>.</summary>
    public ThresholdMetrics At(CandidatePairs pairs, double[] weights, double thresholdWeight)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        ArgumentNullException.ThrowIfNull(weights);
        long tp = 0, fp = 0;
        for (var i = 0; i < pairs.Count; i++)
        {
            if (weights[i] >= thresholdWeight)
            {
                if (IsTrueMatch(pairs.Left[i], pairs.Right[i]))
                {
                    tp++;
                }
                else
                {
                    fp++;
                }
            }
        }

        return new ThresholdMetrics(thresholdWeight, tp, fp, TruePairs - tp);
    }

    /// <summary>
    /// Precision and recall at every distinct weight (strongest first), thinned to at most
    /// <paramref name="maxPoints"/> points plus the best-F1 point.
    /// </summary>
    public IReadOnlyList<ThresholdMetrics> Curve(CandidatePairs pairs, double[] weights, int maxPoints = 200)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        ArgumentNullException.ThrowIfNull(weights);
        var order = new int[pairs.Count];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        var keys = new double[pairs.Count];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = -weights[i];
        }

        Array.Sort(keys, order);
        var all = new List<ThresholdMetrics>();
        long tp = 0, fp = 0;
        for (var i = 0; i < order.Length; i++)
        {
            if (IsTrueMatch(pairs.Left[order[i]], pairs.Right[order[i]]))
            {
                tp++;
            }
            else
            {
                fp++;
            }

            if (i == order.Length - 1 || keys[i + 1] != keys[i])
            {
                all.Add(new ThresholdMetrics(-keys[i], tp, fp, TruePairs - tp));
            }
        }

        if (all.Count == 0)
        {
            all.Add(new ThresholdMetrics(double.PositiveInfinity, 0, 0, TruePairs));
        }

        if (all.Count <= maxPoints)
        {
            return all;
        }

        var best = Best(all);
        var step = (double)all.Count / maxPoints;
        var thinned = new List<ThresholdMetrics>();
        for (var x = 0.0; x < all.Count; x += step)
        {
            thinned.Add(all[(int)x]);
        }

        if (!thinned.Contains(best))
        {
            thinned.Add(best);
            thinned.Sort((p, q) => q.ThresholdWeight.CompareTo(p.ThresholdWeight));
        }

        if (thinned[^1] != all[^1])
        {
            thinned.Add(all[^1]);
        }

        return thinned;
    }

    /// <summary>The point with the highest F1 (the strongest threshold among ties).</summary>
    public static ThresholdMetrics Best(IReadOnlyList<ThresholdMetrics> curve)
    {
        ArgumentNullException.ThrowIfNull(curve);
        if (curve.Count == 0)
        {
            throw new ArgumentException("The curve has no points.", nameof(curve));
        }

        var best = curve[0];
        foreach (var p in curve)
        {
            if (p.F1 > best.F1)
            {
                best = p;
            }
        }

        return best;
    }

    /// <summary>Accuracy of clusters: pairs they imply (across tables when linking) and entities recovered exactly.</summary>
    public ClusterMetrics Clusters(ClusterResult clusters)
    {
        ArgumentNullException.ThrowIfNull(clusters);
        var rep = clusters.Representative;
        var byCluster = new Dictionary<int, (long L, long R)>();
        var byBoth = new Dictionary<(int, int), (long L, long R)>();
        var entitySize = new Dictionary<int, long>();
        var entityCluster = new Dictionary<int, int>();
        var entitySplit = new HashSet<int>();
        for (var i = 0; i < rep.Length; i++)
        {
            var left = !_isLink || i < _leftCount;
            var c = byCluster.GetValueOrDefault(rep[i]);
            byCluster[rep[i]] = left ? (c.L + 1, c.R) : (c.L, c.R + 1);
            var key = (rep[i], _entity[i]);
            var b = byBoth.GetValueOrDefault(key);
            byBoth[key] = left ? (b.L + 1, b.R) : (b.L, b.R + 1);
            entitySize[_entity[i]] = entitySize.GetValueOrDefault(_entity[i]) + 1;
            if (entityCluster.TryGetValue(_entity[i], out var ec))
            {
                if (ec != rep[i])
                {
                    entitySplit.Add(_entity[i]);
                }
            }
            else
            {
                entityCluster[_entity[i]] = rep[i];
            }
        }

        long Pairs((long L, long R) s) => _isLink ? s.L * s.R : s.L * (s.L - 1) / 2;
        long predicted = 0, tp = 0;
        foreach (var s in byCluster.Values)
        {
            predicted += Pairs(s);
        }

        foreach (var s in byBoth.Values)
        {
            tp += Pairs(s);
        }

        long exact = 0;
        foreach (var (entity, cluster) in entityCluster)
        {
            var size = byCluster[cluster];
            if (!entitySplit.Contains(entity) && size.L + size.R == entitySize[entity])
            {
                exact++;
            }
        }

        return new ClusterMetrics(new ThresholdMetrics(double.NaN, tp, predicted - tp, TruePairs - tp), entityCluster.Count, exact, clusters.ClusterCount);
    }

    /// <summary>Writes the precision–recall curve as a PNG chart.</summary>
    public static void SaveCurvePng(IReadOnlyList<ThresholdMetrics> curve, string path)
    {
        ArgumentNullException.ThrowIfNull(curve);
        var plot = new ScottPlot.Plot();
        var scatter = plot.Add.Scatter(curve.Select(p => p.Recall).ToArray(), curve.Select(p => p.Precision).ToArray());
        scatter.LegendText = "precision against recall";
        plot.Title("Record linkage: precision–recall");
        plot.XLabel("Recall");
        plot.YLabel("Precision");
        plot.SavePng(path, 800, 600);
    }
}
