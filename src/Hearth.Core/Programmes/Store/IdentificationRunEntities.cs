namespace Hearth.Core.Programmes;

/// <summary>
/// One identification run over the store: which framework (id, version and rules file hash), the date it
/// judged as of, when and by whom it ran, and the counts. Results are stored per family in
/// <see cref="IdentificationRunFamily"/>; a run whose <see cref="CompletedUtc"/> is null did not finish and is
/// never shown as the latest.
/// </summary>
public sealed class IdentificationRun
{
    public long Id { get; set; }

    public required string FrameworkId { get; set; }

    public required string FrameworkVersion { get; set; }

    /// <summary>SHA-256 of the rules file the run judged by.</summary>
    public required string FrameworkHash { get; set; }

    public DateOnly AsOf { get; set; }

    public DateTime StartedUtc { get; set; }

    public DateTime? CompletedUtc { get; set; }

    /// <summary>The user id of who ran it.</summary>
    public required string RunBy { get; set; }

    public long Families { get; set; }

    public long Eligible { get; set; }

    public long NotEligible { get; set; }

    public long Unknown { get; set; }
}

/// <summary>
/// One family's result in an identification run: eligible (yes, no or unknown), how many needs and headlines
/// were raised, which headlines, and a short reason in rule terms. It carries no names, dates of birth or
/// identifiers: the explanation with members and events is worked out again when someone with access asks.
/// </summary>
public sealed class IdentificationRunFamily
{
    public long Id { get; set; }

    public long RunId { get; set; }

    public long FamilyId { get; set; }

    /// <summary>"yes", "no" or "unknown".</summary>
    public required string Eligible { get; set; }

    public int NeedsRaised { get; set; }

    public int HeadlinesRaised { get; set; }

    /// <summary>The raised headline ids between commas (",crime,education,"), so a headline filter is a plain substring match.</summary>
    public required string Headlines { get; set; }

    /// <summary>Why, in rule terms: which criteria held and which did not (at most 400 characters).</summary>
    public required string Reason { get; set; }
}
