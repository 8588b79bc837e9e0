using Hearth.Core.Intake;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Hearth.Web.Pages.Data;

public sealed class QualityModel(QualityReportService quality) : PageModel
{
    public IReadOnlyList<AgencyQuality> Report { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) => Report = await quality.ReportAsync(cancellationToken: cancellationToken);
}
