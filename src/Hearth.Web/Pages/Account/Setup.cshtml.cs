using System.ComponentModel.DataAnnotations;
using Hearth.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace Hearth.Web.Pages.Account;

/// <summary>Account set-up, step 1: the one-time set-up code and a new password.</summary>
[EnableRateLimiting(HearthIdentity.SignInRateLimit)]
public sealed class SetupModel(SignInService signIn) : PageModel
{
    [BindProperty]
    [Required(ErrorMessage = "Enter your user name")]
    public string UserName { get; set; } = string.Empty;

    [BindProperty]
    [Required(ErrorMessage = "Enter the set-up code your administrator gave you")]
    public string SetupCode { get; set; } = string.Empty;

    [BindProperty]
    [Required(ErrorMessage = "Enter a new password")]
    public string Password { get; set; } = string.Empty;

    [BindProperty]
    [Required(ErrorMessage = "Enter the new password again")]
    public string ConfirmPassword { get; set; } = string.Empty;

    public List<string> Errors { get; } = [];

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        Errors.AddRange(ModelState.Values.SelectMany(v => v.Errors).Select(e => e.ErrorMessage));
        if (Errors.Count == 0 && !string.Equals(Password, ConfirmPassword, StringComparison.Ordinal))
        {
            Errors.Add("The two passwords are not the same");
        }

        if (Errors.Count == 0)
        {
            var result = await signIn.BeginSetupAsync(UserName, SetupCode, Password);
            if (result is null)
            {
                Errors.Add("The user name or set-up code is not right, or the code has expired. Ask your Hearth administrator for a new code.");
            }
            else if (!result.Succeeded)
            {
                Errors.AddRange(result.Errors.Select(e => e.Description));
            }
            else
            {
                return RedirectToPage("/Account/SetupAuthenticator");
            }
        }

        Password = ConfirmPassword = string.Empty;
        return Page();
    }
}
