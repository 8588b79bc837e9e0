using System.Globalization;
using Hearth.Core.Access;
using Hearth.Core.Audit;
using Hearth.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Core.Intake;

/// <summary>One page of a longer list: the items, which page (from 1), its size and how many there are in all.</summary>
public sealed record Paged<T>(IReadOnlyList<T> Items, int Page, int PageSize, int Total)
{
    public int Pages => Total == 0 ? 1 : (Total + PageSize - 1) / PageSize;

    /// <summary>Row number (from 1) of the first item on the page, 0 when the page is empty.</summary>
    public int First => Items.Count == 0 ? 0 : ((Page - 1) * PageSize) + 1;

    public int Last => Items.Count == 0 ? 0 : First + Items.Count - 1;
}

/// <summary>An imported dataset as the data officer's screens list it: counts only, no one's details.</summary>
public sealed record ImportSummary(
    long Id, string AgencyId, string AgencyName, string Kind, string EventType, DateOnly? PeriodStart, DateOnly? PeriodEnd, string FileName,
    long FileBytes, int RowsRead, int RowsStored, int RowsQuarantined, int RowsDuplicate, int RowsWithWarnings, DatasetStatus Status,
    string ImportedBy, DateTime StartedUtc, DateTime? CompletedUtc);

/// <summary>How many issues one column (or the row as a whole, when <see cref="Column"/> is null) has in a dataset.</summary>
public sealed record ColumnIssueCount(string? Column, int Count);

/// <summary>One dataset with its issues summarised by column and by code.</summary>
public sealed record ImportDetail(ImportSummary Summary, IReadOnlyList<ColumnIssueCount> Columns, IReadOnlyDictionary<string, int> Codes, int Issues);

/// <summary>What to upload: an agency extract with the shipped mapping for its agency and kind.</summary>
/// <param name="Content">The file's bytes (read once, to a temporary file).</param>
/// <param name="FileName">The name the user's file had (no directory).</param>
/// <param name="Agency">Agency code of a shipped mapping.</param>
/// <param name="Kind">Extract kind of that mapping.</param>
public sealed record ImportUpload(Stream Content, string FileName, string Agency, string Kind);

/// <summary>
/// The data officer's view of intake: the datasets imported, each one's issues and quarantined rows, and
/// uploads that go through <see cref="IntakeService"/> exactly as <c>hearth import</c> does. Every call needs
/// the DataLead role. Quarantined rows hold agencies' raw text (people's details), so reading them is
/// audited with <see cref="Purpose"/>; uploads are audited too. Audit rows name dataset ids and counts only.
/// </summary>
public sealed class ImportHistoryService(HearthDb db, IntakeService intake, IAuditTrail audit)
{
    /// <summary>Audit purpose of the data officer's intake work.</summary>
    public const string Purpose = "data-intake";

    /// <summary>Largest page size any list accepts.</summary>
    public const int MaxPageSize = 200;

    /// <summary>The mappings an upload may use: Hearth's shipped ones, by agency then kind.</summary>
    public static IReadOnlyList<ExtractMapping> Mappings { get; } =
        [.. MappingLoader.Shipped().OrderBy(m => m.Agency, StringComparer.Ordinal).ThenBy(m => m.Kind, StringComparer.Ordinal)];

    /// <summary>Datasets, newest first.</summary>
    public async Task<Paged<ImportSummary>> ListAsync(Actor actor, int page, int pageSize, CancellationToken cancellationToken = default)
    {
        (page, pageSize) = Clamp(page, pageSize);
        await AuthoriseAsync(actor, "import.list", null, cancellationToken);
        var total = await db.Datasets.CountAsync(cancellationToken);
        var items = await SummariesAsync(db.Datasets.OrderByDescending(d => d.Id).Skip((page - 1) * pageSize).Take(pageSize), cancellationToken);
        return new Paged<ImportSummary>(items, page, pageSize, total);
    }

    /// <summary>One dataset with its issues counted by column and code; null when there is no such dataset.</summary>
    public async Task<ImportDetail?> GetAsync(Actor actor, long datasetId, CancellationToken cancellationToken = default)
    {
        await AuthoriseAsync(actor, "import.view", datasetId, cancellationToken);
        var summary = (await SummariesAsync(db.Datasets.Where(d => d.Id == datasetId), cancellationToken)).FirstOrDefault();
        if (summary is null)
        {
            return null;
        }

        var columns = await db.ImportIssues.AsNoTracking().Where(i => i.DatasetId == datasetId)
            .GroupBy(i => i.ColumnName).Select(g => new { Column = g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var codes = await db.ImportIssues.AsNoTracking().Where(i => i.DatasetId == datasetId)
            .GroupBy(i => i.Code).Select(g => new { Code = g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        return new ImportDetail(
            summary,
            [.. columns.OrderBy(c => c.Column is null ? 1 : 0).ThenBy(c => c.Column, StringComparer.Ordinal).Select(c => new ColumnIssueCount(c.Column, c.Count))],
            codes.OrderByDescending(c => c.Count).ThenBy(c => c.Code, StringComparer.Ordinal).ToDictionary(c => c.Code, c => c.Count, StringComparer.Ordinal),
            columns.Sum(c => c.Count));
    }

    /// <summary>
    /// A dataset's issues in row order, optionally only those of one column (<c>""</c> means the issues about
    /// the row as a whole). Issue messages never quote personal values, so this is not a read of anyone's details.
    /// </summary>
    public async Task<Paged<ImportIssue>> IssuesAsync(Actor actor, long datasetId, string? column, int page, int pageSize, CancellationToken cancellationToken = default)
    {
        (page, pageSize) = Clamp(page, pageSize);
        await AuthoriseAsync(actor, "import.issues", datasetId, cancellationToken);
        var query = db.ImportIssues.AsNoTracking().Where(i => i.DatasetId == datasetId);
        if (column is not null)
        {
            query = column.Length == 0 ? query.Where(i => i.ColumnName == null) : query.Where(i => i.ColumnName == column);
        }

        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderBy(i => i.RowNumber).ThenBy(i => i.Id).Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        return new Paged<ImportIssue>(items, page, pageSize, total);
    }

    /// <summary>
    /// A page of a dataset's quarantined rows with their raw text: people's details as the agency sent them,
    /// so the read is audited ("import.quarantine.view", <see cref="Purpose"/>) naming only the dataset and the rows shown.
    /// </summary>
    public async Task<Paged<QuarantinedRow>> QuarantinedAsync(Actor actor, long datasetId, int page, int pageSize, CancellationToken cancellationToken = default)
    {
        (page, pageSize) = Clamp(page, pageSize);
        var subject = datasetId.ToString(CultureInfo.InvariantCulture);
        await AuthoriseAsync(actor, "import.quarantine.view", datasetId, cancellationToken);
        var query = db.QuarantinedRows.AsNoTracking().Where(q => q.DatasetId == datasetId);
        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderBy(q => q.RowNumber).ThenBy(q => q.Id).Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        var result = new Paged<QuarantinedRow>(items, page, pageSize, total);
        if (items.Count > 0)
        {
            audit.Record(db, new AuditEvent(actor, "import.quarantine.view", "dataset", subject, Purpose,
                Detail: string.Create(CultureInfo.InvariantCulture, $"quarantined rows {result.First}-{result.Last} of {total} shown")));
            await db.SaveChangesAsync(cancellationToken);
        }

        return result;
    }

    /// <summary>Every issue of a dataset written as the CSV error report <c>hearth import --errors</c> writes; false when there is no such dataset.</summary>
    public async Task<bool> WriteErrorReportAsync(Actor actor, long datasetId, TextWriter writer, CancellationToken cancellationToken = default)
    {
        await AuthoriseAsync(actor, "import.errors", datasetId, cancellationToken);
        var dataset = await db.Datasets.AsNoTracking().FirstOrDefaultAsync(d => d.Id == datasetId, cancellationToken);
        if (dataset is null)
        {
            return false;
        }

        var result = new ImportResult { Outcome = ImportOutcome.Imported, FileName = dataset.FileName, DatasetId = dataset.Id };
        await ImportReport.WriteCsvAsync(writer, [(result, intake.IssuesAsync(datasetId))], cancellationToken);
        return true;
    }

    /// <summary>
    /// Imports an uploaded extract with the shipped mapping for its agency and kind, through the same
    /// <see cref="IntakeService"/> and checks as <c>hearth import</c>. A file named <c>.xlsx</c> is read as a
    /// workbook (first sheet), anything else as the mapping's CSV. The upload is audited with its outcome and counts.
    /// </summary>
    /// <exception cref="ArgumentException">No shipped mapping has that agency and kind.</exception>
    public async Task<ImportResult> UploadAsync(Actor actor, ImportUpload upload, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(upload);
        await AuthoriseAsync(actor, "import.upload", null, cancellationToken);
        var mapping = Mappings.FirstOrDefault(m => string.Equals(m.Agency, upload.Agency, StringComparison.Ordinal) && string.Equals(m.Kind, upload.Kind, StringComparison.Ordinal))
            ?? throw new ArgumentException($"Hearth has no mapping for agency '{upload.Agency}', extract kind '{upload.Kind}'.", nameof(upload));
        var fileName = Path.GetFileName(upload.FileName);
        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        if (extension == ".xlsx" && mapping.Format != ExtractFormat.Xlsx)
        {
            mapping = mapping with { Format = ExtractFormat.Xlsx, Sheet = null };
        }

        var path = Path.Combine(Path.GetTempPath(), "hearth-upload-" + Guid.NewGuid().ToString("N") + extension);
        ImportResult result;
        try
        {
            await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                await upload.Content.CopyToAsync(file, cancellationToken);
            }

            result = await intake.ImportAsync(new ImportRequest(path, mapping, actor.UserName, fileName), cancellationToken: cancellationToken);
        }
        finally
        {
            File.Delete(path);
        }

        db.ChangeTracker.Clear();
        var outcome = result.Outcome switch
        {
            ImportOutcome.Imported => string.Create(CultureInfo.InvariantCulture,
                $"imported: {result.RowsRead} read, {result.RowsStored} stored, {result.RowsQuarantined} quarantined, {result.RowsDuplicate} duplicate"),
            ImportOutcome.AlreadyImported => "already imported; nothing changed",
            _ => "rejected; nothing stored",
        };
        audit.Record(db, new AuditEvent(actor, "import.upload", "dataset", result.DatasetId?.ToString(CultureInfo.InvariantCulture), Purpose,
            result.Outcome == ImportOutcome.Rejected ? AuditOutcomes.Failed : AuditOutcomes.Allowed,
            mapping.Agency + "/" + mapping.Kind + ": " + outcome));
        await db.SaveChangesAsync(cancellationToken);
        return result;
    }

    private async Task<List<ImportSummary>> SummariesAsync(IQueryable<Dataset> datasets, CancellationToken cancellationToken)
    {
        var rows = await datasets.AsNoTracking().ToListAsync(cancellationToken);
        var ids = rows.Select(d => d.AgencyId).Distinct().ToList();
        var names = await db.Agencies.AsNoTracking().Where(a => ids.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Name, cancellationToken);
        return [.. rows.Select(d => new ImportSummary(
            d.Id, d.AgencyId, names.GetValueOrDefault(d.AgencyId, d.AgencyId), d.Kind, d.EventType, d.PeriodStart, d.PeriodEnd, d.FileName, d.FileBytes,
            d.RowsRead, d.RowsStored, d.RowsQuarantined, d.RowsDuplicate, d.RowsWithWarnings, d.Status, d.ImportedBy, d.StartedUtc, d.CompletedUtc))];
    }

    private static (int Page, int PageSize) Clamp(int page, int pageSize) => (Math.Max(1, page), Math.Clamp(pageSize, 1, MaxPageSize));

    private async Task AuthoriseAsync(Actor actor, string action, long? datasetId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor.Is(HearthRole.DataLead))
        {
            return;
        }

        db.ChangeTracker.Clear();
        audit.Record(db, new AuditEvent(actor, action, "dataset", datasetId?.ToString(CultureInfo.InvariantCulture), Purpose, AuditOutcomes.Denied, "requires the DataLead role"));
        await db.SaveChangesAsync(cancellationToken);
        throw new UnauthorizedAccessException($"{action} requires the DataLead role.");
    }
}
