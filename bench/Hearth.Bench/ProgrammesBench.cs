using System.Diagnostics;
using System.Globalization;
using Hearth.Core;
using Hearth.Core.Programmes;

namespace Hearth.Bench;

/// <summary>
/// Programme rules at county scale: synthesises families (seeded) in batches, runs identification and outcome
/// measurement for every one under the Supporting Families 2022 framework, then drafts, audits and packs
/// claims for a sample. Usage: <c>rules [families=500000] [claimFamilies=10000] [seed=20261125]</c>.
/// </summary>
public static class ProgrammesBench
{
    private const int BatchSize = 5_000;
    private static readonly string[] SourceNames = [.. Enum.GetValues<EventType>().Select(t => "src-" + EventSchema.NameOf(t))];
    private static readonly DateOnly AsOf = new(2024, 6, 30);
    private static readonly ProgrammeDataCoverage Coverage = ProgrammeDataCoverage.Everything(new DatePeriod(new DateOnly(2019, 1, 1), new DateOnly(2024, 12, 31)));

    public static int Run(string[] args)
    {
        var families = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 500_000;
        var claimFamilies = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10_000;
        var seed = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 20261125;
        var framework = FrameworkCatalog.LoadShipped("supporting-families-2022.yaml");
        var engine = new ProgrammeEngine();

        // Generation alone, to separate its cost from the engine's.
        var (people, events) = BenchRunner.Measure($"synthesise {families:N0} families (no evaluation)", () =>
        {
            long p = 0, e = 0;
            Parallel.For(0, Batches(families), new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, () => (0L, 0L), (b, _, acc) =>
            {
                var batch = Synthesise(seed, b, families);
                return (acc.Item1 + batch.Sum(f => f.Family.Members.Count), acc.Item2 + batch.Sum(f => f.Events.Count));
            }, acc =>
            {
                Interlocked.Add(ref p, acc.Item1);
                Interlocked.Add(ref e, acc.Item2);
            });
            return (p, e);
        });
        Console.WriteLine($"  {people:N0} people, {events:N0} events ({(double)events / families:F1} per family)");

        long identifyTicks = 0, measureTicks = 0;
        var (eligible, needs, sustained) = BenchRunner.Measure($"synthesise + identify + measure outcomes for {families:N0} families", () =>
        {
            long el = 0, nd = 0, su = 0;
            Parallel.For(0, Batches(families), new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, () => (0L, 0L, 0L), (b, _, acc) =>
            {
                long idTicks = 0, msTicks = 0;
                foreach (var f in Synthesise(seed, b, families))
                {
                    var t0 = Stopwatch.GetTimestamp();
                    var id = engine.Identify(framework, f, AsOf);
                    var t1 = Stopwatch.GetTimestamp();
                    var report = engine.Measure(framework, f, AsOf);
                    idTicks += t1 - t0;
                    msTicks += Stopwatch.GetTimestamp() - t1;
                    acc.Item1 += id.Eligible == Truth.True ? 1 : 0;
                    acc.Item2 += report.Needs.Count;
                    acc.Item3 += report.Needs.Count(n => n.Status == NeedStatus.Sustained);
                }

                Interlocked.Add(ref identifyTicks, idTicks);
                Interlocked.Add(ref measureTicks, msTicks);
                return acc;
            }, acc =>
            {
                Interlocked.Add(ref el, acc.Item1);
                Interlocked.Add(ref nd, acc.Item2);
                Interlocked.Add(ref su, acc.Item3);
            });
            return (el, nd, su);
        });
        Console.WriteLine($"  {eligible:N0} eligible on {AsOf:yyyy-MM-dd}; {needs:N0} needs measured against baselines, {sustained:N0} sustained");
        Console.WriteLine($"  thread time: identification {identifyTicks / (double)Stopwatch.Frequency:F1} s, outcome measurement (baseline at attachment + statuses + results) {measureTicks / (double)Stopwatch.Frequency:F1} s");

        // Claim cohort: families whose problems stop at attachment, so most reach a claimable result.
        var claimDate = new DateOnly(2024, 12, 31);
        var claimData = Enumerable.Range(0, Batches(claimFamilies)).SelectMany(b => Synthesise(seed + 1, b, claimFamilies, improving: true)).ToList();
        var window = new ClaimWindow("2024-25", framework.Id, new DatePeriod(new DateOnly(2024, 4, 1), new DateOnly(2025, 3, 31)), claimFamilies);
        var clock = new FixedClock(new DateTimeOffset(2024, 7, 1, 9, 0, 0, TimeSpan.Zero));
        var officer = new ClaimActor("officer", ClaimRole.Officer);
        var auditor = new ClaimActor("auditor", ClaimRole.InternalAuditor);
        var senior = new ClaimActor("senior", ClaimRole.SeniorOfficer);
        BenchRunner.Measure($"claims for {claimFamilies:N0} families (assess, freeze, audit, submit, sample, pack)", () =>
        {
            var ledger = new ClaimLedger(engine, clock);
            foreach (var f in claimData)
            {
                var a = ledger.Assess(framework, f, claimDate);
                var (claim, broken) = ledger.Draft(a, "successful_family_outcome", window, officer);
                if (claim is not null && broken.Count == 0)
                {
                    ledger.MarkReady(claim, officer);
                    ledger.SignOff(claim, auditor);
                    ledger.Submit(claim, senior);
                }
            }

            var sample = AuditSampler.Sample(ledger.Claims, 7, 0.05m, new HashSet<string>(StringComparer.Ordinal) { "near_threshold", "short_intervention" });
            using var csv = new StringWriter(CultureInfo.InvariantCulture);
            ClaimPack.WriteCsv(csv, ledger.Claims, sample);
            using var html = new StringWriter(CultureInfo.InvariantCulture);
            ClaimPack.WriteHtml(html, window.Id, ledger.Claims, sample);
            var national = NationalReturn.Build(window, framework, claimData.Count, ledger.Claims);
            Console.WriteLine($"  {ledger.Claims.Count:N0} claims ({ledger.Claims.Sum(c => c.Amount.Pence) / 100m:N0} pounds), {sample.Count:N0} sampled, pack {csv.GetStringBuilder().Length / 1024:N0} KiB CSV + {html.GetStringBuilder().Length / 1024:N0} KiB HTML, return lines {national.Lines.Count}");
            return 0;
        });
        return 0;
    }

    private static int Batches(int families) => (families + BatchSize - 1) / BatchSize;

    /// <summary>One batch of families, reproducible from the seed and the batch number alone.</summary>
    private static List<ProgrammeFamilyData> Synthesise(int seed, int batch, int total, bool improving = false)
    {
        var rng = new Random(unchecked((seed * 7919) + batch));
        var count = Math.Min(BatchSize, total - (batch * BatchSize));
        var list = new List<ProgrammeFamilyData>(count);
        for (var i = 0; i < count; i++)
        {
            var familyId = "F" + ((batch * BatchSize) + i).ToString(CultureInfo.InvariantCulture);
            var members = new List<ProgrammeMember>();
            var events = new List<ProgrammeEvent>();
            var row = 0;
            var attached = new DateOnly(2022, 10, 3).AddDays(rng.Next(0, 450));
            DateOnly? closed = rng.NextDouble() < 0.6 ? attached.AddDays(rng.Next(120, 300)) : null;
            if (closed > AsOf)
            {
                closed = null;
            }

            var adults = rng.Next(1, 3);
            var children = rng.Next(0, 4);
            for (var a = 0; a < adults; a++)
            {
                members.Add(new ProgrammeMember($"{familyId}-A{a}", MemberRole.Adult, new DateOnly(1970 + rng.Next(0, 30), rng.Next(1, 13), rng.Next(1, 29))));
            }

            for (var c = 0; c < children; c++)
            {
                DateOnly? left = rng.NextDouble() < 0.03 ? new DateOnly(2023, rng.Next(1, 13), 1) : null;
                members.Add(new ProgrammeMember($"{familyId}-C{c}", MemberRole.Child, new DateOnly(2006 + rng.Next(0, 17), rng.Next(1, 13), rng.Next(1, 29)), MemberTo: left));
            }

            var troubled = rng.NextDouble();
            foreach (var m in members)
            {
                void Add(EventType type, DateOnly start, DateOnly? end = null, string? category = null, string? code = null, string? outcome = null) =>
                    events.Add(new ProgrammeEvent
                    {
                        PersonId = m.PersonId, Type = type, Start = start, End = end, Category = category, Code = code, Outcome = outcome,
                        Source = new SourceReference(SourceNames[(int)type], ++row),
                    });

                if (m.Role == MemberRole.Child && m.AgeOn(AsOf) is >= 5 and <= 16)
                {
                    // Nine termly returns: three school years, spring 2021/22 to autumn 2023/24 and on.
                    var poor = rng.NextDouble() < troubled * 0.5;
                    foreach (var term in SchoolTermCalendar.Default.CompletedTermsEndingBy(AsOf, 9))
                    {
                        var possible = 120 + rng.Next(0, 40);
                        var miss = poor && term.Period.Start < attached ? rng.Next(15, 40) : rng.Next(0, 14);
                        events.Add(new ProgrammeEvent
                        {
                            PersonId = m.PersonId, Type = EventType.Attendance, Start = term.Period.Start, Category = "mainstream",
                            SessionsPossible = possible, UnauthorisedAbsence = miss / 2, AuthorisedAbsence = miss - (miss / 2),
                            Source = new SourceReference("school-census", ++row),
                        });
                    }

                    for (var k = rng.Next(0, 3); k > 0; k--)
                    {
                        Add(EventType.Exclusion, Day(rng, 2021, 2024), category: rng.NextDouble() < 0.05 ? "permanent" : "fixed");
                    }

                    if (rng.NextDouble() < troubled * 0.3)
                    {
                        var start = Day(rng, 2021, 2023);
                        Add(EventType.SocialCare, start, start.AddDays(rng.Next(60, 500)), category: rng.NextDouble() < 0.7 ? "child_in_need" : "child_protection");
                    }
                }

                for (var k = rng.Next(0, 6); k > 0; k--)
                {
                    Add(EventType.Offence, Day(rng, 2020, 2024), outcome: rng.NextDouble() < 0.7 ? "proven" : "not_proven");
                }

                for (var k = rng.Next(0, 4); k > 0; k--)
                {
                    Add(EventType.Asb, Day(rng, 2020, 2024), category: "incident");
                }

                for (var k = rng.Next(0, 8); k > 0; k--)
                {
                    Add(EventType.HealthContact, Day(rng, 2020, 2024), category: (rng.Next(0, 3)) switch { 0 => "a_and_e", 1 => "mental_health", _ => "substance_misuse" });
                }

                if (m.Role == MemberRole.Adult)
                {
                    var benefitStart = Day(rng, 2019, 2022);
                    DateOnly? benefitEnd = rng.NextDouble() < 0.5 ? attached.AddDays(rng.Next(30, 300)) : null;
                    Add(EventType.BenefitSpell, benefitStart, benefitEnd, category: rng.NextDouble() < 0.8 ? "out_of_work" : "in_work", code: rng.NextDouble() < 0.5 ? "UC" : "ESA");
                    if (benefitEnd is { } be)
                    {
                        Add(EventType.EmploymentSpell, be.AddDays(1), rng.NextDouble() < 0.5 ? be.AddDays(rng.Next(30, 400)) : null, category: "employed");
                    }

                    for (var k = rng.Next(0, 3); k > 0; k--)
                    {
                        Add(EventType.DomesticAbuse, Day(rng, 2020, 2024), category: "victim");
                    }

                    if (rng.NextDouble() < 0.3)
                    {
                        var hs = Day(rng, 2021, 2023);
                        Add(EventType.Housing, hs, rng.NextDouble() < 0.6 ? hs.AddDays(rng.Next(30, 400)) : null, category: rng.NextDouble() < 0.7 ? "arrears" : "homelessness");
                    }

                    for (var k = rng.Next(0, 4); k > 0; k--)
                    {
                        Add(EventType.EarlyHelp, Day(rng, 2021, 2024), category: "assessment", code: rng.NextDouble() < 0.3 ? "family_relationships" : "other", outcome: rng.NextDouble() < 0.4 ? "resolved" : null);
                    }
                }

                for (var k = rng.Next(0, 3); k > 0; k--)
                {
                    Add(EventType.YouthJustice, Day(rng, 2020, 2024), category: "out_of_court");
                }
            }

            if (improving)
            {
                // Nothing adverse after attachment; spells that mark a need end within two months of it.
                closed = attached.AddDays(rng.Next(90, 200));
                var settle = attached.AddDays(60);
                events.RemoveAll(e => e.Start >= attached && e.Type is not (EventType.Attendance or EventType.EmploymentSpell or EventType.EarlyHelp));
                for (var k = 0; k < events.Count; k++)
                {
                    var e = events[k];
                    if (e.Type is EventType.BenefitSpell or EventType.Housing or EventType.SocialCare && (e.End is null || e.End > settle))
                    {
                        events[k] = e with { End = settle < e.Start ? e.Start : settle };
                    }
                }

                events.Add(new ProgrammeEvent { PersonId = members[0].PersonId, Type = EventType.EmploymentSpell, Start = settle.AddDays(1), Category = "employed", Source = new SourceReference("src-employment_spell", ++row) });
            }

            var family = new ProgrammeFamily(familyId, members, attached, closed, improving || rng.NextDouble() < 0.95, improving || rng.NextDouble() < 0.95, improving || rng.NextDouble() < 0.9);
            list.Add(new ProgrammeFamilyData(family, events, Coverage));
        }

        return list;
    }

    private static DateOnly Day(Random rng, int fromYear, int toYear) =>
        new DateOnly(fromYear, 1, 1).AddDays(rng.Next(0, ((toYear - fromYear) * 365) + 180));

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
