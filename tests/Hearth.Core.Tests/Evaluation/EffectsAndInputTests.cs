using Hearth.Core.Evaluation;

namespace Hearth.Core.Tests.Evaluation;

public sealed class TreatmentEffectsTests
{
    [Fact]
    public void Binary_HandPairs_RiskDifferenceAndRelativeReduction()
    {
        // Four 1:1 pairs. Treated outcomes 1, 0, 0, 0 (rate 1/4); matched controls 1, 1, 0, 0 (rate 2/4).
        // Risk difference = 0.25 − 0.5 = −0.25; relative reduction = 1 − 0.25/0.5 = 0.5.
        double[] d = [0.1, 0.2, 0.3, 0.4, 0.11, 0.21, 0.31, 0.41];
        bool[] t = [true, true, true, true, false, false, false, false];
        double[] y = [1, 0, 0, 0, 1, 1, 0, 0];
        var match = NearestNeighbourMatcher.Match(d, t, new MatchOptions());
        var b = TreatmentEffects.Binary(y, match, ClusterSpec.For(match));
        Assert.Equal(0.25, b.TreatedRate, 1e-12);
        Assert.Equal(0.5, b.ControlRate, 1e-12);
        Assert.Equal(-0.25, b.RiskDifference.Estimate, 1e-12);
        Assert.Equal(0.5, b.RelativeReduction, 1e-12);
        Assert.True(b.RelativeReductionLower < 0.5 && b.RelativeReductionUpper > 0.5 && b.RelativeReductionUpper < 1);
    }

    [Fact]
    public void Cr1_EachUnitItsOwnCluster_EqualsHc1()
    {
        // With G = n singleton clusters the cluster sums are the unit scores and G/(G−1)·(n−1)/(n−k) = n/(n−k),
        // HC1's factor, so CR1 and HC1 coincide exactly.
        var d = LalondeFixture.Data;
        var m = NearestNeighbourMatcher.Match(d.Fit.Scores, d.Treated, new MatchOptions { Replace = true });
        var own = Enumerable.Range(0, d.Ids.Count).ToArray();
        var cr1 = TreatmentEffects.DifferenceInMeans(d.Re78, m, new ClusterSpec(StandardErrorType.CR1, own, "CR1 by id"));
        var hc1 = TreatmentEffects.DifferenceInMeans(d.Re78, m, new ClusterSpec(StandardErrorType.HC1, null, "HC1"));
        Assert.Equal(hc1.StandardError, cr1.StandardError, 1e-9);
    }

    [Fact]
    public void ExactOnRace_Lalonde_OnlyAsManyBlackPairsAsBlackControls()
    {
        // Oracle §4.1: black has 156 treated and 87 controls, so only 87 black pairs form; hispan (11 T, 61 C) and
        // white (18 T, 281 C) match fully: 87 + 11 + 18 = 116 matched treated.
        var d = LalondeFixture.Data;
        var race = d.Table.Text("race");
        var strata = race.Select(r => r switch { "black" => 0, "hispan" => 1, _ => 2 }).ToArray();
        var m = NearestNeighbourMatcher.Match(d.Fit.Scores, d.Treated, new MatchOptions(), exactStrata: strata);
        Assert.Equal(116, m.MatchedTreated);
        for (var i = 0; i < d.Ids.Count; i++)
        {
            foreach (var c in m.Matches[i] ?? [])
            {
                Assert.Equal(race[i], race[c]);
            }
        }
    }

    [Fact]
    public void Runner_ProbitLink_FitsAndMatches()
    {
        var d = LalondeFixture.Data;
        var spec = new EvaluationSpec
        {
            IdColumn = "id",
            TreatmentColumn = "treat",
            Covariates = LalondeFixture.CovariateNames,
            OutcomeColumn = "re78",
            Link = LinkFunction.Probit,
        };
        var r = EvaluationRunner.Run(d.Table, spec);
        Assert.Equal(PropensityFitStatus.Converged, r.Fit.Status);
        Assert.Equal(185, r.Match.MatchedTreated);

        // Probit and logit fits of the same model reach similar maxima; the logit's log-likelihood is −243.92.
        Assert.InRange(r.Fit.LogLikelihood, -250, -240);
    }
}

public sealed class EvaluationTableTests
{
    [Fact]
    public void Read_QuotedFieldsWithCommasAndQuotes_AreKept()
    {
        var t = EvaluationTable.Read(new StringReader("id,name\n1,\"Smith, \"\"J\"\"\"\n"), "q.csv");
        Assert.Equal("Smith, \"J\"", t.Text("name")[0]);
    }

    [Fact]
    public void Read_RaggedRow_IsALocatedError()
    {
        var ex = Assert.Throws<EvaluationInputException>(() => EvaluationTable.Read(new StringReader("a,b\n1,2\n3\n"), "r.csv"));
        Assert.Equal("r.csv, line 3: the row has 1 fields but the header has 2", ex.Message);
        Assert.Equal(3, ex.Line);
    }

    [Fact]
    public void FromTable_TextColumn_BecomesFactor_MostlyNumbersIsATypo()
    {
        var t = EvaluationTable.Read(new StringReader("g,x\nb,1\na,2\nc,x3\n"), "f.csv");
        var g = Covariate.FromTable(t, "g");
        Assert.Equal(CovariateKind.Factor, g.Kind);
        Assert.Equal(["a", "b", "c"], g.Levels);
        var ex = Assert.Throws<EvaluationInputException>(() => Covariate.FromTable(t, "x"));
        Assert.Equal("f.csv, line 4, column 'x': 'x3' is not a number", ex.Message);
    }

    [Fact]
    public void Runner_MissingTreatmentValue_NamesLine()
    {
        var t = EvaluationTable.Read(new StringReader("id,t,x,y\na,1,1,1\nb,,2,2\nc,0,3,3\n"), "m.csv");
        var spec = new EvaluationSpec { IdColumn = "id", TreatmentColumn = "t", Covariates = ["x"], OutcomeColumn = "y" };
        var ex = Assert.Throws<EvaluationInputException>(() => EvaluationRunner.Run(t, spec));
        Assert.Equal("m.csv, line 3, column 't': the treatment is missing; it must be 0 or 1", ex.Message);
    }
}

public sealed class ReferenceLevelTests
{
    [Fact]
    public void Runner_ReferenceLevelGiven_DropsThatLevelFromTheModel()
    {
        var spec = new EvaluationSpec
        {
            IdColumn = "id",
            TreatmentColumn = "treat",
            Covariates = LalondeFixture.CovariateNames,
            OutcomeColumn = "re78",
            ReferenceLevels = new Dictionary<string, string>(StringComparer.Ordinal) { ["race"] = "white" },
        };
        var r = EvaluationRunner.Run(LalondeFixture.Data.Table, spec);
        Assert.Contains("raceblack", r.Fit.Terms);
        Assert.DoesNotContain("racewhite", r.Fit.Terms);

        // Re-coding the factor does not change the model: same fitted scores, hence the same match and ATT as run (a).
        Assert.Equal(894.36748027027443, r.Att.Estimate, 1e-6);
    }

    [Fact]
    public void Runner_UnknownReferenceLevel_SaysWhichLevelsExist()
    {
        var spec = new EvaluationSpec
        {
            IdColumn = "id",
            TreatmentColumn = "treat",
            Covariates = LalondeFixture.CovariateNames,
            OutcomeColumn = "re78",
            ReferenceLevels = new Dictionary<string, string>(StringComparer.Ordinal) { ["race"] = "asian" },
        };
        var ex = Assert.Throws<EvaluationInputException>(() => EvaluationRunner.Run(LalondeFixture.Data.Table, spec));
        Assert.Contains("has no level 'asian' to use as the reference; levels: black, hispan, white", ex.Message, StringComparison.Ordinal);
    }
}

public sealed class LineNumberTests
{
    [Fact]
    public void Numeric_AfterBlankLineAndMultiLineField_ReportsTheFileLine()
    {
        // Line 1 header; line 2 row a; line 3 blank; lines 4–5 row b (quoted note spans two lines); line 6 row c.
        var t = EvaluationTable.Read(new StringReader("id,note,x\na,ok,1\n\nb,\"two\nlines\",2\nc,ok,oops\n"), "l.csv");
        Assert.Equal(3, t.RowCount);
        Assert.Equal("two\nlines", t.Text("note")[1]);
        var ex = Assert.Throws<EvaluationInputException>(() => t.Numeric("x"));
        Assert.Equal("l.csv, line 6, column 'x': 'oops' is not a number", ex.Message);
    }
}
