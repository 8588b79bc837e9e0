using System.ComponentModel.DataAnnotations;
using Hearth.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace Hearth.Web.Pages.Account;

[EnableRateLimiting(HearthIdentity.SignInRateLimit)]
public sealed class SecondFactorModel(SignInService signIn) : PageModel
{
    [BindProperty]
    [Required(ErrorMessage = "Enter the 6-digit code from your authenticator app")]
    public string Code { get; set; } = string.Empty;

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Failure { get; private set; }

    public async Task<IActionResult> OnGetAsync() =>
        await signIn.PendingUserAsync("second-factor") is null ? RedirectToPage("/Account/SignIn") : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }

        if (await signIn.SecondFactorAsync(Code))
        {
            return LocalRedirect(ReturnUrl is not null && Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/");
        }

        if (await signIn.PendingUserAsync("second-factor") is null)
        {
            return RedirectToPage("/Account/SignIn");
        }

        Failure = "The code is not right. Enter the code your authenticator app shows now (each code works once).";
        Code = string.Empty;
        return Page();
    }
}
