using System.Globalization;

namespace Hearth.Core.Synthetic;

/// <summary>
/// Turns a household's membership and latent needs into agency events, month by month, as they would
/// happen without the programme (see <see cref="SimEvent.Thin"/>). Rates are monthly and multiply a base
/// rate by exp(k × latent need), so events rise and fall with the family's episodes of need.
/// </summary>
internal sealed class EventSimulator
{
    private static readonly (string Name, int Sessions, int StartMonth, int StartDay, int EndMonth, int EndDay)[] Terms =
    [
        ("AUT", 140, 9, 3, 12, 20),
        ("SPR", 118, 1, 6, 3, 31),
        ("SUM", 122, 4, 14, 7, 21),
    ];

    private static readonly Need[] EarlyHelpNeeds =
        [Need.Education, Need.EarlyYears, Need.FamilyRelationships, Need.MentalHealth, Need.DomesticAbuse, Need.Housing, Need.Financial, Need.Substance];

    private readonly GeneratorSettings _settings;
    private readonly Borough _borough;
    private readonly SimHousehold _h;
    private readonly SyntheticRandom _rng;
    private readonly Dictionary<int, double> _pupilEffect = [];
    private readonly Dictionary<int, bool> _mentalHealthProne = [];
    private readonly Dictionary<int, string?> _substance = [];
    private readonly Dictionary<int, DateOnly> _permanentlyExcluded = [];
    private int _group;

    public EventSimulator(GeneratorSettings settings, Borough borough, SimHousehold household, SyntheticRandom rng)
    {
        _settings = settings;
        _borough = borough;
        _h = household;
        _rng = rng;
    }

    private DateOnly Start => _settings.Start;

    private DateOnly End => _settings.End;

    public void Run()
    {
        foreach (var p in _h.Members)
        {
            _pupilEffect[p.Member] = 0.5 * _rng.Normal();
            _mentalHealthProne[p.Member] = _rng.Chance(p.AgeOn(End) >= 18 ? 0.4 : 0.2);
            _substance[p.Member] = _rng.Chance(p.Member == 0 ? 0.7 : 0.25)
                ? Pick(("Alcohol", 0.45), ("Opiates", 0.2), ("Crack cocaine", 0.1), ("Cannabis", 0.2), ("Other", 0.05))
                : null;
        }

        var months = _settings.Months;
        var wasOn = new bool[12];
        var lastEarlyHelp = -100;
        var members = new List<SimPerson>();
        for (var m = 0; m < months; m++)
        {
            var monthStart = Start.AddMonths(m);
            var mid = monthStart.AddDays(14);
            members.Clear();
            foreach (var p in _h.Members)
            {
                if (p.IsMemberOn(mid))
                {
                    members.Add(p);
                }
            }

            if (members.Count == 0)
            {
                continue;
            }

            foreach (var p in members)
            {
                PersonMonth(p, m, monthStart);
            }

            DomesticAbuse(members, m, monthStart);
            var safeguardingOn = _h.Needs[(int)Need.Safeguarding, m];
            if (safeguardingOn && !wasOn[(int)Need.Safeguarding] && _rng.Chance(0.6))
            {
                SocialCare(members, m, monthStart);
            }

            Need? trigger = null;
            foreach (var need in EarlyHelpNeeds)
            {
                if (_h.Needs[(int)need, m] && !wasOn[(int)need])
                {
                    trigger ??= need;
                }
            }

            if (trigger is { } t && m - lastEarlyHelp >= 12 && (members.Any(p => p.AgeOn(mid) < 18) || _h.IsExpectantOn(mid)) && _rng.Chance(0.25))
            {
                lastEarlyHelp = m;
                EarlyHelp(members, monthStart, t);
            }

            for (var d = 0; d < 12; d++)
            {
                wasOn[d] = _h.Needs[d, m];
            }
        }

        School();
        Work();
        Housing();
    }

    private float Z(Need need, int month) => _h.Latent[(int)need, month];

    private DateOnly DayIn(DateOnly monthStart)
    {
        var day = monthStart.AddDays(_rng.Next(28));
        return day > End ? End : day;
    }

    private void PersonMonth(SimPerson p, int m, DateOnly monthStart)
    {
        var age = p.AgeOn(monthStart);
        var male = p.Sex == 'M';
        if (age >= 10)
        {
            var baseRate = age switch
            {
                < 18 => 0.007,
                < 25 => 0.0075,
                < 40 => 0.0045,
                < 60 => 0.0018,
                _ => 0.0003,
            } * (male ? 1.0 : 0.3);
            var rate = baseRate * p.Propensity * Math.Exp(1.4 * Z(Need.Crime, m));
            Treatable(rate, _settings.Programme.EffectOffences, () => Offence(p, monthStart));
            var asbRate = 0.004 * p.Propensity * Math.Exp(1.2 * Z(Need.Crime, m)) * (age < 25 ? 1.5 : 1.0);
            Treatable(asbRate, _settings.Programme.EffectAsb, () => new SimEvent
            {
                Kind = EventKind.Asb,
                Member = p.Member,
                Date = DayIn(monthStart),
                A = Pick(("Personal", 0.3), ("Nuisance", 0.6), ("Environmental", 0.1)),
            });
        }

        var ageFactor = age switch
        {
            < 5 => 1.8,
            < 16 => 0.9,
            < 25 => 1.3,
            < 65 => 1.0,
            < 80 => 1.3,
            _ => 2.2,
        };
        var mhOn = _h.Needs[(int)Need.MentalHealth, m] && _mentalHealthProne[p.Member] && age >= 11;
        var substance = _substance[p.Member];
        var substanceOn = _h.Needs[(int)Need.Substance, m] && substance is not null && age >= 16;
        var aeRate = 0.022 * ageFactor * Math.Exp((0.7 * Z(Need.Health, m)) + (mhOn ? 0.5 : 0) + (substanceOn ? 0.5 : 0));
        Treatable(aeRate, _settings.Programme.EffectAe, () => new SimEvent
        {
            Kind = EventKind.AeAttendance,
            Member = p.Member,
            Date = DayIn(monthStart),
            N1 = _rng.Next(0, 24),
            N2 = _rng.Next(0, 60),
            A = mhOn && _rng.Chance(0.15) ? "Self-harm"
                : substanceOn && _rng.Chance(0.15) ? "Poisoning"
                : Pick(("Injury", 0.4), ("Respiratory", 0.15), ("Gastrointestinal", 0.1), ("Cardiac", age >= 50 ? 0.1 : 0.01), ("Other", 0.3)),
            B = Pick(("Discharged", 0.7), ("Admitted", 0.2), ("Referred", 0.1)),
        });

        var mhContacts = _rng.Poisson(mhOn ? 0.6 : (age >= 11 ? 0.002 : 0));
        for (var i = 0; i < mhContacts; i++)
        {
            _h.Events.Add(new SimEvent
            {
                Kind = EventKind.MentalHealthContact,
                Member = p.Member,
                Date = DayIn(monthStart),
                A = age < 18 ? "CAMHS" : _rng.Chance(0.7) ? "Adult community mental health" : "Talking therapies",
                B = i == 0 && !(m > 0 && _h.Needs[(int)Need.MentalHealth, m - 1]) ? "Assessment" : _rng.Chance(0.8) ? "Treatment" : "Did not attend",
            });
        }

        var smContacts = substanceOn ? _rng.Poisson(0.8) : 0;
        for (var i = 0; i < smContacts; i++)
        {
            _h.Events.Add(new SimEvent
            {
                Kind = EventKind.SubstanceContact,
                Member = p.Member,
                Date = DayIn(monthStart),
                A = substance!,
                B = _rng.Chance(0.75) ? "Treatment" : _rng.Chance(0.5) ? "Assessment" : "Did not attend",
            });
        }
    }

    private SimEvent Offence(SimPerson p, DateOnly monthStart)
    {
        var date = DayIn(monthStart);
        var age = p.AgeOn(date);
        var outcome = age < 18
            ? Pick(("Charge/summons", 0.2), ("Youth caution", 0.12), ("Youth conditional caution", 0.05), ("Community resolution", 0.08), ("No further action", 0.55))
            : Pick(("Charge/summons", 0.28), ("Adult caution", 0.12), ("Community resolution", 0.08), ("No further action", 0.52));
        var outcomeDate = date.AddDays(_rng.Next(7, 120));
        var proven = outcome is "Charge/summons" or "Youth caution" or "Youth conditional caution" or "Adult caution";
        if (outcomeDate > End && outcome != "No further action")
        {
            outcome = "Under investigation";
            proven = false;
        }

        return new SimEvent
        {
            Kind = EventKind.Offence,
            Member = p.Member,
            Date = date,
            End = outcomeDate > End ? null : outcomeDate,
            A = Pick(("Violence against the person", 0.35), ("Theft", 0.2), ("Criminal damage", 0.12), ("Drug offences", 0.1), ("Public order", 0.1), ("Burglary", 0.05), ("Robbery", 0.03), ("Possession of weapons", 0.05)),
            B = outcome,
            Proven = proven,
            C = age < 18 && proven
                ? outcome switch
                {
                    "Youth caution" => "Youth Caution",
                    "Youth conditional caution" => "Youth Conditional Caution",
                    _ => Pick(("Referral Order", 0.5), ("Youth Rehabilitation Order", 0.35), ("Detention and Training Order", 0.05), ("Fine or discharge", 0.1)),
                }
                : string.Empty,
            N1 = _rng.Next(1, 9),
        };
    }

    /// <summary>
    /// Draws untreated events at <paramref name="rate"/>, each with a thinning draw; when the effect is
    /// positive, also draws the extra events a treated family would have (rate × effect).
    /// </summary>
    private void Treatable(double rate, double effect, Func<SimEvent> make)
    {
        var n = _rng.Poisson(rate);
        for (var i = 0; i < n; i++)
        {
            var e = make();
            e.Thin = _rng.NextDouble();
            _h.Events.Add(e);
        }

        var extra = effect > 0 ? _rng.Poisson(rate * effect) : 0;
        for (var i = 0; i < extra; i++)
        {
            var e = make();
            e.Extra = true;
            e.Observed = false;
            _h.Events.Add(e);
        }
    }

    private void DomesticAbuse(List<SimPerson> members, int m, DateOnly monthStart)
    {
        if (!_h.Needs[(int)Need.DomesticAbuse, m] && Z(Need.DomesticAbuse, m) < 0.8)
        {
            return;
        }

        var adults = members.Where(p => p.AgeOn(monthStart) >= 18 && p.Role is not ("adult_child" or "grandparent")).ToList();
        var victim = adults.FirstOrDefault(p => p.Sex == 'F') ?? adults.FirstOrDefault();
        if (victim is null)
        {
            return;
        }

        var incidents = _rng.Poisson(0.003 * Math.Exp(1.5 * Z(Need.DomesticAbuse, m)));
        for (var i = 0; i < incidents; i++)
        {
            var date = DayIn(monthStart);
            var group = ++_group;
            var risk = Pick(("Standard", 0.6), ("Medium", 0.3), ("High", 0.1));
            var crime = _rng.Chance(0.4) ? "Y" : "N";
            Add(EventKind.DomesticAbuse, victim, date, group, "Victim", risk, crime);
            var perpetrator = adults.FirstOrDefault(p => p != victim && p.Sex != victim.Sex);
            if (perpetrator is not null)
            {
                Add(EventKind.DomesticAbuse, perpetrator, date, group, "Perpetrator", risk, crime);
            }

            foreach (var child in members.Where(p => p.AgeOn(date) < 18))
            {
                Add(EventKind.DomesticAbuse, child, date, group, "Child present", risk, crime);
            }
        }
    }

    private void Add(EventKind kind, SimPerson p, DateOnly date, int group, string a, string b = "", string c = "", DateOnly? end = null) =>
        _h.Events.Add(new SimEvent { Kind = kind, Member = p.Member, Date = date, Group = group, A = a, B = b, C = c, End = end });

    private void SocialCare(List<SimPerson> members, int m, DateOnly monthStart)
    {
        var referral = DayIn(monthStart);
        var children = members.Where(p => p.AgeOn(referral) < 18).ToList();
        if (children.Count == 0)
        {
            return;
        }

        var offMonth = m;
        while (offMonth < _settings.Months && _h.Needs[(int)Need.Safeguarding, offMonth])
        {
            offMonth++;
        }

        var cinStart = referral.AddDays(_rng.Next(0, 15));
        var cinEnd = Start.AddMonths(offMonth).AddDays(_rng.Next(30, 120));
        var da = _h.Needs[(int)Need.DomesticAbuse, m];
        var needCode = da ? Pick(("N1", 0.6), ("N4", 0.4)) : Pick(("N1", 0.5), ("N4", 0.15), ("N5", 0.15), ("N3", 0.1), ("N8", 0.05), ("N7", 0.05));
        var cp = _rng.Chance(0.35);
        var cpStart = cinStart.AddDays(_rng.Next(30, 61));
        var cpEnd = cpStart.AddDays(_rng.Next(120, 400));
        if (cpEnd > cinEnd.AddDays(-10))
        {
            cpEnd = cinEnd.AddDays(-10);
        }

        var category = da ? "EMO" : Pick(("NEG", 0.5), ("EMO", 0.35), ("PHY", 0.08), ("SAB", 0.04), ("MUL", 0.03));
        var group = ++_group;
        foreach (var child in children)
        {
            if (cinStart > End)
            {
                break;
            }

            Add(EventKind.ChildInNeed, child, referral, group, needCode, cinStart.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), end: cinEnd > End ? null : cinEnd);
            if (cp && cpStart <= End && cpEnd > cpStart)
            {
                Add(EventKind.ChildProtection, child, cpStart, group, category, end: cpEnd > End ? null : cpEnd);
            }

            if (_rng.Chance(0.06))
            {
                var decom = cinStart.AddDays(_rng.Next(30, 200));
                var dec = decom.AddDays(_rng.Next(60, 600));
                if (decom <= End)
                {
                    Add(
                        EventKind.LookedAfter,
                        child,
                        decom,
                        group,
                        Pick(("C2", 0.5), ("V2", 0.35), ("E1", 0.15)),
                        Pick(("U4", 0.6), ("U1", 0.2), ("R1", 0.1), ("K2", 0.1)),
                        end: dec > End ? null : dec);
                }
            }
        }
    }

    private void EarlyHelp(List<SimPerson> members, DateOnly monthStart, Need trigger)
    {
        var referral = DayIn(monthStart);
        var closed = referral.AddDays(_rng.Next(60, 300));
        var group = ++_group;
        var source = trigger switch
        {
            Need.Education => "School",
            Need.EarlyYears => "Health visitor",
            Need.DomesticAbuse => "Police",
            Need.Housing => "Housing",
            Need.MentalHealth => "GP",
            _ => Pick(("Self", 0.3), ("School", 0.3), ("Health visitor", 0.2), ("Other", 0.2)),
        };
        var need = trigger switch
        {
            Need.Education => "School attendance or behaviour",
            Need.EarlyYears => "Early years development",
            Need.FamilyRelationships => "Family relationships",
            Need.MentalHealth => "Parental mental health",
            Need.DomesticAbuse => "Domestic abuse",
            Need.Housing => "Housing",
            Need.Financial => "Financial difficulty",
            _ => "Substance misuse",
        };
        var outcome = Pick(("Early help assessment", 0.6), ("Signposted", 0.25), ("No further action", 0.15));
        var lead = members.FirstOrDefault(p => p.AgeOn(referral) >= 18);
        foreach (var p in members)
        {
            var age = p.AgeOn(referral);
            var isLead = p == lead;
            var expectant = _h.Pregnancies.Any(x => x.MotherMember == p.Member && referral >= x.Conceived.AddDays(84) && referral < x.Due);
            if (age < 18 || isLead || expectant)
            {
                var role = age < 18 ? "Child" : expectant ? "Expectant parent" : "Parent/carer";
                _h.Events.Add(new SimEvent
                {
                    Kind = EventKind.EarlyHelp, Member = p.Member, Date = referral, Group = group, A = role, B = source, C = need, D = outcome,
                    End = closed > End ? null : closed,
                });
            }
        }
    }

    private void School()
    {
        var firstYear = Start.Month >= 9 ? Start.Year : Start.Year - 1;
        for (var year = firstYear; year <= End.Year; year++)
        {
            var census = FirstThursdayOfOctober(year);
            foreach (var (name, sessions, sm, sd, em, ed) in Terms)
            {
                var termYear = sm >= 9 ? year : year + 1;
                var termStart = new DateOnly(termYear, sm, sd);
                var termEnd = new DateOnly(termYear, em, ed);
                if (termStart < Start || termEnd > End)
                {
                    continue;
                }

                var month = ((termStart.Year - Start.Year) * 12) + termStart.Month - Start.Month;
                var z = _h.Latent[(int)Need.Education, month];
                var zHealth = _h.Latent[(int)Need.Health, month];
                foreach (var p in _h.Members.Where(x => x.IsMemberOn(termStart) && x.YearGroup(year) is >= 0 and <= 11))
                {
                    var effect = _pupilEffect[p.Member];
                    var secondary = p.YearGroup(year) >= 7;
                    var school = SchoolFor(p, termStart, secondary);
                    if (name == "AUT" && census >= Start && census <= End && p.IsMemberOn(census))
                    {
                        _h.Events.Add(new SimEvent
                        {
                            Kind = EventKind.Census, Member = p.Member, Date = census, N1 = p.YearGroup(year),
                            A = school.Urn.ToString(CultureInfo.InvariantCulture), B = school.Name,
                        });
                    }

                    var authorised = Math.Min(sessions, _rng.Poisson(sessions * (0.035 + (0.03 * Math.Max(0, zHealth)))));
                    var unauthRate = Math.Min(0.8, 0.009 * Math.Exp((1.5 * z) + effect));
                    var unauthorised = Math.Min(sessions - authorised, _rng.Poisson(sessions * unauthRate));
                    _h.Events.Add(new SimEvent
                    {
                        Kind = EventKind.AttendanceTerm, Member = p.Member, Date = termStart, End = termEnd,
                        A = school.Urn.ToString(CultureInfo.InvariantCulture),
                        B = string.Create(CultureInfo.InvariantCulture, $"{year}/{(year + 1) % 100:D2}"),
                        C = name, N1 = sessions, N2 = authorised, N3 = unauthorised, Thin = _rng.NextDouble(),
                        ObservedCount = unauthorised,
                    });

                    if (_permanentlyExcluded.ContainsKey(p.Member))
                    {
                        continue;
                    }

                    var sex = p.Sex == 'M' ? 1.6 : 0.7;
                    var phase = secondary ? 2.0 : 0.5;
                    var suspensionRate = 0.008 * Math.Exp((1.6 * z) + effect) * sex * phase;
                    Treatable(suspensionRate, _settings.Programme.EffectExclusions, () => Exclusion(p, termStart, termEnd, school, "SUSP"));
                    var permanentRate = 0.0006 * Math.Exp((2.0 * z) + effect) * sex * (secondary ? 3.0 : 0.3);
                    if (_rng.Chance(permanentRate))
                    {
                        var exclusion = Exclusion(p, termStart, termEnd, school, "PERM");
                        _h.Events.Add(new SimEvent
                        {
                            Kind = exclusion.Kind, Member = exclusion.Member, Date = exclusion.Date, A = exclusion.A, B = exclusion.B,
                            C = exclusion.C, N1 = exclusion.N1, Thin = _rng.NextDouble(),
                        });
                        _permanentlyExcluded[p.Member] = exclusion.Date;
                    }
                }
            }
        }
    }

    private School SchoolFor(SimPerson p, DateOnly date, bool secondary)
    {
        if (_permanentlyExcluded.TryGetValue(p.Member, out var when) && when <= date)
        {
            return _borough.PupilReferralUnit;
        }

        var address = _h.AddressOn(date).Address;
        return secondary ? _borough.SecondaryFor(address) : _borough.PrimaryFor(address);
    }

    private SimEvent Exclusion(SimPerson p, DateOnly termStart, DateOnly termEnd, School school, string category)
    {
        var days = termEnd.DayNumber - termStart.DayNumber;
        return new SimEvent
        {
            Kind = EventKind.Exclusion,
            Member = p.Member,
            Date = termStart.AddDays(_rng.Next(days)),
            A = school.Urn.ToString(CultureInfo.InvariantCulture),
            B = category,
            C = Pick(("DB", 0.35), ("PA", 0.15), ("PP", 0.08), ("VA", 0.1), ("VP", 0.1), ("DA", 0.05), ("DM", 0.04), ("BU", 0.04), ("TH", 0.03), ("OT", 0.06)),
            N1 = category == "PERM" ? 0 : _rng.Next(1, 11),
        };
    }

    private static DateOnly FirstThursdayOfOctober(int year)
    {
        var d = new DateOnly(year, 10, 1);
        while (d.DayOfWeek != DayOfWeek.Thursday)
        {
            d = d.AddDays(1);
        }

        return d;
    }

    /// <summary>Benefit and employment spells for working-age adults: a monthly two-state process driven by worklessness.</summary>
    private void Work()
    {
        var months = _settings.Months;
        foreach (var p in _h.Members)
        {
            string? state = null;
            DateOnly spellStart = default;
            string detail = string.Empty;
            for (var m = 0; m < months; m++)
            {
                var date = Start.AddMonths(m);
                var z = _h.Latent[(int)Need.Worklessness, m];
                var age = p.AgeOn(date);
                var member = p.IsMemberOn(date);
                if (state is not null && (!member || age >= 66))
                {
                    Close(p, state, spellStart, detail, p.To ?? date.AddDays(-1));
                    state = null;
                }

                if (!member || age < 18 || age >= 66)
                {
                    continue;
                }

                if (state is null && (m == 0 || (age == 18 && date.AddMonths(-1) < p.Dob.AddYears(18)) || date.AddMonths(-1) < p.From))
                {
                    var lone = _h.Form == FamilyForm.LoneParent ? 0.7 : 0.0;
                    var onBenefit = _rng.Chance(1.0 / (1.0 + Math.Exp(-(-2.0 + (1.3 * z) + lone))));
                    var before = m == 0 && age > 18;
                    spellStart = before ? Start.AddDays(-_rng.Next(30, age > 24 ? 2500 : 300)) : DayIn(date);
                    if (spellStart < p.Dob.AddYears(18))
                    {
                        spellStart = p.Dob.AddYears(18);
                    }

                    if (onBenefit)
                    {
                        state = "benefit";
                        detail = BenefitType(spellStart, m, lone > 0);
                    }
                    else if (age >= 19 || _rng.Chance(0.5))
                    {
                        state = "work";
                        detail = EmployerRef();
                    }

                    continue;
                }

                if (state == "work" && _rng.Chance(0.008 * Math.Exp(0.9 * z)))
                {
                    var change = DayIn(date);
                    Close(p, state, spellStart, detail, change.AddDays(-1));
                    state = "benefit";
                    spellStart = change;
                    detail = BenefitType(change, m, false);
                }
                else if (state == "benefit" && _rng.Chance(0.04 * Math.Exp(-0.9 * z)))
                {
                    var change = DayIn(date);
                    Close(p, state, spellStart, detail, change.AddDays(-1));
                    state = "work";
                    spellStart = change;
                    detail = EmployerRef();
                }
                else if (state is null && _rng.Chance(0.03))
                {
                    state = "work";
                    spellStart = DayIn(date);
                    detail = EmployerRef();
                }
            }

            if (state is not null)
            {
                Close(p, state, spellStart, detail, null);
            }
        }
    }

    private string BenefitType(DateOnly start, int month, bool loneParent)
    {
        if (start.Year < 2019)
        {
            var health = _h.Latent[(int)Need.Health, month] > 0.8 || _h.Latent[(int)Need.MentalHealth, month] > 0.8;
            return health ? "ESA" : loneParent ? "IS" : _rng.Chance(0.5) ? "JSA" : "UC";
        }

        return Pick(("UC", 0.9), ("ESA", 0.05), ("JSA", 0.05));
    }

    private string EmployerRef()
    {
        var office = _rng.Next(100, 1000);
        var a = (char)('A' + _rng.Next(26));
        var b = (char)('A' + _rng.Next(26));
        return string.Create(CultureInfo.InvariantCulture, $"{office}/{a}{b}{_rng.Next(10000, 100000)}");
    }

    private void Close(SimPerson p, string state, DateOnly start, string detail, DateOnly? end)
    {
        if (end is { } e && e < start)
        {
            return;
        }

        _h.Events.Add(new SimEvent
        {
            Kind = state == "benefit" ? EventKind.BenefitSpell : EventKind.EmploymentSpell,
            Member = p.Member,
            Date = start,
            End = end,
            A = detail,
        });
    }

    /// <summary>Social tenancies (one per address spell in social or temporary housing) and quarterly arrears.</summary>
    private void Housing()
    {
        for (var i = 0; i < _h.Addresses.Count; i++)
        {
            var spell = _h.Addresses[i];
            if (spell.Tenure is not ("social" or "temporary"))
            {
                continue;
            }

            var from = i == 0 ? Start.AddDays(-_rng.Next(100, 5000)) : spell.From;
            DateOnly? to = i + 1 < _h.Addresses.Count ? _h.Addresses[i + 1].From.AddDays(-1) : null;
            var onDate = i == 0 ? Start : spell.From;
            var tenants = _h.MembersOn(onDate)
                .Where(p => p.AgeOn(onDate) >= 18 && p.Role is not ("adult_child" or "child" or "stepchild" or "grandparent"))
                .Take(2)
                .ToList();
            if (tenants.Count == 0)
            {
                continue;
            }

            var group = ++_group;
            var tenure = spell.Tenure == "temporary" ? "Temporary accommodation"
                : i > 0 ? "Introductory" : "Secure";
            var endReason = to is null ? string.Empty : Pick(("Transfer", 0.3), ("Moved out", 0.6), ("Eviction", 0.1));
            for (var t = 0; t < tenants.Count; t++)
            {
                _h.Events.Add(new SimEvent
                {
                    Kind = EventKind.Tenancy, Member = tenants[t].Member, Date = from, End = to, Group = group,
                    A = t == 0 ? "Lead" : "Joint", B = tenure, C = endReason, N1 = i,
                });
            }

            // Quarter-end arrears snapshots while the tenancy runs.
            for (var q = new DateOnly(Start.Year, 3, 31); q <= End; q = QuarterEndAfter(q))
            {
                if (q < onDate || (to is { } end && q > end) || !tenants[0].IsMemberOn(q))
                {
                    continue;
                }

                var m = ((q.Year - Start.Year) * 12) + q.Month - Start.Month;
                var pressure = (0.5 * _h.Latent[(int)Need.Housing, m]) + (0.6 * _h.Latent[(int)Need.Financial, m]) + (0.5 * _rng.Normal());
                if (pressure > 1.0)
                {
                    var pence = (long)Math.Round((5_000 + (40_000 * Math.Exp(pressure - 1.0))) / 50.0) * 50;
                    var stage = pence > 150_000 ? "Court order" : pence > 60_000 ? "Notice of seeking possession" : "None";
                    _h.Events.Add(new SimEvent
                    {
                        Kind = EventKind.Arrears, Member = tenants[0].Member, Date = q, Group = group, A = stage,
                        N1 = (int)Math.Min(int.MaxValue, pence), N2 = i,
                    });
                }
            }
        }
    }

    private static DateOnly QuarterEndAfter(DateOnly q) => q.AddDays(1).AddMonths(3).AddDays(-1);

    private T Pick<T>(params (T Value, double Weight)[] options) => _rng.Pick(options);
}
