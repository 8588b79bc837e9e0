using System.Data.Common;
using System.Globalization;
using Hearth.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Hearth.Core.Linkage;

/// <summary>A column of a bulk insert: its name and its PostgreSQL type (SQLite takes the value as it is).</summary>
internal readonly record struct BulkColumn(string Name, NpgsqlDbType Type);

/// <summary>
/// Writes the many rows a linkage run produces (persons, person records, household and family members) in the
/// caller's transaction: a prepared insert on SQLite, binary COPY on PostgreSQL. Values are long, double,
/// string, <see cref="DateOnly"/> or UTC <see cref="DateTime"/>, or null.
/// </summary>
internal static class LinkageStoreWriter
{
    public static async Task InsertAsync(HearthDb db, string table, BulkColumn[] columns, IEnumerable<object?[]> rows, CancellationToken cancellationToken)
    {
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("Bulk inserts run inside the linkage run's transaction.");
        if (db.Provider == DatabaseProvider.Postgres)
        {
            var connection = (NpgsqlConnection)db.Database.GetDbConnection();
            var names = string.Join(", ", columns.Select(c => "\"" + c.Name + "\""));
            await using var copy = await connection.BeginBinaryImportAsync($"COPY \"{table}\" ({names}) FROM STDIN (FORMAT BINARY)", cancellationToken);
            foreach (var row in rows)
            {
                await copy.StartRowAsync(cancellationToken);
                for (var i = 0; i < columns.Length; i++)
                {
                    if (row[i] is null)
                    {
                        await copy.WriteNullAsync(cancellationToken);
                    }
                    else
                    {
                        await copy.WriteAsync(row[i], columns[i].Type, cancellationToken);
                    }
                }
            }

            await copy.CompleteAsync(cancellationToken);
            return;
        }

        var sqlite = db.Database.GetDbConnection();
        await using var command = sqlite.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = string.Create(CultureInfo.InvariantCulture,
            $"INSERT INTO \"{table}\" ({string.Join(", ", columns.Select(c => "\"" + c.Name + "\""))}) VALUES ({string.Join(", ", columns.Select((_, i) => "$p" + i.ToString(CultureInfo.InvariantCulture)))})");
        var parameters = new DbParameter[columns.Length];
        for (var i = 0; i < columns.Length; i++)
        {
            parameters[i] = command.CreateParameter();
            parameters[i].ParameterName = "$p" + i.ToString(CultureInfo.InvariantCulture);
            command.Parameters.Add(parameters[i]);
        }

        // Microsoft.Data.Sqlite runs commands synchronously whatever the API, so the synchronous calls save an
        // awaited task per row.
        command.Prepare();
        foreach (var row in rows)
        {
            for (var i = 0; i < columns.Length; i++)
            {
                parameters[i].Value = row[i] switch
                {
                    null => DBNull.Value,
                    DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    DateTime t => t.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture),
                    var v => v,
                };
            }

            cancellationToken.ThrowIfCancellationRequested();
            command.ExecuteNonQuery();
        }
    }

    /// <summary>After rows were inserted with explicit ids, moves PostgreSQL's identity sequence past them.</summary>
    public static async Task ResetIdentityAsync(HearthDb db, string table, CancellationToken cancellationToken)
    {
        if (db.Provider != DatabaseProvider.Postgres)
        {
            return;
        }

        // The table name is one of the linkage tables' fixed names, never user input.
        var sql = "SELECT setval(pg_get_serial_sequence('\"" + table + "\"', 'id'), GREATEST((SELECT MAX(id) FROM \"" + table + "\"), 1))";
        await db.Database.ExecuteSqlRawAsync(sql, cancellationToken);
    }
}
