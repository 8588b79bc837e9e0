using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Hearth.Core.Access;
using Hearth.Core.Audit;
using Hearth.Core.Data;
using Hearth.Core.Intake;
using Hearth.Core.Linkage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.IntegrationTests.Web;

/// <summary>The web app with a linked 150-household borough: the review queue has pending pairs.</summary>
public sealed class DataWebFixture : IAsyncLifetime
{
    public HearthWebFactory Factory { get; } = new();

    public async ValueTask InitializeAsync()
    {
        Factory.CreateClient().Dispose();
        await DataWebTestData.LoadLinkedBoroughAsync(Factory.Services, Path.GetDirectoryName(Factory.DatabasePath)!, TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync() => await Factory.DisposeAsync();
}

/// <summary>The data officer's screens and API over HTTP: upload, import issues and quarantine, the link review queue.</summary>
public sealed class DataScreensTests(DataWebFixture fixture) : IClassFixture<DataWebFixture>
{
    private static readonly JsonSerializerOptions SnakeCase = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private readonly HearthWebFactory _factory = fixture.Factory;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>GETs the upload page for its antiforgery token, then posts the file with the chosen extract.</summary>
    private static async Task<HttpResponseMessage> UploadAsync(HttpClient client, string fileName, byte[] content, string extract = "police/asb", bool withToken = true)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var form = new MultipartFormDataContent();
        if (withToken)
        {
            var html = await client.GetStringAsync(new Uri("/data/upload", UriKind.Relative));
            form.Add(new StringContent(HearthWebFactory.AntiforgeryToken(html)), "__RequestVerificationToken");
        }

        form.Add(new StringContent(extract), "Extract");
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue(fileName.EndsWith(".xlsx", StringComparison.Ordinal) ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "text/csv");
        form.Add(file, "Upload", fileName);
        return await client.PostAsync(new Uri("/data/upload", UriKind.Relative), form);
    }

    private async Task<T> WithDbAsync<T>(Func<HearthDb, Task<T>> work)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<HearthDb>());
    }

    private Task<int> DatasetCountAsync() => WithDbAsync(db => db.Datasets.CountAsync(Ct));

    private Task<List<long>> PendingPairsAsync() =>
        WithDbAsync(db => db.LinkReviews.Where(r => r.Status == ReviewStatus.Pending).OrderBy(r => r.Id).Select(r => r.Id).ToListAsync(Ct));

    [Fact]
    public async Task Upload_GoodCsv_ShowsTheReportAndTheImportIsListedNewestFirst()
    {
        var (client, user) = await _factory.SignInUserAsync([HearthRole.DataLead]);
        using (client)
        {
            using var response = await UploadAsync(client, "asb-good.csv", Utf8(DataWebTestData.AsbCsv("GOOD", 3, badRows: false)));
            var html = await response.Content.ReadAsStringAsync(Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("Extract imported", html, StringComparison.Ordinal);
            Assert.Contains("Rows read</dt><dd class=\"govuk-summary-list__value\">3</dd>", html, StringComparison.Ordinal);
            Assert.Contains("Rows stored</dt><dd class=\"govuk-summary-list__value\">3</dd>", html, StringComparison.Ordinal);
            Assert.Contains("Rows quarantined</dt><dd class=\"govuk-summary-list__value\">0</dd>", html, StringComparison.Ordinal);

            var dataset = await WithDbAsync(db => db.Datasets.SingleAsync(d => d.FileName == "asb-good.csv", Ct));
            Assert.Equal(user.UserName, dataset.ImportedBy);
            Assert.Equal(("police", "asb", 3, 3), (dataset.AgencyId, dataset.Kind, dataset.RowsRead, dataset.RowsStored));

            var list = await client.GetStringAsync(new Uri("/data/imports", UriKind.Relative), Ct);
            // Newest first: the upload is the first row of the list.
            var firstRow = list.IndexOf("href=\"/data/imports/", StringComparison.Ordinal);
            Assert.Equal("href=\"/data/imports/" + dataset.Id.ToString(CultureInfo.InvariantCulture) + "\"", list.Substring(firstRow, list.IndexOf('"', firstRow + 6) - firstRow + 1));
            Assert.Contains("Northbridge Police", list, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Upload_FileWithBadRows_ShowsCountsIssuesQuarantineAndTheErrorReport()
    {
        var (client, user) = await _factory.SignInUserAsync([HearthRole.DataLead]);
        using (client)
        {
            using var response = await UploadAsync(client, "asb-bad.csv", Utf8(DataWebTestData.AsbCsv("BADR", 3, badRows: true)));
            var html = await response.Content.ReadAsStringAsync(Ct);
            // 5 rows: 3 good, one with 31/02/2024 as its incident date, one with too few fields.
            Assert.Contains("Rows read</dt><dd class=\"govuk-summary-list__value\">5</dd>", html, StringComparison.Ordinal);
            Assert.Contains("Rows stored</dt><dd class=\"govuk-summary-list__value\">3</dd>", html, StringComparison.Ordinal);
            Assert.Contains("Rows quarantined</dt><dd class=\"govuk-summary-list__value\">2</dd>", html, StringComparison.Ordinal);
            Assert.Contains("INCIDENT_DATE", html, StringComparison.Ordinal);

            var id = (await WithDbAsync(db => db.Datasets.SingleAsync(d => d.FileName == "asb-bad.csv", Ct))).Id;
            var detail = await client.GetStringAsync(new Uri($"/data/imports/{id}", UriKind.Relative), Ct);
            Assert.Contains("Issues 1 to 2 of 2", detail, StringComparison.Ordinal);
            Assert.Contains("Quarantined rows 1 to 2 of 2", detail, StringComparison.Ordinal);
            // The header is line 1 and the good rows lines 2–4, so the bad rows are lines 5 and 6.
            Assert.Contains("<td class=\"govuk-table__cell\">5</td>", detail, StringComparison.Ordinal);
            Assert.Contains("<td class=\"govuk-table__cell\">6</td>", detail, StringComparison.Ordinal);
            Assert.Contains("BADR-BAD1,Quillfeather,Tom,01/01/1985,Male,9 Mill Lane,NB1 2AB,31/02/2024,Noise,Victim", detail, StringComparison.Ordinal);

            var filtered = await client.GetStringAsync(new Uri($"/data/imports/{id}?column=INCIDENT_DATE", UriKind.Relative), Ct);
            Assert.Contains("Issues 1 to 1 of 1", filtered, StringComparison.Ordinal);
            Assert.DoesNotContain("<td class=\"govuk-table__cell\">6</td>", filtered.Split("id=\"quarantine\"")[0], StringComparison.Ordinal);

            using var report = await client.GetAsync(new Uri($"/data/imports/{id}?handler=errors", UriKind.Relative), Ct);
            Assert.Equal("text/csv", report.Content.Headers.ContentType?.MediaType);
            var lines = (await report.Content.ReadAsStringAsync(Ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal("file,dataset,row,column,field,severity,code,message", lines[0].TrimEnd('\r'));
            Assert.Equal(3, lines.Length);
            Assert.StartsWith($"asb-bad.csv,{id},5,INCIDENT_DATE,start_date,Error,invalid_date,", lines[1], StringComparison.Ordinal);
            Assert.StartsWith($"asb-bad.csv,{id},6,,,Error,", lines[2], StringComparison.Ordinal);

            // Viewing the quarantine is audited with a purpose, naming the dataset and the rows shown, never their text.
            var entries = await WithDbAsync(db => db.AuditEntries.Where(a => a.ActorId == user.Id).OrderBy(a => a.Id).ToListAsync(Ct));
            // Two views of the page (all issues, then one column), two audit rows.
            var views = entries.Where(e => e.Action == "import.quarantine.view" && e.SubjectId == id.ToString(CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(2, views.Count);
            Assert.All(views, v => Assert.Equal((ImportHistoryService.Purpose, "quarantined rows 1-2 of 2 shown"), (v.Purpose, v.Detail)));
            var upload = Assert.Single(entries, e => e.Action == "import.upload");
            Assert.Equal("police/asb: imported: 5 read, 3 stored, 2 quarantined, 0 duplicate", upload.Detail);
            AssertNoPersonalData(entries, [.. DataWebTestData.FamilyNames, "Mill Lane", "01/01/1985", "NB1 2AB", "asb-bad.csv"]);
        }
    }

    public static TheoryData<string, string> RejectedFiles { get; } = new()
    {
        { "wrong-header", "the header on line 1 is missing column 'INCIDENT_DATE' (did you mean 'INCIDENT_DAY'?)" },
        { "wrong-delimiter", "the file seems to be separated by semicolons (';'), not by ','" },
        { "bad-encoding", "the file is not valid UTF-8: line 2 has byte 0xE9" },
        { "not-a-workbook", "is not an Excel workbook" },
    };

    [Theory]
    [MemberData(nameof(RejectedFiles))]
    public async Task Upload_UnreadableFile_ErrorSummaryExplainsAndNothingIsStored(string kind, string expected)
    {
        var good = DataWebTestData.AsbCsv("REJ" + kind, 2, badRows: false);
        var (name, bytes) = kind switch
        {
            "wrong-header" => ("header.csv", Utf8(good.Replace("INCIDENT_DATE", "INCIDENT_DAY", StringComparison.Ordinal))),
            "wrong-delimiter" => ("semicolons.csv", Utf8(good.Replace(',', ';'))),
            // "é" in Windows-1252 is the single byte 0xE9, which is not UTF-8.
            "bad-encoding" => ("latin.csv", Encoding.Latin1.GetBytes(good.Replace("Ada", "Ren\u00e9e", StringComparison.Ordinal))),
            _ => ("fake.xlsx", Utf8(good)),
        };
        using var client = await _factory.SignInAsync(HearthRole.DataLead);
        var before = await DatasetCountAsync();
        using var response = await UploadAsync(client, name, bytes);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var summary = html[html.IndexOf("govuk-error-summary", StringComparison.Ordinal)..];
        Assert.Contains("The file was rejected and nothing was stored: ", summary, StringComparison.Ordinal);
        Assert.Contains(expected, summary, StringComparison.Ordinal);
        Assert.Contains("<title>Error: Upload an extract", html, StringComparison.Ordinal);
        Assert.Equal(before, await DatasetCountAsync());
    }

    [Fact]
    public async Task Upload_SameFileTwice_SaysAlreadyImportedAndChangesNothing()
    {
        using var client = await _factory.SignInAsync(HearthRole.DataLead);
        var bytes = Utf8(DataWebTestData.AsbCsv("TWICE", 2, badRows: false));
        using (var first = await UploadAsync(client, "twice.csv", bytes))
        {
            Assert.Contains("Extract imported", await first.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        var id = (await WithDbAsync(db => db.Datasets.SingleAsync(d => d.FileName == "twice.csv", Ct))).Id;
        var (datasets, records) = await WithDbAsync(async db => (await db.Datasets.CountAsync(Ct), await db.SourceRecords.CountAsync(Ct)));
        using var second = await UploadAsync(client, "twice-again.csv", bytes);
        var html = await second.Content.ReadAsStringAsync(Ct);
        Assert.Contains("Already imported", html, StringComparison.Ordinal);
        Assert.Contains($"this file was already imported as dataset {id} (&#x27;twice.csv&#x27;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Extract imported", html, StringComparison.Ordinal);
        Assert.Equal((datasets, records), await WithDbAsync(async db => (await db.Datasets.CountAsync(Ct), await db.SourceRecords.CountAsync(Ct))));
    }

    [Fact]
    public async Task Upload_Workbook_IsReadFromItsFirstSheet()
    {
        using var client = await _factory.SignInAsync(HearthRole.DataLead);
        using var response = await UploadAsync(client, "asb.xlsx", DataWebTestData.AsbXlsx("XLSX", 2));
        Assert.Contains("Rows stored</dt><dd class=\"govuk-summary-list__value\">2</dd>", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(2, (await WithDbAsync(db => db.Datasets.SingleAsync(d => d.FileName == "asb.xlsx", Ct))).RowsStored);
    }

    [Fact]
    public async Task Upload_WithoutChoosingExtractOrFile_ErrorSummaryNamesBoth()
    {
        using var client = await _factory.SignInAsync(HearthRole.DataLead);
        var html = await client.GetStringAsync(new Uri("/data/upload", UriKind.Relative), Ct);
        using var form = new MultipartFormDataContent
        {
            { new StringContent(HearthWebFactory.AntiforgeryToken(html)), "__RequestVerificationToken" },
            { new StringContent(string.Empty), "Extract" },
        };
        using var response = await client.PostAsync(new Uri("/data/upload", UriKind.Relative), form, Ct);
        var page = await response.Content.ReadAsStringAsync(Ct);
        Assert.Contains("<a href=\"#Extract\">Select the agency and extract the file comes from</a>", page, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#Upload\">Select a file to upload</a>", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upload_WithoutAntiforgeryToken_IsRefusedAndNothingIsStored()
    {
        using var client = await _factory.SignInAsync(HearthRole.DataLead);
        var before = await DatasetCountAsync();
        using var response = await UploadAsync(client, "forged.csv", Utf8(DataWebTestData.AsbCsv("FORGED", 2, badRows: false)), withToken: false);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(before, await DatasetCountAsync());
    }

    [Fact]
    public async Task ReviewQueue_ListsPendingPairsWithWeightAndProbability()
    {
        using var client = await _factory.SignInAsync(HearthRole.DataLead);
        var html = await client.GetStringAsync(new Uri("/data/linkage/review", UriKind.Relative), Ct);
        var pending = await WithDbAsync(db => db.LinkReviews.Where(r => r.Status == ReviewStatus.Pending).ToListAsync(Ct));
        var run = await WithDbAsync(db => db.LinkageRuns.OrderByDescending(r => r.Id).FirstAsync(Ct));
        Assert.NotEmpty(pending);
        Assert.Contains($"{pending.Count} pending {(pending.Count == 1 ? "pair" : "pairs")}, strongest first", html, StringComparison.Ordinal);
        foreach (var p in pending)
        {
            Assert.InRange(p.MatchWeight, run.ReviewWeight, run.ThresholdWeight);
            Assert.Contains($"href=\"/data/linkage/review/{p.Id}\"", html, StringComparison.Ordinal);
            Assert.Contains(p.MatchProbability.ToString("P2", CultureInfo.InvariantCulture), html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Pair_ShowsBothRecordsTheWaterfallAndItsTable_WithoutStyleAttributes()
    {
        using var client = await _factory.SignInAsync(HearthRole.DataLead);
        var id = (await PendingPairsAsync())[0];
        var review = await WithDbAsync(db => db.LinkReviews.SingleAsync(r => r.Id == id, Ct));
        var (left, right) = await WithDbAsync(async db => (
            await db.SourceRecords.SingleAsync(r => r.Id == review.LeftSourceRecordId, Ct), await db.SourceRecords.SingleAsync(r => r.Id == review.RightSourceRecordId, Ct)));
        using var response = await client.GetAsync(new Uri($"/data/linkage/review/{id}", UriKind.Relative), Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(WebUtility.HtmlEncode(left.AgencyRecordId), html, StringComparison.Ordinal);
        Assert.Contains(WebUtility.HtmlEncode(right.AgencyRecordId), html, StringComparison.Ordinal);
        Assert.Contains("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"hearth-waterfall\"", html, StringComparison.Ordinal);
        Assert.Contains("role=\"img\" aria-labelledby=\"waterfall-title waterfall-desc\"", html, StringComparison.Ordinal);
        Assert.Contains("Match weight, step by step", html, StringComparison.Ordinal);
        Assert.DoesNotContain(" style=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<style", html, StringComparison.OrdinalIgnoreCase);
        // A pair below the automatic threshold differs somewhere (same details would have been linked as identical).
        Assert.Contains("hearth-pair__row--differs", html, StringComparison.Ordinal);

        // The explanation's bars: the prior and every term add up to the total shown.
        var explanation = JsonSerializer.Deserialize<ReviewExplanation>(review.Explanation, SnakeCase)!;
        Assert.Equal(explanation.Terms.Count + 2, html.Split("class=\"hearth-waterfall__bar ").Length - 1);
        Assert.Equal(review.MatchWeight, explanation.Prior + explanation.Terms.Sum(t => t.Weight + t.TermFrequencyAdjustment), 6);
        Assert.Contains("<strong>" + Hearth.Web.Infrastructure.WaterfallChart.Weight(review.MatchWeight) + "</strong>", WebUtility.HtmlDecode(html), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decide_WithoutReasonOrDecision_ShowsErrorsAndChangesNothing()
    {
        using var client = await _factory.SignInAsync(HearthRole.DataLead);
        var id = (await PendingPairsAsync())[0];
        var path = $"/data/linkage/review/{id}";
        using var response = await HearthWebFactory.PostFormAsync(client, path, new() { ["Decision"] = "accept", ["Reason"] = "  " });
        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<a href=\"#Reason\">Enter the reason for your decision</a>", html, StringComparison.Ordinal);
        using var none = await HearthWebFactory.PostFormAsync(client, path, new() { ["Reason"] = "looked at it" });
        Assert.Contains("<a href=\"#Decision\">Select whether the two records are the same person</a>", await none.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(ReviewStatus.Pending, (await WithDbAsync(db => db.LinkReviews.SingleAsync(r => r.Id == id, Ct))).Status);
    }

    [Fact]
    public async Task Decide_WithoutAntiforgeryToken_IsRefused()
    {
        using var client = await _factory.SignInAsync(HearthRole.DataLead);
        var id = (await PendingPairsAsync())[0];
        using var content = new FormUrlEncodedContent(new Dictionary<string, string> { ["Decision"] = "accept", ["Reason"] = "forged" });
        using var response = await client.PostAsync(new Uri($"/data/linkage/review/{id}", UriKind.Relative), content, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(ReviewStatus.Pending, (await WithDbAsync(db => db.LinkReviews.SingleAsync(r => r.Id == id, Ct))).Status);
    }

    [Fact]
    public async Task Decide_AcceptAndReject_AreKeptShownAndSurviveTheNextRun()
    {
        var (client, user) = await _factory.SignInUserAsync([HearthRole.DataLead]);
        using (client)
        {
            // Reject the last pending pair; accept one whose persons no rejected pair touches (a rejection
            // forbids every join that would put its two records in one person).
            var reviews = await WithDbAsync(db => db.LinkReviews.OrderBy(r => r.Id).ToListAsync(Ct));
            var current = await WithDbAsync(db => db.PersonRecords.ToDictionaryAsync(p => p.SourceRecordId, p => p.PersonId, Ct));
            var rejected = reviews.Last(r => r.Status == ReviewStatus.Pending).Id;
            var blocked = reviews.Where(r => r.Status == ReviewStatus.Rejected || r.Id == rejected)
                .SelectMany(r => new[] { current[r.LeftSourceRecordId], current[r.RightSourceRecordId] }).ToHashSet();
            var accepted = reviews.First(r => r.Status == ReviewStatus.Pending && r.Id != rejected
                && !blocked.Contains(current[r.LeftSourceRecordId]) && !blocked.Contains(current[r.RightSourceRecordId])).Id;
            using (var response = await HearthWebFactory.PostFormAsync(client, $"/data/linkage/review/{accepted}", new() { ["Decision"] = "accept", ["Reason"] = "same NHS number on the GP letter" }))
            {
                Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
                Assert.Equal($"/data/linkage/review/{accepted}", response.Headers.Location?.OriginalString);
            }

            var page = await client.GetStringAsync(new Uri($"/data/linkage/review/{accepted}", UriKind.Relative), Ct);
            Assert.Contains($"Pair {accepted} accepted: the records will be linked as one person from the next linkage run.", page, StringComparison.Ordinal);
            Assert.Contains($"by {user.UserName} on ", page, StringComparison.Ordinal);
            Assert.Contains("<q>same NHS number on the GP letter</q>", page, StringComparison.Ordinal);
            Assert.Contains("Change the decision", page, StringComparison.Ordinal);

            using (var response = await HearthWebFactory.PostFormAsync(client, $"/data/linkage/review/{rejected}", new() { ["Decision"] = "reject", ["Reason"] = "different dates of birth, twins" }))
            {
                Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            }

            var a = await WithDbAsync(db => db.LinkReviews.SingleAsync(r => r.Id == accepted, Ct));
            Assert.Equal((ReviewStatus.Accepted, user.UserName, "same NHS number on the GP letter"), (a.Status, a.DecidedBy, a.Reason));
            var r = await WithDbAsync(db => db.LinkReviews.SingleAsync(x => x.Id == rejected, Ct));
            Assert.Equal((ReviewStatus.Rejected, user.UserName, "different dates of birth, twins"), (r.Status, r.DecidedBy, r.Reason));
            var decided = await client.GetStringAsync(new Uri("/data/linkage/review?status=all", UriKind.Relative), Ct);
            Assert.Contains($"by {user.UserName}, ", decided, StringComparison.Ordinal);

            // The next linkage run applies the decisions: the accepted pair is one person, the rejected pair two.
            await using (var scope = _factory.Services.CreateAsyncScope())
            {
                var lead = new Actor("u-linker", "linker", new HashSet<HearthRole> { HearthRole.DataLead });
                await scope.ServiceProvider.GetRequiredService<PersonLinkageService>().RunAsync(lead, cancellationToken: Ct);
            }

            var personOf = await WithDbAsync(db => db.PersonRecords.ToDictionaryAsync(p => p.SourceRecordId, p => p.PersonId, Ct));
            Assert.Equal(personOf[a.LeftSourceRecordId], personOf[a.RightSourceRecordId]);
            Assert.NotEqual(personOf[r.LeftSourceRecordId], personOf[r.RightSourceRecordId]);
            Assert.Equal(ReviewStatus.Accepted, (await WithDbAsync(db => db.LinkReviews.SingleAsync(x => x.Id == accepted, Ct))).Status);

            // Audit: the views and decisions name the pair only, never the people.
            var sources = await WithDbAsync(db => db.SourceRecords.Where(s => s.Id == a.LeftSourceRecordId || s.Id == a.RightSourceRecordId).ToListAsync(Ct));
            var entries = await WithDbAsync(db => db.AuditEntries.Where(e => e.ActorId == user.Id).ToListAsync(Ct));
            Assert.Contains(entries, e => e.Action == "link.accept" && e.SubjectId == accepted.ToString(CultureInfo.InvariantCulture) && e.Purpose == PersonLinkageService.ReviewPurpose);
            Assert.Contains(entries, e => e.Action == "link.reject" && e.SubjectId == rejected.ToString(CultureInfo.InvariantCulture));
            Assert.Contains(entries, e => e.Action == "link.review.show" && e.SubjectId == accepted.ToString(CultureInfo.InvariantCulture));
            AssertNoPersonalData(entries, [.. sources.SelectMany(s => new[] { s.GivenName, s.FamilyName, s.Postcode, s.NhsNumber, s.Address }).OfType<string>(), "GP letter", "twins"]);
        }
    }

    [Fact]
    public async Task Api_Imports_UploadListAndIssues()
    {
        using var client = await _factory.SignInAsync(HearthRole.DataLead);
        var bytes = Utf8(DataWebTestData.AsbCsv("API", 2, badRows: true));
        MultipartFormDataContent Form(string name, byte[] content) => new()
        {
            { new StringContent("police"), "agency" },
            { new StringContent("asb"), "kind" },
            { new ByteArrayContent(content) { Headers = { ContentType = new MediaTypeHeaderValue("text/csv") } }, "file", name },
        };

        using (var form = Form("api.csv", bytes))
        using (var noHeader = await client.PostAsync(new Uri("/api/imports", UriKind.Relative), form, Ct))
        {
            Assert.Equal(HttpStatusCode.BadRequest, noHeader.StatusCode);
        }

        client.DefaultRequestHeaders.Add("X-Hearth-Client", "tests");
        long id;
        using (var form = Form("api.csv", bytes))
        using (var created = await client.PostAsync(new Uri("/api/imports", UriKind.Relative), form, Ct))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            using var json = JsonDocument.Parse(await created.Content.ReadAsStringAsync(Ct));
            Assert.Equal("imported", json.RootElement.GetProperty("outcome").GetString());
            // 2 good rows, 2 bad ones.
            Assert.Equal((4, 2, 2), (json.RootElement.GetProperty("rowsRead").GetInt32(), json.RootElement.GetProperty("rowsStored").GetInt32(), json.RootElement.GetProperty("rowsQuarantined").GetInt32()));
            id = json.RootElement.GetProperty("dataset").GetInt64();
            Assert.Equal($"/api/imports/{id}", created.Headers.Location?.OriginalString);
        }

        using (var form = Form("api-again.csv", bytes))
        using (var again = await client.PostAsync(new Uri("/api/imports", UriKind.Relative), form, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
            Assert.Equal("already_imported", (await again.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("outcome").GetString());
        }

        using (var form = Form("header.csv", Utf8("REF,NAME\nA,B\n")))
        using (var rejected = await client.PostAsync(new Uri("/api/imports", UriKind.Relative), form, Ct))
        {
            Assert.Equal(HttpStatusCode.BadRequest, rejected.StatusCode);
            var body = await rejected.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.Equal("rejected", body.GetProperty("outcome").GetString());
            Assert.StartsWith("the header on line 1 is missing columns", body.GetProperty("problems")[0].GetString(), StringComparison.Ordinal);
        }

        var list = await client.GetFromJsonAsync<JsonElement>(new Uri("/api/imports?pageSize=5", UriKind.Relative), Ct);
        Assert.Equal(id, list.GetProperty("items")[0].GetProperty("id").GetInt64());
        var detail = await client.GetFromJsonAsync<JsonElement>(new Uri($"/api/imports/{id}?column=INCIDENT_DATE", UriKind.Relative), Ct);
        Assert.Equal(2, detail.GetProperty("import").GetProperty("rowsQuarantined").GetInt32());
        var issue = Assert.Single(detail.GetProperty("issues").GetProperty("items").EnumerateArray());
        // Header line 1, two good rows on lines 2–3, so the bad date is on line 4.
        Assert.Equal((4, "invalid_date"), (issue.GetProperty("row").GetInt32(), issue.GetProperty("code").GetString()));
    }

    [Fact]
    public async Task Api_Reviews_ListAndDecide()
    {
        using var client = await _factory.SignInAsync(HearthRole.DataLead);
        var list = await client.GetFromJsonAsync<JsonElement>(new Uri("/api/linkage/reviews", UriKind.Relative), Ct);
        Assert.All(list.EnumerateArray(), r => Assert.Equal("pending", r.GetProperty("status").GetString()));
        var id = list[0].GetProperty("id").GetInt64();
        using (var noReason = await client.PostAsJsonAsync(new Uri($"/api/linkage/reviews/{id}/decision", UriKind.Relative), new { decision = "reject", reason = "" }, Ct))
        {
            Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
            Assert.True((await noReason.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors").TryGetProperty("reason", out _));
        }

        using (var missing = await client.PostAsJsonAsync(new Uri("/api/linkage/reviews/999999/decision", UriKind.Relative), new { decision = "reject", reason = "x" }, Ct))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }

        using (var decided = await client.PostAsJsonAsync(new Uri($"/api/linkage/reviews/{id}/decision", UriKind.Relative), new { decision = "reject", reason = "different people at one address" }, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, decided.StatusCode);
            Assert.Equal("rejected", (await decided.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("status").GetString());
        }

        var rejected = await client.GetFromJsonAsync<JsonElement>(new Uri("/api/linkage/reviews?status=rejected", UriKind.Relative), Ct);
        Assert.Contains(rejected.EnumerateArray(), r => r.GetProperty("id").GetInt64() == id);
        Assert.Equal("different people at one address", (await WithDbAsync(db => db.LinkReviews.SingleAsync(r => r.Id == id, Ct))).Reason);
    }

    [Theory]
    [InlineData(HearthRole.KeyWorker)]
    [InlineData(HearthRole.Analyst)]
    [InlineData(HearthRole.Administrator)]
    public async Task Api_OtherRoles_AreForbidden(HearthRole role)
    {
        using var client = await _factory.SignInAsync(role);
        client.DefaultRequestHeaders.Add("X-Hearth-Client", "tests");
        using var imports = await client.GetAsync(new Uri("/api/imports", UriKind.Relative), Ct);
        using var reviews = await client.GetAsync(new Uri("/api/linkage/reviews", UriKind.Relative), Ct);
        using var decide = await client.PostAsJsonAsync(new Uri("/api/linkage/reviews/1/decision", UriKind.Relative), new { decision = "accept", reason = "x" }, Ct);
        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (imports.StatusCode, reviews.StatusCode, decide.StatusCode));
    }

    [Fact]
    public async Task OpenApi_DescribesTheDataEndpoints()
    {
        using var client = await _factory.SignInAsync(HearthRole.DataLead);
        var doc = await client.GetFromJsonAsync<JsonElement>(new Uri("/openapi/v1.json", UriKind.Relative), Ct);
        var paths = doc.GetProperty("paths");
        Assert.True(paths.GetProperty("/api/imports").TryGetProperty("post", out var post));
        Assert.True(post.GetProperty("requestBody").GetProperty("content").TryGetProperty("multipart/form-data", out _));
        Assert.True(paths.GetProperty("/api/imports").TryGetProperty("get", out _));
        Assert.True(paths.GetProperty("/api/imports/{id}").TryGetProperty("get", out _));
        Assert.True(paths.GetProperty("/api/linkage/reviews").TryGetProperty("get", out _));
        Assert.True(paths.GetProperty("/api/linkage/reviews/{id}/decision").TryGetProperty("post", out _));
    }

    private static void AssertNoPersonalData(IEnumerable<AuditEntry> entries, IEnumerable<string> values)
    {
        var texts = entries.SelectMany(e => new[] { e.Detail, e.SubjectId, e.SubjectType, e.Action }).OfType<string>().ToList();
        foreach (var value in values.Where(v => v.Length > 2))
        {
            Assert.DoesNotContain(texts, t => t.Contains(value, StringComparison.OrdinalIgnoreCase));
        }
    }
}
