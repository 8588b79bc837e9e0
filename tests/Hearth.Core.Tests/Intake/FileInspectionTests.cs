using System.IO.Compression;
using System.Text;
using ClosedXML.Excel;
using Hearth.Core.Intake;

namespace Hearth.Core.Tests.Intake;

/// <summary>
/// Content checks before a file is parsed: a renamed binary is rejected by what its bytes are, not by its
/// name, and an xlsx package is checked (parts, sizes, compression, DTDs) before any XML is read.
/// </summary>
public sealed class FileInspectionTests : IDisposable
{
    private const string Columns = """
        agency: police
        kind: asb-incidents
        event_type: asb_incident
        columns:
          - source: URN
            field: record_id
            type: string
          - source: DATE
            field: start_date
            type: date
        """;

    private readonly string _directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "hearth-inspect-" + Guid.NewGuid().ToString("N")[..10]);

    public FileInspectionTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static ExtractMapping Csv { get; } = MappingLoader.Load(new StringReader(Columns), "police-asb.yaml");

    private static ExtractMapping Xlsx { get; } = MappingLoader.Load(new StringReader(Columns + "\nformat: xlsx\n"), "police-asb.yaml");

    private string Path(string name) => System.IO.Path.Combine(_directory, name);

    /// <summary>A minimal ELF executable header followed by code-like bytes with NULs, saved under a spreadsheet's name.</summary>
    private string RenamedExecutable(string name)
    {
        var bytes = new byte[4096];
        new byte[] { 0x7F, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1, 0 }.CopyTo(bytes, 0);
        for (var i = 64; i < bytes.Length; i += 7)
        {
            bytes[i] = 0x48;
        }

        File.WriteAllBytes(Path(name), bytes);
        return Path(name);
    }

    /// <summary>A ZIP package with the given parts (name → content, stored with the best compression).</summary>
    private string Package(string name, params (string Part, byte[] Content)[] parts)
    {
        using (var zip = ZipFile.Open(Path(name), ZipArchiveMode.Create))
        {
            foreach (var (part, content) in parts)
            {
                using var stream = zip.CreateEntry(part, CompressionLevel.SmallestSize).Open();
                stream.Write(content);
            }
        }

        return Path(name);
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static readonly (string, byte[]) ContentTypes = ("[Content_Types].xml", Utf8("""<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"""));

    private static readonly (string, byte[]) Workbook = ("xl/workbook.xml", Utf8("""<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>"""));

    [Fact]
    public void Inspect_RenamedExecutableAsCsv_RejectedAsNotText()
    {
        var facts = FileInspection.Inspect(RenamedExecutable("extract.csv"), Csv);

        Assert.NotNull(facts.Problem);
        Assert.Contains("not a text (CSV) file", facts.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_RenamedExecutableAsXlsx_RejectedAsNotAWorkbook()
    {
        var facts = FileInspection.Inspect(RenamedExecutable("extract.xlsx"), Xlsx);

        Assert.NotNull(facts.Problem);
        Assert.Contains("not an Excel workbook", facts.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_ZipThatIsNotAWorkbook_Rejected()
    {
        var path = Package("archive.xlsx", ("readme.txt", Utf8("hello")), ContentTypes);

        var facts = FileInspection.Inspect(path, Xlsx);

        Assert.Equal("the ZIP package is not an Excel workbook (it has no [Content_Types].xml or xl/workbook.xml)", facts.Problem);
    }

    [Fact]
    public void Inspect_RealWorkbook_Accepted()
    {
        var path = Path("real.xlsx");
        using (var workbook = new XLWorkbook())
        {
            var sheet = workbook.AddWorksheet("Extract");
            sheet.Cell(1, 1).Value = "URN";
            sheet.Cell(1, 2).Value = "DATE";
            sheet.Cell(2, 1).Value = "PN1";
            sheet.Cell(2, 2).Value = "2021-04-03";
            workbook.SaveAs(path);
        }

        Assert.Null(FileInspection.Inspect(path, Xlsx).Problem);
    }

    [Fact]
    public void Inspect_ZipBombPart_RejectedBeforeUnpacking()
    {
        // 64 MiB of one repeated byte deflates to about 64 KiB (a ratio near 1000), far beyond the 200 allowed.
        var sheet = new byte[64 * 1024 * 1024];
        Array.Fill(sheet, (byte)' ');
        var path = Package("bomb.xlsx", ContentTypes, Workbook, ("xl/worksheets/sheet1.xml", sheet));

        var facts = FileInspection.Inspect(path, Xlsx);

        Assert.NotNull(facts.Problem);
        Assert.Contains("part 'xl/worksheets/sheet1.xml' unpacks to 64 MiB", facts.Problem, StringComparison.Ordinal);
        Assert.Contains("possible zip bomb", facts.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void XlsxPackageProblem_TotalUncompressedSizeOverLimit_Rejected()
    {
        // Three parts of 1,000 bytes each: 3,000 bytes in all, over a 2,500-byte limit (the real limit is 2 GiB).
        var part = Utf8(new string('x', 1000));
        var path = Package("big.xlsx", ("a.bin", part), ("b.bin", part), ("c.bin", part));
        using var stream = File.OpenRead(path);

        var problem = FileInspection.XlsxPackageProblem(stream, maxUncompressedBytes: 2500);

        Assert.NotNull(problem);
        Assert.Contains("unpacks to more than", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_TooManyParts_Rejected()
    {
        var parts = Enumerable.Range(0, FileInspection.MaxXlsxEntries + 1).Select(i => ($"xl/media/p{i}.bin", new byte[] { 1 })).ToArray();
        var path = Package("many.xlsx", [ContentTypes, Workbook, .. parts]);

        var facts = FileInspection.Inspect(path, Xlsx);

        Assert.Equal("the workbook has 10003 parts, more than the 10000 Hearth accepts", facts.Problem);
    }

    [Theory]
    [InlineData("xl/workbook.xml")]
    [InlineData("xl/worksheets/sheet1.xml")]
    [InlineData("_rels/.rels")]
    public void Inspect_PartWithDtdOrExternalEntity_Rejected(string part)
    {
        var hostile = Utf8("""
            <?xml version="1.0" encoding="UTF-8"?>
            <!DOCTYPE workbook [<!ENTITY secret SYSTEM "file:///etc/passwd"><!ENTITY lol "lol">]>
            <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">&secret;&lol;</workbook>
            """);
        var parts = new List<(string, byte[])> { ContentTypes, (part, hostile) };
        if (part != "xl/workbook.xml")
        {
            parts.Add(Workbook);
        }

        var facts = FileInspection.Inspect(Package("xxe.xlsx", [.. parts]), Xlsx);

        Assert.Equal(
            $"the workbook's part '{part}' declares a document type (DTD); Excel never writes one and Hearth does not read XML with DTDs or external entities, so the file was rejected",
            facts.Problem);
    }
}
