using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Hearth.Core.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using SQLitePCL;

namespace Hearth.Core.Intake;

/// <summary>
/// SQLite: each row goes straight into source_records and events through statements prepared once on the
/// import's connection and transaction, binding values by position through SQLite's C interface (binding by
/// name through ADO.NET cost more than the insert itself). Duplicates are left to the unique indexes
/// (<c>ON CONFLICT DO NOTHING</c>): a row whose fingerprint is already stored changes nothing, and the row it
/// repeats is looked up for the duplicate note. Rows are written in file order, so the earliest row of each
/// fingerprint wins, as on PostgreSQL. A bounded in-memory map from details hash to source record spares the
/// lookup for the person of consecutive rows; the unique index stays the final guard.
/// </summary>
internal sealed class SqliteIntakeWriter : IntakeWriter
{
    /// <summary>Details hashes remembered (about 64 bytes each); the map is emptied when full.</summary>
    private const int KnownSourcesLimit = 1 << 16;

    /// <summary>Fewest bytes a row takes in a file, to estimate an upper bound of its rows from its size.</summary>
    private const long BytesPerRowAtLeast = 40;

    private readonly sqlite3 _db;
    private readonly Statement _insertSource;
    private readonly Statement _findSource;
    private readonly Statement? _insertEvent;
    private readonly Statement? _findEvent;
    private readonly Statement _insertQuarantine;
    private readonly Statement _insertIssue;
    private readonly (FieldType Type, int Slot)[] _personSlots;
    private readonly (FieldType Type, int Slot)[] _eventSlots;
    private readonly Dictionary<UInt128, long> _knownSources = [];
    private readonly List<string> _deferredIndexes;
    private byte[] _text = new byte[1024];
    private int _stored;
    private int _duplicates;

    public SqliteIntakeWriter(HearthDb db, Dataset dataset, ExtractMapping mapping)
        : base(dataset, mapping)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("the import must run inside a transaction");
        }

        _db = ((SqliteConnection)db.Database.GetDbConnection()).Handle
            ?? throw new InvalidOperationException("the import's connection is not open");

        // 32 MiB of page cache for the indexes' hot pages: a fixed bound on memory.
        Exec("PRAGMA cache_size = -32768");

        _deferredIndexes = DeferSecondaryIndexes();
        _personSlots = PersonColumns.Select((f, i) => (f.Type, i)).ToArray();
        _eventSlots = EventColumns.Select(c => (c.Field.Type, c.Slot)).ToArray();
        var personNames = string.Concat(PersonColumns.Select(c => ", " + c.Column));
        _insertSource = Prepare(
            $"INSERT INTO source_records (agency_id, dataset_id, row_number, details_hash{personNames}) VALUES (?1, ?2, ?3, ?4" +
            string.Concat(PersonColumns.Select((_, i) => ", ?" + (5 + i).ToString(CultureInfo.InvariantCulture))) +
            ") ON CONFLICT (agency_id, details_hash) DO NOTHING");
        _findSource = Prepare("SELECT id, dataset_id, row_number FROM source_records WHERE agency_id = ?1 AND details_hash = ?2");
        if (!PersonOnly)
        {
            var eventNames = string.Concat(EventColumns.Select(c => ", " + c.Field.Column));
            _insertEvent = Prepare(
                $"INSERT INTO events (agency_id, dataset_id, event_type, row_number, source_record_id, fingerprint{eventNames}) VALUES (?1, ?2, ?3, ?4, ?5, ?6" +
                string.Concat(EventColumns.Select((_, i) => ", ?" + (7 + i).ToString(CultureInfo.InvariantCulture))) +
                ") ON CONFLICT (agency_id, fingerprint) DO NOTHING");
            _findEvent = Prepare("SELECT dataset_id, row_number FROM events WHERE agency_id = ?1 AND fingerprint = ?2");
            _insertEvent.Text(1, Dataset.AgencyId);
            _insertEvent.Int64(2, Dataset.Id);
            _insertEvent.Text(3, Mapping.EventType);
            _findEvent.Text(1, Dataset.AgencyId);
        }

        _insertQuarantine = Prepare("INSERT INTO quarantined_rows (dataset_id, row_number, raw_text, reasons) VALUES (?1, ?2, ?3, ?4)");
        _insertIssue = Prepare(
            "INSERT INTO import_issues (dataset_id, row_number, column_name, field, code, severity, message) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
        _insertSource.Text(1, Dataset.AgencyId);
        _insertSource.Int64(2, Dataset.Id);
        _findSource.Text(1, Dataset.AgencyId);
        _insertQuarantine.Int64(1, Dataset.Id);
        _insertIssue.Int64(1, Dataset.Id);
    }

    public override ValueTask WriteRowAsync(MappedRow row, CancellationToken cancellationToken)
    {
        var key = MemoryMarshal.Read<UInt128>(row.DetailsHash);
        if (PersonOnly)
        {
            if (InsertSource(row) is null)
            {
                NoteDuplicate(row.RowNumber, _findSource, row.DetailsHash, 1);
            }

            return ValueTask.CompletedTask;
        }

        if (!_knownSources.TryGetValue(key, out var sourceId))
        {
            sourceId = InsertSource(row) ?? FindSource(row.DetailsHash);
            if (_knownSources.Count >= KnownSourcesLimit)
            {
                _knownSources.Clear();
            }

            _knownSources[key] = sourceId;
        }

        var insert = _insertEvent!;
        insert.Int64(4, row.RowNumber);
        insert.Int64(5, sourceId);
        insert.Blob(6, row.Fingerprint);
        for (var i = 0; i < _eventSlots.Length; i++)
        {
            Bind(insert, 7 + i, _eventSlots[i].Type, row.Values[_eventSlots[i].Slot]);
        }

        if (insert.Execute() == 1)
        {
            _stored++;
        }
        else
        {
            NoteDuplicate(row.RowNumber, _findEvent!, row.Fingerprint, 0);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Inserts the row's source record; its id, or null when the details are already stored.</summary>
    private long? InsertSource(MappedRow row)
    {
        var insert = _insertSource;
        insert.Int64(3, row.RowNumber);
        insert.Blob(4, row.DetailsHash);
        for (var i = 0; i < _personSlots.Length; i++)
        {
            Bind(insert, 5 + i, _personSlots[i].Type, row.Values[_personSlots[i].Slot]);
        }

        if (insert.Execute() == 0)
        {
            return null;
        }

        if (PersonOnly)
        {
            _stored++;
        }

        return raw.sqlite3_last_insert_rowid(_db);
    }

    private long FindSource(byte[] detailsHash)
    {
        _findSource.Blob(2, detailsHash);
        try
        {
            return _findSource.Step() ? raw.sqlite3_column_int64(_findSource.Handle, 0) : throw Failure("the source record that blocked an insert was not found");
        }
        finally
        {
            _findSource.Reset();
        }
    }

    /// <summary>Counts a duplicate and notes which stored row it repeats (the finder's columns from <paramref name="first"/>: dataset, row).</summary>
    private void NoteDuplicate(int rowNumber, Statement finder, byte[] hash, int first)
    {
        _duplicates++;
        finder.Blob(2, hash);
        long datasetId;
        int repeated;
        try
        {
            if (!finder.Step())
            {
                throw Failure("the stored row that a duplicate repeats was not found");
            }

            datasetId = raw.sqlite3_column_int64(finder.Handle, first);
            repeated = raw.sqlite3_column_int(finder.Handle, first + 1);
        }
        finally
        {
            finder.Reset();
        }

        WriteIssue(rowNumber, new RowIssue(null, null, "duplicate_row", IssueSeverity.Info, DuplicateMessage(datasetId, repeated)));
    }

    public override ValueTask WriteQuarantineAsync(int rowNumber, string rawText, string reasons, CancellationToken cancellationToken)
    {
        var insert = _insertQuarantine;
        insert.Int64(2, rowNumber);
        BindText(insert, 3, rawText);
        BindText(insert, 4, reasons);
        insert.Execute();
        return ValueTask.CompletedTask;
    }

    public override ValueTask WriteIssueAsync(int? rowNumber, RowIssue issue, CancellationToken cancellationToken)
    {
        WriteIssue(rowNumber, issue);
        return ValueTask.CompletedTask;
    }

    private void WriteIssue(int? rowNumber, RowIssue issue)
    {
        var insert = _insertIssue;
        if (rowNumber is null)
        {
            insert.Null(2);
        }
        else
        {
            insert.Int64(2, rowNumber.Value);
        }

        BindText(insert, 3, issue.Column);
        BindText(insert, 4, issue.Field);
        BindText(insert, 5, issue.Code);
        BindText(insert, 6, Severity(issue.Severity));
        BindText(insert, 7, issue.Message);
        insert.Execute();
    }

    public override Task<(int Stored, int Duplicates)> CompleteAsync(CancellationToken cancellationToken)
    {
        foreach (var sql in _deferredIndexes)
        {
            Exec(sql);
        }

        _deferredIndexes.Clear();
        return Task.FromResult((_stored, _duplicates));
    }

    /// <summary>
    /// For a file likely to hold more rows than the agency tables already do, the non-unique indexes of
    /// source_records and events are dropped inside the import's transaction and rebuilt (from their stored
    /// definitions) before it commits: one sorted build costs less than keeping them up to date row by row.
    /// Other connections keep seeing the committed schema, and a failed import rolls the drop back. The unique
    /// indexes stay: they detect duplicates.
    /// </summary>
    private List<string> DeferSecondaryIndexes()
    {
        var deferred = new List<string>();
        var existing = Math.Max(Int64Query("SELECT coalesce(max(rowid), 0) FROM events"), Int64Query("SELECT coalesce(max(rowid), 0) FROM source_records"));
        if (Dataset.FileBytes / BytesPerRowAtLeast <= existing)
        {
            return deferred;
        }

        var names = new List<(string Name, string Sql)>();
        using (var query = Prepare(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('events', 'source_records') AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE %'"))
        {
            while (query.Step())
            {
                names.Add((raw.sqlite3_column_text(query.Handle, 0).utf8_to_string(), raw.sqlite3_column_text(query.Handle, 1).utf8_to_string()));
            }
        }

        foreach (var (name, sql) in names)
        {
            Exec("DROP INDEX \"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"");
            deferred.Add(sql);
        }

        return deferred;
    }

    private long Int64Query(string sql)
    {
        using var query = Prepare(sql);
        return query.Step() ? raw.sqlite3_column_int64(query.Handle, 0) : 0;
    }

    public override ValueTask DisposeAsync()
    {
        _insertSource.Dispose();
        _findSource.Dispose();
        _insertEvent?.Dispose();
        _findEvent?.Dispose();
        _insertQuarantine.Dispose();
        _insertIssue.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Binds a value as EF Core stores it in SQLite: text, whole numbers, and dates as yyyy-MM-dd text.</summary>
    private void Bind(Statement statement, int index, FieldType type, object? value)
    {
        switch (value)
        {
            case null:
                statement.Null(index);
                break;
            case string text:
                BindText(statement, index, text);
                break;
            case int number:
                statement.Int64(index, number);
                break;
            case long number:
                statement.Int64(index, number);
                break;
            case DateOnly date:
                Span<byte> buffer = stackalloc byte[10];
                if (!date.TryFormat(buffer, out var written, "yyyy-MM-dd", CultureInfo.InvariantCulture))
                {
                    throw Failure("a date could not be formatted");
                }

                statement.Text(index, buffer[..written]);
                break;
            default:
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"unexpected {value.GetType().Name} value for a {type} field"));
        }
    }

    private void BindText(Statement statement, int index, string? text)
    {
        if (text is null)
        {
            statement.Null(index);
            return;
        }

        var length = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (_text.Length < length)
        {
            _text = new byte[Math.Max(length, _text.Length * 2)];
        }

        var written = Encoding.UTF8.GetBytes(text, _text);
        statement.Text(index, _text.AsSpan(0, written));
    }

    private void Exec(string sql)
    {
        if (raw.sqlite3_exec(_db, sql) != raw.SQLITE_OK)
        {
            throw Failure(sql);
        }
    }

    private Statement Prepare(string sql)
    {
        if (raw.sqlite3_prepare_v2(_db, sql, out var statement) != raw.SQLITE_OK)
        {
            statement.Dispose();
            throw Failure(sql);
        }

        return new Statement(this, statement);
    }

    private SqliteException Failure(string context)
    {
        var code = raw.sqlite3_extended_errcode(_db);
        return new SqliteException(string.Create(CultureInfo.InvariantCulture,
            $"SQLite Error {code}: '{raw.sqlite3_errmsg(_db).utf8_to_string()}' ({context})"), raw.sqlite3_errcode(_db), code);
    }

    /// <summary>A prepared statement whose parameters are bound by position.</summary>
    private sealed class Statement(SqliteIntakeWriter writer, sqlite3_stmt handle) : IDisposable
    {
        public sqlite3_stmt Handle { get; } = handle;

        public void Int64(int index, long value) => Check(raw.sqlite3_bind_int64(Handle, index, value));

        public void Null(int index) => Check(raw.sqlite3_bind_null(Handle, index));

        public void Text(int index, string value) => Check(raw.sqlite3_bind_text(Handle, index, value));

        public void Text(int index, ReadOnlySpan<byte> utf8) => Check(raw.sqlite3_bind_text(Handle, index, utf8));

        public void Blob(int index, ReadOnlySpan<byte> value) => Check(raw.sqlite3_bind_blob(Handle, index, value));

        /// <summary>Runs a statement that returns no rows; the number of rows it changed.</summary>
        public int Execute()
        {
            var rc = raw.sqlite3_step(Handle);
            raw.sqlite3_reset(Handle);
            if (rc != raw.SQLITE_DONE)
            {
                throw writer.Failure(raw.sqlite3_sql(Handle).utf8_to_string());
            }

            return raw.sqlite3_changes(writer._db);
        }

        /// <summary>Steps a query; true when it produced a row.</summary>
        public bool Step()
        {
            var rc = raw.sqlite3_step(Handle);
            return rc == raw.SQLITE_ROW || (rc == raw.SQLITE_DONE ? false : throw writer.Failure(raw.sqlite3_sql(Handle).utf8_to_string()));
        }

        public void Reset() => raw.sqlite3_reset(Handle);

        public void Dispose() => Handle.Dispose();

        private void Check(int rc)
        {
            if (rc != raw.SQLITE_OK)
            {
                throw writer.Failure("binding a value");
            }
        }
    }
}
