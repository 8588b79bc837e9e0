using System.Globalization;

namespace Hearth.Core.Evaluation;

/// <summary>How a covariate enters the models: a number, or a factor expanded to dummies.</summary>
public enum CovariateKind
{
    Numeric,
    Factor,
}

/// <summary>
/// One covariate as read from the data: numeric values, or factor levels (sorted ordinally, so the first level
/// alphabetically is the reference, R's convention, unless <see cref="ReferenceLevel"/> names another).
/// </summary>
public sealed class Covariate
{
    private Covariate(string name, CovariateKind kind, double[]? values, int[]? codes, IReadOnlyList<string> levels, string? reference)
    {
        Name = name;
        Kind = kind;
        Values = values;
        Codes = codes;
        Levels = levels;
        ReferenceLevel = reference;
    }

    public string Name { get; }

    public CovariateKind Kind { get; }

    /// <summary>Numeric values (numeric covariates only).</summary>
    public double[]? Values { get; }

    /// <summary>Level index of each row (factor covariates only).</summary>
    public int[]? Codes { get; }

    /// <summary>Factor levels in order (empty for numeric covariates).</summary>
    public IReadOnlyList<string> Levels { get; }

    /// <summary>The level left out of the propensity model's dummies.</summary>
    public string? ReferenceLevel { get; }

    public int Count => Values?.Length ?? Codes!.Length;

    public static Covariate FromNumbers(string name, double[] values) =>
        new(name, CovariateKind.Numeric, values, null, [], null);

    /// <summary>A factor from text values; levels sorted ordinally; reference = first level unless given.</summary>
    public static Covariate FromLevels(string name, IReadOnlyList<string> text, string? reference = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var levels = text.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var map = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < levels.Length; i++)
        {
            map[levels[i]] = i;
        }

        var codes = new int[text.Count];
        for (var i = 0; i < codes.Length; i++)
        {
            codes[i] = map[text[i]];
        }

        if (reference is not null && !map.ContainsKey(reference))
        {
            throw new EvaluationInputException($"factor '{name}' has no level '{reference}' to use as the reference; levels: {string.Join(", ", levels)}");
        }

        return new Covariate(name, CovariateKind.Factor, null, codes, levels, reference ?? levels[0]);
    }

    /// <summary>
    /// Reads a covariate column: numeric when every value is a number; a factor when the values are text. A column
    /// that is mostly numbers with a few text cells is an error naming the first bad line (a typo, not a factor).
    /// </summary>
    public static Covariate FromTable(EvaluationTable table, string column, string? reference = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (table.TryNumeric(column, out var numbers))
        {
            if (reference is not null)
            {
                throw new EvaluationInputException(table.Source, null, column, $"a reference level ('{reference}') was given but the column is numeric, not a factor");
            }

            return FromNumbers(column, numbers);
        }

        var text = table.Text(column);
        for (var i = 0; i < text.Count; i++)
        {
            if (text[i].Length == 0 || string.Equals(text[i], "NA", StringComparison.Ordinal))
            {
                throw new EvaluationInputException(table.Source, table.LineOf(i), column, "the value is missing");
            }
        }

        if (table.NumericShare(column) >= 0.5)
        {
            // Mostly numbers: report the first non-number as a bad value rather than turn the column into a factor.
            table.Numeric(column);
        }

        try
        {
            return FromLevels(column, text, reference);
        }
        catch (EvaluationInputException ex)
        {
            throw new EvaluationInputException(table.Source, null, column, ex.Message);
        }
    }
}

/// <summary>One column of a design: its name in R's style (e.g. <c>racehispan</c>) and whether it is 0/1.</summary>
public sealed record DesignTerm(string Name, string Covariate, bool IsBinary);

/// <summary>
/// A dense design matrix stored row-major (n rows × p columns), built from covariates the way R's
/// <c>model.matrix</c> does: an optional intercept, numeric columns as they are, each factor as one dummy per
/// non-reference level (<see cref="ForModel"/>) or per level (<see cref="ForBalance"/>, MatchIt's balance table).
/// </summary>
public sealed class DesignMatrix
{
    public DesignMatrix(IReadOnlyList<DesignTerm> terms, double[] values, int rows)
    {
        ArgumentNullException.ThrowIfNull(terms);
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length != checked(rows * terms.Count))
        {
            throw new ArgumentException("values must hold rows × terms numbers", nameof(values));
        }

        Terms = terms;
        Values = values;
        Rows = rows;
        Columns = terms.Count;
    }

    public IReadOnlyList<DesignTerm> Terms { get; }

    /// <summary>Row-major values: element (i, j) is at <c>i * Columns + j</c>.</summary>
    public double[] Values { get; }

    public int Rows { get; }

    public int Columns { get; }

    public double this[int row, int column] => Values[(row * Columns) + column];

    private double[][]? _columnMajor;

    /// <summary>All columns as separate arrays (computed once and cached), for vectorised column-wise kernels.</summary>
    internal double[][] ColumnMajor()
    {
        if (_columnMajor is null)
        {
            var cols = new double[Columns][];
            for (var j = 0; j < Columns; j++)
            {
                cols[j] = Column(j);
            }

            _columnMajor = cols;
        }

        return _columnMajor;
    }

    /// <summary>Column <paramref name="j"/> as a new array.</summary>
    public double[] Column(int j)
    {
        var c = new double[Rows];
        var p = Columns;
        for (var i = 0; i < Rows; i++)
        {
            c[i] = Values[(i * p) + j];
        }

        return c;
    }

    /// <summary>Columns for a regression: intercept (optional), numerics, dummies for non-reference levels.</summary>
    public static DesignMatrix ForModel(IReadOnlyList<Covariate> covariates, bool intercept = true) =>
        Build(covariates, intercept, allLevels: false);

    /// <summary>Columns for a balance table: numerics and one dummy per factor level, no intercept.</summary>
    public static DesignMatrix ForBalance(IReadOnlyList<Covariate> covariates) =>
        Build(covariates, intercept: false, allLevels: true);

    private static DesignMatrix Build(IReadOnlyList<Covariate> covariates, bool intercept, bool allLevels)
    {
        ArgumentNullException.ThrowIfNull(covariates);
        if (covariates.Count == 0 && !intercept)
        {
            throw new ArgumentException("at least one covariate is needed", nameof(covariates));
        }

        var n = covariates.Count > 0 ? covariates[0].Count : 0;
        var terms = new List<DesignTerm>();
        var fillers = new List<Action<double[]>>();
        if (intercept)
        {
            terms.Add(new DesignTerm("(Intercept)", "(Intercept)", false));
            fillers.Add(c => Array.Fill(c, 1.0));
        }

        foreach (var cov in covariates)
        {
            if (cov.Count != n)
            {
                throw new ArgumentException($"covariate '{cov.Name}' has {cov.Count} rows, not {n}", nameof(covariates));
            }

            if (cov.Kind == CovariateKind.Numeric)
            {
                var v = cov.Values!;
                terms.Add(new DesignTerm(cov.Name, cov.Name, Array.TrueForAll(v, x => x is 0 or 1)));
                fillers.Add(c => Array.Copy(v, c, v.Length));
            }
            else
            {
                var codes = cov.Codes!;
                for (var level = 0; level < cov.Levels.Count; level++)
                {
                    if (!allLevels && string.Equals(cov.Levels[level], cov.ReferenceLevel, StringComparison.Ordinal))
                    {
                        continue;
                    }

                    var l = level;
                    terms.Add(new DesignTerm(cov.Name + cov.Levels[level], cov.Name, true));
                    fillers.Add(c =>
                    {
                        for (var i = 0; i < codes.Length; i++)
                        {
                            c[i] = codes[i] == l ? 1.0 : 0.0;
                        }
                    });
                }
            }
        }

        var p = terms.Count;
        var values = new double[checked(n * p)];
        for (var j = 0; j < p; j++)
        {
            var column = new double[n];
            fillers[j](column);
            for (var i = 0; i < n; i++)
            {
                values[(i * p) + j] = column[i];
            }
        }

        return new DesignMatrix(terms, values, n);
    }

    /// <summary>Formats a term list for messages.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Rows} × {Columns}: {string.Join(", ", Terms.Select(t => t.Name))}");
}
