namespace Hearth.Core.Data;

/// <summary>
/// One problem found in one cell or row of a dataset. Messages name the column and the problem but never
/// repeat a person's name, date of birth or identifier, so the issue list can be shared and logged.
/// </summary>
public sealed class ImportIssue
{
    public long Id { get; set; }

    public long DatasetId { get; set; }

    /// <summary>Row number (line where the row starts; header is line 1), or null for a file-level note.</summary>
    public int? RowNumber { get; set; }

    /// <summary>The column name in the agency's file, when the issue concerns one column.</summary>
    public string? ColumnName { get; set; }

    /// <summary>The Hearth field the column maps to (e.g. "nhs_number").</summary>
    public string? Field { get; set; }

    /// <summary>Machine-readable kind of problem, e.g. "invalid_identifier", "invalid_date", "duplicate_row".</summary>
    public required string Code { get; set; }

    public IssueSeverity Severity { get; set; }

    /// <summary>What is wrong and what Hearth did about it, in words a data officer understands.</summary>
    public required string Message { get; set; }
}

/// <summary>How serious an import issue is.</summary>
public enum IssueSeverity
{
    /// <summary>Nothing was lost (e.g. an exact duplicate row was skipped, an extra column ignored).</summary>
    Info = 0,

    /// <summary>The row was stored but a value was dropped or kept unvalidated.</summary>
    Warning = 1,

    /// <summary>The row was quarantined.</summary>
    Error = 2,
}
