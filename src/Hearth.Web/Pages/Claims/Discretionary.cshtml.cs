using Hearth.Core;
using Hearth.Core.Programmes;
using Hearth.Web.Infrastructure;
using Hearth.Web.Pages.Api;
using Hearth.Web.Pages.Families;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Hearth.Web.Pages.Claims;

/// <summary>
/// A senior officer's discretionary claim (rule F6): a result the rules alone would not pay, approved with a
/// written rationale, in an existing claim window. Always sampled for audit.
/// </summary>
public sealed class DiscretionaryModel(ProgrammeClaimsService service, ClaimFrameworks frameworks) : PageModel
{
    /// <summary>The batch ("framework/window") whose window the claim is made in.</summary>
    [BindProperty]
    public string? Batch { get; set; }

    [BindProperty]
    public string? Family { get; set; }

    [BindProperty]
    public string? Result { get; set; }

    [BindProperty]
    public DateInput ClaimDate { get; set; } = new();

    [BindProperty]
    public string? Rationale { get; set; }

    public IReadOnlyList<ClaimBatchSummary> Batches { get; private set; } = [];

    /// <summary>The results of the frameworks that have batches, as (framework, result id, title).</summary>
    public IReadOnlyList<(string Framework, string Id, string Title)> Results { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var actor = User.ToActor() ?? throw new InvalidOperationException("The page needs a signed-in user.");
        await LoadAsync(ct);
        var batch = Batches.FirstOrDefault(b => b.Batch.Reference == Batch)?.Batch;
        var framework = frameworks.Find(batch?.FrameworkId);
        if (batch is null || framework is null)
        {
            ModelState.AddModelError(nameof(Batch), "Select the claim window the claim is made in.");
        }

        var family = Family?.Trim().ToUpperInvariant() ?? string.Empty;
        if (!System.Text.RegularExpressions.Regex.IsMatch(family, "^F[0-9]{1,12}$", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1)))
        {
            ModelState.AddModelError(nameof(Family), "Enter the family reference, for example F0000123.");
        }

        var result = Result?.Trim() ?? string.Empty;
        if (result.Length == 0 || (framework is not null && framework.Results.All(r => r.Id != result)))
        {
            ModelState.AddModelError(nameof(Result), framework is null ? "Select the result claimed." : $"Select a result of {framework.Id}.");
        }

        var claimDate = ClaimsText.ReadDate(ModelState, ClaimDate, nameof(ClaimDate), "the claim date");
        if (claimDate is { } cd && batch is not null && !new DatePeriod(batch.WindowStart, batch.WindowEnd).Contains(cd))
        {
            ModelState.AddModelError(nameof(ClaimDate), $"The claim date must fall within window {batch.WindowId} ({ClaimsText.Date(batch.WindowStart)} to {ClaimsText.Date(batch.WindowEnd)}).");
        }

        if (string.IsNullOrWhiteSpace(Rationale) || Rationale.Trim().Length < 20)
        {
            ModelState.AddModelError(nameof(Rationale), "Enter your rationale for paying this result (at least 20 characters).");
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        var window = new ClaimWindow(batch!.WindowId, batch.FrameworkId, new DatePeriod(batch.WindowStart, batch.WindowEnd), batch.AllocationFamilies);
        try
        {
            var reference = await service.DraftDiscretionaryAsync(actor, framework!, family, result, window, claimDate!.Value, Rationale!.Trim(), ct);
            TempData["ClaimMoved"] = "The discretionary claim is drafted and sampled for audit.";
            return LocalRedirect(ClaimsText.Url(reference));
        }
        catch (ClaimRefusedException ex)
        {
            foreach (var b in ex.Broken)
            {
                var field = b.Rule switch
                {
                    "KnownFamily" => nameof(Family),
                    "KnownResult" => nameof(Result),
                    "WithinClaimWindow" => nameof(ClaimDate),
                    "RationaleRecorded" => nameof(Rationale),
                    _ => string.Empty,
                };
                ModelState.AddModelError(field, b.Rule == "NoDoubleClaim"
                    ? $"Family {family} already has a live claim for {result} under this scheme, so it cannot be claimed again."
                    : $"{b.Message} ({b.Rule}).");
            }

            return Page();
        }
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var actor = User.ToActor() ?? throw new InvalidOperationException("The page needs a signed-in user.");
        Batches = await service.ListBatchesAsync(actor, ct);
        Results = [.. Batches.Select(b => b.Batch.FrameworkId).Distinct(StringComparer.Ordinal)
            .Select(frameworks.Find).OfType<Framework>()
            .SelectMany(f => f.Results.Select(r => (f.Id, r.Id, r.Title)))];
    }
}
