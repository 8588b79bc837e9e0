using Hearth.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Hearth.Core.Intake;

/// <summary>
/// PostgreSQL: rows stream into a temporary staging table with binary COPY; at the end three set-based
/// statements add new source records, add new events (the earliest row of each fingerprint) and note every
/// duplicate. Quarantined rows and issues are buffered and copied in batches between staging copies,
/// since a connection runs one COPY at a time.
/// </summary>
internal sealed class PostgresIntakeWriter : IntakeWriter
{
    private const int FlushEvery = 10_000;
    private readonly NpgsqlConnection _connection;
    private readonly List<(int Row, string Raw, string Reasons)> _quarantine = [];
    private readonly List<(int? Row, RowIssue Issue)> _issues = [];
    private readonly (string Column, NpgsqlDbType Type, int Slot)[] _stagingColumns;
    private readonly (string Column, NpgsqlDbType Type, int Slot)[] _copyColumns;
    private NpgsqlBinaryImporter? _staging;
    private bool _created;

    public PostgresIntakeWriter(HearthDb db, Dataset dataset, ExtractMapping mapping)
        : base(dataset, mapping)
    {
        _connection = (NpgsqlConnection)db.Database.GetDbConnection();
        _ = db.Database.CurrentTransaction?.GetDbTransaction() ?? throw new InvalidOperationException("the import must run inside a transaction");
        _stagingColumns =
        [
            .. PersonColumns.Select((f, i) => (f.Column, DbType(f), i)),
            .. EventColumns.Select(c => (c.Field.Column, DbType(c.Field), c.Slot)),
        ];
        _copyColumns = _stagingColumns.Where(c => UsedSlots.Contains(c.Slot)).ToArray();
    }

    private static NpgsqlDbType DbType(FieldDefinition field) => field.Type switch
    {
        FieldType.Date => NpgsqlDbType.Date,
        FieldType.WholeNumber => NpgsqlDbType.Integer,
        FieldType.Money => NpgsqlDbType.Bigint,
        _ => NpgsqlDbType.Text,
    };

    private static string SqlType(NpgsqlDbType type) => type switch
    {
        NpgsqlDbType.Date => "date",
        NpgsqlDbType.Integer => "integer",
        NpgsqlDbType.Bigint => "bigint",
        _ => "text",
    };

    private async ValueTask<NpgsqlBinaryImporter> StagingAsync(CancellationToken cancellationToken)
    {
        if (_staging is not null)
        {
            return _staging;
        }

        if (!_created)
        {
            var columns = string.Join(", ", _stagingColumns.Select(c => c.Column + " " + SqlType(c.Type)));
            await ExecuteAsync(
                $"CREATE TEMP TABLE intake_staging (row_number integer NOT NULL, details_hash bytea NOT NULL, fingerprint bytea NOT NULL, {columns}) ON COMMIT DROP",
                cancellationToken);
            _created = true;
        }

        var names = string.Concat(_copyColumns.Select(c => ", " + c.Column));
        _staging = await _connection.BeginBinaryImportAsync(
            $"COPY intake_staging (row_number, details_hash, fingerprint{names}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        return _staging;
    }

    /// <summary>
    /// Writes one row to the staging COPY. The field writes are synchronous: the importer buffers rows and
    /// only blocks when it flushes a full buffer, and per-field async calls would cost more than the copy.
    /// </summary>
    public override async ValueTask WriteRowAsync(MappedRow row, CancellationToken cancellationToken)
    {
        var staging = await StagingAsync(cancellationToken);
        staging.StartRow();
        staging.Write(row.RowNumber, NpgsqlDbType.Integer);
        staging.Write(row.DetailsHash, NpgsqlDbType.Bytea);
        staging.Write(row.Fingerprint, NpgsqlDbType.Bytea);
        var values = row.Values;
        for (var i = 0; i < _copyColumns.Length; i++)
        {
            var value = values[_copyColumns[i].Slot];
            if (value is null)
            {
                staging.WriteNull();
                continue;
            }

            switch (_copyColumns[i].Type)
            {
                case NpgsqlDbType.Date:
                    staging.Write((DateOnly)value, NpgsqlDbType.Date);
                    break;
                case NpgsqlDbType.Integer:
                    staging.Write((int)value, NpgsqlDbType.Integer);
                    break;
                case NpgsqlDbType.Bigint:
                    staging.Write((long)value, NpgsqlDbType.Bigint);
                    break;
                default:
                    staging.Write((string)value, NpgsqlDbType.Text);
                    break;
            }
        }
    }

    public override async ValueTask WriteQuarantineAsync(int rowNumber, string rawText, string reasons, CancellationToken cancellationToken)
    {
        _quarantine.Add((rowNumber, rawText, reasons));
        if (_quarantine.Count >= FlushEvery)
        {
            await FlushSideTablesAsync(cancellationToken);
        }
    }

    public override async ValueTask WriteIssueAsync(int? rowNumber, RowIssue issue, CancellationToken cancellationToken)
    {
        _issues.Add((rowNumber, issue));
        if (_issues.Count >= FlushEvery)
        {
            await FlushSideTablesAsync(cancellationToken);
        }
    }

    private async Task EndStagingAsync(CancellationToken cancellationToken)
    {
        if (_staging is not null)
        {
            await _staging.CompleteAsync(cancellationToken);
            await _staging.DisposeAsync();
            _staging = null;
        }
    }

    private async Task FlushSideTablesAsync(CancellationToken cancellationToken)
    {
        await EndStagingAsync(cancellationToken);
        if (_quarantine.Count > 0)
        {
            await using var copy = await _connection.BeginBinaryImportAsync(
                "COPY quarantined_rows (dataset_id, row_number, raw_text, reasons) FROM STDIN (FORMAT BINARY)", cancellationToken);
            foreach (var (row, raw, reasons) in _quarantine)
            {
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(Dataset.Id, NpgsqlDbType.Bigint, cancellationToken);
                await copy.WriteAsync(row, NpgsqlDbType.Integer, cancellationToken);
                await copy.WriteAsync(raw, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(reasons, NpgsqlDbType.Text, cancellationToken);
            }

            await copy.CompleteAsync(cancellationToken);
            _quarantine.Clear();
        }

        if (_issues.Count > 0)
        {
            await using var copy = await _connection.BeginBinaryImportAsync(
                "COPY import_issues (dataset_id, row_number, column_name, field, code, severity, message) FROM STDIN (FORMAT BINARY)", cancellationToken);
            foreach (var (row, issue) in _issues)
            {
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(Dataset.Id, NpgsqlDbType.Bigint, cancellationToken);
                await WriteNullableAsync(copy, row, NpgsqlDbType.Integer, cancellationToken);
                await WriteNullableAsync(copy, issue.Column, NpgsqlDbType.Text, cancellationToken);
                await WriteNullableAsync(copy, issue.Field, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(issue.Code, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(Severity(issue.Severity), NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(issue.Message, NpgsqlDbType.Text, cancellationToken);
            }

            await copy.CompleteAsync(cancellationToken);
            _issues.Clear();
        }
    }

    private static async Task WriteNullableAsync<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type, CancellationToken cancellationToken)
    {
        if (value is null)
        {
            await copy.WriteNullAsync(cancellationToken);
        }
        else
        {
            await copy.WriteAsync(value, type, cancellationToken);
        }
    }

    public override async Task<(int Stored, int Duplicates)> CompleteAsync(CancellationToken cancellationToken)
    {
        await FlushSideTablesAsync(cancellationToken);
        if (!_created)
        {
            return (0, 0);
        }

        await ExecuteAsync("ANALYZE intake_staging", cancellationToken);
        await ExecuteAsync("SET LOCAL work_mem = '256MB'", cancellationToken);
        var staged = Convert.ToInt32(await ScalarAsync("SELECT count(*) FROM intake_staging", cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        var personNames = string.Join(", ", PersonColumns.Select(c => c.Column));
        var personSelect = string.Join(", ", PersonColumns.Select(c => "s." + c.Column));
        var sourcesAdded = await ExecuteAsync(
            $"INSERT INTO source_records (agency_id, dataset_id, row_number, {personNames}, details_hash) " +
            $"SELECT DISTINCT ON (s.details_hash) @agency, @dataset, s.row_number, {personSelect}, s.details_hash " +
            "FROM intake_staging s ORDER BY s.details_hash, s.row_number " +
            "ON CONFLICT (agency_id, details_hash) DO NOTHING",
            cancellationToken);
        int stored;
        if (PersonOnly)
        {
            stored = sourcesAdded;
            await NoteDuplicatesAsync(staged - stored,
                "INSERT INTO import_issues (dataset_id, row_number, code, severity, message) " +
                "SELECT @dataset, s.row_number, 'duplicate_row', 'Info', " +
                "'an identical row is already stored (dataset ' || r.dataset_id || ', row ' || r.row_number || '); skipped' " +
                "FROM intake_staging s JOIN source_records r ON r.agency_id = @agency AND r.details_hash = s.details_hash " +
                "WHERE NOT (r.dataset_id = @dataset AND r.row_number = s.row_number)",
                cancellationToken);
        }
        else
        {
            var eventNames = string.Join(string.Empty, EventColumns.Select(c => ", " + c.Field.Column));
            var eventSelect = string.Join(string.Empty, EventColumns.Select(c => ", s." + c.Field.Column));
            stored = await ExecuteAsync(
                $"INSERT INTO events (agency_id, source_record_id, dataset_id, row_number, event_type, fingerprint{eventNames}) " +
                $"SELECT DISTINCT ON (s.fingerprint) @agency, r.id, @dataset, s.row_number, @type, s.fingerprint{eventSelect} " +
                "FROM intake_staging s JOIN source_records r ON r.agency_id = @agency AND r.details_hash = s.details_hash " +
                "ORDER BY s.fingerprint, s.row_number " +
                "ON CONFLICT (agency_id, fingerprint) DO NOTHING",
                cancellationToken);
            await NoteDuplicatesAsync(staged - stored,
                "INSERT INTO import_issues (dataset_id, row_number, code, severity, message) " +
                "SELECT @dataset, s.row_number, 'duplicate_row', 'Info', " +
                "'an identical row is already stored (dataset ' || e.dataset_id || ', row ' || e.row_number || '); skipped' " +
                "FROM intake_staging s JOIN events e ON e.agency_id = @agency AND e.fingerprint = s.fingerprint " +
                "WHERE NOT (e.dataset_id = @dataset AND e.row_number = s.row_number)",
                cancellationToken);
        }

        await ExecuteAsync("DROP TABLE intake_staging", cancellationToken);
        _created = false;
        return (stored, staged - stored);
    }

    /// <summary>Notes every duplicate with the row it repeats; skipped when every staged row was stored.</summary>
    private async Task NoteDuplicatesAsync(int duplicates, string sql, CancellationToken cancellationToken)
    {
        if (duplicates > 0)
        {
            await ExecuteAsync(sql, cancellationToken);
        }
    }

    private async Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = NewCommand(sql);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<object?> ScalarAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = NewCommand(sql);
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    private NpgsqlCommand NewCommand(string sql)
    {
        var command = new NpgsqlCommand(sql, _connection) { CommandTimeout = 0 };
        command.Parameters.AddWithValue("agency", Dataset.AgencyId);
        command.Parameters.AddWithValue("dataset", Dataset.Id);
        command.Parameters.AddWithValue("type", Mapping.EventType);
        return command;
    }

    public override async ValueTask DisposeAsync()
    {
        if (_staging is not null)
        {
            await _staging.DisposeAsync();
            _staging = null;
        }
    }
}
