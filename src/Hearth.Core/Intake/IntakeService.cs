using System.Globalization;
using System.Text;
using System.Threading.Channels;
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

    /// <summary>Batches circulating between the reading and the writing stage (the memory bound).</summary>
    private const int BatchesInFlight = 3;

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

        var state = new ReadState(dataset.Id);
        int stored, duplicates;
        await using (var writer = IntakeWriter.Create(db, dataset, mapping))
        {
            foreach (var note in HeaderCheck.UnmappedColumns(source.Header, mapping))
            {
                var issue = new RowIssue(note.Column, null, "unmapped_column", IssueSeverity.Info, note.Message);
                state.Count(null, issue);
                await writer.WriteIssueAsync(null, issue, cancellationToken);
            }

            // Two stages on two threads: this one writes to the database while a worker reads, maps, validates
            // and hashes the next rows. A few reusable batches circulate between them, so memory stays bounded
            // and neither side waits for long on the other.
            var full = Channel.CreateBounded<IntakeBatch>(new BoundedChannelOptions(BatchesInFlight) { SingleReader = true, SingleWriter = true });
            var free = Channel.CreateUnbounded<IntakeBatch>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
            for (var i = 0; i < BatchesInFlight; i++)
            {
                free.Writer.TryWrite(new IntakeBatch());
            }

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var mapper = new RowMapper(mapping, source.Header, DateOnly.FromDateTime(now));
            var reader = Task.Run(() => ReadAllAsync(source, mapper, state, facts.Bytes, full.Writer, free.Reader, progress, stop.Token), stop.Token);
            try
            {
                await foreach (var batch in full.Reader.ReadAllAsync(cancellationToken))
                {
                    await writer.WriteBatchAsync(batch, cancellationToken);
                    batch.Clear();
                    free.Writer.TryWrite(batch);
                }

                await reader;
            }
            catch
            {
                await stop.CancelAsync();
                await reader.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                throw;
            }

            (stored, duplicates) = await writer.CompleteAsync(cancellationToken);
        }

        if (duplicates > 0)
        {
            state.Counts["duplicate_row"] = duplicates;
        }

        var read = state.Read;
        var quarantined = state.Quarantined;
        if (read != stored + quarantined + duplicates)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"import count mismatch: {read} read but {stored} stored + {quarantined} quarantined + {duplicates} duplicates; nothing was saved"));
        }

        dataset.RowsRead = read;
        dataset.RowsStored = stored;
        dataset.RowsQuarantined = quarantined;
        dataset.RowsDuplicate = duplicates;
        dataset.RowsWithWarnings = state.Warned;
        dataset.PeriodStart = state.First;
        dataset.PeriodEnd = state.Last;

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
            RowsWithWarnings = state.Warned,
            BlankLines = source.BlankLines,
            Period = state.First is null ? null : new DatePeriod(state.First.Value, state.Last!.Value),
            IssueCounts = state.Counts,
            FirstIssues = state.Sample,
        };
    }

    /// <summary>
    /// The reading stage: reads, maps, validates and hashes rows into batches and hands full batches to the
    /// writing stage. Runs on its own thread; everything it counts is read only after it has finished.
    /// </summary>
    private static async Task ReadAllAsync(
        RowSource source, RowMapper mapper, ReadState state, long totalBytes, ChannelWriter<IntakeBatch> full, ChannelReader<IntakeBatch> free,
        IProgress<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        try
        {
            var issues = new List<RowIssue>();
            var batch = await free.ReadAsync(cancellationToken);
            while (source.Read())
            {
                var rowNumber = source.RowNumber;
                state.Read++;
                issues.Clear();
                var row = batch.Next();
                var ok = mapper.Map(source, row, issues);
                foreach (var issue in issues)
                {
                    state.Count(rowNumber, issue);
                    batch.Issues.Add((rowNumber, issue));
                }

                if (ok)
                {
                    if (issues.Count > 0)
                    {
                        state.Warned++;
                    }

                    if (row.StartDate is { } start)
                    {
                        var end = row.EndDate ?? start;
                        state.First = state.First is null || start < state.First ? start : state.First;
                        state.Last = state.Last is null || end > state.Last ? end : state.Last;
                    }

                    batch.Keep();
                }
                else
                {
                    state.Quarantined++;
                    batch.Quarantine.Add((rowNumber, source.RawText, Reasons(issues)));
                }

                if (batch.IsFull)
                {
                    await full.WriteAsync(batch, cancellationToken);
                    cancellationToken.ThrowIfCancellationRequested();
                    batch = await free.ReadAsync(cancellationToken);
                }

                if (progress is not null && state.Read % 10_000 == 0)
                {
                    progress.Report(new ImportProgress(source.Position, totalBytes, state.Read));
                }
            }

            await full.WriteAsync(batch, cancellationToken);
            full.Complete();
        }
        catch (Exception e)
        {
            full.Complete(e);
            throw;
        }
    }

    private static string Reasons(List<RowIssue> issues)
    {
        var reasons = new StringBuilder();
        foreach (var issue in issues)
        {
            if (issue.Severity == IssueSeverity.Error)
            {
                if (reasons.Length > 0)
                {
                    reasons.Append("; ");
                }

                reasons.Append(issue.Message);
            }
        }

        return reasons.ToString();
    }

    /// <summary>What the reading stage counts: rows, outcomes, issue codes, the first few issues and the period.</summary>
    private sealed class ReadState(long datasetId)
    {
        public int Read { get; set; }

        public int Quarantined { get; set; }

        public int Warned { get; set; }

        public DateOnly? First { get; set; }

        public DateOnly? Last { get; set; }

        public Dictionary<string, int> Counts { get; } = new(StringComparer.Ordinal);

        public List<ImportIssue> Sample { get; } = [];

        public void Count(int? rowNumber, RowIssue issue)
        {
            Counts[issue.Code] = Counts.GetValueOrDefault(issue.Code) + 1;
            if (Sample.Count < SampleSize && issue.Severity != IssueSeverity.Info)
            {
                Sample.Add(new ImportIssue
                {
                    DatasetId = datasetId,
                    RowNumber = rowNumber,
                    ColumnName = issue.Column,
                    Field = issue.Field,
                    Code = issue.Code,
                    Severity = issue.Severity,
                    Message = issue.Message,
                });
            }
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
