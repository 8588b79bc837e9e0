using Hearth.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Hearth.Web.Pages.Api;

/// <summary>
/// The interactive API reference for signed-in users: every operation of the app's OpenAPI document
/// (<c>/openapi/v1.json</c>) with its parameters and responses, and a "try it" form that calls the API with the
/// user's own session (<c>/js/api-reference.js</c>). What a call returns is what the user may see: the API applies
/// the same access rules and audit as the pages.
/// </summary>
public sealed class ReferenceModel(IServiceProvider services) : PageModel
{
    public ApiReferenceDocument Document { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct) => Document = await ApiReference.LoadAsync(services, "v1", ct);
}
