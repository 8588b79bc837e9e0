using Hearth.Core.Data;
using Hearth.Core.Finance;
using Hearth.Core.Finance.Store;
using Hearth.Core.Finance.UnitCosts;
using Hearth.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Hearth.Web.Pages.Money;

/// <summary>Search the unit cost database (UCD v1.4 and the store's local costs), optionally uprated to a price year.</summary>
[Authorize(Policy = HearthPolicies.ViewMoney)]
public sealed class CostsModel(HearthDb db, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Query { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Agency { get; set; }

    [BindProperty(SupportsGet = true, Name = "year")]
    public string? YearText { get; set; }

    public PriceYear? Year { get; private set; }

    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);

    public IReadOnlyList<UnitCost> Results { get; private set; } = [];

    public int Total { get; private set; }

    public IReadOnlyList<PriceYear> Years { get; private set; } = [];

    public GdpDeflator Deflator { get; } = GdpDeflator.UcdV14();

    public IReadOnlyList<string> Editions { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var catalogue = await new LocalCostStore(db, clock).CatalogueAsync(cancellationToken);
        Years = [.. Deflator.Index.Keys];
        Year = MoneyFormat.Year(YearText, Errors, "year");
        if (Year is { } y && !Deflator.Covers(y))
        {
            Errors["year"] = $"the GDP deflator series has no index for {y}";
            Year = null;
        }

        // Local costs first (a stable sort keeps the published order after them), so they are never cut off by the page limit.
        var hits = catalogue.Search(Query ?? string.Empty, Agency).OrderBy(c => c.Edition == LocalCostStore.StoreEdition ? 0 : 1).ToList();
        Total = hits.Count;
        Results = hits.Take(200).ToList();
        Editions = catalogue.Editions;
    }

    public string Value(UnitCostValue? value)
    {
        if (value is null)
        {
            return "–";
        }

        if (Year is { } y && Deflator.Covers(value.PriceYear))
        {
            return Deflator.Uprate(value.Amount, value.PriceYear, y).ToString();
        }

        return $"{value.Amount} ({value.PriceYear})";
    }
}
