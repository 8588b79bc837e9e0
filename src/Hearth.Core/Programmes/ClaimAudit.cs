using System.Globalization;
using System.Net;
using System.Text;

namespace Hearth.Core.Programmes;

/// <summary>A claim chosen for audit, with every reason it was chosen.</summary>
public sealed record SampledClaim(Claim Claim, IReadOnlyList<string> Reasons);

/// <summary>
/// Chooses claims for internal audit: every discretionary claim (rule F6), every claim carrying a risk flag the
/// auditor asks for, and a random share of the rest. The random draw for a claim depends only on the seed and
/// the claim id, so the same seed reproduces the same sample whatever order the claims come in.
/// </summary>
public static class AuditSampler
{
    public static IReadOnlyList<SampledClaim> Sample(IEnumerable<Claim> claims, ulong seed, decimal randomRate, IReadOnlySet<string> riskFlagsToSample)
    {
        ArgumentNullException.ThrowIfNull(claims);
        ArgumentNullException.ThrowIfNull(riskFlagsToSample);
        if (randomRate is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(randomRate), "the random sampling rate is a share from 0 to 1");
        }

        var sample = new List<SampledClaim>();
        foreach (var c in claims.OrderBy(c => c.Id, StringComparer.Ordinal))
        {
            var reasons = new List<string>();
            if (c.Discretionary is not null)
            {
                reasons.Add("discretionary (always sampled)");
            }

            reasons.AddRange(c.RiskFlags.Where(f => f != "discretionary" && riskFlagsToSample.Contains(f)).Select(f => "risk: " + f));
            var draw = Draw(seed, c.Id);
            if (draw < randomRate)
            {
                reasons.Add(string.Create(CultureInfo.InvariantCulture, $"random (draw {draw:0.0000} < {randomRate:0.####})"));
            }

            if (reasons.Count > 0)
            {
                sample.Add(new SampledClaim(c, reasons));
            }
        }

        return sample;
    }

    /// <summary>A uniform number in [0, 1) from the seed and the claim id (FNV-1a then SplitMix64).</summary>
    internal static decimal Draw(ulong seed, string claimId)
    {
        var h = 14695981039346656037UL;
        foreach (var ch in claimId)
        {
            h = unchecked((h ^ ch) * 1099511628211UL);
        }

        var z = unchecked(seed + h + 0x9E3779B97F4A7C15UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return (z >> 11) / (decimal)(1UL << 53);
    }
}

/// <summary>The claim pack for a batch: a CSV of every piece of evidence and a readable HTML page for auditors.</summary>
public static class ClaimPack
{
    private static readonly string[] Header =
    [
        "claim_id", "family_id", "framework", "version", "framework_sha256", "result", "amount_pence", "status", "discretionary",
        "sampled", "sample_reasons", "need_or_measure", "person_id", "status_or_holds", "expression", "window", "value", "comparison",
        "threshold", "outcome", "sources",
    ];

    public static void WriteCsv(TextWriter writer, IEnumerable<Claim> claims, IReadOnlyList<SampledClaim> sample)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(claims);
        ArgumentNullException.ThrowIfNull(sample);
        var sampled = sample.ToDictionary(s => s.Claim.Id, s => string.Join("; ", s.Reasons), StringComparer.Ordinal);
        writer.WriteLine(string.Join(',', Header));
        foreach (var c in claims.OrderBy(c => c.Id, StringComparer.Ordinal))
        {
            var e = c.Evidence;
            string[] head =
            [
                c.Id, e.FamilyId, e.FrameworkId, e.Version, e.FrameworkHash, e.ResultId, e.AmountPence.ToString(CultureInfo.InvariantCulture),
                c.Status.ToString(), c.Discretionary is null ? "no" : "yes", sampled.ContainsKey(c.Id) ? "yes" : "no",
                sampled.GetValueOrDefault(c.Id) ?? string.Empty,
            ];
            var baseline = e.Baseline?.Needs ?? [];
            var rows = baseline.SelectMany(n => Decisions(n.Evidence).Select(x => (Name: "at attachment: need " + n.NeedId, n.PersonId ?? x.Decision.PersonId, Status: "raised", x.Decision, x.Aggregate)))
                .Concat(e.Needs.SelectMany(n => Decisions(n.Evidence).Select(x => (Name: "need " + n.NeedId, n.PersonId ?? x.Decision.PersonId, Status: n.Status, x.Decision, x.Aggregate))))
                .Concat(e.Measures.SelectMany(m => Decisions(m.Evidence).Select(x => (Name: "measure " + m.MeasureId, x.Decision.PersonId, Status: m.Holds, x.Decision, x.Aggregate))))
                .ToList();
            if (rows.Count == 0)
            {
                writer.WriteLine(string.Join(',', head.Concat(Enumerable.Repeat(string.Empty, 10)).Select(Csv)));
            }

            foreach (var (name, person, status, x, aggregate) in rows)
            {
                string[] tail =
                [
                    name, person ?? "family", status, x.Expression, aggregate?.Window ?? string.Empty, x.Value, x.Comparison ?? string.Empty,
                    x.Threshold ?? string.Empty, x.Outcome, string.Join(' ', aggregate?.Events.Select(ev => $"{ev.Dataset}#{ev.Row.ToString(CultureInfo.InvariantCulture)}") ?? []),
                ];
                writer.WriteLine(string.Join(',', head.Concat(tail).Select(Csv)));
            }
        }
    }

    public static void WriteHtml(TextWriter writer, string batch, IEnumerable<Claim> claims, IReadOnlyList<SampledClaim> sample)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(claims);
        ArgumentNullException.ThrowIfNull(sample);
        var sampled = sample.ToDictionary(s => s.Claim.Id, s => s.Reasons, StringComparer.Ordinal);
        var list = claims.OrderBy(c => c.Id, StringComparer.Ordinal).ToList();
        var total = list.Aggregate(Money.Zero, (m, c) => m + c.Amount);
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Claim pack ").Append(H(batch)).Append("</title>");
        sb.Append("<style>body{font-family:Arial,sans-serif;margin:2em;color:#0b0c0c}table{border-collapse:collapse;margin:0.5em 0 1.5em}td,th{border:1px solid #b1b4b6;padding:4px 8px;text-align:left;vertical-align:top}th{background:#f3f2f1}.tag{background:#fcd6c3;padding:2px 6px}</style></head><body>\n");
        sb.Append("<h1>Claim pack ").Append(H(batch)).Append("</h1>\n");
        sb.Append(CultureInfo.InvariantCulture, $"<p>{list.Count} claims, {H(total.ToString())} in total; {sample.Count} sampled for audit.</p>\n");
        foreach (var c in list)
        {
            var e = c.Evidence;
            sb.Append("<section><h2>Claim ").Append(H(c.Id)).Append("</h2>\n<table>");
            Row(sb, "Family", e.FamilyId);
            Row(sb, "Framework", $"{e.FrameworkId} version {e.Version} ({e.FrameworkFile}, SHA-256 {e.FrameworkHash})");
            Row(sb, "Result", $"{e.ResultTitle} — {e.ResultRule}: {e.ResultOutcome}");
            Row(sb, "Amount", c.Amount.ToString());
            Row(sb, "Status", c.Status.ToString());
            Row(sb, "Claim date", ProgrammeJson.Date(e.ClaimDate));
            Row(sb, "Attached / closed", $"{(e.AttachmentDate is { } a ? ProgrammeJson.Date(a) : "—")} / {(e.ClosureDate is { } d ? ProgrammeJson.Date(d) : "—")}");
            if (c.Discretionary is { } disc)
            {
                Row(sb, "Discretionary", $"approved by {disc.OfficerId}: {disc.Rationale}");
            }

            if (sampled.TryGetValue(c.Id, out var reasons))
            {
                Row(sb, "Sampled for audit", string.Join("; ", reasons));
            }

            sb.Append("</table>\n<table><thead><tr><th>Need or measure</th><th>Member</th><th>Status</th><th>Test</th><th>Window</th><th>Value</th><th>Needs</th><th>Sources</th></tr></thead><tbody>\n");
            foreach (var n in e.Baseline?.Needs ?? [])
            {
                EvidenceRows(sb, "at attachment: need " + n.NeedId, n.PersonId, "raised", n.Evidence);
            }

            foreach (var n in e.Needs)
            {
                EvidenceRows(sb, "need " + n.NeedId, n.PersonId, n.Status + ": " + n.Why, n.Evidence);
            }

            foreach (var m in e.Measures)
            {
                EvidenceRows(sb, "measure " + m.MeasureId, null, m.Holds, m.Evidence);
            }

            sb.Append("</tbody></table></section>\n");
        }

        sb.Append("</body></html>\n");
        writer.Write(sb.ToString());
    }

    private static void EvidenceRows(StringBuilder sb, string name, string? person, string status, IReadOnlyList<EvidenceRecord> evidence)
    {
        foreach (var (x, agg) in Decisions(evidence))
        {
            sb.Append("<tr><td>").Append(H(name)).Append("</td><td>").Append(H(person ?? x.PersonId ?? "family")).Append("</td><td>").Append(H(status))
              .Append("</td><td>").Append(H(x.Expression)).Append("</td><td>").Append(H(agg?.Window ?? string.Empty)).Append("</td><td>").Append(H(x.Value))
              .Append("</td><td>").Append(H($"{x.Comparison} {x.Threshold}")).Append("</td><td>")
              .Append(H(string.Join(", ", agg?.Events.Select(ev => $"{ev.Dataset}#{ev.Row.ToString(CultureInfo.InvariantCulture)}") ?? [])))
              .Append("</td></tr>\n");
        }
    }

    /// <summary>
    /// The tests, each with the aggregate measured just before it, plus the yes/no aggregates (any, none) that
    /// decide on their own.
    /// </summary>
    private static IEnumerable<(EvidenceRecord Decision, EvidenceRecord? Aggregate)> Decisions(IReadOnlyList<EvidenceRecord> evidence)
    {
        var tested = evidence.Where(x => x.Kind == "test").Select(x => (x.Expression, x.PersonId)).ToHashSet();
        EvidenceRecord? last = null;
        foreach (var x in evidence)
        {
            if (x.Kind == "aggregate")
            {
                last = x;
                if (!tested.Contains((x.Expression, x.PersonId)))
                {
                    yield return (x, x);
                }
            }
            else if (x.Kind == "test")
            {
                yield return (x, last is not null && last.Expression == x.Expression && last.PersonId == x.PersonId ? last : null);
            }
        }
    }

    private static void Row(StringBuilder sb, string label, string value) =>
        sb.Append("<tr><th scope=\"row\">").Append(H(label)).Append("</th><td>").Append(H(value)).Append("</td></tr>");

    private static string H(string s) => WebUtility.HtmlEncode(s);

    private static string Csv(string s) =>
        s.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;
}

/// <summary>One line of the national return: counts and money by result, no personal data (rules G10, J5).</summary>
public sealed record NationalReturnLine(string ResultId, int Claimed, int Submitted, int Paid, int ClawedBack, int Discretionary, long PaidPence);

/// <summary>The return to the department for one claim window: families worked with and results, as counts only.</summary>
public sealed record NationalReturn(string WindowId, string FrameworkId, string FrameworkVersion, int FamiliesAttached, int FamiliesWithSuccessfulOutcome, IReadOnlyList<NationalReturnLine> Lines)
{
    public static NationalReturn Build(ClaimWindow window, Framework framework, int familiesAttached, IEnumerable<Claim> claims)
    {
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(framework);
        ArgumentNullException.ThrowIfNull(claims);
        var mine = claims.Where(c => c.Window.Id == window.Id && c.Status != ClaimStatus.Rejected).ToList();
        var lines = framework.Results.Select(r =>
        {
            var cs = mine.Where(c => c.ResultId == r.Id).ToList();
            return new NationalReturnLine(
                r.Id,
                cs.Count,
                cs.Count(c => c.Status is ClaimStatus.Submitted or ClaimStatus.Paid or ClaimStatus.ClawedBack),
                cs.Count(c => c.Status == ClaimStatus.Paid),
                cs.Count(c => c.Status == ClaimStatus.ClawedBack),
                cs.Count(c => c.Discretionary is not null),
                cs.Where(c => c.Status == ClaimStatus.Paid).Sum(c => c.Amount.Pence));
        }).ToList();
        var turnedAround = mine.Where(c => c.Status is ClaimStatus.Submitted or ClaimStatus.Paid
                && framework.Results.First(r => r.Id == c.ResultId).TurnsAround)
            .Select(c => c.FamilyId).Distinct(StringComparer.Ordinal).Count();
        return new NationalReturn(window.Id, framework.Id, framework.Version, familiesAttached, turnedAround, lines);
    }

    public string ToCsv()
    {
        var sb = new StringBuilder("window,framework,version,families_attached,families_with_successful_outcome,result,claimed,submitted,paid,clawed_back,discretionary,paid_pence\n");
        foreach (var l in Lines)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{WindowId},{FrameworkId},{FrameworkVersion},{FamiliesAttached},{FamiliesWithSuccessfulOutcome},{l.ResultId},{l.Claimed},{l.Submitted},{l.Paid},{l.ClawedBack},{l.Discretionary},{l.PaidPence}\n");
        }

        return sb.ToString();
    }
}
