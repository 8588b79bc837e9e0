using Hearth.Core.Data;
using Hearth.Core.Intake;

namespace Hearth.Core.Tests.Intake;

public sealed class ImportReportTests
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a, b", "\"a, b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\"")]
    [InlineData("+1", "'+1")]
    [InlineData("-1", "'-1")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    public void Cell_QuotesAndDisarmsFormulas(string value, string expected)
    {
        Assert.Equal(expected, ImportReport.Cell(value));
    }

    [Fact]
    public async Task WriteCsv_RejectedFileAndIssues_OneLinePerProblem()
    {
        var rejected = new ImportResult { Outcome = ImportOutcome.Rejected, FileName = "bad.csv", Problems = ["the file is empty"] };
        var imported = new ImportResult { Outcome = ImportOutcome.Imported, FileName = "good.csv", DatasetId = 7 };
        ImportIssue[] issues =
        [
            new() { DatasetId = 7, RowNumber = 3, ColumnName = "DOB", Field = "date_of_birth", Code = "invalid_date", Severity = IssueSeverity.Warning, Message = "column 'DOB' is bad, really" },
        ];
        using var writer = new StringWriter();

        await ImportReport.WriteCsvAsync(writer, [(rejected, Empty()), (imported, issues.ToAsyncEnumerable())], TestContext.Current.CancellationToken);

        Assert.Equal(
            "file,dataset,row,column,field,severity,code,message\n" +
            "bad.csv,,,,,Error,file_rejected,the file is empty\n" +
            "good.csv,7,3,DOB,date_of_birth,Warning,invalid_date,\"column 'DOB' is bad, really\"\n",
            writer.ToString().ReplaceLineEndings("\n"));
    }

    private static async IAsyncEnumerable<ImportIssue> Empty()
    {
        await Task.CompletedTask;
        yield break;
    }
}
