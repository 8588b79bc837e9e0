using System.Globalization;
using Hearth.Core.Data;

namespace Hearth.Core.Intake;

/// <summary>
/// Writes one dataset's rows with the database's fast path, inside the import's transaction. Both
/// implementations give the same result: a row identical to one already stored for the agency (or earlier
/// in the same file) is a duplicate, the earliest row wins, and each duplicate gets an info issue naming
/// the dataset and row it repeats.
/// </summary>
internal abstract class IntakeWriter : IAsyncDisposable
{
    protected IntakeWriter(Dataset dataset, ExtractMapping mapping)
    {
        Dataset = dataset;
        Mapping = mapping;
        PersonOnly = mapping.EventType == EventTypes.Person;
        EventColumns = FieldCatalog.EventFields[mapping.EventType].Select(f => (f, IntakeSlots.IndexOf(f))).ToArray();
        var used = new HashSet<int>();
        foreach (var column in mapping.Columns)
        {
            if (column.Field == FieldCatalog.FullName)
            {
                used.UnionWith([IntakeSlots.IndexOf("given_name"), IntakeSlots.IndexOf("other_names"), IntakeSlots.IndexOf("family_name")]);
            }
            else
            {
                used.Add(IntakeSlots.IndexOf(column.Field));
            }
        }

        used.UnionWith(mapping.Constants.Select(c => IntakeSlots.IndexOf(c.Field)));
        UsedSlots = used;
    }

    /// <summary>Slots the mapping can fill; the others are always null, so the bulk paths need not send them.</summary>
    protected IReadOnlySet<int> UsedSlots { get; }

    protected Dataset Dataset { get; }

    protected ExtractMapping Mapping { get; }

    protected bool PersonOnly { get; }

    protected static IReadOnlyList<FieldDefinition> PersonColumns => FieldCatalog.PersonFields;

    /// <summary>The columns this event type fills, with their slot in a mapped row; the others stay null.</summary>
    protected IReadOnlyList<(FieldDefinition Field, int Slot)> EventColumns { get; }

    public abstract ValueTask WriteRowAsync(MappedRow row, CancellationToken cancellationToken);

    /// <summary>Writes a batch: its issues, its quarantined rows and its good rows.</summary>
    public virtual async ValueTask WriteBatchAsync(IntakeBatch batch, CancellationToken cancellationToken)
    {
        foreach (var (row, issue) in batch.Issues)
        {
            await WriteIssueAsync(row, issue, cancellationToken);
        }

        foreach (var (row, raw, reasons) in batch.Quarantine)
        {
            await WriteQuarantineAsync(row, raw, reasons, cancellationToken);
        }

        for (var i = 0; i < batch.RowCount; i++)
        {
            await WriteRowAsync(batch.Rows[i], cancellationToken);
        }
    }

    public abstract ValueTask WriteQuarantineAsync(int rowNumber, string rawText, string reasons, CancellationToken cancellationToken);

    public abstract ValueTask WriteIssueAsync(int? rowNumber, RowIssue issue, CancellationToken cancellationToken);

    /// <summary>Finishes writing; returns rows stored and rows recognised as duplicates.</summary>
    public abstract Task<(int Stored, int Duplicates)> CompleteAsync(CancellationToken cancellationToken);

    public abstract ValueTask DisposeAsync();

    public static IntakeWriter Create(HearthDb db, Dataset dataset, ExtractMapping mapping) =>
        db.Provider == DatabaseProvider.Sqlite
            ? new SqliteIntakeWriter(db, dataset, mapping)
            : new PostgresIntakeWriter(db, dataset, mapping);

    protected static string DuplicateMessage(long datasetId, int rowNumber) =>
        string.Create(CultureInfo.InvariantCulture, $"an identical row is already stored (dataset {datasetId}, row {rowNumber}); skipped");

    protected static string Severity(IssueSeverity severity) => severity.ToString();
}
