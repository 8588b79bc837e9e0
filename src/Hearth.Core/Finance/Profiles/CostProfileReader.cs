using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Hearth.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Core.Finance.Profiles;

/// <summary>What to profile: one family or all, a financial year, attachment dates by family reference.</summary>
public sealed record CostProfileQuery
{
    /// <summary>Only this family (its reference, e.g. "F0000789"); null for every family not retired.</summary>
    public string? FamilyReference { get; init; }

    /// <summary>Only this financial year; null for every year.</summary>
    public PriceYear? Year { get; init; }

    /// <summary>Attachment date of each family that has one (family reference → date).</summary>
    public IReadOnlyDictionary<string, DateOnly> Attachments { get; init; } = new Dictionary<string, DateOnly>(StringComparer.Ordinal);

    /// <summary>Keep every event id on its line (traceability); off for bulk runs to save memory.</summary>
    public bool KeepEventIds { get; init; } = true;

    /// <summary>Families read per query.</summary>
    public int BatchSize { get; init; } = 2000;
}

/// <summary>
/// Reads families, their members' stays and the events of their members' source records from the store in
/// batches of families (Family → FamilyMember → Person → PersonRecord → SourceRecord → events), and yields
/// each family's cost profile. One batch is in memory at a time, so a county's families stream through.
/// Works on whatever the family tables hold; plain SQL that reads the same on SQLite and PostgreSQL.
/// </summary>
public static class CostProfileReader
{
    public static async IAsyncEnumerable<FamilyCostProfile> ProfilesAsync(
        HearthDb db,
        CostProfileEngine engine,
        CostProfileQuery query,
        DateOnly asOf,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(query);
        var families = query.FamilyReference is { } reference
            ? await db.Families.AsNoTracking().Where(f => f.Reference == reference).Select(f => new { f.Id, f.Reference }).ToListAsync(cancellationToken)
            : await db.Families.AsNoTracking().Where(f => f.RetiredUtc == null).OrderBy(f => f.Id).Select(f => new { f.Id, f.Reference }).ToListAsync(cancellationToken);
        if (families.Count == 0)
        {
            yield break;
        }

        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var sql = Sql(engine, query.Year is not null);
            var batchSize = Math.Max(1, query.BatchSize);
            for (var start = 0; start < families.Count; start += batchSize)
            {
                var batch = families.GetRange(start, Math.Min(batchSize, families.Count - start));
                var rows = new Dictionary<long, List<(CostEvent, Membership)>>();
                await using (var command = connection.CreateCommand())
                {
                    command.CommandText = sql;
                    Add(command, "@lo", batch[0].Id);
                    Add(command, "@hi", batch[^1].Id);
                    if (query.Year is { } y)
                    {
                        Add(command, "@fy_start", new DateOnly(y.StartYear, 4, 1));
                        Add(command, "@fy_end", new DateOnly(y.StartYear + 1, 3, 31));
                    }

                    await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                    var width = engine.Columns.Count;
                    while (await reader.ReadAsync(cancellationToken))
                    {
                        var familyId = reader.GetInt64(0);
                        var stay = new Membership(Date(reader, 1), Date(reader, 2));
                        var fields = new object?[width];
                        for (var i = 0; i < width; i++)
                        {
                            fields[i] = reader.IsDBNull(8 + i) ? null : reader.GetValue(8 + i);
                        }

                        var e = new CostEvent(reader.GetInt64(3), reader.GetString(4), reader.GetString(5), Date(reader, 6)!.Value, Date(reader, 7), fields);
                        if (!rows.TryGetValue(familyId, out var list))
                        {
                            list = [];
                            rows[familyId] = list;
                        }

                        list.Add((e, stay));
                    }
                }

                foreach (var family in batch)
                {
                    var events = rows.GetValueOrDefault(family.Id) ?? [];
                    DateOnly? attach = query.Attachments.TryGetValue(family.Reference, out var a) ? a : null;
                    yield return engine.Profile(family.Id, family.Reference, events, asOf, query.Year, attach, query.KeepEventIds);
                }
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static string Sql(CostProfileEngine engine, bool byYear)
    {
        var sql = new StringBuilder();
        sql.Append("SELECT fm.family_id, fm.\"from\", fm.\"to\", e.id, e.event_type, e.agency_id, e.start_date, e.end_date");
        foreach (var column in engine.Columns)
        {
            sql.Append(", e.").Append(column);
        }

        sql.Append(" FROM family_members fm JOIN person_records pr ON pr.person_id = fm.person_id")
            .Append(" JOIN events e ON e.source_record_id = pr.source_record_id")
            .Append(" WHERE fm.family_id >= @lo AND fm.family_id <= @hi AND e.event_type IN (")
            .Append(string.Join(", ", engine.EventTypes.Select(t => "'" + t + "'")))
            .Append(')');
        if (byYear)
        {
            sql.Append(" AND e.start_date <= @fy_end AND (e.end_date IS NULL OR e.end_date >= @fy_start)");
        }

        return sql.ToString();
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        command.Parameters.Add(p);
    }

    private static DateOnly? Date(DbDataReader reader, int i)
    {
        if (reader.IsDBNull(i))
        {
            return null;
        }

        var value = reader.GetValue(i);
        return value switch
        {
            DateOnly d => d,
            DateTime t => DateOnly.FromDateTime(t),
            string s => DateOnly.ParseExact(s.Length > 10 ? s[..10] : s, "yyyy-MM-dd", CultureInfo.InvariantCulture),
            _ => throw new InvalidOperationException($"unexpected date value of type {value.GetType().Name}"),
        };
    }
}
