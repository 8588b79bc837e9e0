namespace Hearth.Core.Data;

/// <summary>
/// One real person as Hearth believes them to be: the source records of every agency that record linkage
/// (or a reviewer) decided are the same individual. <see cref="Reference"/> is stable across linkage runs, so
/// case work, plans and claims that point at a person keep pointing at them when new extracts arrive.
/// Details (names, date of birth, identifiers) are never copied here: they stay on the source records.
/// </summary>
public sealed class Person
{
    public long Id { get; set; }

    /// <summary>Stable reference shown to users, e.g. "P0001234"; never reused.</summary>
    public required string Reference { get; set; }

    public DateTime CreatedUtc { get; set; }

    /// <summary>The linkage run that created the person.</summary>
    public long CreatedByRunId { get; set; }

    /// <summary>
    /// When a later run (or a reviewer) found this person to be the same as another, the person they were
    /// merged into; the reference is kept so old references still resolve.
    /// </summary>
    public long? MergedIntoPersonId { get; set; }

    /// <summary>When the person stopped having source records of their own (merged or split away).</summary>
    public DateTime? RetiredUtc { get; set; }
}

/// <summary>How a source record came to belong to a person.</summary>
public enum LinkMethod
{
    /// <summary>The first record of a new person.</summary>
    Founding,

    /// <summary>The same agency record id, or exactly the same details, as a record already in the person.</summary>
    Identical,

    /// <summary>A match weight at or above the run's automatic threshold.</summary>
    Automatic,

    /// <summary>A reviewer accepted a pair from the review queue.</summary>
    Reviewed,
}

/// <summary>The link from one agency's source record to the person it belongs to (one row per source record).</summary>
public sealed class PersonRecord
{
    /// <summary>The source record (primary key: a record belongs to exactly one person).</summary>
    public long SourceRecordId { get; set; }

    public long PersonId { get; set; }

    public LinkMethod Method { get; set; }

    /// <summary>The best match weight that joined the record to the person, when linkage scored it.</summary>
    public double? MatchWeight { get; set; }

    /// <summary>The run that last placed the record here.</summary>
    public long LinkageRunId { get; set; }

    public DateTime LinkedUtc { get; set; }
}

/// <summary>One run of record linkage over the store: its settings, thresholds and counts.</summary>
public sealed class LinkageRun
{
    public long Id { get; set; }

    public DateTime StartedUtc { get; set; }

    public DateTime? CompletedUtc { get; set; }

    public required string StartedBy { get; set; }

    /// <summary>Pairs at or above this match weight are linked automatically.</summary>
    public double ThresholdWeight { get; set; }

    /// <summary>Pairs at or above this weight but below <see cref="ThresholdWeight"/> go to the review queue.</summary>
    public double ReviewWeight { get; set; }

    public int SourceRecords { get; set; }

    public int Persons { get; set; }

    public int NewPersons { get; set; }

    public long CandidatePairs { get; set; }

    public long LinkedPairs { get; set; }

    public int ReviewPairs { get; set; }

    public int Households { get; set; }

    public int Families { get; set; }

    /// <summary>The linkage settings the run used, as the YAML `hearth link --config` reads.</summary>
    public required string SettingsYaml { get; set; }
}

/// <summary>Where a pair in the review queue stands.</summary>
public enum ReviewStatus
{
    Pending,
    Accepted,
    Rejected,
}

/// <summary>
/// A pair of source records whose match weight fell between the review and the automatic thresholds. A
/// reviewer accepts (same person) or rejects (different people) it, saying why; the decision is kept and
/// applied by every later run. The pair is stored with the lower source record id on the left.
/// </summary>
public sealed class LinkReview
{
    public long Id { get; set; }

    public long LeftSourceRecordId { get; set; }

    public long RightSourceRecordId { get; set; }

    public double MatchWeight { get; set; }

    public double MatchProbability { get; set; }

    /// <summary>JSON: each comparison's field, level and weight, summing (with the prior) to the match weight.</summary>
    public required string Explanation { get; set; }

    public ReviewStatus Status { get; set; }

    public long FirstRunId { get; set; }

    public long LastRunId { get; set; }

    public string? DecidedBy { get; set; }

    public DateTime? DecidedUtc { get; set; }

    public string? Reason { get; set; }
}

/// <summary>
/// People living at one dwelling (a UPRN, or an address where the UPRN is unknown) over a period, built from
/// the addresses agencies hold for each person.
/// </summary>
public sealed class Household
{
    public long Id { get; set; }

    /// <summary>Stable reference shown to users, e.g. "H0000456".</summary>
    public required string Reference { get; set; }

    public string? Uprn { get; set; }

    public string? Postcode { get; set; }

    /// <summary>Address lines without the postcode, as the best-attested agency record has them.</summary>
    public string? Address { get; set; }

    public DateTime CreatedUtc { get; set; }
}

/// <summary>A person's stay in a household; <see cref="From"/> and <see cref="To"/> are inclusive, null is open.</summary>
public sealed class HouseholdMember
{
    public long Id { get; set; }

    public long HouseholdId { get; set; }

    public long PersonId { get; set; }

    public DateOnly? From { get; set; }

    public DateOnly? To { get; set; }

    /// <summary>What placed the person there, e.g. "UPRN on 3 records from 2 agencies".</summary>
    public required string Evidence { get; set; }
}

/// <summary>The part a person plays in a family.</summary>
public enum FamilyRole
{
    Adult,
    Child,
}

/// <summary>
/// The unit a whole-family programme works with: the adults and dependent children of a household (or a
/// household expecting a child). Stable across runs, so case work attaches to it.
/// </summary>
public sealed class Family
{
    public long Id { get; set; }

    /// <summary>Stable reference shown to users, e.g. "F0000789"; never reused.</summary>
    public required string Reference { get; set; }

    /// <summary>The household the family lives in now.</summary>
    public long? HouseholdId { get; set; }

    public DateTime CreatedUtc { get; set; }

    /// <summary>When the family stopped existing as a unit (members moved apart, merged into another).</summary>
    public DateTime? RetiredUtc { get; set; }
}

/// <summary>A person's membership of a family; <see cref="From"/> and <see cref="To"/> are inclusive, null is open.</summary>
public sealed class FamilyMember
{
    public long Id { get; set; }

    public long FamilyId { get; set; }

    public long PersonId { get; set; }

    public FamilyRole Role { get; set; }

    /// <summary>How the person relates to the family, e.g. "parent", "child", "partner", "grandparent", "other adult".</summary>
    public string? Relationship { get; set; }

    public DateOnly? From { get; set; }

    public DateOnly? To { get; set; }
}
