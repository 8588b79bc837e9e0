using System.Globalization;
using Hearth.Core.Identifiers;

namespace Hearth.Core.Synthetic;

/// <summary>The agencies that send extracts, by the names used in error configuration and the manifest.</summary>
public static class Agencies
{
    public const string Schools = "schools";
    public const string Police = "police";
    public const string YouthJustice = "youth_justice";
    public const string Dwp = "dwp";
    public const string Health = "health";
    public const string Housing = "housing";
    public const string SocialCare = "social_care";
    public const string EarlyHelp = "early_help";

    public static readonly IReadOnlyList<string> All =
        [Schools, Police, YouthJustice, Dwp, Health, Housing, SocialCare, EarlyHelp];
}

/// <summary>One dwelling: its UPRN, first address line, street and postcode.</summary>
public sealed record Address(long Uprn, string Line1, string Street, string Postcode)
{
    public const string Town = "Northbridge";
}

/// <summary>A school in the borough; its URN and name appear in the school extracts.</summary>
public sealed record School(int Urn, string Name, bool Secondary);

/// <summary>
/// The fictional borough's geography: streets, postcodes in the NB1–NB9 outward codes (format-valid,
/// checked with <see cref="Postcode.IsValid"/>), UPRNs and schools. Every address is a pure function
/// of an address slot (household index × 4 + move number), so no household needs to know another's.
/// </summary>
public sealed class Borough
{
    /// <summary>Addresses a household can occupy: its first and up to three moves.</summary>
    public const int AddressesPerHousehold = 4;

    private const int NumbersPerStreet = 150;
    private const string InwardLetters = "ABDEFGHJLNPQRSTUWXYZ";

    private static readonly string[] Stems =
    [
        "Alder", "Ash", "Beech", "Birch", "Bramble", "Brook", "Canal", "Castle", "Cedar", "Chapel", "Chestnut",
        "Church", "Clover", "Coronation", "Dale", "Elm", "Ferry", "Forge", "Foundry", "Garden", "Glebe",
        "Granary", "Hawthorn", "Hazel", "Heather", "Highfield", "Holly", "Jubilee", "Kiln", "Lark", "Linden",
        "Lock", "Maple", "Meadow", "Mill", "Moor", "Northgate", "Oak", "Orchard", "Park", "Priory", "Quarry",
        "Rowan", "School", "Spinney", "Station", "Tanner", "Victoria", "Weaver", "Willow", "Wharf", "Yew",
    ];

    private static readonly string[] Suffixes =
    [
        "Road", "Street", "Lane", "Avenue", "Close", "Grove", "Way", "Crescent", "Terrace", "Gardens", "Drive", "Place",
    ];

    private readonly int _streets;
    private readonly int _unitsPerNumber;
    private readonly long _capacity;

    public Borough(int households)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(households);
        var needed = (long)households * AddressesPerHousehold;
        var maxStreets = Stems.Length * Suffixes.Length;
        _streets = (int)Math.Clamp((needed + NumbersPerStreet - 1) / NumbersPerStreet, 30, maxStreets);
        _unitsPerNumber = (int)Math.Max(1, (needed + ((long)_streets * NumbersPerStreet) - 1) / ((long)_streets * NumbersPerStreet));
        _capacity = (long)_streets * NumbersPerStreet * _unitsPerNumber;
        var primaries = Math.Clamp(households / 250, 4, 400);
        var secondaries = Math.Clamp(households / 1200, 2, 100);
        PrimarySchools = [.. Enumerable.Range(0, primaries).Select(i => new School(140_001 + i, $"{SchoolStem(i)} Primary School", false))];
        SecondarySchools = [.. Enumerable.Range(0, secondaries).Select(i => new School(150_001 + i, $"{SchoolStem(i + 17)} Academy", true))];
        PupilReferralUnit = new School(159_901, "Northbridge Pupil Referral Unit", true);
    }

    public IReadOnlyList<School> PrimarySchools { get; }

    public IReadOnlyList<School> SecondarySchools { get; }

    public School PupilReferralUnit { get; }

    /// <summary>The street name at <paramref name="index"/>: each stem with twelve different suffixes.</summary>
    public static string StreetName(int index)
    {
        var stem = index % Stems.Length;
        var suffix = ((index / Stems.Length) + (stem * 5)) % Suffixes.Length;
        return $"{Stems[stem]} {Suffixes[suffix]}";
    }

    /// <summary>The dwelling for an address slot; distinct slots always give distinct dwellings and UPRNs.</summary>
    public Address AddressFor(long slot)
    {
        var position = Scramble.Shuffle(slot % _capacity, _capacity, 0xAD0E55);
        var street = (int)(position % _streets);
        var rest = position / _streets;
        var number = (int)(rest % NumbersPerStreet) + 1;
        var unit = (int)(rest / NumbersPerStreet);
        var streetName = StreetName(street);
        var line1 = _unitsPerNumber > 1 && unit > 0
            ? string.Create(CultureInfo.InvariantCulture, $"Flat {unit}, {number} {streetName}")
            : string.Create(CultureInfo.InvariantCulture, $"{number} {streetName}");
        return new Address(100_120_000_000 + position, line1, streetName, PostcodeFor(street, number));
    }

    /// <summary>About fifteen consecutive house numbers on a street share a postcode unit.</summary>
    public static string PostcodeFor(int street, int number)
    {
        var outward = "NB" + ((street % 9) + 1).ToString(CultureInfo.InvariantCulture);
        var hash = SyntheticRandom.Mix(street, (number - 1) / 15, 0x5EC7);
        var sector = (int)(hash % 10);
        var a = InwardLetters[(int)((hash >> 8) % (ulong)InwardLetters.Length)];
        var b = InwardLetters[(int)((hash >> 16) % (ulong)InwardLetters.Length)];
        return string.Create(CultureInfo.InvariantCulture, $"{outward} {sector}{a}{b}");
    }

    public School PrimaryFor(Address address) => PrimarySchools[(int)(SyntheticRandom.Mix(address.Street.Length, StreetHash(address.Street), 1) % (ulong)PrimarySchools.Count)];

    public School SecondaryFor(Address address) => SecondarySchools[(int)(SyntheticRandom.Mix(address.Street.Length, StreetHash(address.Street), 2) % (ulong)SecondarySchools.Count)];

    private static long StreetHash(string street)
    {
        long h = 17;
        foreach (var c in street)
        {
            h = unchecked((h * 31) + c);
        }

        return h;
    }

    private static string SchoolStem(int i) => Stems[(i * 7) % Stems.Length] + (i >= Stems.Length ? " " + Suffixes[i % Suffixes.Length] : string.Empty);
}

/// <summary>
/// Identifier allocation. Each scheme maps a person slot (household index × 24 + member number) through a
/// bijection, so identifiers are unique across the borough without any shared state, and carry valid
/// check characters by construction.
/// </summary>
public static class SyntheticIdentifiers
{
    /// <summary>Members a household can ever have (starting members, births and new partners together).</summary>
    public const int SlotsPerHousehold = 24;

    private static readonly string[] NinoPrefixes = BuildNinoPrefixes();

    public static long PersonSlot(int household, int member) => ((long)household * SlotsPerHousehold) + member;

    /// <summary>
    /// An NHS number in the 400 000 000–499 999 999 range. For any eight leading digits, at least nine of the ten
    /// possible ninth digits give a valid check digit (the ninth digit has weight 2, so the ten choices give
    /// ten different remainders and at most one of them is the never-issued 10); slot / 9 picks the eight
    /// digits and slot mod 9 picks which valid ninth digit.
    /// </summary>
    public static string NhsNumber(long slot)
    {
        var t = Scramble.Shuffle(slot, 90_000_000, 0x4E4853);
        var prefix = 40_000_000 + (t / 9);
        var wanted = (int)(t % 9);
        var seen = 0;
        Span<char> digits = stackalloc char[10];
        prefix.TryFormat(digits, out _, "D8", CultureInfo.InvariantCulture);
        for (var ninth = 0; ninth <= 9; ninth++)
        {
            digits[8] = (char)('0' + ninth);
            var check = Identifiers.NhsNumber.CheckDigit(digits[..9]);
            if (check is null)
            {
                continue;
            }

            if (seen++ == wanted)
            {
                digits[9] = (char)('0' + check.Value);
                return new string(digits);
            }
        }

        throw new InvalidOperationException("unreachable: at most one ninth digit gives an invalid NHS number");
    }

    /// <summary>A NINO: a valid prefix pair and six digits from the scrambled slot, suffix A–D.</summary>
    public static string NationalInsuranceNumber(long slot)
    {
        long space = NinoPrefixes.Length * 1_000_000L;
        var t = Scramble.Shuffle(slot, space, 0x4E494E4F);
        var suffix = (char)('A' + (int)(SyntheticRandom.Mix(slot, 3, 0x1A) % 4));
        return string.Create(CultureInfo.InvariantCulture, $"{NinoPrefixes[t / 1_000_000]}{t % 1_000_000:D6}{suffix}");
    }

    /// <summary>
    /// A UPN: LA number, then the scrambled slot written in the establishment and serial digits (7 digits),
    /// and the allocation year; the check letter from <see cref="UniquePupilNumber.CheckLetter"/>. Slots
    /// beyond ten million take the LA numbers below 999, as pupils whose UPN was allocated elsewhere.
    /// </summary>
    public static string UniquePupilNumber(long slot, int allocationYear)
    {
        var body = Scramble.Shuffle(slot % 10_000_000, 10_000_000, 0x55504E);
        var la = 999 - (slot / 10_000_000);
        var twelve = string.Create(
            CultureInfo.InvariantCulture,
            $"{la:D3}{body / 1000:D4}{allocationYear % 100:D2}{body % 1000:D3}");
        return Identifiers.UniquePupilNumber.CheckLetter(twelve) + twelve;
    }

    /// <summary>An agency's own record number for a household's n-th record of one kind: unique, scrambled, 11 digits.</summary>
    public static long RecordNumber(int household, int sequence, int kind) =>
        Scramble.Shuffle(((long)household * 10_000) + sequence, 1L << 36, 0x5EC0 + (ulong)kind);

    /// <summary>An agency's person reference for a person slot (second registration when <paramref name="duplicate"/>).</summary>
    public static long PersonReference(long slot, bool duplicate, int agency) =>
        Scramble.Shuffle((slot * 2) + (duplicate ? 1 : 0), 1L << 27, 0xA6E0 + (ulong)agency);

    private static string[] BuildNinoPrefixes()
    {
        var prefixes = new List<string>();
        const string letters = "ABCEGHJKLMNPRSTWXYZ";
        string[] excluded = ["BG", "GB", "KN", "NK", "NT", "TN", "ZZ", "CR", "FY", "MW", "NC"];
        foreach (var a in letters)
        {
            foreach (var b in letters)
            {
                var p = string.Concat(a, b);
                if (!excluded.Contains(p, StringComparer.Ordinal))
                {
                    prefixes.Add(p);
                }
            }
        }

        return [.. prefixes];
    }
}
