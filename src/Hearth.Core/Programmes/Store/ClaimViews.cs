namespace Hearth.Core.Programmes;

/// <summary>No claim has the reference asked for.</summary>
public sealed class ClaimNotFoundException(string reference) : Exception($"no claim {reference}")
{
    public string Reference { get; } = reference;
}

/// <summary>A claim batch with its claim count, sampled count and total (whole pence).</summary>
public sealed record ClaimBatchSummary(ProgrammeClaimBatch Batch, int Claims, int Sampled, Money Total);

/// <summary>
/// One claim as a reader sees it: the stored row, the frozen evidence, the family's reference, its batch, the
/// history of transitions and the moves the reading actor's role may make now.
/// </summary>
public sealed record ClaimDetail(ProgrammeClaim Claim, FrozenClaimEvidence Evidence, string FamilyReference, ProgrammeClaimBatch? Batch,
    IReadOnlyList<ProgrammeClaimTransition> History, IReadOnlyList<ClaimStatus> Moves);

/// <summary>One need's last measurement with its evidence.</summary>
public sealed record MeasuredNeed(ProgrammeNeedMeasurement Measurement, IReadOnlyList<EvidenceRecord> Evidence)
{
    /// <summary>The periods the success condition was measured over (e.g. the sustainment window after closure), as placed on the calendar.</summary>
    public IReadOnlyList<string> Windows => [.. Evidence.Where(e => e.Window is not null).Select(e => e.PeriodStart is { } s && e.PeriodEnd is { } end
        ? $"{e.Window} ({ProgrammeJson.Date(s)} to {ProgrammeJson.Date(end)})"
        : e.Window!).Distinct(StringComparer.Ordinal)];
}

/// <summary>A family's outcomes on one framework: the attachment (baseline date and needs) and each need's measured status.</summary>
public sealed record FamilyOutcomes(ProgrammeAttachment Attachment, BaselineSnapshot Baseline, IReadOnlyList<MeasuredNeed> Needs);

/// <summary>A window's claim pack in memory: the claims, the audit sample, the national return and the evidence as stored.</summary>
public sealed record ClaimPackContent(string WindowId, IReadOnlyList<Claim> Claims, IReadOnlyList<SampledClaim> Sample, NationalReturn Return, IReadOnlyList<string> Evidence)
{
    public void WriteCsv(TextWriter writer) => ClaimPack.WriteCsv(writer, Claims, Sample);

    public void WriteHtml(TextWriter writer) => ClaimPack.WriteHtml(writer, WindowId, Claims, Sample);

    public string EvidenceJson() => "[\n" + string.Join(",\n", Evidence) + "\n]\n";
}
