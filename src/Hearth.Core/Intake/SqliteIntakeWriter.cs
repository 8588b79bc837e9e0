using System.Buffers.Binary;
using Hearth.Core.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Hearth.Core.Intake;

/// <summary>
/// SQLite: prepared statements reused for every row inside the import's one transaction. Source records and
/// events are inserted with <c>ON CONFLICT DO NOTHING</c>, so a duplicate costs one index probe. A bounded
/// cache remembers recent source record ids so repeated people need no lookup.
/// </summary>
internal sealed class SqliteIntakeWriter : IntakeWriter
{
    private const int CacheLimit = 200_000;
    private readonly SqliteCommand _insertSource;
    private readonly SqliteCommand _findSource;
    private readonly SqliteCommand _insertEvent;
    private readonly SqliteCommand _findEvent;
    private readonly SqliteCommand _insertQuarantine;
    private readonly SqliteCommand _insertIssue;
    private readonly Dictionary<UInt128, long> _sourceIds = [];
    private int _stored;
    private int _duplicates;

    public SqliteIntakeWriter(HearthDb db, Dataset dataset, ExtractMapping mapping)
        : base(dataset, mapping)
    {
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        var transaction = (SqliteTransaction)(db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("the import must run inside a transaction"));
        using (var pragma = connection.CreateCommand())
        {
            pragma.Transaction = transaction;
            // 32 MiB of page cache: enough for the indexes' hot pages, and a bound on memory.
            pragma.CommandText = "PRAGMA cache_size = -32768";
            pragma.ExecuteNonQuery();
        }

        var personNames = string.Join(", ", PersonColumns.Select(c => c.Column));
        var personParams = string.Join(", ", PersonColumns.Select((_, i) => "$p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        _insertSource = Command(connection, transaction,
            $"INSERT INTO source_records (agency_id, dataset_id, row_number, {personNames}, details_hash) " +
            $"VALUES ($agency, $dataset, $row, {personParams}, $hash) ON CONFLICT (agency_id, details_hash) DO NOTHING RETURNING id",
            ["$agency", "$dataset", "$row", .. PersonColumns.Select((_, i) => "$p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)), "$hash"]);
        _findSource = Command(connection, transaction,
            "SELECT id, dataset_id, row_number FROM source_records WHERE agency_id = $agency AND details_hash = $hash", ["$agency", "$hash"]);
        var eventNames = string.Join(string.Empty, EventColumns.Select(c => ", " + c.Field.Column));
        var eventParams = EventColumns.Select((_, i) => "$e" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        _insertEvent = Command(connection, transaction,
            $"INSERT INTO events (agency_id, source_record_id, dataset_id, row_number, event_type, fingerprint{eventNames}) " +
            $"VALUES ($agency, $source, $dataset, $row, $type, $fingerprint{string.Join(string.Empty, eventParams.Select(p => ", " + p))}) " +
            "ON CONFLICT (agency_id, fingerprint) DO NOTHING",
            ["$agency", "$source", "$dataset", "$row", "$type", "$fingerprint", .. eventParams]);
        _findEvent = Command(connection, transaction,
            "SELECT dataset_id, row_number FROM events WHERE agency_id = $agency AND fingerprint = $fingerprint", ["$agency", "$fingerprint"]);
        _insertQuarantine = Command(connection, transaction,
            "INSERT INTO quarantined_rows (dataset_id, row_number, raw_text, reasons) VALUES ($dataset, $row, $raw, $reasons)",
            ["$dataset", "$row", "$raw", "$reasons"]);
        _insertIssue = Command(connection, transaction,
            "INSERT INTO import_issues (dataset_id, row_number, column_name, field, code, severity, message) " +
            "VALUES ($dataset, $row, $column, $field, $code, $severity, $message)",
            ["$dataset", "$row", "$column", "$field", "$code", "$severity", "$message"]);

        foreach (var command in new[] { _insertSource, _findSource, _insertEvent, _findEvent })
        {
            command.Parameters["$agency"].Value = dataset.AgencyId;
        }

        foreach (var command in new[] { _insertSource, _insertEvent, _insertQuarantine, _insertIssue })
        {
            command.Parameters["$dataset"].Value = dataset.Id;
        }

        _insertEvent.Parameters["$type"].Value = mapping.EventType;
    }

    public override ValueTask WriteRowAsync(MappedRow row, CancellationToken cancellationToken)
    {
        var key = BinaryPrimitives.ReadUInt128LittleEndian(row.DetailsHash);
        if (!_sourceIds.TryGetValue(key, out var sourceId))
        {
            var p = _insertSource.Parameters;
            p[2].Value = row.RowNumber;
            for (var i = 0; i < PersonColumns.Count; i++)
            {
                p[3 + i].Value = row.Values[i] ?? DBNull.Value;
            }

            p[^1].Value = row.DetailsHash;
            var inserted = _insertSource.ExecuteScalar();
            if (inserted is long id)
            {
                sourceId = id;
                if (PersonOnly)
                {
                    _stored++;
                }
            }
            else
            {
                _findSource.Parameters[1].Value = row.DetailsHash;
                using var reader = _findSource.ExecuteReader();
                reader.Read();
                sourceId = reader.GetInt64(0);
                if (PersonOnly)
                {
                    _duplicates++;
                    WriteIssue(row.RowNumber, new RowIssue(null, null, "duplicate_row", IssueSeverity.Info,
                        DuplicateMessage(reader.GetInt64(1), reader.GetInt32(2))));
                }
            }

            if (_sourceIds.Count >= CacheLimit)
            {
                _sourceIds.Clear();
            }

            _sourceIds[key] = sourceId;
        }
        else if (PersonOnly)
        {
            _findSource.Parameters[1].Value = row.DetailsHash;
            using var reader = _findSource.ExecuteReader();
            reader.Read();
            _duplicates++;
            WriteIssue(row.RowNumber, new RowIssue(null, null, "duplicate_row", IssueSeverity.Info,
                DuplicateMessage(reader.GetInt64(1), reader.GetInt32(2))));
        }

        if (PersonOnly)
        {
            return ValueTask.CompletedTask;
        }

        var e = _insertEvent.Parameters;
        e[1].Value = sourceId;
        e[3].Value = row.RowNumber;
        e[5].Value = row.Fingerprint;
        for (var i = 0; i < EventColumns.Count; i++)
        {
            e[6 + i].Value = row.Values[EventColumns[i].Slot] ?? DBNull.Value;
        }

        if (_insertEvent.ExecuteNonQuery() == 1)
        {
            _stored++;
        }
        else
        {
            _duplicates++;
            _findEvent.Parameters[1].Value = row.Fingerprint;
            using var reader = _findEvent.ExecuteReader();
            reader.Read();
            WriteIssue(row.RowNumber, new RowIssue(null, null, "duplicate_row", IssueSeverity.Info,
                DuplicateMessage(reader.GetInt64(0), reader.GetInt32(1))));
        }

        return ValueTask.CompletedTask;
    }

    public override ValueTask WriteQuarantineAsync(int rowNumber, string rawText, string reasons, CancellationToken cancellationToken)
    {
        var p = _insertQuarantine.Parameters;
        p[1].Value = rowNumber;
        p[2].Value = rawText;
        p[3].Value = reasons;
        _insertQuarantine.ExecuteNonQuery();
        return ValueTask.CompletedTask;
    }

    public override ValueTask WriteIssueAsync(int? rowNumber, RowIssue issue, CancellationToken cancellationToken)
    {
        WriteIssue(rowNumber, issue);
        return ValueTask.CompletedTask;
    }

    private void WriteIssue(int? rowNumber, RowIssue issue)
    {
        var p = _insertIssue.Parameters;
        p[1].Value = rowNumber is null ? DBNull.Value : rowNumber.Value;
        p[2].Value = issue.Column ?? (object)DBNull.Value;
        p[3].Value = issue.Field ?? (object)DBNull.Value;
        p[4].Value = issue.Code;
        p[5].Value = Severity(issue.Severity);
        p[6].Value = issue.Message;
        _insertIssue.ExecuteNonQuery();
    }

    public override Task<(int Stored, int Duplicates)> CompleteAsync(CancellationToken cancellationToken) =>
        Task.FromResult((_stored, _duplicates));

    public override ValueTask DisposeAsync()
    {
        _insertSource.Dispose();
        _findSource.Dispose();
        _insertEvent.Dispose();
        _findEvent.Dispose();
        _insertQuarantine.Dispose();
        _insertIssue.Dispose();
        return ValueTask.CompletedTask;
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql, string[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter(name, null));
        }

        command.Prepare();
        return command;
    }
}
