using System.Globalization;
using Hearth.Core.Access;

namespace Hearth.Core.Audit;

/// <summary>The names of the anomaly rules, as shown in reports.</summary>
public static class AnomalyRules
{
    /// <summary>Far more reads of family records than the user's role peers.</summary>
    public const string HighVolume = "high-volume-reads";

    /// <summary>Reads of families allocated neither to the user nor to their team, nor with them in the team around the family.</summary>
    public const string NotAllocated = "reads-not-allocated";

    /// <summary>Many refused requests.</summary>
    public const string RepeatedDenials = "repeated-denials";

    /// <summary>Family data read or changed outside working hours.</summary>
    public const string OutOfHours = "out-of-hours";

    /// <summary>An enabled account with no sign-in for longer than the dormancy limit.</summary>
    public const string Dormant = "dormant-account";
}

/// <summary>The thresholds of the anomaly rules. The defaults suit a team of key workers doing ordinary case work.</summary>
public sealed record AnomalyOptions
{
    /// <summary>A user is flagged when their family reads exceed this multiple of their role peers' median.</summary>
    public double PeerMultiple { get; init; } = 3.0;

    /// <summary>…and are at least this many (a quiet week should not flag someone who read 4 records against a median of 1).</summary>
    public int MinimumReads { get; init; } = 20;

    /// <summary>A user is flagged at this many refused requests in the period.</summary>
    public int DenialThreshold { get; init; } = 5;

    /// <summary>Working hours start (local time, inclusive).</summary>
    public TimeOnly WorkStart { get; init; } = new(7, 0);

    /// <summary>Working hours end (local time, exclusive).</summary>
    public TimeOnly WorkEnd { get; init; } = new(19, 0);

    /// <summary>The time zone of working hours (UK local time by default).</summary>
    public TimeZoneInfo TimeZone { get; init; } = UkTime();

    /// <summary>An enabled account without a sign-in for more than this many days is dormant (90 days, requirement A8).</summary>
    public int DormantDays { get; init; } = 90;

    private static TimeZoneInfo UkTime()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById("Europe/London");
        }
        catch (TimeZoneNotFoundException)
        {
            return TimeZoneInfo.Utc;
        }
    }
}

/// <summary>What the rules know about a user: roles, team, agency, state and last sign-in.</summary>
public sealed record AnomalyUser(
    string UserId,
    string UserName,
    IReadOnlySet<HearthRole> Roles,
    string? TeamId,
    bool Disabled,
    DateTime CreatedUtc,
    DateTime? LastSignInUtc);

/// <summary>Who a family is allocated to now: its team, key worker and the users in its team around the family.</summary>
public sealed record FamilyAllocation(string FamilyReference, string? TeamId, string? KeyWorkerId, IReadOnlySet<string> TeamAroundFamily);

/// <summary>One flagged user under one rule, with the evidence: which entries (sequence numbers), which period and why.</summary>
public sealed record AccessAnomaly(
    string Rule,
    string UserId,
    string UserName,
    string Roles,
    string Explanation,
    int Count,
    IReadOnlyList<long> EntrySequences,
    IReadOnlyList<string> FamilyReferences);

/// <summary>The anomaly report for a period: the rules' findings and how many audit entries were examined.</summary>
public sealed record AnomalyReport(DateTime FromUtc, DateTime ToUtc, DateTime EvaluatedUtc, int EntriesExamined, AnomalyOptions Options, IReadOnlyList<AccessAnomaly> Anomalies);

/// <summary>
/// Rules that flag unusual use of family data in the audit log over a period (requirement C7: out-of-team access,
/// bulk viewing) and dormant accounts (requirement A8). Each finding names its rule, the user, the entries and
/// the period, and says in words why it was raised. A finding is a prompt for a person to look, not a verdict.
/// <list type="bullet">
/// <item><b>high-volume-reads</b>: the user's allowed reads of family records (actions ending in <c>.view</c> on
/// subject type <c>family</c>) exceed <see cref="AnomalyOptions.PeerMultiple"/> × the median of every user holding
/// the same roles (users with no reads count as 0), and at least <see cref="AnomalyOptions.MinimumReads"/>;</item>
/// <item><b>reads-not-allocated</b>: allowed reads by a key worker, team manager or partner of a family whose current
/// allocation is not theirs (not their team, not them as key worker, not them in the team around the family);
/// a team manager reading an unallocated family (to allocate it) is not flagged;</item>
/// <item><b>repeated-denials</b>: at least <see cref="AnomalyOptions.DenialThreshold"/> entries with outcome denied;</item>
/// <item><b>out-of-hours</b>: family data read or changed on a weekend or outside working hours (local time);</item>
/// <item><b>dormant-account</b>: an enabled account whose last sign-in (or creation, if it never signed in) is more
/// than <see cref="AnomalyOptions.DormantDays"/> days before now.</item>
/// </list>
/// </summary>
public static class AccessAnomalyRules
{
    private const string FamilySubject = "family";

    private static CultureInfo Inv => CultureInfo.InvariantCulture;

    /// <summary>Runs every rule over the entries that fall in [<paramref name="fromUtc"/>, <paramref name="toUtc"/>).</summary>
    public static AnomalyReport Evaluate(
        IEnumerable<AuditEntry> entries,
        IReadOnlyList<AnomalyUser> users,
        IReadOnlyList<FamilyAllocation> allocations,
        DateTime fromUtc,
        DateTime toUtc,
        TimeProvider clock,
        AnomalyOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(allocations);
        ArgumentNullException.ThrowIfNull(clock);
        if (toUtc <= fromUtc)
        {
            throw new ArgumentException("The period must end after it starts.", nameof(toUtc));
        }

        options ??= new AnomalyOptions();
        var now = clock.GetUtcNow().UtcDateTime;
        var inPeriod = entries.Where(e => e.OccurredUtc >= fromUtc && e.OccurredUtc < toUtc).OrderBy(e => e.Id).ToList();
        var period = $"{fromUtc.ToString("yyyy-MM-dd HH:mm", Inv)} to {toUtc.ToString("yyyy-MM-dd HH:mm", Inv)} UTC";
        var usersById = users.ToDictionary(u => u.UserId, StringComparer.Ordinal);

        var anomalies = new List<AccessAnomaly>();
        anomalies.AddRange(HighVolume(inPeriod, users, options, period));
        anomalies.AddRange(NotAllocated(inPeriod, usersById, allocations, period));
        anomalies.AddRange(Denials(inPeriod, options, period));
        anomalies.AddRange(OutOfHours(inPeriod, options, period));
        anomalies.AddRange(Dormant(users, now, options));
        return new AnomalyReport(fromUtc, toUtc, now, inPeriod.Count, options, anomalies);
    }

    /// <summary>Whether an entry is an allowed read of a family record.</summary>
    public static bool IsFamilyRead(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return string.Equals(entry.SubjectType, FamilySubject, StringComparison.Ordinal)
            && entry.SubjectId is not null
            && entry.Action.EndsWith(".view", StringComparison.Ordinal)
            && string.Equals(entry.Outcome, AuditOutcomes.Allowed, StringComparison.Ordinal);
    }

    /// <summary>The median of a list of counts (the mean of the middle two for an even number).</summary>
    public static double Median(IReadOnlyList<int> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            return 0;
        }

        var sorted = values.Order().ToList();
        var mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2.0;
    }

    /// <summary>Whether a UTC time falls outside working hours (or on a Saturday or Sunday) in the options' time zone.</summary>
    public static bool IsOutOfHours(DateTime utc, AnomalyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), options.TimeZone);
        var time = TimeOnly.FromDateTime(local);
        return local.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday || time < options.WorkStart || time >= options.WorkEnd;
    }

    private static string RoleKey(IReadOnlySet<HearthRole> roles) => string.Join(',', roles.Order());

    private static IEnumerable<AccessAnomaly> HighVolume(List<AuditEntry> entries, IReadOnlyList<AnomalyUser> users, AnomalyOptions options, string period)
    {
        var reads = entries.Where(IsFamilyRead).GroupBy(e => e.ActorId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        foreach (var group in users.GroupBy(u => RoleKey(u.Roles), StringComparer.Ordinal))
        {
            var peers = group.ToList();
            var counts = peers.Select(u => reads.TryGetValue(u.UserId, out var r) ? r.Count : 0).ToList();
            var median = Median(counts);
            var threshold = Math.Max(options.PeerMultiple * median, options.MinimumReads);
            foreach (var user in peers)
            {
                if (!reads.TryGetValue(user.UserId, out var mine) || mine.Count <= threshold || mine.Count < options.MinimumReads)
                {
                    continue;
                }

                var families = mine.Select(e => e.SubjectId!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
                var explanation = string.Create(Inv,
                    $"{mine.Count} reads of family records ({families.Count} families) from {period}; the median of the {peers.Count} users with roles {group.Key} is {median:0.#}, and the threshold is the larger of {options.PeerMultiple:0.#} × the median and {options.MinimumReads} = {threshold:0.#}.");
                yield return new AccessAnomaly(AnomalyRules.HighVolume, user.UserId, user.UserName, group.Key, explanation, mine.Count,
                    mine.Select(e => e.Id).ToList(), families);
            }
        }
    }

    private static IEnumerable<AccessAnomaly> NotAllocated(List<AuditEntry> entries, Dictionary<string, AnomalyUser> users, IReadOnlyList<FamilyAllocation> allocations, string period)
    {
        var byFamily = allocations.ToDictionary(a => a.FamilyReference, StringComparer.Ordinal);
        foreach (var group in entries.Where(IsFamilyRead).GroupBy(e => e.ActorId, StringComparer.Ordinal))
        {
            if (!users.TryGetValue(group.Key, out var user))
            {
                continue;
            }

            var caseWorker = user.Roles.Contains(HearthRole.KeyWorker) || user.Roles.Contains(HearthRole.TeamManager) || user.Roles.Contains(HearthRole.PartnerPractitioner);
            if (!caseWorker)
            {
                continue;
            }

            var flagged = group.Where(e => !IsTheirs(user, byFamily.GetValueOrDefault(e.SubjectId!))).ToList();
            if (flagged.Count == 0)
            {
                continue;
            }

            var families = flagged.Select(e => e.SubjectId!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            var team = user.TeamId is null ? "no team" : "team " + user.TeamId;
            var explanation = string.Create(Inv,
                $"{flagged.Count} reads from {period} of {families.Count} families allocated neither to {user.UserName} nor to {team}, and without them in the team around the family (as allocated now).");
            yield return new AccessAnomaly(AnomalyRules.NotAllocated, user.UserId, user.UserName, RoleKey(user.Roles), explanation, flagged.Count,
                flagged.Select(e => e.Id).ToList(), families);
        }

        static bool IsTheirs(AnomalyUser user, FamilyAllocation? allocation)
        {
            if (allocation is null || (allocation.TeamId is null && allocation.KeyWorkerId is null))
            {
                // Not allocated to anyone: a team manager reads it to allocate it.
                return user.Roles.Contains(HearthRole.TeamManager);
            }

            return string.Equals(allocation.KeyWorkerId, user.UserId, StringComparison.Ordinal)
                || (user.TeamId is not null && string.Equals(allocation.TeamId, user.TeamId, StringComparison.Ordinal))
                || allocation.TeamAroundFamily.Contains(user.UserId);
        }
    }

    private static IEnumerable<AccessAnomaly> Denials(List<AuditEntry> entries, AnomalyOptions options, string period)
    {
        foreach (var group in entries.Where(e => string.Equals(e.Outcome, AuditOutcomes.Denied, StringComparison.Ordinal)).GroupBy(e => e.ActorId, StringComparer.Ordinal))
        {
            var denied = group.ToList();
            if (denied.Count < options.DenialThreshold)
            {
                continue;
            }

            var actions = string.Join(", ", denied.GroupBy(e => e.Action, StringComparer.Ordinal).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => string.Create(Inv, $"{g.Key} × {g.Count()}")));
            var families = denied.Where(e => string.Equals(e.SubjectType, FamilySubject, StringComparison.Ordinal) && e.SubjectId is not null)
                .Select(e => e.SubjectId!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            var last = denied[^1];
            var explanation = string.Create(Inv,
                $"{denied.Count} refused requests from {period} (threshold {options.DenialThreshold}): {actions}.");
            yield return new AccessAnomaly(AnomalyRules.RepeatedDenials, group.Key, last.ActorName, last.ActorRoles, explanation, denied.Count,
                denied.Select(e => e.Id).ToList(), families);
        }
    }

    private static IEnumerable<AccessAnomaly> OutOfHours(List<AuditEntry> entries, AnomalyOptions options, string period)
    {
        var hours = $"{options.WorkStart.ToString("HH:mm", Inv)}–{options.WorkEnd.ToString("HH:mm", Inv)} Monday to Friday, {options.TimeZone.Id}";
        foreach (var group in entries
            .Where(e => string.Equals(e.SubjectType, FamilySubject, StringComparison.Ordinal) && e.SubjectId is not null
                && string.Equals(e.Outcome, AuditOutcomes.Allowed, StringComparison.Ordinal) && IsOutOfHours(e.OccurredUtc, options))
            .GroupBy(e => e.ActorId, StringComparer.Ordinal))
        {
            var found = group.ToList();
            var families = found.Select(e => e.SubjectId!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            var last = found[^1];
            var explanation = string.Create(Inv,
                $"{found.Count} reads or changes of family data from {period} outside working hours ({hours}), the latest at {TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(last.OccurredUtc, DateTimeKind.Utc), options.TimeZone):yyyy-MM-dd HH:mm} local time.");
            yield return new AccessAnomaly(AnomalyRules.OutOfHours, group.Key, last.ActorName, last.ActorRoles, explanation, found.Count,
                found.Select(e => e.Id).ToList(), families);
        }
    }

    private static IEnumerable<AccessAnomaly> Dormant(IReadOnlyList<AnomalyUser> users, DateTime now, AnomalyOptions options) =>
        DormantAccounts.Find(users, now, options.DormantDays).Select(d => new AccessAnomaly(AnomalyRules.Dormant, d.User.UserId, d.User.UserName,
            RoleKey(d.User.Roles), d.Explanation, d.DaysSince, [], []));
}

/// <summary>An enabled account with no sign-in for longer than the limit.</summary>
public sealed record DormantAccount(AnomalyUser User, DateTime LastActivityUtc, int DaysSince, string Explanation);

/// <summary>
/// Dormant accounts (requirement A8): enabled accounts whose last sign-in, or creation when they never signed in,
/// is more than the limit (90 days by default) before now. <c>hearth users disable-dormant</c> disables them.
/// </summary>
public static class DormantAccounts
{
    public static IReadOnlyList<DormantAccount> Find(IEnumerable<AnomalyUser> users, DateTime nowUtc, int days)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(days);
        var result = new List<DormantAccount>();
        foreach (var user in users.Where(u => !u.Disabled).OrderBy(u => u.UserName, StringComparer.Ordinal))
        {
            var last = user.LastSignInUtc ?? user.CreatedUtc;
            var since = (int)Math.Floor((nowUtc - last).TotalDays);
            if (since <= days)
            {
                continue;
            }

            var what = user.LastSignInUtc is null ? "created" : "last signed in";
            result.Add(new DormantAccount(user, last, since, string.Create(CultureInfo.InvariantCulture,
                $"Enabled account {what} on {last:yyyy-MM-dd}, {since} days before {nowUtc:yyyy-MM-dd}; accounts unused for more than {days} days are dormant.")));
        }

        return result;
    }
}
