namespace Hearth.Core.Synthetic;

/// <summary>The twelve family needs the generator models (the Supporting Families headlines, worklessness split out).</summary>
public enum Need
{
    Education,
    EarlyYears,
    Health,
    MentalHealth,
    Substance,
    FamilyRelationships,
    Safeguarding,
    Crime,
    DomesticAbuse,
    Housing,
    Financial,
    Worklessness,
}

/// <summary>How a household is made up when the period starts.</summary>
public enum FamilyForm
{
    SingleAdult,
    Couple,
    OlderPeople,
    CoupleWithChildren,
    LoneParent,
    Blended,
    MultiGenerational,
    AdultChildrenAtHome,
    ExpectantCouple,
}

/// <summary>A person as the truth knows them, with their membership of one household.</summary>
public sealed class SimPerson
{
    private readonly string _role = string.Empty;

    public required int Member { get; init; }

    public required long Slot { get; init; }

    public required string Id { get; init; }

    public required char Sex { get; init; }

    public required DateOnly Dob { get; init; }

    public required string Forename { get; init; }

    /// <summary>Surnames over time: the first entry holds from birth, later ones from their date.</summary>
    public List<(DateOnly From, string Surname)> Surnames { get; } = [];

    public required string Role
    {
        get => _role;
        init
        {
            _role = value;
            IsHouseholdAdult = value is not ("adult_child" or "child" or "stepchild" or "grandparent");
        }
    }

    /// <summary>Whether the role is one of the household's heads (parent, partner, adult): not a child or grandparent.</summary>
    public bool IsHouseholdAdult { get; private init; }

    /// <summary>First day in the household (birth, joining, or the period start).</summary>
    public required DateOnly From { get; init; }

    /// <summary>Last day in the household (inclusive), or null if still there at the end.</summary>
    public DateOnly? To { get; set; }

    public string NhsNumber { get; set; } = string.Empty;

    public string? Nino { get; set; }

    public string? Upn { get; set; }

    /// <summary>Personal propensity for police-recorded events (a gamma-like multiplier, mean about 1).</summary>
    public double Propensity { get; init; } = 1.0;

    public bool IsMemberOn(DateOnly date) => date >= From && (To is null || date <= To);

    public int AgeOn(DateOnly date)
    {
        var age = date.Year - Dob.Year;
        if (date.Month < Dob.Month || (date.Month == Dob.Month && date.Day < Dob.Day))
        {
            age--;
        }

        return age;
    }

    public string SurnameOn(DateOnly date)
    {
        var surname = Surnames[0].Surname;
        foreach (var (from, name) in Surnames)
        {
            if (from <= date)
            {
                surname = name;
            }
        }

        return surname;
    }

    /// <summary>National curriculum year in the academic year starting 1 September <paramref name="academicYear"/> (Reception = 0).</summary>
    public int YearGroup(int academicYear)
    {
        var birthAcademicYear = Dob.Month >= 9 ? Dob.Year : Dob.Year - 1;
        return academicYear - birthAcademicYear - 5;
    }
}

/// <summary>A pregnancy: conceived on one date, born (if within the period) on another.</summary>
public sealed record Pregnancy(int MotherMember, DateOnly Conceived, DateOnly Due);

/// <summary>Where the household lived from a date (inclusive) and its tenure there.</summary>
public sealed record AddressSpell(DateOnly From, Address Address, string Tenure, bool AfterHomelessness);
