using Hearth.Core.Data;
using Hearth.Core.Linkage;
using Hearth.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Web.Pages.Data.Linkage;

/// <summary>The link review queue: pairs whose match weight fell between the review and automatic thresholds.</summary>
public sealed class IndexModel(PersonLinkageService linkage, HearthDb db) : PageModel
{
    /// <summary>Most pairs listed at once (the strongest first).</summary>
    public const int Limit = 500;

    /// <summary>"pending" (the default), "accepted", "rejected" or "all".</summary>
    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    public ReviewStatus? Showing { get; private set; }

    public IReadOnlyList<ReviewSummary> Pairs { get; private set; } = [];

    public LinkageRun? LatestRun { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Showing = Status?.ToLowerInvariant() switch
        {
            "accepted" => ReviewStatus.Accepted,
            "rejected" => ReviewStatus.Rejected,
            "all" => null,
            _ => ReviewStatus.Pending,
        };
        Status = Showing?.ToString().ToLowerInvariant() ?? "all";
        Pairs = await linkage.ListReviewsAsync(User.ToActor()!, Showing, Limit, cancellationToken);
        LatestRun = await db.LinkageRuns.AsNoTracking().Where(r => r.CompletedUtc != null).OrderByDescending(r => r.Id).FirstOrDefaultAsync(cancellationToken);
    }
}
