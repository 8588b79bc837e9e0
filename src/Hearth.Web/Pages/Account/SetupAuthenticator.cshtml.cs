using System.Globalization;
using Hearth.Core.Access;
using Hearth.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace Hearth.Web.Pages.Account;

/// <summary>Account set-up, step 2: add Hearth to an authenticator app and confirm with a code.</summary>
[EnableRateLimiting(HearthIdentity.SignInRateLimit)]
public sealed class SetupAuthenticatorModel(SignInService signIn, UserManager<HearthUser> users) : PageModel
{
    [BindProperty]
    public string Code { get; set; } = string.Empty;

    public string Key { get; private set; } = string.Empty;

    public string OtpAuthUri { get; private set; } = string.Empty;

    public string? Failure { get; private set; }

    public async Task<IActionResult> OnGetAsync() => await LoadAsync() ? Page() : RedirectToPage("/Account/Setup");

    public async Task<IActionResult> OnPostAsync()
    {
        if (await signIn.CompleteSetupAsync(Code))
        {
            TempData["Notice"] = "Your account is set up. Sign in with your new password and a code from your authenticator app.";
            return RedirectToPage("/Account/SignIn");
        }

        if (!await LoadAsync())
        {
            return RedirectToPage("/Account/Setup");
        }

        Failure = "The code is not right. Enter the code your authenticator app shows now.";
        return Page();
    }

    private async Task<bool> LoadAsync()
    {
        var user = await signIn.PendingUserAsync("setup");
        var key = user is null ? null : await users.GetAuthenticatorKeyAsync(user);
        if (user is null || key is null)
        {
            return false;
        }

        Key = string.Join(' ', key.Chunk(4).Select(c => new string(c)));
        OtpAuthUri = string.Create(CultureInfo.InvariantCulture,
            $"otpauth://totp/Hearth:{Uri.EscapeDataString(user.UserName ?? user.Id)}?secret={key}&issuer=Hearth&digits=6&period=30");
        return true;
    }
}
