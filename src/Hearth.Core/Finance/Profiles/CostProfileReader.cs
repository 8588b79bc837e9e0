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
            if (db.Provider == DatabaseProvider.Sqlite)
            {
                // The join visits events in family order, which is random order in the events table: a larger
                // page cache and memory-mapped reads make each visit a memory access rather than a read call.
                await using var pragma = connection.CreateCommand();
                pragma.CommandText = "PRAGMA cache_size = -262144; PRAGMA mmap_size = 4294967296;";
                await pragma.ExecuteNonQueryAsync(cancellationToken);
            }

            if (query.FamilyReference is null)
            {
                await foreach (var profile in ScanAsync(connection, engine, query, asOf, families.Select(f => (f.Id, f.Reference)).ToList(), cancellationToken))
                {
                    yield return profile;
                }

                yield break;
            }

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

    /// <summary>
    /// Every family at once, in three sequential reads instead of one join per batch: the source records of
    /// family members with their stays, then one pass over the priced events (each matched to its rule as it
    /// is read; events of people in no family, and events no rule prices, are dropped there), held as compact
    /// rows grouped by family with a counting sort, then each family priced in turn.
    /// </summary>
    private static async IAsyncEnumerable<FamilyCostProfile> ScanAsync(
        DbConnection connection,
        CostProfileEngine engine,
        CostProfileQuery query,
        DateOnly asOf,
        List<(long Id, string Reference)> families,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var familyIndex = new Dictionary<long, int>(families.Count);
        for (var i = 0; i < families.Count; i++)
        {
            familyIndex[families[i].Id] = i;
        }

        // Source record → chain of (family, stay) entries.
        var first = new Dictionary<long, int>();
        var stays = new List<(int Family, int From, int To, int Next)>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT pr.source_record_id, fm.family_id, fm.\"from\", fm.\"to\" FROM person_records pr JOIN family_members fm ON fm.person_id = pr.person_id";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                if (!familyIndex.TryGetValue(reader.GetInt64(1), out var family))
                {
                    continue;
                }

                var sr = reader.GetInt64(0);
                var next = first.TryGetValue(sr, out var head) ? head : -1;
                first[sr] = stays.Count;
                stays.Add((family, Date(reader, 2)?.DayNumber ?? int.MinValue, Date(reader, 3)?.DayNumber ?? int.MaxValue, next));
            }
        }

        var rules = engine.Config.Rules.ToList();
        var ruleIndex = rules.Select((r, i) => (r.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);
        var agencies = new List<string>();
        var agencyIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var rows = new List<Row>();
        await using (var command = connection.CreateCommand())
        {
            var sql = new StringBuilder("SELECT e.source_record_id, e.id, e.event_type, e.agency_id, e.start_date, e.end_date");
            foreach (var column in engine.Columns)
            {
                sql.Append(", e.").Append(column);
            }

            sql.Append(" FROM events e WHERE e.event_type IN (").Append(string.Join(", ", engine.EventTypes.Select(t => "'" + t + "'"))).Append(')');
            if (query.Year is { } y)
            {
                sql.Append(" AND e.start_date <= @fy_end AND (e.end_date IS NULL OR e.end_date >= @fy_start)");
                Add(command, "@fy_start", new DateOnly(y.StartYear, 4, 1));
                Add(command, "@fy_end", new DateOnly(y.StartYear + 1, 3, 31));
            }

            command.CommandText = sql.ToString();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var width = engine.Columns.Count;
            var fields = new object?[width];
            while (await reader.ReadAsync(cancellationToken))
            {
                if (!first.TryGetValue(reader.GetInt64(0), out var head))
                {
                    continue;
                }

                for (var i = 0; i < width; i++)
                {
                    fields[i] = reader.IsDBNull(6 + i) ? null : reader.GetValue(6 + i);
                }

                var start = Date(reader, 4)!.Value;
                var end = Date(reader, 5);
                var agency = reader.GetString(3);
                var e = new CostEvent(reader.GetInt64(1), reader.GetString(2), agency, start, end, fields);
                if (engine.Match(e) is not { } rule)
                {
                    continue;
                }

                if (!agencyIndex.TryGetValue(agency, out var a))
                {
                    a = agencies.Count;
                    agencies.Add(agency);
                    agencyIndex[agency] = a;
                }

                for (var s = head; s >= 0; s = stays[s].Next)
                {
                    var stay = stays[s];
                    rows.Add(new Row(stay.Family, ruleIndex[rule.Id], a, e.EventId, start.DayNumber, end?.DayNumber ?? -1, stay.From, stay.To));
                }
            }
        }

        first.Clear();
        stays.Clear();

        // Counting sort of the rows by family.
        var starts = new int[families.Count + 1];
        foreach (var r in rows)
        {
            starts[r.Family + 1]++;
        }

        for (var i = 0; i < families.Count; i++)
        {
            starts[i + 1] += starts[i];
        }

        var order = new int[rows.Count];
        var fill = (int[])starts.Clone();
        for (var i = 0; i < rows.Count; i++)
        {
            order[fill[rows[i].Family]++] = i;
        }

        var noFields = Array.Empty<object?>();
        for (var f = 0; f < families.Count; f++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var events = new List<(CostEvent, Membership, CostRule?)>(starts[f + 1] - starts[f]);
            for (var k = starts[f]; k < starts[f + 1]; k++)
            {
                var r = rows[order[k]];
                var rule = rules[r.Rule];
                var e = new CostEvent(r.EventId, rule.EventType, agencies[r.Agency], DateOnly.FromDayNumber(r.Start), r.End < 0 ? null : DateOnly.FromDayNumber(r.End), noFields);
                var stay = new Membership(r.From == int.MinValue ? null : DateOnly.FromDayNumber(r.From), r.To == int.MaxValue ? null : DateOnly.FromDayNumber(r.To));
                events.Add((e, stay, rule));
            }

            var (id, reference) = families[f];
            DateOnly? attach = query.Attachments.TryGetValue(reference, out var d) ? d : null;
            yield return CostProfileEngine.ProfileMatched(id, reference, events, asOf, query.Year, attach, query.KeepEventIds);
        }
    }

    /// <summary>A priced event for one family stay, packed small: a county's rows are held at once.</summary>
    private readonly record struct Row(int Family, int Rule, int Agency, long EventId, int Start, int End, int From, int To);

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
