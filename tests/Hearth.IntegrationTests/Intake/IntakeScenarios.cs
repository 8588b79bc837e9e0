using System.Text;
using ClosedXML.Excel;
using Hearth.Core;
using Hearth.Core.Data;
using Hearth.Core.Intake;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Hearth.IntegrationTests.Infrastructure;
using static Hearth.IntegrationTests.Intake.IntakeTestData;

namespace Hearth.IntegrationTests.Intake;

/// <summary>
/// Import scenarios that run on every database provider: each concrete subclass supplies a fresh, migrated
/// database. Every import is checked against the invariant read = stored + quarantined + duplicates, both in
/// the result and in the rows actually in the database.
/// </summary>
public abstract class IntakeScenarios : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "hearth-intake-" + Guid.NewGuid().ToString("N")[..10]);
    private HearthDbFactory? _factory;

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2024, 5, 1, 9, 30, 0, TimeSpan.Zero));

    protected HearthDbFactory Factory => _factory ?? throw new InvalidOperationException("not initialised");

    protected string Directory => _directory;

    protected abstract Task<HearthDatabaseOptions> CreateDatabaseAsync();

    public async ValueTask InitializeAsync()
    {
        System.IO.Directory.CreateDirectory(_directory);
        _factory = new HearthDbFactory(await CreateDatabaseAsync());
        await _factory.MigrateAsync(TestContext.Current.CancellationToken);
    }

    public virtual ValueTask DisposeAsync()
    {
        try
        {
            System.IO.Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }

        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    protected string WriteFile(string name, string text) => WriteFile(name, Encoding.UTF8.GetBytes(text));

    protected string WriteFile(string name, byte[] bytes)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    protected async Task<ImportResult> ImportAsync(string mappingYaml, string path)
    {
        await using var db = Factory.Create();
        var service = new IntakeService(db, Time);
        var result = await service.ImportAsync(new ImportRequest(path, Mapping(mappingYaml), "data.officer"), null, TestContext.Current.CancellationToken);
        if (result.Outcome == ImportOutcome.Imported)
        {
            await AssertStoredAsync(result);
        }

        return result;
    }

    /// <summary>The invariant, in the result and in the database.</summary>
    private async Task AssertStoredAsync(ImportResult result)
    {
        Assert.Equal(result.RowsRead, result.RowsStored + result.RowsQuarantined + result.RowsDuplicate);
        await using var db = Factory.Create();
        var id = result.DatasetId!.Value;
        var dataset = await db.Datasets.SingleAsync(d => d.Id == id, TestContext.Current.CancellationToken);
        var stored = dataset.EventType == EventTypes.Person
            ? await db.SourceRecords.CountAsync(s => s.DatasetId == id, TestContext.Current.CancellationToken)
            : await db.Events.CountAsync(e => e.DatasetId == id, TestContext.Current.CancellationToken);
        Assert.Equal(result.RowsStored, stored);
        Assert.Equal(result.RowsQuarantined, await db.QuarantinedRows.CountAsync(q => q.DatasetId == id, TestContext.Current.CancellationToken));
        Assert.Equal(result.RowsDuplicate, await db.ImportIssues.CountAsync(i => i.DatasetId == id && i.Code == "duplicate_row", TestContext.Current.CancellationToken));
        Assert.Equal(DatasetStatus.Completed, dataset.Status);
        Assert.Equal(result.RowsRead, dataset.RowsRead);
    }

    private static string AsbFile(params string[] rows) => AsbHeader + "\n" + string.Join("\n", rows) + "\n";

    private static readonly string GoodRow1 = Asb("PN1", "SMITH", "Jo", "01/02/2010", "Male", "\"1 High St, Northbridge\"", "nb4 7qt", "943 476 5870", "03/04/2021", "Nuisance", "Perpetrator");
    private static readonly string GoodRow2 = Asb("PN2", "JONES", "Al", "2011-05-06", "Female", "2 Low Rd", "NB4 7QT", "", "04/04/2021", "Personal", "Victim");
    private static readonly string GoodRow3 = Asb("PN3", "BROWN", "Bo", "7-Jun-2009", "Female", "3 Mid Way", "NB4 7QT", "", "05/04/2021", "Personal", "Victim");

    [Fact]
    public async Task Import_GoodFile_StoresEveryRowWithTypedNormalisedValues()
    {
        var result = await ImportAsync(AsbMappingYaml, WriteFile("asb.csv", AsbFile(GoodRow1, GoodRow2, GoodRow3)));

        Assert.Equal(ImportOutcome.Imported, result.Outcome);
        Assert.Equal((3, 3, 0, 0), (result.RowsRead, result.RowsStored, result.RowsQuarantined, result.RowsDuplicate));
        Assert.Equal(new DatePeriod(new DateOnly(2021, 4, 3), new DateOnly(2021, 4, 5)), result.Period);
        await using var db = Factory.Create();
        var smith = await db.SourceRecords.SingleAsync(s => s.AgencyRecordId == "PN1", TestContext.Current.CancellationToken);
        Assert.Equal("NB4 7QT", smith.Postcode);
        Assert.Equal("9434765870", smith.NhsNumber);
        Assert.Equal("1 High St, Northbridge", smith.Address);
        Assert.Equal(new DateOnly(2010, 2, 1), smith.DateOfBirth);
        Assert.Equal("male", smith.Sex);
        Assert.Equal(2, smith.RowNumber);
        var brown = await db.SourceRecords.SingleAsync(s => s.AgencyRecordId == "PN3", TestContext.Current.CancellationToken);
        Assert.Equal(new DateOnly(2009, 6, 7), brown.DateOfBirth);
        var incident = await db.Events.OfType<AntisocialBehaviourIncident>().SingleAsync(e => e.SourceRecordId == smith.Id, TestContext.Current.CancellationToken);
        Assert.Equal(("Nuisance", "perpetrator", new DateOnly(2021, 4, 3), 2), (incident.IncidentType, incident.Role, incident.StartDate, incident.RowNumber));
        Assert.Equal(result.DatasetId, incident.DatasetId);
        var dataset = await db.Datasets.SingleAsync(TestContext.Current.CancellationToken);
        Assert.Equal(("police", "asb-incidents", "data.officer"), (dataset.AgencyId, dataset.Kind, dataset.ImportedBy));
        Assert.Equal(new DateTime(2024, 5, 1, 9, 30, 0, DateTimeKind.Utc), dataset.StartedUtc);
        Assert.Equal(64, dataset.Sha256.Length);
        Assert.Equal("Northbridge Police", (await db.Agencies.SingleAsync(TestContext.Current.CancellationToken)).Name);
    }

    [Fact]
    public async Task Import_SameFileTwice_SecondImportChangesNothing()
    {
        var path = WriteFile("asb.csv", AsbFile(GoodRow1, GoodRow2));
        var first = await ImportAsync(AsbMappingYaml, path);
        var second = await ImportAsync(AsbMappingYaml, path);

        Assert.Equal(ImportOutcome.AlreadyImported, second.Outcome);
        Assert.Equal(first.DatasetId, second.DatasetId);
        Assert.Contains($"already imported as dataset {first.DatasetId}", second.Problems[0], StringComparison.Ordinal);
        await using var db = Factory.Create();
        Assert.Equal(1, await db.Datasets.CountAsync(TestContext.Current.CancellationToken));
        Assert.Equal(2, await db.Events.CountAsync(TestContext.Current.CancellationToken));
        Assert.Equal(2, await db.SourceRecords.CountAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Import_SameFileTwiceAtOnce_OneImportsAndTheOtherReportsIt()
    {
        var path = WriteFile("asb.csv", AsbFile(GoodRow1, GoodRow2, GoodRow3));

        var results = await Task.WhenAll(ImportAsync(AsbMappingYaml, path), ImportAsync(AsbMappingYaml, path));

        Assert.Single(results, r => r.Outcome == ImportOutcome.Imported);
        Assert.Single(results, r => r.Outcome == ImportOutcome.AlreadyImported);
        Assert.Equal(results[0].DatasetId, results[1].DatasetId);
        await using var db = Factory.Create();
        Assert.Equal(1, await db.Datasets.CountAsync(TestContext.Current.CancellationToken));
        Assert.Equal(3, await db.Events.CountAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Import_TwoFilesSharingRows_SharedRowsCountAsDuplicatesAndAreStoredOnce()
    {
        var first = await ImportAsync(AsbMappingYaml, WriteFile("march.csv", AsbFile(GoodRow1, GoodRow2)));
        // The April file repeats GoodRow2 (with its date of birth written differently: same value) and adds GoodRow3.
        var repeated = GoodRow2.Replace("2011-05-06", "06/05/2011", StringComparison.Ordinal);
        var second = await ImportAsync(AsbMappingYaml, WriteFile("april.csv", AsbFile(repeated, GoodRow3)));

        Assert.Equal((2, 1, 0, 1), (second.RowsRead, second.RowsStored, second.RowsQuarantined, second.RowsDuplicate));
        await using var db = Factory.Create();
        Assert.Equal(3, await db.Events.CountAsync(TestContext.Current.CancellationToken));
        var duplicate = await db.ImportIssues.SingleAsync(i => i.DatasetId == second.DatasetId && i.Code == "duplicate_row", TestContext.Current.CancellationToken);
        Assert.Equal(2, duplicate.RowNumber);
        Assert.Equal($"an identical row is already stored (dataset {first.DatasetId}, row 3); skipped", duplicate.Message);
    }

    [Fact]
    public async Task Import_SameRowTwiceInOneFile_SecondIsDuplicateOfFirst()
    {
        var result = await ImportAsync(AsbMappingYaml, WriteFile("asb.csv", AsbFile(GoodRow1, GoodRow2, GoodRow1)));

        Assert.Equal((3, 2, 0, 1), (result.RowsRead, result.RowsStored, result.RowsQuarantined, result.RowsDuplicate));
        await using var db = Factory.Create();
        var duplicate = await db.ImportIssues.SingleAsync(i => i.Code == "duplicate_row", TestContext.Current.CancellationToken);
        Assert.Equal((int?)4, duplicate.RowNumber);
        Assert.Contains("row 2)", duplicate.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_PersonChangesAddress_GivesSecondSourceRecordForTheSameAgencyId()
    {
        var moved = Asb("PN1", "SMITH", "Jo", "01/02/2010", "Male", "9 New St", "NB4 7QT", "9434765870", "09/04/2021", "Nuisance", "Perpetrator");
        var again = Asb("PN1", "SMITH", "Jo", "01/02/2010", "Male", "9 New St", "NB4 7QT", "9434765870", "10/04/2021", "Nuisance", "Perpetrator");
        await ImportAsync(AsbMappingYaml, WriteFile("asb.csv", AsbFile(GoodRow1, moved, again)));

        await using var db = Factory.Create();
        var records = await db.SourceRecords.Where(s => s.AgencyRecordId == "PN1").OrderBy(s => s.RowNumber).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal(["1 High St, Northbridge", "9 New St"], records.Select(r => r.Address));
        var newAddressEvents = await db.Events.CountAsync(e => e.SourceRecordId == records[1].Id, TestContext.Current.CancellationToken);
        Assert.Equal(2, newAddressEvents);
    }

    [Fact]
    public async Task Import_BadCells_WarnOrQuarantineWithRowColumnAndReasonAndKeepRawText()
    {
        var badDob = Asb("PN4", "GREEN", "Cy", "31/02/2020", "Male", "4 Side St", "NB4 7QT", "943 476 5871", "06/04/2021", "Nuisance", "Victim");
        var badDate = Asb("PN5", "WHITE", "Di", "01/01/2001", "Female", "5 Side St", "QA1 1AA", "", "2021-04-07", "Nuisance", "Victim");
        var file = AsbFile(GoodRow1, badDob, badDate);
        var result = await ImportAsync(AsbMappingYaml, WriteFile("asb.csv", file));

        Assert.Equal((3, 2, 1, 0), (result.RowsRead, result.RowsStored, result.RowsQuarantined, result.RowsDuplicate));
        Assert.Equal(1, result.RowsWithWarnings);
        await using var db = Factory.Create();
        var issues = await db.ImportIssues.Where(i => i.DatasetId == result.DatasetId).OrderBy(i => i.RowNumber).ThenBy(i => i.Id).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Collection(
            issues,
            dob =>
            {
                Assert.Equal((3, "DOB", "date_of_birth", "invalid_date", IssueSeverity.Warning), (dob.RowNumber, dob.ColumnName, dob.Field, dob.Code, dob.Severity));
                Assert.Equal("column 'DOB' (date_of_birth) is not a real date: day 31 does not exist in February 2020 (it has 29 days); the value was left out and the row kept", dob.Message);
            },
            nhs =>
            {
                Assert.Equal((3, "NHS", "invalid_identifier", IssueSeverity.Warning), (nhs.RowNumber, nhs.ColumnName, nhs.Code, nhs.Severity));
                Assert.Equal("column 'NHS' (nhs_number) is not valid: NHS number check digit should be 0 but is 1; the value was left out and the row kept", nhs.Message);
            },
            postcode => Assert.Equal((4, "POSTCODE", "invalid_identifier", IssueSeverity.Warning), (postcode.RowNumber, postcode.ColumnName, postcode.Code, postcode.Severity)),
            date =>
            {
                Assert.Equal((4, "INCIDENT_DATE", "invalid_date", IssueSeverity.Error), (date.RowNumber, date.ColumnName, date.Code, date.Severity));
                Assert.Equal("column 'INCIDENT_DATE' (start_date) value '2021-04-07' is not a date in the expected format (dd/MM/yyyy)", date.Message);
            });
        var green = await db.SourceRecords.SingleAsync(s => s.AgencyRecordId == "PN4", TestContext.Current.CancellationToken);
        Assert.Null(green.DateOfBirth);
        Assert.Null(green.NhsNumber);
        var quarantined = await db.QuarantinedRows.SingleAsync(TestContext.Current.CancellationToken);
        Assert.Equal(4, quarantined.RowNumber);
        Assert.Equal(badDate, quarantined.RawText);
        Assert.Contains("INCIDENT_DATE", quarantined.Reasons, StringComparison.Ordinal);
        // No message repeats a person's identifier or date of birth.
        Assert.DoesNotContain(issues, i => i.Message.Contains("9434765871", StringComparison.Ordinal) || i.Message.Contains("31/02/2020", StringComparison.Ordinal)
            || i.Message.Contains("QA1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Import_BirthAfterEventOrInFuture_DateOfBirthDroppedWithWarning()
    {
        var afterEvent = Asb("PN6", "GREY", "Ed", "01/06/2021", "Male", "6 Side St", "NB4 7QT", "", "03/04/2021", "Nuisance", "Victim");
        var future = Asb("PN7", "BLACK", "Flo", "01/06/2030", "Female", "7 Side St", "NB4 7QT", "", "03/04/2021", "Nuisance", "Victim");
        var result = await ImportAsync(AsbMappingYaml, WriteFile("asb.csv", AsbFile(afterEvent, future)));

        Assert.Equal((2, 2, 2), (result.RowsStored, result.RowsWithWarnings, result.IssueCounts["implausible_date"]));
        await using var db = Factory.Create();
        Assert.All(await db.SourceRecords.ToListAsync(TestContext.Current.CancellationToken), s => Assert.Null(s.DateOfBirth));
        var messages = await db.ImportIssues.Where(i => i.Code == "implausible_date").OrderBy(i => i.RowNumber).Select(i => i.Message).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal(
            ["the date of birth is after the event's date; the value was left out and the row kept", "the date of birth is in the future; the value was left out and the row kept"],
            messages);
    }

    [Fact]
    public async Task Import_QuotedCommasNewLinesAndBlankLines_ReadAsOneRowEachWithLineNumbers()
    {
        var multiLine = Asb("PN2", "JONES", "\"Al, \"\"Junior\"\"\"", "2011-05-06", "Female", "\"Flat 1\n2 Low Rd\"", "NB4 7QT", "", "04/04/2021", "Personal", "Victim");
        var file = AsbHeader + "\n\n" + GoodRow1 + "\r\n" + multiLine + "\n\n\n" + GoodRow3 + "\n";
        var result = await ImportAsync(AsbMappingYaml, WriteFile("asb.csv", file));

        Assert.Equal((3, 3, 3), (result.RowsRead, result.RowsStored, result.BlankLines));
        await using var db = Factory.Create();
        var jones = await db.SourceRecords.SingleAsync(s => s.AgencyRecordId == "PN2", TestContext.Current.CancellationToken);
        Assert.Equal(("Al, \"Junior\"", "Flat 1\n2 Low Rd", 4), (jones.GivenName, jones.Address, jones.RowNumber));
        var brown = await db.SourceRecords.SingleAsync(s => s.AgencyRecordId == "PN3", TestContext.Current.CancellationToken);
        // Header 1, blank 2, PN1 3, PN2 4-5, blank 6-7, PN3 8.
        Assert.Equal(8, brown.RowNumber);
    }

    [Fact]
    public async Task Import_ByteOrderMark_HeaderStillMatches()
    {
        var bytes = (byte[])[0xEF, 0xBB, 0xBF, .. Utf8(AsbFile(GoodRow1))];
        var result = await ImportAsync(AsbMappingYaml, WriteFile("asb.csv", bytes));

        Assert.Equal((ImportOutcome.Imported, 1), (result.Outcome, result.RowsStored));
    }

    [Fact]
    public async Task Import_Windows1252File_RejectedAsUtf8WithLineThenReadWhenMappingSaysSo()
    {
        var text = AsbFile(GoodRow1, GoodRow2.Replace("JONES", "JOSÉ", StringComparison.Ordinal));
        var path = WriteFile("asb.csv", CodePages().GetBytes(text));

        var rejected = await ImportAsync(AsbMappingYaml, path);
        Assert.Equal(ImportOutcome.Rejected, rejected.Outcome);
        Assert.StartsWith("the file is not valid UTF-8: line 3 has byte 0xC9, which UTF-8 does not allow. The file looks like Windows-1252", rejected.Problems[0], StringComparison.Ordinal);

        var imported = await ImportAsync(AsbMappingYaml.Replace("kind: asb-incidents", "kind: asb-incidents\nencoding: windows-1252", StringComparison.Ordinal), path);
        Assert.Equal(2, imported.RowsStored);
        await using var db = Factory.Create();
        Assert.Equal("JOSÉ", (await db.SourceRecords.SingleAsync(s => s.AgencyRecordId == "PN2", TestContext.Current.CancellationToken)).FamilyName);
    }

    private static Encoding CodePages()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(1252);
    }

    [Fact]
    public async Task Import_WrongHeader_RejectedNamingMissingColumnsWithSuggestionsAndNothingStored()
    {
        var header = AsbHeader.Replace("POSTCODE", "POST_CODE", StringComparison.Ordinal).Replace(",ROLE", ",PERSON_ROLE", StringComparison.Ordinal).Replace("NHS,", string.Empty, StringComparison.Ordinal);
        var result = await ImportAsync(AsbMappingYaml, WriteFile("asb.csv", header + "\n" + GoodRow1 + "\n"));

        Assert.Equal(ImportOutcome.Rejected, result.Outcome);
        var problem = Assert.Single(result.Problems);
        Assert.StartsWith("the header on line 1 is missing columns 'POSTCODE' (did you mean 'POST_CODE'?), 'NHS', 'ROLE' (did you mean 'PERSON_ROLE'?); the file's columns are: 'PERSON_URN'", problem, StringComparison.Ordinal);
        await using var db = Factory.Create();
        Assert.Equal(0, await db.Datasets.CountAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Import_ExtraColumns_IgnoredWithOneNoteEach()
    {
        var file = AsbHeader + ",OFFICER,BEAT\n" + GoodRow1 + ",PC 1,B2\n";
        var result = await ImportAsync(AsbMappingYaml, WriteFile("asb.csv", file));

        Assert.Equal(1, result.RowsStored);
        Assert.Equal(2, result.IssueCounts["unmapped_column"]);
        await using var db = Factory.Create();
        var notes = await db.ImportIssues.Where(i => i.Code == "unmapped_column").OrderBy(i => i.Id).Select(i => i.Message).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal(["column 'OFFICER' is not in the mapping and was ignored", "column 'BEAT' is not in the mapping and was ignored"], notes);
    }

    [Fact]
    public async Task Import_WrongDelimiter_RejectedSayingWhichDelimiterTheFileUses()
    {
        var file = AsbHeader.Replace(',', ';') + "\n" + GoodRow2.Replace(',', ';') + "\n";
        var result = await ImportAsync(AsbMappingYaml, WriteFile("asb.csv", file));

        Assert.Equal(ImportOutcome.Rejected, result.Outcome);
        Assert.StartsWith("the header on line 1 is one single column: the file seems to be separated by semicolons (';'), not by ',' as the mapping says (11 of 11 mapped columns found", result.Problems[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_TruncatedLastLine_QuarantinedAsCutOff()
    {
        var cut = GoodRow3[..20];
        var result = await ImportAsync(AsbMappingYaml, WriteFile("asb.csv", AsbHeader + "\n" + GoodRow1 + "\n" + cut));

        Assert.Equal((2, 1, 1), (result.RowsRead, result.RowsStored, result.RowsQuarantined));
        await using var db = Factory.Create();
        var issue = await db.ImportIssues.SingleAsync(i => i.Code == "truncated_row", TestContext.Current.CancellationToken);
        Assert.Equal(3, issue.RowNumber);
        Assert.Equal("the row has 4 fields but the header has 11; this is the last row, so the file seems to be cut off", issue.Message);
        Assert.Equal(cut, (await db.QuarantinedRows.SingleAsync(TestContext.Current.CancellationToken)).RawText);
    }

    [Fact]
    public async Task Import_UnclosedQuoteAtEnd_QuarantinedWithClearMessage()
    {
        var file = AsbHeader + "\n" + GoodRow1 + "\nPN9,\"SMI";
        var result = await ImportAsync(AsbMappingYaml, WriteFile("asb.csv", file));

        Assert.Equal((2, 1, 1), (result.RowsRead, result.RowsStored, result.RowsQuarantined));
        await using var db = Factory.Create();
        var issue = await db.ImportIssues.SingleAsync(i => i.Code == "malformed_row", TestContext.Current.CancellationToken);
        Assert.StartsWith("a quoted field is never closed", issue.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_MoneyAndPeriods_StoredAsPenceWithInclusiveEnds()
    {
        var file = "NINO|START|END|BENEFIT|WEEKLY\n" +
            "QQ123456C|20200401|20210331|UC|£1,234.56\n" +
            "AB123456C|20200401||JSA|74.7\n" +
            "AB123456C|20210401|20200101|JSA|74.70\n" +
            "AB123456C|20210401||ESA|12.345\n";
        var result = await ImportAsync(BenefitsMappingYaml, WriteFile("benefits.txt", file));

        // Row 2: NINO QQ... is not a valid prefix, so the value is dropped (default) but the row kept.
        // Row 4: end before start is quarantined. Row 5: 3 decimal places is a warning and the amount is left out.
        Assert.Equal((4, 3, 1, 0), (result.RowsRead, result.RowsStored, result.RowsQuarantined, result.RowsDuplicate));
        await using var db = Factory.Create();
        var spells = await db.Events.OfType<BenefitSpell>().OrderBy(e => e.RowNumber).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal([123456L, 7470L, null], spells.Select(s => s.WeeklyAmountPence));
        Assert.Equal(new DateOnly(2021, 3, 31), spells[0].EndDate);
        Assert.Equal(["universal_credit", "jsa", "esa"], spells.Select(s => s.BenefitType));
        var sources = await db.SourceRecords.OrderBy(s => s.RowNumber).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal([null, "AB123456C"], sources.Select(s => s.Nino));
        var endIssue = await db.ImportIssues.SingleAsync(i => i.Code == "end_before_start", TestContext.Current.CancellationToken);
        Assert.Equal("the end date 2020-01-01 is before the start date 2021-04-01", endIssue.Message);
    }

    [Fact]
    public async Task Import_PersonOnlyExtract_SplitsNamesQuarantinesBadUpnAndCountsRepeatsAsDuplicates()
    {
        var file = "RecordID,UPN,Name,DOB\n" +
            "S1,B801200005001,\"SMITH, Jo Ann\",2010-02-01\n" +
            "S2,A801200005001,Al Jones,2011-05-06\n" +
            "S3,,Bo Van Brown,06/07/2009\n" +
            "S1,B801200005001,\"SMITH, Jo Ann\",01/02/2010\n";
        var result = await ImportAsync(PupilsMappingYaml, WriteFile("census.csv", file));

        Assert.Equal((4, 2, 1, 1), (result.RowsRead, result.RowsStored, result.RowsQuarantined, result.RowsDuplicate));
        await using var db = Factory.Create();
        var people = await db.SourceRecords.OrderBy(s => s.RowNumber).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal([("Jo", "Ann", "SMITH"), ("Bo", null, "Van Brown")], people.Select(p => (p.GivenName, p.OtherNames, p.FamilyName)));
        Assert.Equal("B801200005001", people[0].Upn);
        var upn = await db.ImportIssues.SingleAsync(i => i.Code == "invalid_identifier", TestContext.Current.CancellationToken);
        Assert.Equal((IssueSeverity.Error, 3), (upn.Severity, upn.RowNumber));
    }

    [Fact]
    public async Task Import_Xlsx_ReadsCellsDatesAndNumbers()
    {
        var path = Path.Combine(Directory, "asb.xlsx");
        using (var workbook = new XLWorkbook())
        {
            var sheet = workbook.AddWorksheet("Incidents");
            var header = AsbHeader.Split(',');
            for (var c = 0; c < header.Length; c++)
            {
                sheet.Cell(1, c + 1).Value = header[c];
            }

            object[] row = ["PN1", "SMITH", "Jo", new DateTime(2010, 2, 1), "Male", "1 High St, Northbridge", "NB4 7QT", 9434765870d, new DateTime(2021, 4, 3), "Nuisance", "Perpetrator"];
            for (var c = 0; c < row.Length; c++)
            {
                sheet.Cell(3, c + 1).Value = row[c];
            }

            sheet.Cell(4, 1).Value = "PN2";
            sheet.Cell(4, 9).Value = "not a date";
            workbook.SaveAs(path);
        }

        var result = await ImportAsync(AsbMappingYaml.Replace("kind: asb-incidents", "kind: asb-incidents\nformat: xlsx\nsheet: Incidents", StringComparison.Ordinal), path);

        Assert.Equal((2, 1, 1, 1), (result.RowsRead, result.RowsStored, result.RowsQuarantined, result.BlankLines));
        await using var db = Factory.Create();
        var smith = await db.SourceRecords.SingleAsync(TestContext.Current.CancellationToken);
        Assert.Equal((new DateOnly(2010, 2, 1), "9434765870", 3), (smith.DateOfBirth, smith.NhsNumber, smith.RowNumber));
        Assert.Equal(new DateOnly(2021, 4, 3), (await db.Events.SingleAsync(TestContext.Current.CancellationToken)).StartDate);
        Assert.Equal(4, (await db.QuarantinedRows.SingleAsync(TestContext.Current.CancellationToken)).RowNumber);
    }

    [Fact]
    public async Task Import_CsvGivenToXlsxMapping_RejectedAsNotAWorkbook()
    {
        var result = await ImportAsync(AsbMappingYaml.Replace("kind: asb-incidents", "kind: asb-incidents\nformat: xlsx", StringComparison.Ordinal), WriteFile("asb.xlsx", AsbFile(GoodRow1)));

        Assert.Equal(ImportOutcome.Rejected, result.Outcome);
        Assert.StartsWith("the mapping says 'format: xlsx' but the file is not an Excel workbook", result.Problems[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task QualityReport_CountsCompletenessInvalidIdentifiersDatesAndQuarantine()
    {
        var badNhs = Asb("PN4", "GREEN", "Cy", "01/01/2000", "Male", "4 Side St", "", "943 476 5871", "06/04/2021", "Nuisance", "Victim");
        var quarantined = Asb("PN5", "WHITE", "Di", "01/01/2001", "Female", "5 Side St", "NB4 7QT", "", "", "Nuisance", "Victim");
        var result = await ImportAsync(AsbMappingYaml, WriteFile("asb.csv", AsbFile(GoodRow1, GoodRow2, badNhs, quarantined, GoodRow1)));

        await using var db = Factory.Create();
        var report = await new QualityReportService(db).ReportAsync(cancellationToken: TestContext.Current.CancellationToken);
        var police = Assert.Single(report);
        Assert.Equal(3, police.SourceRecords);
        var dataset = Assert.Single(police.Datasets);
        Assert.Equal((5, 3, 1, 1), (dataset.RowsRead, dataset.RowsStored, dataset.RowsQuarantined, dataset.RowsDuplicate));
        Assert.Equal(3, dataset.People);
        // NHS number: PN1 has one, PN2 is blank, PN4's was invalid and dropped: 1 of 3. Postcode: PN4 blank: 2 of 3.
        Assert.Equal(new FieldCompleteness("nhs_number", 1, 3), dataset.Completeness.Single(c => c.Field == "nhs_number"));
        Assert.Equal(new FieldCompleteness("postcode", 2, 3), dataset.Completeness.Single(c => c.Field == "postcode"));
        Assert.Equal(new FieldCompleteness("date_of_birth", 3, 3), dataset.Completeness.Single(c => c.Field == "date_of_birth"));
        Assert.Equal(1, dataset.InvalidIdentifiers["nhs_number"]);
        Assert.Equal(new DatePeriod(new DateOnly(2021, 4, 3), new DateOnly(2021, 4, 6)), dataset.EventDates);
        Assert.Equal(new YearRange(2000, 2011), dataset.BirthYears);
        Assert.Equal(1, dataset.IssuesByCode["missing_value"]);
        Assert.Equal(result.DatasetId, dataset.DatasetId);
    }
}

/// <summary>The intake scenarios on a SQLite file.</summary>
public sealed class SqliteIntakeTests : IntakeScenarios
{
    protected override Task<HearthDatabaseOptions> CreateDatabaseAsync() =>
        Task.FromResult(HearthDatabaseOptions.Sqlite(Path.Combine(Directory, "hearth.db")));
}

/// <summary>The intake scenarios on a fresh PostgreSQL database.</summary>
public sealed class PostgresIntakeTests(PostgresServer server) : IntakeScenarios
{
    protected override async Task<HearthDatabaseOptions> CreateDatabaseAsync() =>
        HearthDatabaseOptions.Postgres(await server.CreateDatabaseAsync());
}
