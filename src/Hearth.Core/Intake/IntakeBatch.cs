namespace Hearth.Core.Intake;

/// <summary>
/// A run of consecutive rows handed from the reading thread (parse, map, validate, hash) to the writing
/// thread: the good rows, the quarantined rows and every issue, each with its row number. Batches are reused,
/// so an import holds at most a fixed number of them whatever the file's size.
/// </summary>
internal sealed class IntakeBatch
{
    /// <summary>Rows per batch: large enough to amortise the hand-over, small enough to keep memory modest.</summary>
    public const int Capacity = 8192;

    private readonly List<MappedRow> _rows = [];

    /// <summary>Good rows in file order; only the first <see cref="RowCount"/> entries are in use.</summary>
    public IReadOnlyList<MappedRow> Rows => _rows;

    public int RowCount { get; private set; }

    public List<(int Row, string Raw, string Reasons)> Quarantine { get; } = [];

    public List<(int? Row, RowIssue Issue)> Issues { get; } = [];

    /// <summary>True when the batch holds as many rows (good or quarantined) as it should.</summary>
    public bool IsFull => RowCount + Quarantine.Count >= Capacity;

    /// <summary>A row object to fill; it becomes part of the batch only when <see cref="Keep"/> is called.</summary>
    public MappedRow Next()
    {
        if (RowCount == _rows.Count)
        {
            _rows.Add(new MappedRow());
        }

        return _rows[RowCount];
    }

    public void Keep() => RowCount++;

    public void Clear()
    {
        RowCount = 0;
        Quarantine.Clear();
        Issues.Clear();
    }
}
