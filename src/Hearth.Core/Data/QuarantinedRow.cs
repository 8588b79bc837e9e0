namespace Hearth.Core.Data;

/// <summary>
/// A row Hearth could not use, kept with its raw text exactly as read so nothing is lost: a data officer
/// can correct it at source and send it again. The reasons are also in <see cref="ImportIssue"/>, one per
/// problem.
/// </summary>
public sealed class QuarantinedRow
{
    public long Id { get; set; }

    public long DatasetId { get; set; }

    /// <summary>Row number: the line of the file where the row starts (header is line 1), or the sheet row.</summary>
    public int RowNumber { get; set; }

    /// <summary>The row as read: the raw CSV text (with its quotes) or, for xlsx, the cells written as CSV.</summary>
    public required string RawText { get; set; }

    /// <summary>Every reason, separated by "; ".</summary>
    public required string Reasons { get; set; }
}
