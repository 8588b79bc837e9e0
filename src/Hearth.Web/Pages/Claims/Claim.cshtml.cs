using Hearth.Core.Programmes;
using Hearth.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Hearth.Web.Pages.Claims;

/// <summary>One claim: its frozen evidence, its history and the moves the user's role allows.</summary>
public sealed class ClaimModel(ProgrammeClaimsService service) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string Reference { get; set; } = string.Empty;

    [BindProperty]
    public ClaimStatus? To { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    public ClaimDetail Detail { get; private set; } = null!;

    /// <summary>The move whose reason was missing, so its reason box shows the error.</summary>
    public ClaimStatus? ReasonFor { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var actor = User.ToActor() ?? throw new InvalidOperationException("The page needs a signed-in user.");
        if (To is not { } to || !Enum.IsDefined(to))
        {
            ModelState.AddModelError(string.Empty, "Choose what to do with the claim.");
        }
        else if (ClaimsText.NeedsReason(to) && string.IsNullOrWhiteSpace(Reason))
        {
            ReasonFor = to;
            ModelState.AddModelError("Reason", $"Enter why the claim is being {(to == ClaimStatus.Rejected ? "rejected" : "clawed back")}.");
        }
        else
        {
            try
            {
                await service.MoveAsync(actor, Reference, to, string.IsNullOrWhiteSpace(Reason) ? null : Reason.Trim(), ct);
                TempData["ClaimMoved"] = $"The claim is now {ClaimsText.Status(to).ToLowerInvariant()}.";
                return LocalRedirect(ClaimsText.Url(Reference));
            }
            catch (ClaimRefusedException ex) when (ex.Broken.Any(b => b.Rule == "KnownClaim"))
            {
                return NotFound();
            }
            catch (ClaimRefusedException ex)
            {
                foreach (var b in ex.Broken)
                {
                    ModelState.AddModelError(string.Empty, $"{b.Message} ({b.Rule}).");
                }

                if (ex.Broken.Any(b => b.Rule == "RoleMayAct"))
                {
                    Response.StatusCode = StatusCodes.Status403Forbidden;
                }
            }
        }

        return await LoadAsync(ct) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        var actor = User.ToActor() ?? throw new InvalidOperationException("The page needs a signed-in user.");
        try
        {
            Detail = await service.GetAsync(actor, Reference, ct);
            return true;
        }
        catch (ClaimNotFoundException)
        {
            return false;
        }
    }
}
