using System.Globalization;
using Hearth.Core;
using Hearth.Core.Programmes;
using Hearth.Web.Infrastructure;
using Hearth.Web.Pages.Api;
using Hearth.Web.Pages.Families;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Hearth.Web.Pages.Claims;

/// <summary>The data lead builds a claim batch for a window: claims drafted with frozen evidence, the audit sample drawn.</summary>
public sealed class NewBatchModel(ProgrammeClaimsService service, ClaimFrameworks frameworks, TimeProvider clock) : PageModel
{
    [BindProperty]
    public string? Framework { get; set; }

    [BindProperty]
    public string? WindowId { get; set; }

    [BindProperty]
    public DateInput WindowStart { get; set; } = new();

    [BindProperty]
    public DateInput WindowEnd { get; set; } = new();

    [BindProperty]
    public DateInput ClaimDate { get; set; } = new();

    [BindProperty]
    public string? Allocation { get; set; }

    /// <summary>Percentage of claims drawn at random for audit, e.g. "10".</summary>
    [BindProperty]
    public string? SampleRate { get; set; } = "10";

    [BindProperty]
    public string? Seed { get; set; }

    public IEnumerable<Framework> Frameworks => frameworks.All;

    public void OnGet()
    {
        Seed ??= clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var actor = User.ToActor() ?? throw new InvalidOperationException("The page needs a signed-in user.");
        var framework = frameworks.Find(Framework);
        if (framework is null)
        {
            ModelState.AddModelError(nameof(Framework), "Select the framework the claims are made under.");
        }

        var id = WindowId?.Trim() ?? string.Empty;
        if (id.Length == 0)
        {
            ModelState.AddModelError(nameof(WindowId), "Enter the claim window's name, for example 2024-25-q4.");
        }
        else if (id.Length > 40 || !id.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' or '.'))
        {
            ModelState.AddModelError(nameof(WindowId), "The claim window's name must be at most 40 letters, digits, dashes, dots or underscores.");
        }

        var start = ClaimsText.ReadDate(ModelState, WindowStart, nameof(WindowStart), "the first day of the window");
        var end = ClaimsText.ReadDate(ModelState, WindowEnd, nameof(WindowEnd), "the last day of the window");
        if (start is { } s && end is { } e && e < s)
        {
            ModelState.AddModelError(nameof(WindowEnd), "The last day of the window must be on or after its first day.");
        }

        var claimDate = ClaimsText.ReadDate(ModelState, ClaimDate, nameof(ClaimDate), "the claim date");
        if (claimDate is { } cd && start is { } s2 && end is { } e2 && e2 >= s2 && !new DatePeriod(s2, e2).Contains(cd))
        {
            ModelState.AddModelError(nameof(ClaimDate), "The claim date must fall within the claim window.");
        }

        if (!int.TryParse(Allocation?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var allocation) || allocation > 1_000_000)
        {
            ModelState.AddModelError(nameof(Allocation), "Enter the families the allocation allows in this window, as a whole number from 0 to 1,000,000.");
        }

        if (!decimal.TryParse(SampleRate?.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var percent) || percent > 100m)
        {
            ModelState.AddModelError(nameof(SampleRate), "Enter the share of claims to sample at random as a percentage from 0 to 100, for example 10.");
        }

        if (!ulong.TryParse(Seed?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var seed))
        {
            ModelState.AddModelError(nameof(Seed), "Enter the sample seed as a whole number (the same seed draws the same sample).");
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        var window = new ClaimWindow(id, framework!.Id, new DatePeriod(start!.Value, end!.Value), allocation);
        try
        {
            var result = await service.BuildBatchAsync(actor, framework, window, claimDate!.Value, seed, percent / 100m, ct: ct);
            TempData["BatchBuilt"] = string.Create(CultureInfo.InvariantCulture,
                $"Batch {result.Reference} built: {result.FamiliesAssessed:N0} families assessed, {result.Drafted:N0} claims drafted ({result.Total}), {result.Sampled:N0} sampled for audit.")
                + (result.AlreadyClaimed > 0
                    ? string.Create(CultureInfo.InvariantCulture, $" {result.AlreadyClaimed:N0} results were already claimed in an earlier batch and were not claimed again.")
                    : string.Empty)
                + (result.Refused > 0 ? string.Create(CultureInfo.InvariantCulture, $" {result.Refused:N0} results could not be claimed (family cap or window rules).") : string.Empty);
            return LocalRedirect("/claims?window=" + Uri.EscapeDataString(id));
        }
        catch (ClaimRefusedException ex)
        {
            foreach (var b in ex.Broken)
            {
                var field = b.Rule == "OneBatchPerWindow" ? nameof(WindowId) : string.Empty;
                var message = b.Rule switch
                {
                    "OneBatchPerWindow" => $"A batch for window {id} under {framework.Id} already exists: choose another window.",
                    "NoDoubleClaim" => "This batch would claim a result a family has already been claimed for under this scheme, so nothing was drafted: " + b.Message,
                    _ => b.ToString(),
                };
                ModelState.AddModelError(field, message);
            }

            return Page();
        }
    }
}
