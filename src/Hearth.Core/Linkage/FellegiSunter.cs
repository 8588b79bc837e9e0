using System.Text.Json;
using System.Text.Json.Serialization;

namespace Hearth.Core.Linkage;

/// <summary>One level's parameters: m = P(level | match), u = P(level | non-match).</summary>
public sealed record LevelParameters(string Label, double M, double U)
{
    /// <summary>Partial match weight log2(m / u).</summary>
    [JsonIgnore]
    public double Weight => Math.Log2(M / U);
}

/// <summary>A comparison's parameters for every level including "else".</summary>
public sealed record ComparisonParameters(string Name, IReadOnlyList<LevelParameters> Levels);

/// <summary>
/// A trained Fellegi–Sunter model. A pair's match weight is log2(λ / (1 − λ)) plus, for each comparison
/// whose values are both present, log2(m / u) of the level it falls in (and a term-frequency adjustment on
/// exact agreement where configured); its match probability is 2^w / (1 + 2^w).
/// </summary>
public sealed class FellegiSunterModel
{
    /// <summary>Prior match probability λ: the chance that two records drawn at random are the same person.</summary>
    public required double Prior { get; init; }

    public required IReadOnlyList<ComparisonParameters> Comparisons { get; init; }

    /// <summary>EM iterations run (0 when every parameter was fixed).</summary>
    public int Iterations { get; init; }

    /// <summary>True when EM stopped because the parameters stopped moving.</summary>
    public bool Converged { get; init; }

    /// <summary>Expected number of matching pairs among the candidate pairs, from EM.</summary>
    public double ExpectedMatches { get; init; }

    /// <summary>The configuration the model was trained with, as YAML.</summary>
    public string? Settings { get; init; }

    /// <summary>The prior as a weight, log2(λ / (1 − λ)).</summary>
    [JsonIgnore]
    public double PriorWeight => Math.Log2(Prior / (1 - Prior));

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public void Save(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, Json));

    public static FellegiSunterModel Load(string path)
    {
        try
        {
            var model = JsonSerializer.Deserialize<FellegiSunterModel>(File.ReadAllText(path), Json)
                ?? throw new LinkageInputException($"{path}: the model file is empty.");
            if (model.Prior is <= 0 or >= 1 || model.Comparisons.Any(c => c.Levels.Any(l => l.M <= 0 || l.U <= 0)))
            {
                throw new LinkageInputException($"{path}: the model has a prior or an m/u probability outside (0, 1).");
            }

            return model;
        }
        catch (JsonException e)
        {
            throw new LinkageInputException($"{path}, line {(e.LineNumber ?? 0) + 1}: not a Hearth model file: {e.Message}");
        }
        catch (IOException e)
        {
            throw new LinkageInputException($"{path}: cannot be read: {e.Message}");
        }
    }
}

/// <summary>The Fellegi–Sunter arithmetic and the EM algorithm over comparison patterns.</summary>
public static class FellegiSunter
{
    /// <summary>Smallest probability a parameter may take, so no weight is infinite.</summary>
    public const double Floor = 1e-6;

    /// <summary>Match weight for a probability: log2(p / (1 − p)).</summary>
    public static double WeightOf(double probability) => Math.Log2(probability / (1 - probability));

    /// <summary>Match probability for a weight: 2^w / (1 + 2^w).</summary>
    public static double ProbabilityOf(double weight) => 1 / (1 + Math.Pow(2, -weight));

    /// <summary>
    /// Expectation–maximisation over distinct comparison patterns. <paramref name="patterns"/>[p][c] is the
    /// level of comparison c in pattern p (−1 = missing, contributes nothing); <paramref name="counts"/>[p]
    /// how many pairs show it. m, u and λ are updated in place; entries of <paramref name="fixedM"/>,
    /// <paramref name="fixedU"/> that are true keep their starting values, and so does λ when
    /// <paramref name="fixedLambda"/> is set.
    /// </summary>
    public static EmResult Em(
        sbyte[][] patterns, long[] counts, double[][] m, double[][] u, double lambda,
        bool[] fixedM, bool[] fixedU, bool fixedLambda, int maxIterations, double tolerance)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentNullException.ThrowIfNull(m);
        ArgumentNullException.ThrowIfNull(u);
        ArgumentNullException.ThrowIfNull(fixedM);
        ArgumentNullException.ThrowIfNull(fixedU);
        var c = m.Length;
        var mAcc = new double[c][];
        var uAcc = new double[c][];
        for (var k = 0; k < c; k++)
        {
            mAcc[k] = new double[m[k].Length];
            uAcc[k] = new double[u[k].Length];
        }

        double total = 0;
        foreach (var n in counts)
        {
            total += n;
        }

        var iterations = 0;
        var converged = false;
        double matches = 0;
        while (iterations < maxIterations)
        {
            iterations++;
            for (var k = 0; k < c; k++)
            {
                Array.Clear(mAcc[k]);
                Array.Clear(uAcc[k]);
            }

            matches = 0;
            for (var p = 0; p < patterns.Length; p++)
            {
                var pattern = patterns[p];
                double lm = lambda, lu = 1 - lambda;
                for (var k = 0; k < c; k++)
                {
                    var l = pattern[k];
                    if (l >= 0)
                    {
                        lm *= m[k][l];
                        lu *= u[k][l];
                    }
                }

                var w = lm / (lm + lu);
                var nm = counts[p] * w;
                var nu = counts[p] - nm;
                matches += nm;
                for (var k = 0; k < c; k++)
                {
                    var l = pattern[k];
                    if (l >= 0)
                    {
                        mAcc[k][l] += nm;
                        uAcc[k][l] += nu;
                    }
                }
            }

            var change = 0.0;
            for (var k = 0; k < c; k++)
            {
                if (!fixedM[k])
                {
                    change = Math.Max(change, Normalise(mAcc[k], m[k]));
                }

                if (!fixedU[k])
                {
                    change = Math.Max(change, Normalise(uAcc[k], u[k]));
                }
            }

            if (!fixedLambda)
            {
                var next = Math.Clamp(matches / total, Floor, 1 - Floor);
                change = Math.Max(change, Math.Abs(next - lambda));
                lambda = next;
            }

            if (change < tolerance)
            {
                converged = true;
                break;
            }
        }

        return new EmResult(lambda, iterations, converged, matches);
    }

    private static double Normalise(double[] acc, double[] target)
    {
        double sum = 0;
        foreach (var a in acc)
        {
            sum += a;
        }

        if (sum <= 0)
        {
            return 0;
        }

        var change = 0.0;
        for (var l = 0; l < acc.Length; l++)
        {
            var next = Math.Max(acc[l] / sum, Floor);
            change = Math.Max(change, Math.Abs(next - target[l]));
            target[l] = next;
        }

        return change;
    }
}

/// <summary>Outcome of an EM run.</summary>
public readonly record struct EmResult(double Lambda, int Iterations, bool Converged, double ExpectedMatches);
