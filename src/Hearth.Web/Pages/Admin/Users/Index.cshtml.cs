using Hearth.Core.Access;
using Hearth.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Hearth.Web.Pages.Admin.Users;

/// <summary>Users, roles and last sign-in (the access review report), with disable, enable, reset and end-sessions actions.</summary>
public sealed class IndexModel(UserAccounts accounts) : PageModel
{
    public IReadOnlyList<UserReportRow> Users { get; private set; } = [];

    public string? Notice { get; private set; }

    /// <summary>A new set-up code after a reset: shown once, on this response only.</summary>
    public ProvisionedUser? Reset { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => Users = await accounts.ReportAsync(cancellationToken);

    public Task<IActionResult> OnPostDisableAsync(string userId, CancellationToken cancellationToken) =>
        ActAsync(async actor => { await accounts.DisableAsync(userId, actor, cancellationToken); return "User disabled; their sessions have ended."; }, cancellationToken);

    public Task<IActionResult> OnPostEnableAsync(string userId, CancellationToken cancellationToken) =>
        ActAsync(async actor => { await accounts.EnableAsync(userId, actor, cancellationToken); return "User enabled."; }, cancellationToken);

    public Task<IActionResult> OnPostEndSessionsAsync(string? userId, CancellationToken cancellationToken) =>
        ActAsync(async actor =>
        {
            var ended = await accounts.EndSessionsAsync(string.IsNullOrEmpty(userId) ? null : userId, actor, cancellationToken);
            return $"{ended.ToString(System.Globalization.CultureInfo.InvariantCulture)} sessions ended.";
        }, cancellationToken);

    public Task<IActionResult> OnPostResetAsync(string userId, CancellationToken cancellationToken) =>
        ActAsync(async actor =>
        {
            Reset = await accounts.ResetAsync(userId, actor, cancellationToken);
            return "New set-up code issued; the user's password and authenticator are replaced when they use it.";
        }, cancellationToken);

    private async Task<IActionResult> ActAsync(Func<Actor, Task<string>> action, CancellationToken cancellationToken)
    {
        var actor = User.ToActor() ?? throw new InvalidOperationException("Administration needs a signed-in user.");
        try
        {
            Notice = await action(actor);
        }
        catch (UserAccountException e)
        {
            Notice = e.Message;
        }

        Users = await accounts.ReportAsync(cancellationToken);
        return Page();
    }
}
