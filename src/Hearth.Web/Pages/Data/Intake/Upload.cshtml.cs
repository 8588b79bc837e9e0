using Hearth.Core.Intake;
using Hearth.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Hearth.Web.Pages.Data.Intake;

/// <summary>
/// Upload an agency extract (CSV or xlsx) with one of Hearth's shipped mappings. The file goes through the
/// same intake service and checks as <c>hearth import</c>; the page then shows the import report, or says
/// why the file was rejected, or that it was imported before.
/// </summary>
[RequestSizeLimit(UploadLimits.MaxBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = UploadLimits.MaxBytes)]
public sealed class UploadModel(ImportHistoryService imports) : PageModel
{
    /// <summary>The chosen mapping as "agency/kind".</summary>
    [BindProperty]
    public string? Extract { get; set; }

    [BindProperty]
    public IFormFile? Upload { get; set; }

    public ImportResult? Result { get; private set; }

    public static IReadOnlyList<ExtractMapping> Mappings => ImportHistoryService.Mappings;

    public static string Value(ExtractMapping mapping) => mapping.Agency + "/" + mapping.Kind;

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var mapping = Mappings.FirstOrDefault(m => string.Equals(Value(m), Extract, StringComparison.Ordinal));
        if (mapping is null)
        {
            ModelState.AddModelError(nameof(Extract), "Select the agency and extract the file comes from");
        }

        if (Upload is null || Upload.Length == 0)
        {
            ModelState.AddModelError(nameof(Upload), Upload is null ? "Select a file to upload" : "The selected file is empty");
        }
        else if (!UploadLimits.IsAcceptedName(Upload.FileName))
        {
            ModelState.AddModelError(nameof(Upload), "The selected file must be a CSV file (.csv) or an Excel workbook (.xlsx)");
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        await using var content = Upload!.OpenReadStream();
        var result = await imports.UploadAsync(User.ToActor()!, new ImportUpload(content, Upload.FileName, mapping!.Agency, mapping.Kind), cancellationToken);
        if (result.Outcome == ImportOutcome.Rejected)
        {
            foreach (var problem in result.Problems)
            {
                ModelState.AddModelError(nameof(Upload), "The file was rejected and nothing was stored: " + problem);
            }

            return Page();
        }

        Result = result;
        return Page();
    }
}
