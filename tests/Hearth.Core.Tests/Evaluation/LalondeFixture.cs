using System.Globalization;
using Hearth.Core.Evaluation;

namespace Hearth.Core.Tests.Evaluation;

/// <summary>MatchIt's lalonde data and the MatchIt 4.7.2 reference files (copied from the evaluation oracle).</summary>
internal static class LalondeFixture
{
    public static readonly string[] CovariateNames = ["age", "educ", "race", "married", "nodegree", "re74", "re75"];

    private static readonly Lazy<Lalonde> Cached = new(Load);

    public static Lalonde Data => Cached.Value;

    public static string PathOf(string file) => Path.Combine(AppContext.BaseDirectory, "Evaluation", "Data", file);

    /// <summary>Reads a reference CSV into rows of named cells.</summary>
    public static List<Dictionary<string, string>> Reference(string file)
    {
        var table = EvaluationTable.Load(PathOf(file));
        var rows = new List<Dictionary<string, string>>();
        for (var i = 0; i < table.RowCount; i++)
        {
            var row = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var h in table.Header)
            {
                row[h] = table.Text(h)[i];
            }

            rows.Add(row);
        }

        return rows;
    }

    public static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    private static Lalonde Load()
    {
        var table = EvaluationTable.Load(PathOf("lalonde.csv"));
        var ids = table.Text("id");
        var treated = table.Numeric("treat").Select(v => v > 0.5).ToArray();
        var covariates = CovariateNames.Select(c => Covariate.FromTable(table, c)).ToArray();
        var model = DesignMatrix.ForModel(covariates);
        var fit = PropensityModel.Fit(model, treated);
        return new Lalonde(table, ids, treated, covariates, model, fit, table.Numeric("re78"));
    }
}

internal sealed record Lalonde(
    EvaluationTable Table,
    IReadOnlyList<string> Ids,
    bool[] Treated,
    Covariate[] Covariates,
    DesignMatrix Model,
    PropensityFit Fit,
    double[] Re78)
{
    public double[] LogitScores => Fit.LinearPredictor;

    /// <summary>The PS-model design without its intercept: the adjustment covariates of the outcome models.</summary>
    public DesignMatrix Adjustment => DesignMatrix.ForModel(Covariates, intercept: false);

    public int Row(string id)
    {
        for (var i = 0; i < Ids.Count; i++)
        {
            if (string.Equals(Ids[i], id, StringComparison.Ordinal))
            {
                return i;
            }
        }

        throw new ArgumentException(id);
    }
}
