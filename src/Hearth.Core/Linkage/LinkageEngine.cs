using System.Globalization;
using System.Runtime.InteropServices;

namespace Hearth.Core.Linkage;

/// <summary>How many pairs a blocking rule yields: before running (all pairs sharing its key) and the new
/// pairs it adds once pairs already found by earlier rules are left out.</summary>
public sealed record BlockingRuleReport(string Rule, long PairsBeforeDeduplication, long NewPairs, long RecordsWithKey);

/// <summary>Candidate record pairs (record indices; left &lt; right) and their comparison patterns.</summary>
public sealed class CandidatePairs
{
    internal CandidatePairs(int[] left, int[] right, int count, IReadOnlyList<BlockingRuleReport> rules)
    {
        Left = left;
        Right = right;
        Count = count;
        Rules = rules;
    }

    public int[] Left { get; }

    public int[] Right { get; }

    public int Count { get; }

    public IReadOnlyList<BlockingRuleReport> Rules { get; }

    /// <summary>Per pair: its comparison pattern (levels of every comparison, mixed-radix), once compared.</summary>
    public int[]? Patterns { get; internal set; }

    /// <summary>How many pairs show each pattern.</summary>
    public IReadOnlyDictionary<int, long>? PatternCounts { get; internal set; }
}

/// <summary>One comparison's part in a pair's match weight.</summary>
public sealed record ExplanationTerm(string Comparison, int Level, string LevelLabel, double PartialWeight, double TermFrequencyAdjustment);

/// <summary>
/// Why a pair scored what it did: the prior plus each comparison's partial weight and term-frequency
/// adjustment. <see cref="MatchWeight"/> is their sum (prior, partial weights in order, then adjustments in
/// order), computed exactly as scoring computes it, so a waterfall chart of the terms ends at the total.
/// </summary>
public sealed record PairExplanation(
    string LeftId, string RightId, double PriorWeight, IReadOnlyList<ExplanationTerm> Terms, double MatchWeight)
{
    public double MatchProbability => FellegiSunter.ProbabilityOf(MatchWeight);
}

/// <summary>A link the clustering refused because it would join records whose strong identifiers conflict.</summary>
public readonly record struct CutLink(int Left, int Right, string Field, double MatchWeight);

/// <summary>Entities found by clustering: per record, the index of the record whose id names its cluster.</summary>
public sealed class ClusterResult
{
    internal ClusterResult(int[] representative, int clusters, IReadOnlyList<CutLink> cuts)
    {
        Representative = representative;
        ClusterCount = clusters;
        Cuts = cuts;
    }

    /// <summary>Per record: the index of the cluster's naming record (the smallest id, left file first).</summary>
    public int[] Representative { get; }

    public int ClusterCount { get; }

    public IReadOnlyList<CutLink> Cuts { get; }
}

/// <summary>
/// The record linkage engine: one table (deduplicate) or two (link). Stages, each a method so that callers
/// can time and report them: <see cref="Prepare"/> (standardise and encode), <see cref="CountBlocking"/>,
/// <see cref="GeneratePairs"/>, <see cref="ComparePairs"/>, <see cref="Train"/>, <see cref="Score"/>,
/// <see cref="Cluster(CandidatePairs, double[], double)"/>. Records are numbered 0..n−1, left table first.
/// </summary>
public sealed class LinkageEngine
{
    private readonly LinkageTable _left;
    private readonly LinkageTable? _right;
    private readonly IFieldEncoder _encoder;
    private readonly Dictionary<string, EncodedField> _fields = new(StringComparer.Ordinal);
    private readonly FieldStore _store;
    private BlockIndex[]? _blocks;
    private (FellegiSunterModel Model, double[][] Weights, double[]?[] Tf)? _explainCache;
    private ComparisonRuntime[] _comparisons = [];
    private int[] _radix = [];
    private int[] _multiplier = [];
    private EncodedField[][] _blockingKeys = [];
    private EncodedField[] _guards = [];

    public LinkageEngine(
        LinkageSettings settings, LinkageTable left, LinkageTable? right = null, IFieldEncoder? encoder = null, FieldStore? fields = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(left);
        Settings = settings;
        _left = left;
        _right = right;
        _encoder = encoder ?? PlainEncoder.Instance;
        _store = fields ?? new FieldStore(left, right);
        LeftCount = left.Count;
        Count = left.Count + (right?.Count ?? 0);
    }

    public LinkageSettings Settings { get; }

    /// <summary>True when linking two tables; false when deduplicating one.</summary>
    public bool IsLink => _right is not null;

    public int LeftCount { get; }

    public int Count { get; }

    /// <summary>Every pair the data could form: n(n−1)/2 for deduplication, left × right for linking.</summary>
    public long TotalPairs => IsLink ? (long)LeftCount * (Count - LeftCount) : (long)Count * (Count - 1) / 2;

    public IReadOnlyList<ComparisonRuntime> Comparisons => _comparisons;

    public string RecordId(int record) => record < LeftCount ? _left.Ids[record] : _right!.Ids[record - LeftCount];

    /// <summary>"left" or "right" (always "left" when deduplicating).</summary>
    public string Source(int record) => record < LeftCount ? "left" : "right";

    /// <summary>The encoded field behind a field reference (after <see cref="Prepare"/>).</summary>
    public EncodedField Field(string fieldRef) => _fields[fieldRef];

    /// <summary>Standardises and encodes every field the configuration uses (in parallel), and readies the comparisons.</summary>
    public void Prepare()
    {
        if (_comparisons.Length > 0)
        {
            return;
        }

        var wanted = new List<(string Key, FieldRef Ref, bool Valid)>();
        void Want(string text, bool valid = false)
        {
            var key = valid ? text + "|valid" : text;
            if (wanted.All(w => w.Key != key))
            {
                wanted.Add((key, FieldRef.Parse(text), valid));
            }
        }

        foreach (var c in Settings.Comparisons)
        {
            Want(c.Field);
        }

        foreach (var rule in Settings.Blocking)
        {
            foreach (var k in rule)
            {
                Want(k);
            }
        }

        foreach (var g in Settings.MustNotConflict)
        {
            Want(g, valid: true);
        }

        foreach (var (_, f, _) in wanted)
        {
            if (!Settings.Columns.ContainsKey(f.Column))
            {
                throw new LinkageInputException($"'{f.Column}' is used but not listed under columns in the configuration.");
            }
        }

        _store.Prefetch(wanted.Select(w => (w.Ref.Column, Settings.Columns[w.Ref.Column], w.Valid)));
        var comparisonFields = new HashSet<string>(Settings.Comparisons.Select(c => c.Field), StringComparer.Ordinal);
        foreach (var (key, f, valid) in wanted)
        {
            var field = _store.Get(f.Column, Settings.Columns[f.Column], f.Transform, valid);
            if (!valid && _encoder is not PlainEncoder && comparisonFields.Contains(key))
            {
                field = field.Derive(_encoder.Encode);
            }

            _fields[key] = field;
        }

        _comparisons = [.. Settings.Comparisons.Select(c =>
            new ComparisonRuntime(c, Settings.Columns[FieldRef.Parse(c.Field).Column], _fields[c.Field], _encoder))];
        var stride = _comparisons.Length;
        var rows = new int[(long)Count * stride];
        for (var k = 0; k < stride; k++)
        {
            var ids = _comparisons[k].Field.Ids;
            for (var i = 0; i < Count; i++)
            {
                rows[((long)i * stride) + k] = ids[i];
            }

            _comparisons[k].BindRows(rows, stride, k);
        }

        _radix = [.. _comparisons.Select(c => c.LevelCount + 1)];
        _multiplier = new int[_radix.Length];
        long mult = 1;
        for (var k = 0; k < _radix.Length; k++)
        {
            _multiplier[k] = (int)mult;
            mult *= _radix[k];
            if (mult > int.MaxValue)
            {
                throw new LinkageInputException("Too many comparisons and levels: the combinations exceed 2^31; use fewer levels.");
            }
        }

        _blockingKeys = [.. Settings.Blocking.Select(r => r.Select(k => _fields[k]).ToArray())];
        _guards = [.. Settings.MustNotConflict.Select(g => _fields[g + "|valid"])];
    }

    /// <summary>
    /// Pairs each blocking rule would generate on its own (records sharing all of its keys; records missing
    /// any key take no part), computed before any pair is made.
    /// </summary>
    public IReadOnlyList<BlockingRuleReport> CountBlocking()
    {
        Prepare();
        var blocks = Blocks();
        return [.. blocks.Select((b, r) => new BlockingRuleReport(RuleText(r), b.Pairs(LeftCount, IsLink), 0, b.SortedKeys.Length))];
    }

    /// <summary>
    /// Candidate pairs from all blocking rules, OR-ed. A pair that an earlier rule already produced is not
    /// produced again, so every pair is compared once and each rule's count of new pairs is exact.
    /// </summary>
    public CandidatePairs GeneratePairs()
    {
        var before = CountBlocking();
        var blocks = Blocks();
        var keys = blocks.Select(b => b.Keys).ToArray();
        long capacity = 0;
        foreach (var b in before)
        {
            capacity += b.PairsBeforeDeduplication;
        }

        if (capacity > Array.MaxLength)
        {
            throw new LinkageInputException(string.Create(CultureInfo.InvariantCulture,
                $"The blocking rules would make {capacity:N0} pairs, more than one run can hold; make the rules stricter."));
        }

        var a = new int[Math.Max(16, capacity)];
        var b2 = new int[a.Length];
        var n = 0;
        var reports = new List<BlockingRuleReport>();
        var leftBuffer = new List<int>();
        var rightBuffer = new List<int>();
        for (var r = 0; r < keys.Length; r++)
        {
            var sortedKeys = blocks[r].SortedKeys;
            var sortedRecords = blocks[r].SortedRecords;
            var added = 0L;
            var start = 0;
            while (start < sortedKeys.Length)
            {
                var end = start;
                while (end < sortedKeys.Length && sortedKeys[end] == sortedKeys[start])
                {
                    end++;
                }

                if (IsLink)
                {
                    leftBuffer.Clear();
                    rightBuffer.Clear();
                    for (var i = start; i < end; i++)
                    {
                        (sortedRecords[i] < LeftCount ? leftBuffer : rightBuffer).Add(sortedRecords[i]);
                    }

                    foreach (var x in leftBuffer)
                    {
                        foreach (var y in rightBuffer)
                        {
                            if (!FoundEarlier(keys, r, x, y))
                            {
                                a[n] = x;
                                b2[n] = y;
                                n++;
                                added++;
                            }
                        }
                    }
                }
                else
                {
                    for (var i = start; i < end; i++)
                    {
                        for (var j = i + 1; j < end; j++)
                        {
                            var x = sortedRecords[i];
                            var y = sortedRecords[j];
                            if (x > y)
                            {
                                (x, y) = (y, x);
                            }

                            if (!FoundEarlier(keys, r, x, y))
                            {
                                a[n] = x;
                                b2[n] = y;
                                n++;
                                added++;
                            }
                        }
                    }
                }

                start = end;
            }

            reports.Add(before[r] with { NewPairs = added });
        }

        return new CandidatePairs(a, b2, n, reports);
    }

    /// <summary>Compares every candidate pair on every comparison (in parallel) and records its pattern.</summary>
    public void ComparePairs(CandidatePairs pairs, IProgress<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        Prepare();
        var patterns = new int[pairs.Count];
        var totals = new Dictionary<int, long>();
        const int Chunk = 1 << 15;
        var chunks = (pairs.Count + Chunk - 1) / Chunk;
        var comparisons = _comparisons;
        var multiplier = _multiplier;
        var done = 0;
        Parallel.For(
            0,
            chunks,
            () => (Counts: new Dictionary<int, long>(), Caches: NewCaches()),
            (chunk, loop, state) =>
            {
                var local = state.Counts;
                var caches = state.Caches;
                var end = Math.Min(pairs.Count, (chunk + 1) * Chunk);
                var left = pairs.Left;
                var right = pairs.Right;
                var last = -1;
                long lastCount = 0;
                for (var i = chunk * Chunk; i < end; i++)
                {
                    var a = left[i];
                    var b = right[i];
                    var p = 0;
                    for (var k = 0; k < comparisons.Length; k++)
                    {
                        p += (comparisons[k].Level(a, b, caches[k]) + 1) * multiplier[k];
                    }

                    patterns[i] = p;
                    if (p == last)
                    {
                        lastCount++;
                    }
                    else
                    {
                        if (last >= 0)
                        {
                            System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(local, last, out _) += lastCount;
                        }

                        last = p;
                        lastCount = 1;
                    }
                }

                if (last >= 0)
                {
                    System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(local, last, out _) += lastCount;
                }

                if (progress is not null)
                {
                    progress.Report((double)Interlocked.Increment(ref done) / chunks);
                }

                return state;
            },
            state =>
            {
                lock (totals)
                {
                    foreach (var (p, c) in state.Counts)
                    {
                        totals[p] = totals.GetValueOrDefault(p) + c;
                    }
                }
            });
        pairs.Patterns = patterns;
        pairs.PatternCounts = totals;
    }

    private LevelCache?[] NewCaches() => [.. _comparisons.Select(c => c.Cacheable ? new LevelCache() : null)];

    /// <summary>
    /// Trains the model: u from random record pairs (seeded; pairs across the two tables when linking), then
    /// m and λ by EM over the candidate pairs' patterns (u is free inside EM because blocking makes candidate
    /// pairs agree more than random ones; the final u is the random-pair estimate). λ over all pairs is EM's
    /// expected number of matches divided by <see cref="TotalPairs"/>. Fixed m, u and prior in the settings
    /// are kept as given.
    /// </summary>
    public FellegiSunterModel Train(CandidatePairs pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        if (pairs.PatternCounts is null)
        {
            ComparePairs(pairs);
        }

        var u = EstimateU();
        var c = _comparisons.Length;
        var m = new double[c][];
        var uEm = new double[c][];
        var fixedM = new bool[c];
        var fixedU = new bool[c];
        for (var k = 0; k < c; k++)
        {
            var settings = _comparisons[k].Settings;
            var levels = _comparisons[k].LevelCount;
            if (settings.FixedU is { } fu)
            {
                u[k] = [.. fu];
            }

            if (settings.FixedM is { } fm)
            {
                m[k] = [.. fm];
                fixedM[k] = true;
            }
            else
            {
                m[k] = new double[levels];
                double sum = 0;
                for (var l = 0; l < levels - 1; l++)
                {
                    m[k][l] = Math.Pow(0.5, l);
                    sum += m[k][l];
                }

                for (var l = 0; l < levels - 1; l++)
                {
                    m[k][l] = 0.95 * m[k][l] / sum;
                }

                m[k][levels - 1] = 0.05;
            }

            uEm[k] = [.. u[k]];
        }

        var distinct = pairs.PatternCounts!.OrderBy(p => p.Key).ToArray();
        var patterns = new sbyte[distinct.Length][];
        var counts = new long[distinct.Length];
        for (var p = 0; p < distinct.Length; p++)
        {
            patterns[p] = Decode(distinct[p].Key);
            counts[p] = distinct[p].Value;
        }

        var training = Settings.Training;
        var fixedLambda = training.Prior is not null;
        var lambda = training.Prior is { } prior && pairs.Count > 0
            ? Math.Clamp(prior * TotalPairs / pairs.Count, FellegiSunter.Floor, 1 - FellegiSunter.Floor)
            : 0.1;
        var em = (fixedM.All(f => f) && fixedLambda) || pairs.Count == 0
            ? new EmResult(lambda, 0, pairs.Count > 0, lambda * pairs.Count)
            : FellegiSunter.Em(patterns, counts, m, uEm, lambda, fixedM, fixedU, fixedLambda, training.MaxIterations, training.Tolerance);
        // With no candidate pairs there is nothing to learn λ from: assume one match in all possible pairs.
        var finalPrior = training.Prior
            ?? Math.Clamp(Math.Max(em.ExpectedMatches, pairs.Count == 0 ? 1 : 0) / Math.Max(2, TotalPairs), 1e-12, 0.5);

        // m from per-rule training sessions where a comparison can be estimated without its own column
        // deciding which pairs were looked at (the joint estimate stays where no session can).
        var sessions = TrainSessions(pairs, u, m, fixedM, em.Lambda);
        for (var k = 0; k < c; k++)
        {
            if (!fixedM[k] && sessions[k] is { } sm)
            {
                m[k] = sm;
            }
        }

        return new FellegiSunterModel
        {
            Prior = finalPrior,
            Comparisons = [.. _comparisons.Select((cr, k) => new ComparisonParameters(
                cr.Settings.Name,
                [.. cr.Settings.LevelLabels.Select((label, l) => new LevelParameters(label, m[k][l], u[k][l]))]))],
            Iterations = em.Iterations,
            Converged = em.Converged,
            ExpectedMatches = em.ExpectedMatches,
            Settings = LinkageSettingsYaml.Write(Settings),
        };
    }

    /// <summary>
    /// Training sessions in the manner of Splink: for each blocking rule, EM over the candidate pairs that rule
    /// generates (whichever rule found them first), with u fixed at the random-pair estimate and the comparisons
    /// on the rule's own columns ignored (blocking forced them to agree, so they say nothing there). Each
    /// comparison's m is the average over the sessions that could estimate it; null where none could.
    /// Fixing u keeps EM from explaining agreement on names and dates as "non-matches that happen to agree",
    /// which a free u in a blocked candidate set otherwise does when, for example, people who moved disagree on
    /// every address field at once.
    /// </summary>
    private double[]?[] TrainSessions(CandidatePairs pairs, double[][] u, double[][] start, bool[] fixedM, double lambda)
    {
        var blocks = Blocks();
        var rules = blocks.Length;
        var c = _comparisons.Length;
        var result = new double[]?[c];
        if (rules == 0 || pairs.Patterns is null)
        {
            return result;
        }

        var keys = blocks.Select(b => b.Keys).ToArray();
        var totals = new Dictionary<int, long>[rules];
        for (var r = 0; r < rules; r++)
        {
            totals[r] = [];
        }

        // Patterns of a systematic sample of at most about two million pairs estimate m as well as all of them.
        var step = Math.Max(1, pairs.Count / 2_000_000);
        const int Chunk = 1 << 16;
        Parallel.For(
            0,
            (pairs.Count + Chunk - 1) / Chunk,
            () => Enumerable.Range(0, rules).Select(_ => new Dictionary<int, long>()).ToArray(),
            (chunk, loop, local) =>
            {
                var end = Math.Min(pairs.Count, (chunk + 1) * Chunk);
                for (var i = chunk * Chunk; i < end; i++)
                {
                    if (i % step != 0)
                    {
                        continue;
                    }

                    var a = pairs.Left[i];
                    var b = pairs.Right[i];
                    for (var r = 0; r < rules; r++)
                    {
                        var ka = keys[r][a];
                        if (ka != 0 && ka == keys[r][b])
                        {
                            ref var n = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(local[r], pairs.Patterns[i], out _);
                            n++;
                        }
                    }
                }

                return local;
            },
            local =>
            {
                lock (totals)
                {
                    for (var r = 0; r < rules; r++)
                    {
                        foreach (var (p, n) in local[r])
                        {
                            totals[r][p] = totals[r].GetValueOrDefault(p) + n;
                        }
                    }
                }
            });

        var sums = new double[c][];
        var sessions = new int[c];
        for (var r = 0; r < rules; r++)
        {
            var columns = Settings.Blocking[r].Select(k => FieldRef.Parse(k).Column).ToHashSet(StringComparer.Ordinal);
            var blocked = _comparisons.Select(cr => columns.Contains(FieldRef.Parse(cr.Settings.Field).Column)).ToArray();
            long pairCount = 0;
            var merged = new Dictionary<int, long>();
            foreach (var (p, n) in totals[r])
            {
                var key = p;
                for (var k = 0; k < c; k++)
                {
                    if (blocked[k])
                    {
                        key -= (p / _multiplier[k] % _radix[k]) * _multiplier[k];
                    }
                }

                merged[key] = merged.GetValueOrDefault(key) + n;
                pairCount += n;
            }

            if (pairCount < 100 || blocked.All(b => b))
            {
                continue;
            }

            var ordered = merged.OrderBy(p => p.Key).ToArray();
            var patterns = ordered.Select(p => Decode(p.Key)).ToArray();
            var counts = ordered.Select(p => p.Value).ToArray();
            var m = start.Select(x => (double[])x.Clone()).ToArray();
            var uFixed = u.Select(x => (double[])x.Clone()).ToArray();
            var fixedHere = blocked.Select((b, k) => b || fixedM[k]).ToArray();
            FellegiSunter.Em(
                patterns, counts, m, uFixed, Math.Clamp(lambda, 0.01, 0.9), fixedHere, [.. Enumerable.Repeat(true, c)], false,
                Settings.Training.MaxIterations, Settings.Training.Tolerance);
            for (var k = 0; k < c; k++)
            {
                if (fixedHere[k])
                {
                    continue;
                }

                sums[k] ??= new double[m[k].Length];
                for (var l = 0; l < m[k].Length; l++)
                {
                    sums[k][l] += m[k][l];
                }

                sessions[k]++;
            }
        }

        for (var k = 0; k < c; k++)
        {
            if (sessions[k] > 0)
            {
                result[k] = [.. sums[k].Select(x => x / sessions[k])];
            }
        }

        return result;
    }

    /// <summary>u per comparison and level from random pairs (deterministic for a seed, whatever the thread count).</summary>
    public double[][] EstimateU()
    {
        Prepare();
        var c = _comparisons.Length;
        var total = Settings.Training.USamplePairs;
        const int Chunk = 1 << 15;
        var chunks = (total + Chunk - 1) / Chunk;
        var counts = new long[c][];
        for (var k = 0; k < c; k++)
        {
            counts[k] = new long[_comparisons[k].LevelCount];
        }

        var seed = Settings.Training.Seed;
        Parallel.For(
            0,
            chunks,
            () => (Counts: CreateCounts(), Caches: NewCaches()),
            (chunk, _, state) =>
            {
                var local = state.Counts;
                var rng = new Random(unchecked((seed * 7919) + chunk));
                var n = Math.Min(Chunk, total - (chunk * Chunk));
                for (var i = 0; i < n; i++)
                {
                    int a, b;
                    if (IsLink)
                    {
                        a = rng.Next(LeftCount);
                        b = LeftCount + rng.Next(Count - LeftCount);
                    }
                    else
                    {
                        a = rng.Next(Count);
                        b = rng.Next(Count - 1);
                        if (b >= a)
                        {
                            b++;
                        }
                    }

                    for (var k = 0; k < c; k++)
                    {
                        var l = _comparisons[k].Level(a, b, state.Caches[k]);
                        if (l >= 0)
                        {
                            local[k][l]++;
                        }
                    }
                }

                return state;
            },
            state =>
            {
                var local = state.Counts;
                lock (counts)
                {
                    for (var k = 0; k < c; k++)
                    {
                        for (var l = 0; l < local[k].Length; l++)
                        {
                            counts[k][l] += local[k][l];
                        }
                    }
                }
            });
        var u = new double[c][];
        for (var k = 0; k < c; k++)
        {
            long sum = 0;
            foreach (var n in counts[k])
            {
                sum += n;
            }

            u[k] = new double[counts[k].Length];
            for (var l = 0; l < u[k].Length; l++)
            {
                // A level never seen among random pairs gets half a pair, so its weight stays finite.
                u[k][l] = sum == 0 ? 1.0 / u[k].Length : Math.Max(counts[k][l], 0.5) / sum;
            }

            // When the first level is exact agreement, its u need not be sampled: it is the chance that two
            // random records share a value, Σ over values of both sides' shares. The other levels keep their
            // sampled proportions of the remainder.
            if (_comparisons[k].ExactLevel == 0 && ExactAgreement(_comparisons[k].Field) is { } exact)
            {
                var rest = 0.0;
                for (var l = 1; l < u[k].Length; l++)
                {
                    rest += u[k][l];
                }

                // No agreeing pair at all counts as half a pair, as for sampled levels.
                var uExact = Math.Clamp(Math.Max(exact, 0.5 / Math.Max(1, TotalPairs)), 1e-12, 1 - FellegiSunter.Floor);
                u[k][0] = uExact;
                for (var l = 1; l < u[k].Length; l++)
                {
                    u[k][l] = Math.Max(FellegiSunter.Floor, rest > 0 ? u[k][l] * (1 - uExact) / rest : (1 - uExact) / (u[k].Length - 1));
                }
            }
        }

        return u;

        long[][] CreateCounts()
        {
            var local = new long[c][];
            for (var k = 0; k < c; k++)
            {
                local[k] = new long[_comparisons[k].LevelCount];
            }

            return local;
        }
    }

    /// <summary>
    /// The exact chance that two records drawn at random (across the tables when linking), both with a value,
    /// have the same value: Σ c(c − 1) / (n(n − 1)) when deduplicating, Σ c_left × c_right / (n_left × n_right)
    /// when linking. Null when there are too few values.
    /// </summary>
    private double? ExactAgreement(EncodedField field)
    {
        if (!IsLink)
        {
            double n = field.NonMissing;
            if (n < 2)
            {
                return null;
            }

            double same = 0;
            for (var v = 1; v < field.Counts.Length; v++)
            {
                same += (double)field.Counts[v] * (field.Counts[v] - 1);
            }

            return same / (n * (n - 1));
        }

        var left = new long[field.Counts.Length];
        long nLeft = 0;
        for (var i = 0; i < LeftCount; i++)
        {
            var v = field.Ids[i];
            if (v != 0)
            {
                left[v]++;
                nLeft++;
            }
        }

        double agree = 0;
        long nRight = 0;
        for (var v = 1; v < field.Counts.Length; v++)
        {
            var right = field.Counts[v] - left[v];
            nRight += right;
            agree += (double)left[v] * right;
        }

        return nLeft == 0 || nRight == 0 ? null : agree / ((double)nLeft * nRight);
    }

    /// <summary>Match weight of every candidate pair (in parallel), from its pattern and term frequencies.</summary>
    public double[] Score(FellegiSunterModel model, CandidatePairs pairs)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(pairs);
        if (pairs.Patterns is null)
        {
            ComparePairs(pairs);
        }

        CheckModel(model);
        var weights = Weights(model);
        var patternWeight = new Dictionary<int, double>(pairs.PatternCounts!.Count);
        foreach (var p in pairs.PatternCounts.Keys)
        {
            var w = model.PriorWeight;
            var levels = Decode(p);
            for (var k = 0; k < levels.Length; k++)
            {
                if (levels[k] >= 0)
                {
                    w += weights[k][levels[k]];
                }
            }

            patternWeight[p] = w;
        }

        var tf = TermFrequencyAdjustments(model);
        var tfComparisons = Enumerable.Range(0, _comparisons.Length).Where(k => tf[k] is not null).ToArray();
        var result = new double[pairs.Count];
        var patterns = pairs.Patterns!;

        // A direct table of pattern weights when the pattern space is small enough, else the dictionary.
        long space = 1;
        foreach (var r in _radix)
        {
            space *= r;
        }

        double[]? direct = null;
        if (space <= 1 << 22)
        {
            direct = new double[space];
            foreach (var (p, w) in patternWeight)
            {
                direct[p] = w;
            }
        }

        Parallel.For(0, (pairs.Count + 65535) / 65536, chunk =>
        {
            var end = Math.Min(pairs.Count, (chunk + 1) * 65536);
            for (var i = chunk * 65536; i < end; i++)
            {
                var p = patterns[i];
                var w = direct is not null ? direct[p] : patternWeight[p];
                foreach (var k in tfComparisons)
                {
                    if ((p / _multiplier[k] % _radix[k]) - 1 == _comparisons[k].ExactLevel)
                    {
                        w += tf[k]![_comparisons[k].Field.Ids[pairs.Left[i]]];
                    }
                }

                result[i] = w;
            }
        });
        return result;
    }

    /// <summary>The prior and each comparison's level, partial weight and adjustment for one pair of records.</summary>
    public PairExplanation Explain(FellegiSunterModel model, int left, int right)
    {
        ArgumentNullException.ThrowIfNull(model);
        Prepare();
        var cached = _explainCache;
        if (cached is null || !ReferenceEquals(cached.Value.Model, model))
        {
            CheckModel(model);
            cached = (model, Weights(model), TermFrequencyAdjustments(model));
            _explainCache = cached;
        }

        var (_, weights, tf) = cached.Value;
        var terms = new List<ExplanationTerm>();
        var total = model.PriorWeight;
        for (var k = 0; k < _comparisons.Length; k++)
        {
            var level = _comparisons[k].Level(left, right);
            var partial = level >= 0 ? weights[k][level] : 0;
            var adjustment = tf[k] is { } adj && level == _comparisons[k].ExactLevel ? adj[_comparisons[k].Field.Ids[left]] : 0;
            terms.Add(new ExplanationTerm(
                _comparisons[k].Settings.Name, level, level >= 0 ? model.Comparisons[k].Levels[level].Label : "missing", partial, adjustment));
            if (level >= 0)
            {
                total += partial;
            }
        }

        foreach (var t in terms)
        {
            if (t.TermFrequencyAdjustment != 0)
            {
                total += t.TermFrequencyAdjustment;
            }
        }

        return new PairExplanation(RecordId(left), RecordId(right), model.PriorWeight, terms, total);
    }

    /// <summary>
    /// Groups records into entities: links at or above <paramref name="thresholdWeight"/> are joined strongest
    /// first (ties by record index) with union–find; a link is cut when the two groups it would join carry
    /// different values of a must-not-conflict field. Each cluster is named by its smallest record id (left
    /// file first, then ordinal order), which stays the same across runs while that record is present.
    /// </summary>
    public ClusterResult Cluster(CandidatePairs pairs, double[] weights, double thresholdWeight) =>
        Cluster(pairs, weights, thresholdWeight, null, null);

    /// <summary>
    /// Clusters as <see cref="Cluster(CandidatePairs, double[], double)"/> with reviewers' decisions: after the
    /// scored links, every <paramref name="mustLink"/> pair joins the two clusters its records are in (whatever
    /// the weight and the identifier guard, because a person decided it), and no join, scored or forced, may
    /// put the two records of a <paramref name="cannotLink"/> pair into one cluster (such links are cut with
    /// field "review").
    /// </summary>
    public ClusterResult Cluster(
        CandidatePairs pairs, double[] weights, double thresholdWeight,
        IReadOnlyList<(int Left, int Right)>? mustLink, IReadOnlyList<(int Left, int Right)>? cannotLink)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        ArgumentNullException.ThrowIfNull(weights);
        Prepare();
        var links = new List<int>();
        for (var i = 0; i < pairs.Count; i++)
        {
            if (weights[i] >= thresholdWeight)
            {
                links.Add(i);
            }
        }

        links.Sort((x, y) =>
        {
            var c = weights[y].CompareTo(weights[x]);
            if (c != 0)
            {
                return c;
            }

            c = pairs.Left[x].CompareTo(pairs.Left[y]);
            return c != 0 ? c : pairs.Right[x].CompareTo(pairs.Right[y]);
        });
        var parent = new int[Count];
        for (var i = 0; i < Count; i++)
        {
            parent[i] = i;
        }

        var guard = _guards.Select(g => (int[])g.Ids.Clone()).ToArray();
        var cuts = new List<CutLink>();
        int Find(int x)
        {
            while (parent[x] != x)
            {
                parent[x] = parent[parent[x]];
                x = parent[x];
            }

            return x;
        }

        // Cannot-link partners per cluster root; merged on every join, so a join is checked against them all.
        var forbidden = new Dictionary<int, List<int>>();
        foreach (var (a, b) in cannotLink ?? [])
        {
            CollectionsMarshal.GetValueRefOrAddDefault(forbidden, a, out _) ??= [];
            forbidden[a].Add(b);
            CollectionsMarshal.GetValueRefOrAddDefault(forbidden, b, out _) ??= [];
            forbidden[b].Add(a);
        }

        bool Forbidden(int ra, int rb)
        {
            if (forbidden.Count == 0)
            {
                return false;
            }

            var la = forbidden.GetValueOrDefault(ra);
            var lb = forbidden.GetValueOrDefault(rb);
            var (list, other) = (la?.Count ?? 0) <= (lb?.Count ?? 0) ? (la, rb) : (lb, ra);
            return list is not null && list.Any(p => Find(p) == other);
        }

        void Join(int ra, int rb)
        {
            parent[rb] = ra;
            for (var g = 0; g < guard.Length; g++)
            {
                if (guard[g][ra] == 0)
                {
                    guard[g][ra] = guard[g][rb];
                }
            }

            if (forbidden.Remove(rb, out var moved))
            {
                CollectionsMarshal.GetValueRefOrAddDefault(forbidden, ra, out _) ??= [];
                forbidden[ra].AddRange(moved);
            }
        }

        foreach (var i in links)
        {
            var ra = Find(pairs.Left[i]);
            var rb = Find(pairs.Right[i]);
            if (ra == rb)
            {
                continue;
            }

            if (Forbidden(ra, rb))
            {
                cuts.Add(new CutLink(pairs.Left[i], pairs.Right[i], "review", weights[i]));
                continue;
            }

            var conflict = -1;
            for (var g = 0; g < guard.Length; g++)
            {
                var va = guard[g][ra];
                var vb = guard[g][rb];
                if (va != 0 && vb != 0 && va != vb)
                {
                    conflict = g;
                    break;
                }
            }

            if (conflict >= 0)
            {
                cuts.Add(new CutLink(pairs.Left[i], pairs.Right[i], Settings.MustNotConflict[conflict], weights[i]));
                continue;
            }

            Join(ra, rb);
        }

        foreach (var (a, b) in mustLink ?? [])
        {
            var ra = Find(a);
            var rb = Find(b);
            if (ra == rb)
            {
                continue;
            }

            if (Forbidden(ra, rb))
            {
                cuts.Add(new CutLink(a, b, "review", double.PositiveInfinity));
                continue;
            }

            Join(ra, rb);
        }

        var best = new int[Count];
        Array.Fill(best, -1);
        for (var i = 0; i < Count; i++)
        {
            var r = Find(i);
            if (best[r] < 0 || IsBefore(i, best[r]))
            {
                best[r] = i;
            }
        }

        var representative = new int[Count];
        var clusters = 0;
        for (var i = 0; i < Count; i++)
        {
            representative[i] = best[Find(i)];
            if (representative[i] == i)
            {
                clusters++;
            }
        }

        return new ClusterResult(representative, clusters, cuts);
    }

    private bool IsBefore(int x, int y)
    {
        var sx = x < LeftCount ? 0 : 1;
        var sy = y < LeftCount ? 0 : 1;
        return sx != sy ? sx < sy : string.CompareOrdinal(RecordId(x), RecordId(y)) < 0;
    }

    /// <summary>Per comparison with term frequencies: per value number, log2(u_exact / share of records with that value).</summary>
    private double[]?[] TermFrequencyAdjustments(FellegiSunterModel model)
    {
        var result = new double[]?[_comparisons.Length];
        for (var k = 0; k < _comparisons.Length; k++)
        {
            var cr = _comparisons[k];
            var exact = cr.ExactLevel;
            if (!cr.Settings.TermFrequency || exact < 0 || cr.Field.NonMissing == 0)
            {
                continue;
            }

            var u = model.Comparisons[k].Levels[exact].U;
            var adj = new double[cr.Field.Counts.Length];
            for (var v = 1; v < adj.Length; v++)
            {
                adj[v] = Math.Log2(u / ((double)cr.Field.Counts[v] / cr.Field.NonMissing));
            }

            result[k] = adj;
        }

        return result;
    }

    private static double[][] Weights(FellegiSunterModel model) =>
        [.. model.Comparisons.Select(c => c.Levels.Select(l => l.Weight).ToArray())];

    private void CheckModel(FellegiSunterModel model)
    {
        if (model.Comparisons.Count != _comparisons.Length
            || model.Comparisons.Select((c, k) => c.Levels.Count != _comparisons[k].LevelCount || c.Name != _comparisons[k].Settings.Name).Any(b => b))
        {
            throw new LinkageInputException("The model's comparisons and levels do not match the configuration's.");
        }
    }

    private sbyte[] Decode(int pattern)
    {
        var levels = new sbyte[_comparisons.Length];
        for (var k = 0; k < levels.Length; k++)
        {
            levels[k] = (sbyte)((pattern / _multiplier[k] % _radix[k]) - 1);
        }

        return levels;
    }

    private string RuleText(int r) => string.Join(" & ", Settings.Blocking[r]);

    private static bool FoundEarlier(long[][] keys, int rule, int a, int b)
    {
        for (var k = 0; k < rule; k++)
        {
            var ka = keys[k][a];
            if (ka != 0 && ka == keys[k][b])
            {
                return true;
            }
        }

        return false;
    }

    private BlockIndex[] Blocks()
    {
        if (_blocks is null)
        {
            var blocks = new BlockIndex[_blockingKeys.Length];
            Parallel.For(0, blocks.Length, r =>
            {
                var key = string.Join(" & ", Settings.Blocking[r].Select(k => FieldRef.Parse(k)).Select(f => $"{f}|{Settings.Columns[f.Column]}"));
                blocks[r] = _encoder is PlainEncoder ? _store.Block(key, () => _blockingKeys[r]) : BlockIndex.Build(_blockingKeys[r], Count);
            });
            _blocks = blocks;
        }

        return _blocks;
    }
}

/// <summary>
/// One blocking rule's key per record (0 when any key part is missing, so missing values never form a block)
/// and the records with a key sorted by it.
/// </summary>
public sealed class BlockIndex
{
    private BlockIndex(long[] keys, long[] sortedKeys, int[] sortedRecords)
    {
        Keys = keys;
        SortedKeys = sortedKeys;
        SortedRecords = sortedRecords;
    }

    public long[] Keys { get; }

    public long[] SortedKeys { get; }

    public int[] SortedRecords { get; }

    /// <summary>
    /// Keys from the parts' value numbers: exact (mixed radix) when the combinations fit in 62 bits,
    /// otherwise a 64-bit FNV-1a hash of them.
    /// </summary>
    public static BlockIndex Build(IReadOnlyList<EncodedField> parts, int count)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var key = new long[count];
        double space = 1;
        foreach (var p in parts)
        {
            space *= p.Values.Length;
        }

        var exact = space < 4e18;
        var present = 0;
        for (var i = 0; i < count; i++)
        {
            long h = exact ? 0 : unchecked((long)0xcbf29ce484222325);
            var missing = false;
            foreach (var p in parts)
            {
                var id = p.Ids[i];
                if (id == 0)
                {
                    missing = true;
                    break;
                }

                h = exact ? (h * p.Values.Length) + id : unchecked((h ^ id) * 0x100000001b3);
            }

            key[i] = missing ? 0 : h == 0 ? 1 : h;
            if (!missing)
            {
                present++;
            }
        }

        // LSD radix sort on the parts' value numbers (a stable counting sort per part, last part first): records
        // end up ordered by (part 1, part 2, …, record index), so equal keys are contiguous, in linear time.
        var order = new int[present];
        var j = 0;
        for (var i = 0; i < count; i++)
        {
            if (key[i] != 0)
            {
                order[j++] = i;
            }
        }

        var scratch = new int[present];
        for (var p = parts.Count - 1; p >= 0; p--)
        {
            var ids = parts[p].Ids;
            var buckets = new int[parts[p].Values.Length + 1];
            foreach (var r in order)
            {
                buckets[ids[r] + 1]++;
            }

            for (var b = 1; b < buckets.Length; b++)
            {
                buckets[b] += buckets[b - 1];
            }

            foreach (var r in order)
            {
                scratch[buckets[ids[r]]++] = r;
            }

            (order, scratch) = (scratch, order);
        }

        var sortedKeys = new long[present];
        for (var i = 0; i < present; i++)
        {
            sortedKeys[i] = key[order[i]];
        }

        var sortedRecords = order;
        return new BlockIndex(key, sortedKeys, sortedRecords);
    }

    /// <summary>Pairs this rule makes on its own: within each block, or left × right within it when linking.</summary>
    public long Pairs(int leftCount, bool isLink)
    {
        long pairs = 0;
        var start = 0;
        while (start < SortedKeys.Length)
        {
            var end = start;
            long left = 0;
            while (end < SortedKeys.Length && SortedKeys[end] == SortedKeys[start])
            {
                if (SortedRecords[end] < leftCount)
                {
                    left++;
                }

                end++;
            }

            long size = end - start;
            pairs += isLink ? left * (size - left) : size * (size - 1) / 2;
            start = end;
        }

        return pairs;
    }
}
