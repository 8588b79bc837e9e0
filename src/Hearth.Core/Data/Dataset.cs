namespace Hearth.Core.Data;

/// <summary>
/// One import of one file from one agency. Every stored fact points back to its dataset and row, so any
/// figure Hearth shows can be traced to a line of an agency's file. Counts obey
/// <c>RowsRead = RowsStored + RowsQuarantined + RowsDuplicate</c>.
/// </summary>
public sealed class Dataset
{
    public long Id { get; set; }

    public required string AgencyId { get; set; }

    /// <summary>The extract kind from the mapping (e.g. "asb-incidents"): what the file contains.</summary>
    public required string Kind { get; set; }

    /// <summary>The Hearth event type the rows become, or "person" for files that only describe people.</summary>
    public required string EventType { get; set; }

    /// <summary>First day covered by the extract: the earliest event start date stored (null if no events).</summary>
    public DateOnly? PeriodStart { get; set; }

    /// <summary>Last day covered (inclusive): the latest event start or end date stored.</summary>
    public DateOnly? PeriodEnd { get; set; }

    /// <summary>The file's name as given (no directory), for people to recognise it.</summary>
    public required string FileName { get; set; }

    /// <summary>Lower-case hex SHA-256 of the file's bytes; the same file is never imported twice.</summary>
    public required string Sha256 { get; set; }

    public long FileBytes { get; set; }

    /// <summary>Data rows read (header and blank lines excluded).</summary>
    public int RowsRead { get; set; }

    /// <summary>Rows stored as new facts.</summary>
    public int RowsStored { get; set; }

    /// <summary>Rows kept aside in <see cref="QuarantinedRow"/> because they could not be used.</summary>
    public int RowsQuarantined { get; set; }

    /// <summary>Rows skipped because an identical row of the same agency and kind is already stored.</summary>
    public int RowsDuplicate { get; set; }

    /// <summary>Rows stored with at least one warning (a dropped value, an unknown code).</summary>
    public int RowsWithWarnings { get; set; }

    public DatasetStatus Status { get; set; }

    /// <summary>Who ran the import (user name).</summary>
    public required string ImportedBy { get; set; }

    /// <summary>When the import started (UTC).</summary>
    public DateTime StartedUtc { get; set; }

    /// <summary>When the import finished (UTC), null while running.</summary>
    public DateTime? CompletedUtc { get; set; }
}

/// <summary>Where a dataset's import stands.</summary>
public enum DatasetStatus
{
    /// <summary>Rows are being read; the dataset is not visible to other work until completed.</summary>
    Importing = 0,

    /// <summary>Every row was stored, quarantined or recognised as a duplicate.</summary>
    Completed = 1,
}
