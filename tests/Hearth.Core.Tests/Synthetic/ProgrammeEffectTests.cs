using Hearth.Core.Synthetic;

namespace Hearth.Core.Tests.Synthetic;

/// <summary>
/// The programme's true effect, measured on simulated events (no files): among attached families, events
/// after attachment that are observed, against those that would have happened without the programme.
/// </summary>
public sealed class ProgrammeEffectTests
{
    [Fact]
    public void Simulate_AttachedFamilies_ShowTheConfiguredEffectOnEachOutcome()
    {
        var settings = new GeneratorSettings { Households = 6000, Seed = 11 };
        var simulator = new HouseholdSimulator(settings, new Borough(settings.Households), NameData.Shared);
        var observed = new Dictionary<EventKind, int>();
        var untreated = new Dictionary<EventKind, int>();
        long unauthorisedObserved = 0, unauthorisedUntreated = 0;
        var treatedFamilies = 0;
        for (var i = 0; i < settings.Households; i++)
        {
            var h = simulator.Simulate(i);
            if (!h.Treated)
            {
                Assert.All(h.Events.Where(e => !e.Extra), e => Assert.True(e.Observed));
                continue;
            }

            treatedFamilies++;
            foreach (var e in h.Events.Where(e => e.Date >= h.RefDate))
            {
                if (e.Kind == EventKind.AttendanceTerm)
                {
                    unauthorisedObserved += e.ObservedCount;
                    unauthorisedUntreated += e.N3;
                    continue;
                }

                if (e.Observed)
                {
                    observed[e.Kind] = observed.GetValueOrDefault(e.Kind) + 1;
                }

                if (!e.Extra)
                {
                    untreated[e.Kind] = untreated.GetValueOrDefault(e.Kind) + 1;
                }
            }
        }

        Assert.True(treatedFamilies > 150, $"only {treatedFamilies} families attached");
        // Expected ratios are 1 + effect: offences 0.80, ASB 0.85, A&E 0.90, exclusions 0.80. With n untreated
        // events and survival p, the ratio's standard deviation is √(p(1−p)/n); the bounds allow 4 of them.
        foreach (var (kind, effect) in new[] { (EventKind.Offence, -0.20), (EventKind.Asb, -0.15), (EventKind.AeAttendance, -0.10), (EventKind.Exclusion, -0.20) })
        {
            var n = untreated[kind];
            var p = 1 + effect;
            var ratio = (double)observed[kind] / n;
            var tolerance = 4 * Math.Sqrt(p * (1 - p) / n);
            Assert.True(n >= 100, $"{kind}: only {n} events");
            Assert.InRange(ratio, p - tolerance, p + tolerance);
        }

        // Unauthorised absence: each term's count is floor(n × 0.75 + u), so the total is within one
        // session per term of 75% of the untreated total (and a quarter lower on average).
        Assert.InRange((double)unauthorisedObserved / unauthorisedUntreated, 0.70, 0.80);
    }

    [Fact]
    public void Simulate_PositiveEffect_AddsEventsOnlyAfterAttachment()
    {
        var settings = new GeneratorSettings { Households = 3000, Seed = 12, Programme = new ProgrammeSettings { EffectAsb = 0.5 } };
        var simulator = new HouseholdSimulator(settings, new Borough(settings.Households), NameData.Shared);
        int observed = 0, untreated = 0;
        for (var i = 0; i < settings.Households; i++)
        {
            var h = simulator.Simulate(i);
            foreach (var e in h.Events.Where(e => e.Kind == EventKind.Asb))
            {
                var after = h.Treated && e.Date >= h.RefDate;
                Assert.Equal(!e.Extra || after, e.Observed);
                if (after)
                {
                    observed += e.Observed ? 1 : 0;
                    untreated += e.Extra ? 0 : 1;
                }
            }
        }

        // Extra events arrive at half the untreated rate: the ratio should be about 1.5.
        Assert.InRange((double)observed / untreated, 1.3, 1.7);
    }
}
