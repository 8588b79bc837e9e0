using System.Globalization;
using Hearth.Core.Identifiers;
using Hearth.Core.Synthetic;

namespace Hearth.Core.Tests.Synthetic;

/// <summary>Invariants of a generated borough: identities, identifiers, ages, error rates, programme truth.</summary>
public sealed class BoroughGeneratorTests : IClassFixture<GeneratedBorough>
{
    private readonly GeneratedBorough _borough;

    public BoroughGeneratorTests(GeneratedBorough borough) => _borough = borough;

    /// <summary>How each extract names its person columns and writes dates.</summary>
    private static readonly Dictionary<string, (string Forename, string Surname, string Dob, string Format)> Layouts = new(StringComparer.Ordinal)
    {
        [Agencies.Schools] = ("Forename", "Surname", "DOB", "yyyy-MM-dd"),
        [Agencies.Police] = ("FIRST_NAME", "LAST_NAME", "DOB", "dd/MM/yyyy"),
        [Agencies.YouthJustice] = ("GivenName", "FamilyName", "DateOfBirth", "dd.MM.yyyy"),
        [Agencies.Dwp] = ("FORENAMES", "SURNAME", "DOB", "yyyyMMdd"),
        [Agencies.Health] = ("PATIENT_NAME", "PATIENT_NAME", "DATE_OF_BIRTH", "dd-MMM-yyyy"),
        [Agencies.Housing] = ("*Name", "*Name", "*DOB", "dd-MM-yyyy"),
        [Agencies.SocialCare] = ("PersonGivenName", "PersonFamilyName", "PersonBirthDate", "dd/MM/yyyy"),
        [Agencies.EarlyHelp] = ("ClientName", "ClientName", "DOB", "d/M/yyyy"),
    };

    private static readonly string[] PostcodeColumns = ["Postcode", "POSTCODE"];

    private static IEnumerable<OutputFile> Extracts => OutputFiles.All.Where(f => f.IsExtract);

    private Dictionary<string, Dictionary<string, string>> Persons() =>
        _borough.Rows(OutputFiles.TruthPersons).ToDictionary(p => p["person_id"], StringComparer.Ordinal);

    [Fact]
    public void Generate_EveryFile_HasItsHeaderAndRowsOfTheSameWidth()
    {
        foreach (var file in OutputFiles.All)
        {
            var rows = _borough.Files[file.Path];
            Assert.Equal(file.Columns, rows[0]);
            Assert.All(rows, r => Assert.Equal(file.Columns.Count, r.Length));
            Assert.Equal(rows.Count - 1, _borough.Result.RowCounts[file.Path]);
        }
    }

    [Fact]
    public void Generate_EveryExtractRow_MapsToOneTruePerson()
    {
        var records = _borough.Records();
        var persons = Persons();
        var extractRows = 0;
        foreach (var file in Extracts)
        {
            var name = Path.GetFileName(file.Path);
            foreach (var row in _borough.Files[file.Path].Skip(1))
            {
                extractRows++;
                Assert.True(records.TryGetValue((name, row[0]), out var record), $"{name} {row[0]} has no truth record");
                Assert.True(persons.ContainsKey(record["person_id"]));
            }
        }

        Assert.Equal(extractRows, records.Count);
        Assert.True(extractRows > 50_000, $"only {extractRows} extract rows from 4,000 households");
    }

    [Fact]
    public void Generate_TruthIdentifiers_AreAllValidAndUnique()
    {
        var persons = _borough.Rows(OutputFiles.TruthPersons).ToList();
        Assert.Equal(_borough.Result.People, persons.Count);
        Assert.All(persons, p => Assert.True(NhsNumber.IsValid(p["nhs_number"])));
        Assert.All(persons.Where(p => p["nino"].Length > 0), p => Assert.True(NationalInsuranceNumber.IsValid(p["nino"])));
        Assert.All(persons.Where(p => p["upn"].Length > 0), p => Assert.True(UniquePupilNumber.IsValid(p["upn"])));
        Assert.Equal(persons.Count, persons.Select(p => p["nhs_number"]).Distinct(StringComparer.Ordinal).Count());
        var upns = persons.Where(p => p["upn"].Length > 0).Select(p => p["upn"]).ToList();
        Assert.Equal(upns.Count, upns.Distinct(StringComparer.Ordinal).Count());
        var ninos = persons.Where(p => p["nino"].Length > 0).Select(p => p["nino"]).ToList();
        Assert.Equal(ninos.Count, ninos.Distinct(StringComparer.Ordinal).Count());

        var addresses = _borough.Rows(OutputFiles.TruthAddresses).ToList();
        Assert.All(addresses, a => Assert.True(Postcode.IsValid(a["postcode"]), a["postcode"]));
        Assert.All(addresses, a => Assert.True(Uprn.IsValid(a["uprn"])));
        Assert.Equal(addresses.Count, addresses.Select(a => a["uprn"]).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(addresses.Count, addresses.Select(a => a["address_line1"]).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Generate_ExtractIdentifiers_AreValidAndTrueUnlessAnErrorIsRecorded()
    {
        var records = _borough.Records();
        var persons = Persons();
        var uprnsByFamily = _borough.Rows(OutputFiles.TruthAddresses)
            .GroupBy(a => a["family_id"], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(a => a["uprn"]).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);
        var checkedValues = 0;
        foreach (var file in Extracts)
        {
            var name = Path.GetFileName(file.Path);
            foreach (var row in _borough.Rows(file))
            {
                var record = records[(name, row[file.Columns[0]])];
                var errors = record["errors"].Split(';');
                var person = persons[record["person_id"]];
                foreach (var (column, field, truth, check) in IdentifierColumns(file, person))
                {
                    var value = row[column];
                    if (value.Length == 0)
                    {
                        Assert.True(truth.Length == 0 || errors.Contains(field + ":missing"), $"{name} {column} blank without a recorded error");
                    }
                    else if (!errors.Contains(field + ":wrong"))
                    {
                        Assert.True(check(value), $"{name} {column} invalid without a recorded error");
                        if (field == "uprn")
                        {
                            Assert.Contains(value, uprnsByFamily[person["family_id"]]);
                        }
                        else
                        {
                            Assert.Equal(truth, value);
                        }

                        checkedValues++;
                    }
                }

                foreach (var column in PostcodeColumns.Where(row.ContainsKey))
                {
                    Assert.True(row[column].Length > 0 ? Postcode.IsValid(row[column]) : errors.Contains("postcode:missing"));
                }
            }
        }

        Assert.True(checkedValues > 40_000);
    }

    [Fact]
    public void Generate_ExtractPostcodes_AreAlwaysOneOfTheFamilysAddresses()
    {
        var records = _borough.Records();
        var persons = Persons();
        var postcodes = _borough.Rows(OutputFiles.TruthAddresses)
            .GroupBy(a => a["family_id"], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(a => a["postcode"]).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);
        var stale = 0;
        foreach (var file in Extracts)
        {
            var name = Path.GetFileName(file.Path);
            foreach (var row in _borough.Rows(file))
            {
                var record = records[(name, row[file.Columns[0]])];
                stale += record["errors"].Contains("address:stale", StringComparison.Ordinal) ? 1 : 0;
                foreach (var column in PostcodeColumns.Where(row.ContainsKey).Where(c => row[c].Length > 0))
                {
                    Assert.Contains(row[column], postcodes[persons[record["person_id"]]["family_id"]]);
                }
            }
        }

        // Households move (about 0.6% a month) and agencies learn of it late, so some rows are stale.
        Assert.True(stale > 100, $"only {stale} rows with a stale address");
    }

    private static IEnumerable<(string Column, string Field, string Truth, Func<string, bool> Check)> IdentifierColumns(OutputFile file, Dictionary<string, string> person)
    {
        switch (file.Agency)
        {
            case Agencies.Schools:
                yield return ("UPN", "upn", person["upn"], UniquePupilNumber.IsValid);
                break;
            case Agencies.Dwp:
                yield return ("NINO", "nino", person["nino"], NationalInsuranceNumber.IsValid);
                break;
            case Agencies.Health:
                yield return ("NHS_NUMBER", "nhs_number", person["nhs_number"], NhsNumber.IsValid);
                break;
            case Agencies.SocialCare:
                yield return ("UPN", "upn", person["upn"], UniquePupilNumber.IsValid);
                yield return ("NHSNumber", "nhs_number", person["nhs_number"], NhsNumber.IsValid);
                break;
            case Agencies.Housing:
            case Agencies.EarlyHelp:
                yield return ("UPRN", "uprn", "uprn", Uprn.IsValid);
                break;
            default:
                break;
        }
    }

    [Fact]
    public void Generate_NamesAndDatesOfBirth_AreTrueUnlessAnErrorIsRecorded()
    {
        var records = _borough.Records();
        var persons = Persons();
        var compared = 0;
        foreach (var file in Extracts)
        {
            var name = Path.GetFileName(file.Path);
            var layout = Layouts[file.Agency];
            foreach (var row in _borough.Rows(file))
            {
                var record = records[(name, row[file.Columns[0]])];
                var errors = record["errors"];
                var person = persons[record["person_id"]];
                var (forename, surname, dobText) = Read(file, layout, row);
                if (!errors.Contains("dob:", StringComparison.Ordinal))
                {
                    var dob = DateOnly.ParseExact(dobText, layout.Format, CultureInfo.InvariantCulture);
                    Assert.Equal(person["dob"], dob.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                }

                if (errors.Contains("names:swapped", StringComparison.Ordinal))
                {
                    continue;
                }

                if (!errors.Contains("forename:", StringComparison.Ordinal))
                {
                    Assert.Equal(person["forename"], forename, ignoreCase: true);
                    compared++;
                }

                // One-column names ("Forename Surname") split at the first space, which is ambiguous when
                // a recorded first-name variant has a space in it.
                var oneColumn = file.Agency is Agencies.Housing or Agencies.EarlyHelp;
                if (!errors.Contains("surname:", StringComparison.Ordinal) && person["former_surname"].Length == 0
                    && !(oneColumn && errors.Contains("forename:", StringComparison.Ordinal)))
                {
                    Assert.Equal(person["surname"], surname, ignoreCase: true);
                }
            }
        }

        Assert.True(compared > 40_000);
    }

    private static (string Forename, string Surname, string Dob) Read(OutputFile file, (string Forename, string Surname, string Dob, string Format) layout, Dictionary<string, string> row)
    {
        switch (file.Agency)
        {
            case Agencies.Health:
                {
                    var parts = row["PATIENT_NAME"].Split(", ", 2);
                    return (parts[1], parts[0], row[layout.Dob]);
                }

            case Agencies.Housing:
                {
                    var nameColumn = row.ContainsKey("TenantName") ? "TenantName" : "ApplicantName";
                    var dobColumn = row.ContainsKey("TenantDOB") ? "TenantDOB" : "ApplicantDOB";
                    var parts = row[nameColumn].Split(' ', 2);
                    return (parts[0], parts[1], row[dobColumn]);
                }

            case Agencies.EarlyHelp:
                {
                    var parts = row["ClientName"].Split(' ', 2);
                    return (parts[0], parts[1], row[layout.Dob]);
                }

            default:
                return (row[layout.Forename], row[layout.Surname], row[layout.Dob]);
        }
    }

    [Fact]
    public void Generate_SchoolCensus_OnlyHoldsSchoolAgeChildrenInTheRightYearGroup()
    {
        var persons = Persons();
        var records = _borough.Records();
        var rows = _borough.Rows(OutputFiles.SchoolsCensus).ToList();
        Assert.NotEmpty(rows);
        foreach (var row in rows)
        {
            var person = persons[records[("schools_census.csv", row["RecordID"])]["person_id"]];
            var dob = DateOnly.ParseExact(person["dob"], "yyyy-MM-dd", CultureInfo.InvariantCulture);
            var census = DateOnly.ParseExact(row["CensusDate"], "yyyy-MM-dd", CultureInfo.InvariantCulture);
            var yearGroup = int.Parse(row["NCYearActual"], CultureInfo.InvariantCulture);
            // Reception (0) is the year starting in the September after the fourth birthday: a child born
            // 1 September 2015 to 31 August 2016 starts Reception in September 2020.
            var birthAcademicYear = dob.Month >= 9 ? dob.Year : dob.Year - 1;
            Assert.Equal(census.Year - birthAcademicYear - 5, yearGroup);
            Assert.InRange(yearGroup, 0, 11);
            var age = census.Year - dob.Year - (census < dob.AddYears(census.Year - dob.Year) ? 1 : 0);
            Assert.InRange(age, 4, 16);
        }
    }

    [Fact]
    public void Generate_ParentsAndChildren_AreAtLeastFourteenYearsApart()
    {
        var persons = Persons();
        string[] parentRoles = ["parent", "partner", "step_parent", "new_partner"];
        string[] childRoles = ["child", "stepchild", "adult_child"];
        var pairs = 0;
        foreach (var family in _borough.Rows(OutputFiles.TruthHouseholds).GroupBy(m => m["family_id"], StringComparer.Ordinal))
        {
            var parents = family.Where(m => parentRoles.Contains(m["role"])).Select(m => persons[m["person_id"]]).ToList();
            foreach (var child in family.Where(m => childRoles.Contains(m["role"])).Select(m => persons[m["person_id"]]))
            {
                var childDob = DateOnly.ParseExact(child["dob"], "yyyy-MM-dd", CultureInfo.InvariantCulture);
                foreach (var parent in parents)
                {
                    var parentDob = DateOnly.ParseExact(parent["dob"], "yyyy-MM-dd", CultureInfo.InvariantCulture);
                    Assert.True(parentDob.AddYears(14) <= childDob, $"{family.Key}: parent born {parentDob} and child born {childDob}");
                    pairs++;
                }
            }
        }

        Assert.True(pairs > 2000);
    }

    [Fact]
    public void Generate_AgencyAges_FitTheAgency()
    {
        var persons = Persons();
        var records = _borough.Records();
        DateOnly Dob(string file, string id) => DateOnly.ParseExact(persons[records[(file, id)]["person_id"]]["dob"], "yyyy-MM-dd", CultureInfo.InvariantCulture);
        foreach (var row in _borough.Rows(OutputFiles.YouthJustice))
        {
            var offence = DateOnly.ParseExact(row["OffenceDate"], "dd.MM.yyyy", CultureInfo.InvariantCulture);
            var dob = Dob("youth_justice.csv", row["CaseRef"]);
            Assert.True(dob.AddYears(10) <= offence && offence < dob.AddYears(18));
        }

        foreach (var row in _borough.Rows(OutputFiles.DwpBenefits))
        {
            var start = DateOnly.ParseExact(row["START_DATE"], "yyyyMMdd", CultureInfo.InvariantCulture);
            Assert.True(Dob("dwp_benefits.csv", row["SPELL_ID"]).AddYears(18) <= start);
        }

        foreach (var row in _borough.Rows(OutputFiles.SocialCareCin))
        {
            var referral = DateOnly.ParseExact(row["ReferralDate"], "dd/MM/yyyy", CultureInfo.InvariantCulture);
            Assert.True(referral < Dob("social_care_cin.csv", row["CINRecordID"]).AddYears(18));
        }
    }

    [Theory]
    [InlineData("police", "forename:typo", 0.02 * 1.5)]
    [InlineData("police", "surname:typo", 0.02 * 1.5)]
    [InlineData("police", "postcode:missing", 0.02 * 1.5)]
    [InlineData("health", "nhs_number:missing", 0.04 * 0.8)]
    [InlineData("health", "nhs_number:wrong", 0.01 * 0.8 * (1 - (0.04 * 0.8)))]
    [InlineData("schools", "upn:missing", 0.04 * 0.5)]
    [InlineData("early_help", "names:swapped", 0.005 * 1.4)]
    [InlineData("dwp", "nino:missing", 0.04 * 0.6)]
    public void Generate_ObservedErrorRates_MatchTheConfiguredRates(string agency, string error, double expected)
    {
        // Rates per row, counting every row of the agency's extracts (duplicates included).
        var rows = RecordsOf(agency).ToList();
        var observed = rows.Count(r => r["errors"].Split(';').Contains(error));
        AssertRate(expected, observed, rows.Count);
    }

    [Theory]
    [InlineData("police", 0.01 * 1.5)]
    [InlineData("health", 0.01 * 0.8)]
    [InlineData("schools", 0.01 * 0.5)]
    public void Generate_ObservedDuplicateRate_MatchesTheConfiguredRate(string agency, double expected)
    {
        var rows = RecordsOf(agency).ToList();
        var originals = rows.Count(r => r["duplicate_of"].Length == 0);
        var duplicates = rows.Count(r => r["duplicate_of"].Length > 0);
        Assert.All(rows.Where(r => r["duplicate_of"].Length > 0), r => Assert.Contains("duplicate", r["errors"].Split(';')));
        AssertRate(expected, duplicates, originals);
    }

    [Fact]
    public void Generate_PoliceDuplicates_CarryASecondPersonReferenceForTheSamePerson()
    {
        var rows = _borough.Rows(OutputFiles.PoliceAsb).ToDictionary(r => r["INCIDENT_REF"], StringComparer.Ordinal);
        var duplicates = _borough.Rows(OutputFiles.TruthRecords)
            .Where(r => r["extract"] == "police_asb.csv" && r["duplicate_of"].Length > 0)
            .ToList();
        Assert.NotEmpty(duplicates);
        var records = _borough.Records();
        foreach (var d in duplicates)
        {
            var copy = rows[d["record_id"]];
            var original = rows[d["duplicate_of"]];
            Assert.NotEqual(original["PERSON_URN"], copy["PERSON_URN"]);
            Assert.Equal(original["INCIDENT_DATE"], copy["INCIDENT_DATE"]);
            Assert.Equal(records[("police_asb.csv", d["duplicate_of"])]["person_id"], d["person_id"]);
        }
    }

    [Theory]
    [InlineData("police", 0.01 * 1.5)]
    [InlineData("health", 0.01 * 0.8)]
    public void Generate_DayMonthSwapRate_MatchesTheConfiguredRateAmongEligibleDates(string agency, double expected)
    {
        var persons = Persons();
        var eligible = RecordsOf(agency).Where(r =>
        {
            var dob = DateOnly.ParseExact(persons[r["person_id"]]["dob"], "yyyy-MM-dd", CultureInfo.InvariantCulture);
            return dob.Day <= 12 && dob.Day != dob.Month;
        }).ToList();
        var swapped = eligible.Count(r => r["errors"].Split(';').Contains("dob:day_month_swap"));
        AssertRate(expected, swapped, eligible.Count);
    }

    private IEnumerable<Dictionary<string, string>> RecordsOf(string agency)
    {
        var files = Extracts.Where(f => f.Agency == agency).Select(f => Path.GetFileName(f.Path)).ToHashSet(StringComparer.Ordinal);
        return _borough.Rows(OutputFiles.TruthRecords).Where(r => files.Contains(r["extract"]));
    }

    /// <summary>Within four binomial standard deviations plus 10% (some draws change nothing and are not errors).</summary>
    private static void AssertRate(double expected, int observed, int n)
    {
        Assert.True(n > 1000, $"only {n} rows");
        var mean = expected * n;
        var sd = Math.Sqrt(n * expected * (1 - expected));
        Assert.True(Math.Abs(observed - mean) <= (4 * sd) + (0.1 * mean), $"observed {observed} of {n}, expected about {mean:F0}");
    }

    [Fact]
    public void Generate_Cohort_IsConsistentWithTheProgrammeFile()
    {
        var programme = _borough.Rows(OutputFiles.TruthProgramme).ToDictionary(r => r["family_id"], StringComparer.Ordinal);
        var cohort = _borough.Rows(OutputFiles.TruthCohort).ToList();
        var start = _borough.Settings.Start;
        var end = _borough.Settings.End;
        Assert.Equal(programme.Count, cohort.Count(c => c["treated"] == "1"));
        Assert.True(programme.Count >= 50, $"only {programme.Count} families attached");
        Assert.True(cohort.Count > 3 * programme.Count, "too few comparison families");
        foreach (var c in cohort)
        {
            var refDate = DateOnly.ParseExact(c["ref_date"], "yyyy-MM-dd", CultureInfo.InvariantCulture);
            Assert.True(refDate >= start.AddMonths(12) && refDate.AddMonths(12) <= end.AddDays(1));
            Assert.True(int.Parse(c["need_count"], CultureInfo.InvariantCulture) >= 1);
            string[] flags = ["need_education", "need_crime", "need_domestic_abuse", "need_health", "need_mental_health", "need_substance", "need_housing", "need_financial", "need_worklessness", "need_safeguarding"];
            Assert.True(flags.Sum(f => int.Parse(c[f], CultureInfo.InvariantCulture)) <= int.Parse(c["need_count"], CultureInfo.InvariantCulture));
            foreach (var rate in new[] { c["pre_unauth_absence_rate"], c["post_unauth_absence_rate"] })
            {
                Assert.Matches("^[01]\\.[0-9]{3}$", rate);
            }

            if (c["treated"] == "1")
            {
                Assert.Equal(programme[c["family_id"]]["attach_date"], c["attach_date"]);
                Assert.Equal(c["attach_date"], c["ref_date"]);
            }
            else
            {
                Assert.Equal(string.Empty, c["attach_date"]);
                Assert.Equal(c["post_offences_12m"], c["post_offences_12m_untreated"]);
                Assert.False(programme.ContainsKey(c["family_id"]));
            }
        }
    }

    [Fact]
    public void Generate_TrueEffect_ShowsAmongTreatedFamilies()
    {
        var treated = _borough.Rows(OutputFiles.TruthCohort).Where(c => c["treated"] == "1").ToList();
        double Sum(string column) => treated.Sum(c => double.Parse(c[column], CultureInfo.InvariantCulture));
        var observed = Sum("post_offences_12m");
        var untreated = Sum("post_offences_12m_untreated");
        Assert.True(untreated >= 25, $"too few offences ({untreated}) to see the effect");
        // Configured effect −20%: observed / untreated should be about 0.8. Each untreated offence survives
        // with probability 0.8, so with ~35 offences the ratio's standard deviation is about 0.07
        // (√(0.8 × 0.2 / 35)); the range is loose on purpose. ProgrammeEffectTests measures it precisely.
        Assert.InRange(observed / untreated, 0.6, 0.98);
        Assert.All(treated, c => Assert.True(
            int.Parse(c["post_offences_12m"], CultureInfo.InvariantCulture) <= int.Parse(c["post_offences_12m_untreated"], CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Generate_Manifest_ListsEveryFileWithItsRowCountAndSettings()
    {
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(_borough.Directory, "manifest.json")));
        var root = doc.RootElement;
        Assert.Equal(7, root.GetProperty("seed").GetInt64());
        Assert.Equal(GeneratorSettings.GeneratorVersion, root.GetProperty("version").GetString());
        Assert.Equal(-0.2, root.GetProperty("programme").GetProperty("effect_offences").GetDouble());
        Assert.Equal(0.02, root.GetProperty("errors").GetProperty("typo").GetDouble());
        var files = root.GetProperty("files").EnumerateArray().ToDictionary(f => f.GetProperty("path").GetString()!, f => f.GetProperty("rows").GetInt64(), StringComparer.Ordinal);
        Assert.Equal(OutputFiles.All.Count, files.Count);
        foreach (var file in OutputFiles.All)
        {
            Assert.Equal(_borough.Files[file.Path].Count - 1, files[file.Path]);
        }
    }
}
