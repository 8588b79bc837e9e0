using Hearth.Core.Data;
using Hearth.Core.Finance;
using Hearth.Core.Finance.Store;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Hearth.Web.Pages.Money;

/// <summary>The store's local unit costs, with who recorded them and when (policy in HearthPolicies.PagePolicies).</summary>
public sealed class LocalCostsModel(HearthDb db, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Saved { get; set; }

    public IReadOnlyList<LocalUnitCost> Costs { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Costs = await new LocalCostStore(db, clock).ListAsync(cancellationToken);

    /// <summary>A stored value in its own price year, e.g. "£130.50 (2014/15)".</summary>
    public static string Value(long? pence, int? year) =>
        pence is { } p && year is { } y ? $"{new Core.Money(p)} ({new PriceYear(y)})" : "–";
}
