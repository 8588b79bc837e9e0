using System.Runtime.CompilerServices;
using Hearth.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Core.Programmes;

/// <summary>What reading families from the store found: counts and every stored value the rules could not take.</summary>
public sealed class StoreReadReport
{
    private readonly Dictionary<UnmappedValue, long> _unmapped = [];

    public long Families { get; internal set; }

    public long Members { get; internal set; }

    /// <summary>Members none of whose source records carries a usable date of birth.</summary>
    public long MembersWithoutDateOfBirth { get; internal set; }

    /// <summary>Members whose source records disagree on the date of birth (the most frequent one was used).</summary>
    public long MembersWithConflictingDateOfBirth { get; internal set; }

    public long EventsMapped { get; internal set; }

    /// <summary>How the events were fetched: <see cref="StoreReadPlan.Lookup"/> or <see cref="StoreReadPlan.Scan"/>.</summary>
    public StoreReadPlan Plan { get; internal set; } = StoreReadPlan.Lookup;

    /// <summary>Scan plan: mapped event rows that went through the temporary file because they exceeded the memory budget.</summary>
    public long RowsSpilled { get; internal set; }

    /// <summary>Events left out because a value had no row in <see cref="StoreEventMapping"/>.</summary>
    public long EventsLeftOut { get; internal set; }

    /// <summary>Time spent waiting for and materialising database rows.</summary>
    public TimeSpan DatabaseTime { get; internal set; }

    /// <summary>Time spent mapping events and building the engine's records.</summary>
    public TimeSpan BuildTime { get; internal set; }

    /// <summary>Each unmapped stored value and how often it was met (an event may be kept with one field unmapped).</summary>
    public IReadOnlyDictionary<UnmappedValue, long> Unmapped => _unmapped;

    internal void Count(UnmappedValue value, long times = 1) =>
        _unmapped[value] = _unmapped.TryGetValue(value, out var n) ? n + times : times;

    /// <summary>One line per unmapped value, most frequent first.</summary>
    public IEnumerable<string> DescribeUnmapped() =>
        _unmapped.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key.StoredEventType, StringComparer.Ordinal)
            .Select(kv => $"{kv.Key.StoredEventType}.{kv.Key.Field} = '{kv.Key.Value}': {kv.Value:N0} event(s) — no row in the mapping table");
}

/// <summary>How <see cref="StoreFamilyReader"/> fetches events.</summary>
public enum StoreReadPlan
{
    /// <summary>A scan when the families asked for are a large share of the store, lookups otherwise.</summary>
    Auto,

    /// <summary>Per batch of families, the events of their members' source records by index lookup.</summary>
    Lookup,

    /// <summary>One sequential pass over the events table, bucketed by batch of families.</summary>
    Scan,
}

/// <summary>
/// Reads persisted families (<see cref="Family"/>, <see cref="FamilyMember"/>, <see cref="Person"/>,
/// <see cref="PersonRecord"/> → <see cref="SourceRecord"/>) and their members' agency events into the engine's
/// records, a batch of families at a time so memory stays flat however many households the store holds. Works on
/// whatever the person and family tables hold, whether record linkage or a reviewer filled them. Reading many
/// families goes through one sequential pass over the events table (see <see cref="StoreReadPlan.Scan"/>); a few
/// families are read by index lookups. Both give the same batches, families, members and events.
/// </summary>
public sealed partial class StoreFamilyReader(HearthDb db, int batchSize = 2_000, StoreReadPlan plan = StoreReadPlan.Auto)
{
    /// <summary>Dates of birth before this are treated as invalid (placeholders such as 1900-01-01 are common).</summary>
    public static readonly DateOnly EarliestValidDateOfBirth = new(1901, 1, 1);

    public StoreReadReport Report { get; } = new();

    /// <summary>
    /// What each rules event type covers, from the completed datasets' periods: files of one extract kind cover the
    /// span from the earliest to the latest of them; several kinds feeding one rules type (A&amp;E, mental health and
    /// substance misuse contacts all feed <c>health_contact</c>) cover only the days every kind covers, since a
    /// window outside one kind's period cannot tell absence from not having looked.
    /// </summary>
    public async Task<ProgrammeDataCoverage> CoverageAsync(CancellationToken ct = default)
    {
        var rows = await db.Datasets.AsNoTracking()
            .Where(d => d.Status == DatasetStatus.Completed && d.PeriodStart != null && d.PeriodEnd != null)
            .Select(d => new { d.AgencyId, d.Kind, d.EventType, d.PeriodStart, d.PeriodEnd })
            .ToListAsync(ct).ConfigureAwait(false);
        var byKind = rows.Where(r => StoreEventMapping.RulesTypeOf.ContainsKey(r.EventType))
            .GroupBy(r => (r.AgencyId, r.Kind, r.EventType))
            .Select(g => (Type: StoreEventMapping.RulesTypeOf[g.Key.EventType], Start: g.Min(r => r.PeriodStart!.Value), End: g.Max(r => r.PeriodEnd!.Value)));
        var coverage = new ProgrammeDataCoverage();
        foreach (var type in byKind.GroupBy(k => k.Type))
        {
            var start = type.Max(k => k.Start);
            var end = type.Min(k => k.End);
            if (start <= end)
            {
                coverage.Set(type.Key, new DatePeriod(start, end));
            }
        }

        return coverage;
    }

    /// <summary>
    /// Streams the families that are not retired, in id order, as engine records. <paramref name="scheme"/>,
    /// when given, adds each family's attachment to that scheme.
    /// </summary>
    public async IAsyncEnumerable<IReadOnlyList<StoredFamily>> ReadAsync(
        ProgrammeDataCoverage coverage,
        DateOnly asOf,
        string? scheme = null,
        IReadOnlyCollection<long>? onlyFamilies = null,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(coverage);
        var only = onlyFamilies?.Distinct().Order().ToArray();
        if (await UseScanAsync(only, ct).ConfigureAwait(false))
        {
            await foreach (var batch in ScanAsync(coverage, asOf, scheme, only, ct).ConfigureAwait(false))
            {
                yield return batch;
            }

            yield break;
        }

        var lastId = 0L;
        var onlyIndex = 0;
        while (true)
        {
            List<(long Id, string Reference)> families;
            if (only is not null)
            {
                var ids = only.Skip(onlyIndex).Take(batchSize).ToList();
                onlyIndex += ids.Count;
                if (ids.Count == 0)
                {
                    yield break;
                }

                families = [.. (await db.Families.AsNoTracking().Where(f => EF.Parameter(ids).Contains(f.Id)).OrderBy(f => f.Id)
                    .Select(f => new { f.Id, f.Reference }).ToListAsync(ct).ConfigureAwait(false)).Select(f => (f.Id, f.Reference))];
            }
            else
            {
                families = [.. (await db.Families.AsNoTracking().Where(f => f.RetiredUtc == null && f.Id > lastId).OrderBy(f => f.Id).Take(batchSize)
                    .Select(f => new { f.Id, f.Reference }).ToListAsync(ct).ConfigureAwait(false)).Select(f => (f.Id, f.Reference))];
                if (families.Count == 0)
                {
                    yield break;
                }

                lastId = families[^1].Id;
            }

            yield return await ReadBatchAsync(families, coverage, asOf, scheme, ct).ConfigureAwait(false);
        }
    }

    private const string EventColumns =
        "id, event_type, agency_id, source_record_id, dataset_id, row_number, start_date, end_date, incident_type, role, benefit_type, " +
        "weekly_amount_pence, risk_level, reason, outcome, employment_status, contact_type, housing_event_type, tenure, arrears_pence, " +
        "offence_code, offence_category, term, sessions_possible, sessions_authorised_absence, sessions_unauthorised_absence, " +
        "exclusion_kind, sessions, episode_type, disposal";

    /// <summary>
    /// The events of the given source records, read with one plain query (columns the programme rules use, no
    /// fingerprints, no change tracking): materialising each row through the entity model cost most of the read.
    /// </summary>
    private async Task<List<AgencyEvent>> ReadEventsAsync(List<long> recordIds, CancellationToken ct)
    {
        var list = new List<AgencyEvent>(recordIds.Count);
        if (recordIds.Count == 0)
        {
            return list;
        }

        var connection = db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened)
        {
            await connection.OpenAsync(ct).ConfigureAwait(false);
        }

        try
        {
            await using var command = connection.CreateCommand();
            var parameter = command.CreateParameter();
            parameter.ParameterName = "ids";
            if (db.Provider == DatabaseProvider.Sqlite)
            {
                command.CommandText = $"SELECT {EventColumns} FROM events WHERE source_record_id IN (SELECT value FROM json_each($ids)) ORDER BY id";
                parameter.Value = "[" + string.Join(',', recordIds.Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))) + "]";
            }
            else
            {
                command.CommandText = $"SELECT {EventColumns} FROM events WHERE source_record_id = ANY(@ids) ORDER BY id";
                parameter.Value = recordIds.ToArray();
            }

            command.Parameters.Add(parameter);
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                list.Add(ReadEventRow(reader));
            }
        }
        finally
        {
            if (opened)
            {
                await connection.CloseAsync().ConfigureAwait(false);
            }
        }

        return list;
    }

    /// <summary>One row of <see cref="EventColumns"/> as the stored event it is (only the columns its type uses).</summary>
    internal static AgencyEvent ReadEventRow(System.Data.Common.DbDataReader reader)
    {
        string? S(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
        int? I(int i) => reader.IsDBNull(i) ? null : reader.GetInt32(i);
        long? L(int i) => reader.IsDBNull(i) ? null : reader.GetInt64(i);
        AgencyEvent e = reader.GetString(1) switch
        {
            EventTypes.SchoolAttendance => new SchoolAttendance { AgencyId = string.Empty, Fingerprint = [], Term = S(22), SessionsPossible = I(23) ?? 0, SessionsAuthorisedAbsence = I(24) ?? 0, SessionsUnauthorisedAbsence = I(25) ?? 0 },
            EventTypes.SchoolExclusion => new SchoolExclusion { AgencyId = string.Empty, Fingerprint = [], ExclusionKind = S(26) ?? string.Empty, Sessions = I(27), Reason = S(13) },
            EventTypes.Offence => new Offence { AgencyId = string.Empty, Fingerprint = [], OffenceCode = S(20), OffenceCategory = S(21), Outcome = S(14) },
            EventTypes.AntisocialBehaviour => new AntisocialBehaviourIncident { AgencyId = string.Empty, Fingerprint = [], IncidentType = S(8), Role = S(9) },
            EventTypes.DomesticAbuse => new DomesticAbuseIncident { AgencyId = string.Empty, Fingerprint = [], Role = S(9), RiskLevel = S(12) },
            EventTypes.BenefitSpell => new BenefitSpell { AgencyId = string.Empty, Fingerprint = [], BenefitType = S(10) ?? string.Empty, WeeklyAmountPence = L(11) },
            EventTypes.EmploymentSpell => new EmploymentSpell { AgencyId = string.Empty, Fingerprint = [], EmploymentStatus = S(15) ?? string.Empty },
            EventTypes.SocialCare => new SocialCareEpisode { AgencyId = string.Empty, Fingerprint = [], EpisodeType = S(28) ?? string.Empty, Reason = S(13) },
            EventTypes.HealthContact => new HealthContact { AgencyId = string.Empty, Fingerprint = [], ContactType = S(16) ?? string.Empty, Reason = S(13) },
            EventTypes.Housing => new HousingEvent { AgencyId = string.Empty, Fingerprint = [], HousingEventType = S(17) ?? string.Empty, Tenure = S(18), ArrearsPence = L(19) },
            EventTypes.YouthJustice => new YouthJusticeEvent { AgencyId = string.Empty, Fingerprint = [], Disposal = S(29), OffenceCategory = S(21) },
            EventTypes.EarlyHelpReferral => new EarlyHelpReferral { AgencyId = string.Empty, Fingerprint = [], Reason = S(13), Outcome = S(14) },
            var other => throw new InvalidOperationException($"events row {reader.GetInt64(0)} has event type '{other}', which Hearth does not know"),
        };
        e.Id = reader.GetInt64(0);
        e.AgencyId = reader.GetString(2);
        e.SourceRecordId = reader.GetInt64(3);
        e.DatasetId = reader.GetInt64(4);
        e.RowNumber = reader.GetInt32(5);
        e.StartDate = reader.GetFieldValue<DateOnly>(6);
        e.EndDate = reader.IsDBNull(7) ? null : reader.GetFieldValue<DateOnly>(7);
        return e;
    }

    private async Task<List<StoredFamily>> ReadBatchAsync(List<(long Id, string Reference)> families, ProgrammeDataCoverage coverage, DateOnly asOf, string? scheme, CancellationToken ct)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var familyIds = families.Select(f => f.Id).ToList();
        var lo = familyIds.Count == 0 ? 0 : familyIds.Min();
        var hi = familyIds.Count == 0 ? 0 : familyIds.Max();
        var members = await db.FamilyMembers.AsNoTracking()
            .Where(m => m.FamilyId >= lo && m.FamilyId <= hi)
            .Select(m => new { m.FamilyId, m.PersonId, m.Role, m.From, m.To })
            .ToListAsync(ct).ConfigureAwait(false);
        var wanted = familyIds.ToHashSet();
        members.RemoveAll(m => !wanted.Contains(m.FamilyId));
        var personIds = members.Select(m => m.PersonId).Distinct().ToList();

        var persons = (await db.Persons.AsNoTracking().Where(p => EF.Parameter(personIds).Contains(p.Id)).Select(p => new { p.Id, p.Reference })
            .ToListAsync(ct).ConfigureAwait(false)).ToDictionary(p => p.Id, p => p.Reference);
        var records = await (from pr in db.PersonRecords.AsNoTracking()
                             join sr in db.SourceRecords.AsNoTracking() on pr.SourceRecordId equals sr.Id
                             where EF.Parameter(personIds).Contains(pr.PersonId)
                             select new { pr.PersonId, sr.Id, sr.DateOfBirth, sr.Sex })
            .ToListAsync(ct).ConfigureAwait(false);
        var recordIds = records.Select(r => r.Id).ToList();
        var events = await ReadEventsAsync(recordIds, ct).ConfigureAwait(false);

        Dictionary<long, ProgrammeAttachment> attachments = [];
        if (scheme is not null)
        {
            attachments = await db.ProgrammeAttachments.AsNoTracking().Where(a => a.Scheme == scheme && EF.Parameter(familyIds).Contains(a.FamilyId))
                .ToDictionaryAsync(a => a.FamilyId, ct).ConfigureAwait(false);
        }

        var loaded = System.Diagnostics.Stopwatch.GetTimestamp();
        Report.DatabaseTime += System.Diagnostics.Stopwatch.GetElapsedTime(started, loaded);
        var recordsByPerson = records.GroupBy(r => r.PersonId).ToDictionary(g => g.Key, g => g.OrderBy(r => r.Id).ToList());
        var personOfRecord = records.ToDictionary(r => r.Id, r => r.PersonId);
        var eventsByPerson = new Dictionary<long, List<ProgrammeEvent>>();
        foreach (var e in events)
        {
            var personId = personOfRecord[e.SourceRecordId];
            var mapped = StoreEventMapping.Map(e, persons.GetValueOrDefault(personId, string.Empty), out var unmapped);
            if (unmapped is { } u)
            {
                Report.Count(u);
            }

            if (mapped is null)
            {
                Report.EventsLeftOut++;
                continue;
            }

            Report.EventsMapped++;
            if (!eventsByPerson.TryGetValue(personId, out var list))
            {
                eventsByPerson[personId] = list = [];
            }

            list.Add(mapped);
        }

        // Per-person details once, however many families the person is in.
        var details = new Dictionary<long, (DateOnly? Dob, string? Sex)>();
        foreach (var (personId, list) in recordsByPerson)
        {
            var dobs = list.Where(r => r.DateOfBirth is { } d && d >= EarliestValidDateOfBirth && d <= asOf)
                .GroupBy(r => r.DateOfBirth!.Value)
                .Select(g => (Dob: g.Key, Count: g.Count(), First: g.Min(r => r.Id)))
                .OrderByDescending(g => g.Count).ThenBy(g => g.First).ToList();
            var sex = list.Where(r => r.Sex is "female" or "male").GroupBy(r => r.Sex!)
                .OrderByDescending(g => g.Count()).ThenBy(g => g.Min(r => r.Id)).Select(g => g.Key).FirstOrDefault();
            if (dobs.Count > 1)
            {
                Report.MembersWithConflictingDateOfBirth++;
            }

            details[personId] = (dobs.Count > 0 ? dobs[0].Dob : null, sex);
        }

        var membersByFamily = members.GroupBy(m => m.FamilyId).ToDictionary(g => g.Key, g => g.ToList());
        var result = new List<StoredFamily>(families.Count);
        foreach (var (id, reference) in families)
        {
            var programmeMembers = new List<ProgrammeMember>();
            var familyEvents = new List<ProgrammeEvent>();
            var seen = new HashSet<long>();
            foreach (var m in membersByFamily.GetValueOrDefault(id) ?? [])
            {
                if (!persons.TryGetValue(m.PersonId, out var personRef))
                {
                    continue;
                }

                var (dob, sex) = details.GetValueOrDefault(m.PersonId);
                if (dob is null)
                {
                    Report.MembersWithoutDateOfBirth++;
                }

                Report.Members++;
                programmeMembers.Add(new ProgrammeMember(personRef, m.Role == FamilyRole.Adult ? MemberRole.Adult : MemberRole.Child, dob, sex, m.From, m.To));
                if (seen.Add(m.PersonId) && eventsByPerson.TryGetValue(m.PersonId, out var evs))
                {
                    familyEvents.AddRange(evs);
                }
            }

            attachments.TryGetValue(id, out var attachment);
            var family = new ProgrammeFamily(reference, programmeMembers, attachment?.AttachedOn, attachment?.ClosedOn,
                attachment?.KeyWorkerAssigned, attachment?.AssessmentDone, attachment?.PlanCoversNeeds, attachment?.Cohort);
            Report.Families++;
            result.Add(new StoredFamily(id, new ProgrammeFamilyData(family, familyEvents, coverage), attachment));
        }

        Report.BuildTime += System.Diagnostics.Stopwatch.GetElapsedTime(loaded);
        return result;
    }
}

/// <summary>A family read from the store: its database id, the engine's view of it and its attachment, if any.</summary>
public sealed record StoredFamily(long FamilyId, ProgrammeFamilyData Data, ProgrammeAttachment? Attachment)
{
    /// <summary>The baseline frozen at attachment, or null when the family is not attached to the scheme read.</summary>
    public BaselineSnapshot? Baseline => Attachment is null ? null : BaselineSnapshot.FromJson(Attachment.BaselineJson);
}
