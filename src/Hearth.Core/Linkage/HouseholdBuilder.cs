using System.Globalization;
using System.Text;

namespace Hearth.Core.Linkage;

/// <summary>
/// What one source record says about where its person lived: the dwelling (UPRN, else address and postcode,
/// else postcode alone) and the dates of the record's events, with the details family building needs.
/// </summary>
public sealed record AddressObservation(
    long PersonId,
    string AgencyId,
    string? Uprn,
    string? Address,
    string? Postcode,
    string? FamilyName,
    DateOnly? DateOfBirth,
    DateOnly First,
    DateOnly Last);

/// <summary>A dwelling found in the records: its key ("U:uprn" or "A:address|postcode") and how to show it.</summary>
public sealed record Dwelling(string Key, string? Uprn, string? Address, string? Postcode);

/// <summary>A person's stay at a dwelling (inclusive dates; null To is still there) and the evidence for it.</summary>
public sealed record Residence(long PersonId, string DwellingKey, DateOnly From, DateOnly? To, string Evidence);

/// <summary>A family member found on the as-of date.</summary>
public sealed record FamilyMemberDraft(long PersonId, Data.FamilyRole Role, string Relationship, DateOnly From, int? Age);

/// <summary>A family: the adults and children living at one dwelling on the as-of date.</summary>
public sealed record FamilyDraft(string DwellingKey, IReadOnlyList<FamilyMemberDraft> Members);

/// <summary>Households (residences per dwelling) and families built from address observations.</summary>
public sealed record HouseholdBuild(
    IReadOnlyDictionary<string, Dwelling> Dwellings,
    IReadOnlyList<Residence> Residences,
    IReadOnlyList<FamilyDraft> Families,
    DateOnly AsOf);

/// <summary>
/// Builds households and families from where agencies say each (linked) person lives, as plain rules:
/// <list type="number">
/// <item>A record's dwelling is its UPRN; without one, its first address line (before any comma, upper case,
/// punctuation dropped) with its postcode, which becomes the UPRN another record gives for the same address and
/// postcode. A record with a postcode only is placed at the person's own dwelling with that postcode, or else at
/// the one dwelling with that postcode where someone with the same family name lives; else, once stays are known,
/// at the one dwelling with that postcode where a housemate of the person (someone whose stay somewhere
/// overlapped theirs) stays during the record's dates; otherwise it is not used.</item>
/// <item>A person's dwellings are ordered by their first observation; each stay runs from its first
/// observation to the day before the next dwelling's first observation, the last one open; a move is backdated
/// to the day a housemate made the same move when no record saw the person fresh at the old dwelling since. An agency holding
/// an old address for a while (a stale address) therefore does not move the person back. A dwelling seen on one
/// record only, between observations of another dwelling, is treated as a stray and ignored.</item>
/// <item>A family is the people at one dwelling on the as-of date when at least one of them is under 18 on
/// that date (the 18th birthday makes an adult). Relationships are inferred, not known: an adult 16 to 50
/// years older than a child and sharing a child's family name is a "parent"; with no such adult, every adult
/// 16 to 50 years older than a child is a "parent"; an adult at least 16 years older than a parent and 36 or
/// more years older than every child is a "grandparent"; an adult within 15 years of a parent's age is a
/// "partner"; an adult less than 16 years older than the youngest parent who shares their family name is an
/// "adult child"; everyone else (including adults of unknown age) is an "other adult".</item>
/// </list>
/// </summary>
public static class HouseholdBuilder
{
    private const int MaxStaysForHousemates = 40;

    /// <summary>Builds residences and families as of <paramref name="asOf"/>.</summary>
    public static HouseholdBuild Build(IEnumerable<AddressObservation> observations, DateOnly asOf)
    {
        ArgumentNullException.ThrowIfNull(observations);
        var all = observations.ToList();

        // 1. Dwelling keys: UPRNs, and address + postcode pairs (resolved to a UPRN where any record gives one).
        var uprnOfAddress = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var o in all.Where(o => o.Uprn is not null && o.Address is not null && o.Postcode is not null)
                     .OrderBy(o => o.Uprn, StringComparer.Ordinal))
        {
            uprnOfAddress.TryAdd(AddressKey(o.Address!, o.Postcode!), o.Uprn!);
        }

        var dwellings = new Dictionary<string, Dwelling>(StringComparer.Ordinal);
        var keyed = new List<(AddressObservation O, string Key)>();
        var postcodeOnly = new List<AddressObservation>();
        foreach (var o in all)
        {
            string? key = null;
            string? uprn = o.Uprn;
            if (uprn is null && o.Address is not null && o.Postcode is not null)
            {
                var a = AddressKey(o.Address, o.Postcode);
                uprn = uprnOfAddress.GetValueOrDefault(a);
                key = uprn is null ? "A:" + a : null;
            }

            if (uprn is not null)
            {
                key = "U:" + uprn;
            }

            if (key is null)
            {
                if (o.Postcode is not null)
                {
                    postcodeOnly.Add(o);
                }

                continue;
            }

            keyed.Add((o, key));
            var line = o.Address is null ? null : FirstLine(o.Address);
            if (!dwellings.TryGetValue(key, out var d))
            {
                dwellings[key] = new Dwelling(key, uprn, line, o.Postcode);
            }
            else if ((d.Address is null && line is not null) || (d.Postcode is null && o.Postcode is not null))
            {
                dwellings[key] = d with { Address = d.Address ?? line, Postcode = d.Postcode ?? o.Postcode };
            }
        }

        // 2. Postcode-only records: the person's own dwelling there, else the one dwelling there with their family name.
        var namesAt = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var (o, key) in keyed.Where(k => k.O.FamilyName is not null))
        {
            if (!namesAt.TryGetValue(key, out var names))
            {
                namesAt[key] = names = new HashSet<string>(StringComparer.Ordinal);
            }

            names.Add(Name(o.FamilyName!));
        }

        var dwellingsByPostcode = dwellings.Values.Where(d => d.Postcode is not null)
            .GroupBy(d => d.Postcode!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(d => d.Key).Order(StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
        var ownKeys = keyed.GroupBy(k => k.O.PersonId).ToDictionary(g => g.Key, g => g.Select(k => k.Key).ToHashSet(StringComparer.Ordinal));
        var evidenceBySurname = new HashSet<(long, string)>();
        var unplaced = new List<(AddressObservation O, List<string> Candidates)>();
        foreach (var o in postcodeOnly)
        {
            if (!dwellingsByPostcode.TryGetValue(o.Postcode!, out var candidates))
            {
                continue;
            }

            var own = ownKeys.GetValueOrDefault(o.PersonId);
            var mine = own is null ? [] : candidates.Where(own.Contains).ToList();
            if (mine.Count == 1)
            {
                keyed.Add((o, mine[0]));
                continue;
            }

            if (mine.Count == 0 && o.FamilyName is not null)
            {
                var name = Name(o.FamilyName);
                var named = candidates.Where(c => namesAt.TryGetValue(c, out var n) && n.Contains(name)).ToList();
                if (named.Count == 1)
                {
                    keyed.Add((o, named[0]));
                    evidenceBySurname.Add((o.PersonId, named[0]));
                    continue;
                }
            }

            if (mine.Count == 0)
            {
                unplaced.Add((o, candidates));
            }
        }

        // 3. Stays per person.
        var evidenceByHousemate = new HashSet<(long, string)>();
        var residences = Stays(keyed, evidenceBySurname, evidenceByHousemate);

        // 4. Postcode-only records still unplaced: the one dwelling with that postcode where, during the record's
        // dates, someone lives who has shared a dwelling with the person (a household that moved together, seen
        // at its new address by one agency and only by postcode by another).
        if (unplaced.Count > 0 && PlaceWithHousemates(unplaced, residences, keyed, evidenceByHousemate))
        {
            residences = Stays(keyed, evidenceBySurname, evidenceByHousemate);
        }

        // 5. A person seen at the new dwelling only some time after their housemates moved there from the same
        // old dwelling moved with them, unless an agency saw them fresh at the old dwelling after that.
        residences = FollowHousemateMoves(residences, keyed);

        // 6. Families on the as-of date.
        var birth = all.Where(o => o.DateOfBirth is not null)
            .GroupBy(o => o.PersonId)
            .ToDictionary(g => g.Key, g => g.GroupBy(o => o.DateOfBirth!.Value).OrderByDescending(d => d.Count()).ThenBy(d => d.Key).First().Key);
        var surnames = all.Where(o => o.FamilyName is not null)
            .GroupBy(o => o.PersonId)
            .ToDictionary(g => g.Key, g => g.Select(o => Name(o.FamilyName!)).ToHashSet(StringComparer.Ordinal));
        var families = new List<FamilyDraft>();
        foreach (var dwelling in residences.Where(r => r.From <= asOf && (r.To is null || r.To >= asOf))
                     .GroupBy(r => r.DwellingKey, StringComparer.Ordinal)
                     .OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var people = dwelling.Select(r => (r.PersonId, r.From, Birth: birth.TryGetValue(r.PersonId, out var b) ? b : (DateOnly?)null))
                .OrderBy(p => p.PersonId).ToList();
            var members = InferFamily(people, surnames, asOf);
            if (members is not null)
            {
                families.Add(new FamilyDraft(dwelling.Key, members));
            }
        }

        return new HouseholdBuild(dwellings, residences, families, asOf);
    }

    /// <summary>Each person's stays, from their dwellings ordered by first observation (rule 2).</summary>
    private static List<Residence> Stays(List<(AddressObservation O, string Key)> keyed, HashSet<(long, string)> evidenceBySurname, HashSet<(long, string)> evidenceByHousemate)
    {
        var residences = new List<Residence>();
        foreach (var person in keyed.GroupBy(k => k.O.PersonId).OrderBy(g => g.Key))
        {
            var stays = person.GroupBy(k => k.Key, StringComparer.Ordinal)
                .Select(g => (
                    Key: g.Key,
                    First: g.Min(k => k.O.First),
                    Last: g.Max(k => k.O.Last),
                    Records: g.Count(),
                    Agencies: g.Select(k => k.O.AgencyId).Distinct(StringComparer.Ordinal).Count()))
                .OrderBy(s => s.First).ThenBy(s => s.Key, StringComparer.Ordinal)
                .ToList();
            stays = [.. stays.Where(s => s.Records > 1 || !stays.Any(t => t.Key != s.Key && t.First < s.First && t.Last > s.Last))];
            for (var i = 0; i < stays.Count; i++)
            {
                var s = stays[i];
                DateOnly? to = i + 1 < stays.Count ? stays[i + 1].First.AddDays(-1) : null;
                if (to < s.First)
                {
                    to = s.First;
                }

                var how = s.Key.StartsWith("U:", StringComparison.Ordinal) ? "UPRN or an address with a known UPRN" : "address and postcode";
                if (evidenceBySurname.Contains((person.Key, s.Key)))
                {
                    how += ", or postcode and family name";
                }

                if (evidenceByHousemate.Contains((person.Key, s.Key)))
                {
                    how += ", or postcode and someone who lived with them";
                }

                residences.Add(new Residence(person.Key, s.Key, s.First, to, string.Create(CultureInfo.InvariantCulture,
                    $"{how} on {s.Records} record{(s.Records == 1 ? "" : "s")} from {s.Agencies} agenc{(s.Agencies == 1 ? "y" : "ies")}")));
            }
        }

        return residences;
    }

    /// <summary>
    /// Places postcode-only observations at the one candidate dwelling where a housemate of the person (someone
    /// whose stay at some dwelling overlapped theirs) stays during the observation's dates. True when any was placed.
    /// </summary>
    private static bool PlaceWithHousemates(
        List<(AddressObservation O, List<string> Candidates)> unplaced,
        List<Residence> residences,
        List<(AddressObservation O, string Key)> keyed,
        HashSet<(long, string)> evidenceByHousemate)
    {
        var housemates = new Dictionary<long, HashSet<long>>();
        var staysAt = residences.GroupBy(r => r.DwellingKey, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        foreach (var stays in staysAt.Values)
        {
            // A "dwelling" with more stays than any household has (an office or hostel address) ties nobody.
            if (stays.Count > MaxStaysForHousemates)
            {
                continue;
            }

            for (var i = 0; i < stays.Count; i++)
            {
                for (var j = i + 1; j < stays.Count; j++)
                {
                    var (a, b) = (stays[i], stays[j]);
                    if (a.PersonId != b.PersonId && Overlaps(a, b.From, b.To ?? DateOnly.MaxValue))
                    {
                        Tie(a.PersonId, b.PersonId);
                        Tie(b.PersonId, a.PersonId);
                    }
                }
            }
        }

        var placed = false;
        foreach (var (o, candidates) in unplaced)
        {
            if (!housemates.TryGetValue(o.PersonId, out var mates))
            {
                continue;
            }

            var with = candidates.Where(c => staysAt.TryGetValue(c, out var stays)
                && stays.Any(r => mates.Contains(r.PersonId) && Overlaps(r, o.First, o.Last))).ToList();
            if (with.Count == 1)
            {
                keyed.Add((o, with[0]));
                evidenceByHousemate.Add((o.PersonId, with[0]));
                placed = true;
            }
        }

        return placed;

        void Tie(long a, long b)
        {
            if (!housemates.TryGetValue(a, out var set))
            {
                housemates[a] = set = [];
            }

            set.Add(b);
        }
    }

    private static bool Overlaps(Residence r, DateOnly from, DateOnly to) => r.From <= to && (r.To is null || r.To >= from);

    /// <summary>
    /// Backdates a move: when a person's stay at an old dwelling is followed by one at a new dwelling, and a
    /// housemate from the old dwelling (stays overlapping there) moved straight to that same new dwelling earlier,
    /// the person moves on the housemate's date, provided no record first observed them at the old dwelling on or
    /// after that date (fresh evidence that they stayed behind).
    /// </summary>
    private static List<Residence> FollowHousemateMoves(List<Residence> residences, List<(AddressObservation O, string Key)> keyed)
    {
        var lastSeenAt = keyed.GroupBy(k => (k.O.PersonId, k.Key)).ToDictionary(g => g.Key, g => g.Max(k => k.O.First));
        var byPerson = residences.GroupBy(r => r.PersonId).ToDictionary(g => g.Key, g => g.OrderBy(r => r.From).ToList());
        var atDwelling = residences.GroupBy(r => r.DwellingKey, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var moves = new Dictionary<(long, string, string), DateOnly>();
        foreach (var (person, stays) in byPerson)
        {
            for (var i = 0; i + 1 < stays.Count; i++)
            {
                moves[(person, stays[i].DwellingKey, stays[i + 1].DwellingKey)] = stays[i + 1].From;
            }
        }

        var changed = false;
        foreach (var (person, stays) in byPerson)
        {
            for (var i = 0; i + 1 < stays.Count; i++)
            {
                var (old, next) = (stays[i], stays[i + 1]);
                if (atDwelling[old.DwellingKey].Count > MaxStaysForHousemates)
                {
                    continue;
                }

                DateOnly? moved = null;
                foreach (var mate in atDwelling[old.DwellingKey])
                {
                    if (mate.PersonId != person && Overlaps(mate, old.From, old.To ?? DateOnly.MaxValue)
                        && moves.TryGetValue((mate.PersonId, old.DwellingKey, next.DwellingKey), out var when)
                        && when > old.From && when < next.From && (moved is null || when < moved))
                    {
                        moved = when;
                    }
                }

                if (moved is { } t && lastSeenAt.GetValueOrDefault((person, old.DwellingKey)) < t)
                {
                    stays[i] = old with { To = t.AddDays(-1) };
                    stays[i + 1] = next with { From = t, Evidence = next.Evidence + ", from the date a housemate moved there from the same address" };
                    changed = true;
                }
            }
        }

        return changed ? [.. byPerson.OrderBy(p => p.Key).SelectMany(p => p.Value)] : residences;
    }

    /// <summary>
    /// The family of the people living together on <paramref name="asOf"/>, or null when none of them is a
    /// child (under 18 on that date).
    /// </summary>
    public static IReadOnlyList<FamilyMemberDraft>? InferFamily(
        IReadOnlyList<(long PersonId, DateOnly From, DateOnly? Birth)> people,
        IReadOnlyDictionary<long, HashSet<string>> surnames,
        DateOnly asOf)
    {
        ArgumentNullException.ThrowIfNull(people);
        ArgumentNullException.ThrowIfNull(surnames);
        var ages = people.ToDictionary(p => p.PersonId, p => p.Birth is { } b ? AgeOn(b, asOf) : (int?)null);
        var children = people.Where(p => ages[p.PersonId] is < 18).ToList();
        if (children.Count == 0)
        {
            return null;
        }

        var adults = people.Where(p => ages[p.PersonId] is not < 18).ToList();
        bool SharesName(long a, long b) =>
            surnames.TryGetValue(a, out var x) && surnames.TryGetValue(b, out var y) && x.Overlaps(y);
        double Gap(DateOnly older, DateOnly younger) => (younger.DayNumber - older.DayNumber) / 365.25;
        bool CouldBeParent((long PersonId, DateOnly From, DateOnly? Birth) adult) =>
            adult.Birth is { } ab && children.Any(c => c.Birth is { } cb && Gap(ab, cb) is >= 16 and <= 50);

        var parents = adults.Where(a => CouldBeParent(a) && children.Any(c => SharesName(a.PersonId, c.PersonId))).ToList();
        if (parents.Count == 0)
        {
            parents = [.. adults.Where(CouldBeParent)];
        }

        var parentIds = parents.Select(p => p.PersonId).ToHashSet();
        var result = new List<FamilyMemberDraft>();
        foreach (var p in people)
        {
            var age = ages[p.PersonId];
            if (age is < 18)
            {
                result.Add(new FamilyMemberDraft(p.PersonId, Data.FamilyRole.Child, "child", p.From, age));
                continue;
            }

            string relationship;
            if (parentIds.Contains(p.PersonId))
            {
                relationship = "parent";
            }
            else if (p.Birth is not { } b)
            {
                relationship = "other adult";
            }
            else if (parents.Any(q => q.Birth is { } qb && Gap(b, qb) >= 16)
                     && children.All(c => c.Birth is { } cb && Gap(b, cb) >= 36))
            {
                relationship = "grandparent";
            }
            else if (parents.Any(q => q.Birth is { } qb && Math.Abs(Gap(b, qb)) <= 15))
            {
                relationship = "partner";
            }
            else if (parents.Any(q => q.Birth is { } qb && Gap(qb, b) >= 16 && SharesName(q.PersonId, p.PersonId)))
            {
                relationship = "adult child";
            }
            else
            {
                relationship = "other adult";
            }

            result.Add(new FamilyMemberDraft(p.PersonId, Data.FamilyRole.Adult, relationship, p.From, age));
        }

        return result;
    }

    /// <summary>Whole years of age on <paramref name="date"/>: 18 on the 18th birthday (29 February birthdays on 1 March in other years).</summary>
    public static int AgeOn(DateOnly birth, DateOnly date)
    {
        var age = date.Year - birth.Year;
        if (date.Month < birth.Month || (date.Month == birth.Month && date.Day < birth.Day))
        {
            age--;
        }

        return age;
    }

    /// <summary>"12 Alder Road, Northbridge" and "NB1 2AB" → "12 ALDER ROAD|NB1 2AB".</summary>
    public static string AddressKey(string address, string postcode)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(postcode);
        var line = FirstLine(address);
        var builder = new StringBuilder(line.Length);
        var space = false;
        foreach (var c in line)
        {
            if (char.IsLetterOrDigit(c))
            {
                if (space && builder.Length > 0)
                {
                    builder.Append(' ');
                }

                builder.Append(char.ToUpperInvariant(c));
                space = false;
            }
            else if (c is ' ' or '-' or '\t')
            {
                space = true;
            }
        }

        return builder + "|" + postcode.Trim().ToUpperInvariant();
    }

    private static string FirstLine(string address)
    {
        var comma = address.IndexOf(',', StringComparison.Ordinal);
        return (comma >= 0 ? address[..comma] : address).Trim();
    }

    private static string Name(string familyName) => familyName.Trim().ToUpperInvariant();
}
