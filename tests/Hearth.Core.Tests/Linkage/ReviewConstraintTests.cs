using Hearth.Core.Linkage;

namespace Hearth.Core.Tests.Linkage;

/// <summary>Reviewers' decisions in clustering: accepted pairs are forced links, rejected pairs cannot-link constraints.</summary>
public sealed class ReviewConstraintTests
{
    [Fact]
    public void Cluster_RejectedPair_IsNeverJoinedEvenThroughAChain()
    {
        // A–B (9) and B–C (8) would chain all three; a reviewer rejected A–C.
        var table = LinkageTestData.People(("A", "smith", null, null), ("B", "smith", null, null), ("C", "smith", null, null));
        var engine = new LinkageEngine(LinkageTestData.Settings(), table);
        var pairs = new CandidatePairs([0, 1], [1, 2], 2, []);

        var result = engine.Cluster(pairs, [9, 8], 0, null, [(0, 2)]);

        Assert.Equal(0, result.Representative[1]); // the stronger link A–B is made
        Assert.Equal(2, result.Representative[2]); // B–C would put C with A: cut
        var cut = Assert.Single(result.Cuts);
        Assert.Equal(("review", 1, 2), (cut.Field, cut.Left, cut.Right));
    }

    [Fact]
    public void Cluster_AcceptedPair_IsJoinedBelowTheThresholdAndDespiteConflictingIdentifiers()
    {
        var table = LinkageTestData.People(("A", "smith", null, "9434765870"), ("B", "smyth", null, "4010232137"));
        var engine = new LinkageEngine(LinkageTestData.Settings(guard: ["nhs"]), table);
        var pairs = new CandidatePairs([0], [1], 1, []);

        Assert.Equal(2, engine.Cluster(pairs, [-5], 3).ClusterCount);
        var forced = engine.Cluster(pairs, [-5], 3, [(0, 1)], null);
        Assert.Equal(1, forced.ClusterCount);
        Assert.Empty(forced.Cuts);
    }

    [Fact]
    public void Cluster_AcceptedAndRejectedTogether_RejectionWins()
    {
        // Accepted A–B and B–C, rejected A–C: the second forced join would break the rejection, so it is cut.
        var table = LinkageTestData.People(("A", "x", null, null), ("B", "x", null, null), ("C", "x", null, null));
        var engine = new LinkageEngine(LinkageTestData.Settings(), table);
        var result = engine.Cluster(new CandidatePairs([], [], 0, []), [], 0, [(0, 1), (1, 2)], [(0, 2)]);
        Assert.Equal(2, result.ClusterCount);
        Assert.Equal("review", Assert.Single(result.Cuts).Field);
    }

    [Fact]
    public void Assign_EachClusterKeepsThePersonHoldingMostOfItsRecords_TiesToTheLowestId()
    {
        // Cluster 0 holds 3 records of person 7 and 1 of person 5; cluster 1 holds 2 of person 5 and 2 of person 9
        // (a tie: the lowest id, 5, wins); cluster 2 holds 1 of person 7 only, which cluster 0 already kept, so it
        // is a new person (0).
        var claims = new List<(int, long, int)> { (0, 7, 3), (0, 5, 1), (1, 5, 2), (1, 9, 2), (2, 7, 1) };
        Assert.Equal([7, 5, 0], PersonLinkageService.Assign(3, claims));
    }

    [Fact]
    public void Assign_TwoClustersSplitFromOnePerson_TheLargerKeepsIt()
    {
        var claims = new List<(int, long, int)> { (0, 4, 1), (1, 4, 5) };
        Assert.Equal([0, 4], PersonLinkageService.Assign(2, claims));
    }
}
