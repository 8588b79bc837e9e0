using System.Globalization;

namespace Hearth.Core.Synthetic;

/// <summary>Kinds of agency event the simulation produces before they are written as extract rows.</summary>
public enum EventKind
{
    Census,
    AttendanceTerm,
    Exclusion,
    Offence,
    Asb,
    DomesticAbuse,
    BenefitSpell,
    EmploymentSpell,
    AeAttendance,
    MentalHealthContact,
    SubstanceContact,
    Tenancy,
    Arrears,
    Homelessness,
    ChildInNeed,
    ChildProtection,
    LookedAfter,
    EarlyHelp,
}

/// <summary>
/// One event as it would happen without the programme. <see cref="Thin"/> is a uniform draw made for every
/// event whatever the family's treatment, so the programme's effect is applied by thinning (or, for
/// positive effects, by keeping extra events) without changing any other random draw: the observed and
/// the untreated worlds share everything else.
/// </summary>
public sealed class SimEvent
{
    public required EventKind Kind { get; init; }

    public required int Member { get; init; }

    public required DateOnly Date { get; init; }

    public DateOnly? End { get; set; }

    public double Thin { get; set; }

    /// <summary>An event that only happens under a positive programme effect.</summary>
    public bool Extra { get; set; }

    /// <summary>Set after selection: whether the event appears in the extracts.</summary>
    public bool Observed { get; set; } = true;

    /// <summary>For attendance terms: unauthorised sessions actually recorded.</summary>
    public int ObservedCount { get; set; }

    public string A { get; init; } = string.Empty;

    public string B { get; init; } = string.Empty;

    public string C { get; init; } = string.Empty;

    public string D { get; init; } = string.Empty;

    public int N1 { get; init; }

    public int N2 { get; init; }

    public int N3 { get; init; }

    /// <summary>Shared reference for events about several people (incident, tenancy, episode).</summary>
    public int Group { get; init; }

    public bool Proven { get; init; }

    /// <summary>Whether a programme effect applies to this kind of event.</summary>
    public bool Treatable => Kind is EventKind.Offence or EventKind.Asb or EventKind.AeAttendance or EventKind.Exclusion or EventKind.AttendanceTerm;
}

/// <summary>A household's whole simulated life over the period: the unit of generation and of output.</summary>
public sealed class SimHousehold
{
    public required int Index { get; init; }

    public string Id => "F" + (Index + 1).ToString("D7", CultureInfo.InvariantCulture);

    public required FamilyForm Form { get; init; }

    public List<SimPerson> Members { get; } = [];

    public List<AddressSpell> Addresses { get; } = [];

    public List<Pregnancy> Pregnancies { get; } = [];

    public List<SimEvent> Events { get; } = [];

    /// <summary>Latent need intensity by need and month.</summary>
    public required float[,] Latent { get; init; }

    /// <summary>Whether each need is present (latent above threshold and applicable) by need and month.</summary>
    public required bool[,] Needs { get; init; }

    public DateOnly RefDate { get; set; }

    public bool InCohort { get; set; }

    public bool Treated { get; set; }

    public int RefMonth { get; set; }

    public AddressSpell AddressOn(DateOnly date)
    {
        var spell = Addresses[0];
        foreach (var a in Addresses)
        {
            if (a.From <= date)
            {
                spell = a;
            }
        }

        return spell;
    }

    public IEnumerable<SimPerson> MembersOn(DateOnly date) => Members.Where(m => m.IsMemberOn(date));

    public bool IsExpectantOn(DateOnly date) =>
        Pregnancies.Any(p => date >= p.Conceived.AddDays(84) && date < p.Due && Members[p.MotherMember].IsMemberOn(date));
}
