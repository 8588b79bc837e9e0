namespace Hearth.Core.Synthetic;

/// <summary>
/// The files the generator writes. Extract headers are part of the contract with the intake mappings:
/// change them only with docs/synthetic-borough.md and the generator version.
/// </summary>
public sealed record OutputFile(int Index, string Path, string Agency, string RecordPrefix, IReadOnlyList<string> Columns)
{
    public bool IsExtract => Path.StartsWith("extracts/", StringComparison.Ordinal);

    /// <summary>The file's name without its folder, as truth/records.csv names extracts.</summary>
    public string FileName { get; } = Path[(Path.LastIndexOf('/') + 1)..];
}

/// <summary>The catalogue of extract and truth files, in manifest order.</summary>
public static class OutputFiles
{
    private static readonly string[] SchoolPupil = ["UPN", "Surname", "Forename", "Gender", "DOB"];
    private static readonly string[] Police = ["PERSON_URN", "LAST_NAME", "FIRST_NAME", "DOB", "SEX", "ADDRESS", "POSTCODE"];
    private static readonly string[] Dwp = ["NINO", "SURNAME", "FORENAMES", "DOB", "SEX", "POSTCODE"];
    private static readonly string[] Health = ["NHS_NUMBER", "PATIENT_NAME", "DATE_OF_BIRTH", "GENDER", "POSTCODE"];
    private static readonly string[] SocialCare = ["PersonID", "PersonGivenName", "PersonFamilyName", "PersonBirthDate", "GenderCurrent", "UPN", "NHSNumber", "Postcode"];

    public static readonly OutputFile SchoolsCensus = new(0, "extracts/schools_census.csv", Agencies.Schools, "SC",
        ["RecordID", .. SchoolPupil, "AddressLine1", "Postcode", "CensusDate", "SchoolURN", "SchoolName", "NCYearActual"]);

    public static readonly OutputFile SchoolsAttendance = new(1, "extracts/schools_attendance.csv", Agencies.Schools, "SA",
        ["RecordID", .. SchoolPupil, "SchoolURN", "AcademicYear", "Term", "TermStart", "TermEnd", "SessionsPossible", "SessionsAuthorisedAbsence", "SessionsUnauthorisedAbsence"]);

    public static readonly OutputFile SchoolsExclusions = new(2, "extracts/schools_exclusions.csv", Agencies.Schools, "SX",
        ["RecordID", .. SchoolPupil, "SchoolURN", "Category", "StartDate", "Sessions", "Reason"]);

    public static readonly OutputFile PoliceOffences = new(3, "extracts/police_offences.csv", Agencies.Police, "CR",
        ["CRIME_REF", .. Police, "OFFENCE_DATE", "OFFENCE_GROUP", "OUTCOME", "OUTCOME_DATE", "PROVEN"]);

    public static readonly OutputFile PoliceAsb = new(4, "extracts/police_asb.csv", Agencies.Police, "AS",
        ["INCIDENT_REF", .. Police, "INCIDENT_DATE", "ASB_TYPE", "ROLE"]);

    public static readonly OutputFile PoliceDomesticAbuse = new(5, "extracts/police_domestic_abuse.csv", Agencies.Police, "DA",
        ["RECORD_REF", .. Police, "INCIDENT_REF", "INCIDENT_DATE", "ROLE", "DASH_RISK", "CRIME_RECORDED"]);

    public static readonly OutputFile YouthJustice = new(6, "extracts/youth_justice.csv", Agencies.YouthJustice, "YJ",
        ["CaseRef", "ChildID", "GivenName", "FamilyName", "DateOfBirth", "Sex", "Postcode", "OffenceDate", "OutcomeDate", "Outcome", "GravityScore"]);

    public static readonly OutputFile DwpBenefits = new(7, "extracts/dwp_benefits.csv", Agencies.Dwp, "BS",
        ["SPELL_ID", .. Dwp, "BENEFIT", "START_DATE", "END_DATE"]);

    public static readonly OutputFile DwpEmployment = new(8, "extracts/dwp_employment.csv", Agencies.Dwp, "ES",
        ["SPELL_ID", .. Dwp, "EMPLOYER_PAYE_REF", "START_DATE", "END_DATE"]);

    public static readonly OutputFile HealthAe = new(9, "extracts/health_ae.csv", Agencies.Health, "AE",
        ["ATTENDANCE_ID", .. Health, "ARRIVAL_DATE", "DIAGNOSIS_GROUP", "DISPOSAL"]);

    public static readonly OutputFile HealthMentalHealth = new(10, "extracts/health_mental_health.csv", Agencies.Health, "MH",
        ["CONTACT_ID", .. Health, "CONTACT_DATE", "SERVICE", "CONTACT_TYPE"]);

    public static readonly OutputFile HealthSubstance = new(11, "extracts/health_substance_misuse.csv", Agencies.Health, "SM",
        ["CONTACT_ID", .. Health, "CONTACT_DATE", "SUBSTANCE", "CONTACT_TYPE"]);

    public static readonly OutputFile HousingTenancies = new(12, "extracts/housing_tenancies.csv", Agencies.Housing, "TN",
        ["RecordRef", "UPRN", "Address", "Postcode", "TenantName", "TenantDOB", "TenancyRef", "TenantRole", "TenureType", "StartDate", "EndDate", "EndReason"]);

    public static readonly OutputFile HousingArrears = new(13, "extracts/housing_arrears.csv", Agencies.Housing, "RA",
        ["RecordRef", "UPRN", "Address", "Postcode", "TenantName", "TenantDOB", "TenancyRef", "BalanceDate", "ArrearsBalance", "RecoveryStage"]);

    public static readonly OutputFile HousingHomelessness = new(14, "extracts/housing_homelessness.csv", Agencies.Housing, "HL",
        ["CaseRef", "UPRN", "Address", "Postcode", "ApplicantName", "ApplicantDOB", "ApplicationDate", "Reason", "Decision", "HouseholdSize"]);

    public static readonly OutputFile SocialCareCin = new(15, "extracts/social_care_cin.csv", Agencies.SocialCare, "CN",
        ["CINRecordID", .. SocialCare, "ReferralDate", "CINStartDate", "CINClosureDate", "PrimaryNeedCode"]);

    public static readonly OutputFile SocialCareCp = new(16, "extracts/social_care_cp.csv", Agencies.SocialCare, "CP",
        ["CPPRecordID", .. SocialCare, "CPPStartDate", "CPPEndDate", "InitialCategoryOfAbuse"]);

    public static readonly OutputFile SocialCareLac = new(17, "extracts/social_care_lac.csv", Agencies.SocialCare, "LA",
        ["EpisodeID", .. SocialCare, "DECOM", "DEC", "LegalStatus", "PlacementType"]);

    public static readonly OutputFile EarlyHelp = new(18, "extracts/early_help.csv", Agencies.EarlyHelp, "EH",
        ["RecordID", "ClientName", "DOB", "Gender", "Address", "Postcode", "UPRN", "EpisodeRef", "FamilyRole", "ReferralDate", "ReferralSource", "PresentingNeed", "Outcome", "ClosedDate"]);

    public static readonly OutputFile TruthPersons = new(19, "truth/persons.csv", "truth", string.Empty,
        ["person_id", "family_id", "forename", "surname", "former_surname", "surname_change_date", "sex", "dob", "nhs_number", "nino", "upn", "joined", "left"]);

    public static readonly OutputFile TruthHouseholds = new(20, "truth/households.csv", "truth", string.Empty,
        ["family_id", "person_id", "role", "from", "to"]);

    public static readonly OutputFile TruthAddresses = new(21, "truth/addresses.csv", "truth", string.Empty,
        ["family_id", "uprn", "address_line1", "town", "postcode", "tenure", "from", "to"]);

    public static readonly OutputFile TruthNeeds = new(22, "truth/needs.csv", "truth", string.Empty,
        ["family_id", "need", "from", "to"]);

    public static readonly OutputFile TruthRecords = new(23, "truth/records.csv", "truth", string.Empty,
        ["extract", "record_id", "person_id", "errors", "duplicate_of"]);

    public static readonly OutputFile TruthProgramme = new(24, "truth/programme.csv", "truth", string.Empty,
        ["family_id", "attach_date", "case_close_date", "need_count", "needs"]);

    public static readonly OutputFile TruthCohort = new(25, "truth/programme_cohort.csv", "truth", string.Empty,
        ["family_id", "treated", "attach_date", "ref_date", "n_members", "n_children", "lone_parent", "any_adult_workless",
         "need_count", "need_education", "need_crime", "need_domestic_abuse", "need_health", "need_mental_health", "need_substance",
         "need_housing", "need_financial", "need_worklessness", "need_safeguarding",
         "pre_offences_12m", "pre_asb_12m", "pre_unauth_absence_rate", "pre_exclusions_12m", "pre_ae_12m",
         "post_offences_12m", "post_asb_12m", "post_unauth_absence_rate", "post_exclusions_12m", "post_offences_12m_untreated"]);

    public static readonly IReadOnlyList<OutputFile> All =
    [
        SchoolsCensus, SchoolsAttendance, SchoolsExclusions, PoliceOffences, PoliceAsb, PoliceDomesticAbuse, YouthJustice,
        DwpBenefits, DwpEmployment, HealthAe, HealthMentalHealth, HealthSubstance, HousingTenancies, HousingArrears,
        HousingHomelessness, SocialCareCin, SocialCareCp, SocialCareLac, EarlyHelp,
        TruthPersons, TruthHouseholds, TruthAddresses, TruthNeeds, TruthRecords, TruthProgramme, TruthCohort,
    ];
}
