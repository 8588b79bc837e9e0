using System.Globalization;
using Hearth.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Core.Intake;

/// <summary>What to import: one file with one mapping, and who is importing it.</summary>
/// <param name="FilePath">Path of the extract.</param>
/// <param name="Mapping">How its columns map onto Hearth's fields.</param>
/// <param name="ImportedBy">User name recorded on the dataset.</param>
/// <param name="FileName">Name to record (e.g. the uploaded file's name); the path's file name when null.</param>
public sealed record ImportRequest(string FilePath, ExtractMapping Mapping, string ImportedBy, string? FileName = null);

/// <summary>How an import ended.</summary>
public enum ImportOutcome
{
    /// <summary>A new dataset was stored (some rows may be quarantined or duplicates).</summary>
    Imported,

    /// <summary>The same file (same SHA-256) was imported before for this agency and kind; nothing changed.</summary>
    AlreadyImported,

    /// <summary>The file could not be read at all (header, encoding, delimiter); nothing was stored.</summary>
    Rejected,
}

/// <summary>Progress of a running import.</summary>
public readonly record struct ImportProgress(long BytesRead, long TotalBytes, int RowsRead);

/// <summary>
/// The result of importing one file. <c>RowsRead = RowsStored + RowsQuarantined + RowsDuplicate</c> always.
/// </summary>
public sealed record ImportResult
{
    public required ImportOutcome Outcome { get; init; }

    public required string FileName { get; init; }

    public long? DatasetId { get; init; }

    public string? Sha256 { get; init; }

    public int RowsRead { get; init; }

    public int RowsStored { get; init; }

    public int RowsQuarantined { get; init; }

    public int RowsDuplicate { get; init; }

    public int RowsWithWarnings { get; init; }

    /// <summary>Blank lines (or empty sheet rows) skipped; they are not rows.</summary>
    public int BlankLines { get; init; }

    /// <summary>Earliest event start to latest event end or start among the file's good rows.</summary>
    public DatePeriod? Period { get; init; }

    /// <summary>Why the file was rejected (or, when already imported, which dataset holds it).</summary>
    public IReadOnlyList<string> Problems { get; init; } = [];

    /// <summary>Issues by code (e.g. invalid_identifier → 12).</summary>
    public IReadOnlyDictionary<string, int> IssueCounts { get; init; } = new Dictionary<string, int>();

    /// <summary>The first few issues, for a quick look; the full list is in the database.</summary>
    public IReadOnlyList<ImportIssue> FirstIssues { get; init; } = [];
}

/// <summary>
/// Imports agency extracts: reads the file as a stream, maps and validates each row, stores good rows with
/// the database's bulk path, quarantines bad rows with their raw text, and records every issue with its row
/// and column. One file is one transaction: it is stored completely or not at all.
/// </summary>
public sealed class IntakeService(HearthDb db, TimeProvider time)
{
    private const int SampleSize = 20;

    public async Task<ImportResult> ImportAsync(ImportRequest request, IProgress<ImportProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var mapping = request.Mapping;
        var fileName = request.FileName ?? Path.GetFileName(request.FilePath);
        if (!File.Exists(request.FilePath))
        {
            return Rejected(fileName, null, "the file does not exist");
        }

        var facts = FileInspection.Inspect(request.FilePath, mapping);
        if (facts.Problem is not null)
        {
            return Rejected(fileName, facts.Sha256, facts.Problem);
        }

        var existing = await db.Datasets.AsNoTracking()
            .Where(d => d.AgencyId == mapping.Agency && d.Kind == mapping.Kind && d.Sha256 == facts.Sha256)
            .FirstOrDefaultAsync(cancellationToken);
        if (existing is not null)
        {
            return new ImportResult
            {
                Outcome = ImportOutcome.AlreadyImported,
                FileName = fileName,
                DatasetId = existing.Id,
                Sha256 = facts.Sha256,
                Problems =
                [
                    string.Create(CultureInfo.InvariantCulture,
                        $"this file was already imported as dataset {existing.Id} ('{existing.FileName}', {existing.CompletedUtc:yyyy-MM-dd HH:mm} UTC); nothing was changed"),
                ],
            };
        }

        RowSource source;
        try
        {
            source = RowSource.Open(request.FilePath, mapping);
        }
        catch (IntakeFileException e)
        {
            return Rejected(fileName, facts.Sha256, e.Message);
        }

        using (source)
        {
            if (!source.ReadHeader(mapping.HeaderRow))
            {
                return Rejected(fileName, facts.Sha256, string.Create(CultureInfo.InvariantCulture,
                    $"the file has no header on line {mapping.HeaderRow} (the mapping's header_row)"));
            }

            var headerProblems = HeaderCheck.Problems(source.Header, mapping, source.HeaderLine);
            if (headerProblems.Count > 0)
            {
                return Rejected(fileName, facts.Sha256, [.. headerProblems]);
            }

            return await StoreAsync(request, fileName, facts, source, progress, cancellationToken);
        }
    }

    private async Task<ImportResult> StoreAsync(
        ImportRequest request, string fileName, FileFacts facts, RowSource source, IProgress<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        var mapping = request.Mapping;
        var now = time.GetUtcNow().UtcDateTime;
        if (db.Provider == DatabaseProvider.Sqlite)
        {
            // In WAL mode a commit then syncs once; the setting is per connection and cannot change inside a transaction.
            await db.Database.OpenConnectionAsync(cancellationToken);
            await db.Database.ExecuteSqlRawAsync("PRAGMA synchronous = NORMAL", cancellationToken);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await db.Agencies.FindAsync([mapping.Agency], cancellationToken) is null)
        {
            db.Agencies.Add(new Agency { Id = mapping.Agency, Name = mapping.AgencyName ?? mapping.Agency, CreatedUtc = now });
        }

        var dataset = new Dataset
        {
            AgencyId = mapping.Agency,
            Kind = mapping.Kind,
            EventType = mapping.EventType,
            FileName = fileName,
            Sha256 = facts.Sha256,
            FileBytes = facts.Bytes,
            ImportedBy = request.ImportedBy,
            StartedUtc = now,
            Status = DatasetStatus.Importing,
        };
        db.Datasets.Add(dataset);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another import of the same file committed first (the datasets' unique index): report that one.
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            var winner = await db.Datasets.AsNoTracking()
                .FirstOrDefaultAsync(d => d.AgencyId == mapping.Agency && d.Kind == mapping.Kind && d.Sha256 == facts.Sha256, cancellationToken);
            if (winner is null)
            {
                throw;
            }

            return new ImportResult
            {
                Outcome = ImportOutcome.AlreadyImported,
                FileName = fileName,
                DatasetId = winner.Id,
                Sha256 = facts.Sha256,
                Problems = [string.Create(CultureInfo.InvariantCulture, $"this file was imported as dataset {winner.Id} while this import ran; nothing was changed")],
            };
        }

        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var sample = new List<ImportIssue>();
        int read = 0, quarantined = 0, warned = 0;
        DateOnly? first = null, last = null;
        await using (var writer = IntakeWriter.Create(db, dataset, mapping))
        {
            foreach (var note in HeaderCheck.UnmappedColumns(source.Header, mapping))
            {
                await Note(writer, null, new RowIssue(note.Column, null, "unmapped_column", IssueSeverity.Info, note.Message));
            }

            var mapper = new RowMapper(mapping, source.Header, DateOnly.FromDateTime(now));
            var row = new MappedRow();
            var issues = new List<RowIssue>();
            while (source.Read())
            {
                cancellationToken.ThrowIfCancellationRequested();
                read++;
                issues.Clear();
                var ok = mapper.Map(source, row, issues);
                foreach (var issue in issues)
                {
                    await Note(writer, source.RowNumber, issue);
                }

                if (ok)
                {
                    if (issues.Count > 0)
                    {
                        warned++;
                    }

                    if (row.StartDate is { } start)
                    {
                        var end = row.EndDate ?? start;
                        first = first is null || start < first ? start : first;
                        last = last is null || end > last ? end : last;
                    }

                    await writer.WriteRowAsync(row, cancellationToken);
                }
                else
                {
                    quarantined++;
                    await writer.WriteQuarantineAsync(source.RowNumber, source.RawText,
                        string.Join("; ", issues.Where(i => i.Severity == IssueSeverity.Error).Select(i => i.Message)), cancellationToken);
                }

                if (progress is not null && read % 10_000 == 0)
                {
                    progress.Report(new ImportProgress(source.Position, facts.Bytes, read));
                }
            }

            var (stored, duplicates) = await writer.CompleteAsync(cancellationToken);
            if (duplicates > 0)
            {
                counts["duplicate_row"] = duplicates;
            }

            if (read != stored + quarantined + duplicates)
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                    $"import count mismatch: {read} read but {stored} stored + {quarantined} quarantined + {duplicates} duplicates; nothing was saved"));
            }

            dataset.RowsRead = read;
            dataset.RowsStored = stored;
            dataset.RowsQuarantined = quarantined;
            dataset.RowsDuplicate = duplicates;
            dataset.RowsWithWarnings = warned;
            dataset.PeriodStart = first;
            dataset.PeriodEnd = last;
        }

        dataset.Status = DatasetStatus.Completed;
        dataset.CompletedUtc = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        progress?.Report(new ImportProgress(facts.Bytes, facts.Bytes, read));

        return new ImportResult
        {
            Outcome = ImportOutcome.Imported,
            FileName = fileName,
            DatasetId = dataset.Id,
            Sha256 = facts.Sha256,
            RowsRead = read,
            RowsStored = dataset.RowsStored,
            RowsQuarantined = quarantined,
            RowsDuplicate = dataset.RowsDuplicate,
            RowsWithWarnings = warned,
            BlankLines = source.BlankLines,
            Period = first is null ? null : new DatePeriod(first.Value, last!.Value),
            IssueCounts = counts,
            FirstIssues = sample,
        };

        async Task Note(IntakeWriter writer, int? rowNumber, RowIssue issue)
        {
            counts[issue.Code] = counts.GetValueOrDefault(issue.Code) + 1;
            if (sample.Count < SampleSize && issue.Severity != IssueSeverity.Info)
            {
                sample.Add(new ImportIssue
                {
                    DatasetId = dataset.Id,
                    RowNumber = rowNumber,
                    ColumnName = issue.Column,
                    Field = issue.Field,
                    Code = issue.Code,
                    Severity = issue.Severity,
                    Message = issue.Message,
                });
            }

            await writer.WriteIssueAsync(rowNumber, issue, cancellationToken);
        }
    }

    /// <summary>Every issue of a dataset in row order, streamed (for error reports).</summary>
    public IAsyncEnumerable<ImportIssue> IssuesAsync(long datasetId) =>
        db.ImportIssues.AsNoTracking().Where(i => i.DatasetId == datasetId).OrderBy(i => i.RowNumber).ThenBy(i => i.Id).AsAsyncEnumerable();

    private static ImportResult Rejected(string fileName, string? sha256, params string[] problems) => new()
    {
        Outcome = ImportOutcome.Rejected,
        FileName = fileName,
        Sha256 = sha256,
        Problems = problems,
    };
}
