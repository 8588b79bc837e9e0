using Hearth.Core.Synthetic;

namespace Hearth.Core.Tests.Synthetic;

public sealed class DeterminismTests
{
    [Fact]
    public void Generate_SameSeedTwice_GivesByteIdenticalFiles()
    {
        var a = Temp();
        var b = Temp();
        var c = Temp();
        try
        {
            var settings = new GeneratorSettings { Households = 300, Seed = 42 };
            BoroughGenerator.Generate(settings, a, cancellationToken: TestContext.Current.CancellationToken);
            // A different batch size changes how work is split between threads, never the output.
            BoroughGenerator.Generate(settings with { BatchSize = 7 }, b, cancellationToken: TestContext.Current.CancellationToken);
            BoroughGenerator.Generate(settings with { Seed = 43 }, c, cancellationToken: TestContext.Current.CancellationToken);
            var files = Directory.GetFiles(a, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(a, f)).Order(StringComparer.Ordinal).ToList();
            Assert.Equal(OutputFiles.All.Count + 1, files.Count);
            foreach (var file in files)
            {
                Assert.Equal(File.ReadAllBytes(Path.Combine(a, file)), File.ReadAllBytes(Path.Combine(b, file)));
            }

            Assert.NotEqual(File.ReadAllBytes(Path.Combine(a, "truth/persons.csv")), File.ReadAllBytes(Path.Combine(c, "truth/persons.csv")));
        }
        finally
        {
            foreach (var d in new[] { a, b, c })
            {
                Directory.Delete(d, recursive: true);
            }
        }
    }

    [Fact]
    public void Simulate_OneHousehold_DoesNotDependOnTheBoroughAroundIt()
    {
        // Household 5 generated within a run of 300 and within a run of 10 has the same people.
        var small = new HouseholdSimulator(new GeneratorSettings { Households = 10, Seed = 3 }, new Borough(10), NameData.Shared).Simulate(5);
        var large = new HouseholdSimulator(new GeneratorSettings { Households = 300, Seed = 3 }, new Borough(300), NameData.Shared).Simulate(5);
        Assert.Equal(small.Members.Select(m => (m.Forename, m.Dob, m.NhsNumber)), large.Members.Select(m => (m.Forename, m.Dob, m.NhsNumber)));
        Assert.Equal(small.Events.Count, large.Events.Count);
    }

    [Fact]
    public void Simulate_PeriodEndingMidMonth_KeepsTwelveMonthsAfterEveryReferenceDate()
    {
        var settings = new GeneratorSettings { Households = 200, Seed = 5, Start = new DateOnly(2020, 1, 1), End = new DateOnly(2022, 3, 10) };
        Assert.Empty(settings.Validate());
        var simulator = new HouseholdSimulator(settings, new Borough(200), NameData.Shared);
        for (var i = 0; i < 200; i++)
        {
            var h = simulator.Simulate(i);
            Assert.True(h.RefDate.AddMonths(-12) >= settings.Start);
            Assert.True(h.RefDate.AddMonths(12) <= settings.End.AddDays(1), $"reference date {h.RefDate}");
        }
    }

    private static string Temp() => Path.Combine(Path.GetTempPath(), "hearth-det-" + Guid.NewGuid().ToString("N"));
}
