using System.Globalization;
using System.Text;

namespace Hearth.Core.Synthetic;

/// <summary>One household's rows for every output file, built off the writing thread.</summary>
public sealed class HouseholdOutput
{
    public HouseholdOutput()
    {
        Rows = new StringBuilder[OutputFiles.All.Count];
        Counts = new int[OutputFiles.All.Count];
        for (var i = 0; i < Rows.Length; i++)
        {
            Rows[i] = new StringBuilder();
        }
    }

    public StringBuilder[] Rows { get; }

    public int[] Counts { get; }

    public int People { get; set; }

    public bool InCohort { get; set; }

    public bool Treated { get; set; }

    public void Add(OutputFile file, IReadOnlyList<string> fields)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(fields);
        Csv.AppendLine(Rows[file.Index], fields);
        Counts[file.Index]++;
    }
}

/// <summary>Minimal CSV output: comma-separated, fields quoted only when they hold a comma, quote or line break; LF line ends.</summary>
public static class Csv
{
    public static void AppendLine(StringBuilder sb, IReadOnlyList<string> fields)
    {
        ArgumentNullException.ThrowIfNull(sb);
        ArgumentNullException.ThrowIfNull(fields);
        for (var i = 0; i < fields.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(',');
            }

            var f = fields[i];
            if (f.AsSpan().IndexOfAny(",\"\n\r") >= 0)
            {
                sb.Append('"').Append(f.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
            }
            else
            {
                sb.Append(f);
            }
        }

        sb.Append('\n');
    }
}

/// <summary>
/// Writes a simulated household as each agency would send it: its own column names, date formats,
/// codes and name layout; the person details as the agency holds them on the event's date (a stale
/// address or former surname while the agency catches up); injected errors; within-agency
/// duplicates; and the truth rows that say who is who and what went wrong.
/// </summary>
public sealed class HouseholdWriter
{
    private readonly GeneratorSettings _settings;
    private readonly Dictionary<string, ErrorInjector> _injectors;

    public HouseholdWriter(GeneratorSettings settings, NameData names)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;
        _injectors = Agencies.All.ToDictionary(a => a, a => new ErrorInjector(settings.Errors, a, names), StringComparer.Ordinal);
    }

    public HouseholdOutput Write(SimHousehold h)
    {
        ArgumentNullException.ThrowIfNull(h);
        var output = new HouseholdOutput { People = h.Members.Count, InCohort = h.InCohort, Treated = h.Treated };
        var context = new RowContext(this, h, output, SyntheticRandom.For(_settings.Seed, h.Index, 4));
        foreach (var e in h.Events.OrderBy(e => e.Date).ThenBy(e => e.Kind).ThenBy(e => e.Member))
        {
            if (e.Observed)
            {
                context.Event(e);
            }
        }

        Truth(h, output);
        return output;
    }

    private void Truth(SimHousehold h, HouseholdOutput output)
    {
        foreach (var p in h.Members)
        {
            var last = p.To ?? _settings.End;
            var surname = p.SurnameOn(last);
            var former = string.Empty;
            var changed = string.Empty;
            for (var i = p.Surnames.Count - 1; i > 0; i--)
            {
                if (p.Surnames[i].From <= last && !string.Equals(p.Surnames[i].Surname, p.Surnames[i - 1].Surname, StringComparison.Ordinal))
                {
                    former = p.Surnames[i - 1].Surname;
                    changed = Iso(p.Surnames[i].From);
                    break;
                }
            }

            output.Add(OutputFiles.TruthPersons,
            [
                p.Id, h.Id, p.Forename, surname, former, changed, p.Sex.ToString(), Iso(p.Dob), p.NhsNumber, p.Nino ?? string.Empty,
                p.Upn ?? string.Empty, Iso(p.From), p.To is { } to ? Iso(to) : string.Empty,
            ]);
            output.Add(OutputFiles.TruthHouseholds, [h.Id, p.Id, p.Role, Iso(p.From), p.To is { } t ? Iso(t) : string.Empty]);
        }

        for (var i = 0; i < h.Addresses.Count; i++)
        {
            var a = h.Addresses[i];
            var to = i + 1 < h.Addresses.Count ? Iso(h.Addresses[i + 1].From.AddDays(-1)) : string.Empty;
            output.Add(OutputFiles.TruthAddresses,
                [h.Id, a.Address.Uprn.ToString(CultureInfo.InvariantCulture), a.Address.Line1, Address.Town, a.Address.Postcode, a.Tenure, Iso(a.From), to]);
        }

        var months = _settings.Months;
        for (var d = 0; d < 12; d++)
        {
            var m = 0;
            while (m < months)
            {
                if (!h.Needs[d, m])
                {
                    m++;
                    continue;
                }

                var first = m;
                while (m < months && h.Needs[d, m])
                {
                    m++;
                }

                var from = _settings.Start.AddMonths(first);
                var to = _settings.Start.AddMonths(m).AddDays(-1);
                output.Add(OutputFiles.TruthNeeds, [h.Id, NeedName((Need)d), Iso(from), Iso(to > _settings.End ? _settings.End : to)]);
            }
        }

        if (h.Treated)
        {
            var needs = ProgrammeSelection.NeedsAt(h, h.RefMonth);
            output.Add(OutputFiles.TruthProgramme,
            [
                h.Id, Iso(h.RefDate), Iso(h.RefDate.AddMonths(_settings.Programme.CaseMonths)),
                needs.Count.ToString(CultureInfo.InvariantCulture), string.Join(';', needs.Select(NeedName)),
            ]);
        }

        if (h.InCohort)
        {
            output.Add(OutputFiles.TruthCohort, ProgrammeSelection.CohortRow(h));
        }
    }

    public static string NeedName(Need need) => need switch
    {
        Need.Education => "education",
        Need.EarlyYears => "early_years",
        Need.Health => "health",
        Need.MentalHealth => "mental_health",
        Need.Substance => "substance",
        Need.FamilyRelationships => "family_relationships",
        Need.Safeguarding => "safeguarding",
        Need.Crime => "crime",
        Need.DomesticAbuse => "domestic_abuse",
        Need.Housing => "housing",
        Need.Financial => "financial",
        Need.Worklessness => "worklessness",
        _ => throw new ArgumentOutOfRangeException(nameof(need)),
    };

    internal static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Per-household state while its rows are written: record sequences and the error stream.</summary>
    private sealed class RowContext
    {
        private readonly HouseholdWriter _owner;
        private readonly SimHousehold _h;
        private readonly HouseholdOutput _out;
        private readonly SyntheticRandom _rng;
        private readonly int[] _sequence = new int[OutputFiles.All.Count + 8];
        private readonly List<string> _errors = [];
        private readonly List<string> _row = new(20);

        public RowContext(HouseholdWriter owner, SimHousehold h, HouseholdOutput output, SyntheticRandom rng)
        {
            _owner = owner;
            _h = h;
            _out = output;
            _rng = rng;
        }

        private DateOnly End => _owner._settings.End;

        public void Event(SimEvent e)
        {
            var p = _h.Members[e.Member];
            switch (e.Kind)
            {
                case EventKind.Census:
                    Emit(OutputFiles.SchoolsCensus, p, e.Date, null, () =>
                        [Iso(e.Date), e.A, e.B, e.N1.ToString(CultureInfo.InvariantCulture)]);
                    break;
                case EventKind.AttendanceTerm:
                    Emit(OutputFiles.SchoolsAttendance, p, e.Date, null, () =>
                    [
                        e.A, e.B, e.C, Iso(e.Date), Iso(e.End!.Value), Num(e.N1), Num(e.N2), Num(e.ObservedCount),
                    ]);
                    break;
                case EventKind.Exclusion:
                    Emit(OutputFiles.SchoolsExclusions, p, e.Date, null, () =>
                        [e.A, e.B, Iso(e.Date), e.B == "PERM" ? string.Empty : Num(e.N1), e.C]);
                    break;
                case EventKind.Offence:
                    Emit(OutputFiles.PoliceOffences, p, e.Date, null, () =>
                        [Police(e.Date), e.A, e.B, e.End is { } d ? Police(d) : string.Empty, e.Proven ? "Y" : "N"]);
                    if (e.C.Length > 0 && e.End is { } outcomeDate)
                    {
                        Emit(OutputFiles.YouthJustice, p, outcomeDate, null, () =>
                            [YouthJustice(e.Date), YouthJustice(outcomeDate), e.C, Num(e.N1)]);
                    }

                    break;
                case EventKind.Asb:
                    Emit(OutputFiles.PoliceAsb, p, e.Date, null, () => [Police(e.Date), e.A, "Perpetrator"]);
                    break;
                case EventKind.DomesticAbuse:
                    Emit(OutputFiles.PoliceDomesticAbuse, p, e.Date, null, () =>
                        [GroupRef("DI", e.Group, 40), Police(e.Date), e.A, e.B, e.C]);
                    break;
                case EventKind.BenefitSpell:
                    if (p.Nino is not null)
                    {
                        Emit(OutputFiles.DwpBenefits, p, Max(e.Date, _owner._settings.Start), null, () =>
                            [e.A, Dwp(e.Date), e.End is { } end ? Dwp(end) : string.Empty]);
                    }

                    break;
                case EventKind.EmploymentSpell:
                    if (p.Nino is not null)
                    {
                        Emit(OutputFiles.DwpEmployment, p, Max(e.Date, _owner._settings.Start), null, () =>
                            [e.A, Dwp(e.Date), e.End is { } end ? Dwp(end) : string.Empty]);
                    }

                    break;
                case EventKind.AeAttendance:
                    Emit(OutputFiles.HealthAe, p, e.Date, null, () =>
                        [Health(e.Date) + string.Create(CultureInfo.InvariantCulture, $" {e.N1:D2}:{e.N2:D2}"), e.A, e.B]);
                    break;
                case EventKind.MentalHealthContact:
                    Emit(OutputFiles.HealthMentalHealth, p, e.Date, null, () => [Health(e.Date), e.A, e.B]);
                    break;
                case EventKind.SubstanceContact:
                    Emit(OutputFiles.HealthSubstance, p, e.Date, null, () => [Health(e.Date), e.A, e.B]);
                    break;
                case EventKind.Tenancy:
                    Emit(OutputFiles.HousingTenancies, p, Max(e.Date, _owner._settings.Start), _h.Addresses[e.N1].Address, () =>
                    [
                        GroupRef("T", e.Group, 41), e.A, e.B, Housing(e.Date), e.End is { } end ? Housing(end) : string.Empty, e.C,
                    ]);
                    break;
                case EventKind.Arrears:
                    Emit(OutputFiles.HousingArrears, p, e.Date, _h.Addresses[e.N2].Address, () =>
                    [
                        GroupRef("T", e.Group, 41), Housing(e.Date),
                        (e.N1 / 100).ToString(CultureInfo.InvariantCulture) + "." + (e.N1 % 100).ToString("D2", CultureInfo.InvariantCulture), e.A,
                    ]);
                    break;
                case EventKind.Homelessness:
                    Emit(OutputFiles.HousingHomelessness, p, e.Date, null, () => [Housing(e.Date), e.A, e.B, Num(e.N1)]);
                    break;
                case EventKind.ChildInNeed:
                    Emit(OutputFiles.SocialCareCin, p, e.Date, null, () =>
                    [
                        SocialCare(e.Date), SocialCare(DateOnly.ParseExact(e.B, "yyyy-MM-dd", CultureInfo.InvariantCulture)),
                        e.End is { } end ? SocialCare(end) : string.Empty, e.A,
                    ]);
                    break;
                case EventKind.ChildProtection:
                    Emit(OutputFiles.SocialCareCp, p, e.Date, null, () =>
                        [SocialCare(e.Date), e.End is { } end ? SocialCare(end) : string.Empty, e.A]);
                    break;
                case EventKind.LookedAfter:
                    Emit(OutputFiles.SocialCareLac, p, e.Date, null, () =>
                        [SocialCare(e.Date), e.End is { } end ? SocialCare(end) : string.Empty, e.A, e.B]);
                    break;
                case EventKind.EarlyHelp:
                    Emit(OutputFiles.EarlyHelp, p, e.Date, null, () =>
                    [
                        GroupRef("EP", e.Group, 42), e.A, EarlyHelp(e.Date), e.B, e.C, e.D, e.End is { } end ? EarlyHelp(end) : string.Empty,
                    ]);
                    break;
                default:
                    throw new InvalidOperationException($"no extract for {e.Kind}");
            }
        }

        private static DateOnly Max(DateOnly a, DateOnly b) => a > b ? a : b;

        private string GroupRef(string prefix, int group, int kind) =>
            prefix + SyntheticIdentifiers.RecordNumber(_h.Index, group, kind).ToString("D11", CultureInfo.InvariantCulture);

        /// <summary>Writes one row (and, at the agency's duplicate rate, a second copy) with its truth record.</summary>
        private void Emit(OutputFile file, SimPerson p, DateOnly when, Address? fixedAddress, Func<string[]> eventFields)
        {
            var fields = eventFields();
            var id = NextRecordId(file);
            WriteRow(file, p, when, fixedAddress, fields, id, duplicate: false, duplicateOf: string.Empty);
            var injector = _owner._injectors[file.Agency];
            if (_rng.Chance(injector.Duplicate))
            {
                WriteRow(file, p, when, fixedAddress, fields, NextRecordId(file), duplicate: true, duplicateOf: id);
            }
        }

        private string NextRecordId(OutputFile file)
        {
            var seq = ++_sequence[file.Index];
            if (seq >= 10_000)
            {
                throw new InvalidOperationException($"household {_h.Id} has more than 9,999 rows in {file.Path}");
            }

            return file.RecordPrefix + SyntheticIdentifiers.RecordNumber(_h.Index, seq, file.Index).ToString("D11", CultureInfo.InvariantCulture);
        }

        private void WriteRow(OutputFile file, SimPerson p, DateOnly when, Address? fixedAddress, string[] eventFields, string recordId, bool duplicate, string duplicateOf)
        {
            _errors.Clear();
            if (duplicate)
            {
                _errors.Add("duplicate");
            }

            var injector = _owner._injectors[file.Agency];
            var surnameAsOf = when.AddDays(-Lag(injector.SurnameLagDays));
            var surname = p.SurnameOn(surnameAsOf < p.Dob ? p.Dob : surnameAsOf);
            if (!string.Equals(surname, p.SurnameOn(when), StringComparison.Ordinal))
            {
                _errors.Add("surname:former");
            }

            var address = fixedAddress;
            if (address is null)
            {
                address = _h.AddressOn(when).Address;
                var known = _h.AddressOn(when.AddDays(-Lag(injector.AddressLagDays))).Address;
                if (known != address)
                {
                    _errors.Add("address:stale");
                    address = known;
                }
            }

            var id = new RecordedIdentity
            {
                Forename = p.Forename,
                Surname = surname,
                Dob = p.Dob,
                Sex = p.Sex,
                Postcode = address.Postcode,
                AddressLine1 = address.Line1,
            };
            switch (file.Agency)
            {
                case Agencies.Schools:
                    (id.Identifier, id.IdentifierName) = (p.Upn, "upn");
                    break;
                case Agencies.Dwp:
                    (id.Identifier, id.IdentifierName) = (p.Nino, "nino");
                    break;
                case Agencies.Health:
                    (id.Identifier, id.IdentifierName) = (p.NhsNumber, "nhs_number");
                    break;
                case Agencies.SocialCare:
                    (id.Identifier, id.IdentifierName) = (p.Upn, "upn");
                    (id.SecondIdentifier, id.SecondIdentifierName) = (p.NhsNumber, "nhs_number");
                    break;
                case Agencies.Housing:
                case Agencies.EarlyHelp:
                    (id.Identifier, id.IdentifierName) = (address.Uprn.ToString(CultureInfo.InvariantCulture), "uprn");
                    break;
                default:
                    break;
            }

            injector.Apply(id, _rng, _errors);
            _row.Clear();
            _row.Add(recordId);
            _row.AddRange(Identity(file, p, id, duplicate));
            _row.AddRange(eventFields);
            _out.Add(file, _row);
            _out.Add(OutputFiles.TruthRecords, [file.FileName, recordId, p.Id, _errors.Count == 0 ? string.Empty : string.Join(';', _errors), duplicateOf]);
        }

        private int Lag(double meanDays) => meanDays <= 0 ? 0 : (int)Math.Min(3650, Math.Round(-meanDays * Math.Log(1 - _rng.NextDouble())));

        private static IEnumerable<string> Identity(OutputFile file, SimPerson p, RecordedIdentity id, bool duplicate)
        {
            var upper = (string s) => s.ToUpperInvariant();
            switch (file.Agency)
            {
                case Agencies.Schools:
                    yield return id.Identifier ?? string.Empty;
                    yield return id.Surname;
                    yield return id.Forename;
                    yield return id.Sex.ToString();
                    yield return Schools(id.Dob);
                    if (file == OutputFiles.SchoolsCensus)
                    {
                        yield return id.AddressLine1;
                        yield return id.Postcode;
                    }

                    break;
                case Agencies.Police:
                    yield return "PN" + SyntheticIdentifiers.PersonReference(p.Slot, duplicate, 1).ToString("D9", CultureInfo.InvariantCulture);
                    yield return upper(id.Surname);
                    yield return upper(id.Forename);
                    yield return Police(id.Dob);
                    yield return id.Sex == 'M' ? "Male" : "Female";
                    yield return id.AddressLine1 + ", " + Address.Town;
                    yield return id.Postcode;
                    break;
                case Agencies.YouthJustice:
                    yield return "Y" + SyntheticIdentifiers.PersonReference(p.Slot, duplicate, 2).ToString("D9", CultureInfo.InvariantCulture);
                    yield return id.Forename;
                    yield return id.Surname;
                    yield return YouthJustice(id.Dob);
                    yield return id.Sex.ToString();
                    yield return id.Postcode;
                    break;
                case Agencies.Dwp:
                    yield return id.Identifier ?? string.Empty;
                    yield return upper(id.Surname);
                    yield return upper(id.Forename);
                    yield return Dwp(id.Dob);
                    yield return id.Sex == 'M' ? "1" : "2";
                    yield return id.Postcode;
                    break;
                case Agencies.Health:
                    yield return id.Identifier ?? string.Empty;
                    yield return upper(id.Surname) + ", " + id.Forename;
                    yield return Health(id.Dob);
                    yield return id.Sex == 'M' ? "1" : "2";
                    yield return id.Postcode;
                    break;
                case Agencies.Housing:
                    yield return id.Identifier ?? string.Empty;
                    yield return id.AddressLine1 + ", " + Address.Town;
                    yield return id.Postcode;
                    yield return id.Forename + " " + id.Surname;
                    yield return Housing(id.Dob);
                    break;
                case Agencies.SocialCare:
                    yield return "C" + SyntheticIdentifiers.PersonReference(p.Slot, duplicate, 3).ToString("D9", CultureInfo.InvariantCulture);
                    yield return id.Forename;
                    yield return id.Surname;
                    yield return SocialCare(id.Dob);
                    yield return id.Sex == 'M' ? "1" : "2";
                    yield return id.Identifier ?? string.Empty;
                    yield return id.SecondIdentifier ?? string.Empty;
                    yield return id.Postcode;
                    break;
                case Agencies.EarlyHelp:
                    yield return id.Forename + " " + id.Surname;
                    yield return EarlyHelp(id.Dob);
                    yield return id.Sex == 'M' ? "Male" : "Female";
                    yield return id.AddressLine1;
                    yield return id.Postcode;
                    yield return id.Identifier ?? string.Empty;
                    break;
                default:
                    throw new InvalidOperationException($"unknown agency {file.Agency}");
            }
        }

        private static string Num(int n) => n.ToString(CultureInfo.InvariantCulture);

        private static string Schools(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        private static string Police(DateOnly d) => d.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);

        private static string YouthJustice(DateOnly d) => d.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture);

        private static string Dwp(DateOnly d) => d.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

        private static string Health(DateOnly d) => d.ToString("dd-MMM-yyyy", CultureInfo.InvariantCulture);

        private static string Housing(DateOnly d) => d.ToString("dd-MM-yyyy", CultureInfo.InvariantCulture);

        private static string SocialCare(DateOnly d) => d.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);

        private static string EarlyHelp(DateOnly d) => d.ToString("d/M/yyyy", CultureInfo.InvariantCulture);
    }
}
