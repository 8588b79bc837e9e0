using Hearth.Core.Data;
using Hearth.Core.Intake;
using Hearth.Core.Linkage;
using Hearth.Web.Infrastructure;
using Hearth.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Mvc;

namespace Hearth.Web.Pages.Api;

/// <summary>An imported dataset: counts only.</summary>
public sealed record ImportDto(
    long Id, string Agency, string AgencyName, string Kind, DateOnly? PeriodStart, DateOnly? PeriodEnd, string FileName, int RowsRead, int RowsStored,
    int RowsQuarantined, int RowsDuplicate, int RowsWithWarnings, string Status, string ImportedBy, DateTime StartedUtc, DateTime? CompletedUtc);

public sealed record ImportPageDto(IReadOnlyList<ImportDto> Items, int Page, int PageSize, int Total);

public sealed record IssueDto(int? Row, string? Column, string? Field, string Severity, string Code, string Message);

public sealed record IssuePageDto(IReadOnlyList<IssueDto> Items, int Page, int PageSize, int Total);

public sealed record ColumnCountDto(string? Column, int Issues);

public sealed record ImportDetailDto(ImportDto Import, IReadOnlyList<ColumnCountDto> Columns, IReadOnlyDictionary<string, int> Codes, IssuePageDto Issues);

/// <summary>What an upload did: <c>imported</c>, <c>already_imported</c> (nothing changed) or <c>rejected</c> (nothing stored).</summary>
public sealed record ImportResultDto(
    string Outcome, string FileName, long? Dataset, int RowsRead, int RowsStored, int RowsQuarantined, int RowsDuplicate, int RowsWithWarnings,
    IReadOnlyList<string> Problems, IReadOnlyDictionary<string, int> IssueCounts);

public sealed record ReviewDto(
    long Id, string Status, double MatchWeight, double MatchProbability, long LeftSourceRecord, string LeftAgency, long RightSourceRecord, string RightAgency,
    string? DecidedBy, DateTime? DecidedUtc);

/// <summary>A reviewer's decision: <c>accept</c> (same person) or <c>reject</c> (different people), and why.</summary>
public sealed record ReviewDecisionInput(string? Decision, string? Reason);

public sealed record ReviewDecisionDto(long Id, string Status, string? DecidedBy, DateTime? DecidedUtc, string? Reason);

/// <summary>
/// The data officer's API: imports under <c>/api/imports</c> (policy ManageData) and the link review queue under
/// <c>/api/linkage/reviews</c> (policy ReviewLinks), through the same services, checks and audit as the pages.
/// The upload is multipart, which a cross-site form could send, so besides the SameSite session cookie it must
/// carry the <see cref="ClientHeader"/> header, which a form cannot set and a cross-site script may not send.
/// </summary>
public static class DataApi
{
    /// <summary>The header an upload must carry (any value, e.g. the client's name).</summary>
    public const string ClientHeader = "X-Hearth-Client";

    public static IEndpointRouteBuilder MapDataApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var imports = app.MapGroup("/api/imports").RequireAuthorization(HearthPolicies.ManageData).WithTags("Imports");
        imports.MapGet("", ListImportsAsync).WithName("ListImports").WithSummary("Imported datasets, newest first, paged.");
        imports.MapGet("/{id:long}", GetImportAsync).WithName("GetImport").WithSummary("One import with its issues (row, column, reason), paged and optionally of one column.");
        imports.MapPost("", UploadAsync).WithName("UploadImport")
            .WithSummary("Upload an agency extract (multipart: agency, kind, file) and import it with Hearth's shipped mapping.")
            .WithDescription($"Send the header {ClientHeader}. 201 when imported, 200 when the same file was imported before (nothing changed), 400 when the file was rejected (nothing stored).")
            .DisableAntiforgery()
            .WithMetadata(new RequestSizeLimitAttribute(UploadLimits.MaxBytes), new RequestFormLimitsAttribute { MultipartBodyLengthLimit = UploadLimits.MaxBytes });
        var reviews = app.MapGroup("/api/linkage/reviews").RequireAuthorization(HearthPolicies.ReviewLinks).WithTags("Link review");
        reviews.MapGet("", ListReviewsAsync).WithName("ListReviews").WithSummary("Review-queue pairs, strongest first: status pending (default), accepted, rejected or all.");
        reviews.MapPost("/{id:long}/decision", DecideAsync).WithName("DecideReview").WithSummary("Accept (same person) or reject (different people) a pair, with a reason.");
        return app;
    }

    private static Core.Access.Actor ActorOf(HttpContext http) =>
        http.User.ToActor() ?? throw new InvalidOperationException("The endpoint needs a signed-in user.");

    private static async Task<IResult> ListImportsAsync(HttpContext http, ImportHistoryService service, int? page, int? pageSize, CancellationToken ct)
    {
        var list = await service.ListAsync(ActorOf(http), page ?? 1, pageSize ?? 50, ct);
        return TypedResults.Ok(new ImportPageDto([.. list.Items.Select(Dto)], list.Page, list.PageSize, list.Total));
    }

    private static async Task<IResult> GetImportAsync(HttpContext http, ImportHistoryService service, long id, string? column, int? page, int? pageSize, CancellationToken ct)
    {
        var actor = ActorOf(http);
        var detail = await service.GetAsync(actor, id, ct);
        if (detail is null)
        {
            return TypedResults.NotFound();
        }

        var issues = await service.IssuesAsync(actor, id, column, page ?? 1, pageSize ?? 100, ct);
        return TypedResults.Ok(new ImportDetailDto(
            Dto(detail.Summary),
            [.. detail.Columns.Select(c => new ColumnCountDto(c.Column, c.Count))],
            detail.Codes,
            new IssuePageDto([.. issues.Items.Select(i => new IssueDto(i.RowNumber, i.ColumnName, i.Field, i.Severity.ToString().ToLowerInvariant(), i.Code, i.Message))],
                issues.Page, issues.PageSize, issues.Total)));
    }

    private static async Task<IResult> UploadAsync(
        HttpContext http, ImportHistoryService service, [FromForm] string? agency, [FromForm] string? kind, IFormFile? file, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(http.Request.Headers[ClientHeader]))
        {
            return TypedResults.Problem($"Uploads must carry the {ClientHeader} header.", statusCode: StatusCodes.Status400BadRequest);
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var mapping = ImportHistoryService.Mappings.FirstOrDefault(m => string.Equals(m.Agency, agency, StringComparison.Ordinal) && string.Equals(m.Kind, kind, StringComparison.Ordinal));
        if (mapping is null)
        {
            errors["kind"] = [$"Hearth has no mapping for agency '{agency}', kind '{kind}'. Known: {string.Join(", ", ImportHistoryService.Mappings.Select(m => m.Agency + "/" + m.Kind))}."];
        }

        if (file is null || file.Length == 0)
        {
            errors["file"] = [file is null ? "Send the extract as the form field 'file'." : "The file is empty."];
        }
        else if (!UploadLimits.IsAcceptedName(file.FileName))
        {
            errors["file"] = ["The file must be a CSV file (.csv) or an Excel workbook (.xlsx)."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        await using var content = file!.OpenReadStream();
        var result = await service.UploadAsync(ActorOf(http), new ImportUpload(content, file.FileName, mapping!.Agency, mapping.Kind), ct);
        var dto = new ImportResultDto(
            System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(result.Outcome.ToString()), result.FileName, result.DatasetId, result.RowsRead, result.RowsStored,
            result.RowsQuarantined, result.RowsDuplicate, result.RowsWithWarnings, result.Problems, result.IssueCounts);
        return result.Outcome switch
        {
            ImportOutcome.Imported => TypedResults.Created($"/api/imports/{result.DatasetId}", dto),
            ImportOutcome.AlreadyImported => TypedResults.Ok(dto),
            _ => TypedResults.BadRequest(dto),
        };
    }

    private static async Task<IResult> ListReviewsAsync(HttpContext http, PersonLinkageService service, string? status, int? limit, CancellationToken ct)
    {
        ReviewStatus? wanted;
        switch (status?.ToLowerInvariant())
        {
            case null or "" or "pending":
                wanted = ReviewStatus.Pending;
                break;
            case "accepted":
                wanted = ReviewStatus.Accepted;
                break;
            case "rejected":
                wanted = ReviewStatus.Rejected;
                break;
            case "all":
                wanted = null;
                break;
            default:
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["status"] = ["Use pending, accepted, rejected or all."] });
        }

        var list = await service.ListReviewsAsync(ActorOf(http), wanted, Math.Clamp(limit ?? 100, 1, 1000), ct);
        return TypedResults.Ok(list.Select(r => new ReviewDto(r.Id, r.Status.ToString().ToLowerInvariant(), r.MatchWeight, r.MatchProbability, r.LeftSourceRecordId, r.LeftAgency,
            r.RightSourceRecordId, r.RightAgency, r.DecidedBy, r.DecidedUtc)).ToList());
    }

    private static async Task<IResult> DecideAsync(HttpContext http, PersonLinkageService service, long id, ReviewDecisionInput input, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var decision = input?.Decision?.Trim().ToLowerInvariant();
        if (decision is not ("accept" or "reject"))
        {
            errors["decision"] = ["Use accept (the records are the same person) or reject (they are different people)."];
        }

        if (string.IsNullOrWhiteSpace(input?.Reason))
        {
            errors["reason"] = ["A reason is required for every review decision."];
        }
        else if (input.Reason.Length > 1000)
        {
            errors["reason"] = ["The reason must be 1,000 characters or fewer."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        try
        {
            var actor = ActorOf(http);
            var review = decision == "accept"
                ? await service.AcceptAsync(actor, id, input!.Reason!, ct)
                : await service.RejectAsync(actor, id, input!.Reason!, ct);
            return TypedResults.Ok(new ReviewDecisionDto(review.Id, review.Status.ToString().ToLowerInvariant(), review.DecidedBy, review.DecidedUtc, review.Reason));
        }
        catch (KeyNotFoundException)
        {
            return TypedResults.NotFound();
        }
    }

    private static ImportDto Dto(ImportSummary s) => new(
        s.Id, s.AgencyId, s.AgencyName, s.Kind, s.PeriodStart, s.PeriodEnd, s.FileName, s.RowsRead, s.RowsStored, s.RowsQuarantined, s.RowsDuplicate,
        s.RowsWithWarnings, s.Status.ToString().ToLowerInvariant(), s.ImportedBy, s.StartedUtc, s.CompletedUtc);
}
