using Hearth.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Hearth.Web.Pages;

public sealed class IndexModel(StoreSummaryQuery query) : PageModel
{
    public StoreSummary Summary { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken) => Summary = await query.RunAsync(cancellationToken);
}
