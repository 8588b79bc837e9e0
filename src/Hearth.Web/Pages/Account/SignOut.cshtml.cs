using Hearth.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Hearth.Web.Pages.Account;

/// <summary>Signing out ends the session on the server; the page is only a form, so no link can sign anyone out.</summary>
public sealed class SignOutModel(SignInService signIn) : PageModel
{
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        await signIn.SignOutAsync();
        TempData["Notice"] = "You have signed out.";
        return RedirectToPage("/Account/SignIn");
    }
}
