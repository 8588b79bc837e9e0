using Hearth.Core.Programmes;
using Hearth.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Hearth.Web.Pages.Claims;

/// <summary>Claim batches and claims, filtered by window, status and audit sample.</summary>
public sealed class IndexModel(ProgrammeClaimsService service) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Window { get; set; }

    [BindProperty(SupportsGet = true)]
    public ClaimStatus? Status { get; set; }

    /// <summary>"yes" for sampled claims only, "no" for the rest, empty for both.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Sampled { get; set; }

    public IReadOnlyList<ClaimBatchSummary> Batches { get; private set; } = [];

    public IReadOnlyList<ProgrammeClaim> Claims { get; private set; } = [];

    public Core.Money Total { get; private set; } = Core.Money.Zero;

    public async Task OnGetAsync(CancellationToken ct)
    {
        var actor = User.ToActor() ?? throw new InvalidOperationException("The page needs a signed-in user.");
        Batches = await service.ListBatchesAsync(actor, ct);
        var claims = await service.ListAsync(actor, string.IsNullOrWhiteSpace(Window) ? null : Window, Status, ct);
        Claims = [.. claims.Where(c => Sampled switch { "yes" => c.SampledBecause is not null, "no" => c.SampledBecause is null, _ => true })];
        Total = Claims.Aggregate(Core.Money.Zero, (m, c) => m + new Core.Money(c.AmountPence));
    }
}
