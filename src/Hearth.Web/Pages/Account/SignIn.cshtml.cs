using System.ComponentModel.DataAnnotations;
using Hearth.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace Hearth.Web.Pages.Account;

[EnableRateLimiting(HearthIdentity.SignInRateLimit)]
public sealed class SignInModel(SignInService signIn) : PageModel
{
    /// <summary>The one message for every failure, so it never tells whether an account exists or is locked.</summary>
    public const string FailureMessage = "The user name or password is not right, or the account cannot sign in just now. Try again, or ask your Hearth administrator.";

    [BindProperty]
    [Required(ErrorMessage = "Enter your user name")]
    [Display(Name = "User name")]
    public string UserName { get; set; } = string.Empty;

    [BindProperty]
    [Required(ErrorMessage = "Enter your password")]
    [DataType(DataType.Password)]
    public string Password { get; set; } = string.Empty;

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [TempData]
    public string? Notice { get; set; }

    public string? Failure { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }

        switch (await signIn.PasswordAsync(UserName, Password))
        {
            case PasswordOutcome.SecondFactorNeeded:
                return RedirectToPage("/Account/SecondFactor", new { returnUrl = LocalOrNull(ReturnUrl) });
            case PasswordOutcome.SignedIn:
                return LocalRedirect(LocalOrNull(ReturnUrl) ?? "/");
            default:
                Failure = FailureMessage;
                Password = string.Empty;
                return Page();
        }
    }

    internal string? LocalOrNull(string? url) => url is not null && Url.IsLocalUrl(url) ? url : null;
}
