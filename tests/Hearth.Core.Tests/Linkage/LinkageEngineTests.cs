using Hearth.Core.Linkage;

namespace Hearth.Core.Tests.Linkage;

public sealed class LinkageEngineTests
{
    // Valid NHS numbers, check digits by hand (weights 10..2, check = 11 − sum mod 11):
    // 943476587|0 is the published example; 401023213 → 40+0+8+0+12+15+8+3+6 = 92, 92 mod 11 = 4, check 7;
    // 123456788 → 10+18+24+28+30+30+28+24+16 = 208, 208 mod 11 = 10, check 1.
    private const string NhsA = "9434765870";
    private const string NhsC = "4010232137";
    private const string NhsD = "1234567881";

    [Fact]
    public void GeneratePairs_SecondRuleSkipsPairsTheFirstFound_AndCountsBeforeRunning()
    {
        var table = LinkageTestData.People(
            ("r1", "smith", "1980-01-01", null),
            ("r2", "smith", "1980-01-01", null),
            ("r3", "smith", "1990-02-02", null),
            ("r4", "jones", "1980-01-01", null),
            ("r5", null, null, null));
        var engine = new LinkageEngine(LinkageTestData.Settings([["name"], ["dob"]]), table);

        var counts = engine.CountBlocking();
        var pairs = engine.GeneratePairs();

        // name: {r1,r2,r3} → 3 pairs; dob 1980-01-01: {r1,r2,r4} → 3 pairs, of which r1–r2 is already found.
        // r5 has no name and no date, so it is in no block (missing values never form a block).
        Assert.Equal(3, counts[0].PairsBeforeDeduplication);
        Assert.Equal(3, counts[1].PairsBeforeDeduplication);
        Assert.Equal(3, pairs.Rules[0].NewPairs);
        Assert.Equal(2, pairs.Rules[1].NewPairs);
        Assert.Equal(5, pairs.Count);
        var set = Enumerable.Range(0, pairs.Count).Select(i => (pairs.Left[i], pairs.Right[i])).ToHashSet();
        Assert.Equal(5, set.Count);
        Assert.Contains((0, 3), set);
        Assert.Contains((1, 3), set);
    }

    [Fact]
    public void GeneratePairs_Link_OnlyPairsAcrossTables()
    {
        var left = LinkageTestData.People(("a1", "smith", "1980-01-01", null), ("a2", "smith", "1980-01-01", null));
        var right = LinkageTestData.People(("b1", "smith", "1980-01-01", null));
        var engine = new LinkageEngine(LinkageTestData.Settings([["name"]]), left, right);
        var pairs = engine.GeneratePairs();
        Assert.Equal(2, pairs.Count); // a1–b1, a2–b1; never a1–a2
        Assert.All(Enumerable.Range(0, pairs.Count), i => Assert.True(pairs.Left[i] < 2 && pairs.Right[i] >= 2));
        Assert.Equal(2, engine.TotalPairs);
    }

    [Fact]
    public void Level_MissingValue_IsNoInformation()
    {
        var table = LinkageTestData.People(("r1", "smith", null, NhsA), ("r2", "smith", "1980-01-01", NhsA));
        var engine = new LinkageEngine(LinkageTestData.Settings(), table);
        engine.Prepare();
        Assert.Equal(-1, engine.Comparisons[1].Level(0, 1));
        Assert.Equal(0, engine.Comparisons[0].Level(0, 1));
    }

    [Fact]
    public void Level_DatesAndIdentifiers_FollowTheirLevels()
    {
        var table = LinkageTestData.People(
            ("r1", "smith", "1980-03-12", NhsA),
            ("r2", "smyth", "1980-12-03", "9437465870"),
            ("r3", "smith", "1981-01-05", null),
            ("r4", "jones", "1990-01-01", NhsC));
        var engine = new LinkageEngine(LinkageTestData.Settings(), table);
        engine.Prepare();
        var (name, dob, nhs) = (engine.Comparisons[0], engine.Comparisons[1], engine.Comparisons[2]);
        Assert.Equal(1, name.Level(0, 1)); // smith/smyth: JW = 0.893 ≥ 0.88
        Assert.Equal(1, dob.Level(0, 1)); // day and month swapped
        Assert.Equal(2, dob.Level(0, 2)); // 299 days apart: within 1 year
        Assert.Equal(3, dob.Level(0, 3)); // else
        Assert.Equal(1, nhs.Level(0, 1)); // adjacent digits swapped
        Assert.Equal(2, nhs.Level(0, 3)); // else
    }

    [Fact]
    public void Level_IsSymmetricForEveryComparison()
    {
        var left = LinkageTestData.FebrlA();
        var auto = AutoConfigure.Configure(left, null, ["rec_id"]);
        var engine = new LinkageEngine(auto.Settings, left);
        engine.Prepare();
        foreach (var c in engine.Comparisons)
        {
            for (var a = 0; a < 60; a++)
            {
                for (var b = 0; b < 60; b++)
                {
                    Assert.Equal(c.Level(a, b), c.Level(b, a));
                }
            }
        }
    }

    [Fact]
    public void Explain_TermsSumExactlyToTheScoredWeight()
    {
        var table = LinkageTestData.People(
            ("r1", "smith", "1980-03-12", NhsA),
            ("r2", "smith", "1980-12-03", NhsA),
            ("r3", "smyth", "1980-03-12", null),
            ("r4", "sarah", "1975-05-05", NhsC),
            ("r5", "simon", "1980-03-12", NhsD));
        var engine = new LinkageEngine(LinkageTestData.Settings(), table);
        var pairs = engine.GeneratePairs();
        var model = engine.Train(pairs);
        var weights = engine.Score(model, pairs);
        Assert.True(pairs.Count >= 6);
        for (var i = 0; i < pairs.Count; i++)
        {
            var e = engine.Explain(model, pairs.Left[i], pairs.Right[i]);
            var sum = e.PriorWeight;
            foreach (var t in e.Terms.Where(t => t.Level >= 0))
            {
                sum += t.PartialWeight;
            }

            foreach (var t in e.Terms.Where(t => t.TermFrequencyAdjustment != 0))
            {
                sum += t.TermFrequencyAdjustment;
            }

            Assert.Equal(sum, e.MatchWeight);
            Assert.Equal(weights[i], e.MatchWeight);
            Assert.All(e.Terms.Where(t => t.Level < 0), t => Assert.Equal(0, t.PartialWeight));
        }
    }

    [Fact]
    public void Cluster_ConflictingNhsNumbers_AreNeverChainedTogether()
    {
        // A–B and B–C are both strong links; A and C carry different valid NHS numbers; B has none.
        var table = LinkageTestData.People(("A", "smith", null, NhsA), ("B", "smith", null, null), ("C", "smith", null, NhsC));
        var guarded = new LinkageEngine(LinkageTestData.Settings(guard: ["nhs"]), table);
        var pairs = new CandidatePairs([0, 1], [1, 2], 2, []);
        double[] weights = [10, 8];

        var result = guarded.Cluster(pairs, weights, 0);

        Assert.Equal(0, result.Representative[0]);
        Assert.Equal(0, result.Representative[1]); // the stronger link A–B wins
        Assert.Equal(2, result.Representative[2]); // C stays apart
        Assert.Equal(2, result.ClusterCount);
        var cut = Assert.Single(result.Cuts);
        Assert.Equal(("nhs", 1, 2), (cut.Field, cut.Left, cut.Right));

        // Without the guard the same links chain all three.
        var unguarded = new LinkageEngine(LinkageTestData.Settings(), table).Cluster(pairs, weights, 0);
        Assert.Equal(1, unguarded.ClusterCount);
    }

    [Fact]
    public void Cluster_InvalidNhsNumbers_DoNotCountAsConflicts()
    {
        var table = LinkageTestData.People(("A", "smith", null, NhsA), ("B", "smith", null, "1234567890"));
        var engine = new LinkageEngine(LinkageTestData.Settings(guard: ["nhs"]), table);
        var result = engine.Cluster(new CandidatePairs([0], [1], 1, []), [5], 0);
        Assert.Equal(1, result.ClusterCount);
    }

    [Fact]
    public void Cluster_IdIsTheSmallestRecordIdWhateverTheOrder()
    {
        var table = LinkageTestData.People(("p9", "a", null, null), ("p10", "a", null, null), ("p2", "a", null, null));
        var engine = new LinkageEngine(LinkageTestData.Settings(), table);
        var result = engine.Cluster(new CandidatePairs([0, 1], [1, 2], 2, []), [3, 3], 0);
        // Ordinal order: "p10" < "p2" < "p9".
        Assert.All(result.Representative, r => Assert.Equal("p10", engine.RecordId(r)));
    }

    [Fact]
    public void Run_SameInputTwice_GivesSamePairsWeightsAndClusters()
    {
        static (string[] Pairs, double[] Weights, string[] Clusters) Run()
        {
            var auto = AutoConfigure.Configure(LinkageTestData.FebrlA(), LinkageTestData.FebrlB(), ["rec_id"]);
            var engine = new LinkageEngine(auto.Settings, LinkageTestData.FebrlA(), LinkageTestData.FebrlB());
            var pairs = engine.GeneratePairs();
            var model = engine.Train(pairs);
            var weights = engine.Score(model, pairs);
            var clusters = engine.Cluster(pairs, weights, auto.Settings.EffectiveThresholdWeight);
            return (
                [.. Enumerable.Range(0, pairs.Count).Select(i => engine.RecordId(pairs.Left[i]) + "|" + engine.RecordId(pairs.Right[i]))],
                weights,
                [.. clusters.Representative.Select(engine.RecordId)]);
        }

        var first = Run();
        var second = Run();
        Assert.Equal(first.Pairs, second.Pairs);
        Assert.Equal(first.Weights, second.Weights);
        Assert.Equal(first.Clusters, second.Clusters);
    }

    [Fact]
    public void KeyedHashEncoder_ExactLevelsWork_TextLevelsAreRefused()
    {
        var table = LinkageTestData.People(("r1", "smith", "1980-01-01", NhsA), ("r2", "Smith", "1980-01-01", NhsA));
        var encoder = new KeyedHashEncoder([1, 2, 3, 4]);
        var exactOnly = new LinkageSettings
        {
            Columns = new Dictionary<string, ColumnType>(StringComparer.Ordinal) { ["name"] = ColumnType.Name },
            Comparisons = [new ComparisonSettings { Name = "name", Field = "name", Levels = [new LevelSpec(LevelKind.Exact)] }],
            Blocking = [["name"]],
        };
        var engine = new LinkageEngine(exactOnly, table, encoder: encoder);
        engine.Prepare();
        Assert.Equal(0, engine.Comparisons[0].Level(0, 1));
        Assert.DoesNotContain("smith", engine.Field("name").Values);

        var fuzzy = new LinkageEngine(LinkageTestData.Settings(), table, encoder: encoder);
        var e = Assert.Throws<LinkageInputException>(fuzzy.Prepare);
        Assert.Contains("jaro_winkler", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Model_SavedAndLoaded_ScoresTheSame()
    {
        var table = LinkageTestData.People(
            ("r1", "smith", "1980-03-12", NhsA), ("r2", "smith", "1980-12-03", NhsA), ("r3", "smyth", "1980-03-12", null));
        var engine = new LinkageEngine(LinkageTestData.Settings(), table);
        var pairs = engine.GeneratePairs();
        var model = engine.Train(pairs);
        var path = System.IO.Path.GetTempFileName();
        try
        {
            model.Save(path);
            var loaded = FellegiSunterModel.Load(path);
            Assert.Equal(model.Prior, loaded.Prior);
            Assert.Equal(engine.Score(model, pairs), engine.Score(loaded, pairs));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void EstimateU_ExactLevel_IsTheShareOfRandomPairsThatAgree()
    {
        // Names a, a, b, b, c and one missing: pairs of the 5 named records that agree = a–a, b–b = 2 of
        // C(5,2) = 10, so u_exact = 0.2 (Σ c(c−1) / (n(n−1)) = (2 + 2) / 20).
        var table = LinkageTestData.People(
            ("1", "anna", null, null), ("2", "anna", null, null), ("3", "bea", null, null),
            ("4", "bea", null, null), ("5", "cat", null, null), ("6", null, null, null));
        var engine = new LinkageEngine(LinkageTestData.Settings(), table);
        var u = engine.EstimateU();
        Assert.Equal(0.2, u[0][0], 12);
        Assert.Equal(1.0, u[0].Sum(), 9);
    }

    [Fact]
    public void EstimateU_Link_CountsAgreementAcrossTheTables()
    {
        // Left: anna, anna, bea; right: anna, cat → agreeing cross pairs 2 × 1 = 2 of 3 × 2 = 6: u_exact = 1/3.
        var left = LinkageTestData.People(("l1", "anna", null, null), ("l2", "anna", null, null), ("l3", "bea", null, null));
        var right = LinkageTestData.People(("r1", "anna", null, null), ("r2", "cat", null, null));
        var u = new LinkageEngine(LinkageTestData.Settings(), left, right).EstimateU();
        Assert.Equal(1.0 / 3, u[0][0], 12);
    }

    [Fact]
    public void Train_FixedPriorAndM_AreKept()
    {
        var table = LinkageTestData.People(("r1", "smith", "1980-03-12", NhsA), ("r2", "smith", "1980-12-03", NhsA));
        var baseSettings = LinkageTestData.Settings();
        var settings = new LinkageSettings
        {
            Columns = baseSettings.Columns,
            Comparisons = [.. baseSettings.Comparisons.Select((c, k) => k == 0
                ? new ComparisonSettings { Name = c.Name, Field = c.Field, Levels = c.Levels, FixedM = [0.9, 0.07, 0.03] }
                : c)],
            Blocking = baseSettings.Blocking,
            Training = new TrainingSettings { Prior = 0.01, USamplePairs = 1000 },
        };
        var engine = new LinkageEngine(settings, table);
        var model = engine.Train(engine.GeneratePairs());
        Assert.Equal(0.01, model.Prior);
        Assert.Equal([0.9, 0.07, 0.03], model.Comparisons[0].Levels.Select(l => l.M));
    }
}
