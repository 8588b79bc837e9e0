using System.Globalization;
using System.Text;
using ClosedXML.Excel;
using Hearth.Core.Access;
using Hearth.Core.Data;
using Hearth.Core.Intake;
using Hearth.Core.Linkage;
using Hearth.Core.Synthetic;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.IntegrationTests.Web;

/// <summary>
/// Extracts the data officer's screens upload (Northbridge Police anti-social behaviour incidents, the shipped
/// police/asb mapping) and helpers to post them. All people are invented.
/// </summary>
public static class DataWebTestData
{
    public const string AsbHeader = "INCIDENT_REF,LAST_NAME,FIRST_NAME,DOB,SEX,ADDRESS,POSTCODE,INCIDENT_DATE,ASB_TYPE,ROLE";

    /// <summary>Family names in the files, to check they never reach the audit log.</summary>
    public static readonly string[] FamilyNames = ["Quillfeather", "Brackenridge", "Oddleworth"];

    /// <summary>
    /// <paramref name="good"/> good rows, then (when <paramref name="badRows"/>) a row with an impossible incident
    /// date (31 February) and a row with too few fields. Incident refs start with <paramref name="prefix"/>, so
    /// files of different prefixes share no row and no hash.
    /// </summary>
    public static string AsbCsv(string prefix, int good, bool badRows)
    {
        var text = new StringBuilder(AsbHeader).Append('\n');
        for (var i = 1; i <= good; i++)
        {
            var name = FamilyNames[(i - 1) % FamilyNames.Length];
            text.Append(CultureInfo.InvariantCulture,
                $"{prefix}-{i:D3},{name},Ada,0{(i % 9) + 1}/03/1990,Female,{i} Mill Lane,NB1 2AB,1{i % 9}/04/2024,Noise,Perpetrator\n");
        }

        if (badRows)
        {
            text.Append(CultureInfo.InvariantCulture, $"{prefix}-BAD1,Quillfeather,Tom,01/01/1985,Male,9 Mill Lane,NB1 2AB,31/02/2024,Noise,Victim\n");
            text.Append(CultureInfo.InvariantCulture, $"{prefix}-BAD2,Brackenridge,Sam,02/02/1986\n");
        }

        return text.ToString();
    }

    /// <summary>The same rows as <see cref="AsbCsv"/> (good rows only) in an xlsx workbook's first sheet.</summary>
    public static byte[] AsbXlsx(string prefix, int good)
    {
        using var workbook = new XLWorkbook();
        var sheet = workbook.AddWorksheet("ASB");
        var lines = AsbCsv(prefix, good, badRows: false).TrimEnd('\n').Split('\n');
        for (var r = 0; r < lines.Length; r++)
        {
            var cells = lines[r].Split(',');
            for (var c = 0; c < cells.Length; c++)
            {
                sheet.Cell(r + 1, c + 1).SetValue(cells[c]);
            }
        }

        using var stream = new MemoryStream();
        workbook.SaveAs(stream);
        return stream.ToArray();
    }

    /// <summary>Imports a small borough (150 households, seed 11) and links it, so the review queue has pending pairs.</summary>
    public static async Task LoadLinkedBoroughAsync(IServiceProvider services, string folder, CancellationToken cancellationToken)
    {
        var borough = Path.Combine(folder, "borough-linked");
        BoroughGenerator.Generate(new GeneratorSettings { Households = 150, Seed = 11 }, borough, cancellationToken: cancellationToken);
        await using var scope = services.CreateAsyncScope();
        await BoroughImport.ImportAsync(scope.ServiceProvider.GetRequiredService<IntakeService>(), borough, "test", cancellationToken: cancellationToken);
        var lead = new Actor("u-linker", "linker", new HashSet<HearthRole> { HearthRole.DataLead });
        await scope.ServiceProvider.GetRequiredService<PersonLinkageService>().RunAsync(lead, cancellationToken: cancellationToken);
    }

    /// <summary>
    /// For the authorisation matrix: dataset 1 (a small ASB file) and review pair 1 between two of its records,
    /// so <c>/data/imports/1</c> and <c>/data/linkage/review/1</c> exist. Does nothing when dataset 1 exists.
    /// </summary>
    public static async Task SeedDatasetAndReviewAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HearthDb>();
        if (await db.Datasets.AnyAsync(cancellationToken))
        {
            return;
        }

        var path = Path.Combine(Path.GetTempPath(), "hearth-seed-" + Guid.NewGuid().ToString("N") + ".csv");
        await File.WriteAllTextAsync(path, AsbCsv("SEED", 3, badRows: true), cancellationToken);
        try
        {
            var result = await scope.ServiceProvider.GetRequiredService<IntakeService>()
                .ImportAsync(new ImportRequest(path, MappingLoader.FindShipped("police", "asb")!, "seed", "seed.csv"), cancellationToken: cancellationToken);
            if (result.DatasetId != 1)
            {
                throw new InvalidOperationException("The seed expects a fresh store: dataset " + result.DatasetId);
            }
        }
        finally
        {
            File.Delete(path);
        }

        var records = await db.SourceRecords.OrderBy(r => r.Id).Select(r => r.Id).Take(2).ToListAsync(cancellationToken);
        db.LinkReviews.Add(new LinkReview
        {
            LeftSourceRecordId = records[0],
            RightSourceRecordId = records[1],
            MatchWeight = 1.5,
            MatchProbability = 0.7387961,
            // Prior −4 + 3.5 + 2.0 = 1.5.
            Explanation = """{"prior":-4,"terms":[{"field":"family_name","level":2,"label":"exact","weight":3.5,"term_frequency_adjustment":0},{"field":"date_of_birth","level":1,"label":"year and month","weight":2,"term_frequency_adjustment":0}],"total":1.5}""",
            Status = ReviewStatus.Pending,
        });
        await db.SaveChangesAsync(cancellationToken);
    }
}
