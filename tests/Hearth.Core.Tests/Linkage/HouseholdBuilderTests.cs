using Hearth.Core.Data;
using Hearth.Core.Linkage;

namespace Hearth.Core.Tests.Linkage;

public sealed class HouseholdBuilderTests
{
    private static readonly DateOnly Jan2020 = new(2020, 1, 10);

    private static AddressObservation At(long person, string? uprn, string? address, string? postcode, string name, string birth, DateOnly first, DateOnly? last = null, string agency = "schools") =>
        new(person, agency, uprn, address, postcode, name, DateOnly.Parse(birth, System.Globalization.CultureInfo.InvariantCulture), first, last ?? first);

    [Theory]
    [InlineData("2007-06-15", "2025-06-14", 17)] // the day before the 18th birthday
    [InlineData("2007-06-15", "2025-06-15", 18)] // on the birthday
    [InlineData("2008-02-29", "2026-02-28", 17)] // a leap-day birthday is reached on 1 March in other years
    [InlineData("2008-02-29", "2026-03-01", 18)]
    public void AgeOn_CountsWholeYears(string birth, string on, int age) =>
        Assert.Equal(age, HouseholdBuilder.AgeOn(DateOnly.Parse(birth, System.Globalization.CultureInfo.InvariantCulture), DateOnly.Parse(on, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void Build_ChildTurning18_MakesAFamilyTheDayBeforeButNotOnTheBirthday()
    {
        // A mother (born 1980) and her son (born 2007-06-15) at one UPRN.
        AddressObservation[] observations =
        [
            At(1, "100", "1 Alder Road", "NB1 1AA", "Khan", "1980-03-02", Jan2020, new DateOnly(2025, 8, 1), "housing"),
            At(2, null, "1 Alder Road, Northbridge", "NB1 1AA", "Khan", "2007-06-15", Jan2020, new DateOnly(2025, 8, 1), "police"),
        ];

        var before = HouseholdBuilder.Build(observations, new DateOnly(2025, 6, 14));
        var family = Assert.Single(before.Families);
        Assert.Equal("U:100", family.DwellingKey); // the police address became the housing record's UPRN
        Assert.Equal([(1L, FamilyRole.Adult, "parent"), (2L, FamilyRole.Child, "child")], family.Members.Select(m => (m.PersonId, m.Role, m.Relationship)));

        var on = HouseholdBuilder.Build(observations, new DateOnly(2025, 6, 15));
        Assert.Empty(on.Families);
        Assert.Equal(2, on.Residences.Count); // still one household of two adults
    }

    [Fact]
    public void Build_ChildMovesOut_StayEndsTheDayBeforeTheNewAddressAndTheFamilyNoLongerHasThem()
    {
        var moved = new DateOnly(2023, 4, 1);
        AddressObservation[] observations =
        [
            At(1, "100", null, "NB1 1AA", "Ng", "1985-01-01", Jan2020, new DateOnly(2025, 1, 1), "housing"),
            At(2, "100", null, "NB1 1AA", "Ng", "2012-05-05", Jan2020, new DateOnly(2025, 1, 1), "housing"),
            At(3, "100", null, "NB1 1AA", "Ng", "2014-05-05", Jan2020, new DateOnly(2022, 12, 1), "housing"),
            // Child 3 goes to live with a grandparent; the school then has the new address.
            At(3, null, "9 Mill Lane", "NB2 2BB", "Ng", "2014-05-05", moved, new DateOnly(2025, 1, 1)),
            At(4, null, "9 Mill Lane", "NB2 2BB", "Ng", "1950-01-01", Jan2020, new DateOnly(2025, 1, 1), "health"),
        ];

        var build = HouseholdBuilder.Build(observations, new DateOnly(2024, 1, 1));

        var stays = build.Residences.Where(r => r.PersonId == 3).ToList();
        Assert.Equal([("U:100", Jan2020, (DateOnly?)moved.AddDays(-1)), ("A:9 MILL LANE|NB2 2BB", moved, null)], stays.Select(s => (s.DwellingKey, s.From, s.To)));
        Assert.Equal(2, build.Families.Count);
        var home = build.Families.Single(f => f.DwellingKey == "U:100");
        Assert.Equal([1L, 2L], home.Members.Select(m => m.PersonId));
        var gran = build.Families.Single(f => f.DwellingKey != "U:100");
        // With no adult 16–50 years older than the child, the 64-years-older adult is neither parent nor grandparent
        // (no parent in the home): an "other adult" caring for the child.
        Assert.Equal([(3L, "child"), (4L, "other adult")], gran.Members.OrderBy(m => m.PersonId).Select(m => (m.PersonId, m.Relationship)));
    }

    [Fact]
    public void Build_StaleAddressAfterAMove_DoesNotMoveThePersonBack()
    {
        // Moved from A to B in 2022; one agency still held A on a 2023 record.
        AddressObservation[] observations =
        [
            At(1, null, "1 Oak Road", "NB1 1AA", "Lee", "1990-01-01", Jan2020, new DateOnly(2021, 12, 1)),
            At(1, null, "2 Elm Road", "NB1 1AB", "Lee", "1990-01-01", new DateOnly(2022, 3, 1), new DateOnly(2025, 1, 1)),
            At(1, null, "1 Oak Road", "NB1 1AA", "Lee", "1990-01-01", new DateOnly(2023, 5, 1), agency: "police"),
        ];

        var stays = HouseholdBuilder.Build(observations, new DateOnly(2024, 1, 1)).Residences;
        Assert.Equal([("A:1 OAK ROAD|NB1 1AA", (DateOnly?)new DateOnly(2022, 2, 28)), ("A:2 ELM ROAD|NB1 1AB", null)], stays.Select(s => (s.DwellingKey, s.To)));
    }

    [Fact]
    public void Build_PostcodeOnlyRecord_JoinsTheOneDwellingThereWithTheSameFamilyName()
    {
        AddressObservation[] observations =
        [
            At(1, null, "1 Oak Road", "NB1 1AA", "Shah", "2015-01-01", Jan2020),
            At(2, null, "3 Oak Road", "NB1 1AA", "Jones", "2016-01-01", Jan2020),
            // The father appears only in DWP and health records, which hold the postcode alone.
            At(3, null, null, "NB1 1AA", "Shah", "1984-01-01", Jan2020, agency: "dwp"),
            // Someone with a family name nobody at the postcode has is left out.
            At(4, null, null, "NB1 1AA", "Brown", "1970-01-01", Jan2020, agency: "health"),
        ];

        var build = HouseholdBuilder.Build(observations, new DateOnly(2021, 1, 1));

        var father = Assert.Single(build.Residences, r => r.PersonId == 3);
        Assert.Equal("A:1 OAK ROAD|NB1 1AA", father.DwellingKey);
        Assert.Contains("postcode and family name", father.Evidence, StringComparison.Ordinal);
        Assert.DoesNotContain(build.Residences, r => r.PersonId == 4);
    }

    [Fact]
    public void Build_PostcodeOnlyRecord_FollowsAHousemateWhoMovedThere()
    {
        var moved = new DateOnly(2022, 3, 1);
        AddressObservation[] observations =
        [
            // Mother (Shah) and her partner (Okafor) at 1 Oak Road until March 2022; she and the child then at 9 Elm Way.
            At(1, "100", "1 Oak Road", "NB1 1AA", "Shah", "1985-01-01", Jan2020, moved.AddDays(-1), "housing"),
            At(2, "100", "1 Oak Road", "NB1 1AA", "Okafor", "1983-01-01", Jan2020, moved.AddDays(-1), "housing"),
            At(1, "200", "9 Elm Way", "NB2 2BB", "Shah", "1985-01-01", moved, new DateOnly(2024, 6, 1), "housing"),
            At(3, "200", "9 Elm Way", "NB2 2BB", "Shah", "2015-01-01", moved, new DateOnly(2024, 6, 1), "schools"),
            // Another household in the new postcode, so the postcode alone does not say which dwelling.
            At(4, "201", "11 Elm Way", "NB2 2BB", "Jones", "1970-01-01", Jan2020, new DateOnly(2024, 6, 1), "housing"),
            // The partner is then seen by DWP with the new postcode only, and a different family name from everyone there.
            At(2, null, null, "NB2 2BB", "Okafor", "1983-01-01", new DateOnly(2022, 6, 1), new DateOnly(2024, 5, 1), "dwp"),
        ];

        var build = HouseholdBuilder.Build(observations, new DateOnly(2024, 1, 1));

        var stay = Assert.Single(build.Residences, r => r.PersonId == 2 && r.DwellingKey == "U:200");
        // Placed from the DWP record (June 2022), then moved back to the day the mother moved from their old
        // address to this one (nobody saw him at the old address since).
        Assert.Equal(moved, stay.From);
        Assert.Contains("someone who lived with them", stay.Evidence, StringComparison.Ordinal);
        var family = Assert.Single(build.Families);
        Assert.Equal([1L, 2L, 3L], family.Members.Select(m => m.PersonId).Order());
    }

    [Fact]
    public void Build_PostcodeOnlyRecord_NoHousemateThereOrTwoDwellings_StaysUnplaced()
    {
        AddressObservation[] observations =
        [
            At(1, "100", "1 Oak Road", "NB1 1AA", "Shah", "1985-01-01", Jan2020, new DateOnly(2024, 6, 1), "housing"),
            At(2, "100", "1 Oak Road", "NB1 1AA", "Okafor", "1983-01-01", Jan2020, new DateOnly(2021, 6, 1), "housing"),
            At(3, "100", "1 Oak Road", "NB1 1AA", "Shah", "2015-01-01", Jan2020, new DateOnly(2024, 6, 1), "schools"),
            At(4, "200", "9 Elm Way", "NB2 2BB", "Jones", "1970-01-01", Jan2020, new DateOnly(2024, 6, 1), "housing"),
            // The partner left and is seen at a postcode where none of his housemates lives: not placed.
            At(2, null, null, "NB2 2BB", "Okafor", "1983-01-01", new DateOnly(2022, 6, 1), new DateOnly(2024, 5, 1), "dwp"),
            // Three housemates at 8 Fir Lane in 2020; two of them then move to two dwellings of one postcode, and
            // the third is seen by DWP with that postcode only: two dwellings with a housemate, so not placed.
            At(5, "400", "8 Fir Lane", "NB4 4DD", "Ross", "1985-01-01", Jan2020, new DateOnly(2021, 1, 1), "housing"),
            At(6, "400", "8 Fir Lane", "NB4 4DD", "Reid", "1986-01-01", Jan2020, new DateOnly(2021, 1, 1), "housing"),
            At(7, "400", "8 Fir Lane", "NB4 4DD", "Kerr", "1990-01-01", Jan2020, new DateOnly(2021, 1, 1), "housing"),
            At(5, "300", "2 Ash Row", "NB3 3CC", "Ross", "1985-01-01", new DateOnly(2021, 6, 1), new DateOnly(2024, 6, 1), "housing"),
            At(6, "301", "4 Ash Row", "NB3 3CC", "Reid", "1986-01-01", new DateOnly(2021, 6, 1), new DateOnly(2024, 6, 1), "housing"),
            At(7, null, null, "NB3 3CC", "Kerr", "1990-01-01", new DateOnly(2022, 1, 1), new DateOnly(2024, 1, 1), "dwp"),
        ];

        var build = HouseholdBuilder.Build(observations, new DateOnly(2024, 1, 1));

        Assert.DoesNotContain(build.Residences, r => r.PersonId == 2 && r.DwellingKey == "U:200");
        Assert.DoesNotContain(build.Residences, r => r.Evidence.Contains("someone who lived with them", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(false, "2022-03-01")] // seen at the new address only in January 2023: moved with the mother in March 2022
    [InlineData(true, "2023-01-01")]  // seen fresh at the old address in September 2022: stayed behind until 2023
    public void Build_LateObservedMove_FollowsTheHousemateWhoMovedFirst(bool seenAtOldAfterMove, string expectedFrom)
    {
        var moved = new DateOnly(2022, 3, 1);
        var observations = new List<AddressObservation>
        {
            At(1, "100", "1 Oak Road", "NB1 1AA", "Shah", "1985-01-01", Jan2020, moved.AddDays(-1), "housing"),
            At(1, "200", "9 Elm Way", "NB2 2BB", "Shah", "1985-01-01", moved, new DateOnly(2024, 6, 1), "housing"),
            At(2, "100", "1 Oak Road", "NB1 1AA", "Shah", "2015-01-01", Jan2020, new DateOnly(2020, 10, 1), "schools"),
            At(2, "100", "1 Oak Road", "NB1 1AA", "Shah", "2015-01-01", new DateOnly(2021, 10, 1), new DateOnly(2021, 10, 1), "schools"),
            At(2, "200", "9 Elm Way", "NB2 2BB", "Shah", "2015-01-01", new DateOnly(2023, 1, 1), new DateOnly(2024, 6, 1), "schools"),
        };
        if (seenAtOldAfterMove)
        {
            observations.Add(At(2, "100", "1 Oak Road", "NB1 1AA", "Shah", "2015-01-01", new DateOnly(2022, 9, 1), new DateOnly(2022, 9, 1), "schools"));
        }

        var build = HouseholdBuilder.Build(observations, new DateOnly(2022, 6, 1));

        var child = build.Residences.Where(r => r.PersonId == 2).OrderBy(r => r.From).ToList();
        Assert.Equal(["U:100", "U:200"], child.Select(r => r.DwellingKey));
        var from = DateOnly.ParseExact(expectedFrom, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(from, child[1].From);
        Assert.Equal(from.AddDays(-1), child[0].To);

        // On 2022-06-01 the child is a family with the mother at the new address only when the move followed hers.
        Assert.Equal(seenAtOldAfterMove ? 0 : 1, build.Families.Count(f => f.DwellingKey == "U:200"));
    }

    [Fact]
    public void InferFamily_ParentsPartnerGrandparentAdultChildAndOtherAdult()
    {
        var asOf = new DateOnly(2024, 1, 1);
        var people = new List<(long, DateOnly, DateOnly?)>
        {
            (1, Jan2020, new DateOnly(1985, 1, 1)), // mother, shares the children's name
            (2, Jan2020, new DateOnly(1983, 1, 1)), // her partner, another name, two years older
            (3, Jan2020, new DateOnly(1955, 1, 1)), // her mother: 30 years older than her, 55+ older than the children
            (4, Jan2020, new DateOnly(2004, 1, 1)), // 20-year-old son of the mother
            (5, Jan2020, new DateOnly(2015, 1, 1)), // child
            (6, Jan2020, null),                     // a lodger of unknown age
        };
        var names = new Dictionary<long, HashSet<string>>
        {
            [1] = ["PATEL"], [2] = ["OKAFOR"], [3] = ["PATEL"], [4] = ["PATEL"], [5] = ["PATEL"], [6] = ["GREY"],
        };

        var family = HouseholdBuilder.InferFamily(people, names, asOf)!;

        Assert.Equal(["parent", "partner", "grandparent", "adult child", "child", "other adult"], family.Select(m => m.Relationship));
        Assert.Equal(FamilyRole.Child, family.Single(m => m.PersonId == 5).Role);
        Assert.Null(HouseholdBuilder.InferFamily(people.Where(p => p.Item1 != 5).ToList(), names, asOf));
    }

    [Fact]
    public void AddressKey_IgnoresTownCasePunctuationAndSpacing() =>
        Assert.Equal(HouseholdBuilder.AddressKey("12 alder  road", "nb1 2ab "), HouseholdBuilder.AddressKey("12 Alder Road, Northbridge", "NB1 2AB"));
}
