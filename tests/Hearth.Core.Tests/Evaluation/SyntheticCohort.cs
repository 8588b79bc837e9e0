using System.Globalization;
using System.Text;

namespace Hearth.Tests.Evaluation;

/// <summary>
/// A small seeded cohort in the layout of <c>truth/programme_cohort.csv</c>, with a known constant programme
/// effect on offences. Selection depends on the observed pre-period offences and needs only, so matching on them
/// can recover the effect; families are picked when their offending is high, so their offences would fall anyway
/// (regression to the mean), which is what makes the naive before/after change misleading.
/// </summary>
internal static class SyntheticCohort
{
    public const double Effect = -0.5;

    public static readonly string[] Needs =
    [
        "need_education", "need_crime", "need_domestic_abuse", "need_health", "need_mental_health", "need_substance",
        "need_housing", "need_financial", "need_worklessness", "need_safeguarding",
    ];

    public static string Csv(int families = 1500, int seed = 20)
    {
        var rng = new Random(seed);
        var b = new StringBuilder();
        b.Append("family_id,treated,attach_date,ref_date,n_members,n_children,lone_parent,any_adult_workless,need_count,")
            .Append(string.Join(",", Needs))
            .Append(",pre_offences_12m,pre_asb_12m,pre_unauth_absence_rate,pre_exclusions_12m,pre_ae_12m,post_offences_12m,post_asb_12m,post_unauth_absence_rate,post_exclusions_12m,post_offences_12m_untreated\n");
        for (var f = 0; f < families; f++)
        {
            var lone = Bern(rng, 0.4);
            var children = rng.Next(0, 5);
            var members = children + (lone ? 1 : 2);
            var workless = Bern(rng, 0.5);
            var needs = Needs.Select((_, k) => Bern(rng, 0.1 + (0.03 * k))).ToArray();
            var crime = needs[1] ? 1 : 0;
            var education = needs[0] ? 1 : 0;
            var (tendency, preOffences) = Offending(rng, 0.3 + (1.2 * crime) + (0.3 * (workless ? 1 : 0)));
            var preAsb = Poisson(rng, 0.3 + (0.5 * crime));
            var absence = Math.Round(Math.Clamp(0.05 + (0.1 * education) + (0.05 * rng.NextDouble()), 0, 1), 4);
            var exclusions = Poisson(rng, 0.1 + (0.3 * education));
            var ae = Poisson(rng, 0.4);
            var score = -2.6 + (0.5 * preOffences) + (0.8 * crime) + (0.5 * education) + (0.3 * (lone ? 1 : 0));
            var treated = Bern(rng, 1 / (1 + Math.Exp(-score)));

            // Untreated outcome follows the family's underlying tendency (falling 20% a year everywhere), not last year's
            // count: high counts regress to the mean and fall anyway.
            var untreated = Math.Round((0.8 * tendency) + (0.2 * (workless ? 1 : 0)) + Normal(rng, 0.5), 3);
            var post = treated ? untreated + Effect : untreated;
            b.Append(CultureInfo.InvariantCulture, $"F{f:D5},{(treated ? 1 : 0)},2024-0{1 + (f % 9)}-01,2025-0{1 + (f % 9)}-01,{members},{children},{(lone ? 1 : 0)},{(workless ? 1 : 0)},{needs.Count(n => n)},")
                .Append(string.Join(",", needs.Select(n => n ? "1" : "0")))
                .Append(CultureInfo.InvariantCulture, $",{preOffences},{preAsb},{absence},{exclusions},{ae},{post:R},{Poisson(rng, 0.3)},{absence},{exclusions},{untreated:R}\n");
        }

        return b.ToString();
    }

    private static (double Tendency, int Count) Offending(Random rng, double baseRate)
    {
        var tendency = baseRate * Math.Exp(Normal(rng, 0.7));
        return (tendency, Poisson(rng, tendency));
    }

    private static bool Bern(Random rng, double p) => rng.NextDouble() < p;

    private static double Normal(Random rng, double sd) =>
        sd * Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    private static int Poisson(Random rng, double lambda)
    {
        var l = Math.Exp(-lambda);
        var k = 0;
        var p = 1.0;
        do
        {
            k++;
            p *= rng.NextDouble();
        }
        while (p > l);
        return k - 1;
    }
}
