using Hearth.Core.Identifiers;
using Hearth.Core.Synthetic;

namespace Hearth.Core.Tests.Synthetic;

public sealed class SyntheticIdentifiersTests
{
    // Slots spread over the whole allowed range: the first 50,000 and 50,000 near the top (2,000,000 households × 24).
    private static IEnumerable<long> Slots() =>
        Enumerable.Range(0, 50_000).Select(i => (long)i)
            .Concat(Enumerable.Range(0, 50_000).Select(i => ((long)GeneratorSettings.MaxHouseholds * SyntheticIdentifiers.SlotsPerHousehold) - 1 - i));

    [Fact]
    public void NhsNumber_AnySlot_IsValidAndUnique()
    {
        var numbers = Slots().Select(SyntheticIdentifiers.NhsNumber).ToList();
        Assert.All(numbers, n => Assert.True(NhsNumber.IsValid(n), n));
        Assert.All(numbers, n => Assert.StartsWith("4", n, StringComparison.Ordinal));
        Assert.Equal(numbers.Count, numbers.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void NhsNumber_MembersOfOneHousehold_DoNotShareLeadingDigits()
    {
        var a = SyntheticIdentifiers.NhsNumber(SyntheticIdentifiers.PersonSlot(10, 0));
        var b = SyntheticIdentifiers.NhsNumber(SyntheticIdentifiers.PersonSlot(10, 1));
        Assert.NotEqual(a[..6], b[..6]);
    }

    [Fact]
    public void NationalInsuranceNumber_AnySlot_IsValidUniqueAndNeverAnAdministrativePrefix()
    {
        var numbers = Slots().Select(SyntheticIdentifiers.NationalInsuranceNumber).ToList();
        Assert.All(numbers, n => Assert.True(NationalInsuranceNumber.IsValid(n), n));
        Assert.DoesNotContain(numbers, n => n[..2] is "CR" or "FY" or "MW" or "NC" or "OO");
        Assert.Equal(numbers.Count, numbers.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void UniquePupilNumber_AnySlot_IsValidUniqueAndCarriesTheAllocationYear()
    {
        var numbers = Slots().Select(s => SyntheticIdentifiers.UniquePupilNumber(s, 2016)).ToList();
        Assert.All(numbers, n => Assert.True(UniquePupilNumber.IsValid(n), n));
        Assert.All(numbers, n => Assert.Equal("16", n[8..10]));
        Assert.Equal(numbers.Count, numbers.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Shuffle_SmallDomain_IsAPermutation()
    {
        // 1,000 is not a power of two, so this exercises cycle walking.
        var outputs = Enumerable.Range(0, 1000).Select(i => Scramble.Shuffle(i, 1000, 12345)).ToList();
        Assert.All(outputs, o => Assert.InRange(o, 0, 999));
        Assert.Equal(1000, outputs.Distinct().Count());
    }

    [Fact]
    public void AddressFor_EverySlotOfASmallBorough_IsADistinctValidAddress()
    {
        var borough = new Borough(500);
        var addresses = Enumerable.Range(0, 500 * Borough.AddressesPerHousehold).Select(s => borough.AddressFor(s)).ToList();
        Assert.All(addresses, a => Assert.True(Postcode.IsValid(a.Postcode), a.Postcode));
        Assert.All(addresses, a => Assert.StartsWith("NB", a.Postcode, StringComparison.Ordinal));
        Assert.Equal(addresses.Count, addresses.Select(a => a.Uprn).Distinct().Count());
        Assert.Equal(addresses.Count, addresses.Select(a => a.Line1).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void AddressFor_CountySizedBorough_UsesFlatsAndStaysDistinct()
    {
        var borough = new Borough(500_000);
        var addresses = Enumerable.Range(0, 20_000).Select(s => borough.AddressFor(s * 97L)).ToList();
        Assert.Equal(addresses.Count, addresses.Select(a => a.Line1).Distinct(StringComparer.Ordinal).Count());
        Assert.Contains(addresses, a => a.Line1.StartsWith("Flat ", StringComparison.Ordinal));
        Assert.All(addresses, a => Assert.True(Uprn.IsValid(a.Uprn.ToString(System.Globalization.CultureInfo.InvariantCulture))));
    }
}
