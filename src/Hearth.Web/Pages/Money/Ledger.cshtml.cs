using Hearth.Core.Data;
using Hearth.Core.Finance.Store;
using Hearth.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Hearth.Web.Pages.Money;

/// <summary>Pooled budget balances: each pot, contributions by agency and year, spend by service and family, the journal.</summary>
[Authorize(Policy = HearthPolicies.ViewMoney)]
public sealed class LedgerModel(HearthDb db, TimeProvider clock) : PageModel
{
    public LedgerReport? Report { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Report = LedgerReport.Of(await new LedgerStore(db, clock).LoadAsync(cancellationToken));
}
