using Hearth.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Hearth.Web.Pages;

public sealed class IndexModel(SiteStatus status) : PageModel
{
    public string Store { get; private set; } = string.Empty;

    public void OnGet() => Store = status.Store;
}
