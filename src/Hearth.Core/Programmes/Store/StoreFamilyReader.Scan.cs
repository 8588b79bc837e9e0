using System.Data.Common;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Hearth.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Core.Programmes;

/// <summary>
/// The scan plan: the family, member, person and person-record tables are read once each into compact in-memory
/// maps, then the events table is read in one sequential pass with a plain data reader. Each event is mapped as it
/// is read and routed, as a small fixed-size row, to the batch (of <c>batchSize</c> families, the same batches the
/// lookup plan yields) of every family its person belongs to; rows beyond a memory budget spill to one temporary
/// file that is deleted when the read ends. Then each batch is built in turn from its rows. Index lookups of events
/// scattered by source record are what made the lookup plan slow for whole boroughs.
/// </summary>
public sealed partial class StoreFamilyReader
{
    /// <summary>
    /// Scan when the families asked for are at least this share (1/n) of the store's families. Measured on SQLite
    /// (docs/benchmarks.md): a scan costs about 0.27 ms of CPU per family in the store, lookups about 0.44 ms per
    /// family asked for, so the scan pays from roughly 60 % of the families; a cohort of a fifth was slower by scan.
    /// </summary>
    private const int ScanWhenOneIn = 2;

    /// <summary>
    /// Scan plan: mapped event rows (72 bytes each) held in memory across batches before they spill to a temporary
    /// file; 1,500,000 rows is about 100 MiB.
    /// </summary>
    public int SpillAfterRows { get; init; } = 1_500_000;

    private async Task<bool> UseScanAsync(long[]? only, CancellationToken ct)
    {
        if (plan != StoreReadPlan.Auto)
        {
            return plan == StoreReadPlan.Scan;
        }

        if (only is null)
        {
            return true;
        }

        if (only.Length < 2)
        {
            return false;
        }

        var total = await db.Families.LongCountAsync(ct).ConfigureAwait(false);
        return (long)only.Length * ScanWhenOneIn >= total;
    }

    private async IAsyncEnumerable<IReadOnlyList<StoredFamily>> ScanAsync(
        ProgrammeDataCoverage coverage, DateOnly asOf, string? scheme, long[]? only, [EnumeratorCancellation] CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct).ConfigureAwait(false);
        try
        {
            var maps = await ReadMapsAsync(connection, asOf, only, ct).ConfigureAwait(false);
            var strings = new StringTable();
            maps.Strings = strings.Values;
            Report.Plan = StoreReadPlan.Scan;
            var ranges = await EventRangesAsync(connection, ct).ConfigureAwait(false);
            var parts = ranges.Select(_ => new EventRows(maps.Batches.Count, Math.Max(1, SpillAfterRows / ranges.Count), strings)).ToList();
            using var release = new DisposeAll(parts);
            var tallies = await Task.WhenAll(ranges.Select((range, i) => ranges.Count == 1
                ? ReadEventsAsync(connection, range, maps, parts[i], ct)
                : Task.Run(() => ReadEventsOnOwnConnectionAsync(connection, range, maps, parts[i], ct), ct))).ConfigureAwait(false);
            foreach (var tally in tallies)
            {
                Report.EventsMapped += tally.Mapped;
                Report.EventsLeftOut += tally.LeftOut;
                foreach (var (value, n) in tally.Unmapped)
                {
                    Report.Count(value, n);
                }
            }

            Report.DatabaseTime += Stopwatch.GetElapsedTime(started);
            for (var b = 0; b < maps.Batches.Count; b++)
            {
                var batchStarted = Stopwatch.GetTimestamp();
                var families = maps.Batches[b];
                Dictionary<long, ProgrammeAttachment> attachments = [];
                if (scheme is not null && families.Count > 0)
                {
                    var lo = maps.FamilyIds[families[0]];
                    var hi = maps.FamilyIds[families[^1]];
                    attachments = (await db.ProgrammeAttachments.AsNoTracking().Where(a => a.Scheme == scheme && a.FamilyId >= lo && a.FamilyId <= hi)
                        .ToListAsync(ct).ConfigureAwait(false)).ToDictionary(a => a.FamilyId);
                }

                var built = Stopwatch.GetTimestamp();
                Report.DatabaseTime += Stopwatch.GetElapsedTime(batchStarted, built);
                var batch = BuildBatch(maps, families, [.. parts.SelectMany(p => p.Take(b))], coverage, attachments);
                Report.RowsSpilled = parts.Sum(p => p.RowsSpilled);
                Report.BuildTime += Stopwatch.GetElapsedTime(built);
                yield return batch;
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Families (in batches), their members, the members' persons and the persons' source records, each table read once.</summary>
    private async Task<ScanMaps> ReadMapsAsync(DbConnection connection, DateOnly asOf, long[]? only, CancellationToken ct)
    {
        var maps = new ScanMaps();
        var wanted = only?.ToHashSet();
        var found = new Dictionary<long, string>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = only is null ? "SELECT id, reference FROM families WHERE retired_utc IS NULL" : "SELECT id, reference FROM families";
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                var id = reader.GetInt64(0);
                if (wanted is null || wanted.Contains(id))
                {
                    found[id] = reader.GetString(1);
                }
            }
        }

        // The batches the lookup plan yields: consecutive families in id order, or consecutive ids of the list asked for.
        var familyIndex = new Dictionary<long, int>(found.Count);
        var order = only ?? [.. found.Keys.Order()];
        for (var start = 0; start < order.Length; start += batchSize)
        {
            var batch = new List<int>();
            foreach (var id in order.AsSpan(start, Math.Min(batchSize, order.Length - start)))
            {
                if (found.TryGetValue(id, out var reference))
                {
                    familyIndex[id] = maps.FamilyIds.Count;
                    batch.Add(maps.FamilyIds.Count);
                    maps.FamilyIds.Add(id);
                    maps.FamilyReferences.Add(reference);
                    maps.FamilyBatch.Add(maps.Batches.Count);
                }
            }

            maps.Batches.Add(batch);
        }

        maps.Members = new List<ScanMember>?[maps.FamilyIds.Count];
        var personIndex = new Dictionary<long, int>();
        var personIds = new List<long>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT family_id, person_id, role, \"from\", \"to\" FROM family_members ORDER BY id";
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                if (!familyIndex.TryGetValue(reader.GetInt64(0), out var f))
                {
                    continue;
                }

                var personId = reader.GetInt64(1);
                if (!personIndex.TryGetValue(personId, out var p))
                {
                    p = personIds.Count;
                    personIndex[personId] = p;
                    personIds.Add(personId);
                    maps.PersonBatch.Add(maps.FamilyBatch[f]);
                }
                else if (maps.PersonBatch[p] != maps.FamilyBatch[f])
                {
                    maps.AddExtraBatch(p, maps.FamilyBatch[f]);
                }

                var role = Enum.Parse<FamilyRole>(reader.GetString(2), ignoreCase: false);
                DateOnly? from = reader.IsDBNull(3) ? null : reader.GetFieldValue<DateOnly>(3);
                DateOnly? to = reader.IsDBNull(4) ? null : reader.GetFieldValue<DateOnly>(4);
                (maps.Members[f] ??= []).Add(new ScanMember(p, role, from, to));
            }
        }

        maps.PersonReferences = new string?[personIds.Count];
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT id, reference FROM persons";
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                if (personIndex.TryGetValue(reader.GetInt64(0), out var p))
                {
                    maps.PersonReferences[p] = reader.GetString(1);
                }
            }
        }

        // Dates of birth and sex per person, folded as the records stream past (most frequent value, ties to the
        // lowest source record id, as the lookup plan decides them).
        var details = new PersonDetailsFold(personIds.Count);
        var earliest = EarliestValidDateOfBirth;
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT pr.source_record_id, pr.person_id, sr.date_of_birth, sr.sex FROM person_records pr JOIN source_records sr ON sr.id = pr.source_record_id";
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                if (!personIndex.TryGetValue(reader.GetInt64(1), out var p))
                {
                    continue;
                }

                var record = reader.GetInt64(0);
                maps.RecordPerson[record] = p;
                details.HasRecords[p] = true;
                if (!reader.IsDBNull(2) && reader.GetFieldValue<DateOnly>(2) is var dob && dob >= earliest && dob <= asOf)
                {
                    details.AddDateOfBirth(p, dob.DayNumber, record);
                }

                if (!reader.IsDBNull(3))
                {
                    details.AddSex(p, reader.GetString(3), record);
                }
            }
        }

        maps.Details = details;
        return maps;
    }

    /// <summary>
    /// Event id ranges read in parallel, one per core up to four: SQLite files and PostgreSQL each serve concurrent
    /// readers on their own connections. One range (the context's own connection) for an in-memory database or a
    /// single core.
    /// </summary>
    private async Task<List<(long Lo, long Hi)?>> EventRangesAsync(DbConnection connection, CancellationToken ct)
    {
        var parallel = Math.Clamp(Environment.ProcessorCount, 1, 4);
        var connectionString = db.Database.GetConnectionString() ?? string.Empty;
        if (parallel == 1 || connectionString.Contains("memory", StringComparison.OrdinalIgnoreCase) || DbProviderFactories.GetFactory(connection) is null)
        {
            return [null];
        }

        long lo, hi;
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT MIN(id), MAX(id) FROM events";
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            if (!await reader.ReadAsync(ct).ConfigureAwait(false) || reader.IsDBNull(0))
            {
                return [null];
            }

            (lo, hi) = (reader.GetInt64(0), reader.GetInt64(1));
        }

        var step = (hi - lo) / parallel + 1;
        return [.. Enumerable.Range(0, parallel).Select(k => ((long, long)?)(lo + (k * step), Math.Min(hi, lo + ((k + 1) * step) - 1))).Where(r => r!.Value.Item1 <= hi)];
    }

    private async Task<EventTally> ReadEventsOnOwnConnectionAsync(DbConnection template, (long Lo, long Hi)? range, ScanMaps maps, EventRows rows, CancellationToken ct)
    {
        var connection = DbProviderFactories.GetFactory(template)!.CreateConnection()
            ?? throw new InvalidOperationException("the database provider gave no connection for a parallel read");
        await using (connection.ConfigureAwait(false))
        {
            connection.ConnectionString = db.Database.GetConnectionString();
            await connection.OpenAsync(ct).ConfigureAwait(false);
            if (db.Provider == DatabaseProvider.Sqlite)
            {
                // Memory-mapped pages: a sequential pass reads the file without a read call per page.
                await using var pragma = connection.CreateCommand();
                pragma.CommandText = "PRAGMA mmap_size = 4294967296";
                await pragma.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }

            return await ReadEventsAsync(connection, range, maps, rows, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Counts of one range's pass, added to the report when every range is read.</summary>
    private sealed class EventTally
    {
        public long Mapped { get; set; }

        public long LeftOut { get; set; }

        public Dictionary<UnmappedValue, long> Unmapped { get; } = [];
    }

    /// <summary>One pass over the events table (or an id range of it): each event of a wanted person mapped and routed to its batches.</summary>
    private static async Task<EventTally> ReadEventsAsync(DbConnection connection, (long Lo, long Hi)? range, ScanMaps maps, EventRows rows, CancellationToken ct)
    {
        var strings = rows.Strings;
        var tally = new EventTally();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {EventColumns} FROM events";
        if (range is { } r)
        {
            command.CommandText += " WHERE id >= @lo AND id <= @hi";
            foreach (var (name, value) in new[] { ("@lo", r.Lo), ("@hi", r.Hi) })
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                parameter.Value = value;
                command.Parameters.Add(parameter);
            }
        }

        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            if (!maps.RecordPerson.TryGetValue(reader.GetInt64(3), out var p))
            {
                continue;
            }

            var stored = ReadEventRow(reader);
            var mapped = StoreEventMapping.Map(stored, string.Empty, out var unmapped);
            var row = mapped is null ? default : new EventRow
            {
                EventId = stored.Id,
                Person = p,
                Type = (int)mapped.Type,
                Start = mapped.Start.DayNumber,
                End = mapped.End?.DayNumber ?? NoInt,
                Code = strings.Of(mapped.Code),
                Category = strings.Of(mapped.Category),
                Outcome = strings.Of(mapped.Outcome),
                SessionsPossible = mapped.SessionsPossible ?? NoInt,
                AuthorisedAbsence = mapped.AuthorisedAbsence ?? NoInt,
                UnauthorisedAbsence = mapped.UnauthorisedAbsence ?? NoInt,
                Days = mapped.Days ?? NoInt,
                Dataset = strings.Of(mapped.Source.DatasetId),
                Row = mapped.Source.Row,
                AmountPence = mapped.AmountPence ?? NoLong,
            };

            // Counted once per batch the person is read in, as the lookup plan counts them.
            var extra = maps.ExtraBatches?.GetValueOrDefault(p);
            var times = 1 + (extra?.Count ?? 0);
            for (var k = 0; k < times; k++)
            {
                if (unmapped is { } u)
                {
                    tally.Unmapped[u] = tally.Unmapped.GetValueOrDefault(u) + 1;
                }

                if (mapped is null)
                {
                    tally.LeftOut++;
                    continue;
                }

                tally.Mapped++;
                rows.Add(k == 0 ? maps.PersonBatch[p] : extra![k - 1], row);
            }
        }
    
        return tally;
    }

    private List<StoredFamily> BuildBatch(ScanMaps maps, List<int> families, EventRow[] events, ProgrammeDataCoverage coverage, Dictionary<long, ProgrammeAttachment> attachments)
    {
        // Each person's events in event id order, built once for the batch and shared by the person's families.
        Array.Sort(events, static (a, b) => a.Person != b.Person ? a.Person.CompareTo(b.Person) : a.EventId.CompareTo(b.EventId));
        var eventsOf = new Dictionary<int, List<ProgrammeEvent>>();
        var strings = maps.Strings!;
        for (var i = 0; i < events.Length;)
        {
            var p = events[i].Person;
            var personRef = maps.PersonReferences[p] ?? string.Empty;
            var list = new List<ProgrammeEvent>();
            for (; i < events.Length && events[i].Person == p; i++)
            {
                ref readonly var r = ref events[i];
                list.Add(new ProgrammeEvent
                {
                    PersonId = personRef,
                    Type = (EventType)r.Type,
                    Start = DateOnly.FromDayNumber(r.Start),
                    End = r.End == NoInt ? null : DateOnly.FromDayNumber(r.End),
                    Code = strings[r.Code],
                    Category = strings[r.Category],
                    Outcome = strings[r.Outcome],
                    SessionsPossible = r.SessionsPossible == NoInt ? null : r.SessionsPossible,
                    AuthorisedAbsence = r.AuthorisedAbsence == NoInt ? null : r.AuthorisedAbsence,
                    UnauthorisedAbsence = r.UnauthorisedAbsence == NoInt ? null : r.UnauthorisedAbsence,
                    Days = r.Days == NoInt ? null : r.Days,
                    AmountPence = r.AmountPence == NoLong ? null : r.AmountPence,
                    Source = new SourceReference(strings[r.Dataset]!, r.Row),
                });
            }

            eventsOf[p] = list;
        }

        var details = maps.Details!;
        var persons = new HashSet<int>();
        var result = new List<StoredFamily>(families.Count);
        foreach (var f in families)
        {
            var programmeMembers = new List<ProgrammeMember>();
            var familyEvents = new List<ProgrammeEvent>();
            var seen = new HashSet<int>();
            foreach (var m in maps.Members[f] ?? [])
            {
                if (persons.Add(m.Person) && details.Conflicting(m.Person))
                {
                    Report.MembersWithConflictingDateOfBirth++;
                }

                if (maps.PersonReferences[m.Person] is not { } personRef)
                {
                    continue;
                }

                var (dob, sex) = details.Of(m.Person);
                if (dob is null)
                {
                    Report.MembersWithoutDateOfBirth++;
                }

                Report.Members++;
                programmeMembers.Add(new ProgrammeMember(personRef, m.Role == FamilyRole.Adult ? MemberRole.Adult : MemberRole.Child, dob, sex, m.From, m.To));
                if (seen.Add(m.Person) && eventsOf.TryGetValue(m.Person, out var evs))
                {
                    familyEvents.AddRange(evs);
                }
            }

            var id = maps.FamilyIds[f];
            attachments.TryGetValue(id, out var attachment);
            var family = new ProgrammeFamily(maps.FamilyReferences[f], programmeMembers, attachment?.AttachedOn, attachment?.ClosedOn,
                attachment?.KeyWorkerAssigned, attachment?.AssessmentDone, attachment?.PlanCoversNeeds, attachment?.Cohort);
            Report.Families++;
            result.Add(new StoredFamily(id, new ProgrammeFamilyData(family, familyEvents, coverage), attachment));
        }

        return result;
    }

    private sealed class DisposeAll(IEnumerable<IDisposable> items) : IDisposable
    {
        public void Dispose()
        {
            foreach (var item in items)
            {
                item.Dispose();
            }
        }
    }

    private const int NoInt = int.MinValue;
    private const long NoLong = long.MinValue;

    private readonly record struct ScanMember(int Person, FamilyRole Role, DateOnly? From, DateOnly? To);

    /// <summary>What the scan holds for the whole read: small per family and per person, a map entry per source record.</summary>
    private sealed class ScanMaps
    {
        public List<long> FamilyIds { get; } = [];

        public List<string> FamilyReferences { get; } = [];

        /// <summary>The batch of each family (by family index).</summary>
        public List<int> FamilyBatch { get; } = [];

        /// <summary>Family indexes per batch, in the order the batch yields them.</summary>
        public List<List<int>> Batches { get; } = [];

        public List<ScanMember>?[] Members { get; set; } = [];

        /// <summary>The first batch each person (by person index) is read in.</summary>
        public List<int> PersonBatch { get; } = [];

        /// <summary>Further batches of persons whose families fall in more than one batch.</summary>
        public Dictionary<int, List<int>>? ExtraBatches { get; private set; }

        public string?[] PersonReferences { get; set; } = [];

        /// <summary>Source record id → person index, for wanted persons only.</summary>
        public Dictionary<long, int> RecordPerson { get; } = [];

        public PersonDetailsFold? Details { get; set; }

        public List<string?>? Strings { get; set; }

        public void AddExtraBatch(int person, int batch)
        {
            ExtraBatches ??= [];
            if (!ExtraBatches.TryGetValue(person, out var list))
            {
                ExtraBatches[person] = list = [];
            }

            if (!list.Contains(batch))
            {
                list.Add(batch);
            }
        }
    }

    /// <summary>Per person: the most frequent valid date of birth and sex, ties to the lowest source record id.</summary>
    private sealed class PersonDetailsFold(int persons)
    {
        private readonly List<(int Day, int Count, long First)>?[] _dobs = new List<(int, int, long)>?[persons];
        private readonly (int Count, long First)[] _female = new (int, long)[persons];
        private readonly (int Count, long First)[] _male = new (int, long)[persons];

        public bool[] HasRecords { get; } = new bool[persons];

        public void AddDateOfBirth(int person, int day, long record)
        {
            var list = _dobs[person] ??= new List<(int, int, long)>(1);
            for (var i = 0; i < list.Count; i++)
            {
                if (list[i].Day == day)
                {
                    list[i] = (day, list[i].Count + 1, Math.Min(list[i].First, record));
                    return;
                }
            }

            list.Add((day, 1, record));
        }

        public void AddSex(int person, string sex, long record)
        {
            var slot = sex switch
            {
                "female" => _female,
                "male" => _male,
                _ => null,
            };
            if (slot is not null)
            {
                var (count, first) = slot[person];
                slot[person] = (count + 1, count == 0 ? record : Math.Min(first, record));
            }
        }

        public bool Conflicting(int person) => HasRecords[person] && _dobs[person] is { Count: > 1 };

        public (DateOnly? DateOfBirth, string? Sex) Of(int person)
        {
            DateOnly? dob = null;
            if (_dobs[person] is { Count: > 0 } list)
            {
                var best = list[0];
                foreach (var d in list)
                {
                    if (d.Count > best.Count || (d.Count == best.Count && d.First < best.First))
                    {
                        best = d;
                    }
                }

                dob = DateOnly.FromDayNumber(best.Day);
            }

            var (f, fFirst) = _female[person];
            var (m, mFirst) = _male[person];
            string? sex = f == 0 && m == 0 ? null
                : f > m || (f == m && fFirst < mFirst) ? "female" : "male";
            return (dob, sex);
        }
    }

    /// <summary>A mapped event packed for routing: fixed size, strings as indexes into a table shared by the read.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct EventRow
    {
        public long EventId;
        public long AmountPence;
        public int Person;
        public int Type;
        public int Start;
        public int End;
        public int Code;
        public int Category;
        public int Outcome;
        public int SessionsPossible;
        public int AuthorisedAbsence;
        public int UnauthorisedAbsence;
        public int Days;
        public int Dataset;
        public int Row;
    }

    /// <summary>Interned strings: index 0 is null.</summary>
    private sealed class StringTable
    {
        private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);

        public List<string?> Values { get; } = [null];

        private readonly Lock _lock = new();

        /// <summary>The index of <paramref name="value"/>; safe to call from several reading threads at once.</summary>
        public int Of(string? value)
        {
            if (value is null)
            {
                return 0;
            }

            lock (_lock)
            {
                if (!_index.TryGetValue(value, out var i))
                {
                    i = Values.Count;
                    _index[value] = i;
                    Values.Add(value);
                }

                return i;
            }
        }
    }

    /// <summary>
    /// Event rows per batch: in memory up to <c>spillAfter</c> rows in all, then appended in blocks to one
    /// temporary file (deleted on close) and read back when their batch is built.
    /// </summary>
    private sealed class EventRows(int batches, int spillAfter, StringTable strings) : IDisposable
    {
        private readonly List<EventRow>[] _buffers = [.. Enumerable.Range(0, batches).Select(_ => new List<EventRow>())];
        private readonly List<(long Offset, int Count)>[] _blocks = [.. Enumerable.Range(0, batches).Select(_ => new List<(long, int)>())];
        private Microsoft.Win32.SafeHandles.SafeFileHandle? _file;
        private long _length;
        private int _buffered;

        public StringTable Strings { get; } = strings;

        public void Add(int batch, in EventRow row)
        {
            _buffers[batch].Add(row);
            if (++_buffered >= spillAfter)
            {
                Spill();
            }
        }

        /// <summary>The rows of one batch, in the order they were added; the batch's memory is released.</summary>
        public EventRow[] Take(int batch)
        {
            var buffer = _buffers[batch];
            var rows = new EventRow[_blocks[batch].Sum(b => b.Count) + buffer.Count];
            var at = 0;
            foreach (var (offset, count) in _blocks[batch])
            {
                var bytes = MemoryMarshal.AsBytes(rows.AsSpan(at, count));
                var read = 0;
                while (read < bytes.Length)
                {
                    var n = RandomAccess.Read(_file!, bytes[read..], offset + read);
                    if (n == 0)
                    {
                        throw new IOException("the temporary file of event rows ended early");
                    }

                    read += n;
                }

                at += count;
            }

            buffer.CopyTo(rows, at);
            _buffers[batch] = [];
            _blocks[batch].Clear();
            return rows;
        }

        private void Spill()
        {
            _file ??= File.OpenHandle(Path.Combine(Path.GetTempPath(), "hearth-events-" + Guid.NewGuid().ToString("N") + ".tmp"),
                FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, FileOptions.DeleteOnClose);
            for (var b = 0; b < _buffers.Length; b++)
            {
                var buffer = _buffers[b];
                if (buffer.Count == 0)
                {
                    continue;
                }

                var bytes = MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(buffer));
                RandomAccess.Write(_file, bytes, _length);
                _blocks[b].Add((_length, buffer.Count));
                RowsSpilled += buffer.Count;
                _length += bytes.Length;
                buffer.Clear();
            }

            _buffered = 0;
        }

        /// <summary>Rows that went through the temporary file.</summary>
        public long RowsSpilled { get; private set; }

        public void Dispose() => _file?.Dispose();
    }
}
