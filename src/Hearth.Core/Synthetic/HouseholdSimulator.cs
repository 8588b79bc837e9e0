using System.Globalization;

namespace Hearth.Core.Synthetic;

/// <summary>
/// Simulates one household from its own random stream (derived from the run seed and the household
/// index): who lives there and how that changes (births, separations, new partners, adult children
/// leaving, moves, surname changes), its latent needs month by month, each agency's events, and whether
/// the programme picks it. Nothing here looks at any other household.
/// </summary>
public sealed class HouseholdSimulator
{
    private const int NeedCount = 12;

    /// <summary>Point prevalence of each need among families it applies to; thresholds are the matching normal quantiles.</summary>
    private static readonly double[] Quantile =
    [
        1.175, // education 12%
        1.2816, // early years 10%
        1.2816, // health 10%
        1.175, // mental health 12%
        1.645, // substance 5%
        1.405, // family relationships 8%
        1.751, // safeguarding 4%
        1.405, // crime 8%
        1.645, // domestic abuse 5%
        1.405, // housing 8%
        1.036, // financial 15%
        1.175, // worklessness 12%
    ];

    // z = 0.45 F + 0.7 E + 0.55 e: variance 0.2025 + 0.49 + 0.3025 = 0.995.
    private const double FamilyLoading = 0.45;
    private const double EpisodeLoading = 0.7;
    private const double SpecificLoading = 0.55;
    private const double EpisodeRho = 0.9;
    private const double SpecificRho = 0.88;
    private static readonly double LatentSd = Math.Sqrt(0.995);

    private static readonly (FamilyForm Form, double Weight)[] FormWeights =
    [
        (FamilyForm.SingleAdult, 0.17), (FamilyForm.Couple, 0.16), (FamilyForm.OlderPeople, 0.13),
        (FamilyForm.CoupleWithChildren, 0.22), (FamilyForm.LoneParent, 0.11), (FamilyForm.Blended, 0.05),
        (FamilyForm.MultiGenerational, 0.04), (FamilyForm.AdultChildrenAtHome, 0.08), (FamilyForm.ExpectantCouple, 0.04),
    ];

    private static readonly WeightedTable<FamilyForm> Forms = new(FormWeights.Select(f => (f.Form, f.Weight)));

    private readonly GeneratorSettings _settings;
    private readonly Borough _borough;
    private readonly NameData _names;

    public HouseholdSimulator(GeneratorSettings settings, Borough borough, NameData names)
    {
        _settings = settings;
        _borough = borough;
        _names = names;
    }

    public static double Threshold(Need need) => Quantile[(int)need] * LatentSd;

    public SimHousehold Simulate(int index)
    {
        var rng = SyntheticRandom.For(_settings.Seed, index, 1);
        var months = _settings.Months;
        var household = new SimHousehold
        {
            Index = index,
            Form = Forms.Sample(rng),
            Latent = new float[NeedCount, months],
            Needs = new bool[NeedCount, months],
        };
        var build = new Builder(this, household, rng);
        build.InitialMembers();
        build.Latent();
        build.Demography();
        build.Identifiers();
        build.NeedFlags();
        var events = new EventSimulator(_settings, _borough, household, SyntheticRandom.For(_settings.Seed, index, 2));
        events.Run();
        ProgrammeSelection.Apply(_settings, household, SyntheticRandom.For(_settings.Seed, index, 3));
        return household;
    }

    /// <summary>Builds one household's members, latent needs and life events.</summary>
    private sealed class Builder
    {
        private readonly HouseholdSimulator _owner;
        private readonly SimHousehold _h;
        private readonly SyntheticRandom _rng;
        private readonly DateOnly _start;
        private readonly DateOnly _end;
        private double _family;

        public Builder(HouseholdSimulator owner, SimHousehold household, SyntheticRandom rng)
        {
            _owner = owner;
            _h = household;
            _rng = rng;
            _start = owner._settings.Start;
            _end = owner._settings.End;
        }

        private bool Full => _h.Members.Count >= SyntheticIdentifiers.SlotsPerHousehold;

        public void InitialMembers()
        {
            var familySurname = Surname();
            switch (_h.Form)
            {
                case FamilyForm.SingleAdult:
                    Add("adult", Sex(), Age(18, 64, young: true), familySurname);
                    break;
                case FamilyForm.Couple:
                    Couple(20, 64, familySurname);
                    break;
                case FamilyForm.OlderPeople:
                    var elder = Add("adult", Sex(), Age(65, 92), familySurname);
                    if (_rng.Chance(0.5))
                    {
                        Add("partner", Opposite(elder.Sex), Math.Clamp(elder.AgeOn(_start) + _rng.Next(-4, 5), 65, 95), familySurname);
                    }

                    break;
                case FamilyForm.CoupleWithChildren:
                    {
                        var (mother, father) = Couple(22, 55, familySurname);
                        Children(mother, father, ChildCount(), familySurname, "child");
                        break;
                    }

                case FamilyForm.LoneParent:
                    {
                        var parent = Add("parent", _rng.Chance(0.9) ? 'F' : 'M', Age(18, 55, young: true), familySurname);
                        var childSurname = _rng.Chance(0.6) ? familySurname : Surname();
                        Children(parent, null, ChildCount(), childSurname, "child");
                        break;
                    }

                case FamilyForm.Blended:
                    {
                        var mother = Add("parent", 'F', Age(24, 50), familySurname);
                        Children(mother, null, 1 + _rng.Next(2), _rng.Chance(0.7) ? Surname() : familySurname, "child");
                        var oldest = _h.Members.Skip(1).Max(c => c.AgeOn(_start));
                        var partnerSurname = _rng.Chance(0.5) ? familySurname : Surname();
                        var partner = Add("step_parent", 'M', Math.Max(oldest + 16, mother.AgeOn(_start) + _rng.Next(-3, 7)), partnerSurname);
                        if (_rng.Chance(0.4))
                        {
                            Children(partner, mother, 1, Surname(), "stepchild");
                        }

                        if (_rng.Chance(0.4) && mother.AgeOn(_start) < 44)
                        {
                            Child(mother, partner, _rng.Next(0, 4), partnerSurname, "child");
                        }

                        break;
                    }

                case FamilyForm.MultiGenerational:
                    {
                        var parent = Add("parent", 'F', Age(20, 45), familySurname);
                        if (_rng.Chance(0.5))
                        {
                            Add("partner", 'M', parent.AgeOn(_start) + _rng.Next(-2, 6), familySurname);
                        }

                        Children(parent, null, ChildCount(), familySurname, "child");
                        var grandAge = parent.AgeOn(_start) + _rng.Next(19, 33);
                        Add("grandparent", _rng.Chance(0.7) ? 'F' : 'M', grandAge, _rng.Chance(0.6) ? familySurname : Surname());
                        if (_rng.Chance(0.35))
                        {
                            Add("grandparent", 'M', grandAge + _rng.Next(0, 5), familySurname);
                        }

                        break;
                    }

                case FamilyForm.AdultChildrenAtHome:
                    {
                        var (mother, father) = Couple(42, 62, familySurname);
                        var adults = 1 + (_rng.Chance(0.35) ? 1 : 0);
                        for (var i = 0; i < adults; i++)
                        {
                            var maxAge = Math.Min(32, mother.AgeOn(_start) - 18);
                            if (maxAge >= 18)
                            {
                                AddChild(mother, father, _rng.Next(18, maxAge + 1), familySurname, "adult_child");
                            }
                        }

                        if (_rng.Chance(0.3) && mother.AgeOn(_start) - 18 >= 12)
                        {
                            AddChild(mother, father, _rng.Next(12, 18), familySurname, "child");
                        }

                        break;
                    }

                case FamilyForm.ExpectantCouple:
                    {
                        var (mother, father) = Couple(19, 36, familySurname);
                        if (_rng.Chance(0.3))
                        {
                            Children(mother, father, 1, familySurname, "child");
                        }

                        var conceived = _start.AddDays(-_rng.Next(0, 200));
                        _h.Pregnancies.Add(new Pregnancy(mother.Member, conceived, conceived.AddDays(280)));
                        break;
                    }

                default:
                    throw new InvalidOperationException($"unknown family form {_h.Form}");
            }

            _family = _rng.Normal() + _h.Form switch
            {
                FamilyForm.LoneParent => 0.35,
                FamilyForm.Blended => 0.25,
                FamilyForm.MultiGenerational => 0.15,
                FamilyForm.OlderPeople => -0.3,
                FamilyForm.Couple => -0.15,
                _ => 0.0,
            };
            var tenure = Tenure(false);
            var first = _owner._borough.AddressFor(((long)_h.Index * Borough.AddressesPerHousehold) + 0);
            _h.Addresses.Add(new AddressSpell(_start, first, tenure, false));
        }

        public void Latent()
        {
            var months = _owner._settings.Months;
            var episode = _rng.Normal();
            var specific = new double[NeedCount];
            for (var d = 0; d < NeedCount; d++)
            {
                specific[d] = _rng.Normal();
            }

            var episodeInnovation = Math.Sqrt(1 - (EpisodeRho * EpisodeRho));
            var specificInnovation = Math.Sqrt(1 - (SpecificRho * SpecificRho));
            for (var m = 0; m < months; m++)
            {
                if (m > 0)
                {
                    episode = (EpisodeRho * episode) + (episodeInnovation * _rng.Normal());
                    for (var d = 0; d < NeedCount; d++)
                    {
                        specific[d] = (SpecificRho * specific[d]) + (specificInnovation * _rng.Normal());
                    }
                }

                for (var d = 0; d < NeedCount; d++)
                {
                    _h.Latent[d, m] = (float)((FamilyLoading * _family) + (EpisodeLoading * episode) + (SpecificLoading * specific[d]));
                }
            }
        }

        public void Demography()
        {
            var months = _owner._settings.Months;
            var lastHomelessness = -100;
            var current = new List<SimPerson>();
            var adults = new List<SimPerson>();
            var moveDue = -1;
            for (var m = 0; m < months; m++)
            {
                var monthStart = _start.AddMonths(m);
                var day = monthStart.AddDays(_rng.Next(28));
                if (day > _end)
                {
                    day = _end;
                }

                // Births due this month.
                for (var i = 0; i < _h.Pregnancies.Count; i++)
                {
                    var p = _h.Pregnancies[i];
                    if (p.Due < monthStart || p.Due >= monthStart.AddMonths(1) || p.Due > _end)
                    {
                        continue;
                    }

                    var mother = _h.Members[p.MotherMember];
                    if (!mother.IsMemberOn(p.Due) || Full)
                    {
                        continue;
                    }

                    var father = _h.MembersOn(p.Due).FirstOrDefault(x => x.Sex == 'M' && x.AgeOn(p.Due) >= 18 && x.Role is "partner" or "step_parent" or "new_partner" or "adult" && x != mother);
                    var baby = NewPerson("child", Sex(), p.Due, father?.SurnameOn(p.Due) ?? mother.SurnameOn(p.Due), p.Due);
                    _h.Members.Add(baby);
                }

                current.Clear();
                adults.Clear();
                var childrenUnder18 = 0;
                var oldestChild = -1;
                var childRoleCount = 0;
                foreach (var x in _h.Members)
                {
                    if (!x.IsMemberOn(day))
                    {
                        continue;
                    }

                    current.Add(x);
                    var age = x.AgeOn(day);
                    if (age >= 18 && x.IsHouseholdAdult)
                    {
                        adults.Add(x);
                    }

                    if (age < 18)
                    {
                        childrenUnder18++;
                        oldestChild = Math.Max(oldestChild, age);
                    }

                    childRoleCount += x.Role == "child" ? 1 : 0;
                }

                var rel = _h.Latent[(int)Need.FamilyRelationships, m];
                var da = _h.Latent[(int)Need.DomesticAbuse, m];
                var housing = _h.Latent[(int)Need.Housing, m];

                // Conceptions.
                foreach (var woman in adults)
                {
                    if (woman.Sex != 'F' || woman.AgeOn(day) > 44)
                    {
                        continue;
                    }

                    var pregnant = false;
                    foreach (var p in _h.Pregnancies)
                    {
                        pregnant |= p.MotherMember == woman.Member && p.Due.AddMonths(12) > day;
                    }

                    var hasPartner = adults.Count >= 2;
                    if (!pregnant && childRoleCount < 5 && _rng.Chance(hasPartner ? 0.0065 : 0.0015))
                    {
                        _h.Pregnancies.Add(new Pregnancy(woman.Member, day, day.AddDays(280)));
                    }
                }

                // Separation: a partner leaves the borough.
                if (adults.Count >= 2 && _rng.Chance(0.0030 * Math.Exp((0.5 * rel) + (0.4 * da))))
                {
                    var leaver = adults.FirstOrDefault(a => a.Sex == 'M') ?? adults[^1];
                    leaver.To = day;
                    var stayer = adults.First(a => a != leaver);
                    if (stayer.Surnames.Count > 1 && _rng.Chance(0.3))
                    {
                        stayer.Surnames.Add((day.AddDays(_rng.Next(30, 240)), stayer.Surnames[0].Surname));
                    }
                }

                // New partner for a lone parent.
                else if (adults.Count == 1 && !Full && adults[0].AgeOn(day) < 56
                    && childrenUnder18 > 0 && _rng.Chance(0.0045))
                {
                    var parent = adults[0];
                    var age = Math.Max(oldestChild + 16, parent.AgeOn(day) + _rng.Next(-4, 7));
                    var partner = NewPerson("new_partner", Opposite(parent.Sex), DobFor(age, day), Surname(), day);
                    _h.Members.Add(partner);
                    var woman = parent.Sex == 'F' ? parent : partner;
                    var man = parent.Sex == 'F' ? partner : parent;
                    if (_rng.Chance(0.35))
                    {
                        var married = day.AddDays(_rng.Next(120, 720));
                        if (married <= _end)
                        {
                            woman.Surnames.Add((married, man.SurnameOn(day)));
                        }
                    }
                }

                // Adult children leave home.
                foreach (var grown in current)
                {
                    if (grown.Role is "adult_child" or "child" or "stepchild" && grown.AgeOn(day) >= 19 && _rng.Chance(0.012))
                    {
                        grown.To = day;
                    }
                }

                // Homelessness applications and moves.
                var tenure = _h.AddressOn(day).Tenure;
                var homelessRate = 0.0012 * Math.Exp(1.6 * housing) * (tenure == "owner" ? 0.3 : 1.0);
                if (m - lastHomelessness > 6 && adults.Count > 0 && _rng.Chance(homelessRate))
                {
                    lastHomelessness = m;
                    var decision = Pick(("Prevention duty owed", 0.45), ("Relief duty owed", 0.3), ("Main duty accepted", 0.15), ("Not homeless", 0.1));
                    var reason = _h.Needs.Length > 0 && da > Threshold(Need.DomesticAbuse)
                        ? "Domestic abuse"
                        : Pick(("End of private rented tenancy", 0.4), ("Family or friends no longer willing to accommodate", 0.3), ("Rent arrears", 0.15), ("Other", 0.15));
                    _h.Events.Add(new SimEvent
                    {
                        Kind = EventKind.Homelessness,
                        Member = adults[0].Member,
                        Date = day,
                        A = reason,
                        B = decision,
                        N1 = current.Count,
                    });
                    if (decision is "Relief duty owed" or "Main duty accepted")
                    {
                        moveDue = m + 1 + _rng.Next(3);
                    }
                }

                var moveNow = m == moveDue || _rng.Chance(0.006 * Math.Exp(0.5 * housing));
                if (moveNow && m > 0 && _h.Addresses.Count < Borough.AddressesPerHousehold && _h.Addresses[^1].From < monthStart)
                {
                    var afterHomelessness = m == moveDue;
                    var address = _owner._borough.AddressFor(((long)_h.Index * Borough.AddressesPerHousehold) + _h.Addresses.Count);
                    _h.Addresses.Add(new AddressSpell(day, address, Tenure(afterHomelessness), afterHomelessness));
                }
            }
        }

        public void Identifiers()
        {
            foreach (var p in _h.Members)
            {
                p.NhsNumber = SyntheticIdentifiers.NhsNumber(p.Slot);
                if (p.AgeOn(_end) >= 16)
                {
                    p.Nino = SyntheticIdentifiers.NationalInsuranceNumber(p.Slot);
                }

                // School age at some point: Reception (year 0) to Year 11 in an academic year overlapping the period.
                var firstYear = _start.Month >= 9 ? _start.Year : _start.Year - 1;
                var lastYear = _end.Month >= 9 ? _end.Year : _end.Year - 1;
                if (p.YearGroup(lastYear) >= 0 && p.YearGroup(firstYear) <= 11)
                {
                    var entryYear = (p.Dob.Month >= 9 ? p.Dob.Year : p.Dob.Year - 1) + 5;
                    p.Upn = SyntheticIdentifiers.UniquePupilNumber(p.Slot, entryYear);
                }
            }
        }

        public void NeedFlags()
        {
            var months = _owner._settings.Months;
            var thresholds = new double[NeedCount];
            for (var d = 0; d < NeedCount; d++)
            {
                thresholds[d] = Threshold((Need)d);
            }

            for (var m = 0; m < months; m++)
            {
                var date = _start.AddMonths(m).AddDays(14);
                var academicYear = date.Month >= 9 ? date.Year : date.Year - 1;
                bool any = false, schoolAge = false, children = false, underFive = false, overTen = false, workingAge = false;
                var adults = 0;
                foreach (var p in _h.Members)
                {
                    if (!p.IsMemberOn(date))
                    {
                        continue;
                    }

                    any = true;
                    var age = p.AgeOn(date);
                    schoolAge |= p.YearGroup(academicYear) is >= 0 and <= 11;
                    children |= age < 18;
                    underFive |= age < 5;
                    overTen |= age >= 10;
                    workingAge |= age is >= 18 and < 66;
                    adults += age >= 18 ? 1 : 0;
                }

                if (!any)
                {
                    continue;
                }

                var expectant = _h.Pregnancies.Count > 0 && _h.IsExpectantOn(date);
                for (var d = 0; d < NeedCount; d++)
                {
                    var applies = (Need)d switch
                    {
                        Need.Education => schoolAge,
                        Need.EarlyYears => underFive || expectant,
                        Need.Safeguarding => children || expectant,
                        Need.Crime => overTen,
                        Need.FamilyRelationships => children || adults >= 2,
                        Need.Worklessness => workingAge,
                        _ => adults > 0,
                    };

                    // Hysteresis: a need, once present, lasts until the latent level falls 0.35 below the
                    // threshold, so episodes have realistic lengths rather than flickering month to month.
                    var wasOn = m > 0 && _h.Needs[d, m - 1];
                    _h.Needs[d, m] = applies && _h.Latent[d, m] > thresholds[d] - (wasOn ? 0.35 : 0.0);
                }
            }
        }

        private (SimPerson Mother, SimPerson Father) Couple(int minAge, int maxAge, string familySurname)
        {
            var womanAge = Age(minAge, maxAge);
            var manAge = Math.Clamp(womanAge + _rng.Next(-3, 7), 18, 95);
            var married = _rng.Chance(0.6);
            var mother = Add("parent", 'F', womanAge, married ? familySurname : Surname());
            if (married && _rng.Chance(0.3))
            {
                // She was known by another surname before marriage.
                mother.Surnames.Insert(0, (mother.Dob, Surname()));
                mother.Surnames[1] = (_start.AddDays(-_rng.Next(200, 5000)), familySurname);
            }

            var father = Add("partner", 'M', manAge, familySurname);
            return (mother, father);
        }

        private void Children(SimPerson mother, SimPerson? father, int count, string surname, string role)
        {
            var maxAge = Math.Min(17, mother.AgeOn(_start) - 17);
            if (father is not null)
            {
                maxAge = Math.Min(maxAge, father.AgeOn(_start) - 17);
            }

            for (var i = 0; i < count && maxAge >= 0; i++)
            {
                Child(mother, father, _rng.Next(0, maxAge + 1), surname, role);
            }
        }

        private void Child(SimPerson mother, SimPerson? father, int age, string surname, string role) =>
            AddChild(mother, father, age, surname, role);

        private void AddChild(SimPerson mother, SimPerson? father, int age, string surname, string role)
        {
            _ = mother;
            _ = father;
            if (!Full)
            {
                _h.Members.Add(NewPerson(role, Sex(), DobFor(age, _start), surname, _start));
            }
        }

        private SimPerson Add(string role, char sex, int age, string surname)
        {
            var p = NewPerson(role, sex, DobFor(age, _start), surname, _start);
            _h.Members.Add(p);
            return p;
        }

        private SimPerson NewPerson(string role, char sex, DateOnly dob, string surname, DateOnly from)
        {
            var member = _h.Members.Count;
            var slot = SyntheticIdentifiers.PersonSlot(_h.Index, member);
            // Gamma(2, 0.5)-like propensity: the sum of two exponentials with mean 0.5 each.
            var propensity = (-0.5 * Math.Log(1 - _rng.NextDouble())) + (-0.5 * Math.Log(1 - _rng.NextDouble()));
            var p = new SimPerson
            {
                Member = member,
                Slot = slot,
                Id = "P" + (slot + 1).ToString("D9", CultureInfo.InvariantCulture),
                Sex = sex,
                Dob = dob,
                Forename = _owner._names.FirstName(dob.Year, sex, _rng),
                Role = role,
                From = from < _start ? _start : from,
                Propensity = propensity,
            };
            p.Surnames.Add((dob, surname));
            return p;
        }

        private DateOnly DobFor(int age, DateOnly on) => on.AddYears(-age).AddDays(-_rng.Next(0, 365));

        private int Age(int min, int max, bool young = false)
        {
            if (young)
            {
                // Skewed towards the younger end: the minimum of two uniform draws.
                return Math.Min(_rng.Next(min, max + 1), _rng.Next(min, max + 1));
            }

            return _rng.Next(min, max + 1);
        }

        private int ChildCount() => Pick((1, 0.4), (2, 0.38), (3, 0.15), (4, 0.07));

        private char Sex() => _rng.Chance(0.5) ? 'F' : 'M';

        private static char Opposite(char sex) => sex == 'F' ? 'M' : 'F';

        private string Surname()
        {
            var name = _owner._names.Surnames.Sample(_rng);
            var roll = _rng.NextDouble();
            if (roll < 0.02)
            {
                return name + "-" + _owner._names.Surnames.Sample(_rng);
            }

            return roll < 0.03 ? name + " " + _owner._names.Surnames.Sample(_rng) : name;
        }

        private string Tenure(bool afterHomelessness)
        {
            if (afterHomelessness)
            {
                return "temporary";
            }

            var social = 1.0 / (1.0 + Math.Exp(-(-0.9 + (0.8 * _family))));
            var roll = _rng.NextDouble();
            return roll < social ? "social" : roll < social + ((1 - social) * 0.35) ? "private" : "owner";
        }

        private T Pick<T>(params (T Value, double Weight)[] options) => _rng.Pick(options);
    }
}
