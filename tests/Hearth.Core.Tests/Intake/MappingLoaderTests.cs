using Hearth.Core.Data;
using Hearth.Core.Intake;

namespace Hearth.Core.Tests.Intake;

public sealed class MappingLoaderTests
{
    private const string Valid = """
        agency: police
        kind: asb-incidents
        event_type: asb_incident
        columns:
          - source: URN
            field: record_id
            type: string
          - source: DOB
            field: date_of_birth
            type: date
            formats: [dd/MM/yyyy, yyyy-MM-dd]
          - source: NHS
            field: nhs_number
            type: identifier
            identifier: nhs
            on_invalid: quarantine
          - source: DATE
            field: start_date
            type: date
          - source: ROLE
            field: role
            type: code
            codes:
              P: perpetrator
              V: victim
        """;

    private static ExtractMapping Load(string yaml) => MappingLoader.Load(new StringReader(yaml), "police-asb.yaml");

    private static MappingError Rejects(string yaml)
    {
        var e = Assert.Throws<MappingException>(() => Load(yaml));
        return Assert.Single(e.Errors);
    }

    [Fact]
    public void Load_ValidMapping_ReadsEveryKey()
    {
        var mapping = Load(Valid);

        Assert.Equal(("police", "asb-incidents", EventTypes.AntisocialBehaviour, ExtractFormat.Csv, ',', ExtractEncoding.Utf8, 1),
            (mapping.Agency, mapping.Kind, mapping.EventType, mapping.Format, mapping.Delimiter, mapping.Encoding, mapping.HeaderRow));
        Assert.Equal(["URN", "DOB", "NHS", "DATE", "ROLE"], mapping.Columns.Select(c => c.Source));
        Assert.Equal(["dd/MM/yyyy", "yyyy-MM-dd"], mapping.Columns[1].DateFormats);
        Assert.Equal(InvalidValueAction.Quarantine, mapping.Columns[2].OnInvalid);
        Assert.Equal(InvalidValueAction.DropValue, mapping.Columns[1].OnInvalid);
        Assert.True(mapping.Columns[0].Required);
        Assert.False(mapping.Columns[1].Required);
        Assert.Equal("victim", mapping.Columns[4].Codes!["v"]);
        // ROLE's "- source:" is line 20: 4 header lines, then 3 + 4 + 5 + 3 lines for URN, DOB, NHS and DATE.
        Assert.Equal(20, mapping.Columns[4].Line);
    }

    [Fact]
    public void Load_TypoInColumnKey_NamesLineColumnAndSuggestion()
    {
        var error = Rejects(Valid.Replace("    type: date\n    formats", "    type: date\n    fromats", StringComparison.Ordinal));

        Assert.Equal(("police-asb.yaml", 11, 5), (error.Source, error.Line, error.Column));
        Assert.StartsWith("unknown column key 'fromats' (did you mean 'formats'?)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownField_SuggestsTheClosestField()
    {
        var error = Rejects(Valid.Replace("field: nhs_number", "field: nhs_numbr", StringComparison.Ordinal));

        Assert.Equal(13, error.Line);
        Assert.StartsWith("unknown field 'nhs_numbr' (did you mean 'nhs_number'?)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_TypeNotMatchingField_SaysWhatTheFieldHolds()
    {
        var error = Rejects(Valid.Replace("field: date_of_birth\n    type: date", "field: date_of_birth\n    type: int", StringComparison.Ordinal));

        Assert.Equal("field 'date_of_birth' holds dates (type: date), not type 'int'", error.Message);
        Assert.Equal(10, error.Line);
    }

    [Fact]
    public void Load_UnknownType_ListsTypes()
    {
        var error = Rejects(Valid.Replace("type: string", "type: text", StringComparison.Ordinal));

        Assert.Equal("unknown type 'text'; types: string, int, date, money, code, identifier", error.Message);
    }

    [Fact]
    public void Load_YamlSyntaxError_GivesLineFromTheParser()
    {
        var error = Rejects(Valid.Replace("  - source: DOB", "  - source: DOB: [", StringComparison.Ordinal));

        Assert.StartsWith("YAML syntax error", error.Message, StringComparison.Ordinal);
        Assert.Equal(8, error.Line);
    }

    [Fact]
    public void Load_SameColumnMappedTwiceToOneField_Rejected()
    {
        var error = Rejects(Valid + "\n  - source: dob\n    field: date_of_birth\n    type: date\n");

        Assert.Equal("column 'dob' is mapped to 'date_of_birth' twice (first on line 8)", error.Message);
    }

    [Fact]
    public void Load_TwoColumnsForOneField_Rejected()
    {
        var error = Rejects(Valid + "\n  - source: BIRTH\n    field: date_of_birth\n    type: date\n");

        Assert.Equal("field 'date_of_birth' is filled by two columns (first on line 8)", error.Message);
    }

    [Fact]
    public void Load_OneColumnForTwoFields_Allowed()
    {
        var mapping = Load(Valid + "\n  - source: URN\n    field: other_names\n    type: string\n");

        Assert.Equal(2, mapping.Columns.Count(c => c.Source == "URN"));
    }

    [Fact]
    public void Load_CodeThatIsNotHearths_Rejected()
    {
        var error = Rejects(Valid.Replace("V: victim", "V: victm", StringComparison.Ordinal));

        Assert.Equal("'victm' is not a Hearth code for role (did you mean 'victim'?); allowed: perpetrator, victim, witness", error.Message);
    }

    [Fact]
    public void Load_MissingRequiredField_Rejected()
    {
        var error = Rejects(Valid.Replace("  - source: DATE\n    field: start_date\n    type: date\n", string.Empty, StringComparison.Ordinal));

        Assert.Equal("no column fills the required field 'start_date' (Day the event happened or the period began.)", error.Message);
    }

    [Fact]
    public void Load_UnknownEventTypeAndBadFormat_ReportsBoth()
    {
        var e = Assert.Throws<MappingException>(() => Load(Valid.Replace("event_type: asb_incident", "event_type: asb_incidnet\nformat: xls", StringComparison.Ordinal)));

        Assert.Equal(2, e.Errors.Count);
        Assert.StartsWith("unknown event_type 'asb_incidnet' (did you mean 'asb_incident'?)", e.Errors[0].Message, StringComparison.Ordinal);
        Assert.Equal("format must be one of csv, xlsx, not 'xls' (did you mean 'xlsx'?)", e.Errors[1].Message);
    }

    [Fact]
    public void Load_BadDateFormat_Rejected()
    {
        var error = Rejects(Valid.Replace("[dd/MM/yyyy, yyyy-MM-dd]", "[dd/MM]", StringComparison.Ordinal));

        Assert.StartsWith("'dd/MM' is not a usable date format", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_KeepValueOnADate_Rejected()
    {
        var error = Rejects(Valid.Replace("formats: [dd/MM/yyyy, yyyy-MM-dd]", "on_invalid: keep_value", StringComparison.Ordinal));

        Assert.Equal("keep_value only applies to identifiers; a bad date cannot be stored as given", error.Message);
    }

    [Fact]
    public void Load_ConstantValues_FillFieldsForEveryRow()
    {
        var yaml = """
            agency: health
            kind: ae
            event_type: health_contact
            values:
              contact_type: emergency_department
            columns:
              - source: ID
                field: record_id
                type: string
              - source: ARRIVAL
                field: start_date
                type: date
                formats: [dd-MMM-yyyy HH:mm]
            """;

        var mapping = Load(yaml);

        var constant = Assert.Single(mapping.Constants);
        Assert.Equal(("contact_type", "emergency_department"), (constant.Field.Name, constant.Value));
    }

    [Fact]
    public void Load_FullNameWithGivenName_Rejected()
    {
        var error = Rejects(Valid + "\n  - source: NAME\n    field: full_name\n    type: string\n  - source: FIRST\n    field: given_name\n    type: string\n");

        Assert.Equal("map either 'full_name' or the separate given_name, family_name and other_names, not both", error.Message);
    }

    [Fact]
    public void Shipped_EveryMappingLoadsAndIsUniquePerAgencyAndKind()
    {
        var shipped = MappingLoader.Shipped();

        Assert.NotEmpty(shipped);
        Assert.Equal(shipped.Count, shipped.Select(m => (m.Agency, m.Kind)).Distinct().Count());
    }
}
