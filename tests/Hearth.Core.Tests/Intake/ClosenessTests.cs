using Hearth.Core.Intake;

namespace Hearth.Core.Tests.Intake;

public sealed class ClosenessTests
{
    [Theory]
    [InlineData("POSTCODE", "POST_CODE")]
    [InlineData("Date of Birth", "DateOfBirth")]
    [InlineData("requird", "required")]
    [InlineData("ROLE", "PERSON_ROLE")]
    public void Closest_PlausibleTypo_Found(string value, string expected)
    {
        Assert.Equal(expected, Closeness.Closest(value, ["PERSON_ROLE", expected, "Surname", "UPN"]));
    }

    [Fact]
    public void Closest_NothingNear_Null()
    {
        Assert.Null(Closeness.Closest("NHS", ["PERSON_URN", "LAST_NAME"]));
    }

    [Fact]
    public void Distance_KittenSitting_IsThree()
    {
        // k→s, e→i, +g.
        Assert.Equal(3, Closeness.Distance("kitten", "sitting"));
    }
}
