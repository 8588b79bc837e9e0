using System.Globalization;
using Hearth.Core.Programmes;

namespace Hearth.Web.Pages.Programmes.Identification;

/// <summary>What the identification pages and API share: the shipped frameworks, the default one and today's date.</summary>
public static class IdentificationPages
{
    /// <summary>The framework the list opens on.</summary>
    public const string DefaultFramework = "supporting-families-2022";

    private static readonly Lazy<FrameworkCatalog> Catalog = new(FrameworkCatalog.Shipped);

    /// <summary>The shipped frameworks, oldest first.</summary>
    public static IReadOnlyList<Framework> Frameworks => [.. Catalog.Value.All];

    /// <summary>The named framework, or null when there is no such framework.</summary>
    public static Framework? Find(string? id) =>
        Catalog.Value.All.FirstOrDefault(f => string.Equals(f.Id, string.IsNullOrWhiteSpace(id) ? DefaultFramework : id.Trim(), StringComparison.Ordinal));

    /// <summary>Today as the app's clock has it (UTC date).</summary>
    public static DateOnly Today(TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        return DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
    }

    public static string Date(DateOnly date) => date.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);

    public static string Number(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>An age band that says enough to understand a need without identifying the member.</summary>
    public static string AgeBand(int? age) => age switch
    {
        null => "age not known",
        < 5 => "aged under 5",
        < 11 => "aged 5 to 10",
        < 16 => "aged 11 to 15",
        < 18 => "aged 16 or 17",
        < 25 => "aged 18 to 24",
        < 50 => "aged 25 to 49",
        _ => "aged 50 or over",
    };

    /// <summary>"Child, aged 11 to 15" for a member of the family as of a date; "The household" for a household need.</summary>
    public static string Member(ProgrammeFamily? family, string? personId, DateOnly asOf)
    {
        if (personId is null)
        {
            return "The household";
        }

        var m = family?.Members.FirstOrDefault(x => string.Equals(x.PersonId, personId, StringComparison.Ordinal));
        if (m is null)
        {
            return "A member";
        }

        var role = m.Role switch { MemberRole.Adult => "Adult", MemberRole.Child => "Child", _ => "Expectant parent" };
        return role + ", " + AgeBand(m.AgeOn(asOf));
    }

    public static string EligibleText(string eligible) => eligible switch
    {
        "yes" => "Eligible",
        "no" => "Not eligible",
        "unknown" => "Unknown (data missing)",
        _ => eligible,
    };

    /// <summary>The title of a headline id in a framework, or the id.</summary>
    public static string Headline(Framework framework, string id)
    {
        ArgumentNullException.ThrowIfNull(framework);
        return framework.Headlines.FirstOrDefault(h => string.Equals(h.Id, id, StringComparison.Ordinal))?.Title ?? id;
    }
}
