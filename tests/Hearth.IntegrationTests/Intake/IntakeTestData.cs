using System.Text;
using Hearth.Core.Intake;

namespace Hearth.IntegrationTests.Intake;

/// <summary>Mappings and files the intake scenarios import. All people are invented.</summary>
internal static class IntakeTestData
{
    public const string AsbMappingYaml = """
        agency: police
        agency_name: Northbridge Police
        kind: asb-incidents
        event_type: asb_incident
        columns:
          - source: PERSON_URN
            field: record_id
            type: string
          - source: LAST_NAME
            field: family_name
            type: string
          - source: FIRST_NAME
            field: given_name
            type: string
          - source: DOB
            field: date_of_birth
            type: date
            formats: [dd/MM/yyyy, yyyy-MM-dd, d-MMM-yyyy]
          - source: SEX
            field: sex
            type: code
            codes: { Male: male, Female: female }
          - source: ADDRESS
            field: address
            type: string
          - source: POSTCODE
            field: postcode
            type: identifier
          - source: NHS
            field: nhs_number
            type: identifier
          - source: INCIDENT_DATE
            field: start_date
            type: date
            formats: [dd/MM/yyyy]
          - source: ASB_TYPE
            field: incident_type
            type: string
          - source: ROLE
            field: role
            type: code
            codes: { Perpetrator: perpetrator, Victim: victim }
        """;

    public const string AsbHeader = "PERSON_URN,LAST_NAME,FIRST_NAME,DOB,SEX,ADDRESS,POSTCODE,NHS,INCIDENT_DATE,ASB_TYPE,ROLE";

    public const string BenefitsMappingYaml = """
        agency: dwp
        kind: benefit-spells
        event_type: benefit_spell
        delimiter: "|"
        columns:
          - source: NINO
            field: record_id
            type: string
          - source: NINO
            field: nino
            type: identifier
          - source: START
            field: start_date
            type: date
            formats: [yyyyMMdd]
          - source: END
            field: end_date
            type: date
            formats: [yyyyMMdd]
          - source: BENEFIT
            field: benefit_type
            type: code
            codes: { UC: universal_credit, JSA: jsa, ESA: esa }
          - source: WEEKLY
            field: weekly_amount_pence
            type: money
        """;

    public const string PupilsMappingYaml = """
        agency: schools
        kind: census
        event_type: person
        columns:
          - source: RecordID
            field: record_id
            type: string
          - source: UPN
            field: upn
            type: identifier
            on_invalid: quarantine
          - source: Name
            field: full_name
            type: string
          - source: DOB
            field: date_of_birth
            type: date
        """;

    /// <summary>An ASB row; fields with commas are quoted by the caller.</summary>
    public static string Asb(string urn, string family, string given, string dob, string sex, string address, string postcode, string nhs, string date, string type, string role) =>
        string.Join(',', urn, family, given, dob, sex, address, postcode, nhs, date, type, role);

    public static ExtractMapping Mapping(string yaml) => MappingLoader.Load(new StringReader(yaml), "test-mapping.yaml");

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
