using Hearth.Core.Intake;
using Hearth.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Hearth.Web.Pages.Data.Intake;

/// <summary>The datasets imported, newest first, 25 a page.</summary>
public sealed class IndexModel(ImportHistoryService imports) : PageModel
{
    public const int PageSize = 25;

    [BindProperty(SupportsGet = true, Name = "page")]
    public int PageNumber { get; set; } = 1;

    public Paged<ImportSummary> Imports { get; private set; } = new([], 1, PageSize, 0);

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Imports = await imports.ListAsync(User.ToActor()!, PageNumber, PageSize, cancellationToken);
}
